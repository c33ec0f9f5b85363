//! The HTTP transport: the [`Transport`] interface the orchestrator calls,
//! and its default, hyper's pooled client on rustls with ring (narrowed to
//! what AWS endpoints use, `tls`) and the platform's trust store. It speaks
//! HTTP/1.1, and HTTP/2 where the service's model asks for it
//! ([`Http2Policy`]): one HTTP/2 connection per host then carries every
//! concurrent request, and bodies stream both ways (a request body of
//! unknown length needs no `Content-Length`).
//!
//! Why hyper and not reqwest by default: reqwest carries every request in a
//! `url::Url`, and the URL standard treats `%2E` and `%2E%2E` as dot
//! segments, so a label that is exactly `.` or `..` would silently reach
//! another path. `http::Uri` keeps the path as we encoded it. hyper is what
//! reqwest runs on, so nothing is lost and less is compiled.
//!
//! Redirects are never followed (hyper has no such logic) and connections
//! are reused; a request meant for a pooled connection that the server has
//! closed goes on a new one, uncounted (`stale`). A transport hands back
//! the response body as it arrives; the orchestrator reads it whole up to a
//! cap, or passes it on as a stream.

mod http2;
mod proxy;
#[cfg(feature = "reqwest")]
mod reqwest;
mod stale;
mod tls;

pub use http2::{Http2Policy, DEFAULT_HTTP2_KEEP_ALIVE_INTERVAL, DEFAULT_HTTP2_KEEP_ALIVE_TIMEOUT};
pub use proxy::ProxyConfig;
#[cfg(feature = "reqwest")]
pub use reqwest::ReqwestTransport;

use crate::body::SdkBody;
use crate::credentials::BoxFuture;
use crate::error::{DispatchError, DispatchErrorKind};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::{TokioExecutor, TokioTimer};
use std::error::Error as StdError;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// Sends one HTTP request and returns the response as soon as its head has
/// arrived, the body still streaming. Implement it to carry requests some
/// other way (a test double, another HTTP stack).
pub trait Transport: fmt::Debug + Send + Sync {
    fn send(
        &self,
        request: http::Request<SdkBody>,
    ) -> BoxFuture<'_, Result<http::Response<SdkBody>, SendError>>;
}

/// A transport shared by the clones of a client.
pub type SharedTransport = Arc<dyn Transport>;

/// The default cap on a response body.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;

/// The default time allowed to open a connection, as in the AWS SDKs'
/// standard defaults.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_millis(3100);

/// The default time an unused connection stays in the pool.
pub const DEFAULT_POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(60);

/// The default number of unused connections kept per host: no limit, as
/// in hyper-util and reqwest. A limit below the application's concurrency
/// would close and reopen (TLS handshakes included) the connections of
/// every burst above it, and the idle timeout already closes what a burst
/// leaves behind. (botocore keeps at most 10 per host,
/// `max_pool_connections`.)
pub const DEFAULT_POOL_MAX_IDLE_PER_HOST: usize = usize::MAX;

type Connector = hyper_rustls::HttpsConnector<proxy::ProxyConnector>;

/// A pooled HTTP client; cheap to clone, share one per process.
#[derive(Clone)]
pub struct HttpClient {
    client: Client<Connector, SdkBody>,
    connect_timeout: Option<Duration>,
    pool_idle_timeout: Duration,
    pool_max_idle_per_host: usize,
    http2: Http2Policy,
}

impl fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpClient")
            .field("connect_timeout", &self.connect_timeout)
            .field("pool_idle_timeout", &self.pool_idle_timeout)
            .field("pool_max_idle_per_host", &self.pool_max_idle_per_host)
            .field("http2", &self.http2)
            .finish()
    }
}

/// Builds an [`HttpClient`].
#[derive(Debug, Clone)]
pub struct HttpClientBuilder {
    connect_timeout: Option<Duration>,
    pool_idle_timeout: Duration,
    pool_max_idle_per_host: usize,
    proxy: ProxyConfig,
    http2: Http2Policy,
    http2_keep_alive_interval: Option<Duration>,
    roots: Option<Roots>,
}

/// Certificates to trust instead of the platform's store, as DER.
#[derive(Clone)]
struct Roots(Vec<Vec<u8>>);

impl fmt::Debug for Roots {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} certificates", self.0.len())
    }
}

impl Default for HttpClientBuilder {
    fn default() -> Self {
        HttpClientBuilder {
            connect_timeout: Some(DEFAULT_CONNECT_TIMEOUT),
            pool_idle_timeout: DEFAULT_POOL_IDLE_TIMEOUT,
            pool_max_idle_per_host: DEFAULT_POOL_MAX_IDLE_PER_HOST,
            proxy: ProxyConfig::default(),
            http2: Http2Policy::default(),
            http2_keep_alive_interval: Some(DEFAULT_HTTP2_KEEP_ALIVE_INTERVAL),
            roots: None,
        }
    }
}

