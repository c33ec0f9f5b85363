//! A user's build has exactly the operations they turned on: a program
//! outside the workspace that depends on the generated crate with only
//! `get-proxy-session` cannot name `ListSipRules` (its module, its client
//! method, its types, and the shapes it reaches that `GetProxySession` does
//! not, such as `SipRule`, are absent, not merely unused), and compiles once
//! `list-sip-rules` is on too.
//!
//! The program is checked with cargo, in its own target directory under
//! `target/`, with the workspace's lock file so that it needs no download.

use std::path::{Path, PathBuf};
use std::process::Command;

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

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// `cargo check` of the program with these features of the generated
/// crate: whether it compiled, and what cargo said.
fn check(features: &[&str]) -> (bool, String) {
    let root = workspace();
    let probe = root.join("target/feature-probe/program");
    std::fs::create_dir_all(probe.join("src")).unwrap();
    let features: Vec<String> = features.iter().map(|f| format!("{f:?}")).collect();
    let manifest = format!(
        "[package]\nname = \"feature-probe\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\nchime-sdk-voice = {{ path = {:?}, default-features = false, features = [{}] }}\n\n[workspace]\n",
        root.join("generated/chime-sdk-voice").display().to_string(),
        features.join(", ")
    );
    std::fs::write(probe.join("Cargo.toml"), manifest).unwrap();
    std::fs::write(probe.join("src/main.rs"), PROGRAM).unwrap();
    std::fs::copy(root.join("Cargo.lock"), probe.join("Cargo.lock")).unwrap();
    let output = Command::new(env!("CARGO"))
        .args(["check", "--offline", "--quiet", "--message-format", "short"])
        .current_dir(&probe)
        .env("CARGO_TARGET_DIR", root.join("target/feature-probe/target"))
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
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
