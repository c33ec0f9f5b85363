//! xtask works on the workspace it runs in, not on the one it was built
//! in: two clones sharing one `CARGO_TARGET_DIR` run the same binary.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The clone this binary was built from: copied from, and checked to be
/// left alone.
fn first_clone() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask/ is in the workspace")
        .to_path_buf()
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A second clone with what `codegen` reads: the workspace manifest,
/// `xtask/`, one service's model and the protocol suites. Its STS crate
/// has a version the first clone's does not.
fn second_clone(dir: &Path) {
    let first = first_clone();
    fs::write(dir.join("Cargo.toml"), "[workspace]\nmembers = []\n").unwrap();
    fs::create_dir(dir.join("xtask")).unwrap();
    copy_dir(&first.join("model/sts"), &dir.join("model/sts"));
    fs::copy(
        first.join("model/partitions.json"),
        dir.join("model/partitions.json"),
    )
    .unwrap();
    copy_dir(
        &first.join("codegen/tests/data/botocore-protocols"),
        &dir.join("codegen/tests/data/botocore-protocols"),
    );
    let manifest = dir.join("model/sts/codegen.json");
    let text = fs::read_to_string(&manifest).unwrap();
    assert!(text.contains("\"version\": \"0.1.0\""), "{text}");
    fs::write(
        &manifest,
        text.replace("\"version\": \"0.1.0\"", "\"version\": \"9.9.9\""),
    )
    .unwrap();
}

#[test]
fn codegen_writes_into_the_clone_it_runs_in() {
    let second = tempfile::tempdir().unwrap();
    second_clone(second.path());
    let first_sts = first_clone().join("generated/sts/Cargo.toml");
    let before = fs::read_to_string(&first_sts).unwrap();

    // From a directory below the root: the command walks up to it.
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("codegen")
        .current_dir(second.path().join("model/sts"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");

    let written = fs::read_to_string(second.path().join("generated/sts/Cargo.toml")).unwrap();
    assert!(written.contains("version = \"9.9.9\""), "{written}");
    assert!(second.path().join("generated/sts/src/lib.rs").exists());
    assert_eq!(fs::read_to_string(&first_sts).unwrap(), before);
}

#[test]
fn outside_a_workspace_it_says_so() {
    let empty = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["codegen", "--check"])
        .current_dir(empty.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(stderr.contains("is not in this project"), "{stderr}");
    assert!(stderr.contains("Cargo.toml with [workspace]"), "{stderr}");
}
