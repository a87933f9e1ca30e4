//! `lint --fix`'s edits: the fixes findings carry ([`crate::diag::Fix`]) applied to one
//! file's text.
//!
//! Owns choosing which fixes go in (safe ones, unsafe ones only when asked, none that
//! overlaps one already chosen: that one waits for the next run, on the fixed text), turning
//! each replacement into text from what the file holds at its range (a renamed scalar keeps
//! its quoting, as [`crate::migrate::requote`] writes it), and applying them with the
//! migrate engine's edit machinery ([`crate::migrate::apply`]), so only the fixed bytes
//! change: comments, quoting, indentation and key order are kept. A range that does not hold
//! what its fix was made for (the file changed, an alias or a tag stands there) is left
//! alone rather than guessed at.

use crate::diag::{Diagnostic, Fix, FixEdit, Replacement};
use crate::migrate::{self, Edit};
use crate::source::FileId;

/// One file's fixed text and what went into it.
#[derive(Debug, PartialEq, Eq)]
pub struct Fixed {
    pub text: String,
    /// Fixes applied.
    pub applied: usize,
    /// Fixes left out because they overlap one applied: a second run applies them.
    pub overlapping: usize,
    /// Fixes left out because their range does not hold what they were made for: the
    /// value is written in a form gwctl does not rewrite (an anchor, an alias, a tag, an
    /// escape).
    pub not_applicable: usize,
}

/// Whether `--fix` (with `unsafe_fixes` for `--unsafe-fixes`) applies `d`'s fix.
pub fn applies(d: &Diagnostic, unsafe_fixes: bool) -> bool {
    d.fix.as_ref().is_some_and(|f| f.safe || unsafe_fixes)
}

/// The fixes of the findings in `file` that `--fix` applies, in the order of the findings.
pub fn fixes_in(
    diagnostics: &[Diagnostic],
    file: FileId,
    unsafe_fixes: bool,
) -> impl Iterator<Item = &Fix> {
    diagnostics
        .iter()
        .filter(move |d| applies(d, unsafe_fixes))
        .filter(move |d| d.primary.as_ref().is_some_and(|p| p.file == file))
        .filter_map(|d| d.fix.as_deref())
}

/// Apply `fixes` to `text` (without its byte order mark: the offsets findings use).
/// Earlier fixes (by position) win over later ones that overlap them.
pub fn apply<'a>(text: &str, fixes: impl IntoIterator<Item = &'a Fix>) -> Fixed {
    let mut fixes: Vec<&Fix> = fixes.into_iter().collect();
    fixes.sort_by_key(|f| f.edits.iter().map(|e| e.span.start).min());
    // The same fix twice (two findings about one value) is one fix.
    fixes.dedup();
    let mut edits: Vec<Edit> = Vec::new();
    let (mut applied, mut overlapping, mut not_applicable) = (0, 0, 0);
    for fix in fixes {
        let overlaps = fix.edits.iter().any(|e| {
            edits
                .iter()
                .any(|t| e.span.start < t.span.end && t.span.start < e.span.end)
        });
        let resolved: Option<Vec<Edit>> = fix.edits.iter().map(|e| resolve(text, e)).collect();
        match resolved {
            None => not_applicable += 1,
            Some(_) if overlaps => overlapping += 1,
            Some(mut new) => {
                edits.append(&mut new);
                applied += 1;
            }
        }
    }
    match migrate::apply(text, edits) {
        Ok(text) => Fixed {
            text,
            applied,
            overlapping,
            not_applicable,
        },
        // Unreachable as overlaps and boundaries are checked above; never write a guess.
        Err(_) => Fixed {
            text: text.to_owned(),
            applied: 0,
            overlapping,
            not_applicable: not_applicable + applied,
        },
    }
}

