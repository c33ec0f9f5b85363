//! A user's build has exactly the operations they turned on: a program
//! outside the workspace that depends on the generated crate with only
//! `get-proxy-session` cannot name `ListSipRules` (its module, its client
//! method, its types, and the shapes it reaches that `GetProxySession` does
//! not, such as `SipRule`, are absent, not merely unused), and compiles once
//! `list-sip-rules` is on too.
//!
//! The program is checked with cargo as [`Program`] builds programs.

use sdkgen_tests::outside::Program;

const PROGRAM: &str = r#"#![allow(deprecated)]
use chime_sdk_voice::operation::list_sip_rules::ListSipRulesOutput;
use chime_sdk_voice::types::SipRule;

fn main() {
    let client = chime_sdk_voice::Client::new(chime_sdk_voice::Config::builder().build());
    let _ = client.get_proxy_session();
    let _ = client.list_sip_rules();
    let _ = ListSipRulesOutput::builder().build();
    let _: Option<SipRule> = None;
}
"#;

/// `cargo check` of the program with these features of the generated
/// crate: whether it compiled, and what cargo said.
fn check(features: &[&str]) -> (bool, String) {
    let features: Vec<String> = features.iter().map(|f| format!("{f:?}")).collect();
    let program = Program {
        name: "feature-probe",
        dependencies: vec![format!(
            "chime-sdk-voice = {{ package = \"sdkgen-chime-sdk-voice\", path = \"{{root}}/generated/chime-sdk-voice\", default-features = false, features = [{}] }}",
            features.join(", ")
        )],
        main: PROGRAM.to_string(),
    };
    let outcome = program.check();
    (outcome.success, outcome.stderr)
}

#[test]
fn an_operation_whose_feature_is_off_is_absent() {
    let (compiled, said) = check(&["get-proxy-session"]);
    assert!(!compiled, "the program compiled without `list-sip-rules`");
    assert!(
        said.contains("no method named `list_sip_rules` found"),
        "{said}"
    );
    assert!(said.contains("types::SipRule"), "{said}");
    assert!(
        said.contains("unresolved import") || said.contains("could not find `list_sip_rules`"),
        "{said}"
    );

    let (compiled, said) = check(&["get-proxy-session", "list-sip-rules"]);
    assert!(compiled, "with both features on: {said}");
}
