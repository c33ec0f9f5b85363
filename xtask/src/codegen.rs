//! `cargo xtask codegen [--check]`.
//!
//! Each directory of `model/` with a `codegen.json` manifest becomes
//! `generated/<dir>`; each fixture model of the generator
//! (`codegen/tests/fixtures/<name>`) becomes `generated/fixtures/<name>`, so
//! that its output is compiled with the workspace; botocore's conformance
//! suites of each protocol we generate become `generated/protocol-tests/
//! <protocol>` (the crate of their merged model) and `<protocol>-cases`.
//! Everything is generated in memory first: a generation error writes
//! nothing.

use crate::tree;
use sdkgen_codegen::conformance::SuiteFile;
use sdkgen_codegen::manifest::Manifest;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// One crate to generate.
struct Target {
    model: PathBuf,
    manifest: PathBuf,
    out: PathBuf,
}

pub fn run(root: &Path, check: bool) -> Result<(), String> {
    let started = Instant::now();
    let outputs = generate_all(root)?;

    let mut clean = true;
    let mut report = String::new();
    for (out, files) in &outputs {
        let actual = tree::read(out)?;
        let diff = tree::diff(files, &actual);
        if diff.is_empty() {
            continue;
        }
        clean = false;
        let shown = tree::slash_path(out.strip_prefix(root).unwrap_or(out));
        if check {
            for path in &diff.changed {
                let old = actual[path].as_deref().unwrap_or("(not UTF-8)\n");
                report.push_str(&tree::unified(
                    &format!("{shown}/{path}"),
                    old,
                    &files[path],
                ));
            }
            for path in &diff.missing {
                report.push_str(&format!("missing: {shown}/{path}\n"));
            }
            for path in &diff.extra {
                report.push_str(&format!("extra: {shown}/{path}\n"));
            }
        } else {
            for path in diff.changed.iter().chain(&diff.missing) {
                let file = out.join(path);
                if let Some(parent) = file.parent() {
                    fs::create_dir_all(parent)
                        .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
                }
                fs::write(&file, &files[path])
                    .map_err(|e| format!("cannot write {}: {e}", file.display()))?;
            }
            for path in &diff.extra {
                let file = out.join(path);
                fs::remove_file(&file)
                    .map_err(|e| format!("cannot remove {}: {e}", file.display()))?;
            }
            tree::prune_empty_dirs(out);
            println!(
                "{shown}: {} changed, {} added, {} removed",
                diff.changed.len(),
                diff.missing.len(),
                diff.extra.len()
            );
        }
    }
    // A crate directory no target produces any more (a removed fixture).
    for stale in stale_crates(root, &outputs)? {
        clean = false;
        let shown = tree::slash_path(stale.strip_prefix(root).unwrap_or(&stale));
        if check {
            report.push_str(&format!("extra: {shown}/ (no model generates it)\n"));
        } else {
            fs::remove_dir_all(&stale).map_err(|e| format!("cannot remove {shown}: {e}"))?;
            println!("{shown}: removed (no model generates it)");
        }
    }

    if check && !clean {
        print!("{report}");
        return Err("generated/ is not what the generator produces from model/: run `cargo xtask codegen` and commit the result".into());
    }
    let crates = outputs.len();
    let elapsed = started.elapsed().as_millis();
    if check {
        println!("generated/ is up to date ({crates} crates checked in {elapsed} ms)");
    } else if clean {
        println!("generated/ was already up to date ({crates} crates in {elapsed} ms)");
    }
    Ok(())
}

/// Where botocore's suites are vendored.
const SUITES_DIR: &str = "codegen/tests/data/botocore-protocols";

/// Every crate's files, by output directory; nothing is written.
pub fn generate_all(root: &Path) -> Result<BTreeMap<PathBuf, BTreeMap<String, String>>, String> {
    let mut outputs = BTreeMap::new();
    for target in &targets(root)? {
        let mut files = generate(root, target)?;
        add_changelog(target, &mut files)?;
        outputs.insert(target.out.clone(), files);
    }
    for file in SuiteFile::all() {
        let (service, cases) = generate_suites(root, &file)?;
        let dir = root.join("generated/protocol-tests");
        outputs.insert(dir.join(file.dir()), service);
        outputs.insert(dir.join(format!("{}-cases", file.dir())), cases);
    }
    Ok(outputs)
}

