//! The CRT's SigV4a suite (`data/sigv4a/aws-sigv4-1.6.4`): the canonical
//! requests and strings to sign are compared byte for byte, the key
//! derived from the credentials with the suite's public key, and the
//! suite's signatures (random nonces) are verified over our string to sign
//! with our public key, as ours are.
//!
//! And the official SDK's vectors (`data/sigv4a/official-vectors.json`,
//! written by `bench/sigv4a-vectors`): its nonces follow RFC 6979 as ours
//! do, so headers, query parameters and signatures compare byte for byte.

use super::{expect, parse_request, read, skipped, Request, Tally};
use ring::signature::{UnparsedPublicKey, ECDSA_P256_SHA256_ASN1};
use sdkgen_runtime::credentials::Credentials;
use sdkgen_runtime::sigv4::{
    sign_headers, sign_query, v4a, Algorithm, SignablePayload, SignableRequest, SigningParams,
    SigningSettings, UNSIGNED_PAYLOAD,
};
use serde_json::Value;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sigv4a/aws-sigv4-1.6.4")
}

pub fn run() -> Tally {
    let mut tally = Tally::new();
    let mut dirs: Vec<PathBuf> = fs::read_dir(root())
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
        let failures = match read(&dir.join("context.json")) {
            Some(context) => case(
                &name,
                &dir,
                &request,
                &serde_json::from_str(&context).unwrap(),
            ),
            None => vec![format!("{name}: context.json is missing")],
        };
        tally.record(failures);
    }
    tally
}

/// `04 || X || Y` from the suite's `{"X": hex, "Y": hex}`.
fn suite_public_key(dir: &Path) -> Option<Vec<u8>> {
    let json: Value = serde_json::from_str(&read(&dir.join("public-key.json"))?).ok()?;
    let mut key = vec![4u8];
    for coordinate in ["X", "Y"] {
        key.extend(hex(json[coordinate].as_str()?)?);
    }
    Some(key)
}

fn hex(text: &str) -> Option<Vec<u8>> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

/// A signature (hex DER) that does not verify over `message` is a failure.
fn verify(
    failures: &mut Vec<String>,
    name: &str,
    what: &str,
    public_key: &[u8],
    message: &str,
    signature: Option<&str>,
) {
    let Some(signature) = signature else {
        failures.push(format!("{name}: the {what} is missing"));
        return;
    };
    let verified = hex(signature).is_some_and(|der| {
        UnparsedPublicKey::new(&ECDSA_P256_SHA256_ASN1, public_key)
            .verify(message.as_bytes(), &der)
            .is_ok()
    });
    if !verified {
        failures.push(format!(
            "{name}: the {what} does not verify over our string to sign"
        ));
    }
}

fn case(name: &str, dir: &Path, request: &Request, context: &Value) -> Vec<String> {
    let creds = &context["credentials"];
    let access_key = creds["access_key_id"].as_str().unwrap();
    let credentials = Credentials::new(
        access_key,
        creds["secret_access_key"].as_str().unwrap(),
        creds["token"].as_str().map(str::to_string),
        None,
    );
    let time = OffsetDateTime::parse(context["timestamp"].as_str().unwrap(), &Rfc3339).unwrap();
    let params = SigningParams {
        credentials: &credentials,
        region: context["region"].as_str().unwrap(),
        service: context["service"].as_str().unwrap(),
        time,
        settings: SigningSettings {
            normalize_path: context["normalize"].as_bool().unwrap_or(true),
            sign_body_header: context["sign_body"].as_bool().unwrap_or(false),
            sign_session_token: !context["omit_session_token"].as_bool().unwrap_or(false),
            excluded_headers: &[],
            ..SigningSettings::default()
        },
        key_cache: None,
        algorithm: Algorithm::EcdsaP256,
    };
    // As in the v4 suite: the request line's path is the caller's, decoded.
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

    let ours = v4a::public_key(&v4a::derive_key(
        access_key,
        credentials.secret_access_key(),
    ));
    let public_key = match suite_public_key(dir) {
        Some(theirs) if theirs == ours => theirs,
        Some(_) => {
            failures.push(format!("{name}: the derived public key differs"));
            return failures;
        }
        None => {
            failures.push(format!("{name}: public-key.json is missing or unreadable"));
            return failures;
        }
    };

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
    let sts = &header.string_to_sign;
    for (what, signature) in [
        ("suite's header signature", expected("header-signature.txt")),
        ("our header signature", Some(header.signature.clone())),
    ] {
        verify(
            &mut failures,
            name,
            what,
            &public_key,
            sts,
            signature.as_deref(),
        );
    }
    // The signed request's Authorization: the same up to `Signature=`, and
    // its signature verifies too.
    let ours = header
        .headers
        .iter()
        .find(|(k, _)| *k == "authorization")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let theirs = expected("header-signed-request.txt").and_then(|signed| {
        parse_request(&signed)
            .headers
            .into_iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("authorization"))
            .map(|(_, v)| v)
    });
    match (
        ours.split_once("Signature="),
        theirs.as_deref().and_then(|t| t.split_once("Signature=")),
    ) {
        (Some((ours, _)), Some((theirs, signature))) => {
            expect(
                &mut failures,
                name,
                "Authorization",
                Some(theirs.to_string()),
                ours,
            );
            verify(
                &mut failures,
                name,
                "signed request's signature",
                &public_key,
                sts,
                Some(signature),
            );
        }
        _ => failures.push(format!("{name}: an Authorization without a signature")),
    }

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
    let sts = &query.string_to_sign;
    for (what, signature) in [
        ("suite's query signature", expected("query-signature.txt")),
        ("our query signature", Some(query.signature.clone())),
    ] {
        verify(
            &mut failures,
            name,
            what,
            &public_key,
            sts,
            signature.as_deref(),
        );
    }
    match expected("query-signed-request.txt") {
        None => failures.push(format!(
            "{name}: the expected query-signed request is missing"
        )),
        Some(signed) => {
            let target = parse_request(&signed).query;
            for (param, value) in query.params.iter().filter(|(p, _)| *p != "X-Amz-Signature") {
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

/// The official SDK's vectors, each signed by headers or by query.
pub fn run_official() -> Tally {
    let mut tally = Tally::new();
    let path = root().with_file_name("official-vectors.json");
    let Some(vectors) = read(&path).map(|t| serde_json::from_str::<Value>(&t).unwrap()) else {
        tally.record(vec![format!("{} is missing", path.display())]);
        return tally;
    };
    for case in vectors["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        if skipped(name) {
            tally.skipped += 1;
            continue;
        }
        tally.record(official_case(name, case));
    }
    tally
}

fn pairs(list: &Value) -> BTreeSet<(String, String)> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|p| (p[0].as_str().unwrap().into(), p[1].as_str().unwrap().into()))
        .collect()
}

