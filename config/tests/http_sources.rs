//! The HTTP credential sources against loopback servers that fail on
//! purpose: retries of transient failures within each fetch's budget,
//! IMDS static stability, and the cache over IMDS never handing out
//! credentials past the expiry it was given. Time, waits and jitter are
//! injected: nothing here sleeps or depends on chance.

use sdkgen_config::credentials::{
    Clocks, ContainerCredentials, Credentials, ImdsCredentials, LazyCache, ProvideCredentials,
    FETCH_ATTEMPTS,
};
use sdkgen_runtime::clock::{RandomSource, TimeSource};
use sdkgen_runtime::env::Env;
use sdkgen_runtime::timestamp::format_iso8601;
use sdkgen_runtime::DateTime;
use sdkgen_tests::doubles::{FixedRandom, RecordingSleep};
use sdkgen_tests::faults::{ok_response, Fault, FaultServer};
use sdkgen_tests::server::{closed_port_url, MockServer, Recorded, Reply};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const MINUTE: Duration = Duration::from_secs(60);
const HOUR: Duration = Duration::from_secs(3600);
const TOKEN_PATH: &str = "/latest/api/token";
const ROLE_PATH: &str = "/latest/meta-data/iam/security-credentials/";

#[derive(Debug)]
struct ManualClock(Mutex<SystemTime>);

impl ManualClock {
    /// A clock on a whole second, as the documents' expiries are.
    fn new() -> Arc<Self> {
        Arc::new(ManualClock(Mutex::new(
            UNIX_EPOCH + Duration::from_secs(1_700_000_000),
        )))
    }

    fn advance(&self, by: Duration) {
        *self.0.lock().unwrap() += by;
    }
}

impl TimeSource for ManualClock {
    fn now(&self) -> SystemTime {
        *self.0.lock().unwrap()
    }
}

fn injected(
    clock: &Arc<ManualClock>,
    random: impl RandomSource + 'static,
) -> (Clocks, RecordingSleep) {
    let sleep = RecordingSleep::default();
    let clocks = Clocks {
        time: clock.clone(),
        sleep: Arc::new(sleep.clone()),
        random: Arc::new(random),
    };
    (clocks, sleep)
}

fn document(key: &str, expires_at: SystemTime) -> String {
    format!(
        r#"{{"Code":"Success","AccessKeyId":"{key}","SecretAccessKey":"secret-{key}","Token":"token-{key}","Expiration":"{}"}}"#,
        format_iso8601(&DateTime::from(expires_at))
    )
}

fn text(status: u16, body: &str) -> Reply {
    Reply::Respond {
        status,
        headers: vec![],
        body: body.into(),
    }
}

/// What the fake metadata service answers: per path, statuses to give
/// before answering well; `down` fails everything with HTTP 500.
#[derive(Debug, Default)]
struct Script {
    token: VecDeque<u16>,
    role: VecDeque<u16>,
    credentials: VecDeque<u16>,
    down: bool,
    key: String,
    expires_at: Option<SystemTime>,
}

type Shared = Arc<Mutex<Script>>;

async fn imds(script: &Shared) -> MockServer {
    let script = script.clone();
    MockServer::start(move |request: &Recorded, _| {
        let mut script = script.lock().unwrap();
        if script.down {
            return text(500, "");
        }
        let role_path = format!("{ROLE_PATH}app-role");
        let (method, path) = (request.method.as_str(), request.path());
        let token = request.header("x-aws-ec2-metadata-token");
        match (method, path) {
            ("PUT", TOKEN_PATH) => match script.token.pop_front() {
                Some(status) => text(status, ""),
                None => text(200, "session-token"),
            },
            ("GET", _) if token != Some("session-token") => text(401, ""),
            ("GET", ROLE_PATH) => match script.role.pop_front() {
                Some(status) => text(status, ""),
                None => text(200, "app-role\n"),
            },
            ("GET", p) if p == role_path => match script.credentials.pop_front() {
                Some(status) => text(status, ""),
                None => Reply::json(
                    200,
                    &document(&script.key, script.expires_at.expect("an expiry")),
                ),
            },
            _ => text(404, ""),
        }
    })
    .await
}