impl HttpClientBuilder {
    /// Time allowed to open a connection (TCP); `None` waits as long as the
    /// OS does.
    pub fn connect_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Proxies to use; none by default (the loader reads them from the
    /// environment).
    pub fn proxy(mut self, proxy: ProxyConfig) -> Self {
        self.proxy = proxy;
        self
    }

    /// How long an unused connection is kept (60 s by default); the pool
    /// closes it then, whether or not another request comes. A server that
    /// closes idle connections sooner is handled: the next request goes on
    /// a new connection, without counting as a retry.
    pub fn pool_idle_timeout(mut self, timeout: Duration) -> Self {
        self.pool_idle_timeout = timeout;
        self
    }

    /// How many unused connections are kept per host (scheme, host and
    /// port); no limit by default ([`DEFAULT_POOL_MAX_IDLE_PER_HOST`]).
    /// 0 turns the pool off: each request opens a connection of its own.
    pub fn pool_max_idle_per_host(mut self, max: usize) -> Self {
        self.pool_max_idle_per_host = max;
        self
    }

    /// Whether to speak HTTP/2 ([`Http2Policy`]); HTTP/1.1 only by
    /// default. A client made for one service (`Handle::new`) takes the
    /// service's policy from its model.
    pub fn http2(mut self, policy: Http2Policy) -> Self {
        self.http2 = policy;
        self
    }

    /// Time between keep-alive pings on an HTTP/2 connection with open
    /// streams ([`DEFAULT_HTTP2_KEEP_ALIVE_INTERVAL`]); `None` sends none.
    /// A ping unanswered for [`DEFAULT_HTTP2_KEEP_ALIVE_TIMEOUT`] closes the
    /// connection.
    pub fn http2_keep_alive_interval(mut self, interval: Option<Duration>) -> Self {
        self.http2_keep_alive_interval = interval;
        self
    }

    /// Trusts these certificates (DER), and only these, instead of the
    /// platform's store: a private certificate authority, or a local
    /// emulator's or test server's self-signed certificate. A certificate
    /// that cannot be read fails [`build`](Self::build).
    pub fn root_certificates(mut self, der: impl IntoIterator<Item = Vec<u8>>) -> Self {
        self.roots = Some(Roots(der.into_iter().collect()));
        self
    }

    /// The client as a shared [`Transport`]: what the runtime and the
    /// credential sources hold, so that only this crate compiles the HTTP
    /// stack under it.
    #[inline(never)]
    pub fn build_shared(self) -> Result<SharedTransport, DispatchError> {
        Ok(Arc::new(self.build()?))
    }

    pub fn build(self) -> Result<HttpClient, DispatchError> {
        let provider = Arc::new(tls::provider());
        let tls = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| tls_setup_error(Box::new(e)))?;
        let tls = match &self.roots {
            None => hyper_rustls::ConfigBuilderExt::try_with_platform_verifier(tls)
                .map_err(|e| tls_setup_error(Box::new(e)))?,
            Some(Roots(roots)) => {
                let mut store = rustls::RootCertStore::empty();
                for der in roots {
                    store
                        .add(rustls::pki_types::CertificateDer::from(der.clone()))
                        .map_err(|e| tls_setup_error(Box::new(e)))?;
                }
                tls.with_root_certificates(store)
            }
        }
        .with_no_client_auth();
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_nodelay(true);
        http.set_connect_timeout(self.connect_timeout);
        let connect = proxy::ProxyConnector::new(http, &self.proxy);
        // The versions offered in ALPN: hyper then speaks HTTP/2 on a
        // connection whose server chose `h2`.
        let connector = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(tls)
            .https_or_http();
        // The timer lets the pool close expired connections on its own;
        // without one they would stay open until the next checkout.
        let mut client = Client::builder(TokioExecutor::new());
        client
            .pool_timer(TokioTimer::new())
            .pool_idle_timeout(self.pool_idle_timeout)
            .pool_max_idle_per_host(self.pool_max_idle_per_host);
        #[cfg(feature = "http2")]
        let connector = {
            if self.http2.allows_http2() {
                // HTTP/2's own timer runs its keep-alive pings.
                client
                    .timer(TokioTimer::new())
                    .http2_keep_alive_interval(self.http2_keep_alive_interval)
                    .http2_keep_alive_timeout(DEFAULT_HTTP2_KEEP_ALIVE_TIMEOUT);
            }
            if self.http2 == Http2Policy::Required {
                // HTTP/2 without waiting for ALPN to say so: h2c on plain
                // `http://`; over TLS `h2` is the only protocol offered.
                client.http2_only(true);
            }
            match self.http2 {
                Http2Policy::Http1Only => connector.enable_http1().wrap_connector(connect),
                Http2Policy::Optional => connector.enable_all_versions().wrap_connector(connect),
                Http2Policy::Required => connector.enable_http2().wrap_connector(connect),
            }
        };
        #[cfg(not(feature = "http2"))]
        let connector = {
            // `Optional` lets the client choose HTTP/1.1, which it does
            // without the feature; `Required` cannot be met.
            if self.http2 == Http2Policy::Required {
                return Err(DispatchError::new(
                    DispatchErrorKind::Other,
                    "HTTP/2 is required (Http2Policy::Required), but sdkgen-runtime was built \
                     without its `http2` feature",
                    None,
                ));
            }
            connector.enable_http1().wrap_connector(connect)
        };
        Ok(HttpClient {
            client: client.build(connector),
            connect_timeout: self.connect_timeout,
            pool_idle_timeout: self.pool_idle_timeout,
            pool_max_idle_per_host: self.pool_max_idle_per_host,
            http2: self.http2,
        })
    }
}

