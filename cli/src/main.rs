//! `get-proxy-session`: `aws chime-sdk-voice get-proxy-session` on the
//! generated client, with the AWS CLI's output and exit codes: 0 on
//! success, 254 for a service error, 255 for a client-side failure, 252 for
//! a usage error.

mod args;
mod mfa;

use chime_sdk_voice::operation::get_proxy_session::GetProxySessionError;
use chime_sdk_voice::{Client, ProvideErrorMetadata, SdkError};
use serde::Serialize;
use std::process::ExitCode;

const SERVICE_ERROR: u8 = 254;
const CLIENT_ERROR: u8 = 255;
const USAGE_ERROR: u8 = 252;

fn main() -> ExitCode {
    let raw: Vec<String> = std::env::args().skip(1).collect();
    let args = match args::parse(&raw) {
        Ok(args) if args.help => {
            println!("{}", args::USAGE);
            return ExitCode::SUCCESS;
        }
        Ok(args) => args,
        Err(message) => {
            eprintln!("{}\n\nget-proxy-session: error: {message}", args::USAGE);
            return ExitCode::from(USAGE_ERROR);
        }
    };
    init_logging(args.debug);
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("cannot start the async runtime: {e}");
            return ExitCode::from(CLIENT_ERROR);
        }
    };
    runtime.block_on(run(args))
}

/// `--debug` shows the request flow at debug level; `RUST_LOG` chooses
/// anything else. Logs go to stderr, so stdout stays the JSON output.
fn init_logging(debug: bool) {
    use tracing_subscriber::EnvFilter;
    let filter = match std::env::var("RUST_LOG") {
        Ok(spec) if !spec.trim().is_empty() => EnvFilter::new(spec),
        _ if debug => EnvFilter::new("debug"),
        _ => return,
    };
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(true)
        .init();
}

async fn run(args: args::Args) -> ExitCode {
    let mut loader = chime_sdk_voice::loader().mfa_token_provider(mfa::terminal_prompt());
    if let Some(profile) = &args.profile {
        loader = loader.profile(profile);
    }
    let mut builder = match loader.load() {
        Ok(builder) => builder,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(CLIENT_ERROR);
        }
    };
    if let Some(region) = &args.region {
        builder = builder.region(region);
    }
    if let Some(url) = &args.endpoint_url {
        builder = builder.endpoint_url(url);
    }
    let client = Client::new(builder.app_name("get-proxy-session").build());
    #[allow(deprecated)] // the model deprecates GetProxySession; the command still offers it
    let result = client
        .get_proxy_session()
        .voice_connector_id(&args.voice_connector_id)
        .proxy_session_id(&args.proxy_session_id)
        .send()
        .await;
    match result {
        Ok(output) => match to_json(&output) {
            Ok(json) => {
                println!("{json}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("cannot print the response: {e}");
                ExitCode::from(CLIENT_ERROR)
            }
        },
        Err(SdkError::Service { operation, source }) => {
            eprintln!("\n{}", service_error_line(operation, &source));
            ExitCode::from(SERVICE_ERROR)
        }
        Err(other) => {
            eprintln!("\n{other}");
            ExitCode::from(CLIENT_ERROR)
        }
    }
}

/// `An error occurred (CODE) when calling the OP operation: MESSAGE`, as the
/// AWS CLI prints it; with no code, the HTTP status stands in for it.
fn service_error_line(operation: &str, error: &GetProxySessionError) -> String {
    let code = error
        .code()
        .map(str::to_string)
        .unwrap_or_else(|| error.status().to_string());
    let message = error.message().unwrap_or("Unknown");
    format!("An error occurred ({code}) when calling the {operation} operation: {message}")
}

/// JSON with the model's member names, indented by four spaces as the AWS
/// CLI does.
fn to_json(value: &impl Serialize) -> Result<String, serde_json::Error> {
    let mut out = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, formatter);
    value.serialize(&mut serializer)?;
    Ok(String::from_utf8(out).expect("serde_json writes UTF-8"))
}