/// The service crate and the cases crate of one suite file of botocore's
/// (input and output).
fn generate_suites(
    root: &Path,
    file: &SuiteFile,
) -> Result<(sdkgen_codegen::Files, sdkgen_codegen::Files), String> {
    let read = |direction: &str| {
        let path = root.join(SUITES_DIR).join(file.path(direction));
        fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))
    };
    let (input, output) = (read("input")?, read("output")?);
    let source = format!(
        "{SUITES_DIR}/{} and {}",
        file.path("input"),
        file.path("output")
    );
    let name = format!("protocol-tests-{}", file.dir());
    let service = sdkgen_codegen::Options {
        crate_name: name.clone(),
        crate_version: "0.0.0".into(),
        model_path: source.clone(),
        runtime_path: "../../../runtime".into(),
        config_path: Some("../../../config".into()),
        protocol: None,
    };
    let cases = sdkgen_codegen::conformance::CasesOptions {
        crate_name: format!("{name}-cases"),
        service_crate: name,
        service_path: format!("../{}", file.dir()),
        runtime_path: "../../../runtime".into(),
        source: source.clone(),
    };
    sdkgen_codegen::conformance::generate(file, &input, &output, &service, &cases)
        .map_err(|e| format!("{source}: {e}"))
}

fn targets(root: &Path) -> Result<Vec<Target>, String> {
    let mut targets = Vec::new();
    for dir in subdirs(&root.join("model"))? {
        let manifest = dir.join("codegen.json");
        if manifest.exists() {
            // `model/<dir>` is botocore's name for the service (so that
            // `update-model` finds it); the crate is `generated/<crate>`.
            let text = fs::read_to_string(&manifest)
                .map_err(|e| format!("cannot read {}: {e}", manifest.display()))?;
            let name = Manifest::from_json(&text)
                .map_err(|e| format!("{}: {e}", manifest.display()))?
                .crate_name;
            targets.push(Target {
                model: dir.join("service-2.json"),
                manifest,
                out: root.join("generated").join(name),
            });
        }
    }
    for dir in subdirs(&root.join("codegen/tests/fixtures"))? {
        let name = dir.file_name().map(|n| n.to_owned()).unwrap_or_default();
        targets.push(Target {
            model: dir.join("service-2.json"),
            manifest: dir.join("codegen.json"),
            out: root.join("generated/fixtures").join(name),
        });
    }
    if targets.is_empty() {
        return Err("no model/<service>/codegen.json found: nothing to generate".into());
    }
    Ok(targets)
}

fn subdirs(dir: &Path) -> Result<Vec<PathBuf>, String> {
    if !dir.exists() {
        return Ok(Vec::new());
    }
    let mut dirs: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| format!("cannot list {}: {e}", dir.display()))?
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.path())
        .collect();
    dirs.sort();
    Ok(dirs)
}

