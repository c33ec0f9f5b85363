//! Runs every case of both SigV4 test suites, and of the SigV4a suite with
//! the runtime's `sigv4a` feature, and prints how many ran and passed per
//! suite (a custom harness, so the counts always show).
//!
//! A case we cannot pass would be listed in `SKIPPED` with the reason; the
//! list is empty and may only stay so.

use sdkgen_runtime::credentials::Credentials;
use sdkgen_runtime::sigv4::{
    sign_headers, sign_query, SignablePayload, SignableRequest, SigningParams, SigningSettings,
};
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

#[cfg(feature = "sigv4a")]
#[path = "sigv4_suites/v4a.rs"]
mod v4a;

const SKIPPED: &[(&str, &str)] = &[];

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

fn data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sigv4")
}

/// A request as the suites write it: request line, headers (continuation
/// lines start with whitespace), blank line, body.
struct Request {
    method: String,
    path: String,
    query: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

fn parse_request(text: &str) -> Request {
    let (head, body) = match text.split_once("\n\n") {
        Some((head, body)) => (head, body.as_bytes().to_vec()),
        None => (text.trim_end_matches('\n'), Vec::new()),
    };
    let mut lines = head.lines();
    let request_line = lines.next().expect("a request line");
    let (method, rest) = request_line.split_once(' ').expect("method and target");
    let target = rest.strip_suffix(" HTTP/1.1").unwrap_or(rest);
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in lines {
        if line.starts_with([' ', '\t']) {
            let last = headers.last_mut().expect("a continuation follows a header");
            last.1.push('\n');
            last.1.push_str(line);
        } else if let Some((name, value)) = line.split_once(':') {
            headers.push((name.to_string(), value.to_string()));
        }
    }
    Request {
        method: method.to_string(),
        path: path.to_string(),
        query: query.to_string(),
        headers,
        body,
    }
}

fn read(path: &Path) -> Option<String> {
    fs::read_to_string(path)
        .ok()
        .map(|s| s.trim_end_matches('\n').to_string())
}

/// Checks one expectation, noting a mismatch, or a missing expected file:
/// a case whose expectation cannot be read checks nothing, and fails.
fn expect(
    failures: &mut Vec<String>,
    case: &str,
    what: &str,
    expected: Option<String>,
    actual: &str,
) {
    match expected {
        Some(expected) if expected == actual => {}
        Some(expected) => failures.push(format!(
            "{case}: {what} differs\n--- expected\n{expected}\n--- actual\n{actual}"
        )),
        None => failures.push(format!("{case}: the expected {what} is missing")),
    }
}

struct Tally {
    ran: usize,
    passed: usize,
    skipped: usize,
    failures: Vec<String>,
}

impl Tally {
    fn new() -> Self {
        Tally {
            ran: 0,
            passed: 0,
            skipped: 0,
            failures: Vec::new(),
        }
    }

    fn record(&mut self, case_failures: Vec<String>) {
        self.ran += 1;
        if case_failures.is_empty() {
            self.passed += 1;
        }
        self.failures.extend(case_failures);
    }
}

fn skipped(name: &str) -> bool {
    SKIPPED.iter().any(|(case, _)| *case == name)
}

/// botocore's `aws4_testsuite`: `.req` in, `.creq`, `.sts`, `.authz` out.
fn run_aws4_testsuite() -> Tally {
    let mut tally = Tally::new();
    let mut cases = Vec::new();
    collect_req_files(&data().join("aws4_testsuite"), &mut cases);
    cases.sort();
    let time = OffsetDateTime::parse("2015-08-30T12:36:00Z", &Rfc3339).unwrap();
    for req_path in cases {
        let name = req_path.file_stem().unwrap().to_string_lossy().to_string();
        if skipped(&name) {
            tally.skipped += 1;
            continue;
        }
        let expected = |ext: &str| read(&req_path.with_extension(ext));
        let request = parse_request(&fs::read_to_string(&req_path).unwrap());
        // The session token is given only in the signed request, which
        // every case has.
        let Some(sreq) = expected("sreq") else {
            tally.record(vec![format!(
                "{name}: the expected signed request (.sreq) is missing"
            )]);
            continue;
        };
        let token = Some(sreq).and_then(|sreq| {
            parse_request(&sreq)
                .headers
                .into_iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("x-amz-security-token"))
                .map(|(_, v)| v)
        });
        let credentials = Credentials::new("AKIDEXAMPLE", SECRET, token, None);
        let settings = SigningSettings {
            // `post-sts-header-after` is the one case that adds the token
            // after signing, as its readme says.
            sign_session_token: name != "post-sts-header-after",
            excluded_headers: &[],
            ..SigningSettings::default()
        };
        let params = SigningParams {
            credentials: &credentials,
            region: "us-east-1",
            service: "service",
            time,
            settings,
            key_cache: None,
            algorithm: Default::default(),
        };
        let signable = SignableRequest {
            method: &request.method,
            path: &request.path,
            query: &request.query,
            headers: request
                .headers
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect(),
            payload: SignablePayload::Bytes(&request.body),
        };
        let signed = sign_headers(&signable, &params);
        let authorization = signed
            .headers
            .iter()
            .find(|(k, _)| *k == "authorization")
            .map(|(_, v)| v.clone())
            .unwrap();
        let mut failures = Vec::new();
        expect(
            &mut failures,
            &name,
            "canonical request",
            expected("creq"),
            &signed.canonical_request,
        );
        expect(
            &mut failures,
            &name,
            "string to sign",
            expected("sts"),
            &signed.string_to_sign,
        );
        expect(
            &mut failures,
            &name,
            "Authorization",
            expected("authz"),
            &authorization,
        );
        tally.record(failures);
    }
    tally
}

