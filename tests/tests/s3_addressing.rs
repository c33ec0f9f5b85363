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
//!
//! A multi-region access point's ARN resolves to an `https://` host under
//! `s3-global.amazonaws.com` whose rules ask for SigV4a: the same transport
//! takes those requests to the loopback server over plain HTTP, and the
//! server checks the ECDSA signature with a key derived apart from the
//! runtime's (`sdkgen_tests::sigv4_verify`).

use s3::Client;
use sdkgen_tests::loopback::to_loopback;
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

/// A client for `http://localhost:PORT` whose requests reach `server`.
fn localhost_client(server: &MockServer, force_path_style: bool) -> (Client, String) {
    let transport = to_loopback(server);
    let endpoint = format!("http://localhost:{}", transport.addr.port_u16().unwrap());
    let (config, _) = test_config(&endpoint);
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

const MRAP: &str = "arn:aws:s3::123456789012:accesspoint:mfzwi23gnjvgw.mrap";
const MRAP_HOST: &str = "mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com";

/// A client with no endpoint URL, so that the rules resolve AWS's hosts,
/// whose requests reach `server`.
fn aws_client(
    server: &MockServer,
    configure: impl FnOnce(sdkgen_runtime::ConfigBuilder) -> sdkgen_runtime::ConfigBuilder,
) -> Client {
    let config = sdkgen_runtime::Config::builder()
        .region("us-east-1")
        .credentials_provider(sdkgen_runtime::Credentials::new(
            sdkgen_tests::ACCESS_KEY,
            SECRET_KEY,
            None,
            None,
        ))
        .transport(to_loopback(server));
    Client::new(configure(config).build())
}

#[tokio::test]
async fn a_multi_region_access_point_is_signed_with_sigv4a_for_every_region() {
    let server = MockServer::start(answers).await;
    let s3 = aws_client(&server, |c| c);
    let got = s3
        .get_object()
        .bucket(MRAP)
        .key("a b.txt")
        .send()
        .await
        .unwrap();
    let body = got.body.unwrap().collect().await.unwrap();
    assert_eq!(&body[..], b"object");
    let r = server.requests().pop().unwrap();
    assert_eq!(r.header("host"), Some(MRAP_HOST));
    assert_eq!(r.path(), "/a%20b.txt");
    // The rules' `signingRegionSet`.
    assert_eq!(r.header("x-amz-region-set"), Some("*"));
    let auth = verify_s3(&r, SECRET_KEY).unwrap();
    assert!(auth.ecdsa, "{:?}", r.header("authorization"));
    assert_eq!((auth.region.as_str(), auth.service.as_str()), ("", "s3"));

    // Derived once per credentials: the second call signs as well.
    s3.get_object().bucket(MRAP).key("k").send().await.unwrap();
    verify_s3(&server.requests().pop().unwrap(), SECRET_KEY).unwrap();
}

#[tokio::test]
async fn the_configured_region_set_wins_over_the_endpoints() {
    let server = MockServer::start(answers).await;
    let s3 = aws_client(&server, |c| {
        c.sigv4a_signing_region_set("us-east-1,eu-west-1")
    });
    s3.put_object()
        .bucket(MRAP)
        .key("k")
        .body(b"object".to_vec())
        .send()
        .await
        .unwrap();
    let r = server.requests().pop().unwrap();
    assert_eq!(r.header("x-amz-region-set"), Some("us-east-1,eu-west-1"));
    assert!(verify_s3(&r, SECRET_KEY).unwrap().ecdsa);
}

#[tokio::test]
async fn a_presigned_multi_region_access_point_url_names_sigv4a_and_its_region_set() {
    let server = MockServer::start(answers).await;
    let s3 = aws_client(&server, |c| c);
    let presigned = s3
        .get_object()
        .bucket(MRAP)
        .key("k")
        .presigned(
            sdkgen_runtime::presign::PresigningConfig::expires_in(std::time::Duration::from_secs(
                900,
            ))
            .unwrap(),
        )
        .await
        .unwrap();
    let uri = presigned.uri();
    assert!(uri.starts_with(&format!("https://{MRAP_HOST}/k?")), "{uri}");
    for param in [
        "X-Amz-Algorithm=AWS4-ECDSA-P256-SHA256",
        "X-Amz-Region-Set=%2A",
        "X-Amz-Expires=900",
        "X-Amz-Signature=30",
    ] {
        assert!(uri.contains(param), "{param} is not in {uri}");
    }
    let credential = format!("X-Amz-Credential={}%2F", sdkgen_tests::ACCESS_KEY);
    assert!(
        uri.contains(&credential) && uri.contains("%2Fs3%2Faws4_request"),
        "{uri}"
    );
}