fn imds_provider(server_url: &str, clocks: Clocks) -> ImdsCredentials {
    ImdsCredentials::new(Env::from_pairs([(
        "AWS_EC2_METADATA_SERVICE_ENDPOINT",
        server_url,
    )]))
    .with_clocks(clocks)
}

fn count(server: &MockServer, method: &str, path: &str) -> usize {
    server
        .requests()
        .iter()
        .filter(|r| r.method == method && r.path() == path)
        .count()
}

fn scripted(key: &str, expires_at: SystemTime) -> Shared {
    Arc::new(Mutex::new(Script {
        key: key.into(),
        expires_at: Some(expires_at),
        ..Script::default()
    }))
}

#[tokio::test]
async fn imds_retries_a_fetch_that_fails_twice_then_answers() {
    let clock = ManualClock::new();
    let script = scripted("IMDSKEY", clock.now() + 6 * HOUR);
    script.lock().unwrap().token = [503, 500].into();
    let server = imds(&script).await;
    let (clocks, sleep) = injected(&clock, FixedRandom(0.5));
    let provider = imds_provider(&server.url(), clocks);

    let credentials = provider.provide_credentials().await.unwrap();
    assert_eq!(credentials.access_key_id(), "IMDSKEY");
    assert_eq!(credentials.expires_at(), Some(clock.now() + 6 * HOUR));
    assert_eq!(count(&server, "PUT", TOKEN_PATH), 3);
    assert_eq!(sleep.waits().len(), 2);

    // Throttled on the credentials themselves: the whole fetch again.
    script.lock().unwrap().credentials = [429, 429].into();
    let credentials = provider.provide_credentials().await.unwrap();
    assert_eq!(credentials.access_key_id(), "IMDSKEY");
    assert_eq!(count(&server, "PUT", TOKEN_PATH), 6);
    assert_eq!(sleep.waits().len(), 4);
}

#[tokio::test]
async fn imds_gives_up_after_its_budget_and_never_retries_a_client_error() {
    let clock = ManualClock::new();
    let script = scripted("IMDSKEY", clock.now() + 6 * HOUR);
    script.lock().unwrap().role = [502, 503, 504, 500].into();
    let server = imds(&script).await;
    let (clocks, sleep) = injected(&clock, FixedRandom(0.5));
    let provider = imds_provider(&server.url(), clocks);
    let err = provider.provide_credentials().await.unwrap_err();
    assert_eq!(
        err.message(),
        "the instance metadata service answered HTTP 504 for the role name"
    );
    assert_eq!(count(&server, "GET", ROLE_PATH), FETCH_ATTEMPTS as usize);
    assert_eq!(sleep.waits().len(), 2);

    // A 4xx other than 429 is an answer, not a blip.
    let script = scripted("IMDSKEY", clock.now() + 6 * HOUR);
    script.lock().unwrap().role = [400].into();
    let server = imds(&script).await;
    let (clocks, sleep) = injected(&clock, FixedRandom(0.5));
    let err = imds_provider(&server.url(), clocks)
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.message().contains("HTTP 400"), "{err}");
    assert_eq!(count(&server, "GET", ROLE_PATH), 1);
    assert!(sleep.waits().is_empty());
}

#[tokio::test]
async fn imds_that_never_answered_is_tried_once_and_then_connection_failures_are_retried() {
    // Off EC2: nothing listens, and the chain moves on at once.
    let clock = ManualClock::new();
    let (clocks, sleep) = injected(&clock, FixedRandom(0.5));
    let err = imds_provider(&closed_port_url().await, clocks)
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.is_not_loaded(), "{err}");
    assert!(sleep.waits().is_empty(), "not retried");

    // On an instance whose service answered once, a reset connection is
    // a blip: connections 3 and 4 are reset, 5 to 7 answer.
    let expiry = format_iso8601(&DateTime::from(clock.now() + 6 * HOUR));
    let document = format!(
        r#"{{"AccessKeyId":"IMDSKEY","SecretAccessKey":"s","Token":"t","Expiration":"{expiry}"}}"#
    );
    let server = FaultServer::start(move |connection| match connection {
        0 | 5 => Fault::Send(ok_response("session-token")),
        1 | 6 => Fault::Send(ok_response("app-role")),
        3 | 4 => Fault::SendThenReset(Vec::new()),
        _ => Fault::Send(ok_response(&document)),
    })
    .await;
    let (clocks, sleep) = injected(&clock, FixedRandom(0.5));
    let provider = imds_provider(&server.url, clocks);
    provider.provide_credentials().await.unwrap();
    assert!(sleep.waits().is_empty());
    let credentials = provider.provide_credentials().await.unwrap();
    assert_eq!(credentials.access_key_id(), "IMDSKEY");
    assert_eq!(sleep.waits().len(), 2);
    assert_eq!(server.connections(), 8);
}

