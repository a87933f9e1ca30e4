//! Client failures → [`ClusterError`]s that say which server, what failed and the likely
//! fix: HTTP statuses, TLS, timeouts, credentials and unreachable servers, told apart by
//! searching the error's source chain.

use std::time::Duration;

use super::{ClusterError, Options};

pub(super) fn classify(server: &str, opts: &Options, what: &str, e: kube::Error) -> ClusterError {
    classify_with(server, opts.request_timeout, what, e)
}

/// Turn a client error into what the user needs to hear: which server, what failed, and the
/// likely fix. The source chain is searched because hyper and rustls wrap the cause.
pub(super) fn classify_with(
    server: &str,
    timeout: Duration,
    what: &str,
    e: kube::Error,
) -> ClusterError {
    if let kube::Error::Api(s) = &e {
        return match s.code {
            401 => ClusterError::Unauthorized { what: what.into() },
            403 => ClusterError::Forbidden {
                what: what.into(),
                message: s.message.clone(),
            },
            code => ClusterError::Api {
                code,
                what: what.into(),
                message: if s.message.is_empty() {
                    s.reason.clone()
                } else {
                    s.message.clone()
                },
            },
        };
    }
    let chain = error_chain(&e);
    let lower = chain.to_ascii_lowercase();
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&e);
    while let Some(s) = source {
        if s.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::TimedOut)
        {
            return ClusterError::Timeout {
                server: server.into(),
                timeout,
                what: what.into(),
            };
        }
        source = s.source();
    }
    if lower.contains("certificate") || lower.contains("tls") || lower.contains("handshake") {
        return ClusterError::Tls {
            server: server.into(),
            detail: chain,
        };
    }
    if lower.contains("timed out") || lower.contains("timeout") || lower.contains("elapsed") {
        return ClusterError::Timeout {
            server: server.into(),
            timeout,
            what: what.into(),
        };
    }
    if let kube::Error::Auth(_) = e {
        return ClusterError::Config(format!("authentication failed: {chain}"));
    }
    ClusterError::Unreachable {
        server: server.into(),
        detail: chain,
    }
}

/// An error and its causes, `a: b: c`, without repeats (wrappers often repeat their cause).
pub(super) fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut source = Some(e);
    while let Some(s) = source {
        let text = s.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = s.source();
    }
    parts.join(": ")
}
