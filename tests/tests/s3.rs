//! Amazon S3 on a loopback server, as the generated `s3` crate sends it:
//! S3's SigV4 (the path signed as sent, `x-amz-content-sha256` on every
//! request), path-style addressing for an IP endpoint, XML bodies, and the
//! quirks its model does not state (a `200` that holds an error,
//! `GetBucketLocation`'s bare root, a bodiless `404`).

use s3::types::BucketLocationConstraint;
use s3::Client;
use sdkgen_runtime::error::ProvideErrorMetadata;
use sdkgen_tests::server::{MockServer, Recorded, Reply};
use sdkgen_tests::sigv4_verify::verify_s3;
use sdkgen_tests::{test_config, SECRET_KEY};

fn xml(status: u16, body: &str) -> Reply {
    Reply::Respond {
        status,
        headers: vec![
            ("content-type".into(), "application/xml".into()),
            ("x-amz-request-id".into(), "REQ1".into()),
            ("x-amz-id-2".into(), "EXT/2=".into()),
        ],
        body: body.into(),
    }
}

fn client(server: &MockServer) -> Client {
    let (config, _) = test_config(&server.url());
    Client::new(config.build())
}

/// Every request the server saw carries a valid S3 signature.
fn all_signed(requests: &[Recorded]) {
    for r in requests {
        if let Err(e) = verify_s3(r, SECRET_KEY) {
            panic!("{} {}: {e}", r.method, r.target);
        }
    }
}

