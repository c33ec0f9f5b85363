//! Bearer tokens (Bedrock API keys) on the generated Bedrock Runtime crate,
//! against a loopback server: with a token from the setting or from
//! `AWS_BEARER_TOKEN_BEDROCK`, `Authorization: Bearer <token>` and no SigV4
//! header, with no credentials at all; without one, SigV4 as before. The
//! token reaches no `Debug` string, error or log line.

use bedrock_runtime::operation::converse::{ConverseError, ConverseOutput};
use bedrock_runtime::types::{ContentBlock, ConversationRole, Message, StopReason};
use bedrock_runtime::{Client, ConfigBuilder, SdkError};
use sdkgen_runtime::env::Env;
use sdkgen_runtime::error::{BuildError, ErrorMetadata, ProvideErrorMetadata};
use sdkgen_runtime::operation::{Operation, Signing};
use sdkgen_runtime::protocol::SerializeContext;
use sdkgen_runtime::{Handle, Http2Policy, HttpRequest, HttpResponse, ServiceInfo};
use sdkgen_tests::server::{MockServer, Recorded, Reply};
use sdkgen_tests::sigv4_verify::verify;
use sdkgen_tests::{test_config, SECRET_KEY};
use std::io::Write;
use std::sync::{Arc, Mutex};

const TOKEN: &str = "bedrock-api-key-c2VjcmV0LXRva2VuLTlmOGU3ZDZj";
const ENV_TOKEN: &str = "bedrock-api-key-ZW52LXRva2VuLTFhMmIzYzRk";

/// The SigV4 headers, none of which a request with a token carries.
const SIGV4_HEADERS: [&str; 3] = ["x-amz-date", "x-amz-content-sha256", "x-amz-security-token"];

const REPLY: &str = r#"{"output":{"message":{"role":"assistant","content":[{"text":"Hi"}]}},"stopReason":"end_turn","usage":{"inputTokens":1,"outputTokens":1,"totalTokens":2},"metrics":{"latencyMs":5}}"#;

async fn server() -> MockServer {
    MockServer::start(|_, _| Reply::json(200, REPLY)).await
}

/// A builder for the server with no credentials: only a token can work.
fn no_credentials(url: &str) -> ConfigBuilder {
    ConfigBuilder::default()
        .region("us-east-1")
        .endpoint_url(url)
}

/// What the loader makes of these variables (and no files, no instance
/// metadata: a credential lookup finds nothing and goes nowhere).
fn loaded(vars: &[(&str, &str)]) -> ConfigBuilder {
    let mut all = vec![
        ("AWS_CONFIG_FILE", "/nonexistent/config"),
        ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
        ("AWS_REGION", "us-east-1"),
    ];
    all.extend_from_slice(vars);
    bedrock_runtime::loader()
        .env(Env::from_pairs(all))
        .load()
        .expect("the environment loads")
}

async fn converse(config: ConfigBuilder) -> Result<ConverseOutput, SdkError<ConverseError>> {
    Client::new(config.build())
        .converse()
        .model_id("anthropic.claude-3-haiku")
        .messages(
            Message::builder()
                .role(ConversationRole::User)
                .content(ContentBlock::Text("Hello".into()))
                .build(),
        )
        .send()
        .await
}

fn only_request(server: &MockServer) -> Recorded {
    let requests = server.requests();
    assert_eq!(requests.len(), 1, "{requests:?}");
    requests.into_iter().next().unwrap()
}

fn assert_bearer(request: &Recorded, token: &str) {
    assert_eq!(
        request.header("authorization"),
        Some(format!("Bearer {token}").as_str())
    );
    for name in SIGV4_HEADERS {
        assert_eq!(request.header(name), None, "{name} sent with a token");
    }
}

#[tokio::test]
async fn a_configured_token_is_sent_instead_of_a_signature_without_credentials() {
    let server = server().await;
    let output = converse(no_credentials(&server.url()).bearer_token(TOKEN))
        .await
        .expect("a token is enough");
    assert_eq!(output.stop_reason(), Some(&StopReason::EndTurn));
    let request = only_request(&server);
    assert_eq!(request.path(), "/model/anthropic.claude-3-haiku/converse");
    assert_bearer(&request, TOKEN);
}

