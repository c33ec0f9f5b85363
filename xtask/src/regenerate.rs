//! `cargo xtask regenerate [--botocore VERSION]`: `update-model`, then
//! `codegen`, in one command.
//!
//! Also the part of `update-model` that says what an update does to each
//! crate: before `model/` is rewritten, each crate's API is compared with
//! the one the new files make (`sdkgen_codegen::api_diff`, on the IR);
//! after, the crate's version in `model/<service>/codegen.json` is bumped
//! under semver and an entry naming the botocore release and each change
//! is put at the top of `model/<service>/CHANGELOG.md`, which `codegen`
//! copies into the crate. The changelog lives beside `codegen.json`
//! because it is an input, like the manifest: `generated/` is rewritten
//! whole from `model/`, and a crate's history cannot be recomputed from
//! its current model.

use crate::{codegen, update_model};
use sdkgen_codegen::api_diff::{self, Diff};
use sdkgen_codegen::manifest::Manifest;
use sdkgen_codegen::Inputs;
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

/// The changelog beside a service's model, which `codegen` copies into
/// its crate.
pub const CHANGELOG: &str = "CHANGELOG.md";

pub fn run(root: &Path, version: Option<&str>) -> Result<(), String> {
    update_model::update(root, version)?;
    codegen::run(root, false)?;
    println!("next: review the API summaries with `cargo insta review`, then commit model/, generated/ and the snapshots");
    Ok(())
}

/// What an update will do to one crate, decided before `model/` changes.
pub struct Pending {
    /// botocore's name for the service: `model/<service>`.
    service: String,
    crate_name: String,
    version: String,
    diff: Diff,
}

