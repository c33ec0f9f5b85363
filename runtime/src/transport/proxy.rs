//! Proxies: `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY` (either case), as the
//! AWS SDKs and CLI honour them, or set in the configuration.
//!
//! HTTPS goes through an HTTP `CONNECT` tunnel (TLS stays end to end);
//! plain HTTP is sent to the proxy in absolute form.

use super::stale::CheckedStream;
use crate::env::Env;
use hyper_util::client::legacy::connect::proxy::Tunnel;
use hyper_util::client::legacy::connect::{Connected, Connection, HttpConnector};
use hyper_util::client::proxy::matcher::Matcher;
use std::error::Error as StdError;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use tower_service::Service;

/// Which proxy to use for which scheme, and which hosts to reach directly.
/// `Debug` hides a proxy URL's user and password.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ProxyConfig {
    /// Proxy for `https://` endpoints (`http://host:port`).
    pub https: Option<String>,
    /// Proxy for `http://` endpoints.
    pub http: Option<String>,
    /// `NO_PROXY`: comma-separated hosts, domains (`.example.com`), IPs or
    /// CIDR ranges to reach directly; `*` for all.
    pub no_proxy: Option<String>,
}

impl std::fmt::Debug for ProxyConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let hide = |url: &Option<String>| {
            url.as_ref().map(|u| match u.split_once('@') {
                Some((before, host)) => {
                    let scheme = before.split_once("://").map_or("", |(s, _)| s);
                    format!("{scheme}://***@{host}")
                }
                None => u.clone(),
            })
        };
        f.debug_struct("ProxyConfig")
            .field("https", &hide(&self.https))
            .field("http", &hide(&self.http))
            .field("no_proxy", &self.no_proxy)
            .finish()
    }
}

impl ProxyConfig {
    /// `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY`, upper case first.
    pub fn from_env(env: &Env) -> ProxyConfig {
        let either = |name: &str| {
            env.non_empty(name)
                .or_else(|| env.non_empty(&name.to_ascii_lowercase()))
        };
        ProxyConfig {
            https: either("HTTPS_PROXY"),
            http: either("HTTP_PROXY"),
            no_proxy: either("NO_PROXY"),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.https.is_none() && self.http.is_none()
    }

    fn matcher(&self) -> Matcher {
        let mut builder = Matcher::builder();
        if let Some(https) = &self.https {
            builder = builder.https(https.clone());
        }
        if let Some(http) = &self.http {
            builder = builder.http(http.clone());
        }
        if let Some(no) = &self.no_proxy {
            builder = builder.no(no.clone());
        }
        builder.build()
    }
}

/// Connects directly, through a tunnel, or to an HTTP proxy, per
/// destination.
#[derive(Clone)]
pub struct ProxyConnector {
    http: HttpConnector,
    matcher: Option<Arc<Matcher>>,
}

impl ProxyConnector {
    pub fn new(http: HttpConnector, proxy: &ProxyConfig) -> Self {
        ProxyConnector {
            http,
            matcher: (!proxy.is_empty()).then(|| Arc::new(proxy.matcher())),
        }
    }
}

/// A connection, marked as proxied when requests on it must be sent in
/// absolute form.
pub struct ProxyStream {
    io: CheckedStream,
    absolute_form: bool,
}

impl Connection for ProxyStream {
    fn connected(&self) -> Connected {
        self.io.connected().proxy(self.absolute_form)
    }
}

impl hyper::rt::Read for ProxyStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: hyper::rt::ReadBufCursor<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.io).poll_read(cx, buf)
    }
}

impl hyper::rt::Write for ProxyStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.io).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }
}

type BoxError = Box<dyn StdError + Send + Sync>;

impl Service<http::Uri> for ProxyConnector {
    type Response = ProxyStream;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<ProxyStream, BoxError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.http.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, dst: http::Uri) -> Self::Future {
        let mut http = self.http.clone();
        let intercept = self.matcher.as_ref().and_then(|m| m.intercept(&dst));
        Box::pin(async move {
            match intercept {
                None => Ok(ProxyStream {
                    io: CheckedStream::new(http.call(dst).await?),
                    absolute_form: false,
                }),
                Some(proxy) if dst.scheme_str() == Some("https") => {
                    tracing::debug!(proxy = %proxy.uri(), "connecting through a CONNECT tunnel");
                    let mut tunnel = Tunnel::new(proxy.uri().clone(), http);
                    if let Some(auth) = proxy.basic_auth() {
                        tunnel = tunnel.with_auth(auth.clone());
                    }
                    Ok(ProxyStream {
                        io: CheckedStream::new(tunnel.call(dst).await?),
                        absolute_form: false,
                    })
                }
                Some(proxy) => {
                    tracing::debug!(proxy = %proxy.uri(), "sending through an HTTP proxy");
                    Ok(ProxyStream {
                        io: CheckedStream::new(http.call(proxy.uri().clone()).await?),
                        absolute_form: true,
                    })
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn either_case_upper_first() {
        let env = Env::from_pairs([
            ("https_proxy", "http://lower:1"),
            ("HTTP_PROXY", "http://upper:2"),
            ("no_proxy", "localhost"),
        ]);
        let config = ProxyConfig::from_env(&env);
        assert_eq!(config.https.as_deref(), Some("http://lower:1"));
        assert_eq!(config.http.as_deref(), Some("http://upper:2"));
        assert_eq!(config.no_proxy.as_deref(), Some("localhost"));
        let env = Env::from_pairs([
            ("HTTPS_PROXY", "http://upper:1"),
            ("https_proxy", "http://lower:1"),
        ]);
        assert_eq!(
            ProxyConfig::from_env(&env).https.as_deref(),
            Some("http://upper:1")
        );
    }

    #[test]
    fn debug_hides_proxy_passwords() {
        let config = ProxyConfig {
            https: Some("http://user:s3cret@proxy:3128".into()),
            ..ProxyConfig::default()
        };
        let text = format!("{config:?}");
        assert!(!text.contains("s3cret") && !text.contains("user"), "{text}");
        assert!(text.contains("proxy:3128"), "{text}");
    }

    #[test]
    fn no_proxy_is_honoured() {
        let config = ProxyConfig {
            https: Some("http://proxy:3128".into()),
            http: Some("http://proxy:3128".into()),
            no_proxy: Some("127.0.0.1,.internal".into()),
        };
        let matcher = config.matcher();
        assert!(matcher
            .intercept(&"http://127.0.0.1:8080/x".parse().unwrap())
            .is_none());
        assert!(matcher
            .intercept(&"https://api.internal/x".parse().unwrap())
            .is_none());
        let via = matcher
            .intercept(
                &"https://voice-chime.us-east-1.amazonaws.com/"
                    .parse()
                    .unwrap(),
            )
            .unwrap();
        assert_eq!(via.uri(), "http://proxy:3128/");
    }
}