fn collect_req_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect_req_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "req") {
            out.push(path);
        }
    }
}

/// The `aws-sigv4` crate's suite: `context.json` and `request.txt` in; the
/// canonical request, string to sign and signature out, for header and for
/// query signing.
fn run_v4_suite() -> Tally {
    let mut tally = Tally::new();
    let root = data().join("aws-sigv4-1.6.4");
    let mut dirs: Vec<PathBuf> = fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for dir in dirs {
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        if skipped(&name) {
            tally.skipped += 1;
            continue;
        }
        let request = parse_request(&fs::read_to_string(dir.join("request.txt")).unwrap());
        let context: Option<Value> =
            read(&dir.join("context.json")).map(|t| serde_json::from_str(&t).unwrap());
        let failures = match context {
            Some(context) => run_v4_case(&name, &dir, &request, &context),
            None => run_legacy_case(&name, &dir, &request),
        };
        tally.record(failures);
    }
    tally
}

fn run_v4_case(name: &str, dir: &Path, request: &Request, context: &Value) -> Vec<String> {
    let creds = &context["credentials"];
    let credentials = Credentials::new(
        creds["access_key_id"].as_str().unwrap(),
        creds["secret_access_key"].as_str().unwrap(),
        creds["token"].as_str().map(str::to_string),
        None,
    );
    let time = OffsetDateTime::parse(context["timestamp"].as_str().unwrap(), &Rfc3339).unwrap();
    let settings = SigningSettings {
        normalize_path: context["normalize"].as_bool().unwrap_or(true),
        sign_body_header: context["sign_body"].as_bool().unwrap_or(false),
        sign_session_token: !context["omit_session_token"].as_bool().unwrap_or(false),
        excluded_headers: &[],
        ..SigningSettings::default()
    };
    let params = SigningParams {
        credentials: &credentials,
        region: context["region"].as_str().unwrap(),
        service: context["service"].as_str().unwrap(),
        time,
        settings,
        key_cache: None,
        algorithm: Default::default(),
    };
    // These cases give the caller's path, unencoded (`get-space-unnormalized`
    // has a raw space, `get-utf8` raw UTF-8), and expect it encoded once;
    // `get-space-normalized` writes the same path as `%20` in its request
    // line. Our signer encodes the path it is given once more, as AWS wants
    // for wire paths (the legacy `double-*` cases below), so it is given the
    // caller's path: the request line's path, percent-decoded.
    let path = percent_encoding::percent_decode_str(&request.path)
        .decode_utf8()
        .unwrap()
        .into_owned();
    let signable = SignableRequest {
        method: &request.method,
        path: &path,
        query: &request.query,
        headers: request
            .headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect(),
        payload: SignablePayload::Bytes(&request.body),
    };
    let expected = |file: &str| read(&dir.join(file));
    let mut failures = Vec::new();

    let header = sign_headers(&signable, &params);
    expect(
        &mut failures,
        name,
        "header canonical request",
        expected("header-canonical-request.txt"),
        &header.canonical_request,
    );
    expect(
        &mut failures,
        name,
        "header string to sign",
        expected("header-string-to-sign.txt"),
        &header.string_to_sign,
    );
    expect(
        &mut failures,
        name,
        "header signature",
        expected("header-signature.txt"),
        &header.signature,
    );

    let expires = context["expiration_in_seconds"].as_u64().unwrap_or(3600);
    let query = sign_query(&signable, &params, expires);
    expect(
        &mut failures,
        name,
        "query canonical request",
        expected("query-canonical-request.txt"),
        &query.canonical_request,
    );
    expect(
        &mut failures,
        name,
        "query string to sign",
        expected("query-string-to-sign.txt"),
        &query.string_to_sign,
    );
    expect(
        &mut failures,
        name,
        "query signature",
        expected("query-signature.txt"),
        &query.signature,
    );
    match expected("query-signed-request.txt") {
        None => failures.push(format!(
            "{name}: the expected query-signed request is missing"
        )),
        Some(signed) => {
            // Every parameter we add appears, as encoded, in the signed request.
            let target = parse_request(&signed).query;
            for (param, value) in &query.params {
                let pair = format!("{param}={value}");
                if !target.split('&').any(|p| p == pair) {
                    failures.push(format!(
                        "{name}: query parameter {pair} is not in the signed request {target}"
                    ));
                }
            }
        }
    }
    failures
}

