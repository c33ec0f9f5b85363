//! Streaming payloads and rich JSON bodies end to end, on the `streams`
//! fixture crate, against a loopback server that checks every signature:
//! uploads from bytes and from a file (sent again whole on a retry), an
//! unsigned-body upload, a download larger than the body cap (streamed,
//! not held), and a body with an enum-keyed map, a union, a document, a
//! blob, timestamps, a sparse list and an idempotency token.

use fixture_streams::operation::get_object::GetObjectError;
use fixture_streams::types::{Choice, Kind};
use fixture_streams::{ByteStream, Client, DateTime, Document, ProvideErrorMetadata, SdkError};
use sdkgen_tests::server::{MockServer, Recorded, Reply};
use sdkgen_tests::sigv4_verify::verify;
use sdkgen_tests::{test_config, SECRET_KEY};
use std::collections::HashMap;

fn client(url: &str) -> Client {
    Client::new(test_config(url).0.build())
}

fn ok() -> Reply {
    Reply::json(200, "{}").with_header("ETag", "\"abc\"")
}

fn signed(request: &Recorded) {
    verify(request, SECRET_KEY).unwrap_or_else(|e| panic!("{}: {e}", request.target));
}

#[tokio::test]
async fn uploads_from_bytes_are_signed_with_their_hash() {
    let server = MockServer::start(|_, _| ok()).await;
    let out = client(&server.url())
        .put_object()
        .key("k")
        .content_type("text/plain")
        .body(ByteStream::from(b"hello".to_vec()))
        .send()
        .await
        .unwrap();
    assert_eq!(out.e_tag(), Some("\"abc\""));
    let request = &server.requests()[0];
    assert_eq!(
        (request.method.as_str(), request.target.as_str()),
        ("PUT", "/objects/k")
    );
    assert_eq!(request.body, b"hello");
    assert_eq!(request.header("content-type"), Some("text/plain"));
    assert_eq!(request.header("content-length"), Some("5"));
    signed(request);
}

#[tokio::test]
async fn uploads_from_a_file_are_read_again_for_a_retry() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("upload.bin");
    let contents: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(&path, &contents).unwrap();
    let server = MockServer::start(|_, i| {
        if i == 0 {
            Reply::error(500, "InternalError", "try again")
        } else {
            ok()
        }
    })
    .await;
    client(&server.url())
        .put_object()
        .key("big")
        .body(ByteStream::from_path(&path).await.unwrap())
        .send()
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 2, "one retry");
    for request in &requests {
        assert_eq!(request.body.len(), contents.len());
        assert!(request.body == contents, "the whole file, each attempt");
        assert_eq!(
            request.header("content-length"),
            Some(contents.len().to_string().as_str())
        );
        assert_eq!(
            request.header("content-type"),
            Some("application/octet-stream")
        );
        signed(request);
    }
}

#[tokio::test]
async fn unsigned_body_uploads_say_so_in_a_signed_header() {
    let server = MockServer::start(|_, _| ok()).await;
    client(&server.url())
        .upload_part()
        .key("k")
        .part(3)
        .body(ByteStream::from(b"part".to_vec()))
        .send()
        .await
        .unwrap();
    let request = &server.requests()[0];
    assert_eq!(request.target, "/objects/k/parts/3");
    assert_eq!(
        request.header("x-amz-content-sha256"),
        Some("UNSIGNED-PAYLOAD")
    );
    assert_eq!(request.body, b"part");
    signed(request);
}

#[tokio::test]
async fn downloads_stream_past_the_body_cap() {
    let big = "x".repeat(100_000);
    let body = big.clone();
    let server = MockServer::start(move |_, _| Reply::Respond {
        status: 200,
        headers: vec![
            ("content-type".into(), "application/octet-stream".into()),
            (
                "last-modified".into(),
                "Tue, 29 Apr 2014 18:30:38 GMT".into(),
            ),
        ],
        body: body.clone(),
    })
    .await;
    // Far below the body's size: a streamed payload is not held whole.
    let config = test_config(&server.url())
        .0
        .max_response_bytes(1_000)
        .build();
    let out = Client::new(config)
        .get_object()
        .key("k")
        .send()
        .await
        .unwrap();
    assert_eq!(out.content_length(), Some(100_000));
    assert_eq!(out.last_modified(), Some(&DateTime::from_secs(1398796238)));
    let mut out = out;
    let stream = out.body.take().expect("a body");
    let bytes = stream.collect().await.unwrap();
    assert_eq!(bytes.len(), big.len());
    signed(&server.requests()[0]);
}