fn generate(root: &Path, target: &Target) -> Result<BTreeMap<String, String>, String> {
    let read = |path: &Path| {
        fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
    };
    let manifest = Manifest::from_json(&read(&target.manifest)?)
        .map_err(|e| format!("{}: {e}", target.manifest.display()))?;
    let model_path = tree::slash_path(target.model.strip_prefix(root).unwrap_or(&target.model));
    let depth = target
        .out
        .strip_prefix(root)
        .map(|p| p.components().count())
        .unwrap_or(0);
    let options = sdkgen_codegen::Options {
        crate_name: manifest.package_name().to_string(),
        crate_version: manifest.version,
        model_path: model_path.clone(),
        runtime_path: format!("{}runtime", "../".repeat(depth)),
        config_path: (!manifest.below_config).then(|| format!("{}config", "../".repeat(depth))),
        protocol: manifest.protocol,
    };
    // A service's endpoint rules sit beside its model, the partition table
    // one level up (`model/partitions.json`); fixtures have neither.
    let dir = target.model.parent().unwrap_or(root);
    let rules_path = dir.join("endpoint-rule-set-1.json");
    let rules = rules_path.exists().then(|| read(&rules_path)).transpose()?;
    let partitions_path = dir.parent().unwrap_or(root).join("partitions.json");
    let partitions = match &rules {
        Some(_) => Some(read(&partitions_path)?),
        None => None,
    };
    let paginators_path = dir.join("paginators-1.json");
    let paginators = paginators_path
        .exists()
        .then(|| read(&paginators_path))
        .transpose()?;
    let waiters_path = dir.join("waiters-2.json");
    let waiters = waiters_path
        .exists()
        .then(|| read(&waiters_path))
        .transpose()?;
    let service = read(&target.model)?;
    let inputs = sdkgen_codegen::Inputs {
        service: &service,
        endpoint_rules: rules.as_deref(),
        partitions: partitions.as_deref(),
        paginators: paginators.as_deref(),
        waiters: waiters.as_deref(),
    };
    sdkgen_codegen::generate(&inputs, Some(&manifest.operations), &options)
        .map_err(|e| format!("{model_path}: {e}"))
}

/// The crate's changelog, kept beside its model (`model/<service>/
/// CHANGELOG.md`, written by `update-model`): the crate's history is an
/// input like its manifest, which the generator copies as it is.
fn add_changelog(target: &Target, files: &mut BTreeMap<String, String>) -> Result<(), String> {
    let dir = target.model.parent().unwrap_or(Path::new("."));
    let path = dir.join(crate::regenerate::CHANGELOG);
    match fs::read_to_string(&path) {
        Ok(text) => {
            files.insert(crate::regenerate::CHANGELOG.into(), text);
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(format!("cannot read {}: {e}", path.display())),
    }
}

/// Generated crate directories that no target writes.
fn stale_crates(
    root: &Path,
    outputs: &BTreeMap<PathBuf, BTreeMap<String, String>>,
) -> Result<Vec<PathBuf>, String> {
    let generated = root.join("generated");
    let mut candidates = subdirs(&generated)?;
    candidates.retain(|d| {
        d.file_name()
            .is_some_and(|n| n != "fixtures" && n != "protocol-tests")
    });
    candidates.extend(subdirs(&generated.join("fixtures"))?);
    candidates.extend(subdirs(&generated.join("protocol-tests"))?);
    Ok(candidates
        .into_iter()
        .filter(|d| !outputs.contains_key(d))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_crate_gets_the_changelog_beside_its_model() {
        let root =
            std::env::temp_dir().join(format!("xtask-codegen-changelog-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        let dir = root.join("model/svc");
        fs::create_dir_all(&dir).unwrap();
        fs::write(
            dir.join("service-2.json"),
            r#"{"metadata": {"apiVersion": "2020-01-01", "endpointPrefix": "svc", "protocol": "rest-json",
                "protocols": ["rest-json"], "serviceId": "Svc", "signatureVersion": "v4", "signingName": "svc"},
              "operations": {"Ping": {"name": "Ping", "http": {"method": "POST", "requestUri": "/ping"}}},
              "shapes": {}}"#,
        )
        .unwrap();
        fs::write(
            dir.join("codegen.json"),
            r#"{"crate": "svc", "version": "0.1.1", "operations": ["Ping"]}"#,
        )
        .unwrap();
        let target = Target {
            model: dir.join("service-2.json"),
            manifest: dir.join("codegen.json"),
            out: root.join("generated/svc"),
        };
        let run = || {
            let mut files = generate(&root, &target)?;
            add_changelog(&target, &mut files)?;
            Ok::<_, String>(files)
        };
        let without = run();
        fs::write(dir.join("CHANGELOG.md"), "# Changelog\n\n## 0.1.1\n").unwrap();
        let with = run();
        let _ = fs::remove_dir_all(&root);
        let (without, with) = (without.unwrap(), with.unwrap());
        assert!(!without.contains_key("CHANGELOG.md"));
        assert_eq!(with["CHANGELOG.md"], "# Changelog\n\n## 0.1.1\n");
        assert!(with["Cargo.toml"].contains("version = \"0.1.1\""));
    }
}