#[tokio::test]
async fn imds_extends_credentials_it_answers_stale() {
    let clock = ManualClock::new();
    // Expired a minute ago: now plus 15 minutes plus the jitter, which is
    // 2 minutes for a random 0 and 10 for a random just under 1.
    for (random, extension) in [(0.0, 17 * MINUTE), (0.999_999, 25 * MINUTE)] {
        let script = scripted("STALE", clock.now() - MINUTE);
        let server = imds(&script).await;
        let (clocks, _) = injected(&clock, FixedRandom(random));
        let credentials = imds_provider(&server.url(), clocks)
            .provide_credentials()
            .await
            .unwrap();
        assert_eq!(credentials.access_key_id(), "STALE");
        assert_eq!(credentials.secret_access_key(), "secret-STALE");
        assert_eq!(credentials.session_token(), Some("token-STALE"));
        assert_eq!(credentials.expires_at(), Some(clock.now() + extension));
    }
    // About to expire counts as stale; far from expiry does not.
    for (left, expiry) in [
        (16 * MINUTE, clock.now() + 17 * MINUTE),
        (HOUR, clock.now() + HOUR),
    ] {
        let script = scripted("KEY", clock.now() + left);
        let server = imds(&script).await;
        let (clocks, _) = injected(&clock, FixedRandom(0.0));
        let credentials = imds_provider(&server.url(), clocks)
            .provide_credentials()
            .await
            .unwrap();
        assert_eq!(credentials.expires_at(), Some(expiry), "{left:?} left");
    }
}

#[tokio::test]
async fn imds_failures_answer_the_last_credentials_extended() {
    let clock = ManualClock::new();
    let script = scripted("FIRST", clock.now() + 6 * HOUR);
    let server = imds(&script).await;
    // Jitter 120 + floor(0.25 * 481) = 240 s.
    let (clocks, sleep) = injected(&clock, FixedRandom(0.25));
    let provider = imds_provider(&server.url(), clocks);
    provider.provide_credentials().await.unwrap();

    // Down, with hours left: the last credentials as they are.
    script.lock().unwrap().down = true;
    let credentials = provider.provide_credentials().await.unwrap();
    assert_eq!(credentials.access_key_id(), "FIRST");
    assert_eq!(credentials.expires_at(), Some(clock.now() + 6 * HOUR));
    assert_eq!(sleep.waits().len(), 2, "retried before falling back");

    // Down past their expiry: extended from now, each time.
    clock.advance(6 * HOUR + MINUTE);
    let credentials = provider.provide_credentials().await.unwrap();
    assert_eq!(credentials.access_key_id(), "FIRST");
    assert_eq!(credentials.secret_access_key(), "secret-FIRST");
    assert_eq!(credentials.expires_at(), Some(clock.now() + 19 * MINUTE));
    clock.advance(HOUR);
    let credentials = provider.provide_credentials().await.unwrap();
    assert_eq!(credentials.expires_at(), Some(clock.now() + 19 * MINUTE));

    // Back: its new credentials.
    {
        let mut script = script.lock().unwrap();
        script.down = false;
        script.key = "SECOND".into();
        script.expires_at = Some(clock.now() + 6 * HOUR);
    }
    let credentials = provider.provide_credentials().await.unwrap();
    assert_eq!(credentials.access_key_id(), "SECOND");

    // A provider that never had credentials has nothing to fall back on.
    let (clocks, _) = injected(&clock, FixedRandom(0.25));
    script.lock().unwrap().down = true;
    let err = imds_provider(&server.url(), clocks)
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(
        err.message(),
        "the instance metadata service answered HTTP 500 for a token"
    );
}

