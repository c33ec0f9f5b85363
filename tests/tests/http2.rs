//! HTTP/2 in the default transport: which version each policy speaks over
//! TLS (ALPN) and plain text (h2c), one connection shared by concurrent
//! requests, bodies streaming both ways, and the policy taken from the
//! service by `Handle::new`. Every server is on 127.0.0.1, started here.

use bytes::Bytes;
use http::Version;
use http_body_util::BodyExt;
use sdkgen_runtime::body::SdkBody;
use sdkgen_runtime::error::{ErrorMetadata, ProvideErrorMetadata, SdkError};
use sdkgen_runtime::operation::Operation;
use sdkgen_runtime::protocol::SerializeContext;
use sdkgen_runtime::{
    BuildError, Handle, Http2Policy, HttpClient, HttpRequest, HttpResponse, ServiceInfo,
};
use sdkgen_tests::h2_server::{
    full, streaming, ConnectionInfo, H2Server, ServerBody, TestCertificate,
};
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{oneshot, Barrier};

/// A bound on every wait, so that a transport that deadlocks fails the
/// test instead of hanging it; never reached when the test passes.
const LIMIT: Duration = Duration::from_secs(20);

async fn within<T>(what: &str, future: impl Future<Output = T>) -> T {
    tokio::time::timeout(LIMIT, future)
        .await
        .unwrap_or_else(|_| panic!("{what}: still waiting after {LIMIT:?}"))
}

/// What the server saw: `HTTP/2.0 alpn=h2 connection=0`.
fn describe(request: &hyper::Request<hyper::body::Incoming>, info: &ConnectionInfo) -> String {
    let alpn = info
        .alpn
        .as_deref()
        .map_or("none".into(), |a| String::from_utf8_lossy(a).into_owned());
    format!(
        "{:?} alpn={alpn} connection={}",
        request.version(),
        info.index
    )
}

/// A server that answers every request with [`describe`].
fn describing(
    request: hyper::Request<hyper::body::Incoming>,
    info: ConnectionInfo,
) -> impl Future<Output = hyper::Response<ServerBody>> {
    let text = describe(&request, &info);
    async move { hyper::Response::new(full(text)) }
}

fn client(policy: Http2Policy, certificate: &TestCertificate) -> HttpClient {
    HttpClient::builder()
        .http2(policy)
        .root_certificates([certificate.der.clone()])
        .build()
        .expect("a client")
}

fn request(url: &str, body: SdkBody) -> http::Request<SdkBody> {
    http::Request::builder()
        .method("POST")
        .uri(format!("{url}/"))
        .body(body)
        .unwrap()
}

/// Sends an empty POST; the version the client saw and the body.
async fn exchange(client: &HttpClient, url: &str) -> (Version, String) {
    let response = within("the response", client.send(request(url, SdkBody::empty())))
        .await
        .expect("a response");
    let version = response.version();
    let body = within("the body", response.into_body().collect_limited(1 << 20))
        .await
        .expect("the body");
    (version, String::from_utf8(body.to_vec()).unwrap())
}

#[tokio::test]
async fn eventstream_negotiates_h2_over_tls() {
    let certificate = TestCertificate::new();
    let server = H2Server::tls(&certificate, &[b"h2", b"http/1.1"], describing).await;
    let client = client(Http2Policy::Required, &certificate);
    let (version, seen) = exchange(&client, &server.url()).await;
    assert_eq!(version, Version::HTTP_2);
    assert_eq!(seen, "HTTP/2.0 alpn=h2 connection=0");
}

#[tokio::test]
async fn eventstream_speaks_h2c_on_plain_http() {
    let server = H2Server::plain(describing).await;
    let client = client(Http2Policy::Required, &TestCertificate::new());
    let (version, seen) = exchange(&client, &server.url()).await;
    assert_eq!(version, Version::HTTP_2);
    assert_eq!(seen, "HTTP/2.0 alpn=none connection=0");
}

#[tokio::test]
async fn eventstream_fails_against_a_server_without_h2() {
    // Offering only `h2` to a server that speaks only HTTP/1.1: no
    // protocol in common, so no connection, and an error that says so.
    let certificate = TestCertificate::new();
    let server = H2Server::tls(&certificate, &[b"http/1.1"], describing).await;
    let client = client(Http2Policy::Required, &certificate);
    let error = within(
        "the error",
        client.send(request(&server.url(), SdkBody::empty())),
    )
    .await
    .expect_err("no protocol in common");
    let chain = error_chain(&error);
    assert!(chain.contains("cannot connect"), "{chain}");
}

