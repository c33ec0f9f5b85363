//! botocore's protocol conformance suites, run against the crates our
//! generator writes from their models (`generated/protocol-tests/`).
//!
//! Every input case builds its request through the generated client's
//! public builders and sends it to a transport that records it, which is
//! then compared with the case's `serialized`: method, path, query (in any
//! order), headers (and `forbidHeaders`, `requireHeaders`), host, and body
//! (JSON-equal when JSON, byte-equal otherwise). Every output case hands its
//! `response` to the operation's deserializer and compares the output, or
//! the error's code, message and members, with what the case expects.
//!
//! Every file of botocore's suites whose protocol the generator speaks
//! runs, the `legacy/` ones included, as botocore's runner runs them. Prints
//! `FILE input: N cases ran, P passed, K skipped` (and the same for output;
//! `FILE` is the file's name, after `legacy ` for a legacy one); a skipped
//! case is listed below with its reason, and a file of which no case ran
//! fails.

use bytes::Bytes;
use sdkgen_runtime::body::SdkBody;
use sdkgen_runtime::credentials::BoxFuture;
use sdkgen_runtime::protocol::FixedToken;
use sdkgen_runtime::transport::{SendError, Transport};
use sdkgen_runtime::{Config, Credentials, HttpResponse, RetryConfig};
use serde_json::Value;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

/// Cases not run, with why, by file label (as the summary line names the
/// file) and case id. botocore's own runner skips more (its
/// `protocol-tests-ignore-list.json`); this list may only shrink. Cases
/// whose operation the generator refuses are skipped too, with the
/// generator's reason (each cases crate's `SKIPPED`).
const SKIPPED: &[(&str, &str, &str)] = &[
    (
        "legacy json",
        "3:1 Lists",
        "expects a dense list to keep its null items and a string member to hold objects, as \
         botocore's untyped dicts do; a typed list of strings holds neither, and dense \
         collections drop nulls (modern RestJsonDeserializesDenseSetMapAndSkipsNull)",
    ),
    (
        "legacy rest-json",
        "25:6 Content-Type and JSON body",
        "forbids Content-Length on a 4-byte blob body: botocore's serializer leaves it to the \
         HTTP layer, but on the wire a body of known length carries it (modern \
         RestJsonHttpPayloadTraitsWithBlob requires it)",
    ),
    (
        "legacy rest-json",
        "25:7 Content-Type and JSON body",
        "expects application/octet-stream on a request with no body (an unset blob payload); \
         botocore sets no Content-Type on an empty streaming payload either, and its runner \
         drops this expectation (modern RestJsonHttpPayloadTraitsWithNoBlobBody sends none)",
    ),
    (
        "legacy rest-json",
        "26:1 List in header",
        "leaves out the header of an empty list; the modern RestJsonNullAndEmptyHeaders sends \
         it empty",
    ),
    (
        "rest-xml input",
        "HttpPayloadWithXmlName",
        "names a structure payload's element after its shape, where the model gives the member the `locationName` `nested`: botocore writes the member's name, as S3 needs it (`<LifecycleConfiguration>` for a `BucketLifecycleConfiguration`), and skips this case too",
    ),
    (
        "rest-xml input",
        "HttpPayloadWithXmlNamespace",
        "names a structure payload's element after its shape, where the model gives the member the `locationName` `nested`: botocore writes the member's name, as S3 needs it (`<LifecycleConfiguration>` for a `BucketLifecycleConfiguration`), and skips this case too",
    ),
    (
        "rest-xml input",
        "HttpPayloadWithXmlNamespaceAndPrefix",
        "names a structure payload's element after its shape, where the model gives the member the `locationName` `nested`: botocore writes the member's name, as S3 needs it (`<LifecycleConfiguration>` for a `BucketLifecycleConfiguration`), and skips this case too",
    ),
    (
        "rest-xml input",
        "RestXmlHttpPayloadWithUnion",
        "names a structure payload's element after its shape, where the model gives the member the `locationName` `nested`: botocore writes the member's name, as S3 needs it (`<LifecycleConfiguration>` for a `BucketLifecycleConfiguration`), and skips this case too",
    ),
    (
        "rest-xml input",
        "XmlAttributesOnPayload",
        "names a structure payload's element after its shape, where the model gives the member the `locationName` `payload`: botocore writes the member's name, as S3 needs it (`<LifecycleConfiguration>` for a `BucketLifecycleConfiguration`), and skips this case too",
    ),
    (
        "rest-xml input",
        "BodyWithXmlName",
        "names the body's root after the input shape's `locationName` (`Ahoy`) and a member after itself where its shape has a `locationName`; botocore merges a reference's and its shape's traits, the reference winning, so its root is `BodyWithXmlNameRequest` and the member `Hello`, as here; botocore skips this case",
    ),
    (
        "rest-xml input",
        "FlattenedXmlMap",
        "expects a map's entries in the order the caller wrote them; a map has no such order here (HashMap), and entries go in key order so that the same input is the same request and signature (legacy query 11:5 likewise)",
    ),
    (
        "rest-xml input",
        "XmlMaps",
        "expects a map's entries in the order the caller wrote them; a map has no such order here (HashMap), and entries go in key order so that the same input is the same request and signature (legacy query 11:5 likewise)",
    ),
    (
        "rest-xml input",
        "XmlMapsXmlName",
        "expects a map's entries in the order the caller wrote them; a map has no such order here (HashMap), and entries go in key order so that the same input is the same request and signature (legacy query 11:5 likewise)",
    ),
    (
        "rest-xml input",
        "NestedXmlMapWithXmlNameSerializes",
        "expects a map's entries in the order the caller wrote them; a map has no such order here (HashMap), and entries go in key order so that the same input is the same request and signature (legacy query 11:5 likewise)",
    ),
    (
        "legacy rest-xml input",
        "22:5 Recursive shapes",
        "expects a map's entries in the order the caller wrote them; a map has no such order here (HashMap), and entries go in key order so that the same input is the same request and signature (legacy query 11:5 likewise)",
    ),
    (
        "legacy rest-xml input",
        "26:1 List in header",
        "leaves out the header of an empty list; the modern NullAndEmptyHeaders sends it empty (legacy rest-json 26:1 likewise)",
    ),
    (
        "rest-xml output",
        "BodyWithXmlName",
        "expects the member `nested` read from `<nested>`, where its shape's `locationName` names it `Hello`: botocore merges the shape's name into the member's, as here, and skips this case",
    ),
    (
        "rest-xml output",
        "ComplexError",
        "gives no `errorMessage` for a body whose `<Message>` is `Hi` (the runner then expects an empty one); the message read is `Hi`, and botocore skips this case",
    ),
    (
        "ec2 output",
        "Ec2ComplexError",
        "gives no `errorMessage` for a body whose `<Message>` is `Hi` (the runner then expects an empty one); the message read is `Hi`, and botocore skips this case (rest-xml ComplexError likewise)",
    ),
    (
        "legacy query",
        "11:5 Recursive shapes",
        "expects a map's entries in the order the caller wrote them (foo, bar); a map has no \
         such order here (HashMap), and entries go in key order so that the same input is the \
         same request, as the modern QueryFlattenedQueryMaps cases show",
    ),
];

