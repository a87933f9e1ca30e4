//! The connection to the API server: the client configuration (kubeconfig, context,
//! in-cluster) with gwctl's timeouts, and [`Reader`], which makes `GET` requests and pages
//! through lists, each bounded in time and length, telling a kind that may not be read
//! (403, 404: [`Read::Skip`]) from a failure of the whole read ([`ClusterError`]).

use std::time::Duration;

use kube::Client;
use kube::core::Request;
use kube::core::params::ListParams;
use serde::Deserialize;

use super::classify::{classify_with, error_chain};
use super::{ClusterError, Options};

pub(super) async fn config(opts: &Options) -> Result<kube::Config, ClusterError> {
    use kube::config::{KubeConfigOptions, Kubeconfig};
    let kopts = KubeConfigOptions {
        context: opts.context.clone(),
        ..Default::default()
    };
    let mut config = match (&opts.kubeconfig, &opts.context) {
        (Some(path), _) => {
            let kc = Kubeconfig::read_from(path).map_err(|e| {
                ClusterError::Config(format!("{}: {}", path.display(), error_chain(&e)))
            })?;
            kube::Config::from_custom_kubeconfig(kc, &kopts)
                .await
                .map_err(|e| ClusterError::Config(error_chain(&e)))?
        }
        // A context only exists in a kubeconfig: no in-cluster fallback.
        (None, Some(_)) => kube::Config::from_kubeconfig(&kopts)
            .await
            .map_err(|e| ClusterError::Config(error_chain(&e)))?,
        (None, None) => kube::Config::infer()
            .await
            .map_err(|e| ClusterError::Config(error_chain(&e)))?,
    };
    config.connect_timeout = Some(opts.request_timeout);
    config.read_timeout = Some(opts.request_timeout);
    config.write_timeout = Some(opts.request_timeout);
    // gwctl's own timeout is the contract; client-side retries would multiply it.
    config.default_retry = false;
    Ok(config)
}

/// A client with gwctl's bounds on every request: a timeout, and a page size for lists.
pub(super) struct Reader {
    pub(super) client: Client,
    /// The API server's URL, for messages.
    pub(super) server: String,
    pub(super) timeout: Duration,
    pub(super) page_size: u32,
}

/// The most pages gwctl reads of one list.
const MAX_PAGES: usize = 20_000;

/// The result of one read that may fail for one kind only.
pub(super) enum Read<T> {
    Ok(T),
    /// Forbidden (403) or not found (404): skip the kind; the code, and why.
    Skip(u16, String),
}

impl Reader {
    pub(super) async fn request<T: serde::de::DeserializeOwned>(
        &self,
        req: Result<http::Request<Vec<u8>>, kube::core::request::Error>,
        what: &str,
    ) -> Result<Read<T>, ClusterError> {
        let req = req.map_err(|e| ClusterError::Runtime(format!("{what}: {e}")))?;
        match tokio::time::timeout(self.timeout, self.client.request::<T>(req)).await {
            Err(_) => Err(ClusterError::Timeout {
                server: self.server.clone(),
                timeout: self.timeout,
                what: what.to_owned(),
            }),
            Ok(Ok(v)) => Ok(Read::Ok(v)),
            Ok(Err(kube::Error::Api(s))) if s.code == 403 => Ok(Read::Skip(
                403,
                format!(
                    "403 Forbidden{}",
                    if s.message.is_empty() {
                        String::new()
                    } else {
                        format!(": {}", s.message)
                    }
                ),
            )),
            Ok(Err(kube::Error::Api(s))) if s.code == 404 => Ok(Read::Skip(
                404,
                "404 Not Found: not served by this API server".into(),
            )),
            Ok(Err(e)) => Err(classify_with(&self.server, self.timeout, what, e)),
        }
    }

    /// Every item of a list, page by page. A `continue` token that expired (410 Gone, the list
    /// took longer than the server keeps snapshots) starts the list over once; a second
    /// expiry is an error.
    pub(super) async fn list<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        fields: Option<&str>,
        metadata_only: bool,
        what: &str,
    ) -> Result<Read<Vec<T>>, ClusterError> {
        let mut restarts = 0;
        let mut items = Vec::new();
        let mut token: Option<String> = None;
        let mut pages = 0usize;
        loop {
            // Millions of objects at any page size; past that the server is not ending it.
            pages += 1;
            if pages > MAX_PAGES {
                return Err(ClusterError::Endless {
                    what: what.to_owned(),
                    pages: MAX_PAGES,
                });
            }
            let mut lp = ListParams::default().limit(self.page_size);
            if let Some(f) = fields {
                lp = lp.fields(f);
            }
            if let Some(t) = &token {
                lp = lp.continue_token(t);
            }
            let req = if metadata_only {
                Request::new(path).list_metadata(&lp)
            } else {
                Request::new(path).list(&lp)
            };
            let req = req.map_err(|e| ClusterError::Runtime(format!("{what}: {e}")));
            let page: ListPage<T> =
                match tokio::time::timeout(self.timeout, self.client.request::<ListPage<T>>(req?))
                    .await
                {
                    Err(_) => {
                        return Err(ClusterError::Timeout {
                            server: self.server.clone(),
                            timeout: self.timeout,
                            what: what.to_owned(),
                        });
                    }
                    Ok(Ok(p)) => p,
                    Ok(Err(kube::Error::Api(s)))
                        if s.code == 410 && token.is_some() && restarts == 0 =>
                    {
                        restarts += 1;
                        items.clear();
                        token = None;
                        continue;
                    }
                    Ok(Err(kube::Error::Api(s))) if s.code == 403 => {
                        return Ok(Read::Skip(403, format!("403 Forbidden: {}", s.message)));
                    }
                    Ok(Err(kube::Error::Api(s))) if s.code == 404 => {
                        return Ok(Read::Skip(
                            404,
                            "404 Not Found: not served by this API server".into(),
                        ));
                    }
                    Ok(Err(e)) => return Err(classify_with(&self.server, self.timeout, what, e)),
                };
            items.extend(page.items);
            match page.metadata.continue_.filter(|c| !c.is_empty()) {
                Some(c) => token = Some(c),
                None => return Ok(Read::Ok(items)),
            }
        }
    }
}

#[derive(Deserialize)]
#[serde(bound = "T: Deserialize<'de>")]
struct ListPage<T> {
    #[serde(default)]
    metadata: ListMeta,
    #[serde(default)]
    items: Vec<T>,
}

#[derive(Deserialize, Default)]
struct ListMeta {
    #[serde(rename = "continue", default)]
    continue_: Option<String>,
}

/// Await every future, keeping each one's input beside its result. The futures run
/// concurrently on the current thread (no spawning, so nothing outlives the runtime).
pub(super) async fn join_all<F, T>(futures: Vec<F>) -> Vec<T>
where
    F: std::future::Future<Output = T>,
{
    let mut pinned: Vec<std::pin::Pin<Box<F>>> = futures.into_iter().map(Box::pin).collect();
    let mut out: Vec<Option<T>> = pinned.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (i, f) in pinned.iter_mut().enumerate() {
            if out[i].is_some() {
                continue;
            }
            match f.as_mut().poll(cx) {
                std::task::Poll::Ready(v) => out[i] = Some(v),
                std::task::Poll::Pending => pending = true,
            }
        }
        if pending {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    out.into_iter().flatten().collect()
}