#[tokio::test]
async fn optional_uses_h2_when_the_server_offers_it() {
    let certificate = TestCertificate::new();
    let server = H2Server::tls(&certificate, &[b"h2", b"http/1.1"], describing).await;
    let client = client(Http2Policy::Optional, &certificate);
    let (version, seen) = exchange(&client, &server.url()).await;
    assert_eq!(version, Version::HTTP_2);
    assert_eq!(seen, "HTTP/2.0 alpn=h2 connection=0");
}

#[tokio::test]
async fn optional_uses_http1_when_the_server_does_not_offer_h2() {
    let certificate = TestCertificate::new();
    let server = H2Server::tls(&certificate, &[b"http/1.1"], describing).await;
    let client = client(Http2Policy::Optional, &certificate);
    let (version, seen) = exchange(&client, &server.url()).await;
    assert_eq!(version, Version::HTTP_11);
    assert_eq!(seen, "HTTP/1.1 alpn=http/1.1 connection=0");
}

#[tokio::test]
async fn optional_stays_on_http1_on_plain_http() {
    // Without TLS there is no ALPN to agree on HTTP/2 with.
    let server = H2Server::plain(describing).await;
    let client = client(Http2Policy::Optional, &TestCertificate::new());
    let (version, seen) = exchange(&client, &server.url()).await;
    assert_eq!(version, Version::HTTP_11);
    assert_eq!(seen, "HTTP/1.1 alpn=none connection=0");
}

#[tokio::test]
async fn without_the_setting_http1_even_when_the_server_offers_h2() {
    let certificate = TestCertificate::new();
    let server = H2Server::tls(&certificate, &[b"h2", b"http/1.1"], describing).await;
    let client = client(Http2Policy::Http1Only, &certificate);
    let (version, seen) = exchange(&client, &server.url()).await;
    assert_eq!(version, Version::HTTP_11);
    // No ALPN offered at all, as before HTTP/2 was built in.
    assert_eq!(seen, "HTTP/1.1 alpn=none connection=0");
    // The same server in plain text would take h2c; the client does not.
    let plain = H2Server::plain(describing).await;
    let (version, seen) = exchange(&client, &plain.url()).await;
    assert_eq!(version, Version::HTTP_11);
    assert_eq!(seen, "HTTP/1.1 alpn=none connection=0");
}

#[tokio::test]
async fn concurrent_requests_share_one_h2_connection() {
    const REQUESTS: usize = 8;
    let certificate = TestCertificate::new();
    // Every request waits for all the others before it is answered: they
    // can only all be answered if they are all in flight at once.
    let barrier = Arc::new(Barrier::new(REQUESTS));
    let server = H2Server::tls(&certificate, &[b"h2", b"http/1.1"], move |request, info| {
        let barrier = barrier.clone();
        async move {
            barrier.wait().await;
            hyper::Response::new(full(describe(&request, &info)))
        }
    })
    .await;
    let client = client(Http2Policy::Required, &certificate);
    let url = server.url();
    let all = (0..REQUESTS).map(|_| {
        let (client, url) = (client.clone(), url.clone());
        tokio::spawn(async move { exchange(&client, &url).await })
    });
    for answer in all.collect::<Vec<_>>() {
        let (version, seen) = within("all the answers", answer).await.unwrap();
        assert_eq!(version, Version::HTTP_2);
        assert_eq!(seen, "HTTP/2.0 alpn=h2 connection=0");
    }
    assert_eq!(server.connections(), 1);
}

#[tokio::test]
async fn an_idle_h2_connection_is_reused() {
    // The pool probes an idle socket before it reuses it (the stale check);
    // on HTTP/2 that must leave the connection working.
    let certificate = TestCertificate::new();
    let tls = H2Server::tls(&certificate, &[b"h2"], describing).await;
    let plain = H2Server::plain(describing).await;
    let client = client(Http2Policy::Required, &certificate);
    for server in [&tls, &plain] {
        for _ in 0..3 {
            let (version, seen) = exchange(&client, &server.url()).await;
            assert_eq!(version, Version::HTTP_2);
            assert!(seen.ends_with("connection=0"), "{seen}");
            // Let the connection settle into idle between requests.
            for _ in 0..10 {
                tokio::task::yield_now().await;
            }
        }
        assert_eq!(server.connections(), 1);
    }
}

