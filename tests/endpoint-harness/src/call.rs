//! An `operationInputs` entry through the generated client: a `Config`
//! built from its built-ins with the setters a user calls, the operation
//! called with its input, and the request the recording transport saw
//! compared with the case's expectation.

use crate::expect::chosen_scheme;
use crate::recorder::{Recorder, Sent};
use sdkgen_runtime::config::AccountIdEndpointMode;
use sdkgen_runtime::{Config, Credentials, RetryConfig};
use serde_json::Value;
use std::future::Future;
use std::pin::Pin;

/// Which call to make: an `operationInputs` entry, by its place in the
/// test file (as generated calls know them) and by what it holds (as
/// written ones read it).
#[derive(Debug, Clone)]
pub struct CallInput {
    pub case: usize,
    pub input: usize,
    pub operation: String,
    /// `operationParams`, `{}` when the entry has none.
    pub params: Value,
}

impl CallInput {
    pub fn new(case: usize, input: usize, entry: &Value) -> Self {
        CallInput {
            case,
            input,
            operation: entry["operationName"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
            params: entry
                .get("operationParams")
                .cloned()
                .unwrap_or_else(|| Value::Object(Default::default())),
        }
    }
}

/// How a call ended.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The operation called, to check it against the case's.
    pub operation: String,
    /// The error and its sources, one sentence each, if it failed.
    pub error: Option<String>,
    /// The host prefix the operation's model puts before the endpoint's
    /// host (`{RequestRoute}.`), which the rules' URL does not include.
    pub host_prefix: Option<String>,
}

/// A service's calls: the one an entry names, with the configuration to
/// call with; `Err` when it cannot be made.
pub type Call = fn(CallInput, Config) -> Pin<Box<dyn Future<Output = Result<Outcome, String>>>>;

/// An error and its sources, one sentence each.
pub fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(e) = source {
        text.push_str(": ");
        text.push_str(&e.to_string());
        source = e.source();
    }
    text
}

/// How a call that passed ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallEnd {
    /// Sent where the rules say, signed as they say.
    Sent,
    /// Failed before sending, with the rules' error.
    RulesError,
    /// Refused before sending: the rules ask for a scheme the client does
    /// not sign with (SigV4a without the runtime's feature).
    Refused,
}

/// The client configuration a case's `builtInParams` describe, through the
/// setters a user calls. The account id comes with the credentials, as a
/// credentials provider gives it.
pub fn config(built_ins: &Value, recorder: &Recorder) -> Result<Config, String> {
    let mut builder = Config::builder()
        .retry_config(RetryConfig::disabled())
        .transport(recorder.clone());
    let mut credentials = Credentials::new("AKID", "SECRET", None, None);
    for (name, value) in built_ins.as_object().into_iter().flatten() {
        let flag = || {
            value
                .as_bool()
                .ok_or_else(|| format!("built-in {name} = {value}"))
        };
        let text = || {
            value
                .as_str()
                .ok_or_else(|| format!("built-in {name} = {value}"))
        };
        builder = match name.as_str() {
            "AWS::Region" => builder.region(text()?),
            "AWS::UseFIPS" => builder.use_fips(flag()?),
            "AWS::UseDualStack" => builder.use_dual_stack(flag()?),
            "SDK::Endpoint" => builder.endpoint_url(text()?),
            "AWS::S3::ForcePathStyle" => builder.force_path_style(flag()?),
            "AWS::S3::Accelerate" => builder.accelerate(flag()?),
            "AWS::S3::UseArnRegion" | "AWS::S3Control::UseArnRegion" => {
                builder.use_arn_region(flag()?)
            }
            "AWS::S3::DisableMultiRegionAccessPoints" => {
                builder.disable_multi_region_access_points(flag()?)
            }
            "AWS::S3::UseGlobalEndpoint" | "AWS::STS::UseGlobalEndpoint" => {
                builder.use_global_endpoint(flag()?)
            }
            "AWS::Auth::AccountIdEndpointMode" => {
                let mode: AccountIdEndpointMode = text()?.parse()?;
                builder.account_id_endpoint_mode(mode)
            }
            "AWS::Auth::AccountId" => {
                credentials = credentials.with_account_id(text()?);
                builder
            }
            other => return Err(format!("no setting for the built-in {other}")),
        };
    }
    Ok(builder.credentials_provider(credentials).build())
}

