//! botocore's endpoint tests (`tests/functional/endpoint-rules/<service>/
//! endpoint-tests-1.json`), vendored under `tests/data/endpoint-rules/`.
//! They are not in the wheel: `update-model` takes them from the release's
//! source distribution, downloaded with `python3 -m pip download
//! --no-binary :all:` (pip's own index configuration applies; no address
//! is written here), and replaces the directory whole.

use crate::endpoints::TESTS_DIR;
use crate::update_model::write_atomic;
use flate2::read::GzDecoder;
use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Downloads botocore `version`'s source distribution and rewrites
/// `tests/data/endpoint-rules/` with its endpoint tests, licence and a
/// README saying where they came from. Nothing changes unless every file
/// was read.
pub fn refresh(root: &Path, version: &str) -> Result<(), String> {
    let scratch = std::env::temp_dir().join(format!("xtask-sdist-{}", std::process::id()));
    let _ = fs::remove_dir_all(&scratch);
    fs::create_dir_all(&scratch)
        .map_err(|e| format!("cannot create {}: {e}", scratch.display()))?;
    let result = download(version, &scratch)
        .and_then(|sdist| read(&sdist, version))
        .and_then(|files| install(root, version, &files));
    let _ = fs::remove_dir_all(&scratch);
    result
}

fn download(version: &str, dest: &Path) -> Result<PathBuf, String> {
    println!("downloading the source distribution of botocore {version} with pip ...");
    let out = Command::new("python3")
        .args([
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--no-binary",
            ":all:",
            "--disable-pip-version-check",
            "--dest",
        ])
        .arg(dest)
        .arg(format!("botocore=={version}"))
        .output()
        .map_err(|e| format!("cannot run pip: {e}"))?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let last = stderr.lines().rev().find(|l| !l.trim().is_empty());
        return Err(format!(
            "pip could not download the botocore {version} source distribution: {}",
            last.unwrap_or("no reason given")
        ));
    }
    fs::read_dir(dest)
        .map_err(|e| e.to_string())?
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("botocore-") && n.ends_with(".tar.gz"))
        })
        .ok_or_else(|| "pip succeeded but left no botocore .tar.gz".to_string())
}

/// The endpoint tests (by service) and the licence files of a source
/// distribution, by path under `tests/data/endpoint-rules/`.
fn read(sdist: &Path, version: &str) -> Result<BTreeMap<String, Vec<u8>>, String> {
    let file =
        fs::File::open(sdist).map_err(|e| format!("cannot open {}: {e}", sdist.display()))?;
    let mut archive = tar::Archive::new(GzDecoder::new(file));
    let top = format!("botocore-{version}/");
    let tests = format!("{top}tests/functional/endpoint-rules/");
    let mut files = BTreeMap::new();
    let entries = archive
        .entries()
        .map_err(|e| format!("{}: {e}", sdist.display()))?;
    for entry in entries {
        let mut entry = entry.map_err(|e| format!("{}: {e}", sdist.display()))?;
        let path = entry
            .path()
            .map_err(|e| format!("{}: {e}", sdist.display()))?
            .to_string_lossy()
            .into_owned();
        let name = if let Some(rest) = path.strip_prefix(&tests) {
            match rest.split_once('/') {
                Some((service, "endpoint-tests-1.json")) if !service.is_empty() => rest.to_string(),
                _ => continue,
            }
        } else if path == format!("{top}LICENSE.txt") || path == format!("{top}NOTICE") {
            path[top.len()..].to_string()
        } else {
            continue;
        };
        let mut contents = Vec::new();
        entry
            .read_to_end(&mut contents)
            .map_err(|e| format!("{path}: {e}"))?;
        if name.ends_with(".json") {
            serde_json::from_slice::<serde_json::Value>(&contents)
                .map_err(|e| format!("{path}: not JSON: {e}"))?;
        }
        files.insert(name, contents);
    }
    let services = files.keys().filter(|k| k.ends_with(".json")).count();
    if services == 0 {
        return Err(format!(
            "{} has no tests/functional/endpoint-rules/",
            sdist.display()
        ));
    }
    for licence in ["LICENSE.txt", "NOTICE"] {
        if !files.contains_key(licence) {
            return Err(format!("{} has no {licence}", sdist.display()));
        }
    }
    Ok(files)
}

/// Replaces the directory's services with `files`' and writes its README.
fn install(root: &Path, version: &str, files: &BTreeMap<String, Vec<u8>>) -> Result<(), String> {
    let dir = root.join(TESTS_DIR);
    let incoming: Vec<&str> = files
        .keys()
        .filter_map(|k| k.split_once('/').map(|(service, _)| service))
        .collect();
    // A service the release no longer has goes with its tests.
    if let Ok(entries) = fs::read_dir(&dir) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if entry.path().is_dir() && !incoming.contains(&name.as_str()) {
                fs::remove_dir_all(entry.path())
                    .map_err(|e| format!("cannot remove {}: {e}", entry.path().display()))?;
            }
        }
    }
    for (path, contents) in files {
        write_atomic(&dir.join(path), contents)?;
    }
    write_atomic(
        &dir.join("README.md"),
        readme(version, incoming.len()).as_bytes(),
    )?;
    println!(
        "{TESTS_DIR}/ now holds the endpoint tests of botocore {version}: {} services",
        incoming.len()
    );
    Ok(())
}