/// The edit a replacement makes at its range of `text`; `None` when the range does not hold
/// a scalar written the way the fix expects.
fn resolve(text: &str, e: &FixEdit) -> Option<Edit> {
    let raw = text.get(e.span.start..e.span.end)?;
    // An anchored value is shared with its aliases, which may be fields of another type;
    // a tagged one is typed by its tag. Neither is rewritten, as `migrate` refuses them.
    let before = text.get(..e.span.start)?.trim_end_matches([' ', '\t']);
    let property = before
        .rsplit(|c: char| c.is_whitespace() || matches!(c, '{' | '[' | ','))
        .next()
        .unwrap_or_default();
    if property.starts_with(['&', '!']) {
        return None;
    }
    let new = match &e.replacement {
        // A boolean is a plain word (`yes`, `On`, `true`); anything else there (an alias, a
        // tag, quotes) is not what the finding was about.
        Replacement::Quote => {
            if raw.is_empty() || !raw.chars().all(|c| c.is_ascii_alphabetic()) {
                return None;
            }
            format!("\"{raw}\"")
        }
        Replacement::Unquote => {
            let inner = unquoted(raw)?;
            let digits = inner.strip_prefix('-').unwrap_or(inner);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            inner.to_owned()
        }
        // Only a plain or simply quoted scalar: another form (an alias, a block scalar)
        // does not hold the text the finding quotes.
        Replacement::Scalar(new) => {
            let old = if crate::migrate::plain_ok(raw) {
                raw
            } else {
                unquoted(raw)?
            };
            migrate::requote(raw, old, new)
        }
    };
    Some(Edit {
        span: e.span,
        text: new,
    })
}

/// The content of a single- or double-quoted scalar without escapes.
fn unquoted(raw: &str) -> Option<&str> {
    let inner = raw
        .strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .or_else(|| raw.strip_prefix('\'').and_then(|r| r.strip_suffix('\'')))?;
    (!inner.contains(['"', '\'', '\\', '\n'])).then_some(inner)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Span;

    fn fix(start: usize, end: usize, replacement: Replacement) -> Fix {
        Fix {
            edits: vec![FixEdit {
                span: Span::new(start, end),
                replacement,
            }],
            safe: true,
        }
    }

    #[test]
    fn replacements_follow_the_text() {
        let text = "a: yes # c\nb: \"80\"\nc: 'Prefix'\n";
        let fixes = [
            fix(3, 6, Replacement::Quote),
            fix(14, 18, Replacement::Unquote),
            fix(22, 30, Replacement::Scalar("PathPrefix".into())),
        ];
        let out = apply(text, &fixes);
        assert_eq!(out.text, "a: \"yes\" # c\nb: 80\nc: 'PathPrefix'\n");
        assert_eq!(
            (out.applied, out.overlapping, out.not_applicable),
            (3, 0, 0)
        );
    }

    #[test]
    fn overlapping_and_stale_fixes_wait() {
        let text = "a: yes\n";
        let fixes = [
            fix(3, 6, Replacement::Quote),
            fix(3, 6, Replacement::Scalar("no".into())),
            // The range holds `yes`, not a quoted integer.
            fix(3, 6, Replacement::Unquote),
            fix(0, 1, Replacement::Quote),
        ];
        let out = apply(text, &fixes);
        assert_eq!(out.text, "\"a\": \"yes\"\n");
        assert_eq!(
            (out.applied, out.overlapping, out.not_applicable),
            (2, 1, 1)
        );
    }

    #[test]
    fn aliases_and_escapes_are_left_alone() {
        assert_eq!(
            resolve(
                "*x",
                &FixEdit {
                    span: Span::new(0, 2),
                    replacement: Replacement::Quote
                }
            ),
            None
        );
        let quote = |text: &str, at: usize| {
            resolve(
                text,
                &FixEdit {
                    span: Span::new(at, at + 3),
                    replacement: Replacement::Quote,
                },
            )
        };
        assert_eq!(quote("a: &x yes\nb: *x\n", 6), None, "anchored: shared");
        assert_eq!(quote("{a: !!bool yes}", 11), None, "tagged");
        assert!(quote("{a: 1, b: yes}", 10).is_some());
        let rename = |text: &str| {
            resolve(
                text,
                &FixEdit {
                    span: Span::new(0, text.len()),
                    replacement: Replacement::Scalar("weight".into()),
                },
            )
            .map(|e| e.text)
        };
        assert_eq!(rename("\"a\\tb\""), None);
        assert_eq!(rename("*w"), None);
        assert_eq!(rename("\"wieght\"").as_deref(), Some("\"weight\""));
        assert_eq!(rename("'wieght'").as_deref(), Some("'weight'"));
        assert_eq!(rename("wieght").as_deref(), Some("weight"));
    }
}
