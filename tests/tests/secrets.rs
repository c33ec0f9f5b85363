//! Secrets never reach a log or a `Debug` string: a full call with tracing
//! at TRACE (our crates and hyper's), retries and an error included, then
//! `Debug` of everything a user might print.
#![allow(deprecated)]

use chime_sdk_voice::{Client, Credentials};
use sdkgen_runtime::error::report;
use sdkgen_tests::server::{MockServer, Reply};
use sdkgen_tests::test_config;
use std::io::Write;
use std::sync::{Arc, Mutex};

const SECRET_KEY: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const SESSION_TOKEN: &str = "SESSION-TOKEN-9f8e7d6c5b4a";
/// An S3 Express session's token.
const EXPRESS_TOKEN: &str = "EXPRESS-TOKEN-5e6f7a8b";

/// Collects everything the subscriber writes.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Runs `call` on one thread (so that every task of it runs where the
/// subscriber is set) with tracing at TRACE: what it returned, and all
/// that was logged.
fn traced<T>(call: impl std::future::Future<Output = T>) -> (T, String) {
    let capture = Capture::default();
    let writer = capture.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let out = tracing::subscriber::with_default(subscriber, || runtime.block_on(call));
    let logs = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    (out, logs)
}

#[test]
fn no_secret_in_logs_or_debug_output() {
    let ((signature, printed), logs) = traced(async {
        let mut printed = Vec::new();
        let server = MockServer::start(|_, i| match i {
            0 => Reply::error(503, "ServiceUnavailableException", "busy"),
            1 => Reply::json(
                200,
                r#"{"ProxySession":{"Participants":[{"PhoneNumber":"+12065550100"}]}}"#,
            ),
            _ => Reply::error(403, "ForbiddenException", "denied"),
        })
        .await;
        let credentials =
            Credentials::new("AKIDEXAMPLE", SECRET_KEY, Some(SESSION_TOKEN.into()), None);
        let config = test_config(&server.url())
            .0
            .credentials_provider(credentials.clone())
            .build();
        printed.push(format!("{config:?}"));
        printed.push(format!("{credentials:?} {credentials:#?}"));
        let client = Client::new(config);
        printed.push(format!("{client:?}"));
        let builder = client
            .get_proxy_session()
            .voice_connector_id("vc1")
            .proxy_session_id("ps1");
        printed.push(format!("{builder:?}"));
        let output = builder.send().await.unwrap();
        printed.push(format!("{output:?}"));
        let err = client
            .get_proxy_session()
            .voice_connector_id("vc1")
            .proxy_session_id("ps1")
            .send()
            .await
            .unwrap_err();
        printed.push(format!("{err:?} {err}"));
        let request = server.requests().pop().unwrap();
        let authorization = request.header("authorization").unwrap().to_string();
        let signature = authorization.rsplit("Signature=").next().unwrap();
        (signature.to_string(), printed)
    });
    assert!(
        logs.contains("TRACE") || logs.contains("DEBUG"),
        "the subscriber saw the call:\n{logs}"
    );
    assert!(logs.contains("retrying"), "{logs}");
    let everything = format!("{logs}\n{}", printed.join("\n"));
    for (what, secret) in [
        ("secret key", SECRET_KEY),
        ("session token", SESSION_TOKEN),
        ("signature", signature.as_str()),
        ("phone number", "+12065550100"),
    ] {
        assert!(
            !everything.contains(secret),
            "the {what} was printed:\n{everything}"
        );
    }
}

