//! Runs every case of botocore's endpoint tests for Chime SDK Voice, S3 and
//! S3 Control against the resolvers compiled from their rule sets, and
//! prints per service how many ran, passed and were skipped (a custom
//! harness, so the counts always show). A case we cannot pass would be
//! listed in `SKIPPED` with the reason; the list is empty.
//!
//! Each case is checked twice where it can be:
//! - at the resolver: its parameters set by name, the URL, every
//!   authentication scheme (name, signing name and region, region set,
//!   `disableDoubleEncoding`) and the one chosen to sign with, and the
//!   headers compared, or the error's message;
//! - through the client, for each of its `operationInputs`: a `Config`
//!   built from the case's built-ins with the public setters, the
//!   operation called through its fluent builder with the case's input
//!   (so its `staticContextParams` and `contextParam` members set the
//!   rules' parameters), and the request a recording transport saw
//!   compared: its URL starts with the endpoint's, its SigV4 credential
//!   scope names the signing region and name, the rules' headers are
//!   sent; an expected error fails the call before anything is sent, with
//!   the rules' message.
//!
//! The client signs with SigV4 only. Where the rules list `sigv4a` before
//! `sigv4` (S3 on Outposts) it takes `sigv4`, as botocore without its CRT
//! does; where they list only SigV4a (multi-region access points) or S3
//! Express One Zone's `sigv4-s3express`, the call must fail before
//! sending, naming the scheme, while the resolver is checked against the
//! whole expectation.

mod endpoint_cases {
    pub mod calls;
    pub mod profile;
    pub mod recorder;
}

use endpoint_cases::calls::{self, Call};
use endpoint_cases::recorder::{Recorder, Sent};
use sdkgen_runtime::endpoint_rules::{EndpointParam, ResolveError, ResolvedEndpoint};
use sdkgen_runtime::{Config, Credentials, RetryConfig};
use serde_json::{Map, Value};
use std::process::ExitCode;

/// (service, case documentation, why it is skipped)
const SKIPPED: &[(&str, &str, &str)] = &[];

type Resolve = fn(&Value) -> Result<ResolvedEndpoint, ResolveError>;

/// A service's generated resolver, fed a case's parameters by name.
macro_rules! resolver {
    ($krate:ident) => {
        |params: &Value| {
            let mut p = $krate::endpoint::Params::default();
            for (name, value) in params.as_object().into_iter().flatten() {
                if let Some(value) = param(value) {
                    p.set(name, value);
                }
            }
            $krate::endpoint::resolve(&p)
        }
    };
}

struct Service {
    name: &'static str,
    resolve: Resolve,
    call: Option<Call>,
}