fn official_case(name: &str, case: &Value) -> Vec<String> {
    let credentials = Credentials::new(
        case["access_key_id"].as_str().unwrap(),
        case["secret_access_key"].as_str().unwrap(),
        case["session_token"].as_str().map(str::to_string),
        None,
    );
    let s3 = case["s3"].as_bool().unwrap();
    let params = SigningParams {
        credentials: &credentials,
        region: case["region_set"].as_str().unwrap(),
        service: case["service"].as_str().unwrap(),
        time: OffsetDateTime::from_unix_timestamp(case["time"].as_i64().unwrap()).unwrap(),
        settings: SigningSettings {
            normalize_path: !s3,
            double_uri_encode: !s3,
            sign_body_header: s3,
            ..SigningSettings::default()
        },
        key_cache: None,
        algorithm: Algorithm::EcdsaP256,
    };
    let request = &case["request"];
    let target = request["target"].as_str().unwrap();
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let headers: Vec<(String, String)> = std::iter::once((
        "host".to_string(),
        request["host"].as_str().unwrap().to_string(),
    ))
    .chain(pairs(&request["headers"]))
    .collect();
    let body = request["body"].as_str().unwrap().as_bytes();
    let signable = SignableRequest {
        method: request["method"].as_str().unwrap(),
        path,
        query,
        headers: headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect(),
        payload: if case["unsigned_payload"].as_bool().unwrap() {
            SignablePayload::Precomputed(UNSIGNED_PAYLOAD)
        } else {
            SignablePayload::Bytes(body)
        },
    };
    let mut failures = Vec::new();
    let signature = case["signature"].as_str().map(str::to_string);
    match case["presign_expires"].as_u64() {
        None => {
            let signed = sign_headers(&signable, &params);
            let ours: BTreeSet<(String, String)> = signed
                .headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect();
            let theirs = pairs(&case["added_headers"]);
            if ours != theirs {
                failures.push(format!(
                    "{name}: headers differ\nours   {ours:?}\ntheirs {theirs:?}"
                ));
            }
            expect(
                &mut failures,
                name,
                "header signature",
                signature,
                &signed.signature,
            );
        }
        Some(expires) => {
            let signed = sign_query(&signable, &params, expires);
            let ours: BTreeSet<(String, String)> = signed
                .params
                .iter()
                .map(|(k, v)| {
                    let value = percent_encoding::percent_decode_str(v)
                        .decode_utf8()
                        .unwrap();
                    (k.to_string(), value.into_owned())
                })
                .collect();
            let theirs = pairs(&case["added_params"]);
            if ours != theirs {
                failures.push(format!(
                    "{name}: query parameters differ\nours   {ours:?}\ntheirs {theirs:?}"
                ));
            }
            expect(
                &mut failures,
                name,
                "query signature",
                signature,
                &signed.signature,
            );
        }
    }
    failures
}
