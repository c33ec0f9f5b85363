//! A loopback mock of the services the benchmark programs call: Chime SDK
//! Voice's GetProxySession, DynamoDB's GetItem and Query, Bedrock
//! Runtime's ConverseStream, and S3's GetObject and PutObject of one large
//! object, answered by the `mock` library (`lib.rs`); the event stream of
//! ConverseStream goes out chunked, as it is made, and S3's object is
//! streamed both ways. It checks SigV4 signatures on a sample of requests
//! and refuses a bad or missing one with a 403, so that a client cannot
//! win by not signing.
//!
//! `mock [PORT] [--tls CA_FILE] [--s3-object-bytes N]` prints one line per
//! listener, each once it listens:
//!
//! ```text
//! signed http://127.0.0.1:PORT         signatures checked: the SDK clients
//! unsigned http://127.0.0.1:PORT       nothing checked: the unsigned floors
//! tls https://127.0.0.1:PORT           with --tls: signatures checked
//! unsigned tls https://127.0.0.1:PORT  with --tls: nothing checked
//! ```
//!
//! With `--tls` the HTTPS listeners have a server certificate for 127.0.0.1
//! signed by a test CA made at start and written to CA_FILE (`tls.rs`).
//! S3's object is N bytes (1 GiB unless told). `mock --write-object PATH
//! N` writes the object's first N bytes to PATH, for the programs to
//! upload, and exits.

mod tls;

use bench_common::{ACCESS_KEY, SECRET_KEY};
use bytes::Bytes;
use http_body_util::{BodyExt, Either, Full};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use mock::bedrock::{self, Events};
use mock::s3::{self, Object, ObjectBody};
use mock::{Key, Keys};
use std::convert::Infallible;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
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

/// S3's object, made once at start.
static OBJECT: OnceLock<Object> = OnceLock::new();

/// A whole answer, ConverseStream's events, or S3's object.
type Answer = hyper::Response<Either<Full<Bytes>, Either<Events, ObjectBody>>>;

async fn answer(
    req: hyper::Request<hyper::body::Incoming>,
    check: bool,
) -> Result<Answer, Infallible> {
    let (parts, body) = req.into_parts();
    if s3::is_s3(&parts.method, parts.uri.path()) {
        let object = OBJECT.get_or_init(|| Object::new(s3::DEFAULT_SIZE));
        let signature = check.then(|| s3::verify(&parts, &bench_key));
        let reply = s3::answer(parts, body, signature, object).await;
        return Ok(reply.map(|body| match body {
            Either::Left(whole) => Either::Left(whole),
            Either::Right(object) => Either::Right(Either::Right(object)),
        }));
    }
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
        return Ok(bedrock::response().map(|events| Either::Right(Either::Left(events))));
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

/// The value after `flag` in the arguments.
fn flag<'a>(args: &'a [String], flag: &str) -> Option<&'a String> {
    args.iter()
        .position(|a| a == flag)
        .and_then(|i| args.get(i + 1))
}

/// `mock --write-object PATH N`: the object's first N bytes, to PATH.
fn write_object(path: &str, size: &str) {
    let size: u64 = size.parse().expect("--write-object PATH BYTES");
    let file = std::fs::File::create(path).expect("create the object's file");
    let mut out = std::io::BufWriter::new(file);
    bench_common::s3::object::write(&bench_common::s3::object::block(), size, &mut out)
        .expect("write the object's file");
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [first, path, size] = &args[..] {
        if first == "--write-object" {
            return write_object(path, size);
        }
    }
    let port: u16 = args.first().and_then(|p| p.parse().ok()).unwrap_or(0);
    let size = match flag(&args, "--s3-object-bytes") {
        Some(n) => n.parse().expect("--s3-object-bytes N"),
        None => s3::DEFAULT_SIZE,
    };
    // S3's object and its CRC32, like DynamoDB's bodies and Bedrock's
    // frames, are made before the first request, not during it.
    let _ = OBJECT.set(Object::new(size));
    // DynamoDB's bodies and Bedrock's frames are made before the first request, not during it.
    let _ = (&*mock::dynamodb::GET_ITEM, &*mock::dynamodb::QUERY);
    let _ = &*bedrock::REPLY;
    let ca_file = flag(&args, "--tls");
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
        tokio::spawn(listen(tls, true, Some(config.clone())));
        let unsigned_tls = bind(0).await;
        println!(
            "unsigned tls https://{}",
            unsigned_tls.local_addr().unwrap()
        );
        tokio::spawn(listen(unsigned_tls, false, Some(config)));
    }
    listen(signed, true, None).await;
}