/// `double-encode-path` and `double-url-encode` predate `context.json`: they
/// give a request with its date, and the canonical request (and for one the
/// string to sign) for the region and service of their `Authorization`.
fn run_legacy_case(name: &str, dir: &Path, request: &Request) -> Vec<String> {
    let signed = parse_request(&read(&dir.join("header-signed-request.txt")).unwrap());
    let authorization = signed
        .headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("authorization"))
        .map(|(_, v)| v.trim().to_string())
        .unwrap();
    let credential = authorization
        .split("Credential=")
        .nth(1)
        .unwrap()
        .split(',')
        .next()
        .unwrap();
    let parts: Vec<&str> = credential.split('/').collect();
    let (access_key, region, service) = (parts[0], parts[2], parts[3]);
    let canonical = read(&dir.join("header-canonical-request.txt")).unwrap();
    let amz_date = canonical
        .lines()
        .find_map(|l| l.strip_prefix("x-amz-date:"))
        .unwrap();
    let time = OffsetDateTime::parse(
        &format!(
            "{}-{}-{}T{}:{}:{}Z",
            &amz_date[0..4],
            &amz_date[4..6],
            &amz_date[6..8],
            &amz_date[9..11],
            &amz_date[11..13],
            &amz_date[13..15]
        ),
        &Rfc3339,
    )
    .unwrap();
    let credentials = Credentials::new(access_key, SECRET, None, None);
    let settings = SigningSettings {
        excluded_headers: &[],
        ..SigningSettings::default()
    };
    let params = SigningParams {
        credentials: &credentials,
        region,
        service,
        time,
        settings,
        key_cache: None,
        algorithm: Default::default(),
    };
    let signable = SignableRequest {
        method: &request.method,
        path: &request.path,
        query: &request.query,
        headers: request
            .headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect(),
        payload: SignablePayload::Bytes(&request.body),
    };
    let header = sign_headers(&signable, &params);
    let mut failures = Vec::new();
    expect(
        &mut failures,
        name,
        "header canonical request",
        Some(canonical),
        &header.canonical_request,
    );
    // Of these two cases only `double-url-encode` gives its string to
    // sign; the other's canonical request is its whole expectation.
    if let Some(string_to_sign) = read(&dir.join("header-string-to-sign.txt")) {
        expect(
            &mut failures,
            name,
            "header string to sign",
            Some(string_to_sign),
            &header.string_to_sign,
        );
    }
    failures
}

fn main() -> ExitCode {
    #[allow(unused_mut)]
    let mut suites = vec![
        ("aws4_testsuite", run_aws4_testsuite()),
        ("aws-sigv4-1.6.4/v4", run_v4_suite()),
    ];
    #[cfg(feature = "sigv4a")]
    suites.push(("aws-sigv4-1.6.4/v4a", v4a::run()));
    #[cfg(feature = "sigv4a")]
    suites.push(("official aws-sigv4 1.6.4 sigv4a", v4a::run_official()));
    // `cargo test --workspace` builds the runtime with the feature (the
    // generated S3 crate turns it on); `-p sdkgen-runtime` alone does not.
    #[cfg(not(feature = "sigv4a"))]
    println!("sigv4 suite aws-sigv4-1.6.4/v4a: not run, the runtime's `sigv4a` feature is off");
    let mut ok = true;
    let (mut passed, mut failed) = (0, 0);
    for (suite, tally) in &suites {
        println!(
            "sigv4 suite {suite}: {} cases ran, {} passed, {} skipped",
            tally.ran, tally.passed, tally.skipped
        );
        for failure in &tally.failures {
            println!("FAILED {failure}\n");
        }
        passed += tally.passed;
        failed += tally.ran - tally.passed;
        ok &= tally.failures.is_empty() && tally.ran > 0;
    }
    for (case, reason) in SKIPPED {
        println!("skipped {case}: {reason}");
    }
    println!("sigv4: {passed} passed, {failed} failed");
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