#[tokio::test]
async fn the_loader_reads_aws_bearer_token_bedrock() {
    let server = server().await;
    let config = loaded(&[("AWS_BEARER_TOKEN_BEDROCK", ENV_TOKEN)]).endpoint_url(server.url());
    assert!(config.has_bearer_token());
    converse(config)
        .await
        .expect("the variable's token is enough");
    assert_bearer(&only_request(&server), ENV_TOKEN);
}

#[tokio::test]
async fn without_a_token_requests_are_signed_as_before() {
    let server = server().await;
    // Another service's variable is not Bedrock's.
    let config = loaded(&[("AWS_BEARER_TOKEN_BEDROCK_RUNTIME", ENV_TOKEN)]);
    assert!(!config.has_bearer_token());
    converse(test_config(&server.url()).0)
        .await
        .expect("signed");
    let request = only_request(&server);
    let auth = request.header("authorization").unwrap();
    assert!(auth.starts_with("AWS4-HMAC-SHA256 "), "{auth}");
    let parsed = verify(&request, SECRET_KEY).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(parsed.service, "bedrock");
    assert!(request.header("x-amz-date").is_some());
}

#[tokio::test]
async fn without_a_token_or_credentials_the_error_names_both_ways_out() {
    let server = server().await;
    let err = converse(no_credentials(&server.url()))
        .await
        .expect_err("nothing to authenticate with");
    assert!(matches!(err, SdkError::Credentials { .. }), "{err:?}");
    let text = sdkgen_runtime::error::report(&err);
    assert!(text.contains("credentials provider"), "{text}");
    assert!(text.contains("or a bearer token"), "{text}");
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn the_setting_wins_over_the_variable_and_clearing_it_signs_again() {
    let server = server().await;
    let config = loaded(&[("AWS_BEARER_TOKEN_BEDROCK", ENV_TOKEN)])
        .endpoint_url(server.url())
        .bearer_token(TOKEN);
    converse(config).await.expect("the setting's token");
    assert_bearer(&only_request(&server), TOKEN);

    // Code that wants SigV4 with the variable set, as botocore's signature
    // version chosen in code.
    let server = self::server().await;
    let config = loaded(&[("AWS_BEARER_TOKEN_BEDROCK", ENV_TOKEN)])
        .endpoint_url(server.url())
        .credentials_provider(sdkgen_runtime::Credentials::new(
            sdkgen_tests::ACCESS_KEY,
            SECRET_KEY,
            None,
            None,
        ))
        .clear_bearer_token();
    assert!(!config.has_bearer_token());
    converse(config).await.expect("signed");
    verify(&only_request(&server), SECRET_KEY).unwrap_or_else(|e| panic!("{e}"));
}

#[tokio::test]
async fn a_token_that_no_header_can_carry_fails_without_showing_it() {
    let server = server().await;
    let bad = "bedrock-api-key-line\nbreak-SECRETPART";
    let err = converse(no_credentials(&server.url()).bearer_token(bad))
        .await
        .expect_err("refused");
    assert!(matches!(err, SdkError::Dispatch { .. }), "{err:?}");
    let text = format!("{err} {err:?} {err:#?}");
    assert!(text.contains("bearer token cannot be sent"), "{text}");
    assert!(!text.contains("SECRETPART"), "{text}");
    assert!(server.requests().is_empty());
}

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

#[test]
fn the_token_is_in_no_debug_string_error_or_log_line() {
    let capture = Capture::default();
    let writer = capture.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    // One thread: every task of the call runs where the subscriber is set.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let printed = tracing::subscriber::with_default(subscriber, || {
        runtime.block_on(async {
            let server =
                MockServer::start(|_, _| Reply::error(403, "AccessDeniedException", "denied"))
                    .await;
            let builder = loaded(&[("AWS_BEARER_TOKEN_BEDROCK", ENV_TOKEN)])
                .endpoint_url(server.url())
                .bearer_token(TOKEN);
            let config = builder.clone().build();
            let client = Client::new(config.clone());
            let err = converse(builder).await.expect_err("denied");
            let code = err.as_service_error().and_then(|e| e.code());
            assert_eq!(code, Some("AccessDeniedException"), "{err:?}");
            assert_bearer(&only_request(&server), TOKEN);
            vec![
                format!("{config:?}"),
                format!("{config:#?}"),
                format!("{client:?}"),
                format!("{err}"),
                format!("{err:?}"),
                format!("{err:#?}"),
            ]
        })
    });
    let logs = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    assert!(!logs.is_empty(), "the call logged nothing at TRACE");
    assert!(printed[0].contains("bearer_token: Some("), "{}", printed[0]);
    for text in printed.iter().chain([&logs]) {
        for secret in [TOKEN, ENV_TOKEN, "c2VjcmV0", "ZW52LXRva2Vu"] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
    }
}

