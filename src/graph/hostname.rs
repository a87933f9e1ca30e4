//! Hostname matching as Gateway API defines it: a leading `*.` label matches one or more
//! labels (`*.example.com` matches `a.example.com` and `a.b.example.com`, not
//! `example.com`); an absent hostname matches everything.

/// Whether a concrete host (a request's Host) matches a hostname pattern.
pub fn matches(pattern: &str, host: &str) -> bool {
    // Compared without copying: the simulator asks this of every attached route for every
    // request, thousands of times a run under `gwctl test`.
    match pattern.strip_prefix("*.") {
        Some(suffix) => below(host, suffix),
        None => host.eq_ignore_ascii_case(pattern),
    }
}

/// Whether `name` ends with `.` and `suffix` (ASCII case aside), with a label before it.
fn below(name: &str, suffix: &str) -> bool {
    let (n, s) = (name.as_bytes(), suffix.as_bytes());
    n.len() > s.len() + 1
        && n[n.len() - s.len() - 1] == b'.'
        && n[n.len() - s.len()..].eq_ignore_ascii_case(s)
}

/// Whether two hostname patterns have a host in common.
pub fn intersect(a: &str, b: &str) -> bool {
    match (a.strip_prefix("*."), b.strip_prefix("*.")) {
        (None, None) => a.eq_ignore_ascii_case(b),
        (Some(_), None) => matches(a, b),
        (None, Some(_)) => matches(b, a),
        (Some(sa), Some(sb)) => {
            sa.eq_ignore_ascii_case(sb) || ends_with_label(sa, sb) || ends_with_label(sb, sa)
        }
    }
}

/// Whether `name` ends with `.` and `suffix` (ASCII case aside).
fn ends_with_label(name: &str, suffix: &str) -> bool {
    let (n, s) = (name.as_bytes(), suffix.as_bytes());
    n.len() > s.len()
        && n[n.len() - s.len() - 1] == b'.'
        && n[n.len() - s.len()..].eq_ignore_ascii_case(s)
}

/// Whether a listener (hostname or none) and a route's hostnames (none means all) share a
/// host.
pub fn any_intersect(listener: Option<&str>, route: &[String]) -> bool {
    match listener {
        None => true,
        Some(l) => route.is_empty() || route.iter().any(|r| intersect(l, r)),
    }
}

/// How specific a matching hostname is, for precedence: exact names beat wildcards, then
/// longer beats shorter.
pub fn specificity(pattern: &str) -> (bool, usize) {
    (!pattern.starts_with("*."), pattern.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_match_one_or_more_labels() {
        assert!(matches("*.example.com", "a.example.com"));
        assert!(matches("*.example.com", "a.b.example.com"));
        assert!(!matches("*.example.com", "example.com"));
        assert!(matches("Example.com", "example.COM"));
        assert!(!matches("a.example.com", "b.example.com"));
        assert!(matches("*.Example.com", "a.EXAMPLE.com"));
        assert!(!matches("*.example.com", "éxample.com"));
        assert!(!matches("*.example.com", "a-example.com"));
    }

    #[test]
    fn patterns_intersect() {
        assert!(intersect("*.example.com", "foo.example.com"));
        assert!(intersect("foo.example.com", "*.example.com"));
        assert!(intersect("*.example.com", "*.foo.example.com"));
        assert!(intersect("*.foo.example.com", "*.example.com"));
        assert!(!intersect("*.example.com", "example.com"));
        assert!(!intersect("*.example.com", "*.example.org"));
        assert!(intersect("*.A.example.com", "*.EXAMPLE.com"));
        assert!(!intersect("*.aexample.com", "*.example.com"));
        assert!(any_intersect(None, &["x".into()]));
        assert!(any_intersect(Some("a.b"), &[]));
    }
}