#[tokio::test]
async fn error_responses_of_a_streaming_operation_are_read_and_typed() {
    let server = MockServer::start(|_, _| Reply::error(404, "NoSuchKey", "gone")).await;
    let err = client(&server.url())
        .get_object()
        .key("missing")
        .send()
        .await
        .unwrap_err();
    match err {
        SdkError::Service {
            source: GetObjectError::NoSuchKey(e),
            ..
        } => {
            assert_eq!(e.message(), Some("gone"));
            assert_eq!(e.code(), Some("NoSuchKey"));
        }
        other => panic!("expected NoSuchKey, got {other:?}"),
    }
}

#[tokio::test]
async fn json_bodies_carry_every_kind_of_value() {
    let server = MockServer::start(|_, i| {
        if i == 0 {
            Reply::error(503, "ServiceUnavailable", "busy")
        } else {
            Reply::json(
                200,
                r#"{"Tags":{"color":"red","weight":"5"},"Choice":{"count":4},
                    "Times":[1398796238,"2014-04-29T18:30:39Z"],"Notes":["a",null,"b"]}"#,
            )
        }
    })
    .await;
    let mut meta = HashMap::new();
    meta.insert("level".to_string(), Document::from(2i64));
    let out = client(&server.url())
        .put_tags()
        .key("k")
        .tags(Kind::Color, "red")
        .tags(Kind::from("weight"), "5")
        .choice(Choice::Name("n".into()))
        .meta_value(Document::Object(meta))
        .data(b"value".to_vec())
        .times(DateTime::from_millis(1_398_796_238_500))
        .notes(Some("a".to_string()))
        .notes(None::<String>)
        .send()
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    let sent: Vec<serde_json::Value> = requests
        .iter()
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect();
    let token = sent[0]["Token"].as_str().expect("a token was filled in");
    assert_eq!(token.len(), 36);
    assert_eq!(
        sent[1]["Token"], sent[0]["Token"],
        "the same token on retry"
    );
    let body = &sent[0];
    assert_eq!(
        body["Tags"],
        serde_json::json!({"color": "red", "weight": "5"})
    );
    assert_eq!(body["Choice"], serde_json::json!({"Name": "n"}));
    assert_eq!(body["Meta"], serde_json::json!({"level": 2}));
    assert_eq!(body["Data"], "dmFsdWU=");
    assert_eq!(body["Times"], serde_json::json!([1398796238.5]));
    assert_eq!(body["Notes"], serde_json::json!(["a", null]));
    for request in &requests {
        assert_eq!(request.header("content-type"), Some("application/json"));
        signed(request);
    }

    assert_eq!(out.tags().unwrap()[&Kind::Color], "red");
    assert_eq!(out.tags().unwrap()[&Kind::from("weight")], "5");
    assert_eq!(out.choice(), Some(&Choice::Count(4)));
    assert_eq!(
        out.times(),
        [
            DateTime::from_secs(1398796238),
            DateTime::from_secs(1398796239)
        ]
    );
    assert_eq!(
        out.notes(),
        [Some("a".to_string()), None, Some("b".to_string())]
    );
}

#[tokio::test]
async fn an_unknown_union_member_is_kept_as_unknown_and_cannot_be_sent() {
    let server =
        MockServer::start(|_, _| Reply::json(200, r#"{"Choice":{"Colour":"teal"}}"#)).await;
    let client = client(&server.url());
    let out = client.put_tags().key("k").send().await.unwrap();
    let choice = out.choice().unwrap();
    assert!(choice.is_unknown(), "{choice:?}");
    let err = client
        .put_tags()
        .key("k")
        .choice(choice.clone())
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, SdkError::Build { .. }), "{err:?}");
    assert!(err.to_string().contains("Unknown"), "{err}");
    assert_eq!(server.requests().len(), 1, "the second call sent nothing");
}
