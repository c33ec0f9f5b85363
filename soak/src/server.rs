//! The loopback listeners' accept loop: each connection served by hyper
//! on a task of its own, counted while it is open, and reset (a TCP RST,
//! not a close) when a request's handler asks for it.

use hyper::body::{Body, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use std::convert::Infallible;
use std::error::Error as StdError;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;

/// A listener's connections: open now, and accepted since it started.
#[derive(Debug, Default)]
pub struct Connections {
    open: AtomicU64,
    accepted: AtomicU64,
}

impl Connections {
    pub fn open(&self) -> u64 {
        self.open.load(Ordering::Relaxed)
    }

    pub fn accepted(&self) -> u64 {
        self.accepted.load(Ordering::Relaxed)
    }
}

/// One open connection, counted until it is dropped.
struct Open(Arc<Connections>);

impl Open {
    fn new(connections: Arc<Connections>) -> Open {
        connections.accepted.fetch_add(1, Ordering::Relaxed);
        connections.open.fetch_add(1, Ordering::Relaxed);
        Open(connections)
    }
}

impl Drop for Open {
    fn drop(&mut self) {
        self.0.open.fetch_sub(1, Ordering::Relaxed);
    }
}

/// Lets a request's handler end its connection with a reset instead of
/// an answer; the handler then never returns.
#[derive(Clone, Default)]
pub struct Reset(Arc<Notify>);

impl Reset {
    pub fn now(&self) {
        self.0.notify_one();
    }
}

/// Accepts connections until the program ends, answering each request
/// with `handler`.
pub async fn listen<H, F, B>(listener: TcpListener, connections: Arc<Connections>, handler: H)
where
    H: Fn(Request<Incoming>, Reset) -> F + Clone + Send + Sync + 'static,
    F: Future<Output = Response<B>> + Send + 'static,
    B: Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn StdError + Send + Sync>>,
{
    loop {
        match listener.accept().await {
            Ok((stream, _)) => {
                let _ = stream.set_nodelay(true);
                tokio::spawn(serve(stream, connections.clone(), handler.clone()));
            }
            // Out of descriptors, most likely: a finding of the run, said
            // once a tenth of a second at most.
            Err(e) => {
                eprintln!("soak: accept failed: {e}");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
}

async fn serve<H, F, B>(mut stream: TcpStream, connections: Arc<Connections>, handler: H)
where
    H: Fn(Request<Incoming>, Reset) -> F + Send + Sync + 'static,
    F: Future<Output = Response<B>> + Send + 'static,
    B: Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn StdError + Send + Sync>>,
{
    let _open = Open::new(connections);
    let reset = Reset::default();
    let service = {
        let reset = reset.clone();
        service_fn(move |req| {
            let answer = handler(req, reset.clone());
            async move { Ok::<_, Infallible>(answer.await) }
        })
    };
    let was_reset = {
        let connection = http1::Builder::new().serve_connection(TokioIo::new(&mut stream), service);
        tokio::select! {
            _ = connection => false,
            _ = reset.0.notified() => true,
        }
    };
    if was_reset {
        // Dropped with a zero linger, the socket sends a RST.
        let _ = stream.set_zero_linger();
    }
}