/// An operation that takes a bearer token only, as CodeCatalyst's do (no
/// such crate is generated here), or SigV4 only.
struct Ping<const BEARER_ONLY: bool>;

#[derive(Debug)]
struct Failed(ErrorMetadata);

impl std::fmt::Display for Failed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(&self.0, f)
    }
}

impl std::error::Error for Failed {}

impl ProvideErrorMetadata for Failed {
    fn meta(&self) -> &ErrorMetadata {
        &self.0
    }
}

impl<const BEARER_ONLY: bool> Operation for Ping<BEARER_ONLY> {
    const NAME: &'static str = "Ping";
    const SIGNING: Signing = if BEARER_ONLY {
        Signing::Bearer
    } else {
        Signing::SigV4
    };
    type Input = ();
    type Output = ();
    type Error = Failed;

    fn serialize(_: &(), _: &SerializeContext) -> Result<HttpRequest, BuildError> {
        Ok(HttpRequest::new("POST", "/ping".into()))
    }

    fn deserialize(_: HttpResponse) -> Result<(), SdkError<Failed>> {
        Ok(())
    }

    fn unhandled(meta: ErrorMetadata) -> Failed {
        Failed(meta)
    }
}

fn handle(config: ConfigBuilder) -> Handle {
    Handle::new(
        config.build(),
        ServiceInfo {
            service_id: "CodeCatalyst",
            signing_name: "codecatalyst",
            endpoint_prefix: "codecatalyst",
            crate_version: "0.1.0",
            resolve_endpoint: None,
            account_id_endpoints: false,
            http2: Http2Policy::Http1Only,
            hooks: None,
        },
    )
}

#[tokio::test]
async fn a_bearer_only_operation_needs_a_token_and_says_so() {
    let server = server().await;
    // Credentials do not help an operation that takes a token only.
    let err = handle(test_config(&server.url()).0)
        .call::<Ping<true>>(Ok(()))
        .await
        .expect_err("no token");
    assert!(matches!(err, SdkError::Build { .. }), "{err:?}");
    let text = err.to_string();
    assert!(text.contains("bearer token"), "{text}");
    assert!(text.contains("bearer_token(..)"), "{text}");
    assert!(server.requests().is_empty());

    handle(no_credentials(&server.url()).bearer_token(TOKEN))
        .call::<Ping<true>>(Ok(()))
        .await
        .expect("a token is enough");
    assert_bearer(&only_request(&server), TOKEN);
}

#[tokio::test]
async fn an_operation_that_takes_no_token_signs_even_with_one() {
    let server = server().await;
    handle(test_config(&server.url()).0.bearer_token(TOKEN))
        .call::<Ping<false>>(Ok(()))
        .await
        .expect("signed");
    let request = only_request(&server);
    let auth = request.header("authorization").unwrap();
    assert!(auth.starts_with("AWS4-HMAC-SHA256 "), "{auth}");
    assert!(!auth.contains(TOKEN));
    verify(&request, SECRET_KEY).unwrap_or_else(|e| panic!("{e}"));
}

