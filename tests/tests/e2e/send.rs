//! GetProxySession end to end against a loopback server that checks every
//! signature independently: success, errors, retries, quota, timeouts,
//! connection failures, redirects and adversarial labels.
#![allow(deprecated)]

use crate::transport::{test_config, REQWEST};
use chime_sdk_voice::operation::get_proxy_session::GetProxySessionError;
use chime_sdk_voice::{Client, ProvideErrorMetadata, RetryConfig, SdkError, TimeoutConfig};
use sdkgen_runtime::error::{DispatchErrorKind, TimeoutKind};
use sdkgen_tests::server::{closed_port_url, MockServer, Recorded, Reply};
use sdkgen_tests::sigv4_verify::verify;
use sdkgen_tests::{decoded_segments, SECRET_KEY};
use std::time::Duration;

const BODY: &str = r#"{"ProxySession":{"VoiceConnectorId":"vc1","ProxySessionId":"ps1","Status":"Open","CreatedTimestamp":"2024-01-02T03:04:05Z"}}"#;

fn client(server_url: &str) -> Client {
    Client::new(test_config(server_url).0.build())
}

async fn get(
    client: &Client,
    connector: &str,
    session: &str,
) -> Result<
    chime_sdk_voice::operation::get_proxy_session::GetProxySessionOutput,
    SdkError<GetProxySessionError>,
> {
    client
        .get_proxy_session()
        .voice_connector_id(connector)
        .proxy_session_id(session)
        .send()
        .await
}

/// `amz-sdk-request` of a retry without its `ttl`, once the `ttl` is
/// checked to be a SigV4 basic timestamp (`20240102T030405Z`).
fn retry_header(request: &Recorded) -> &str {
    let header = request.header("amz-sdk-request").expect("amz-sdk-request");
    let (ttl, rest) = header
        .strip_prefix("ttl=")
        .and_then(|r| r.split_once("; "))
        .unwrap_or_else(|| panic!("no ttl: {header}"));
    assert!(
        ttl.len() == 16 && &ttl[8..9] == "T" && ttl.ends_with('Z'),
        "{header}"
    );
    rest
}

/// Every request the server saw carries a valid signature.
fn assert_all_signed(requests: &[Recorded]) {
    for request in requests {
        let auth =
            verify(request, SECRET_KEY).unwrap_or_else(|e| panic!("{}: {e}", request.target));
        assert_eq!(
            (auth.region.as_str(), auth.service.as_str()),
            ("us-east-1", "chime")
        );
    }
}

#[tokio::test]
async fn success_is_signed_and_parsed() {
    let server = MockServer::start(|_, _| Reply::json(200, BODY)).await;
    let out = get(&client(&server.url()), "vc1", "ps1").await.unwrap();
    let session = out.proxy_session().unwrap();
    assert_eq!(session.proxy_session_id(), Some("ps1"));
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method, "GET");
    assert_eq!(request.target, "/voice-connectors/vc1/proxy-sessions/ps1");
    assert_all_signed(&requests);
    assert_eq!(request.header("amz-sdk-request"), Some("attempt=1; max=3"));
    assert_eq!(
        request.header("amz-sdk-invocation-id").map(str::len),
        Some(36)
    );
    let ua = request.header("user-agent").unwrap();
    assert!(
        ua.starts_with("sdkgen-rust/") && ua.contains("api/chime-sdk-voice#"),
        "{ua}"
    );
    assert_eq!(request.header("x-amz-user-agent"), Some(ua));
    assert!(request.header("x-amz-security-token").is_none());
}

#[tokio::test]
async fn session_tokens_are_sent_and_signed() {
    let server = MockServer::start(|_, _| Reply::json(200, BODY)).await;
    let config = test_config(&server.url())
        .0
        .credentials_provider(chime_sdk_voice::Credentials::new(
            "AKID",
            SECRET_KEY,
            Some("the-token".into()),
            None,
        ))
        .build();
    get(&Client::new(config), "vc1", "ps1").await.unwrap();
    let request = &server.requests()[0];
    assert_eq!(request.header("x-amz-security-token"), Some("the-token"));
    let auth = verify(request, SECRET_KEY).unwrap();
    assert!(auth
        .signed_headers
        .contains(&"x-amz-security-token".to_string()));
}

