//! S3's flexible checksums on loopback servers, as botocore sends and
//! checks them: CRC32 by default in a header over plain HTTP, in an
//! aws-chunked trailer for a streamed body over TLS (checked here byte for
//! byte), the caller's algorithm, `when_required`, and `GetObject`'s body
//! checked against the checksum its response carries.

use bytes::Bytes;
use http_body_util::BodyExt;
use s3::config::ChecksumPolicy;
use s3::types::{ChecksumAlgorithm, ChecksumMode, Delete, ObjectIdentifier};
use s3::Client;
use sdkgen_runtime::checksum::ChecksumAlgorithm as Algorithm;
use sdkgen_runtime::transport::HttpClient;
use sdkgen_tests::h2_server::{full, H2Server, TestCertificate};
use sdkgen_tests::server::{MockServer, Recorded, Reply};
use sdkgen_tests::sigv4_verify::verify_s3;
use sdkgen_tests::{test_config, SECRET_KEY};
use std::sync::{Arc, Mutex};

fn ok(body: &str) -> Reply {
    Reply::Respond {
        status: 200,
        headers: vec![("x-amz-request-id".into(), "REQ1".into())],
        body: body.into(),
    }
}

fn client(
    server: &MockServer,
    configure: impl FnOnce(s3::ConfigBuilder) -> s3::ConfigBuilder,
) -> Client {
    let (config, _) = test_config(&server.url());
    Client::new(configure(config).build())
}

fn signed(r: &Recorded) {
    if let Err(e) = verify_s3(r, SECRET_KEY) {
        panic!("{} {}: {e}", r.method, r.target);
    }
}

#[tokio::test]
async fn uploads_carry_crc32_by_default_in_a_header_over_http() {
    let server = MockServer::start(|_, _| ok("").with_header("ETag", "\"e\"")).await;
    let s3 = client(&server, |c| c);
    s3.put_object()
        .bucket("b")
        .key("k")
        .body(b"Hello world".to_vec())
        .send()
        .await
        .unwrap();
    let r = &server.requests()[0];
    signed(r);
    assert_eq!(r.header("x-amz-sdk-checksum-algorithm"), Some("CRC32"));
    assert_eq!(r.header("x-amz-checksum-crc32"), Some("i9aeUg=="));
    // Over plain HTTP the body is signed, not left to the checksum.
    assert_eq!(
        r.header("x-amz-content-sha256"),
        Some("64ec88ca00b268e5ba1a35678a1b5316d212f4f366b2477232534a8aeca37f3c")
    );
    assert_eq!(r.body, b"Hello world");
    assert_eq!(r.header("content-encoding"), None);
}

#[tokio::test]
async fn the_callers_algorithm_and_when_required() {
    let server = MockServer::start(|_, _| ok("")).await;
    let s3 = client(&server, |c| c);
    s3.put_object()
        .bucket("b")
        .key("k")
        .body(b"Hello world".to_vec())
        .checksum_algorithm(ChecksumAlgorithm::Sha256)
        .send()
        .await
        .unwrap();
    let quiet = client(&server, |c| {
        c.request_checksum_calculation(ChecksumPolicy::WhenRequired)
    });
    quiet
        .put_object()
        .bucket("b")
        .key("k")
        .body(b"Hello world".to_vec())
        .send()
        .await
        .unwrap();
    // A required checksum is sent whatever the policy.
    let delete = Delete::builder()
        .objects(ObjectIdentifier::builder().key("k").build())
        .build();
    quiet
        .delete_objects()
        .bucket("b")
        .delete(delete)
        .send()
        .await
        .unwrap();
    let requests = server.requests();
    requests.iter().for_each(signed);
    assert_eq!(
        requests[0].header("x-amz-sdk-checksum-algorithm"),
        Some("SHA256")
    );
    assert_eq!(
        requests[0].header("x-amz-checksum-sha256"),
        Some("ZOyIygCyaOW6GjVnihtTFtIS9PNmskdyMlNKiuyjfzw=")
    );
    assert_eq!(requests[0].header("x-amz-checksum-crc32"), None);
    let checksum_headers = |r: &Recorded| {
        r.headers
            .iter()
            .filter(|(k, _)| k.contains("checksum"))
            .count()
    };
    assert_eq!(
        checksum_headers(&requests[1]),
        0,
        "{:?}",
        requests[1].headers
    );
    assert_eq!(
        requests[2]
            .header("x-amz-checksum-crc32")
            .map(str::to_string),
        Some(Algorithm::Crc32.checksum(&requests[2].body))
    );
    assert_eq!(requests[2].header("content-md5"), None);
}

