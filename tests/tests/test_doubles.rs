//! The `test-util` feature as a user's tests use it: code that calls
//! GetProxySession, tested with rules and with a replay transport, and no
//! network.
#![allow(deprecated)] // the model deprecates GetProxySession

use std::time::Duration;

use chime_sdk_voice::config::{RetryConfig, TimeoutConfig};
use chime_sdk_voice::error::{DispatchErrorKind, ErrorMetadata, SdkError, TimeoutKind};
use chime_sdk_voice::operation::get_proxy_session::{
    GetProxySession, GetProxySessionError, GetProxySessionOutput,
};
use chime_sdk_voice::test_util::{Mocks, ReplayEvent, ReplayTransport, Rule};
use chime_sdk_voice::types::error::{NotFoundException, ThrottledClientException};
use chime_sdk_voice::types::ProxySession;
use chime_sdk_voice::{Client, Config, Credentials, ProvideErrorMetadata};

/// The user's code under test.
async fn session_name(
    client: &Client,
    session: &str,
) -> Result<Option<String>, SdkError<GetProxySessionError>> {
    let output = client
        .get_proxy_session()
        .voice_connector_id("vc")
        .proxy_session_id(session)
        .send()
        .await?;
    Ok(output
        .proxy_session()
        .and_then(|s| s.name())
        .map(str::to_string))
}

fn named(name: &'static str) -> impl Fn() -> GetProxySessionOutput + Send + Sync {
    move || {
        GetProxySessionOutput::builder()
            .proxy_session(ProxySession::builder().name(name).build())
            .build()
    }
}

fn client(mocks: Mocks) -> Client {
    Client::new(mocks.config().build())
}

#[tokio::test]
async fn rules_answer_by_input_and_count_their_calls() {
    let support = Rule::<GetProxySession>::new()
        .when(|input| input.proxy_session_id() == Some("support"))
        .then_output(named("support-line"));
    let other = Rule::<GetProxySession>::new().then_output(named("other"));
    let client = client(Mocks::new().rule(&support).rule(&other));
    assert_eq!(
        session_name(&client, "support").await.unwrap().as_deref(),
        Some("support-line")
    );
    assert_eq!(
        session_name(&client, "x").await.unwrap().as_deref(),
        Some("other")
    );
    assert_eq!(
        session_name(&client, "y").await.unwrap().as_deref(),
        Some("other")
    );
    assert_eq!((support.calls(), other.calls()), (1, 2));
}

#[tokio::test]
async fn a_throttle_then_success_is_retried_as_on_the_wire() {
    let rule = Rule::<GetProxySession>::new()
        .then_error(|| {
            GetProxySessionError::ThrottledClientException(
                ThrottledClientException::builder().build(),
            )
        })
        .times(2)
        .then_output(named("after-throttling"));
    let client = client(Mocks::new().rule(&rule));
    let name = session_name(&client, "ps").await.unwrap();
    assert_eq!(name.as_deref(), Some("after-throttling"));
    assert_eq!(rule.calls(), 3, "two throttles, then the success");
}

#[tokio::test]
async fn a_modeled_error_is_typed_and_not_retried() {
    let rule = Rule::<GetProxySession>::new().then_error(|| {
        GetProxySessionError::NotFoundException(
            NotFoundException::builder()
                .meta(ErrorMetadata::builder().message("no such session").build())
                .build(),
        )
    });
    let err = session_name(&client(Mocks::new().rule(&rule)), "ps")
        .await
        .unwrap_err();
    let service = err.as_service_error().expect("a service error");
    assert!(service.is_not_found_exception(), "{err:?}");
    assert_eq!(service.message(), Some("no such session"));
    assert_eq!(service.status(), 404);
    assert_eq!(rule.calls(), 1);
}

#[tokio::test]
async fn an_unmodeled_error_is_read_by_its_code() {
    let meta = ErrorMetadata::builder()
        .code("BrandNewException")
        .status(400)
        .build();
    let rule = Rule::<GetProxySession>::new().then_unmodeled(meta);
    let err = session_name(&client(Mocks::new().rule(&rule)), "ps")
        .await
        .unwrap_err();
    match err.as_service_error() {
        Some(GetProxySessionError::NotFoundException(_)) => panic!("not that one"),
        Some(other) => assert_eq!(other.code(), Some("BrandNewException")),
        None => panic!("{err:?}"),
    }
}