#[tokio::test]
async fn each_modeled_error_is_typed() {
    let cases = [
        ("UnauthorizedClientException", 401),
        ("NotFoundException", 404),
        ("ForbiddenException", 403),
        ("BadRequestException", 400),
        ("ThrottledClientException", 429),
        ("ServiceUnavailableException", 503),
        ("ServiceFailureException", 500),
    ];
    for (code, status) in cases {
        let server = MockServer::start(move |_, _| Reply::error(status, code, "nope")).await;
        let config = test_config(&server.url())
            .0
            .retry_config(RetryConfig::disabled())
            .build();
        let err = get(&Client::new(config), "vc1", "ps1").await.unwrap_err();
        let text = err.to_string();
        assert_eq!(
            text,
            format!(
                "GetProxySession failed: {code}: nope (HTTP {status}, request id test-request-id)"
            )
        );
        let service = err.into_service_error().unwrap();
        assert_eq!((service.code(), service.status()), (Some(code), status));
        assert!(
            !matches!(service, GetProxySessionError::Unhandled(_)),
            "{code}"
        );
        assert_all_signed(&server.requests());
    }
}

#[tokio::test]
async fn an_unmodeled_error_keeps_everything() {
    let server = MockServer::start(|_, _| Reply::error(409, "ConflictException", "busy")).await;
    let err = get(&client(&server.url()), "vc1", "ps1").await.unwrap_err();
    let service = err.as_service_error().unwrap();
    assert!(matches!(service, GetProxySessionError::Unhandled(_)));
    assert_eq!(service.message(), Some("busy"));
    assert_eq!(
        server.requests().len(),
        1,
        "a client error is never retried"
    );
}

#[tokio::test]
async fn throttling_then_success_is_one_successful_call() {
    let server = MockServer::start(|_, i| {
        if i == 0 {
            Reply::error(429, "TooManyRequests", "slow down")
        } else {
            Reply::json(200, BODY)
        }
    })
    .await;
    let (builder, sleep) = test_config(&server.url());
    get(&Client::new(builder.build()), "vc1", "ps1")
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_all_signed(&requests);
    // A retry after a response with a `Date` carries botocore's `ttl`.
    assert_eq!(retry_header(&requests[1]), "attempt=2; max=3");
    assert_eq!(
        requests[0].header("amz-sdk-invocation-id"),
        requests[1].header("amz-sdk-invocation-id")
    );
    // Throttling backs off from 1 s: 0.5 (jitter) * 1 s.
    assert_eq!(sleep.waits(), vec![Duration::from_millis(500)]);
}

#[tokio::test]
async fn throttled_client_exception_is_retried() {
    let server = MockServer::start(|_, i| {
        if i == 0 {
            Reply::error(400, "ThrottledClientException", "slow")
        } else {
            Reply::json(200, BODY)
        }
    })
    .await;
    get(&client(&server.url()), "vc1", "ps1").await.unwrap();
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let server = MockServer::start(|_, i| {
        if i == 0 {
            Reply::error(503, "ServiceUnavailableException", "later")
                .with_header("x-amz-retry-after", "1500")
        } else {
            Reply::json(200, BODY)
        }
    })
    .await;
    let (builder, sleep) = test_config(&server.url());
    get(&Client::new(builder.build()), "vc1", "ps1")
        .await
        .unwrap();
    assert_eq!(sleep.waits(), vec![Duration::from_millis(1500)]);
}

#[tokio::test]
async fn a_503_is_tried_exactly_three_times() {
    let server =
        MockServer::start(|_, _| Reply::error(503, "ServiceUnavailableException", "down")).await;
    let (builder, sleep) = test_config(&server.url());
    let err = get(&Client::new(builder.build()), "vc1", "ps1")
        .await
        .unwrap_err();
    assert!(err
        .as_service_error()
        .is_some_and(|e| matches!(e, GetProxySessionError::ServiceUnavailableException(_))));
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    // A retry after a response with a `Date` carries botocore's `ttl`.
    assert_eq!(retry_header(&requests[2]), "attempt=3; max=3");
    assert_all_signed(&requests);
    // Transient failures back off from 50 ms: 0.5 * 50 ms, then 0.5 * 100 ms.
    assert_eq!(
        sleep.waits(),
        vec![Duration::from_millis(25), Duration::from_millis(50)]
    );
}

