//! Which authentication an operation gets from the model's `auth`,
//! `authtype` and `signatureVersion`, and whether the crate's loader reads
//! a bearer token from the environment, as botocore chooses them.

mod common;

use common::options;
use sdkgen_codegen::Inputs;
use serde_json::{json, Value};

/// A one-operation rest-json model with this metadata and operation
/// `auth` / `authtype`.
fn model(metadata: Value, op_auth: Value) -> String {
    let mut meta = json!({"apiVersion": "2024-01-01", "protocol": "rest-json", "serviceId": "T"});
    meta.as_object_mut()
        .unwrap()
        .extend(metadata.as_object().unwrap().clone());
    let mut op = json!({
        "name": "Ping",
        "http": {"method": "POST", "requestUri": "/ping"},
    });
    op.as_object_mut()
        .unwrap()
        .extend(op_auth.as_object().unwrap().clone());
    json!({"metadata": meta, "operations": {"Ping": op}, "shapes": {}}).to_string()
}

/// The operation's `SIGNING` line (none for the SigV4 default) and the
/// generated `loader()`'s body.
fn generated(model: &str) -> (Option<String>, String) {
    let inputs = Inputs {
        service: model,
        ..Inputs::default()
    };
    let files = sdkgen_codegen::generate(&inputs, None, &options()).expect("generates");
    let op = &files["src/operation/ping/mod.rs"];
    let signing = op
        .lines()
        .find(|l| l.contains("const SIGNING"))
        .and_then(|l| l.rsplit("Signing::").next())
        .map(|v| v.trim_end_matches(';').to_string());
    let lib = &files["src/lib.rs"];
    let loader = lib
        .split("pub fn loader() -> Loader {")
        .nth(1)
        .and_then(|rest| rest.split('}').next())
        .expect("a loader")
        .trim()
        .to_string();
    (signing, loader)
}

#[test]
fn bearer_beside_sigv4_is_a_token_when_configured_else_sigv4() {
    let bedrock = json!({"signingName": "bedrock", "signatureVersion": "v4",
        "auth": ["aws.auth#sigv4", "smithy.api#httpBearerAuth"]});
    let (signing, loader) = generated(&model(bedrock.clone(), json!({})));
    assert_eq!(signing.as_deref(), Some("SigV4OrBearer"));
    assert_eq!(
        loader,
        "Loader::new(SERVICE_ID).bearer_token_env(SIGNING_NAME)"
    );

    // The operation's own list wins over the service's, whatever its order.
    let (signing, _) = generated(&model(
        json!({"signingName": "bedrock"}),
        json!({"auth": ["smithy.api#httpBearerAuth", "aws.auth#sigv4"]}),
    ));
    assert_eq!(signing.as_deref(), Some("SigV4OrBearer"));
    let (signing, loader) = generated(&model(bedrock, json!({"auth": ["aws.auth#sigv4"]})));
    assert_eq!(signing, None);
    // No operation takes a token: the variable is not read.
    assert_eq!(loader, "Loader::new(SERVICE_ID)");
}

#[test]
fn the_variable_is_read_only_for_the_signing_names_botocore_reads_it_for() {
    let other = json!({"signingName": "other",
        "auth": ["aws.auth#sigv4", "smithy.api#httpBearerAuth"]});
    let (signing, loader) = generated(&model(other, json!({})));
    assert_eq!(signing.as_deref(), Some("SigV4OrBearer"));
    assert_eq!(loader, "Loader::new(SERVICE_ID)");
}

#[test]
fn bearer_alone_is_bearer_only() {
    // CodeCatalyst: `signatureVersion: bearer` and nothing else.
    let codecatalyst = json!({"signingName": "codecatalyst", "signatureVersion": "bearer"});
    let (signing, loader) = generated(&model(codecatalyst, json!({})));
    assert_eq!(signing.as_deref(), Some("Bearer"));
    // Tokens from the profile's SSO session, as botocore's token provider.
    assert_eq!(loader, "Loader::new(SERVICE_ID).sso_bearer_token()");
}

#[test]
fn sigv4_alone_and_unsigned_bodies_keep_their_signing() {
    let (signing, _) = generated(&model(json!({"auth": ["aws.auth#sigv4"]}), json!({})));
    assert_eq!(signing, None);
    // A body left unsigned keeps SigV4 only (no model lists a token too).
    let (signing, _) = generated(&model(
        json!({"auth": ["aws.auth#sigv4", "smithy.api#httpBearerAuth"]}),
        json!({"unsignedPayload": true}),
    ));
    assert_eq!(signing.as_deref(), Some("SigV4UnsignedPayload"));
    let (signing, _) = generated(&model(
        json!({"auth": ["smithy.api#httpBearerAuth", "aws.auth#sigv4"]}),
        json!({"unsignedPayload": true}),
    ));
    assert_eq!(signing.as_deref(), Some("SigV4UnsignedPayload"));
}

#[test]
fn signature_version_2_is_sigv2() {
    // SimpleDB and Import/Export: `signatureVersion: v2`, no `auth`.
    let sdb = json!({"signingName": "sdb", "signatureVersion": "v2"});
    let (signing, loader) = generated(&model(sdb, json!({})));
    assert_eq!(signing.as_deref(), Some("SigV2"));
    assert_eq!(loader, "Loader::new(SERVICE_ID)");
}
