//! Adaptive retry mode through a generated client, against a loopback
//! server that throttles the first request: the client then waits for its
//! rate limiter before the next attempt, and a standard-mode client does
//! not. Time moves only when the client sleeps, so every wait is exact.
//!
//! The waits, worked out by hand from botocore's formulas
//! (`retries/adaptive.py`, `bucket.py`, `throttling.py`), with the client
//! made at a whole second `T` and jitter 0.5:
//!
//! - attempt 1 at `T`: not limiting yet, sent at once; throttled. The
//!   measured rate is 0 (the first half-second bucket is still open), so
//!   the fill rate becomes max(0.7 * 0, 0.5) = 0.5 token/s, and the
//!   bucket, made empty at `T`, holds 0 tokens;
//! - standard mode's throttling backoff: 0.5 * 1 s = 0.5 s;
//! - attempt 2 at `T + 0.5`: the bucket holds 0.5 * 0.5 = 0.25 token, so it
//!   waits (1 - 0.25) / 0.5 = 1.5 s; answered at `T + 2` with a success.
//!   Two answers over the bucket from `T` to `T + 2`: a rate of 1, smoothed
//!   to 0.8; the CUBIC curve (w_max 0, k 0) is at 0.4 * 2^3 = 3.2, held to
//!   2 * 0.8 = 1.6 token/s, and the bucket is back at 0;
//! - the next call at `T + 2`: (1 - 0) / 1.6 = 0.625 s.

#![allow(deprecated)]

use chime_sdk_voice::operation::get_proxy_session::{GetProxySessionError, GetProxySessionOutput};
use chime_sdk_voice::{Client, ConfigBuilder, RetryConfig, SdkError};
use sdkgen_runtime::clock::{Sleep, TimeSource};
use sdkgen_runtime::credentials::BoxFuture;
use sdkgen_runtime::env::Env;
use sdkgen_tests::server::{MockServer, Reply};
use sdkgen_tests::test_config;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

const BODY: &str = r#"{"ProxySession":{"ProxySessionId":"ps1"}}"#;

/// A whole second, so that the limiter's first half-second bucket starts
/// at the client's birth, as in the figures above.
const T: u64 = 1_700_000_000;

/// A clock that stands still until the client sleeps, then moves by
/// exactly the wait, which it records.
#[derive(Debug, Clone)]
struct Timeline {
    now: Arc<Mutex<SystemTime>>,
    waits: Arc<Mutex<Vec<Duration>>>,
}

impl Timeline {
    fn new() -> Timeline {
        Timeline {
            now: Arc::new(Mutex::new(SystemTime::UNIX_EPOCH + Duration::from_secs(T))),
            waits: Arc::default(),
        }
    }

    fn waits(&self) -> Vec<Duration> {
        self.waits.lock().unwrap().clone()
    }

    /// `builder` on this clock and sleep.
    fn drive(&self, builder: ConfigBuilder) -> ConfigBuilder {
        builder
            .time_source(Arc::new(self.clone()))
            .sleep(Arc::new(self.clone()))
    }
}

impl TimeSource for Timeline {
    fn now(&self) -> SystemTime {
        *self.now.lock().unwrap()
    }
}

impl Sleep for Timeline {
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        *self.now.lock().unwrap() += duration;
        self.waits.lock().unwrap().push(duration);
        Box::pin(async {})
    }
}

/// A server that throttles its first request and answers the rest.
async fn throttles_once() -> MockServer {
    MockServer::start(|_, index| {
        if index == 0 {
            Reply::error(429, "ThrottlingException", "slow down")
        } else {
            Reply::json(200, BODY)
        }
    })
    .await
}

async fn get(client: &Client) -> Result<GetProxySessionOutput, SdkError<GetProxySessionError>> {
    client
        .get_proxy_session()
        .voice_connector_id("vc1")
        .proxy_session_id("ps1")
        .send()
        .await
}

fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

#[tokio::test]
async fn a_throttled_adaptive_client_waits_before_its_next_attempt() {
    let server = throttles_once().await;
    let time = Timeline::new();
    let config = time
        .drive(test_config(&server.url()).0)
        .retry_config(RetryConfig::adaptive())
        .build();
    let client = Client::new(config.clone());
    get(&client).await.unwrap();
    assert_eq!(server.requests().len(), 2);
    // The backoff, then the wait for a token.
    assert_eq!(time.waits(), [ms(500), ms(1500)]);

    // A clone shares the limiter: its call waits for a token too.
    get(&client.clone()).await.unwrap();
    assert_eq!(time.waits(), [ms(500), ms(1500), ms(625)]);

    // Another client of the same config has a limiter of its own, not
    // limiting yet.
    get(&Client::new(config)).await.unwrap();
    assert_eq!(time.waits().len(), 3);
    assert_eq!(server.requests().len(), 4);
}

#[tokio::test]
async fn a_throttled_standard_client_only_backs_off() {
    let server = throttles_once().await;
    let time = Timeline::new();
    let client = Client::new(
        time.drive(test_config(&server.url()).0)
            .retry_config(RetryConfig::standard())
            .build(),
    );
    get(&client).await.unwrap();
    get(&client).await.unwrap();
    assert_eq!(server.requests().len(), 3);
    assert_eq!(time.waits(), [ms(500)]);
}

/// `AWS_RETRY_MODE=adaptive` through the loader gives the same client.
#[tokio::test]
async fn adaptive_mode_from_the_environment() {
    let server = throttles_once().await;
    let time = Timeline::new();
    let env = Env::from_pairs([
        ("AWS_RETRY_MODE", "adaptive"),
        ("AWS_REGION", "us-east-1"),
        ("AWS_ACCESS_KEY_ID", sdkgen_tests::ACCESS_KEY),
        ("AWS_SECRET_ACCESS_KEY", sdkgen_tests::SECRET_KEY),
        ("AWS_CONFIG_FILE", "/nonexistent/config"),
        ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ]);
    let builder = chime_sdk_voice::loader().env(env).load().unwrap();
    let config = time
        .drive(builder)
        .endpoint_url(server.url())
        .random(Arc::new(sdkgen_tests::doubles::FixedRandom(0.5)))
        .build();
    assert_eq!(
        config.retry_config().mode(),
        sdkgen_runtime::retry::RetryMode::Adaptive
    );
    let client = Client::new(config);
    get(&client).await.unwrap();
    get(&client).await.unwrap();
    assert_eq!(time.waits(), [ms(500), ms(1500), ms(625)]);
}