#[tokio::test]
async fn max_attempts_is_configurable() {
    let server = MockServer::start(|_, _| Reply::error(500, "InternalError", "oops")).await;
    let config = test_config(&server.url())
        .0
        .retry_config(RetryConfig::standard().with_max_attempts(5))
        .build();
    get(&Client::new(config), "vc1", "ps1").await.unwrap_err();
    assert_eq!(server.requests().len(), 5);
}

#[tokio::test]
async fn an_exhausted_retry_quota_stops_retries() {
    let server = MockServer::start(|_, _| Reply::error(500, "InternalError", "oops")).await;
    let client = client(&server.url());
    let mut calls = 0;
    loop {
        let before = server.requests().len();
        get(&client, "vc1", "ps1").await.unwrap_err();
        calls += 1;
        if server.requests().len() - before == 1 {
            break;
        }
        assert!(calls < 40, "the quota never ran out");
    }
    // 500 tokens at 14 per retry, 2 retries per failing call.
    assert_eq!(calls, 19);
    // Still exhausted: the next call is tried once.
    let before = server.requests().len();
    get(&client, "vc1", "ps1").await.unwrap_err();
    assert_eq!(server.requests().len() - before, 1);
}

#[tokio::test]
async fn connection_refused_is_a_dispatch_error_after_retries() {
    let url = closed_port_url().await;
    let (builder, sleep) = test_config(&url);
    let err = get(&Client::new(builder.build()), "vc1", "ps1")
        .await
        .unwrap_err();
    match &err {
        SdkError::Dispatch { source, .. } => {
            assert_eq!(source.kind(), DispatchErrorKind::Connect);
            assert_eq!(source.attempts(), 3);
        }
        other => panic!("expected a dispatch error, got {other:?}"),
    }
    assert_eq!(sleep.waits().len(), 2, "connection failures are retried");
    let text = err.to_string();
    assert!(
        text.starts_with("GetProxySession: cannot connect"),
        "{text}"
    );
    assert!(!text.contains('\n'));
}