/// Compares every crate under `model/` with the one `files` (paths under
/// `model/`, as `update_model::extract` gives them) will make. A service
/// without a model on disk yet (one `add-service` is adding) has nothing to
/// compare.
pub fn compare(root: &Path, files: &BTreeMap<String, Vec<u8>>) -> Result<Vec<Pending>, String> {
    let model = root.join("model");
    let text = |bytes: &[u8], name: &str| {
        String::from_utf8(bytes.to_vec()).map_err(|_| format!("{name} is not UTF-8"))
    };
    let on_disk = |path: &Path| -> Result<Option<String>, String> {
        match fs::read_to_string(path) {
            Ok(text) => Ok(Some(text)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(format!("cannot read {}: {e}", path.display())),
        }
    };
    let incoming = |name: &str| -> Result<Option<String>, String> {
        files.get(name).map(|b| text(b, name)).transpose()
    };
    let old_partitions = on_disk(&model.join("partitions.json"))?;
    let new_partitions = incoming("partitions.json")?;
    let mut pending = Vec::new();
    for service in services(&model)? {
        let dir = model.join(&service);
        let Some(manifest_text) = on_disk(&dir.join("codegen.json"))? else {
            continue;
        };
        let Some(old_service) = on_disk(&dir.join("service-2.json"))? else {
            continue;
        };
        let manifest = Manifest::from_json(&manifest_text)
            .map_err(|e| format!("model/{service}/codegen.json: {e}"))?;
        let new_service = incoming(&format!("{service}/service-2.json"))?
            .ok_or_else(|| format!("the new release has no service-2.json for {service}"))?;
        let old_rules = on_disk(&dir.join("endpoint-rule-set-1.json"))?;
        let old_pages = on_disk(&dir.join("paginators-1.json"))?;
        let old_waiters = on_disk(&dir.join("waiters-2.json"))?;
        let new_rules = incoming(&format!("{service}/endpoint-rule-set-1.json"))?;
        let new_pages = incoming(&format!("{service}/paginators-1.json"))?;
        let new_waiters = incoming(&format!("{service}/waiters-2.json"))?;
        let old = Inputs {
            service: &old_service,
            endpoint_rules: old_rules.as_deref(),
            partitions: old_partitions.as_deref(),
            paginators: old_pages.as_deref(),
            waiters: old_waiters.as_deref(),
        };
        let new = Inputs {
            service: &new_service,
            endpoint_rules: new_rules.as_deref(),
            partitions: new_partitions.as_deref(),
            paginators: new_pages.as_deref(),
            waiters: new_waiters.as_deref(),
        };
        let diff = api_diff::compare(
            &old,
            &new,
            Some(&manifest.operations),
            manifest.protocol.as_deref(),
        )
        .map_err(|e| format!("model/{service}: comparing the crate's API before and after: {e}"))?;
        pending.push(Pending {
            service,
            crate_name: manifest.package_name().to_string(),
            version: manifest.version,
            diff,
        });
    }
    Ok(pending)
}

/// Prints what the update did to each crate and, for each that changed,
/// bumps its version, drops from its `codegen.json` the operations the
/// model no longer has, and adds its changelog entry. `botocore` is the
/// release now in `model/`, `previous` the one it replaced.
pub fn record(
    root: &Path,
    pending: &[Pending],
    botocore: &str,
    previous: Option<&str>,
) -> Result<(), String> {
    for crate_update in pending {
        let Pending {
            service,
            crate_name,
            version,
            diff,
        } = crate_update;
        let Some(bump) = diff.bump() else {
            print!("{}", api_diff::report(crate_name, version, None, diff));
            continue;
        };
        let next = api_diff::bump(version, bump)
            .map_err(|e| format!("model/{service}/codegen.json: {e}"))?;
        let dir = root.join("model").join(service);
        let manifest_path = dir.join("codegen.json");
        let manifest = fs::read_to_string(&manifest_path)
            .map_err(|e| format!("cannot read {}: {e}", manifest_path.display()))?;
        let manifest = updated_manifest(&manifest, &next, &diff.dropped)
            .map_err(|e| format!("{}: {e}", manifest_path.display()))?;
        update_model::write_atomic(&manifest_path, manifest.as_bytes())?;
        let changelog_path = dir.join(CHANGELOG);
        let existing = match fs::read_to_string(&changelog_path) {
            Ok(text) => Some(text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(format!("cannot read {}: {e}", changelog_path.display())),
        };
        let entry = api_diff::changelog_entry(&next, botocore, previous, diff);
        let changelog = api_diff::prepend_entry(existing.as_deref(), crate_name, &entry);
        update_model::write_atomic(&changelog_path, changelog.as_bytes())?;
        print!(
            "{}",
            api_diff::report(crate_name, version, Some(&next), diff)
        );
        if !diff.dropped.is_empty() {
            println!(
                "  removed from model/{service}/codegen.json (the model no longer has them): {}",
                diff.dropped.join(", ")
            );
        }
    }
    Ok(())
}

/// `codegen.json` with its version set to `version` and without the
/// `dropped` operations; every other key as it was, in its order.
fn updated_manifest(text: &str, version: &str, dropped: &[String]) -> Result<String, String> {
    let mut manifest: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let object = manifest
        .as_object_mut()
        .ok_or("codegen.json is not a JSON object")?;
    object.insert("version".into(), version.into());
    if let Some(serde_json::Value::Array(operations)) = object.get_mut("operations") {
        operations.retain(|op| {
            !op.as_str()
                .is_some_and(|op| dropped.iter().any(|d| d == op))
        });
    }
    let mut text = serde_json::to_string_pretty(&manifest).map_err(|e| e.to_string())?;
    text.push('\n');
    Ok(text)
}

/// The directories of `model/`, sorted.
fn services(model: &Path) -> Result<Vec<String>, String> {
    let mut names: Vec<String> = fs::read_dir(model)
        .map_err(|e| format!("cannot list {}: {e}", model.display()))?
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| e.file_name().into_string().ok())
        .collect();
    names.sort();
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::update_model::{install, Wheel};
    use std::io::{Cursor, Write};
    use std::path::PathBuf;

    /// A directory of its own under the system's temporary one, removed
    /// when dropped.
    struct Scratch(PathBuf);

    impl Scratch {
        fn new(name: &str) -> Scratch {
            let dir = std::env::temp_dir()
                .join(format!("xtask-regenerate-{name}-{}", std::process::id()));
            let _ = fs::remove_dir_all(&dir);
            fs::create_dir_all(&dir).unwrap();
            Scratch(dir)
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    /// A model whose `Ping` input has the given members and `required`
    /// list, whose enum has the given values, and which has a `Pong`
    /// operation or not.
    fn model(members: &str, required: &str, values: &str, pong: bool) -> String {
        let pong = if pong {
            r#", "Pong": {"name": "Pong", "http": {"method": "POST", "requestUri": "/pong"}}"#
        } else {
            ""
        };
        format!(
            r#"{{"metadata": {{"apiVersion": "2020-01-01", "endpointPrefix": "svc", "protocol": "rest-json",
                "protocols": ["rest-json"], "serviceId": "Svc", "signatureVersion": "v4", "signingName": "svc"}},
              "operations": {{
                "Ping": {{"name": "Ping", "http": {{"method": "POST", "requestUri": "/ping"}},
                          "input": {{"shape": "PingRequest"}}}}{pong}
              }},
              "shapes": {{
                "PingRequest": {{"type": "structure", "required": [{required}], "members": {{{members}}}}},
                "Mode": {{"type": "string", "enum": [{values}]}},
                "String": {{"type": "string"}}
              }}}}"#
        )
    }

    const OLD_MEMBERS: &str = r#""Name": {"shape": "String"}, "Mode": {"shape": "Mode"}"#;

    fn old_model() -> String {
        model(OLD_MEMBERS, "", r#""fast""#, true)
    }

    fn wheel(version: &str, service: &str) -> Wheel {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default();
        let entries = [
            ("botocore/data/svc/2020-01-01/service-2.json", service),
            (
                "botocore/data/svc/2020-01-01/endpoint-rule-set-1.json",
                "{}",
            ),
            ("botocore/data/partitions.json", "{}"),
        ];
        for (name, contents) in entries {
            zip.start_file(name, options).unwrap();
            zip.write_all(contents.as_bytes()).unwrap();
        }
        let bytes = zip.finish().unwrap().into_inner();
        Wheel::open(bytes, version).unwrap()
    }

    /// `model/` at botocore 1.0.0 with the crate `svc` at 0.1.0, selecting
    /// both operations.
    fn project(name: &str) -> Scratch {
        let root = Scratch::new(name);
        let dir = root.0.join("model/svc");
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("service-2.json"), old_model()).unwrap();
        fs::write(dir.join("endpoint-rule-set-1.json"), "{}").unwrap();
        fs::write(root.0.join("model/partitions.json"), "{}").unwrap();
        fs::write(
            dir.join("codegen.json"),
            "{\n  \"crate\": \"svc\",\n  \"version\": \"0.1.0\",\n  \"operations\": [\n    \"Ping\",\n    \"Pong\"\n  ]\n}\n",
        )
        .unwrap();
        fs::write(
            root.0.join("model/README.md"),
            "These files come from the botocore 1.0.0 wheel on PyPI (package `botocore`, version `1.0.0`).\n",
        )
        .unwrap();
        root
    }

    fn read(root: &Scratch, path: &str) -> String {
        fs::read_to_string(root.0.join(path)).unwrap()
    }

    #[test]
    fn a_breaking_update_bumps_the_minor_and_writes_the_changelog() {
        let root = project("breaking");
        // `Name` becomes required, `Mode` gains a value, `Pong` is gone.
        let new = model(OLD_MEMBERS, r#""Name""#, r#""fast", "slow""#, false);
        install(&root.0, &mut wheel("1.1.0", &new)).unwrap();
        assert_eq!(read(&root, "model/svc/service-2.json"), new);
        assert_eq!(
            read(&root, "model/svc/codegen.json"),
            "{\n  \"crate\": \"svc\",\n  \"version\": \"0.2.0\",\n  \"operations\": [\n    \"Ping\"\n  ]\n}\n"
        );
        let changelog = read(&root, "model/svc/CHANGELOG.md");
        let entry = "## 0.2.0\n\n\
            Generated from botocore 1.1.0 (the previous version: botocore 1.0.0).\n\n\
            ### Breaking\n\n\
            - operation `Pong`: removed: `Client::pong`, the feature `pong`, `PongInput`, `PongOutput` and `PongError` are gone\n\
            - `PingInput.name`: became required: `build()` fails without it\n\n\
            ### Additive\n\n\
            - `Mode::Slow`: added (the value `slow`)\n";
        assert!(changelog.starts_with("# Changelog\n"), "{changelog}");
        assert!(changelog.ends_with(entry), "{changelog}");

        // The same release again changes nothing.
        fs::write(root.0.join("model/README.md"), "version `1.1.0`").unwrap();
        install(&root.0, &mut wheel("1.1.0", &new)).unwrap();
        assert!(read(&root, "model/svc/codegen.json").contains("\"0.2.0\""));
        assert_eq!(read(&root, "model/svc/CHANGELOG.md"), changelog);
    }

    #[test]
    fn an_additive_update_bumps_the_patch_above_the_last_entry() {
        let root = project("additive");
        fs::write(
            root.0.join("model/svc/CHANGELOG.md"),
            "# Changelog\n\nOurs.\n\n## 0.1.0\n\nThe first.\n",
        )
        .unwrap();
        let new = model(
            &format!(r#"{OLD_MEMBERS}, "Tag": {{"shape": "String"}}"#),
            "",
            r#""fast""#,
            true,
        );
        install(&root.0, &mut wheel("1.0.1", &new)).unwrap();
        assert!(read(&root, "model/svc/codegen.json").contains("\"version\": \"0.1.1\""));
        assert_eq!(
            read(&root, "model/svc/CHANGELOG.md"),
            "# Changelog\n\nOurs.\n\n## 0.1.1\n\n\
             Generated from botocore 1.0.1 (the previous version: botocore 1.0.0).\n\n\
             ### Additive\n\n- `PingInput.tag`: added\n\n## 0.1.0\n\nThe first.\n"
        );
    }

    #[test]
    fn a_model_that_does_not_generate_leaves_model_alone() {
        let root = project("refused");
        let broken = old_model().replace(r#""shape": "Mode""#, r#""shape": "Missing""#);
        let err = install(&root.0, &mut wheel("1.0.1", &broken)).unwrap_err();
        assert!(
            err.starts_with("model/svc: comparing the crate's API"),
            "{err}"
        );
        assert_eq!(read(&root, "model/svc/service-2.json"), old_model());
        assert!(!root.0.join("model/svc/CHANGELOG.md").exists());
    }
}