/// An S3 Express session's secret and token, given out by `CreateSession`
/// in a response body, stay out of logs and printed errors too, also when
/// the answer cannot be read.
#[test]
fn no_s3_express_session_secret_in_logs_or_errors() {
    const SESSION_SECRET: &str = "SESSION-SECRET-1a2b3c4d";
    let (printed, logs) = traced(async {
        let mut printed = Vec::new();
        let session = format!("<CreateSessionResult><Credentials><SessionToken>{EXPRESS_TOKEN}</SessionToken><SecretAccessKey>{SESSION_SECRET}</SecretAccessKey><AccessKeyId>ASIASESSION</AccessKeyId><Expiration>2100-01-01T00:00:00Z</Expiration></Credentials></CreateSessionResult>");
        // The second bucket's answer lacks its expiry: unreadable.
        let broken = session.replace("<Expiration>2100-01-01T00:00:00Z</Expiration>", "");
        let server = MockServer::start(move |r, _| {
            let body = match (r.target.ends_with("?session"), r.target.contains("broken")) {
                (true, false) => session.clone(),
                (true, true) => broken.clone(),
                (false, _) => "object".into(),
            };
            Reply::Respond {
                status: 200,
                headers: Vec::new(),
                body,
            }
        })
        .await;
        let config = test_config(&server.url()).0.region("us-west-2").build();
        let s3 = s3::Client::new(config);
        let got = s3
            .get_object()
            .bucket("good--usw2-az1--x-s3")
            .key("k")
            .send()
            .await
            .unwrap();
        printed.push(format!("{got:?}"));
        let err = s3
            .get_object()
            .bucket("broken--usw2-az1--x-s3")
            .key("k")
            .send()
            .await
            .unwrap_err();
        printed.push(format!("{err:?} {err} {}", report(&err)));
        printed.push(format!("{s3:?}"));
        printed
    });
    assert!(logs.contains("CreateSession"), "{logs}");
    let everything = format!("{logs}\n{}", printed.join("\n"));
    assert!(
        everything.contains("Expiration"),
        "the failure is said: {everything}"
    );
    for (what, secret) in [
        ("session secret", SESSION_SECRET),
        ("session token", EXPRESS_TOKEN),
    ] {
        assert!(
            !everything.contains(secret),
            "the {what} was printed:\n{everything}"
        );
    }
}

/// A transport that prints each request it is given, as a user's logging
/// transport might, and answers with an empty proxy session.
#[derive(Debug, Clone, Default)]
struct PrintingTransport(Arc<Mutex<Vec<String>>>);

impl sdkgen_runtime::transport::Transport for PrintingTransport {
    fn send(
        &self,
        request: http::Request<sdkgen_runtime::body::SdkBody>,
    ) -> sdkgen_runtime::credentials::BoxFuture<
        '_,
        Result<http::Response<sdkgen_runtime::body::SdkBody>, sdkgen_runtime::transport::SendError>,
    > {
        self.0.lock().unwrap().push(format!("{request:?}"));
        // An S3 Express session for `CreateSession`.
        let body = match request.uri().query() {
            Some("session") => format!("<CreateSessionResult><Credentials><SessionToken>{EXPRESS_TOKEN}</SessionToken><SecretAccessKey>S</SecretAccessKey><AccessKeyId>ASIASESSION</AccessKeyId><Expiration>2100-01-01T00:00:00Z</Expiration></Credentials></CreateSessionResult>"),
            _ => r#"{"ProxySession":{}}"#.to_string(),
        };
        Box::pin(async move {
            let body = sdkgen_runtime::body::SdkBody::from_bytes(body);
            Ok(http::Response::new(body))
        })
    }
}

/// The signed request's `Authorization` and session token (STS's, and an
/// S3 Express session's) are marked sensitive: printing the request shows
/// neither.
#[tokio::test]
async fn a_printed_request_shows_no_token_or_signature() {
    let transport = PrintingTransport::default();
    let credentials = Credentials::new("AKIDEXAMPLE", SECRET_KEY, Some(SESSION_TOKEN.into()), None);
    let config = test_config("http://127.0.0.1:1")
        .0
        .credentials_provider(credentials)
        .transport(transport.clone())
        .build();
    Client::new(config)
        .get_proxy_session()
        .voice_connector_id("vc1")
        .proxy_session_id("ps1")
        .send()
        .await
        .unwrap();
    // And an S3 Express call: its session token in its own header.
    let config = test_config("http://127.0.0.1:1")
        .0
        .region("us-west-2")
        .transport(transport.clone())
        .build();
    s3::Client::new(config)
        .get_object()
        .bucket("b--usw2-az1--x-s3")
        .key("k")
        .send()
        .await
        .unwrap();
    let printed = transport.0.lock().unwrap().join("\n");
    assert_eq!(transport.0.lock().unwrap().len(), 3, "{printed}");
    for name in [
        "x-amz-security-token",
        "x-amz-s3session-token",
        "authorization",
    ] {
        assert!(printed.contains(name), "{name} not in {printed}");
    }
    for secret in [SESSION_TOKEN, EXPRESS_TOKEN, "Signature=", "Credential="] {
        assert!(!printed.contains(secret), "{secret} in {printed}");
    }
}