#[tokio::test]
async fn a_damaged_object_fails_its_last_read() {
    let crc = Algorithm::Crc32.checksum(b"the object");
    let server = MockServer::start(move |r, _| {
        let body = if r.path().ends_with("/bad") {
            "the 0bject"
        } else {
            "the object"
        };
        ok(body).with_header("x-amz-checksum-crc32", &crc)
    })
    .await;
    let s3 = client(&server, |c| c);
    let got = s3
        .get_object()
        .bucket("b")
        .key("good")
        .send()
        .await
        .unwrap();
    let body = got.body.unwrap().collect().await.unwrap();
    assert_eq!(&body[..], b"the object");
    let got = s3.get_object().bucket("b").key("bad").send().await.unwrap();
    let err = got.body.unwrap().collect().await.unwrap_err();
    let mismatch = err.checksum_mismatch().expect("a checksum mismatch");
    assert_eq!(
        mismatch.expected(),
        Algorithm::Crc32.checksum(b"the object")
    );
    assert_eq!(
        mismatch.computed(),
        Algorithm::Crc32.checksum(b"the 0bject")
    );
    let requests = server.requests();
    // The client asked for the checksum, as botocore does by default.
    assert_eq!(requests[0].header("x-amz-checksum-mode"), Some("ENABLED"));

    // Without validation asked for, the body is not checked.
    let trusting = client(&server, |c| {
        c.response_checksum_validation(ChecksumPolicy::WhenRequired)
    });
    let got = trusting
        .get_object()
        .bucket("b")
        .key("bad")
        .send()
        .await
        .unwrap();
    assert_eq!(
        &got.body.unwrap().collect().await.unwrap()[..],
        b"the 0bject"
    );
    assert_eq!(server.requests()[2].header("x-amz-checksum-mode"), None);
    // Unless the caller asks.
    let got = trusting
        .get_object()
        .bucket("b")
        .key("bad")
        .checksum_mode(ChecksumMode::Enabled)
        .send()
        .await
        .unwrap();
    assert!(got.body.unwrap().collect().await.is_err());
}

/// What a TLS server saw of each request: its headers and its body.
#[derive(Clone, Default)]
struct Seen(Arc<Mutex<Vec<(http::HeaderMap, Bytes)>>>);

async fn tls_server(seen: Seen, fail_first: bool) -> (H2Server, Client) {
    let certificate = TestCertificate::new();
    let server = H2Server::tls(&certificate, &[b"http/1.1"], move |request, _| {
        let seen = seen.clone();
        async move {
            let (parts, body) = request.into_parts();
            let body = body.collect().await.unwrap().to_bytes();
            let mut all = seen.0.lock().unwrap();
            all.push((parts.headers, body));
            let status = if fail_first && all.len() == 1 {
                500
            } else {
                200
            };
            hyper::Response::builder()
                .status(status)
                .body(full(""))
                .unwrap()
        }
    })
    .await;
    let http = HttpClient::builder()
        .root_certificates([certificate.der.clone()])
        .build()
        .unwrap();
    let (config, _) = test_config(&server.url());
    (server, Client::new(config.http_client(http).build()))
}

fn header<'a>(headers: &'a http::HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).map(|v| v.to_str().unwrap())
}

#[tokio::test]
async fn a_stream_over_tls_is_sent_aws_chunked_with_its_checksum_in_the_trailer() {
    let seen = Seen::default();
    let (server, s3) = tls_server(seen.clone(), false).await;
    assert!(server.url().starts_with("https://"));
    s3.put_object()
        .bucket("b")
        .key("k")
        .body(b"Hello world".to_vec())
        .send()
        .await
        .unwrap();
    let all = seen.0.lock().unwrap();
    let (headers, body) = &all[0];
    let expected = "b\r\nHello world\r\n0\r\nx-amz-checksum-crc32:i9aeUg==\r\n\r\n";
    assert_eq!(std::str::from_utf8(body).unwrap(), expected);
    assert_eq!(header(headers, "content-length"), Some("52"));
    assert_eq!(expected.len(), 52);
    assert_eq!(header(headers, "content-encoding"), Some("aws-chunked"));
    assert_eq!(
        header(headers, "x-amz-trailer"),
        Some("x-amz-checksum-crc32")
    );
    assert_eq!(header(headers, "x-amz-decoded-content-length"), Some("11"));
    assert_eq!(
        header(headers, "x-amz-sdk-checksum-algorithm"),
        Some("CRC32")
    );
    assert_eq!(
        header(headers, "x-amz-content-sha256"),
        Some("STREAMING-UNSIGNED-PAYLOAD-TRAILER")
    );
    assert_eq!(header(headers, "x-amz-checksum-crc32"), None);
    let recorded = Recorded {
        method: "PUT".into(),
        target: "/b/k".into(),
        uri: "/b/k".into(),
        headers: headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_str().unwrap().to_string()))
            .collect(),
        body: body.to_vec(),
    };
    signed(&recorded);
    let auth = header(headers, "authorization").unwrap();
    for name in [
        "content-encoding",
        "x-amz-trailer",
        "x-amz-decoded-content-length",
    ] {
        assert!(auth.contains(name), "{name} is signed: {auth}");
    }
}

