//! A loopback mock of the services the benchmark programs call: Chime SDK
//! Voice's GetProxySession, DynamoDB's GetItem and Query, and Bedrock
//! Runtime's ConverseStream, answered by the `mock` library (`lib.rs`); the
//! event stream of ConverseStream goes out chunked, as it is made. It checks SigV4 signatures on a sample of
//! requests and refuses a bad or missing one with a 403, so that a client
//! cannot win by not signing.
//!
//! `mock [PORT] [--tls CA_FILE]` prints one line per listener, each once
//! it listens:
//!
//! ```text
//! signed http://127.0.0.1:PORT      signatures checked: the SDK clients
//! unsigned http://127.0.0.1:PORT    nothing checked: the unsigned floors
//! tls https://127.0.0.1:PORT        with --tls: signatures checked
//! ```
//!
//! With `--tls` the HTTPS listener has a server certificate for 127.0.0.1
//! signed by a test CA made at start and written to CA_FILE (`tls.rs`).

mod tls;

use bench_common::{ACCESS_KEY, SECRET_KEY};
use bytes::Bytes;
use http_body_util::{BodyExt, Either, Full};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use mock::bedrock::{self, Events};
use mock::{Key, Keys};
use std::convert::Infallible;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;

/// One request in this many, over all connections, has its signature
/// checked, besides the first of every connection: enough to catch a
/// client that signs wrongly or not at all, cheap enough (a few
/// microseconds each) that the mock's share of the load figures stays as
/// it was.
const CHECK_EVERY: u64 = 64;

/// Requests seen on the listeners that check signatures.
static REQUESTS: AtomicU64 = AtomicU64::new(0);

/// The bench's one key pair, which the harness gives every program.
fn bench_key(access_key: &str) -> Option<Key> {
    (access_key == ACCESS_KEY).then(|| Key {
        secret: SECRET_KEY.to_string(),
        session_token: None,
    })
}

/// A whole answer, or ConverseStream's events.
type Answer = hyper::Response<Either<Full<Bytes>, Events>>;

async fn answer(
    req: hyper::Request<hyper::body::Incoming>,
    check: bool,
) -> Result<Answer, Infallible> {
    let (parts, body) = req.into_parts();
    let body = body
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let keys: Option<Keys<'_>> = if check { Some(&bench_key) } else { None };
    if bedrock::is_converse_stream(&parts.method, parts.uri.path()) {
        if let Some(keys) = keys {
            if let Some(refused) = mock::refusal(&parts, &body, keys) {
                return Ok(refused.map(Either::Left));
            }
        }
        return Ok(bedrock::response().map(Either::Right));
    }
    Ok(mock::answer(&parts, &body, keys).map(Either::Left))
}

/// Serves one connection; with `verify`, its first request and every
/// `CHECK_EVERY`th request overall have their signatures checked.
async fn serve<S: AsyncRead + AsyncWrite + Unpin + Send + 'static>(stream: S, verify: bool) {
    let first = AtomicBool::new(true);
    let service = service_fn(move |req| {
        let check = verify
            && (first.swap(false, Ordering::Relaxed)
                | REQUESTS
                    .fetch_add(1, Ordering::Relaxed)
                    .is_multiple_of(CHECK_EVERY));
        answer(req, check)
    });
    let _ = http1::Builder::new()
        .serve_connection(TokioIo::new(stream), service)
        .await;
}

async fn listen(listener: TcpListener, verify: bool, tls: Option<Arc<rustls::ServerConfig>>) {
    let acceptor = tls.map(tokio_rustls::TlsAcceptor::from);
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let _ = stream.set_nodelay(true);
        let acceptor = acceptor.clone();
        tokio::spawn(async move {
            match acceptor {
                Some(acceptor) => {
                    if let Ok(stream) = acceptor.accept(stream).await {
                        serve(stream, verify).await;
                    }
                }
                None => serve(stream, verify).await,
            }
        });
    }
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let port: u16 = args.first().and_then(|p| p.parse().ok()).unwrap_or(0);
    // DynamoDB's bodies and Bedrock's frames are made before the first request, not during it.
    let _ = (&*mock::dynamodb::GET_ITEM, &*mock::dynamodb::QUERY);
    let _ = &*bedrock::REPLY;
    let ca_file = args
        .iter()
        .position(|a| a == "--tls")
        .and_then(|i| args.get(i + 1));
    let bind = |port| async move {
        TcpListener::bind(("127.0.0.1", port))
            .await
            .expect("bind 127.0.0.1")
    };
    let signed = bind(port).await;
    println!("signed http://{}", signed.local_addr().unwrap());
    let unsigned = bind(0).await;
    println!("unsigned http://{}", unsigned.local_addr().unwrap());
    tokio::spawn(listen(unsigned, false, None));
    if let Some(ca_file) = ca_file {
        let tls = bind(0).await;
        let config = tls::config(ca_file);
        println!("tls https://{}", tls.local_addr().unwrap());
        tokio::spawn(listen(tls, true, Some(config)));
    }
    listen(signed, true, None).await;
}
