//! The generated crate as a dependency: a program outside the workspace
//! that depends on the `sdkgen-chime-sdk-voice` package by path, under the
//! name `chime-sdk-voice` (and on tokio and anyhow, as an application
//! does), not on the runtime or config crates.
//!
//! - It names every item the crate's docs offer, from the crate alone.
//! - The client, its errors and its `send()` futures are `Send`, `Sync`
//!   (the futures: `Send`) and `'static`, checked by the compiler.
//! - A refused connection printed through anyhow says each sentence once,
//!   in `{:#}` and in `{:?}`.
//! - A value only the service may produce (an unmodeled error, an unknown
//!   enum value) cannot be made or named by the program.

use sdkgen_tests::outside::Program;

const USER_PROGRAM: &str = r#"
use std::time::Duration;

use chime_sdk_voice::config::{
    Config, ConfigBuilder, ConfigError, HttpClient, HttpClientBuilder, Loader, ProxyConfig,
    RandomSource, RetryConfig, Sleep, TimeSource, TimeoutConfig,
};
use chime_sdk_voice::credentials::{
    BoxFuture, ChainProvider, Credentials, CredentialsError, EnvironmentCredentials, MfaRequest,
    MfaTokenFn, ProfileCredentials, ProvideCredentials, ProvideMfaToken,
};
use chime_sdk_voice::error::{
    BuildError, DispatchError, DispatchErrorKind, ErrorMetadata, ErrorMetadataBuilder,
    ProvideErrorMetadata, RawResponse, ResponseError, SdkError, TimeoutError, TimeoutKind,
};
use chime_sdk_voice::operation::get_proxy_session::{GetProxySessionError, GetProxySessionOutput};
use chime_sdk_voice::primitives::{Blob, ByteStream, DateTime, Document, ItemStream, PageStream};
use chime_sdk_voice::transport::{SdkBody, SendError, Transport};
use chime_sdk_voice::types::{Capability, ProxySession};
use chime_sdk_voice::Client;

fn send_sync_static<T: Send + Sync + 'static>() {}
fn send_static<T: Send + 'static>(_: &T) {}