/// Makes the call `which` names (`input`, in the test file) and compares
/// what was sent with what the case expects.
pub async fn check(
    call: Call,
    which: CallInput,
    input: &Value,
    expect: &Value,
) -> Result<CallEnd, String> {
    let recorder = Recorder::default();
    let config = config(&input["builtInParams"], &recorder)?;
    let outcome = call(which, config).await?;
    let op = input["operationName"].as_str().unwrap_or_default();
    if outcome.operation != op {
        return Err(format!(
            "the generated call is {}, the case calls {op}",
            outcome.operation
        ));
    }
    let sent = recorder.take();
    if let Some(error) = expect["error"].as_str() {
        return match (sent, outcome.error) {
            (None, Some(got)) if got.contains(error) => Ok(CallEnd::RulesError),
            (Some(sent), _) => Err(format!("expected {error:?}, but {} was sent", sent.uri)),
            (None, got) => Err(format!("expected {error:?}, got {got:?}")),
        };
    }
    let endpoint = &expect["endpoint"];
    let schemes: &[Value] = endpoint["properties"]["authSchemes"]
        .as_array()
        .map_or(&[], Vec::as_slice);
    let scheme = chosen_scheme(schemes).unwrap_or(&Value::Null);
    let scheme_name = scheme["name"].as_str().unwrap_or("sigv4");
    if !crate::expect::SIGNED_SCHEMES.contains(&scheme_name) {
        // Not supported by the client: refused before sending, by name.
        return match (sent, outcome.error) {
            (None, Some(got)) if got.contains(&format!("asks for {scheme_name} signing")) => {
                Ok(CallEnd::Refused)
            }
            (Some(sent), _) => Err(format!(
                "{scheme_name} is not supported, yet {} was sent",
                sent.uri
            )),
            (None, got) => Err(format!("expected a refusal of {scheme_name}, got {got:?}")),
        };
    }
    let sent = sent.ok_or_else(|| format!("nothing was sent: {:?}", outcome.error))?;
    let url = endpoint["url"].as_str().unwrap_or_default();
    let expected_url = match &outcome.host_prefix {
        Some(prefix) => url.replacen("://", &format!("://{prefix}"), 1),
        None => url.to_string(),
    };
    let uri = sent.uri.to_string();
    if !starts_with_url(&uri, &expected_url) {
        return Err(format!("{uri} does not start with {expected_url}"));
    }
    let (region, name) = sent.credential_scope().ok_or("the request is not signed")?;
    let (want_region, want_name) = (
        scheme["signingRegion"].as_str(),
        scheme["signingName"].as_str(),
    );
    if scheme_name == "sigv4a" {
        // The scope has no region; the set is a signed header.
        let want: Vec<&str> = scheme["signingRegionSet"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let got = sent.header("x-amz-region-set");
        if !region.is_empty() || (!want.is_empty() && got.as_deref() != Some(&want.join(","))) {
            return Err(format!(
                "signed with SigV4a for {got:?} (scope region {region:?}), expected {want:?}"
            ));
        }
    }
    if scheme_name == "sigv4-s3express" {
        s3_express_session(&recorder, &sent, &expected_url, want_region)?;
    }
    let want_region = want_region.filter(|_| scheme_name != "sigv4a");
    if want_region.is_some_and(|r| r != region) || want_name.is_some_and(|n| n != name) {
        return Err(format!(
            "signed for {region}/{name}, expected {want_region:?}/{want_name:?}"
        ));
    }
    for (header, values) in endpoint["headers"].as_object().into_iter().flatten() {
        let want: Vec<&str> = values
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let got = sent.header(header);
        if got.as_deref() != Some(want.join(",").as_str()) {
            return Err(format!("header {header}: expected {want:?}, got {got:?}"));
        }
    }
    Ok(CallEnd::Sent)
}

/// An S3 Express call: its session asked for at the endpoint the rules
/// gave (`url`: `?session` on the bucket's host, or after its path) and
/// signed with the client's key for `s3express` in the call's region
/// (`region`, where the rules name one), the call signed with the
/// session's key and carrying its token.
fn s3_express_session(
    recorder: &Recorder,
    sent: &Sent,
    url: &str,
    region: Option<&str>,
) -> Result<(), String> {
    let session = recorder
        .take_session()
        .ok_or("signed for S3 Express without asking for a session")?;
    let (session_region, name) = session
        .credential_scope()
        .ok_or("the session's request is not signed")?;
    let signed_by = |s: &Sent, key: &str| {
        s.header("authorization")
            .is_some_and(|a| a.contains(&format!("Credential={key}/")))
    };
    if name != "s3express"
        || region.is_some_and(|r| r != session_region)
        || !signed_by(&session, "AKID")
    {
        return Err(format!(
            "the session's request is signed for {session_region}/{name}"
        ));
    }
    let has_path = url
        .split_once("://")
        .is_some_and(|(_, rest)| rest.contains('/'));
    let want = match has_path {
        true => format!("{url}?session"),
        false => format!("{url}/?session"),
    };
    if !session.uri.to_string().eq_ignore_ascii_case(&want) {
        return Err(format!(
            "the session was asked for at {}, not {want}",
            session.uri
        ));
    }
    if !signed_by(sent, crate::recorder::SESSION_KEY_ID)
        || sent.header("x-amz-s3session-token").as_deref() != Some("TOKEN")
        || sent.header("x-amz-security-token").is_some()
    {
        return Err("the call is not signed with the session".into());
    }
    Ok(())
}

/// Whether `uri` is `url` or continues it with a path or query, compared
/// without regard to case in the scheme and host as DNS does.
pub fn starts_with_url(uri: &str, url: &str) -> bool {
    let split = |u: &str| -> (String, String) {
        let (scheme, rest) = u.split_once("://").unwrap_or(("", u));
        let end = rest.find(['/', '?']).unwrap_or(rest.len());
        (
            format!("{}://{}", scheme, &rest[..end]).to_ascii_lowercase(),
            rest[end..].to_string(),
        )
    };
    let ((uri_host, uri_path), (url_host, url_path)) = (split(uri), split(url));
    uri_host == url_host
        && uri_path.starts_with(&url_path)
        && (url_path.ends_with('/')
            || matches!(
                uri_path[url_path.len()..].chars().next(),
                None | Some('/' | '?')
            ))
}
