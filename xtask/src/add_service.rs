//! `cargo xtask add-service SERVICE [--operations A,B] [--crate NAME]`: adds a botocore
//! service to the project in one command, with every operation. It takes
//! the service from the botocore release `model/` holds (so no other
//! model changes), writes `model/SERVICE/codegen.json`, adds
//! `generated/CRATE` to the workspace, generates the crate, and records
//! its API summaries (the snapshot test).
//!
//! SERVICE is botocore's directory name (`lexv2-runtime`); the crate is
//! named after the model's `serviceId` in kebab case (`Lex Runtime V2` is
//! `lex-runtime-v2`), the convention every committed crate follows,
//! unless `--crate` says otherwise. That name is its directory; its
//! package, what a registry knows, is `sdkgen-` and the name.

use crate::codegen;
use crate::update_model::{self, write_atomic, Wheel};
use sdkgen_codegen::model::Service;
use sdkgen_codegen::naming;
use std::fs;
use std::path::Path;
use std::process::Command;

/// `[--crate NAME] [--operations A,B,...]`, in either order.
pub fn args<'a>(rest: &[&'a str]) -> Result<(Option<&'a str>, Option<Vec<String>>), String> {
    let (mut crate_name, mut operations) = (None, None);
    let mut rest = rest.iter();
    while let Some(flag) = rest.next() {
        let value = rest.next().ok_or_else(|| format!("{flag} takes a value"))?;
        match *flag {
            "--crate" if crate_name.is_none() => crate_name = Some(*value),
            "--operations" if operations.is_none() => {
                operations = Some(value.split(',').map(|o| o.trim().to_string()).collect())
            }
            other => return Err(format!("add-service does not take {other} here")),
        }
    }
    Ok((crate_name, operations))
}

pub fn run(
    root: &Path,
    service: &str,
    crate_name: Option<&str>,
    selected: Option<&[String]>,
) -> Result<(), String> {
    if !valid_name(service) {
        return Err(format!(
            "`{service}` is not a botocore service name (lowercase letters, digits and hyphens)"
        ));
    }
    let model_dir = root.join("model").join(service);
    if model_dir.join("codegen.json").exists() {
        return Err(format!(
            "model/{service}/codegen.json exists: the service is already added"
        ));
    }
    let version = update_model::vendored_version(root)?;
    let mut wheel = Wheel::download(Some(&version))?;
    if !wheel.services().iter().any(|s| s == service) {
        let near: Vec<String> = wheel
            .services()
            .into_iter()
            .filter(|s| s.contains(service) || service.contains(s.as_str()))
            .collect();
        return Err(format!(
            "botocore {version} has no service `{service}`{}",
            if near.is_empty() {
                String::new()
            } else {
                format!(" (did you mean {}?)", near.join(", "))
            }
        ));
    }
    let dir = wheel.newest(service)?;
    let (_, bytes) = wheel
        .read(&format!("{dir}service-2.json"))?
        .ok_or_else(|| format!("{dir} has no service-2.json"))?;
    let text = String::from_utf8(bytes).map_err(|_| format!("{dir}service-2.json is not UTF-8"))?;
    let model = Service::from_json(&text).map_err(|e| format!("{dir}service-2.json: {e}"))?;
    let name = match crate_name {
        Some(name) => name.to_string(),
        None => crate_name_of(&model)
            .ok_or_else(|| format!("{service} has no serviceId: name the crate with --crate"))?,
    };
    if !valid_name(&name) {
        return Err(format!("`{name}` is not a crate name this project uses (lowercase letters, digits and hyphens)"));
    }
    if root.join("generated").join(&name).exists() {
        return Err(format!("generated/{name} exists already"));
    }
    let operations: Vec<&String> = match selected {
        None => model.operations.keys().collect(),
        Some(selected) => {
            let unknown: Vec<&str> = selected
                .iter()
                .filter(|o| !model.operations.contains_key(*o))
                .map(String::as_str)
                .collect();
            if !unknown.is_empty() || selected.is_empty() {
                return Err(format!(
                    "{service} has no operation {} (its operations are named as in the API reference: {})",
                    unknown.join(", "),
                    model.operations.keys().take(5).cloned().collect::<Vec<_>>().join(", ") + ", ..."
                ));
            }
            selected.iter().collect()
        }
    };
    let package = naming::registry_package(&name);
    let manifest = serde_json::json!({
        "crate": name,
        "package": package,
        "version": "0.1.0",
        "operations": operations,
    });
    let mut manifest = serde_json::to_string_pretty(&manifest).map_err(|e| e.to_string())?;
    manifest.push('\n');
    fs::create_dir_all(&model_dir).map_err(|e| format!("{}: {e}", model_dir.display()))?;
    write_atomic(&model_dir.join("codegen.json"), manifest.as_bytes())?;
    let model_readme = root.join("model").join("README.md");
    let readme_before = fs::read(&model_readme).ok();
    let cargo = root.join("Cargo.toml");
    let workspace = fs::read_to_string(&cargo).map_err(|e| format!("Cargo.toml: {e}"))?;
    // A service the generator cannot generate leaves the project as it
    // was: no workspace member without a crate, no half-added model.
    let added = update_model::install(root, &mut wheel)
        .and_then(|()| {
            write_atomic(
                &cargo,
                with_member(&workspace, &format!("generated/{name}"))?.as_bytes(),
            )
        })
        .and_then(|()| codegen::run(root, false));
    if let Err(e) = added {
        let _ = write_atomic(&cargo, workspace.as_bytes());
        let _ = fs::remove_dir_all(&model_dir);
        let _ = fs::remove_dir_all(root.join("generated").join(&name));
        if let Some(readme) = &readme_before {
            let _ = write_atomic(&model_readme, readme);
        }
        return Err(format!(
            "{e}\n{service} was not added: the workspace and model/ are as they were"
        ));
    }
    println!(
        "added {service} as generated/{name} (package {package}): {} operations, each behind its own feature",
        operations.len()
    );
    if record_snapshots(root) {
        println!(
            "recorded its API summaries; next: commit model/{service}, generated/{name} and codegen/tests/snapshots"
        );
    } else {
        println!(
            "its API summaries were not recorded: run `INSTA_UPDATE=always cargo test -p sdkgen-codegen --test snapshots`, then commit model/{service}, generated/{name} and the snapshots"
        );
    }
    Ok(())
}