/// The token an unset idempotency token member gets in the suites.
const TOKEN: &str = "00000000-0000-4000-8000-000000000000";

/// One suite file's two generated crates, reached through the same calls.
struct SuiteFile {
    /// How the summary names it: `json_1_0`, `legacy rest-json`.
    label: &'static str,
    /// The input and output files under the vendored suites' directory.
    input: &'static str,
    output: &'static str,
    /// Sends input case `id` with a client made from the config.
    send: fn(String, Config) -> BoxFuture<'static, Result<(), &'static str>>,
    /// Parses a response as output case `id` does.
    parse: fn(&str, HttpResponse) -> Option<Parsed>,
    /// The cases the generator could not generate, with its reason.
    refused: &'static [(&'static str, &'static str)],
}

/// What an output case parsed into, beside what its suite expects.
enum Parsed {
    Output {
        actual: Value,
        expected: Value,
    },
    Error {
        code: Option<String>,
        message: Option<String>,
        actual: Value,
        expected: Value,
    },
    Unexpected(String),
}

macro_rules! suite_file {
    ($label:literal, $input:literal, $output:literal, $service:ident, $cases:ident) => {
        SuiteFile {
            label: $label,
            input: $input,
            output: $output,
            send: |id, config| {
                Box::pin(async move {
                    let client = $service::Client::new(config);
                    $cases::send_input(&id, &client).await
                })
            },
            parse: |id, response| {
                $cases::parse_output(id, response).map(|parsed| match parsed {
                    $cases::Parsed::Output { actual, expected } => {
                        Parsed::Output { actual, expected }
                    }
                    $cases::Parsed::Error {
                        code,
                        message,
                        actual,
                        expected,
                    } => Parsed::Error {
                        code,
                        message,
                        actual,
                        expected,
                    },
                    $cases::Parsed::Unexpected(what) => Parsed::Unexpected(what),
                })
            },
            refused: $cases::SKIPPED,
        }
    };
}