#[tokio::test]
async fn the_cache_never_hands_out_imds_credentials_past_the_expiry_it_was_given() {
    let clock = ManualClock::new();
    let script = scripted("FIRST", clock.now() + HOUR);
    let server = imds(&script).await;
    let (clocks, _) = injected(&clock, FixedRandom(0.0));
    let cache = LazyCache::new(
        Arc::new(imds_provider(&server.url(), clocks)),
        clock.clone(),
    );
    cache.provide_credentials().await.unwrap();
    script.lock().unwrap().down = true;

    // Three hours of outage, a call every 90 seconds.
    let mut expiries = Vec::new();
    for _ in 0..120 {
        clock.advance(Duration::from_secs(90));
        let credentials: Credentials = cache.provide_credentials().await.unwrap();
        assert_eq!(credentials.access_key_id(), "FIRST");
        let expiry = credentials.expires_at().unwrap();
        assert!(expiry > clock.now(), "handed out past {expiry:?}");
        if expiries.last() != Some(&expiry) {
            expiries.push(expiry);
        }
    }
    // Extended again and again: the service is asked once the extended
    // credentials are in the advisory window, 2 minutes (17 less 15) after
    // each extension, which calls 90 seconds apart make every 3 minutes.
    assert!(expiries.len() >= 40, "{}", expiries.len());
    for pair in expiries.windows(2) {
        assert!(pair[1] - MINUTE * 2 >= pair[0]);
    }
}

async fn container_provider(uri: &str) -> (ContainerCredentials, RecordingSleep) {
    let clock = ManualClock::new();
    let (clocks, sleep) = injected(&clock, FixedRandom(0.5));
    let provider = ContainerCredentials::new(Env::from_pairs([(
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        uri,
    )]))
    .with_clocks(clocks);
    (provider, sleep)
}

#[tokio::test]
async fn the_container_source_retries_connection_failures_and_server_errors() {
    let document = document("CONTKEY", SystemTime::now() + HOUR);
    let server = FaultServer::start(move |connection| match connection {
        0 => Fault::SendThenReset(Vec::new()),
        1 => Fault::Send(
            b"HTTP/1.1 500 Internal Server Error\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
                .to_vec(),
        ),
        _ => Fault::Send(ok_response(&document)),
    })
    .await;
    let (provider, sleep) = container_provider(&format!("{}/creds", server.url)).await;
    let credentials = provider.provide_credentials().await.unwrap();
    assert_eq!(credentials.access_key_id(), "CONTKEY");
    assert_eq!(server.connections(), 3);
    assert_eq!(sleep.waits().len(), 2);
}

#[tokio::test]
async fn the_container_source_has_a_budget_and_takes_4xx_as_final() {
    let statuses: Arc<Mutex<VecDeque<u16>>> = Arc::default();
    let queued = statuses.clone();
    let document = document("CONTKEY", SystemTime::now() + HOUR);
    let server = MockServer::start(move |_, _| match queued.lock().unwrap().pop_front() {
        Some(status) => text(status, ""),
        None => Reply::json(200, &document),
    })
    .await;
    let uri = format!("{}/creds", server.url());

    *statuses.lock().unwrap() = [429, 503].into();
    let (provider, sleep) = container_provider(&uri).await;
    assert_eq!(
        provider
            .provide_credentials()
            .await
            .unwrap()
            .access_key_id(),
        "CONTKEY"
    );
    assert_eq!((server.requests().len(), sleep.waits().len()), (3, 2));

    *statuses.lock().unwrap() = [500, 500, 503, 500].into();
    let (provider, sleep) = container_provider(&uri).await;
    let err = provider.provide_credentials().await.unwrap_err();
    assert!(err.message().ends_with("answered HTTP 503"), "{err}");
    assert_eq!((server.requests().len(), sleep.waits().len()), (6, 2));

    for status in [400, 401, 403, 404] {
        statuses.lock().unwrap().clear();
        statuses.lock().unwrap().push_back(status);
        let (provider, sleep) = container_provider(&uri).await;
        let before = server.requests().len();
        let err = provider.provide_credentials().await.unwrap_err();
        assert!(err.message().ends_with(&format!("HTTP {status}")), "{err}");
        assert_eq!(server.requests().len(), before + 1, "{status}");
        assert!(sleep.waits().is_empty());
    }
}
