//! Runs every case of botocore's endpoint tests for Chime SDK Voice against
//! the resolver compiled from its rule set, and prints how many ran and
//! passed (a custom harness, so the count always shows). A case we cannot
//! pass would be listed in `SKIPPED` with the reason; the list is empty.

use chime_sdk_voice::endpoint::{resolve, Params};
use serde_json::Value;
use std::process::ExitCode;

const SKIPPED: &[(&str, &str)] = &[];

fn main() -> ExitCode {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/endpoint-rules/chime-sdk-voice/endpoint-tests-1.json"
    );
    let tests: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let cases = tests["testCases"].as_array().unwrap();
    let (mut passed, mut failed, mut skipped) = (0, 0, 0);
    for case in cases {
        let name = case["documentation"].as_str().unwrap_or("(unnamed)");
        if SKIPPED.iter().any(|(n, _)| *n == name) {
            skipped += 1;
            continue;
        }
        let p = &case["params"];
        let mut params = Params::default();
        params.region = p["Region"].as_str().map(str::to_string);
        params.endpoint = p["Endpoint"].as_str().map(str::to_string);
        params.use_fips = p["UseFIPS"].as_bool().unwrap_or(false);
        params.use_dual_stack = p["UseDualStack"].as_bool().unwrap_or(false);
        let known = ["Region", "Endpoint", "UseFIPS", "UseDualStack"];
        if let Some(unknown) = p
            .as_object()
            .and_then(|o| o.keys().find(|k| !known.contains(&k.as_str())))
        {
            println!("FAILED {name}: unknown parameter {unknown}");
            failed += 1;
            continue;
        }
        let got = resolve(&params);
        let expect = &case["expect"];
        let ok = match (
            expect["endpoint"]["url"].as_str(),
            expect["error"].as_str(),
            &got,
        ) {
            (Some(url), _, Ok(got)) => url == got.url && same_signing(&expect["endpoint"], got),
            (_, Some(error), Err(got)) => error == got.message(),
            _ => false,
        };
        if ok {
            passed += 1;
        } else {
            failed += 1;
            println!("FAILED {name}: expected {expect}, got {got:?}");
        }
    }
    println!(
        "endpoint rules chime-sdk-voice: {} cases ran, {passed} passed, {skipped} skipped",
        passed + failed
    );
    for (case, reason) in SKIPPED {
        println!("skipped {case}: {reason}");
    }
    println!("endpoint rules: {passed} passed, {failed} failed");
    if failed == 0 && !cases.is_empty() && passed + skipped == cases.len() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// The first `authSchemes` entry the case expects, as the resolver gives it.
fn same_signing(expected: &Value, got: &sdkgen_runtime::endpoint_rules::ResolvedEndpoint) -> bool {
    let scheme = &expected["properties"]["authSchemes"][0];
    match (&got.auth, scheme.is_null()) {
        (None, true) => true,
        (Some(auth), false) => {
            Some(auth.name.as_str()) == scheme["name"].as_str()
                && auth.signing_name.as_deref() == scheme["signingName"].as_str()
                && auth.signing_region.as_deref() == scheme["signingRegion"].as_str()
        }
        _ => false,
    }
}