#[tokio::test]
async fn objects_go_path_style_signed_as_s3_signs_them() {
    let server = MockServer::start(|r, _| match r.method.as_str() {
        "PUT" => xml(200, "").with_header("ETag", "\"abc\""),
        _ => xml(200, "hello, object").with_header("Content-Type", "text/plain"),
    })
    .await;
    let s3 = client(&server);
    // A key with what a path would encode twice, or could normalize.
    let key = "dir/a b+c%//x~y.txt";
    let put = s3
        .put_object()
        .bucket("my-bucket")
        .key(key)
        .body(b"hello, object".to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(put.e_tag(), Some("\"abc\""));
    let got = s3
        .get_object()
        .bucket("my-bucket")
        .key(key)
        .send()
        .await
        .unwrap();
    let body = got.body.unwrap().collect().await.unwrap();
    assert_eq!(&body[..], b"hello, object");

    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    all_signed(&requests);
    // The bucket leads the path (an IP endpoint is never virtual-hosted),
    // the key encoded once with its slashes, dots kept.
    assert_eq!(requests[0].path(), "/my-bucket/dir/a%20b%2Bc%25//x~y.txt");
    assert_eq!(requests[1].path(), requests[0].path());
    assert_eq!(requests[0].body, b"hello, object");
    // Even a request without a body says its (empty) payload's hash.
    assert_eq!(
        requests[1].header("x-amz-content-sha256"),
        Some("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    );
    // A key with `.` and `..` segments: `s3_addressing.rs`.
}

#[tokio::test]
async fn a_200_that_holds_an_error_is_retried_as_a_500() {
    let error = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>InternalError</Code><Message>We encountered an internal error. Please try again.</Message><RequestId>R</RequestId><HostId>H</HostId></Error>";
    let copied = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CopyObjectResult><LastModified>2026-12-04T10:00:00.000Z</LastModified><ETag>\"e1\"</ETag></CopyObjectResult>";
    let server = MockServer::start(move |_, i| {
        if i == 0 {
            xml(200, error)
        } else {
            xml(200, copied)
        }
    })
    .await;
    let out = client(&server)
        .copy_object()
        .bucket("b")
        .key("to")
        .copy_source("b/from")
        .send()
        .await
        .unwrap();
    assert_eq!(
        out.copy_object_result().and_then(|r| r.e_tag()),
        Some("\"e1\"")
    );
    let requests = server.requests();
    assert_eq!(requests.len(), 2, "the 200 error is retried once");
    all_signed(&requests);
    assert_eq!(requests[0].header("x-amz-copy-source"), Some("b/from"));

    // When every attempt says so, the caller gets the error, not an
    // empty output.
    let server = MockServer::start(move |_, _| xml(200, error)).await;
    let err = client(&server)
        .copy_object()
        .bucket("b")
        .key("to")
        .copy_source("b/from")
        .send()
        .await
        .unwrap_err();
    let service = err.as_service_error().expect("a service error");
    assert_eq!(service.code(), Some("InternalError"));
    assert_eq!(service.meta().status(), 500);
    assert_eq!(service.meta().extended_request_id(), Some("EXT/2="));
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn bucket_locations_are_read_from_the_bare_root() {
    let server = MockServer::start(|_, i| match i {
        0 => xml(200, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<LocationConstraint xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">eu-west-1</LocationConstraint>"),
        _ => xml(200, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<LocationConstraint xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"/>"),
    })
    .await;
    let s3 = client(&server);
    let eu = s3.get_bucket_location().bucket("b").send().await.unwrap();
    assert_eq!(
        eu.location_constraint(),
        Some(&BucketLocationConstraint::EuWest1)
    );
    // us-east-1 answers an empty root: no constraint.
    let us = s3.get_bucket_location().bucket("b").send().await.unwrap();
    assert_eq!(us.location_constraint(), None);
    all_signed(&server.requests());
}

#[tokio::test]
async fn a_bodiless_404_says_not_found() {
    let server = MockServer::start(|_, _| Reply::Respond {
        status: 404,
        headers: vec![("x-amz-request-id".into(), "R404".into())],
        body: String::new(),
    })
    .await;
    let err = client(&server)
        .head_object()
        .bucket("b")
        .key("missing")
        .send()
        .await
        .unwrap_err();
    let service = err.as_service_error().expect("a service error");
    assert_eq!(
        (service.code(), service.message(), service.request_id()),
        (Some("404"), Some("Not Found"), Some("R404"))
    );
    assert!(service.is_not_found());

    // The modeled NoSuchKey answers the same question the same way.
    let server = MockServer::start(|_, _| {
        xml(
            404,
            "<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>",
        )
    })
    .await;
    let err = client(&server)
        .get_object()
        .bucket("b")
        .key("missing")
        .send()
        .await
        .unwrap_err();
    let service = err.as_service_error().expect("a service error");
    assert!(service.is_no_such_key() && service.is_not_found());
    let built = s3::operation::get_object::GetObjectError::NoSuchKey(
        s3::types::error::NoSuchKey::builder().build(),
    );
    assert!(
        built.is_not_found(),
        "a test double's NoSuchKey is not found too"
    );
}

#[tokio::test]
async fn listings_read_their_flattened_contents() {
    let page = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>b</Name><Prefix></Prefix><KeyCount>2</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated><Contents><Key>a.txt</Key><LastModified>2026-12-04T10:00:00.000Z</LastModified><ETag>&quot;1&quot;</ETag><Size>5</Size><StorageClass>STANDARD</StorageClass></Contents><Contents><Key>b &amp; c.txt</Key><LastModified>2026-12-04T10:00:01.000Z</LastModified><ETag>&quot;2&quot;</ETag><Size>7</Size><StorageClass>STANDARD</StorageClass></Contents></ListBucketResult>";
    let server = MockServer::start(move |_, _| xml(200, page)).await;
    let out = client(&server)
        .list_objects_v2()
        .bucket("b")
        .prefix("a b")
        .send()
        .await
        .unwrap();
    let keys: Vec<&str> = out.contents().iter().filter_map(|o| o.key()).collect();
    assert_eq!(keys, ["a.txt", "b & c.txt"]);
    assert_eq!(out.key_count(), Some(2));
    assert_eq!(out.is_truncated(), Some(false));
    assert_eq!(out.contents()[1].size(), Some(7));
    let requests = server.requests();
    all_signed(&requests);
    assert!(
        requests[0].target.starts_with("/b?list-type=2"),
        "{}",
        requests[0].target
    );
}

#[tokio::test]
async fn object_waiters_poll_head_object_until_it_answers() {
    // Not there, not there, there: ObjectExists retries on the 404 and
    // succeeds on the 200; ObjectNotExists succeeds on a 404 at once.
    let server = MockServer::start(|_, i| match i {
        0 | 1 => Reply::Respond {
            status: 404,
            headers: vec![],
            body: String::new(),
        },
        _ => xml(200, "").with_header("Content-Length", "0"),
    })
    .await;
    let (config, sleep) = test_config(&server.url());
    let s3 = Client::new(config.build());
    let done = s3
        .wait_until_object_exists()
        .bucket("b")
        .key("k")
        .wait(std::time::Duration::from_secs(300))
        .await
        .unwrap();
    assert!(done.output().is_some());
    assert_eq!(server.requests().len(), 3);
    assert!(server.requests().iter().all(|r| r.method == "HEAD"));
    // Two waits between three polls, from the waiter's 5 s minimum up.
    let waits = sleep.waits();
    assert_eq!(waits.len(), 2, "{waits:?}");
    assert!(waits.iter().all(|w| w.as_secs() >= 5), "{waits:?}");
    all_signed(&server.requests());

    let server = MockServer::start(|_, _| Reply::Respond {
        status: 404,
        headers: vec![],
        body: String::new(),
    })
    .await;
    let gone = client(&server)
        .wait_until_object_not_exists()
        .bucket("b")
        .key("k")
        .wait(std::time::Duration::from_secs(300))
        .await
        .unwrap();
    assert!(gone.output().is_none(), "ended on the error, not an output");
    assert_eq!(server.requests().len(), 1);
}