/// Every file of botocore's suites whose protocol the generator speaks.
const SUITE_FILES: &[SuiteFile] = &[
    suite_file!(
        "rest-json",
        "input/rest-json.json",
        "output/rest-json.json",
        protocol_tests_rest_json,
        protocol_tests_rest_json_cases
    ),
    suite_file!(
        "query",
        "input/query.json",
        "output/query.json",
        protocol_tests_query,
        protocol_tests_query_cases
    ),
    suite_file!(
        "json",
        "input/json.json",
        "output/json.json",
        protocol_tests_json,
        protocol_tests_json_cases
    ),
    suite_file!(
        "json_1_0",
        "input/json_1_0.json",
        "output/json_1_0.json",
        protocol_tests_json_1_0,
        protocol_tests_json_1_0_cases
    ),
    suite_file!(
        "json_1_0-query-compatible",
        "input/json_1_0-query-compatible.json",
        "output/json_1_0-query-compatible.json",
        protocol_tests_json_1_0_query_compatible,
        protocol_tests_json_1_0_query_compatible_cases
    ),
    suite_file!(
        "legacy json",
        "legacy/input/json.json",
        "legacy/output/json.json",
        protocol_tests_legacy_json,
        protocol_tests_legacy_json_cases
    ),
    suite_file!(
        "legacy rest-json",
        "legacy/input/rest-json.json",
        "legacy/output/rest-json.json",
        protocol_tests_legacy_rest_json,
        protocol_tests_legacy_rest_json_cases
    ),
    suite_file!(
        "rest-xml",
        "input/rest-xml.json",
        "output/rest-xml.json",
        protocol_tests_rest_xml,
        protocol_tests_rest_xml_cases
    ),
    suite_file!(
        "legacy rest-xml",
        "legacy/input/rest-xml.json",
        "legacy/output/rest-xml.json",
        protocol_tests_legacy_rest_xml,
        protocol_tests_legacy_rest_xml_cases
    ),
    suite_file!(
        "legacy query",
        "legacy/input/query.json",
        "legacy/output/query.json",
        protocol_tests_legacy_query,
        protocol_tests_legacy_query_cases
    ),
    suite_file!(
        "ec2",
        "input/ec2.json",
        "output/ec2.json",
        protocol_tests_ec2,
        protocol_tests_ec2_cases
    ),
    suite_file!(
        "legacy ec2",
        "legacy/input/ec2.json",
        "legacy/output/ec2.json",
        protocol_tests_legacy_ec2,
        protocol_tests_legacy_ec2_cases
    ),
];

/// The suites of one file, each case with its id: its own, or for the
/// legacy cases, which have none, `{suite}:{case} {description}` as the
/// generator names them (`sdkgen_codegen::conformance::case_id`).
fn suites(file: &str) -> Vec<(Value, Vec<(String, Value)>)> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../codegen/tests/data/botocore-protocols")
        .join(file);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let suites = serde_json::from_str::<Vec<Value>>(&text).expect("a suite file is a JSON array");
    suites
        .into_iter()
        .enumerate()
        .map(|(i, suite)| {
            let description = suite["description"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            let cases = suite["cases"]
                .as_array()
                .into_iter()
                .flatten()
                .enumerate()
                .map(|(j, case)| {
                    let id = match case["id"].as_str() {
                        Some(id) => id.to_string(),
                        None => format!("{i}:{j} {description}"),
                    };
                    (id, case.clone())
                })
                .collect();
            (suite, cases)
        })
        .collect()
}