/// The loader of a service that takes tokens only, reading `home`'s files
/// with the profile `dev`, SSO OIDC at `oidc`.
fn sso_loaded(home: &std::path::Path, oidc: &MockServer) -> ConfigBuilder {
    bedrock_runtime::Loader::new("CodeCatalyst")
        .sso_bearer_token()
        .env(Env::from_pairs([
            ("HOME".to_string(), home.display().to_string()),
            ("AWS_PROFILE".to_string(), "dev".to_string()),
            ("AWS_EC2_METADATA_DISABLED".to_string(), "true".to_string()),
            ("AWS_ENDPOINT_URL_SSO_OIDC".to_string(), oidc.url()),
        ]))
        .load()
        .expect("the files load")
}

fn sso_home(config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join(".aws")).unwrap();
    std::fs::write(dir.path().join(".aws/config"), config).unwrap();
    dir
}

fn from_now(seconds: u64) -> String {
    sdkgen_runtime::timestamp::format_iso8601(&sdkgen_runtime::DateTime::from(
        std::time::SystemTime::now() + std::time::Duration::from_secs(seconds),
    ))
}

#[tokio::test]
async fn a_token_only_operation_takes_the_sso_sessions_token_and_refreshes_it() {
    let server = server().await;
    let oidc = sdkgen_tests::fake_aws::sso_oidc("client-1", "refresh-1", "fresh-token").await;
    let h = sso_home(sdkgen_tests::sso::SSO_CONFIG);

    // Valid for an hour: sent as it is, with no credentials at all.
    let cache = sdkgen_tests::sso::sso_cache(h.path(), "cached-token", &from_now(3600));
    let url = server.url();
    handle(sso_loaded(h.path(), &oidc).endpoint_url(&url))
        .call::<Ping<true>>(Ok(()))
        .await
        .expect("the cached token");
    assert_bearer(&only_request(&server), "cached-token");
    assert!(oidc.requests().is_empty());

    // About to expire: refreshed with SSO OIDC, sent, and written back.
    std::fs::write(&cache, "").unwrap();
    sdkgen_tests::sso::sso_cache(h.path(), "old-token", &from_now(60));
    let server = self::server().await;
    handle(sso_loaded(h.path(), &oidc).endpoint_url(server.url()))
        .call::<Ping<true>>(Ok(()))
        .await
        .expect("a refreshed token");
    assert_bearer(&only_request(&server), "fresh-token");
    assert_eq!(oidc.requests().len(), 1);
    let written = std::fs::read_to_string(&cache).unwrap();
    assert!(written.contains("fresh-token"), "{written}");

    // A fixed token wins; an operation that signs keeps signing.
    let server = self::server().await;
    handle(
        sso_loaded(h.path(), &oidc)
            .endpoint_url(server.url())
            .bearer_token(TOKEN),
    )
    .call::<Ping<true>>(Ok(()))
    .await
    .expect("the fixed token");
    assert_bearer(&only_request(&server), TOKEN);
}

#[tokio::test]
async fn an_expired_session_or_a_profile_without_one_fails_before_sending() {
    let server = server().await;
    let oidc =
        MockServer::start(|_, _| Reply::error(400, "InvalidGrantException", "expired")).await;

    let h = sso_home(sdkgen_tests::sso::SSO_CONFIG);
    sdkgen_tests::sso::sso_cache(h.path(), "stale-token", "2020-01-01T00:00:00Z");
    let err = handle(sso_loaded(h.path(), &oidc).endpoint_url(server.url()))
        .call::<Ping<true>>(Ok(()))
        .await
        .expect_err("expired");
    assert!(matches!(err, SdkError::Credentials { .. }), "{err:?}");
    let text = format!("{err} {:?}", std::error::Error::source(&err));
    assert!(text.contains("aws sso login --sso-session corp"), "{text}");
    assert!(!text.contains("stale-token"), "{text}");

    // No `sso_session` in the profile: no token, and the error says how to
    // give one.
    let h = sso_home("[profile dev]\nregion = us-east-1\n");
    let err = handle(sso_loaded(h.path(), &oidc).endpoint_url(server.url()))
        .call::<Ping<true>>(Ok(()))
        .await
        .expect_err("no token");
    assert!(err.to_string().contains("bearer token"), "{err}");
    assert!(server.requests().is_empty());
}
