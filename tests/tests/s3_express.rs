//! S3 Express One Zone, as a loopback server sees it: a directory bucket's
//! calls are signed with the session `CreateSession` gives out for the
//! bucket, asked for once and kept while it lives, its token in
//! `x-amz-s3session-token`; `CreateSession` itself is signed with the
//! client's credentials under the signing name `s3express`.
//!
//! A `127.0.0.1` endpoint makes the rules put the bucket in the path, and
//! they still name `sigv4-s3express` for a directory bucket's name (S3's
//! endpoint test "Data Plane with short AZ with custom endpoint as IP").
//! The crate here is compiled without its `create-session` feature: the
//! session's call is the runtime's own.

use s3::Client;
use sdkgen_runtime::clock::TimeSource;
use sdkgen_runtime::error::ProvideErrorMetadata;
use sdkgen_runtime::presign::PresigningConfig;
use sdkgen_runtime::Credentials;
use sdkgen_tests::loopback::to_loopback;
use sdkgen_tests::server::{MockServer, Recorded, Reply};
use sdkgen_tests::sigv4_verify::{verify_presigned, verify_s3, Key};
use sdkgen_tests::{test_config, ACCESS_KEY, SECRET_KEY};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const BUCKET: &str = "mybucket--usw2-az1--x-s3";
const OTHER_BUCKET: &str = "other--usw2-az1--x-s3";
/// 2026-12-05T12:00:00Z
const START: u64 = 1_796_472_000;

/// A clock the test moves.
#[derive(Debug, Clone)]
struct Clock(Arc<Mutex<SystemTime>>);

impl Clock {
    fn new() -> Clock {
        Clock(Arc::new(Mutex::new(
            UNIX_EPOCH + Duration::from_secs(START),
        )))
    }

    fn advance(&self, by: Duration) {
        *self.0.lock().unwrap() += by;
    }

    /// Another clock, `by` ahead of this one from now on.
    fn ahead(&self, by: Duration) -> Clock {
        Clock(Arc::new(Mutex::new(self.now() + by)))
    }
}

impl TimeSource for Clock {
    fn now(&self) -> SystemTime {
        *self.0.lock().unwrap()
    }
}

fn is_create_session(r: &Recorded) -> bool {
    r.target.ends_with("?session")
}

/// How many sessions were asked for in `all`.
fn sessions_asked(all: &[Recorded]) -> usize {
    all.iter().filter(|r| is_create_session(r)).count()
}

/// The `n`th session (from 1): five minutes from `now`, as S3 gives them.
fn session_reply(n: usize, now: SystemTime) -> Reply {
    let expires = now + Duration::from_secs(300);
    let expires = sdkgen_runtime::timestamp::format_iso8601(&expires.into());
    Reply::Respond {
        status: 200,
        headers: vec![("x-amz-request-id".into(), format!("S{n}"))],
        body: format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CreateSessionResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Credentials><SessionToken>TOKEN{n}</SessionToken><SecretAccessKey>SESSIONSECRET{n}</SecretAccessKey><AccessKeyId>ASIASESSION{n}</AccessKeyId><Expiration>{expires}</Expiration></Credentials></CreateSessionResult>"
        ),
    }
}

/// A server that gives out sessions on `clock`'s time and answers every
/// other request with an object, each answer dated by that clock, as S3
/// dates its answers by its own (the client judges a session's expiry on
/// the service's clock).
async fn server(clock: &Clock) -> MockServer {
    let log: Arc<Mutex<Vec<Recorded>>> = Arc::default();
    let clock = clock.clone();
    MockServer::start(move |r, _| {
        let mut log = log.lock().unwrap();
        log.push(r.clone());
        let reply = if is_create_session(r) {
            session_reply(sessions_asked(&log), clock.now())
        } else {
            object_reply(r)
        };
        reply.with_header("Date", &http_date(clock.now()))
    })
    .await
}

fn object_reply(r: &Recorded) -> Reply {
    Reply::Respond {
        status: 200,
        headers: vec![
            ("x-amz-request-id".into(), "R".into()),
            ("ETag".into(), "\"e\"".into()),
        ],
        body: if r.method == "GET" {
            "object".into()
        } else {
            String::new()
        },
    }
}