/// Why case `id` of the file's `direction` is skipped: an entry of
/// [`SKIPPED`] labelled with the file (both directions) or with the file
/// and the direction (`rest-xml output`), else the generator's reason.
fn skip_reason(file: &SuiteFile, direction: &str, id: &str) -> Option<&'static str> {
    let labels = [
        file.label.to_string(),
        format!("{} {direction}", file.label),
    ];
    SKIPPED
        .iter()
        .find(|(label, case, _)| labels.iter().any(|l| l == label) && *case == id)
        .map(|(_, _, why)| *why)
        .or_else(|| {
            file.refused
                .iter()
                .find(|(case, _)| *case == id)
                .map(|(_, why)| *why)
        })
}

fn main() -> ExitCode {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let mut ok = true;
    for file in SUITE_FILES {
        let mut tally = Tally::default();
        for (suite, cases) in suites(file.input) {
            let endpoint = suite["clientEndpoint"].as_str().map(str::to_string);
            for (id, case) in &cases {
                tally.run(file, "input", id, || {
                    let lists = list_headers(&suite, case);
                    runtime.block_on(input_case(file, id, case, endpoint.as_deref(), &lists))
                });
            }
        }
        ok &= tally.report(file.label, "input");
        let mut tally = Tally::default();
        for (_, cases) in suites(file.output) {
            for (id, case) in &cases {
                tally.run(file, "output", id, || output_case(file, id, case));
            }
        }
        ok &= tally.report(file.label, "output");
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

#[derive(Default)]
struct Tally {
    ran: usize,
    passed: usize,
    skipped: Vec<(String, &'static str)>,
    failures: Vec<(String, String)>,
}

impl Tally {
    fn run(
        &mut self,
        file: &SuiteFile,
        direction: &str,
        id: &str,
        case: impl FnOnce() -> Result<(), String>,
    ) {
        if let Some(why) = skip_reason(file, direction, id) {
            self.skipped.push((id.to_string(), why));
            return;
        }
        self.ran += 1;
        match case() {
            Ok(()) => self.passed += 1,
            Err(why) => self.failures.push((id.to_string(), why)),
        }
    }

    /// Prints the summary line, the skips and the failures; `true` if all
    /// cases that ran passed, and some ran: a file of which nothing ran
    /// checked nothing.
    fn report(&self, label: &str, direction: &str) -> bool {
        println!(
            "{label} {direction}: {} cases ran, {} passed, {} skipped",
            self.ran,
            self.passed,
            self.skipped.len()
        );
        for (id, why) in &self.skipped {
            println!("  skipped {id}: {why}");
        }
        for (id, why) in &self.failures {
            println!("  FAILED {id}: {why}");
        }
        if self.ran == 0 {
            println!("  FAILED: no case ran");
        }
        self.failures.is_empty() && self.ran > 0
    }
}

/// What the transport was asked to send.
#[derive(Debug, Clone)]
struct Sent {
    method: String,
    uri: http::Uri,
    headers: Vec<(String, String)>,
    body: Bytes,
}

/// A transport that records the request and answers `200` with no body.
#[derive(Debug, Clone, Default)]
struct Recorder(Arc<Mutex<Option<Sent>>>);

impl Transport for Recorder {
    fn send(
        &self,
        request: http::Request<SdkBody>,
    ) -> BoxFuture<'_, Result<http::Response<SdkBody>, SendError>> {
        Box::pin(async move {
            let (parts, body) = request.into_parts();
            let body = body
                .collect_limited(usize::MAX)
                .await
                .expect("the request body reads");
            let headers = parts
                .headers
                .iter()
                .map(|(k, v)| (k.to_string(), String::from_utf8_lossy(v.as_bytes()).into()))
                .collect();
            *self.0.lock().unwrap() = Some(Sent {
                method: parts.method.to_string(),
                uri: parts.uri,
                headers,
                body,
            });
            Ok(http::Response::new(SdkBody::empty()))
        })
    }
}

async fn input_case(
    file: &SuiteFile,
    id: &str,
    case: &Value,
    endpoint: Option<&str>,
    list_headers: &[String],
) -> Result<(), String> {
    let endpoint = endpoint.unwrap_or("https://example.com");
    let recorder = Recorder::default();
    let config = Config::builder()
        .region("us-east-1")
        .credentials_provider(Credentials::new("AKID", "SECRET", None, None))
        .endpoint_url(endpoint)
        .retry_config(RetryConfig::disabled())
        .idempotency_token_provider(FixedToken(TOKEN.into()))
        .transport(recorder.clone())
        .build();
    (file.send)(id.to_string(), config).await?;
    let sent = recorder
        .0
        .lock()
        .unwrap()
        .take()
        .ok_or("nothing was sent")?;
    let expected = &case["serialized"];
    compare_request(&sent, expected, endpoint, list_headers)
}

/// The headers that carry a list member of the case's input. HTTP allows
/// optional whitespace after a list's commas (RFC 9110, 5.6.1), and the
/// suites write both `a,b` (legacy) and `a, b` (modern): these compare as
/// lists, as botocore's runner compares them.
fn list_headers(suite: &Value, case: &Value) -> Vec<String> {
    let shapes = &suite["shapes"];
    let input = &shapes[case["given"]["input"]["shape"].as_str().unwrap_or_default()];
    input["members"]
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(_, member)| {
            member["location"] == "header"
                && shapes[member["shape"].as_str().unwrap_or_default()]["type"] == "list"
        })
        .map(|(name, member)| member["locationName"].as_str().unwrap_or(name).to_string())
        .collect()
}

fn compare_request(
    sent: &Sent,
    expected: &Value,
    endpoint: &str,
    list_headers: &[String],
) -> Result<(), String> {
    if let Some(method) = expected["method"].as_str() {
        if sent.method != method {
            return Err(format!("method {} != {method}", sent.method));
        }
    }
    let actual_uri = sent.uri.path_and_query().map_or("/", |p| p.as_str());
    let expected_uri = expected["uri"].as_str().unwrap_or("");
    let (actual_path, actual_query) = split_query(actual_uri);
    let (expected_path, expected_query) = split_query(expected_uri);
    if actual_path != expected_path {
        return Err(format!("path {actual_path} != {expected_path}"));
    }
    if actual_query != expected_query {
        return Err(format!(
            "query {actual_query:?} != {expected_query:?} (in any order)"
        ));
    }
    let header = |name: &str| -> Option<String> {
        let values: Vec<&str> = sent
            .headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect();
        (!values.is_empty()).then(|| values.join(", "))
    };
    for (name, value) in expected["headers"].as_object().into_iter().flatten() {
        let value = value.as_str().unwrap_or_default();
        match header(name) {
            Some(actual) if same_header_value(name, &actual, value) => {}
            Some(actual)
                if list_headers.iter().any(|h| h.eq_ignore_ascii_case(name))
                    && actual.replace(", ", ",") == value.replace(", ", ",") => {}
            Some(actual) => return Err(format!("header {name}: {actual:?} != {value:?}")),
            None => return Err(format!("header {name} is missing (expected {value:?})")),
        }
    }
    for name in names(&expected["forbidHeaders"]) {
        if let Some(actual) = header(name) {
            return Err(format!("header {name} must not be sent, but is {actual:?}"));
        }
    }
    for name in names(&expected["requireHeaders"]) {
        if header(name).is_none() {
            return Err(format!("header {name} must be sent"));
        }
    }
    if let Some(host) = expected["host"].as_str() {
        let base = endpoint
            .parse::<http::Uri>()
            .map(|u| u.path().trim_end_matches('/').to_string())
            .unwrap_or_default();
        let actual = format!("{}{base}", sent.uri.authority().map_or("", |a| a.as_str()));
        if actual != host {
            return Err(format!("host {actual} != {host}"));
        }
    }
    if let Some(body) = expected["body"].as_str() {
        compare_body(&sent.body, body)?;
    }
    Ok(())
}

/// Header values compare as text, but for the form's media type, which
/// the query suites write with and without `; charset=utf-8` (the modern
/// ones without, the legacy ones with, as botocore sends it): a form body
/// is UTF-8 either way, and botocore's runner adds the parameter to every
/// expectation before comparing.
fn same_header_value(name: &str, actual: &str, expected: &str) -> bool {
    let media_type = |value: &str| {
        value
            .strip_suffix("; charset=utf-8")
            .unwrap_or(value)
            .to_string()
    };
    actual == expected
        || (name.eq_ignore_ascii_case("content-type")
            && media_type(actual) == "application/x-www-form-urlencoded"
            && media_type(actual) == media_type(expected))
}

fn names(list: &Value) -> impl Iterator<Item = &str> {
    list.as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
}

/// The path, and the query's parameters sorted (their order is free).
fn split_query(uri: &str) -> (&str, Vec<&str>) {
    match uri.split_once('?') {
        Some((path, query)) => {
            let mut params: Vec<&str> = query.split('&').filter(|p| !p.is_empty()).collect();
            params.sort_unstable();
            (path, params)
        }
        None => (uri, Vec::new()),
    }
}

/// JSON-equal when both are JSON, XML-equal when both are XML (as
/// botocore's runner compares them, canonicalized with whitespace-only text
/// stripped), byte-equal otherwise.
fn compare_body(actual: &[u8], expected: &str) -> Result<(), String> {
    if expected.is_empty() {
        return if actual.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "body {:?} != (empty)",
                String::from_utf8_lossy(actual)
            ))
        };
    }
    let parsed = (
        serde_json::from_slice::<Value>(actual),
        serde_json::from_str::<Value>(expected),
    );
    match parsed {
        (Ok(a), Ok(e)) if a == e => Ok(()),
        (Ok(a), Ok(e)) => Err(format!("body {a} != {e}")),
        _ if actual == expected.as_bytes() => Ok(()),
        _ if xml_tree(actual).is_some() && xml_tree(actual) == xml_tree(expected.as_bytes()) => {
            Ok(())
        }
        _ => Err(format!(
            "body {:?} != {expected:?}",
            String::from_utf8_lossy(actual)
        )),
    }
}