#[tokio::test]
async fn a_server_that_never_answers_times_out() {
    let server = MockServer::start(|_, _| Reply::Hang).await;
    let timeouts = TimeoutConfig::default().with_attempt(Some(Duration::from_millis(200)));
    let config = test_config(&server.url())
        .0
        .timeout_config(timeouts)
        .retry_config(RetryConfig::standard().with_max_attempts(2))
        .build();
    let err = get(&Client::new(config), "vc1", "ps1").await.unwrap_err();
    match &err {
        SdkError::Timeout { source, .. } => {
            assert_eq!(source.kind(), TimeoutKind::Attempt);
            assert_eq!(source.attempts(), 2);
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert_eq!(server.requests().len(), 2, "timeouts are retried");

    let timeouts = TimeoutConfig::default().with_operation(Some(Duration::from_millis(300)));
    let config = test_config(&server.url())
        .0
        .timeout_config(timeouts)
        .build();
    let err = get(&Client::new(config), "vc1", "ps1").await.unwrap_err();
    assert!(
        matches!(&err, SdkError::Timeout { source, .. } if source.kind() == TimeoutKind::Operation),
        "{err:?}"
    );
}

#[tokio::test]
async fn malformed_json_is_a_response_error() {
    let server = MockServer::start(|_, _| Reply::json(200, "{\"ProxySession\": {")).await;
    let err = get(&client(&server.url()), "vc1", "ps1").await.unwrap_err();
    match err {
        SdkError::Response { source, .. } => {
            assert_eq!(source.request_id(), Some("test-request-id"))
        }
        other => panic!("expected a response error, got {other:?}"),
    }
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn redirects_are_not_followed() {
    let server = MockServer::start(|_, _| Reply::Respond {
        status: 301,
        headers: vec![("location".into(), "/elsewhere".into())],
        body: String::new(),
    })
    .await;
    let err = get(&client(&server.url()), "vc1", "ps1").await.unwrap_err();
    let service = err.as_service_error().expect("a 301 is an error response");
    assert_eq!(service.status(), 301);
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn adversarial_labels_arrive_as_one_segment_each() {
    let server = MockServer::start(|_, _| Reply::json(200, BODY)).await;
    let client = client(&server.url());
    let labels = [
        "a/b", ".", "..", "a b", "100%", "a+b", "a?b", "a#b", "日本", "é", "../../x", "%2F",
    ];
    // reqwest's URL type would send `.` and `..` (even as `%2E`) to
    // another path: that transport refuses them, saying why.
    let refused = |label: &str| REQWEST && (label == "." || label == "..");
    for label in labels {
        match get(&client, label, label).await {
            Ok(_) => assert!(!refused(label), "{label:?} was sent"),
            Err(e) if refused(label) => {
                assert!(!e.was_sent(), "{e:?}");
                let text = e.to_string();
                assert!(
                    text.starts_with("GetProxySession: request not sent: GET ")
                        && text.contains("which reqwest would resolve as a dot segment"),
                    "{text}"
                );
            }
            Err(e) => panic!("{label:?}: {e}"),
        }
    }
    let labels: Vec<&str> = labels.into_iter().filter(|l| !refused(l)).collect();
    let requests = server.requests();
    assert_eq!(requests.len(), labels.len());
    assert_all_signed(&requests);
    for (request, label) in requests.iter().zip(labels) {
        assert!(
            !request.target.contains('?'),
            "{label:?}: {}",
            request.target
        );
        let segments = decoded_segments(request.path());
        assert_eq!(
            segments,
            ["voice-connectors", label, "proxy-sessions", label],
            "{label:?}: {}",
            request.target
        );
    }
}

#[tokio::test]
async fn an_empty_label_fails_before_any_request() {
    let server = MockServer::start(|_, _| Reply::json(200, BODY)).await;
    let err = get(&client(&server.url()), "", "ps1").await.unwrap_err();
    match &err {
        SdkError::Build { source, .. } => assert_eq!(source.member(), Some("VoiceConnectorId")),
        other => panic!("expected a build error, got {other:?}"),
    }
    assert_eq!(err.to_string(), "GetProxySession: request not sent: VoiceConnectorId is invalid: a URI label must not be empty");
    let err = client(&server.url())
        .get_proxy_session()
        .proxy_session_id("ps1")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, SdkError::Build { .. }));
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn no_region_is_an_error_before_any_request() {
    let server = MockServer::start(|_, _| Reply::json(200, BODY)).await;
    let config = chime_sdk_voice::Config::builder()
        .endpoint_url(server.url())
        .credentials_provider(chime_sdk_voice::Credentials::new(
            "AKID", SECRET_KEY, None, None,
        ))
        .build();
    let err = get(&Client::new(config), "vc1", "ps1").await.unwrap_err();
    assert!(err.to_string().contains("no region"), "{err}");
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn an_oversized_body_is_an_error_not_an_allocation() {
    let big = format!("{{\"x\":\"{}\"}}", "a".repeat(4096));
    let server = MockServer::start(move |_, _| Reply::json(200, &big)).await;
    let config = test_config(&server.url())
        .0
        .max_response_bytes(1024)
        .build();
    let err = get(&Client::new(config), "vc1", "ps1").await.unwrap_err();
    assert!(
        matches!(&err, SdkError::Dispatch { source, .. } if source.kind() == DispatchErrorKind::BodyTooLarge),
        "{err:?}"
    );
    assert_eq!(
        server.requests().len(),
        1,
        "an oversized body is not retried"
    );
}

#[tokio::test]
async fn a_json_body_and_query_parameters_are_signed() {
    use fixture_bodies::types::Color;
    let server = MockServer::start(|_, _| Reply::json(200, r#"{"Name":"gear"}"#)).await;
    let client = fixture_bodies::Client::new(test_config(&server.url()).0.build());
    let output = client
        .update_widget()
        .widget_id("w1")
        .max_results(5)
        .fields("a b")
        .color(Color::Red)
        .name("gear")
        .attributes("k", "v")
        .send()
        .await
        .unwrap();
    assert_eq!(output.name(), Some("gear"));
    let request = &server.requests()[0];
    assert_eq!(request.method, "PUT");
    assert_eq!(
        request.target,
        "/widgets/w1?mode=full&max-results=5&field=a%20b&color=red"
    );
    let body: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"Name": "gear", "Attributes": {"k": "v"}})
    );
    assert_eq!(request.header("content-type"), Some("application/json"));
    let auth = verify(request, SECRET_KEY).unwrap();
    assert_eq!(auth.service, "fixture");
    assert!(auth.signed_headers.contains(&"content-type".to_string()));
}
