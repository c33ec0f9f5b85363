//! A loopback server that speaks HTTP/2 as well as HTTP/1.1: over TLS, with
//! the ALPN protocols the test chooses and a self-signed certificate made
//! for the test, or in plain text (HTTP/1.1, or HTTP/2 with prior
//! knowledge). Unlike `server.rs`, the handler gets each request with its
//! body still arriving and may answer with a body that streams, so tests
//! can watch both directions as they happen.

use bytes::Bytes;
use http_body_util::channel::{Channel, Sender};
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio_rustls::rustls;

/// A response body: whole, or fed by the test through a [`Sender`].
pub type ServerBody = BoxBody<Bytes, Infallible>;

/// A body held whole.
pub fn full(bytes: impl Into<Bytes>) -> ServerBody {
    Full::new(bytes.into()).boxed()
}

/// A body sent as the test feeds it; it ends when the sender is dropped.
pub fn streaming() -> (Sender<Bytes>, ServerBody) {
    let (sender, body) = Channel::new(1);
    (sender, body.boxed())
}

/// A self-signed certificate for `127.0.0.1` and `localhost`, made when the
/// test runs: a client trusts it by its DER.
pub struct TestCertificate {
    /// The certificate, to give the client as its only root.
    pub der: Vec<u8>,
    key: Vec<u8>,
}

impl TestCertificate {
    pub fn new() -> TestCertificate {
        let made = rcgen::generate_simple_self_signed(vec!["127.0.0.1".into(), "localhost".into()])
            .expect("a self-signed certificate");
        TestCertificate {
            der: made.cert.der().to_vec(),
            key: made.signing_key.serialize_der(),
        }
    }
}

impl Default for TestCertificate {
    fn default() -> Self {
        TestCertificate::new()
    }
}

/// What one connection looked like to the server.
#[derive(Debug, Clone)]
pub struct ConnectionInfo {
    /// Its index among the connections accepted, 0 for the first.
    pub index: usize,
    /// The protocol TLS settled on (`h2`, `http/1.1`); `None` on plain
    /// text, or when the client offered none.
    pub alpn: Option<Vec<u8>>,
}

type Answer = Pin<Box<dyn Future<Output = hyper::Response<ServerBody>> + Send>>;
type Handler = dyn Fn(hyper::Request<Incoming>, ConnectionInfo) -> Answer + Send + Sync;

/// A running server; stops when dropped.
pub struct H2Server {
    addr: SocketAddr,
    tls: bool,
    connections: Arc<AtomicUsize>,
    /// The tasks that serve the connections still open.
    serving: Arc<Mutex<Vec<JoinHandle<()>>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for H2Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl H2Server {
    /// A plain-text server on 127.0.0.1: HTTP/1.1, or HTTP/2 for a client
    /// that opens with HTTP/2's preface (h2c with prior knowledge).
    pub async fn plain<F, Fut>(handler: F) -> H2Server
    where
        F: Fn(hyper::Request<Incoming>, ConnectionInfo) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = hyper::Response<ServerBody>> + Send + 'static,
    {
        H2Server::start(None, handler).await
    }

    /// A TLS server on 127.0.0.1 with `certificate`, choosing among the
    /// client's ALPN protocols the first of `alpn` (`b"h2"`, `b"http/1.1"`)
    /// it offers.
    pub async fn tls<F, Fut>(certificate: &TestCertificate, alpn: &[&[u8]], handler: F) -> H2Server
    where
        F: Fn(hyper::Request<Incoming>, ConnectionInfo) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = hyper::Response<ServerBody>> + Send + 'static,
    {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("TLS versions")
            .with_no_client_auth()
            .with_single_cert(
                vec![certificate.der.clone().into()],
                rustls::pki_types::PrivateKeyDer::Pkcs8(certificate.key.clone().into()),
            )
            .expect("the test certificate");
        config.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
        H2Server::start(
            Some(tokio_rustls::TlsAcceptor::from(Arc::new(config))),
            handler,
        )
        .await
    }

    async fn start<F, Fut>(tls: Option<tokio_rustls::TlsAcceptor>, handler: F) -> H2Server
    where
        F: Fn(hyper::Request<Incoming>, ConnectionInfo) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = hyper::Response<ServerBody>> + Send + 'static,
    {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let addr = listener.local_addr().unwrap();
        let handler: Arc<Handler> = Arc::new(move |request, info| Box::pin(handler(request, info)));
        let connections = Arc::new(AtomicUsize::new(0));
        let counted = connections.clone();
        let serving: Arc<Mutex<Vec<JoinHandle<()>>>> = Arc::default();
        let tasks = serving.clone();
        let is_tls = tls.is_some();
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let index = counted.fetch_add(1, Ordering::SeqCst);
                let handler = handler.clone();
                let tls = tls.clone();
                let task = tokio::spawn(async move {
                    match tls {
                        None => serve(stream, ConnectionInfo { index, alpn: None }, handler).await,
                        Some(acceptor) => {
                            // A client that rejects the certificate ends here.
                            let Ok(stream) = acceptor.accept(stream).await else {
                                return;
                            };
                            let alpn = stream.get_ref().1.alpn_protocol().map(<[u8]>::to_vec);
                            serve(stream, ConnectionInfo { index, alpn }, handler).await
                        }
                    }
                });
                tasks.lock().unwrap().push(task);
            }
        });
        H2Server {
            addr,
            tls: is_tls,
            connections,
            serving,
            task,
        }
    }

    /// Closes every open connection, as a server that goes away does: no
    /// HTTP/2 GOAWAY, no TLS close_notify, just the TCP close; returns once
    /// the sockets are closed.
    pub async fn drop_connections(&self) {
        let tasks: Vec<_> = self.serving.lock().unwrap().drain(..).collect();
        for task in tasks {
            task.abort();
            let _ = task.await;
        }
    }

    /// `https://localhost:PORT` or `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        if self.tls {
            format!("https://localhost:{}", self.addr.port())
        } else {
            format!("http://{}", self.addr)
        }
    }

    /// How many connections the server has accepted.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

async fn serve<S>(stream: S, info: ConnectionInfo, handler: Arc<Handler>)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let service = service_fn(move |request| {
        let answer = handler(request, info.clone());
        async move { Ok::<_, Infallible>(answer.await) }
    });
    // HTTP/1.1 or HTTP/2, told apart by HTTP/2's connection preface.
    let _ = auto::Builder::new(TokioExecutor::new())
        .serve_connection(TokioIo::new(stream), service)
        .await;
}