/// Every documented item, named; never called, only compiled.
#[allow(dead_code, clippy::type_complexity)]
fn names(client: &Client) {
    send_sync_static::<Client>();
    send_sync_static::<Config>();
    send_sync_static::<SdkError<GetProxySessionError>>();
    send_sync_static::<GetProxySessionError>();
    send_sync_static::<GetProxySessionOutput>();
    send_sync_static::<ProxySession>();
    send_sync_static::<Capability>();
    send_static(&client.get_proxy_session().send());
    let _: Option<(ConfigBuilder, ConfigError, HttpClient, HttpClientBuilder, ProxyConfig)> = None;
    let _: Option<(RetryConfig, TimeoutConfig, Loader)> = None;
    let _: Option<(&dyn RandomSource, &dyn Sleep, &dyn TimeSource)> = None;
    let _: Option<(Credentials, CredentialsError, ChainProvider, EnvironmentCredentials)> = None;
    let _: Option<(MfaRequest, MfaTokenFn, ProfileCredentials, &dyn ProvideMfaToken)> = None;
    let _: Option<(&dyn ProvideCredentials, BoxFuture<'static, ()>)> = None;
    let _: Option<(BuildError, DispatchError, DispatchErrorKind, ErrorMetadata)> = None;
    let _: Option<(ErrorMetadataBuilder, RawResponse, ResponseError, TimeoutError, TimeoutKind)> =
        None;
    let _: Option<(Blob, ByteStream, DateTime, Document)> = None;
    let _: Option<(PageStream<(), GetProxySessionError>, ItemStream<(), (), GetProxySessionError>)> =
        None;
    let _: Option<(SdkBody, SendError, &dyn Transport)> = None;
}

/// What a user writes for an error of any kind: the modeled ones by name,
/// the rest by code.
fn describe(err: &SdkError<GetProxySessionError>) -> String {
    match err.as_service_error() {
        Some(GetProxySessionError::NotFoundException(e)) => format!("not found: {:?}", e.message()),
        Some(other) => format!("service error {:?}", other.code()),
        None => format!("sent: {}", err.was_sent()),
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    let port = std::env::args().nth(1).expect("a port");
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url(format!("http://127.0.0.1:{port}"))
        .credentials_provider(Credentials::new("AKIDEXAMPLE", "secret", None, None))
        .retry_config(RetryConfig::standard().with_max_backoff(Duration::from_millis(1)))
        .build();
    let client = Client::new(config);
    let result = client
        .get_proxy_session()
        .voice_connector_id("vc")
        .proxy_session_id("ps")
        .send()
        .await;
    let err = result.expect_err("nothing listens on the port");
    println!("{}", describe(&err));
    let report = anyhow::Error::new(err).context("reading the proxy session");
    println!("{report:#}");
    println!("=====");
    println!("{report:?}");
    Ok(())
}
"#;

fn user_program(name: &'static str, main: String) -> Program {
    Program {
        name,
        dependencies: vec![
            r#"chime-sdk-voice = { package = "sdkgen-chime-sdk-voice", path = "{root}/generated/chime-sdk-voice" }"#.to_string(),
            r#"tokio = { version = "1", features = ["rt", "macros"] }"#.to_string(),
            r#"anyhow = "1""#.to_string(),
        ],
        main,
    }
}

/// A port on 127.0.0.1 that nothing listens on (it was free a moment ago).
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

#[test]
fn a_refused_connection_reads_once_through_anyhow() {
    let port = closed_port().to_string();
    let outcome = user_program("consumer", USER_PROGRAM.to_string()).run(&[&port]);
    assert!(outcome.success, "{}", outcome.stderr);
    let mut lines = outcome.stdout.lines();
    assert_eq!(lines.next(), Some("sent: true"), "{}", outcome.stdout);
    let alternate = lines.next().unwrap_or_default();
    let debug: String = lines.skip(1).collect::<Vec<_>>().join("\n");
    for sentence in [
        "reading the proxy session",
        "GetProxySession: cannot connect for GET",
        &format!("http://127.0.0.1:{port}/voice-connectors/vc/proxy-sessions/ps"),
        "(after 3 attempt(s))",
        "Connection refused",
    ] {
        assert_eq!(
            alternate.matches(sentence).count(),
            1,
            "{sentence:?} in {alternate}"
        );
        assert_eq!(
            debug.matches(sentence).count(),
            1,
            "{sentence:?} in {debug}"
        );
    }
}

/// `cargo check` of a program whose `main` is `body`; it must fail, saying
/// `expected`.
fn refused(name: &'static str, body: &str, expected: &str) {
    let main = format!(
        "use chime_sdk_voice::types::Capability;\n\
         use chime_sdk_voice::operation::get_proxy_session::GetProxySessionError;\n\
         fn main() {{ {body} }}\n"
    );
    let outcome = user_program(name, main).check();
    assert!(!outcome.success, "{body} compiled");
    assert!(
        outcome.stderr.contains(expected),
        "{body}: {}",
        outcome.stderr
    );
}

#[test]
fn values_only_the_service_makes_cannot_be_made() {
    refused(
        "sealed-enum",
        r#"let _ = Capability::Unknown(chime_sdk_voice::sealed::UnknownValue::new("Fax"));"#,
        "module `sealed` is private",
    );
    refused(
        "sealed-error",
        "let _: Option<chime_sdk_voice::sealed::Unhandled> = None;",
        "module `sealed` is private",
    );
    // The deprecation the variants carry is what steers a `match` away.
    refused(
        "sealed-match",
        r#"#![deny(deprecated)]
        let e: Option<GetProxySessionError> = None;
        if let Some(GetProxySessionError::Unhandled(_)) = e {}"#,
        "use of deprecated tuple variant",
    );
}