fn main() -> ExitCode {
    let services = [
        Service {
            name: "chime-sdk-voice",
            resolve: resolver!(chime_sdk_voice),
            call: None,
        },
        Service {
            name: "s3",
            resolve: resolver!(s3),
            call: Some(calls::s3),
        },
        Service {
            name: "s3control",
            resolve: resolver!(s3_control),
            call: Some(calls::s3_control),
        },
    ];
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let mut ok = true;
    for service in &services {
        ok &= runtime.block_on(run(service));
    }
    match runtime.block_on(endpoint_cases::profile::check()) {
        Ok(()) => println!("endpoint settings of a shared config file reach S3's request: ok"),
        Err(why) => {
            println!("FAILED endpoint settings of a shared config file: {why}");
            ok = false;
        }
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

async fn run(service: &Service) -> bool {
    let path = format!(
        "{}/data/endpoint-rules/{}/endpoint-tests-1.json",
        env!("CARGO_MANIFEST_DIR"),
        service.name
    );
    let tests: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let cases = tests["testCases"].as_array().unwrap();
    let (mut passed, mut failed, mut skipped) = (0, 0, 0);
    // Operation calls: sent and compared, failed with the rules' error,
    // refused for a scheme the client does not sign with.
    let (mut sent, mut errors, mut refused) = (0, 0, 0);
    for case in cases {
        let name = case["documentation"].as_str().unwrap_or("(unnamed)");
        if SKIPPED
            .iter()
            .any(|(s, n, _)| *s == service.name && *n == name)
        {
            skipped += 1;
            continue;
        }
        let mut failures = Vec::new();
        if let Err(why) = check_resolution(service.resolve, &case["params"], &case["expect"]) {
            failures.push(format!("resolver: {why}"));
        }
        for input in case["operationInputs"].as_array().into_iter().flatten() {
            let result = match service.call {
                Some(call) => check_call(call, input, &case["expect"]).await,
                None => Err("no operation calls for this service".into()),
            };
            match result {
                Ok(CallEnd::Sent) => sent += 1,
                Ok(CallEnd::RulesError) => errors += 1,
                Ok(CallEnd::Refused) => refused += 1,
                Err(why) => failures.push(format!("{}: {why}", input["operationName"])),
            }
        }
        if failures.is_empty() {
            passed += 1;
        } else {
            failed += 1;
            println!("FAILED {} {name}:", service.name);
            for failure in failures {
                println!("    {failure}");
            }
        }
    }
    println!(
        "endpoint rules {}: {} cases ran, {passed} passed, {skipped} skipped \
         (operation calls passed: {sent} sent, {errors} failed with the rules' error, \
         {refused} refused for SigV4a or S3 Express)",
        service.name,
        passed + failed
    );
    for (s, case, reason) in SKIPPED {
        if *s == service.name {
            println!("skipped {case}: {reason}");
        }
    }
    failed == 0 && !cases.is_empty() && passed + skipped == cases.len()
}

/// A case's parameter value as the resolver takes it.
fn param(value: &Value) -> Option<EndpointParam> {
    match value {
        Value::String(s) => Some(EndpointParam::String(s.clone())),
        Value::Bool(b) => Some(EndpointParam::Bool(*b)),
        Value::Array(items) => Some(EndpointParam::StringArray(
            items
                .iter()
                .filter_map(|i| i.as_str().map(str::to_string))
                .collect(),
        )),
        _ => None,
    }
}

fn check_resolution(resolve: Resolve, params: &Value, expect: &Value) -> Result<(), String> {
    if let Some(bad) = params
        .as_object()
        .into_iter()
        .flatten()
        .find(|(_, v)| param(v).is_none())
    {
        return Err(format!("parameter {bad:?} has no rules type"));
    }
    let got = resolve(params);
    match (&expect["endpoint"], expect["error"].as_str(), &got) {
        (Value::Object(endpoint), _, Ok(got)) => {
            let url = endpoint.get("url").and_then(Value::as_str);
            if url != Some(got.url.as_str()) {
                return Err(format!("expected {url:?}, got {:?}", got.url));
            }
            same_auth(endpoint, got)?;
            same_headers(endpoint, got)
        }
        (_, Some(error), Err(got)) if error == got.message() => Ok(()),
        _ => Err(format!("expected {expect}, got {got:?}")),
    }
}

/// Every `authSchemes` entry the case expects, in order, as the resolver
/// gives them, and the one chosen to sign with.
fn same_auth(expected: &Map<String, Value>, got: &ResolvedEndpoint) -> Result<(), String> {
    let schemes: &[Value] = expected
        .get("properties")
        .and_then(|p| p["authSchemes"].as_array())
        .map_or(&[], Vec::as_slice);
    let same = |scheme: &Value, auth: &sdkgen_runtime::endpoint_rules::AuthScheme| {
        let region_set: Vec<&str> = scheme["signingRegionSet"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        Some(auth.name.as_str()) == scheme["name"].as_str()
            && auth.signing_name.as_deref() == scheme["signingName"].as_str()
            && auth.signing_region.as_deref() == scheme["signingRegion"].as_str()
            && auth.signing_region_set == region_set
            && auth.disable_double_encoding
                == scheme["disableDoubleEncoding"].as_bool().unwrap_or(false)
    };
    let all_same = schemes.len() == got.auth_schemes.len()
        && schemes
            .iter()
            .zip(&got.auth_schemes)
            .all(|(s, a)| same(s, a));
    let chosen = chosen_scheme(schemes);
    let chosen_same = match (chosen, &got.auth) {
        (None, None) => true,
        (Some(s), Some(a)) => same(s, a),
        _ => false,
    };
    if all_same && chosen_same {
        Ok(())
    } else {
        Err(format!(
            "expected auth {schemes:?}, got {:?} (chosen {:?})",
            got.auth_schemes, got.auth
        ))
    }
}

/// The scheme a client that signs with SigV4 only takes, as botocore
/// without its CRT does: the first `sigv4`, else the first listed (which
/// it then refuses).
fn chosen_scheme(schemes: &[Value]) -> Option<&Value> {
    schemes
        .iter()
        .find(|s| s["name"] == "sigv4")
        .or(schemes.first())
}

fn same_headers(expected: &Map<String, Value>, got: &ResolvedEndpoint) -> Result<(), String> {
    let mut want: Vec<(String, String)> = Vec::new();
    for (name, values) in expected
        .get("headers")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        for value in values.as_array().into_iter().flatten() {
            want.push((name.clone(), value.as_str().unwrap_or_default().to_string()));
        }
    }
    let mut have = got.headers.clone();
    want.sort();
    have.sort();
    if want == have {
        Ok(())
    } else {
        Err(format!("expected headers {want:?}, got {have:?}"))
    }
}

/// The client configuration a case's `builtInParams` describe, through the
/// setters a user calls.
fn config(built_ins: &Value, recorder: &Recorder) -> Result<Config, String> {
    let mut builder = Config::builder()
        .credentials_provider(Credentials::new("AKID", "SECRET", None, None))
        .retry_config(RetryConfig::disabled())
        .transport(recorder.clone());
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
            "AWS::S3::UseGlobalEndpoint" => builder.use_global_endpoint(flag()?),
            other => return Err(format!("no setting for the built-in {other}")),
        };
    }
    Ok(builder.build())
}

/// How a call that passed ended.
enum CallEnd {
    Sent,
    RulesError,
    Refused,
}

/// Calls the operation an `operationInputs` entry names and compares what
/// was sent with what the case expects.
async fn check_call(call: Call, input: &Value, expect: &Value) -> Result<CallEnd, String> {
    let recorder = Recorder::default();
    let config = config(&input["builtInParams"], &recorder)?;
    let op = input["operationName"].as_str().unwrap_or_default();
    let empty = Value::Object(Map::new());
    let params = input.get("operationParams").unwrap_or(&empty);
    let outcome = call(config, op.to_string(), params.clone()).await?;
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
    if scheme_name != "sigv4" {
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

/// Whether `uri` is `url` or continues it with a path or query, compared
/// without regard to case in the scheme and host as DNS does.
fn starts_with_url(uri: &str, url: &str) -> bool {
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

impl Sent {
    /// The region and service of the SigV4 credential scope
    /// (`Credential=AKID/DATE/REGION/SERVICE/aws4_request`).
    fn credential_scope(&self) -> Option<(String, String)> {
        let auth = self.header("authorization")?;
        let scope = auth.split("Credential=").nth(1)?.split(',').next()?;
        let parts: Vec<&str> = scope.split('/').collect();
        match parts.as_slice() {
            [_, _, region, service, "aws4_request"] => {
                Some((region.to_string(), service.to_string()))
            }
            _ => None,
        }
    }
}