#[tokio::test]
async fn an_h2_connection_the_server_dropped_is_replaced() {
    // A server (or a load balancer) that closes an idle connection without
    // a GOAWAY frame: the next request goes on a new connection, and the
    // caller sees no error.
    let certificate = TestCertificate::new();
    let tls = H2Server::tls(&certificate, &[b"h2"], describing).await;
    let plain = H2Server::plain(describing).await;
    let client = client(Http2Policy::Required, &certificate);
    for server in [&tls, &plain] {
        let (_, seen) = exchange(&client, &server.url()).await;
        assert!(seen.ends_with("connection=0"), "{seen}");
        server.drop_connections().await;
        let (version, seen) = exchange(&client, &server.url()).await;
        assert_eq!(version, Version::HTTP_2);
        assert!(seen.ends_with("connection=1"), "{seen}");
    }
}

#[tokio::test]
async fn a_request_body_of_unknown_length_arrives_whole_over_h2() {
    // More than HTTP/2's initial flow-control window (65,535 bytes), so
    // the body waits for the server's window updates on the way.
    const CHUNKS: usize = 10;
    const CHUNK: usize = 16 * 1024;
    let server = H2Server::plain(|request, _| async move {
        let length = request
            .headers()
            .get("content-length")
            .map_or("none".to_string(), |v| v.to_str().unwrap().to_string());
        let version = request.version();
        let body = request.into_body().collect().await.unwrap().to_bytes();
        hyper::Response::builder()
            .header("x-content-length", length)
            .header("x-version", format!("{version:?}"))
            .body(full(body))
            .unwrap()
    })
    .await;
    let (mut sender, body) = http_body_util::channel::Channel::<Bytes>::new(1);
    let body = SdkBody::from_body(body);
    assert_eq!(hyper::body::Body::size_hint(&body).exact(), None);
    let sent: Vec<u8> = (0..CHUNKS * CHUNK).map(|i| (i % 251) as u8).collect();
    let chunks = sent.clone();
    let feeder = tokio::spawn(async move {
        for chunk in chunks.chunks(CHUNK) {
            sender
                .send_data(Bytes::copy_from_slice(chunk))
                .await
                .unwrap();
        }
    });
    let client = client(Http2Policy::Required, &TestCertificate::new());
    let response = within("the response", client.send(request(&server.url(), body)))
        .await
        .unwrap();
    assert_eq!(response.version(), Version::HTTP_2);
    assert_eq!(response.headers()["x-version"], "HTTP/2.0");
    assert_eq!(response.headers()["x-content-length"], "none");
    let echoed = within("the echo", response.into_body().collect_limited(1 << 20))
        .await
        .unwrap();
    assert_eq!(echoed.len(), sent.len());
    assert!(echoed == sent, "the body arrived changed");
    feeder.await.unwrap();
}

#[tokio::test]
async fn request_and_response_bodies_stream_together_over_h2() {
    // The server echoes each chunk as it arrives, and the client sends the
    // next only after reading the echo of the last: what a bidirectional
    // event stream needs.
    let server = H2Server::plain(|request, _| async move {
        let (mut echo, body) = streaming();
        let mut incoming = request.into_body();
        tokio::spawn(async move {
            while let Some(Ok(frame)) = incoming.frame().await {
                if let Ok(data) = frame.into_data() {
                    if echo.send_data(data).await.is_err() {
                        return;
                    }
                }
            }
        });
        hyper::Response::new(body)
    })
    .await;
    let (mut sender, body) = http_body_util::channel::Channel::<Bytes>::new(1);
    let client = client(Http2Policy::Required, &TestCertificate::new());
    let response = within(
        "the response head",
        client.send(request(&server.url(), SdkBody::from_body(body))),
    );
    // The head comes back before the request body has begun.
    let mut response = response.await.unwrap().into_body();
    for i in 0..5 {
        let message = Bytes::from(format!("message {i}"));
        sender.send_data(message.clone()).await.unwrap();
        let frame = within("the echo", response.frame())
            .await
            .expect("a frame")
            .unwrap();
        assert_eq!(frame.into_data().unwrap(), message);
    }
    // The end of the request ends the echo (HTTP/2 may mark it with an
    // empty frame).
    drop(sender);
    let rest = within("the end", response.collect_limited(1024))
        .await
        .unwrap();
    assert!(rest.is_empty(), "{rest:?}");
}

