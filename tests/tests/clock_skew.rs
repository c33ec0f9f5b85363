//! A host whose clock is off: against a loopback service whose clock is 20
//! minutes away from the client's and that refuses, as AWS does, a
//! signature dated more than 15 minutes from its own time.
#![allow(deprecated)]

use chime_sdk_voice::operation::get_proxy_session::{GetProxySessionError, GetProxySessionOutput};
use chime_sdk_voice::{Client, ProvideErrorMetadata, RetryConfig, SdkError};
use sdkgen_runtime::clock::TimeSource;
use sdkgen_runtime::timestamp::format_http_date;
use sdkgen_runtime::DateTime;
use sdkgen_tests::server::{MockServer, Recorded, Reply};
use sdkgen_tests::sigv4_verify::verify;
use sdkgen_tests::{test_config, SECRET_KEY};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const BODY: &str = r#"{"ProxySession":{"ProxySessionId":"ps1"}}"#;

/// The client's clock: 2024-01-02T03:04:05Z, fixed.
const LOCAL: u64 = 1_704_164_645;

#[derive(Debug)]
struct FixedClock(SystemTime);

impl TimeSource for FixedClock {
    fn now(&self) -> SystemTime {
        self.0
    }
}

fn local() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(LOCAL)
}

/// `x-amz-date` of a request, as seconds since the epoch.
fn signed_at(request: &Recorded) -> i64 {
    let date = request.header("x-amz-date").expect("x-amz-date");
    let parsed = sdkgen_runtime::timestamp::parse(date).expect("a SigV4 date");
    parsed.secs()
}

/// A service whose clock reads `local + offset`. It checks every signature
/// and refuses one dated over 15 minutes from its time with `code`.
async fn service(offset_secs: i64, code: &'static str) -> MockServer {
    let now = (LOCAL as i64 + offset_secs) as u64;
    MockServer::start(move |request, _| {
        verify(request, SECRET_KEY).unwrap_or_else(|e| panic!("bad signature: {e}"));
        let date = format_http_date(&DateTime::from(UNIX_EPOCH + Duration::from_secs(now)));
        if signed_at(request).abs_diff(now as i64) > 15 * 60 {
            Reply::error(403, code, "Signature expired: the request is out of date")
                .with_header("date", &date)
        } else {
            Reply::json(200, BODY).with_header("date", &date)
        }
    })
    .await
}

fn client(url: &str, retry: RetryConfig) -> (Client, sdkgen_tests::doubles::RecordingSleep) {
    let (builder, sleep) = test_config(url);
    let config = builder
        .time_source(Arc::new(FixedClock(local())))
        .retry_config(retry)
        .build();
    (Client::new(config), sleep)
}

async fn get(client: &Client) -> Result<GetProxySessionOutput, SdkError<GetProxySessionError>> {
    client
        .get_proxy_session()
        .voice_connector_id("vc1")
        .proxy_session_id("ps1")
        .send()
        .await
}

#[tokio::test]
async fn a_signature_refused_for_its_time_is_signed_again_with_the_services_clock() {
    for offset in [20 * 60, -20 * 60] {
        let server = service(offset, "InvalidSignatureException").await;
        let (client, sleep) = self::client(&server.url(), RetryConfig::standard());
        get(&client).await.unwrap();
        let requests = server.requests();
        assert_eq!(requests.len(), 2, "refused once, then accepted");
        assert_eq!(signed_at(&requests[0]), LOCAL as i64);
        assert_eq!(signed_at(&requests[1]), LOCAL as i64 + offset);
        assert!(sleep.waits().is_empty(), "signed again at once");
        // botocore's ttl: the service's time plus its 60 s read timeout.
        let ttl = format!(
            "ttl={}; attempt=2; max=3",
            sigv4_basic(LOCAL as i64 + offset + 60)
        );
        assert_eq!(requests[1].header("amz-sdk-request"), Some(ttl.as_str()));

        // The next call is signed with the corrected time from the start.
        get(&client).await.unwrap();
        let requests = server.requests();
        assert_eq!(requests.len(), 3);
        assert_eq!(signed_at(&requests[2]), LOCAL as i64 + offset);
        assert_eq!(
            requests[2].header("amz-sdk-request"),
            Some("attempt=1; max=3")
        );
    }
}

#[tokio::test]
async fn the_time_retry_is_taken_even_without_retries_and_only_once() {
    let server = service(20 * 60, "SignatureDoesNotMatch").await;
    let (client, _) = self::client(&server.url(), RetryConfig::disabled());
    get(&client).await.unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert!(requests[1]
        .header("amz-sdk-request")
        .unwrap()
        .ends_with("attempt=2; max=2"));

    // A service that refuses every signature, its clock 20 minutes ahead:
    // one retry for the time, then the refusal is the answer.
    let server = MockServer::start(|_, _| {
        let date = format_http_date(&DateTime::from(
            UNIX_EPOCH + Duration::from_secs(LOCAL + 20 * 60),
        ));
        Reply::error(403, "RequestExpired", "expired").with_header("date", &date)
    })
    .await;
    let (client, _) = self::client(&server.url(), RetryConfig::standard());
    let err = get(&client).await.unwrap_err();
    assert_eq!(
        err.as_service_error().unwrap().code(),
        Some("RequestExpired")
    );
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_refusal_with_clocks_in_step_or_another_code_is_not_retried() {
    // In step: the code is a wrong key's, not a matter of time.
    let server = service(0, "SignatureDoesNotMatch").await;
    let wrong_key = MockServer::start(|_, _| {
        let date = format_http_date(&DateTime::from(local()));
        Reply::error(403, "SignatureDoesNotMatch", "wrong key").with_header("date", &date)
    })
    .await;
    let (client, _) = self::client(&wrong_key.url(), RetryConfig::standard());
    let err = get(&client).await.unwrap_err();
    assert_eq!(
        err.as_service_error().unwrap().code(),
        Some("SignatureDoesNotMatch")
    );
    assert_eq!(wrong_key.requests().len(), 1);
    // And a client in step with its service signs with its own clock.
    let (client, _) = self::client(&server.url(), RetryConfig::standard());
    get(&client).await.unwrap();
    assert_eq!(signed_at(&server.requests()[0]), LOCAL as i64);

    // 20 minutes off, but refused for another reason.
    let server = service(20 * 60, "AccessDeniedException").await;
    let (client, _) = self::client(&server.url(), RetryConfig::standard());
    let err = get(&client).await.unwrap_err();
    assert_eq!(
        err.as_service_error().unwrap().code(),
        Some("AccessDeniedException")
    );
    assert_eq!(server.requests().len(), 1);
}

/// `20240102T032505Z`
fn sigv4_basic(secs: i64) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp(secs).unwrap();
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}
