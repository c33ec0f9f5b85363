//! Where the generated `s3` crate sends a request, as a loopback server
//! sees it: keys with `.` and `..` segments sent as they are, and the
//! bucket in the `Host` of a virtual-hosted request, each signed for what
//! arrived.
//!
//! The S3 endpoint rules never put a bucket in an IP address's host (a
//! `127.0.0.1` endpoint is path-style), so the virtual-hosted requests go
//! to `http://localhost:PORT`, which the rules make
//! `http://my-bucket.localhost:PORT`. Whether a resolver knows
//! `my-bucket.localhost` is the machine's business, so the client's
//! transport here connects every request to the server's address and
//! leaves the request itself, `Host` included, as the client made it.

use s3::Client;
use sdkgen_runtime::body::SdkBody;
use sdkgen_runtime::credentials::BoxFuture;
use sdkgen_runtime::transport::{SendError, Transport};
use sdkgen_runtime::HttpClient;
use sdkgen_tests::server::{MockServer, Recorded, Reply};
use sdkgen_tests::sigv4_verify::verify_s3;
use sdkgen_tests::{test_config, SECRET_KEY};

/// Every request the server saw carries a valid S3 signature.
fn all_signed(requests: &[Recorded]) {
    for r in requests {
        if let Err(e) = verify_s3(r, SECRET_KEY) {
            panic!("{} {}: {e}", r.method, r.target);
        }
    }
}

fn answers(r: &Recorded, _: usize) -> Reply {
    let reply = Reply::Respond {
        status: 200,
        headers: vec![("x-amz-request-id".into(), "R".into())],
        body: if r.method == "GET" {
            "object".into()
        } else {
            String::new()
        },
    };
    reply.with_header("ETag", "\"e\"")
}

/// Puts and gets `key` in `my-bucket`.
async fn put_and_get(s3: &Client, key: &str) {
    s3.put_object()
        .bucket("my-bucket")
        .key(key)
        .body(b"object".to_vec())
        .send()
        .await
        .unwrap();
    let got = s3
        .get_object()
        .bucket("my-bucket")
        .key(key)
        .send()
        .await
        .unwrap();
    let body = got.body.unwrap().collect().await.unwrap();
    assert_eq!(&body[..], b"object");
}

#[tokio::test]
async fn a_key_with_dot_segments_is_sent_as_it_is_and_signed_so() {
    let server = MockServer::start(answers).await;
    let (config, _) = test_config(&server.url());
    let s3 = Client::new(config.build());
    put_and_get(&s3, "a/../b/./c").await;
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    for r in &requests {
        // Path-style for an IP endpoint; nothing resolved on the way.
        assert_eq!(r.path(), "/my-bucket/a/../b/./c", "{}", r.method);
    }
    assert_eq!(requests[0].body, b"object");
    all_signed(&requests);

    // Only the segments stay as they are: the rest of the key is encoded.
    put_and_get(&s3, "../x y/..").await;
    assert_eq!(server.requests()[2].path(), "/my-bucket/../x%20y/..");
    all_signed(&server.requests());
}

/// Sends every request to `addr` (`127.0.0.1:PORT`), whatever host its URI
/// names; the request is otherwise untouched, so its `Host` header (set
/// and signed by the client) arrives as the client wrote it.
#[derive(Debug)]
struct ToLoopback {
    client: HttpClient,
    addr: http::uri::Authority,
}

impl Transport for ToLoopback {
    fn send(
        &self,
        mut request: http::Request<SdkBody>,
    ) -> BoxFuture<'_, Result<http::Response<SdkBody>, SendError>> {
        let mut parts = request.uri().clone().into_parts();
        parts.authority = Some(self.addr.clone());
        *request.uri_mut() = http::Uri::from_parts(parts).expect("a URI with another authority");
        Box::pin(self.client.send(request))
    }
}

/// A client for `http://localhost:PORT` whose requests reach `server`.
fn localhost_client(server: &MockServer, force_path_style: bool) -> (Client, String) {
    let addr: http::uri::Authority = server
        .url()
        .strip_prefix("http://")
        .expect("an http URL")
        .parse()
        .unwrap();
    let endpoint = format!("http://localhost:{}", addr.port_u16().unwrap());
    let (config, _) = test_config(&endpoint);
    let transport = ToLoopback {
        client: HttpClient::builder().build().unwrap(),
        addr,
    };
    let config = config
        .transport(transport)
        .force_path_style(force_path_style)
        .build();
    (Client::new(config), endpoint)
}

#[tokio::test]
async fn a_named_endpoint_gets_the_bucket_in_its_host() {
    let server = MockServer::start(answers).await;
    let (s3, endpoint) = localhost_client(&server, false);
    let port = endpoint.rsplit(':').next().unwrap();
    put_and_get(&s3, "dir/a b.txt").await;
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    let host = format!("my-bucket.localhost:{port}");
    for r in &requests {
        assert_eq!(r.header("host"), Some(host.as_str()), "{}", r.method);
        // The bucket is in the host, so not in the path.
        assert_eq!(r.path(), "/dir/a%20b.txt", "{}", r.method);
    }
    // Signed for the host that arrived, which the signature covers.
    all_signed(&requests);

    // A bucket that is not a DNS name stays in the path, as it must.
    s3.get_object()
        .bucket("My_Bucket")
        .key("k")
        .send()
        .await
        .unwrap();
    let last = server.requests().pop().unwrap();
    assert_eq!(
        last.header("host"),
        Some(format!("localhost:{port}").as_str())
    );
    assert_eq!(last.path(), "/My_Bucket/k");
    verify_s3(&last, SECRET_KEY).unwrap();
}

#[tokio::test]
async fn force_path_style_keeps_the_bucket_in_the_path() {
    let server = MockServer::start(answers).await;
    let (s3, endpoint) = localhost_client(&server, true);
    let port = endpoint.rsplit(':').next().unwrap();
    put_and_get(&s3, "k").await;
    let requests = server.requests();
    let host = format!("localhost:{port}");
    for r in &requests {
        assert_eq!(r.header("host"), Some(host.as_str()), "{}", r.method);
        assert_eq!(r.path(), "/my-bucket/k", "{}", r.method);
    }
    all_signed(&requests);
}
