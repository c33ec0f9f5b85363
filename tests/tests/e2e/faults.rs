//! Broken networks and hostile servers: each fault gives its documented
//! error kind within its timeout, is retried only where sending again is
//! safe, and leaves the client usable for the next call.
#![allow(deprecated)]

use crate::transport::test_config;
use chime_sdk_voice::operation::get_proxy_session::{GetProxySessionError, GetProxySessionOutput};
use chime_sdk_voice::{Client, RetryConfig, SdkError, TimeoutConfig};
use sdkgen_runtime::error::{DispatchErrorKind, TimeoutKind};
use sdkgen_tests::faults::{head_and_body, ok_response, Fault, FaultServer};
use sdkgen_tests::server::{MockServer, Reply};
use std::time::Duration;

const BODY: &str = r#"{"ProxySession":{"ProxySessionId":"ps1"}}"#;

async fn get(client: &Client) -> Result<GetProxySessionOutput, SdkError<GetProxySessionError>> {
    client
        .get_proxy_session()
        .voice_connector_id("vc1")
        .proxy_session_id("ps1")
        .send()
        .await
}

/// A client with a 500 ms attempt timeout and `attempts` attempts.
fn client(url: &str, attempts: u32) -> Client {
    let timeouts = TimeoutConfig::default().with_attempt(Some(Duration::from_millis(500)));
    Client::new(
        test_config(url)
            .0
            .timeout_config(timeouts)
            .retry_config(RetryConfig::standard().with_max_attempts(attempts))
            .build(),
    )
}

fn dispatch_kind(err: &SdkError<GetProxySessionError>) -> Option<DispatchErrorKind> {
    match err {
        SdkError::Dispatch { source, .. } => Some(source.kind()),
        _ => None,
    }
}

#[tokio::test]
async fn a_reset_mid_body_is_an_io_error_retried_then_recovered() {
    let server = FaultServer::start(|i| {
        if i < 2 {
            Fault::SendThenReset(head_and_body(500, "{\"Proxy"))
        } else {
            Fault::Send(ok_response(BODY))
        }
    })
    .await;
    let client = client(&server.url, 2);
    let err = get(&client).await.unwrap_err();
    assert_eq!(dispatch_kind(&err), Some(DispatchErrorKind::Io), "{err:?}");
    assert_eq!(
        server.connections(),
        2,
        "an I/O failure of a GET is retried"
    );
    get(&client).await.expect("the client still works");
}

#[tokio::test]
async fn a_truncated_body_or_a_lying_length_is_an_io_error() {
    let server = FaultServer::start(|i| match i {
        0 => Fault::Send(head_and_body(200, "{\"ProxySession\":")),
        _ => Fault::Send(ok_response(BODY)),
    })
    .await;
    let client = client(&server.url, 1);
    let err = get(&client).await.unwrap_err();
    assert_eq!(dispatch_kind(&err), Some(DispatchErrorKind::Io), "{err:?}");
    get(&client).await.expect("the client still works");
}

#[tokio::test]
async fn a_length_shorter_than_the_body_cuts_the_json() {
    let server = FaultServer::start(|i| match i {
        0 => Fault::Send(head_and_body(10, BODY)),
        _ => Fault::Send(ok_response(BODY)),
    })
    .await;
    let client = client(&server.url, 1);
    let err = get(&client).await.unwrap_err();
    assert!(matches!(err, SdkError::Response { .. }), "{err:?}");
    get(&client)
        .await
        .expect("the extra bytes do not poison the next call");
}

#[tokio::test]
async fn a_server_that_stalls_after_the_headers_times_out() {
    let server = FaultServer::start(|i| {
        if i < 2 {
            Fault::SendThenStall(head_and_body(100, "{"))
        } else {
            Fault::Send(ok_response(BODY))
        }
    })
    .await;
    let client = client(&server.url, 2);
    let err = get(&client).await.unwrap_err();
    assert!(
        matches!(&err, SdkError::Timeout { source, .. } if source.kind() == TimeoutKind::Attempt),
        "{err:?}"
    );
    assert_eq!(server.connections(), 2, "timeouts are retried");
    get(&client).await.expect("the client still works");
}

#[tokio::test]
async fn a_slow_drip_hits_the_attempt_timeout() {
    let server = FaultServer::start(|i| {
        if i == 0 {
            Fault::Drip(ok_response(BODY), Duration::from_millis(50))
        } else {
            Fault::Send(ok_response(BODY))
        }
    })
    .await;
    let client = client(&server.url, 1);
    let err = get(&client).await.unwrap_err();
    assert!(
        matches!(&err, SdkError::Timeout { source, .. } if source.kind() == TimeoutKind::Attempt),
        "{err:?}"
    );
    get(&client).await.expect("the client still works");
}

#[tokio::test]
async fn an_oversized_body_is_not_retried() {
    let big = format!("{{\"x\":\"{}\"}}", "a".repeat(10_000));
    let server = FaultServer::start(move |_| Fault::Send(ok_response(&big))).await;
    let config = test_config(&server.url).0.max_response_bytes(1000).build();
    let err = get(&Client::new(config)).await.unwrap_err();
    assert_eq!(dispatch_kind(&err), Some(DispatchErrorKind::BodyTooLarge));
    assert_eq!(server.connections(), 1);
}

#[tokio::test]
async fn tls_to_a_plain_http_port_is_a_connect_error() {
    let server = MockServer::start(|_, _| Reply::json(200, BODY)).await;
    let https = server.url().replace("http://", "https://");
    let err = get(&client(&https, 2)).await.unwrap_err();
    assert_eq!(
        dispatch_kind(&err),
        Some(DispatchErrorKind::Connect),
        "{err:?}"
    );
    let text = err.to_string();
    assert!(
        text.starts_with("GetProxySession: cannot connect"),
        "{text}"
    );
    // The same client goes on working against a sane endpoint.
    let plain = client(&server.url(), 1);
    get(&plain).await.unwrap();
}

#[tokio::test]
async fn an_unresolvable_host_is_a_connect_error() {
    // `a..invalid` is refused by the resolver itself: no query leaves the
    // machine.
    let err = get(&client("http://a..invalid:8080", 2)).await.unwrap_err();
    assert_eq!(
        dispatch_kind(&err),
        Some(DispatchErrorKind::Connect),
        "{err:?}"
    );
    match &err {
        SdkError::Dispatch { source, .. } => {
            assert_eq!(source.attempts(), 2, "a failed connection is retried")
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn garbage_instead_of_http_is_an_error_not_a_panic() {
    let server = FaultServer::start(|i| match i {
        0 => Fault::Send(b"SSH-2.0-OpenSSH_9.0\r\n\r\n".to_vec()),
        1 => Fault::Send(b"HTTP/1.1 999 \xff\xfe\r\n\r\n".to_vec()),
        _ => Fault::Send(ok_response(BODY)),
    })
    .await;
    let client = client(&server.url, 1);
    assert!(get(&client).await.is_err());
    assert!(get(&client).await.is_err());
    get(&client).await.expect("the client still works");
}