/// `Sat, 05 Dec 2026 12:00:00 GMT`
fn http_date(t: SystemTime) -> String {
    let t = time::OffsetDateTime::from(t);
    let day = &format!("{:?}", t.weekday())[..3];
    let month = &format!("{:?}", t.month())[..3];
    format!(
        "{day}, {:02} {month} {} {:02}:{:02}:{:02} GMT",
        t.day(),
        t.year(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

fn client(server: &MockServer, clock: &Clock, credentials: Credentials) -> Client {
    let (config, _) = test_config(&server.url());
    Client::new(
        config
            .region("us-west-2")
            .credentials_provider(credentials)
            .time_source(Arc::new(clock.clone()))
            .build(),
    )
}

fn base_credentials() -> Credentials {
    Credentials::new(ACCESS_KEY, SECRET_KEY, None, None)
}

async fn get(s3: &Client, bucket: &str) {
    let got = s3
        .get_object()
        .bucket(bucket)
        .key("k")
        .send()
        .await
        .unwrap();
    assert_eq!(&got.body.unwrap().collect().await.unwrap()[..], b"object");
}

/// `CreateSession` for `bucket`, signed with the client's own credentials
/// for `s3express` in the bucket's region, carrying no session token.
fn check_create_session(r: &Recorded, bucket: &str) {
    assert_eq!(r.method, "GET");
    assert_eq!(r.target, format!("/{bucket}?session"));
    let auth = verify_s3(r, SECRET_KEY).unwrap();
    assert_eq!(auth.access_key, ACCESS_KEY);
    assert_eq!(
        (auth.service.as_str(), auth.region.as_str()),
        ("s3express", "us-west-2")
    );
    assert_eq!(r.header("x-amz-s3session-token"), None);
}

/// A call signed with session `n`: its key, its secret, its token in the
/// session header (signed), and no `x-amz-security-token`.
fn check_signed_with_session(r: &Recorded, n: usize) {
    let auth = verify_s3(r, &format!("SESSIONSECRET{n}"))
        .unwrap_or_else(|e| panic!("{} {}: {e}", r.method, r.target));
    assert_eq!(auth.access_key, format!("ASIASESSION{n}"));
    assert_eq!(
        (auth.service.as_str(), auth.region.as_str()),
        ("s3express", "us-west-2")
    );
    assert_eq!(
        r.header("x-amz-s3session-token"),
        Some(format!("TOKEN{n}").as_str())
    );
    assert!(auth
        .signed_headers
        .iter()
        .any(|h| h == "x-amz-s3session-token"));
    assert_eq!(r.header("x-amz-security-token"), None);
}

#[tokio::test]
async fn a_directory_bucket_is_called_with_one_session_while_it_lives() {
    let clock = Clock::new();
    let server = server(&clock).await;
    let s3 = client(&server, &clock, base_credentials());
    s3.put_object()
        .bucket(BUCKET)
        .key("k")
        .body(b"object".to_vec())
        .send()
        .await
        .unwrap();
    get(&s3, BUCKET).await;
    clock.advance(Duration::from_secs(200));
    get(&s3, BUCKET).await;

    let requests = server.requests();
    let methods: Vec<&str> = requests.iter().map(|r| r.method.as_str()).collect();
    assert_eq!(methods, ["GET", "PUT", "GET", "GET"]);
    check_create_session(&requests[0], BUCKET);
    for r in &requests[1..] {
        assert_eq!(r.path(), format!("/{BUCKET}/k"));
        check_signed_with_session(r, 1);
    }
}

#[tokio::test]
async fn a_session_near_its_expiry_is_replaced() {
    let clock = Clock::new();
    let server = server(&clock).await;
    let s3 = client(&server, &clock, base_credentials());
    get(&s3, BUCKET).await;
    // 40 s left: inside botocore's 45 s advisory window.
    clock.advance(Duration::from_secs(260));
    get(&s3, BUCKET).await;
    // The new one lives five minutes from now.
    clock.advance(Duration::from_secs(200));
    get(&s3, BUCKET).await;
    // Expired: a call waits for a new one.
    clock.advance(Duration::from_secs(3600));
    get(&s3, BUCKET).await;

    let requests = server.requests();
    let sessions: Vec<usize> = (0..requests.len())
        .filter(|&i| is_create_session(&requests[i]))
        .collect();
    assert_eq!(sessions, [0, 2, 5], "{requests:#?}");
    check_signed_with_session(&requests[1], 1);
    check_signed_with_session(&requests[3], 2);
    check_signed_with_session(&requests[4], 2);
    check_signed_with_session(&requests[6], 3);
}

#[tokio::test]
async fn each_bucket_has_its_own_session() {
    let clock = Clock::new();
    let server = server(&clock).await;
    let s3 = client(&server, &clock, base_credentials());
    get(&s3, BUCKET).await;
    get(&s3, OTHER_BUCKET).await;
    get(&s3, BUCKET).await;
    get(&s3, OTHER_BUCKET).await;

    let requests = server.requests();
    check_create_session(&requests[0], BUCKET);
    check_signed_with_session(&requests[1], 1);
    check_create_session(&requests[2], OTHER_BUCKET);
    check_signed_with_session(&requests[3], 2);
    check_signed_with_session(&requests[4], 1);
    check_signed_with_session(&requests[5], 2);
    assert_eq!(requests.len(), 6);
}

#[tokio::test]
async fn temporary_credentials_sign_the_session_call_only() {
    let clock = Clock::new();
    let server = server(&clock).await;
    let base = Credentials::new(ACCESS_KEY, SECRET_KEY, Some("BASETOKEN".into()), None);
    let s3 = client(&server, &clock, base);
    get(&s3, BUCKET).await;

    let requests = server.requests();
    check_create_session(&requests[0], BUCKET);
    assert_eq!(
        requests[0].header("x-amz-security-token"),
        Some("BASETOKEN")
    );
    let auth = verify_s3(&requests[0], SECRET_KEY).unwrap();
    assert!(auth
        .signed_headers
        .iter()
        .any(|h| h == "x-amz-security-token"));
    check_signed_with_session(&requests[1], 1);
}

#[tokio::test]
async fn a_refused_session_fails_the_call_and_says_why() {
    let server = MockServer::start(|r, _| {
        assert!(is_create_session(r), "only the session is asked for");
        Reply::Respond {
            status: 403,
            headers: vec![("x-amz-request-id".into(), "D".into())],
            body: "<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>".into(),
        }
    })
    .await;
    let clock = Clock::new();
    let s3 = client(&server, &clock, base_credentials());
    let error = s3
        .get_object()
        .bucket(BUCKET)
        .key("k")
        .send()
        .await
        .unwrap_err();
    // As botocore raises it: the error of `CreateSession`, with S3's code
    // and message, the call's own error type holding it as unmodeled.
    assert_eq!(error.operation(), "CreateSession");
    let service = error.as_service_error().expect("a service error");
    assert_eq!(service.code(), Some("AccessDenied"));
    assert_eq!(service.message(), Some("Access Denied"));
    assert_eq!(service.meta().request_id(), Some("D"));
    let said = error.to_string();
    assert!(
        said.starts_with("CreateSession failed: AccessDenied: Access Denied"),
        "{said}"
    );
    // Not retried: the service said no.
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_presigned_url_carries_the_session_token() {
    let clock = Clock::new();
    let server = server(&clock).await;
    let s3 = client(&server, &clock, base_credentials());
    let presigned = s3
        .get_object()
        .bucket(BUCKET)
        .key("k")
        .presigned(PresigningConfig::expires_in(Duration::from_secs(60)).unwrap())
        .await
        .unwrap();
    let uri = presigned.uri();
    assert!(
        uri.starts_with(&format!("{}/{BUCKET}/k?", server.url())),
        "{uri}"
    );
    assert!(uri.contains("X-Amz-S3session-Token=TOKEN1"), "{uri}");
    // Signed with the session's key, its token among what is signed.
    let parsed: http::Uri = uri.parse().unwrap();
    let mut headers = hyper::HeaderMap::new();
    headers.insert(
        "host",
        parsed.authority().unwrap().as_str().parse().unwrap(),
    );
    let session = Key {
        access_key: "ASIASESSION1",
        secret_key: "SESSIONSECRET1",
    };
    let now = time::OffsetDateTime::from(clock.now());
    let (path, query) = (parsed.path(), parsed.query().unwrap());
    let check = |query: &str, key| {
        verify_presigned("GET", path, query, &headers, now, "UNSIGNED-PAYLOAD", key)
    };
    assert_eq!(check(query, session), Ok(()));
    let other = query.replace("TOKEN1", "TOKEN2");
    assert_eq!(
        check(&other, session),
        Err("signature does not match".into())
    );
    let base = Key {
        access_key: ACCESS_KEY,
        secret_key: SECRET_KEY,
    };
    assert_eq!(check(query, base), Err("unknown access key".into()));
    assert!(
        uri.contains(
            "X-Amz-Credential=ASIASESSION1%2F20261205%2Fus-west-2%2Fs3express%2Faws4_request"
        ),
        "{uri}"
    );
    assert!(!uri.contains("X-Amz-Security-Token"), "{uri}");
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    check_create_session(&requests[0], BUCKET);
}

/// A clock ten minutes fast (S3 accepts signatures up to 15 minutes off)
/// would find every five-minute session expired when it arrives: a
/// session's expiry is judged on the service's clock, learnt from its
/// answers' `Date`.
#[tokio::test]
async fn a_fast_clock_still_uses_its_session() {
    let service_clock = Clock::new();
    let server = server(&service_clock).await;
    let clock = service_clock.ahead(Duration::from_secs(600));
    let s3 = client(&server, &clock, base_credentials());
    get(&s3, BUCKET).await;
    get(&s3, BUCKET).await;
    let requests = server.requests();
    assert_eq!(requests.len(), 3, "{requests:#?}");
    check_create_session(&requests[0], BUCKET);
    check_signed_with_session(&requests[1], 1);
    check_signed_with_session(&requests[2], 1);
}

/// `disable_s3_express_session_auth` (botocore's
/// `s3_disable_express_session_auth`): no session; the client's own
/// credentials sign for `s3express`.
#[tokio::test]
async fn session_auth_can_be_turned_off() {
    let clock = Clock::new();
    let server = server(&clock).await;
    let (config, _) = test_config(&server.url());
    let s3 = Client::new(
        config
            .region("us-west-2")
            .time_source(Arc::new(clock.clone()))
            .disable_s3_express_session_auth(true)
            .build(),
    );
    get(&s3, BUCKET).await;
    let requests = server.requests();
    assert_eq!(requests.len(), 1, "{requests:#?}");
    let auth = verify_s3(&requests[0], SECRET_KEY).unwrap();
    assert_eq!(auth.access_key, ACCESS_KEY);
    assert_eq!(auth.service, "s3express");
    assert_eq!(requests[0].header("x-amz-s3session-token"), None);
}

/// Calls that need the same session at once wait for one `CreateSession`.
#[tokio::test]
async fn concurrent_calls_share_one_session_request() {
    let clock = Clock::new();
    let server = server(&clock).await;
    let s3 = client(&server, &clock, base_credentials());
    let calls: Vec<_> = (0..8)
        .map(|_| {
            let s3 = s3.clone();
            tokio::spawn(async move { get(&s3, BUCKET).await })
        })
        .collect();
    for call in calls {
        call.await.unwrap();
    }
    let requests = server.requests();
    assert_eq!(requests.len(), 9);
    assert_eq!(requests.iter().filter(|r| is_create_session(r)).count(), 1);
    for r in requests.iter().filter(|r| !is_create_session(r)) {
        check_signed_with_session(r, 1);
    }
}

/// At most 100 buckets' sessions are kept: the 101st drops the least
/// recently used, which is asked for again when it is next used.
#[tokio::test]
async fn the_least_recently_used_session_is_dropped_past_a_hundred() {
    let clock = Clock::new();
    let server = server(&clock).await;
    let s3 = client(&server, &clock, base_credentials());
    let bucket = |i: usize| format!("b{i}--usw2-az1--x-s3");
    for i in 0..100 {
        get(&s3, &bucket(i)).await;
    }
    // Bucket 0 used again: bucket 1 is now the least recent.
    get(&s3, &bucket(0)).await;
    get(&s3, &bucket(100)).await;
    let sessions = |server: &MockServer| {
        server
            .requests()
            .iter()
            .filter(|r| is_create_session(r))
            .count()
    };
    assert_eq!(sessions(&server), 101);
    get(&s3, &bucket(0)).await;
    assert_eq!(sessions(&server), 101, "bucket 0 was kept");
    get(&s3, &bucket(1)).await;
    assert_eq!(sessions(&server), 102, "bucket 1 was dropped");
    check_create_session(server.requests().iter().rev().nth(1).unwrap(), &bucket(1));
}

/// A named endpoint puts a directory bucket in the host, as S3's zonal
/// endpoints do (`BUCKET.s3express-ZONE.REGION.amazonaws.com`): the session
/// is asked for at the bucket's host, `/?session`, and kept for it.
#[tokio::test]
async fn a_virtual_hosted_bucket_asks_for_its_session_at_its_host() {
    let clock = Clock::new();
    let server = server(&clock).await;
    let transport = to_loopback(&server);
    let port = transport.addr.port_u16().unwrap();
    let (config, _) = test_config(&format!("http://localhost:{port}"));
    let s3 = Client::new(
        config
            .region("us-west-2")
            .time_source(Arc::new(clock.clone()))
            .transport(transport)
            .build(),
    );
    get(&s3, BUCKET).await;
    get(&s3, BUCKET).await;
    let requests = server.requests();
    assert_eq!(requests.len(), 3, "{requests:#?}");
    let host = format!("{BUCKET}.localhost:{port}");
    for r in &requests {
        assert_eq!(r.header("host"), Some(host.as_str()));
    }
    assert_eq!(requests[0].target, "/?session");
    let auth = verify_s3(&requests[0], SECRET_KEY).unwrap();
    assert_eq!(
        (auth.access_key.as_str(), auth.service.as_str()),
        (ACCESS_KEY, "s3express")
    );
    for r in &requests[1..] {
        assert_eq!(r.target, "/k");
        check_signed_with_session(r, 1);
    }
}