/// The release whose tests the directory holds, from its README.
pub fn vendored_version(root: &Path) -> Result<String, String> {
    let path = root.join(TESTS_DIR).join("README.md");
    let text =
        fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    text.split_once("the botocore ")
        .and_then(|(_, rest)| rest.split_once(' '))
        .map(|(version, _)| version.to_string())
        .ok_or_else(|| format!("{} does not name a botocore version", path.display()))
}

fn readme(version: &str, services: usize) -> String {
    format!(
        "# Endpoint rule tests\n\n\
         Each `<service>/endpoint-tests-1.json` here is botocore's test file for that\n\
         service's endpoint rules, copied unchanged from the botocore {version} source\n\
         distribution on PyPI (`tests/functional/endpoint-rules/<service>/`, under\n\
         botocore's directory name), {services} services in all. Apache-2.0: see\n\
         `LICENSE.txt` and `NOTICE` here, from the same distribution.\n\n\
         Do not edit them: `cargo xtask update-model [--botocore VERSION]` replaces\n\
         them with another release's (it downloads the source distribution with\n\
         `python3 -m pip download --no-binary :all: botocore==VERSION`).\n\n\
         `cargo xtask coverage --endpoints` runs every case of every service against\n\
         resolvers compiled from the rule sets of the same release's wheel, and the\n\
         cases that name an operation (`operationInputs`) through that operation of\n\
         a generated client. `tests/tests/endpoint_rules.rs` runs those of the\n\
         committed crates that have rules here in `cargo test`.\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::write::GzEncoder;

    fn sdist(dir: &Path, entries: &[(&str, &[u8])]) -> PathBuf {
        let path = dir.join("botocore-9.9.9.tar.gz");
        let gz = GzEncoder::new(
            fs::File::create(&path).unwrap(),
            flate2::Compression::fast(),
        );
        let mut tar = tar::Builder::new(gz);
        for (name, contents) in entries {
            let mut header = tar::Header::new_gnu();
            header.set_size(contents.len() as u64);
            header.set_mode(0o644);
            header.set_cksum();
            tar.append_data(&mut header, name, *contents).unwrap();
        }
        tar.into_inner().unwrap().finish().unwrap();
        path
    }

    #[test]
    fn takes_each_services_tests_and_the_licence_and_installs_them_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = sdist(
            dir.path(),
            &[
                ("botocore-9.9.9/LICENSE.txt", b"Apache"),
                ("botocore-9.9.9/NOTICE", b"Botocore"),
                (
                    "botocore-9.9.9/tests/functional/endpoint-rules/svc/endpoint-tests-1.json",
                    b"{\"testCases\": []}",
                ),
                (
                    "botocore-9.9.9/tests/functional/endpoint-rules/svc/other.json",
                    b"{}",
                ),
                ("botocore-9.9.9/tests/functional/test_x.py", b""),
                ("botocore-9.9.9/botocore/data/partitions.json", b"{}"),
            ],
        );
        let files = read(&path, "9.9.9").unwrap();
        let names: Vec<&str> = files.keys().map(String::as_str).collect();
        assert_eq!(
            names,
            ["LICENSE.txt", "NOTICE", "svc/endpoint-tests-1.json"]
        );

        // A service the release no longer has goes; the README names it.
        let root = dir.path().join("project");
        fs::create_dir_all(root.join(TESTS_DIR).join("gone")).unwrap();
        install(&root, "9.9.9", &files).unwrap();
        assert!(!root.join(TESTS_DIR).join("gone").exists());
        assert!(root
            .join(TESTS_DIR)
            .join("svc/endpoint-tests-1.json")
            .is_file());
        assert_eq!(vendored_version(&root).unwrap(), "9.9.9");
    }

    #[test]
    fn a_distribution_without_tests_licence_or_valid_json_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let no_tests = sdist(dir.path(), &[("botocore-9.9.9/LICENSE.txt", b"A")]);
        assert!(read(&no_tests, "9.9.9")
            .unwrap_err()
            .contains("has no tests/functional/endpoint-rules/"));
        let bad_json = sdist(
            dir.path(),
            &[(
                "botocore-9.9.9/tests/functional/endpoint-rules/svc/endpoint-tests-1.json",
                b"not json",
            )],
        );
        assert!(read(&bad_json, "9.9.9").unwrap_err().contains("not JSON"));
        let no_licence = sdist(
            dir.path(),
            &[(
                "botocore-9.9.9/tests/functional/endpoint-rules/svc/endpoint-tests-1.json",
                b"{}",
            )],
        );
        assert!(read(&no_licence, "9.9.9")
            .unwrap_err()
            .contains("has no LICENSE.txt"));
    }
}
