//! Snapshots of what the generator makes: the API summary of every
//! operation of the real model, and the full output for each small fixture
//! model (whose crates are also compiled: `generated/fixtures/*`).
//!
//! After an intended change: `cargo insta review` (or `INSTA_UPDATE=always`).

use sdkgen_codegen::manifest::Manifest;
use sdkgen_codegen::model::Service;
use sdkgen_codegen::{generate, naming, summary, Inputs, Options};
use std::fs;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// One snapshot per generated operation of every service under `model/`:
/// a model update reads as one small diff per operation it changes.
#[test]
fn api_summary_of_every_operation() {
    let mut services = 0;
    for entry in fs::read_dir(root().join("model")).unwrap() {
        let dir = entry.unwrap().path();
        let Ok(manifest) = fs::read_to_string(dir.join("codegen.json")) else {
            continue;
        };
        services += 1;
        let manifest = Manifest::from_json(&manifest).unwrap();
        let text = fs::read_to_string(dir.join("service-2.json")).unwrap();
        let service = Service::from_json(&text).unwrap();
        let paginators = fs::read_to_string(dir.join("paginators-1.json"))
            .ok()
            .map(|text| serde_json::from_str(&text).unwrap());
        let summaries =
            summary::summaries(&service, paginators.as_ref(), manifest.protocol.as_deref())
                .unwrap();
        let prefix = manifest.crate_name.replace('-', "_");
        let mut seen = 0;
        for (operation, summary) in summaries {
            if !manifest.operations.contains(&operation) {
                continue;
            }
            seen += 1;
            insta::assert_snapshot!(format!("{prefix}__{}", naming::snake(&operation)), summary);
        }
        assert_eq!(seen, manifest.operations.len(), "{}", dir.display());
    }
    assert!(services >= 4, "services under model/: {services}");
}

/// The whole generated crate of each fixture, as one snapshot per fixture.
#[test]
fn fixture_crates() {
    let fixtures = root().join("codegen/tests/fixtures");
    let mut names: Vec<String> = fs::read_dir(&fixtures)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert!(names.len() >= 6, "fixtures: {names:?}");
    for name in names {
        let dir = fixtures.join(&name);
        let manifest =
            Manifest::from_json(&fs::read_to_string(dir.join("codegen.json")).unwrap()).unwrap();
        let options = Options {
            crate_name: manifest.crate_name,
            crate_version: manifest.version,
            model_path: format!("codegen/tests/fixtures/{name}/service-2.json"),
            runtime_path: "../../../runtime".into(),
            config_path: Some("../../../config".into()),
            protocol: manifest.protocol,
        };
        let model = fs::read_to_string(dir.join("service-2.json")).unwrap();
        let paginators = fs::read_to_string(dir.join("paginators-1.json")).ok();
        let waiters = fs::read_to_string(dir.join("waiters-2.json")).ok();
        let inputs = Inputs {
            service: &model,
            paginators: paginators.as_deref(),
            waiters: waiters.as_deref(),
            ..Inputs::default()
        };
        let files = generate(&inputs, Some(&manifest.operations), &options)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let mut text = String::new();
        for (path, contents) in files {
            text.push_str(&format!("==> {path} <==\n{contents}\n"));
        }
        insta::assert_snapshot!(format!("fixture__{name}"), text);
    }
}
