//! A smithy-rpc-v2-cbor crate (the one generated from botocore's suites,
//! whose service speaks only that protocol) against a loopback server that
//! checks every signature: the request's path, headers and CBOR body, a
//! CBOR answer read into the output, and a CBOR error read into the typed
//! error with its code, message and request id.

use protocol_tests_smithy_rpc_v2_cbor as service;
use sdkgen_runtime::cbor::{self, CborWriter, Reader};
use sdkgen_runtime::error::{ProvideErrorMetadata, WireError};
use sdkgen_runtime::{Blob, RetryConfig};
use sdkgen_tests::server::{MockServer, Recorded, Reply};
use sdkgen_tests::sigv4_verify::verify;
use sdkgen_tests::{test_config, SECRET_KEY};
use service::operation::greeting_with_errors::GreetingWithErrorsError;

fn client(url: &str) -> service::Client {
    service::Client::new(
        test_config(url)
            .0
            .retry_config(RetryConfig::standard().with_max_attempts(1))
            .build(),
    )
}

/// A CBOR answer.
fn reply(status: u16, body: Vec<u8>) -> Reply {
    Reply::Binary {
        status,
        headers: vec![
            ("content-type".into(), "application/cbor".into()),
            ("smithy-protocol".into(), "rpc-v2-cbor".into()),
            ("x-amzn-requestid".into(), "cbor-request".into()),
        ],
        body,
    }
}

/// A CBOR map of text and integer members, written with definite lengths
/// by hand (the client writes indefinite ones): both must be read.
fn definite_map(members: &[(&str, Result<&str, u8>)]) -> Vec<u8> {
    let mut out = vec![0xa0 | members.len() as u8];
    let text = |out: &mut Vec<u8>, s: &str| {
        out.push(0x60 | s.len() as u8);
        out.extend_from_slice(s.as_bytes());
    };
    for (key, value) in members {
        text(&mut out, key);
        match value {
            Ok(s) => text(&mut out, s),
            Err(n) => out.extend_from_slice(&[0x18, *n]),
        }
    }
    out
}

/// The members of a request body, as (key, value) in the order sent.
fn members(body: &[u8]) -> Result<Vec<(String, String)>, WireError> {
    let mut out = Vec::new();
    cbor::read_object(body, |key, r: &mut Reader<'_>| {
        let value = match key {
            "stringValue" => cbor::string(r)?,
            "integerValue" => cbor::integer(r)?.to_string(),
            "blobValue" => format!("{:?}", cbor::blob(r)?.as_bytes()),
            other => return Err(WireError::new(format!("unexpected member {other}"))),
        };
        out.push((key.to_string(), value));
        Ok(())
    })?;
    Ok(out)
}

fn assert_frame(request: &Recorded, operation: &str) {
    verify(request, SECRET_KEY).unwrap_or_else(|e| panic!("{}: {e}", request.target));
    assert_eq!(request.method, "POST");
    assert_eq!(
        request.path(),
        format!("/service/RpcV2Protocol/operation/{operation}")
    );
    assert_eq!(request.header("smithy-protocol"), Some("rpc-v2-cbor"));
    assert_eq!(request.header("accept"), Some("application/cbor"));
    assert_eq!(request.header("x-amz-target"), None);
}

#[tokio::test]
async fn a_request_is_a_cbor_map_and_the_answer_is_read_from_one() {
    let answer = definite_map(&[
        ("stringValue", Ok("back")),
        ("integerValue", Err(42)),
        ("extra", Ok("skipped")),
    ]);
    let server = MockServer::start(move |_, _| reply(200, answer.clone())).await;
    let out = client(&server.url())
        .simple_scalar_properties()
        .string_value("hi")
        .integer_value(7)
        .blob_value(Blob::from(vec![0u8, 255]))
        .send()
        .await
        .unwrap();
    assert_eq!(out.string_value.as_deref(), Some("back"));
    assert_eq!(out.integer_value, Some(42));
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_frame(request, "SimpleScalarProperties");
    assert_eq!(request.header("content-type"), Some("application/cbor"));
    let mut sent = members(&request.body).unwrap();
    sent.sort();
    assert_eq!(
        sent,
        [
            ("blobValue".to_string(), "[0, 255]".to_string()),
            ("integerValue".to_string(), "7".to_string()),
            ("stringValue".to_string(), "hi".to_string()),
        ]
    );
}

#[tokio::test]
async fn an_operation_without_input_sends_no_body() {
    let server = MockServer::start(|_, _| reply(200, Vec::new())).await;
    client(&server.url())
        .no_input_output()
        .send()
        .await
        .unwrap();
    let request = &server.requests()[0];
    assert_frame(request, "NoInputOutput");
    assert!(request.body.is_empty());
    assert_eq!(request.header("content-type"), None);
}

#[tokio::test]
async fn an_error_is_typed_by_its_type_with_code_message_and_request_id() {
    let mut w = CborWriter::new();
    w.begin_object();
    w.key("__type");
    w.string("smithy.protocoltests.rpcv2Cbor#InvalidGreeting");
    w.key("Message");
    w.string("Hi");
    w.end_object();
    let body = w.finish();
    let server = MockServer::start(move |_, _| reply(400, body.clone())).await;
    let err = client(&server.url())
        .greeting_with_errors()
        .send()
        .await
        .unwrap_err()
        .into_service_error()
        .unwrap();
    assert_eq!(err.code(), Some("InvalidGreeting"));
    assert_eq!(err.message(), Some("Hi"));
    assert_eq!(err.request_id(), Some("cbor-request"));
    match err {
        GreetingWithErrorsError::InvalidGreeting(e) => assert_eq!(e.message(), Some("Hi")),
        other => panic!("not InvalidGreeting: {other:?}"),
    }
    assert_frame(&server.requests()[0], "GreetingWithErrors");
}

#[tokio::test]
async fn an_error_body_that_is_not_cbor_keeps_the_status_as_its_code() {
    let server = MockServer::start(|_, _| reply(418, b"\xff not cbor".to_vec())).await;
    let err = client(&server.url())
        .greeting_with_errors()
        .send()
        .await
        .unwrap_err()
        .into_service_error()
        .unwrap();
    assert_eq!(err.code(), Some("418"));
    assert_eq!(err.request_id(), Some("cbor-request"));
    assert!(
        !matches!(
            err,
            GreetingWithErrorsError::InvalidGreeting(_) | GreetingWithErrorsError::ComplexError(_)
        ),
        "{err:?}"
    );
}