#[tokio::test]
async fn a_response_body_streams_before_the_server_finishes() {
    let (go_on, resume) = oneshot::channel::<()>();
    let resume = std::sync::Mutex::new(Some(resume));
    let server = H2Server::plain(move |_, _| {
        let resume = resume.lock().unwrap().take().expect("one request");
        async move {
            let (mut sender, body) = streaming();
            tokio::spawn(async move {
                sender.send_data(Bytes::from("first")).await.unwrap();
                // The rest only once the client has the first bytes.
                if resume.await.is_ok() {
                    sender.send_data(Bytes::from(" and last")).await.unwrap();
                }
            });
            hyper::Response::new(body)
        }
    })
    .await;
    let client = client(Http2Policy::Required, &TestCertificate::new());
    let response = within(
        "the head",
        client.send(request(&server.url(), SdkBody::empty())),
    )
    .await
    .unwrap();
    assert_eq!(response.version(), Version::HTTP_2);
    let mut body = response.into_body();
    let first = within("the first bytes", body.frame())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(first.into_data().unwrap(), "first");
    go_on.send(()).unwrap();
    let rest = within("the rest", body.collect_limited(1024))
        .await
        .unwrap();
    assert_eq!(rest, " and last");
}

/// An operation written by hand: a POST whose output is the response body.
struct Describe;

#[derive(Debug)]
struct Failed(ErrorMetadata);

impl std::fmt::Display for Failed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "failed with status {}", self.0.status())
    }
}

impl std::error::Error for Failed {}

impl ProvideErrorMetadata for Failed {
    fn meta(&self) -> &ErrorMetadata {
        &self.0
    }
}

impl Operation for Describe {
    const NAME: &'static str = "Describe";
    type Input = ();
    type Output = String;
    type Error = Failed;

    fn serialize(_: &(), _: &SerializeContext) -> Result<HttpRequest, BuildError> {
        Ok(HttpRequest::new("POST", "/".into()))
    }

    fn deserialize(response: HttpResponse) -> Result<String, SdkError<Failed>> {
        Ok(String::from_utf8_lossy(&response.body).into_owned())
    }

    fn unhandled(meta: ErrorMetadata) -> Failed {
        Failed(meta)
    }
}

fn service(http2: Http2Policy) -> ServiceInfo {
    ServiceInfo {
        service_id: "Describe",
        signing_name: "describe",
        endpoint_prefix: "describe",
        crate_version: "0.1.0",
        resolve_endpoint: None,
        account_id_endpoints: false,
        http2,
        hooks: None,
    }
}

#[tokio::test]
async fn a_client_speaks_the_version_its_service_asks_for() {
    let server = H2Server::plain(describing).await;
    let config = || sdkgen_tests::test_config(&server.url()).0.build();
    let call = |handle: Handle| async move {
        within("the call", handle.call::<Describe>(Ok(())))
            .await
            .unwrap()
    };
    let seen = call(Handle::new(config(), service(Http2Policy::Required))).await;
    assert!(seen.starts_with("HTTP/2.0 "), "{seen}");
    let seen = call(Handle::new(config(), service(Http2Policy::Http1Only))).await;
    assert!(seen.starts_with("HTTP/1.1 "), "{seen}");
    // A transport given in the configuration is used as it is.
    let own = HttpClient::builder().build().unwrap();
    let config = sdkgen_tests::test_config(&server.url())
        .0
        .http_client(own)
        .build();
    let seen = call(Handle::new(config, service(Http2Policy::Required))).await;
    assert!(seen.starts_with("HTTP/1.1 "), "{seen}");
}

/// An error and its causes, one line.
fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(e) = cause {
        text.push_str(": ");
        text.push_str(&e.to_string());
        cause = e.source();
    }
    text
}