/// An XML document as a tree that compares as canonical XML does:
/// elements and attributes by namespace URI and local name (prefixes and
/// unused declarations aside), attributes in any order, text trimmed.
#[derive(Debug, PartialEq)]
struct XmlNode {
    name: (Option<String>, String),
    attributes: Vec<(Option<String>, String, String)>,
    text: String,
    children: Vec<XmlNode>,
}

fn xml_tree(body: &[u8]) -> Option<XmlNode> {
    fn node(n: roxmltree::Node<'_, '_>) -> XmlNode {
        let mut attributes: Vec<_> = n
            .attributes()
            .map(|a| {
                (
                    a.namespace().map(str::to_string),
                    a.name().to_string(),
                    a.value().to_string(),
                )
            })
            .collect();
        attributes.sort();
        let text: String = n
            .children()
            .filter(|c| c.is_text())
            .filter_map(|c| c.text())
            .map(str::trim)
            .collect();
        XmlNode {
            name: (
                n.tag_name().namespace().map(str::to_string),
                n.tag_name().name().to_string(),
            ),
            attributes,
            text,
            children: n.children().filter(|c| c.is_element()).map(node).collect(),
        }
    }
    let text = std::str::from_utf8(body).ok()?;
    let document = roxmltree::Document::parse(text).ok()?;
    Some(node(document.root_element()))
}