/// Runs the API-summary snapshot test with insta told to write what it
/// finds new: the added crate's summaries (every other one is unchanged,
/// or `codegen --check` would have said so).
fn record_snapshots(root: &Path) -> bool {
    println!("recording the API summaries (cargo test -p sdkgen-codegen --test snapshots) ...");
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args([
            "test",
            "--quiet",
            "-p",
            "sdkgen-codegen",
            "--test",
            "snapshots",
            "api_summary_of_every_operation",
        ])
        .current_dir(root)
        .env("INSTA_UPDATE", "always")
        .status()
        .is_ok_and(|s| s.success())
}

/// The crate name of the convention: the `serviceId` in kebab case.
fn crate_name_of(model: &Service) -> Option<String> {
    let name = naming::service_crate(model.metadata.service_id.as_deref()?);
    (!name.is_empty()).then_some(name)
}

fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('-')
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// The workspace manifest with `member` added among the generated crates
/// (kept in order); unchanged if it is there.
fn with_member(manifest: &str, member: &str) -> Result<String, String> {
    let entry = format!("    \"{member}\",");
    let lines: Vec<&str> = manifest.lines().collect();
    if lines.iter().any(|l| l.trim() == entry.trim()) {
        return Ok(manifest.to_string());
    }
    let generated: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| {
            let l = l.trim();
            l.starts_with("\"generated/") && !l.contains('*')
        })
        .map(|(i, _)| i)
        .collect();
    let (Some(&first), Some(&last)) = (generated.first(), generated.last()) else {
        return Err("Cargo.toml lists no generated crate to put the new one beside".into());
    };
    let at = generated
        .iter()
        .copied()
        .find(|&i| lines[i].trim() > entry.trim())
        .unwrap_or(last + 1)
        .max(first);
    let mut out: Vec<&str> = lines[..at].to_vec();
    out.push(&entry);
    out.extend_from_slice(&lines[at..]);
    let mut text = out.join("\n");
    if manifest.ends_with('\n') {
        text.push('\n');
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_go_in_order_among_the_generated_crates() {
        let manifest = "[workspace]\nmembers = [\n    \"codegen\",\n    \"generated/a\",\n    \"generated/c\",\n    \"generated/fixtures/*\",\n    \"tests\",\n]\n";
        let added = with_member(manifest, "generated/b").unwrap();
        assert!(
            added.contains("\"generated/a\",\n    \"generated/b\",\n    \"generated/c\""),
            "{added}"
        );
        let last = with_member(manifest, "generated/d").unwrap();
        assert!(
            last.contains("\"generated/c\",\n    \"generated/d\",\n    \"generated/fixtures/*\""),
            "{last}"
        );
        assert_eq!(with_member(&added, "generated/b").unwrap(), added);
        assert!(with_member("[workspace]\n", "generated/x").is_err());
    }

    #[test]
    fn flags_in_either_order() {
        assert_eq!(args(&[]).unwrap(), (None, None));
        let (name, ops) = args(&["--operations", "Publish, CreateTopic", "--crate", "x"]).unwrap();
        assert_eq!(name, Some("x"));
        assert_eq!(ops.unwrap(), ["Publish", "CreateTopic"]);
        assert!(args(&["--crate"]).is_err());
        assert!(args(&["--crate", "a", "--crate", "b"]).is_err());
        assert!(args(&["--features", "x"]).is_err());
    }

    #[test]
    fn names_follow_the_convention() {
        assert!(valid_name("lexv2-runtime"));
        assert!(!valid_name("../etc"));
        assert!(!valid_name("Lex"));
        assert!(!valid_name(""));
        let model = Service::from_json(
            r#"{"metadata":{"apiVersion":"1","protocol":"rest-json","serviceId":"Lex Runtime V2"},"operations":{},"shapes":{}}"#,
        )
        .unwrap();
        assert_eq!(crate_name_of(&model).as_deref(), Some("lex-runtime-v2"));
    }
}