fn tls_setup_error(source: Box<dyn StdError + Send + Sync>) -> DispatchError {
    DispatchError::new(DispatchErrorKind::Other, "cannot set up TLS", Some(source))
}

/// What a failed exchange means to the caller.
#[derive(Debug)]
#[non_exhaustive]
pub enum SendError {
    /// Opening the connection took longer than the connect timeout.
    ConnectTimeout(Duration),
    Dispatch(DispatchError),
    /// The transport cannot carry this request as written, and sent
    /// nothing; the reason says why. Not retried.
    Refused(String),
}

impl fmt::Display for SendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SendError::ConnectTimeout(limit) => write!(f, "no connection within {limit:?}"),
            SendError::Dispatch(e) => e.fmt(f),
            SendError::Refused(reason) => f.write_str(reason),
        }
    }
}

impl StdError for SendError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            SendError::Dispatch(e) => e.source(),
            _ => None,
        }
    }
}

impl HttpClient {
    pub fn builder() -> HttpClientBuilder {
        HttpClientBuilder::default()
    }

    /// Sends one request; the response body streams.
    pub async fn send(
        &self,
        request: http::Request<SdkBody>,
    ) -> Result<http::Response<SdkBody>, SendError> {
        // Kept to name the request in an error; formatted only then.
        let (method, uri) = (request.method().clone(), request.uri().clone());
        let target = || format!("{method} {uri}");
        let response = self.client.request(request).await.map_err(|e| {
            if e.is_connect() {
                if let (Some(limit), true) = (self.connect_timeout, is_timeout(&e)) {
                    return SendError::ConnectTimeout(limit);
                }
                SendError::Dispatch(DispatchError::new(
                    DispatchErrorKind::Connect,
                    format!("cannot connect for {}", target()),
                    Some(Box::new(e)),
                ))
            } else {
                SendError::Dispatch(DispatchError::new(
                    DispatchErrorKind::Io,
                    format!("connection failed during {}", target()),
                    Some(Box::new(e)),
                ))
            }
        })?;
        Ok(response.map(SdkBody::from_incoming))
    }
}

impl Transport for HttpClient {
    /// Never inlined: a crate that holds the client as a `dyn Transport`
    /// then calls this function instead of compiling the HTTP stack again.
    #[inline(never)]
    fn send(
        &self,
        request: http::Request<SdkBody>,
    ) -> BoxFuture<'_, Result<http::Response<SdkBody>, SendError>> {
        Box::pin(HttpClient::send(self, request))
    }
}

/// Whether an error's causes include an I/O timeout.
fn is_timeout(error: &(dyn StdError + 'static)) -> bool {
    let mut cause = Some(error);
    while let Some(e) = cause {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            if io.kind() == std::io::ErrorKind::TimedOut {
                return true;
            }
        }
        cause = e.source();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_root_certificate_that_cannot_be_read_fails_the_build() {
        let error = HttpClient::builder()
            .root_certificates([b"not a certificate".to_vec()])
            .build()
            .expect_err("not DER");
        assert!(
            error.to_string().starts_with("cannot set up TLS"),
            "{error}"
        );
        assert!(error.source().is_some());
    }

    #[test]
    fn debug_names_the_roots_without_their_bytes() {
        let builder = HttpClient::builder()
            .http2(Http2Policy::Required)
            .root_certificates([vec![0x30, 0x82, 0x01, 0x0a], vec![0x30]]);
        let text = format!("{builder:?}");
        assert!(text.contains("roots: Some(2 certificates)"), "{text}");
        assert!(text.contains("http2: Required"), "{text}");
    }

    /// Built without the `http2` feature (`cargo test -p sdkgen-runtime`
    /// alone; the workspace's crates for HTTP/2 services turn it on).
    #[cfg(not(feature = "http2"))]
    #[test]
    fn http2_required_without_the_feature_fails_the_build_and_optional_speaks_http1() {
        let error = HttpClient::builder()
            .http2(Http2Policy::Required)
            .build()
            .expect_err("no HTTP/2 compiled in");
        assert!(error.to_string().contains("`http2` feature"), "{error}");
        let client = HttpClient::builder()
            .http2(Http2Policy::Optional)
            .build()
            .expect("HTTP/1.1 meets Optional");
        assert_eq!(client.http2, Http2Policy::Optional);
    }
}