#[tokio::test]
async fn a_file_is_framed_in_chunks_and_sent_again_whole_on_a_retry() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("object.bin");
    let data: Vec<u8> = (0..200_000u32).map(|i| (i % 253) as u8).collect();
    std::fs::write(&path, &data).unwrap();
    let seen = Seen::default();
    let (_server, s3) = tls_server(seen.clone(), true).await;
    s3.put_object()
        .bucket("b")
        .key("k")
        .body(s3::ByteStream::from_path(&path).await.unwrap())
        .checksum_algorithm(ChecksumAlgorithm::Crc32C)
        .send()
        .await
        .unwrap();
    let all = seen.0.lock().unwrap();
    assert_eq!(all.len(), 2, "the 500 was retried");
    for (headers, body) in all.iter() {
        assert_eq!(
            header(headers, "content-length"),
            Some(body.len().to_string().as_str())
        );
        let (decoded, trailer, sizes) = decode(body);
        assert_eq!(decoded, data);
        assert_eq!(sizes, [65536, 65536, 65536, 3392]);
        assert_eq!(
            trailer,
            format!(
                "x-amz-checksum-crc32c:{}",
                Algorithm::Crc32c.checksum(&data)
            )
        );
    }
}

/// aws-chunked read from its definition: the decoded bytes, the trailer
/// line and the chunks' sizes.
fn decode(mut wire: &[u8]) -> (Vec<u8>, String, Vec<usize>) {
    let line = |w: &[u8]| w.windows(2).position(|p| p == b"\r\n").unwrap();
    let (mut out, mut sizes) = (Vec::new(), Vec::new());
    loop {
        let end = line(wire);
        let size = usize::from_str_radix(std::str::from_utf8(&wire[..end]).unwrap(), 16).unwrap();
        wire = &wire[end + 2..];
        if size == 0 {
            let end = line(wire);
            let trailer = String::from_utf8(wire[..end].to_vec()).unwrap();
            assert_eq!(&wire[end..], b"\r\n\r\n");
            return (out, trailer, sizes);
        }
        sizes.push(size);
        out.extend_from_slice(&wire[..size]);
        assert_eq!(&wire[size..size + 2], b"\r\n");
        wire = &wire[size + 2..];
    }
}

#[tokio::test]
async fn a_stream_read_once_goes_in_its_trailer_and_is_not_retried() {
    let seen = Seen::default();
    let (_server, s3) = tls_server(seen.clone(), false).await;
    let data: Vec<u8> = (0..100_000u32).map(|i| (i % 199) as u8).collect();
    let reader = std::io::Cursor::new(data.clone());
    s3.put_object()
        .bucket("b")
        .key("k")
        .body(s3::ByteStream::from_reader(reader, data.len() as u64))
        .send()
        .await
        .unwrap();
    {
        let all = seen.0.lock().unwrap();
        let (decoded, trailer, _) = decode(&all[0].1);
        assert_eq!(decoded, data);
        assert_eq!(
            trailer,
            format!("x-amz-checksum-crc32:{}", Algorithm::Crc32.checksum(&data))
        );
    }

    // A 500: what was read is gone, so the call fails at once.
    let seen = Seen::default();
    let (_server, s3) = tls_server(seen.clone(), true).await;
    let err = s3
        .put_object()
        .bucket("b")
        .key("k")
        .body(s3::ByteStream::from_reader(
            std::io::Cursor::new(data.clone()),
            100_000,
        ))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.raw_response().map(|r| r.status()), Some(500), "{err}");
    assert_eq!(seen.0.lock().unwrap().len(), 1);

    // Over plain HTTP its checksum would be needed before sending: refused,
    // saying why, before anything is sent.
    let server = MockServer::start(|_, _| ok("")).await;
    let err = client(&server, |c| c)
        .put_object()
        .bucket("b")
        .key("k")
        .body(s3::ByteStream::from_reader(
            std::io::Cursor::new(data),
            100_000,
        ))
        .send()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("read only once"), "{err}");
    assert!(server.requests().is_empty());
}