fn output_case(file: &SuiteFile, id: &str, case: &Value) -> Result<(), String> {
    let response = &case["response"];
    let status = response["status_code"].as_u64().unwrap_or(200) as u16;
    let headers = response["headers"]
        .as_object()
        .map(|h| {
            h.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                .collect()
        })
        .unwrap_or_default();
    let body = response["body"].as_str().unwrap_or_default().to_string();
    let parsed = (file.parse)(id, HttpResponse::new(status, headers, body))
        .ok_or("the generated cases crate has no such case")?;
    let expected_code = case["errorCode"].as_str();
    match (parsed, expected_code) {
        (Parsed::Output { actual, expected }, None) => same("output", &actual, &expected),
        (
            Parsed::Error {
                code,
                message,
                actual,
                expected,
            },
            Some(expected_code),
        ) => {
            if code.as_deref() != Some(expected_code) {
                return Err(format!("error code {code:?} != {expected_code:?}"));
            }
            // botocore's form: an error without a message has an empty one.
            let expected_message = case["errorMessage"].as_str().unwrap_or("");
            if message.as_deref() != Some(expected_message) {
                return Err(format!("error message {message:?} != {expected_message:?}"));
            }
            same("error members", &actual, &expected)
        }
        (Parsed::Output { actual, .. }, Some(code)) => Err(format!(
            "expected the error {code}, got the output {actual}"
        )),
        (Parsed::Error { code, .. }, None) => {
            Err(format!("expected an output, got the error {code:?}"))
        }
        (Parsed::Unexpected(what), _) => Err(format!("unexpected result: {what}")),
    }
}

fn same(what: &str, actual: &Value, expected: &Value) -> Result<(), String> {
    if actual == expected {
        Ok(())
    } else {
        Err(format!("{what} {actual} != {expected}"))
    }
}