#[tokio::test]
async fn raw_responses_are_read_by_the_wire_code() {
    let rule = Rule::<GetProxySession>::new()
        .then_http(503, &[], "")
        .then_http(
            200,
            &[("content-type", "application/json")],
            r#"{"ProxySession":{"Name":"from-json"}}"#,
        );
    let name = session_name(&client(Mocks::new().rule(&rule)), "ps")
        .await
        .unwrap();
    assert_eq!(name.as_deref(), Some("from-json"));
    assert_eq!(rule.calls(), 2, "the 503 was retried");
}

#[tokio::test]
async fn refused_connections_and_silence_behave_as_on_the_wire() {
    let refused = Rule::<GetProxySession>::new().then_connection_refused();
    let err = session_name(&client(Mocks::new().rule(&refused)), "ps")
        .await
        .unwrap_err();
    match &err {
        SdkError::Dispatch { source, .. } => assert_eq!(source.kind(), DispatchErrorKind::Connect),
        other => panic!("{other:?}"),
    }
    assert_eq!(refused.calls(), 3, "retried up to the standard 3 attempts");

    let silent = Rule::<GetProxySession>::new().then_no_answer();
    let config = Mocks::new()
        .rule(&silent)
        .config()
        .retry_config(RetryConfig::standard().with_max_attempts(2))
        .timeout_config(TimeoutConfig::default().with_attempt(Some(Duration::from_millis(50))))
        .build();
    let err = session_name(&Client::new(config), "ps").await.unwrap_err();
    match &err {
        SdkError::Timeout { source, .. } => {
            assert_eq!(
                (source.kind(), source.attempts()),
                (TimeoutKind::Attempt, 2)
            )
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(silent.calls(), 2);
}

#[tokio::test]
async fn a_call_no_rule_answers_says_so_and_is_not_sent() {
    let rule = Rule::<GetProxySession>::new()
        .when(|input| input.proxy_session_id() == Some("known"))
        .then_output(named("known"));
    let err = session_name(&client(Mocks::new().rule(&rule)), "unknown")
        .await
        .unwrap_err();
    assert!(!err.was_sent());
    assert!(
        err.to_string()
            .contains("no test double answers this GetProxySession call"),
        "{err}"
    );
    assert_eq!(rule.calls(), 0);
}

fn replay_client(replay: &ReplayTransport) -> Client {
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url("https://voice-chime.us-east-1.amazonaws.com")
        .credentials_provider(Credentials::new("AKID", "secret", None, None))
        .transport(replay.clone())
        .build();
    Client::new(config)
}

fn expected(session: &str) -> http::Request<&'static str> {
    http::Request::get(format!(
        "https://voice-chime.us-east-1.amazonaws.com/voice-connectors/vc/proxy-sessions/{session}"
    ))
    .header("host", "voice-chime.us-east-1.amazonaws.com")
    .header("authorization", "not compared")
    .body("")
    .unwrap()
}

fn ok(name: &str) -> http::Response<String> {
    http::Response::builder()
        .status(200)
        .body(format!(r#"{{"ProxySession":{{"Name":"{name}"}}}}"#))
        .unwrap()
}

#[tokio::test]
async fn the_replay_client_checks_the_requests_made() {
    let replay = ReplayTransport::new(vec![
        ReplayEvent::new(expected("one"), ok("first")),
        ReplayEvent::new(expected("two"), ok("second")),
    ]);
    let client = replay_client(&replay);
    assert_eq!(
        session_name(&client, "one").await.unwrap().as_deref(),
        Some("first")
    );
    assert_eq!(
        session_name(&client, "two").await.unwrap().as_deref(),
        Some("second")
    );
    replay.assert_requests_match(&["authorization"]);
    let sent = replay.actual_requests();
    assert!(sent[0].headers().contains_key("x-amz-date"));

    // The check finds what differs: the signature, unless ignored; another
    // path; a request too many.
    let err = replay.check_requests(&[]).unwrap_err();
    assert!(err.starts_with("request 1: header authorization"), "{err}");
    let replay = ReplayTransport::new(vec![ReplayEvent::new(expected("one"), ok("first"))]);
    let client = replay_client(&replay);
    session_name(&client, "other").await.unwrap();
    let err = replay.check_requests(&["authorization"]).unwrap_err();
    assert!(
        err.contains("path /voice-connectors/vc/proxy-sessions/other instead of"),
        "{err}"
    );
    let err = session_name(&client, "again").await.unwrap_err();
    assert!(
        err.to_string().contains("no recorded response left"),
        "{err}"
    );
    let err = replay.check_requests(&["authorization"]).unwrap_err();
    assert_eq!(err, "2 request(s) made, 1 expected");
}
