//! What the generated crate's cargo features buy: one program built with
//! only `get-proxy-session` and with every operation, beside the official
//! SDK, which compiles every operation for every user.
//!
//! A cold build is mostly the dependencies, which features do not change;
//! what they change is the service crate itself, so its rebuild (the
//! crate's artifacts removed, everything else warm) is measured too.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// Rows of one figure each for the one-operation build, the every-operation
/// build and the official SDK.
#[derive(Default)]
pub struct FeatureTable {
    rows: Vec<String>,
}

impl FeatureTable {
    pub fn row(&mut self, name: &str, one: f64, all: f64, official: f64) {
        self.rows.push(format!(
            "| {name} | {one:.1} | {all:.1} | {official:.1} | {:.2}x | {:.2}x |",
            one / official,
            all / official
        ));
    }

    pub fn render(&self) -> String {
        let mut out = String::from(
            "| metric | ours, `get-proxy-session` only | ours, every operation | official SDK | one / official | every / official |\n| --- | --- | --- | --- | --- | --- |\n",
        );
        for row in &self.rows {
            out.push_str(row);
            out.push('\n');
        }
        out
    }
}

/// Median wall seconds, over `rounds`, to rebuild `program` after the
/// artifacts of the service crate `package` were removed: the crate and the
/// program compile, every other dependency is already built.
pub fn service_rebuild(
    manifest: &Path,
    program: &str,
    package: &str,
    release: bool,
    rounds: usize,
) -> Result<f64, String> {
    let profile: &[&str] = if release { &["--release"] } else { &[] };
    let cargo = |args: &[&str]| {
        let status = Command::new("cargo")
            .args(args)
            .args(profile)
            .arg("--quiet")
            .arg("--manifest-path")
            .arg(manifest)
            // Incremental state would make a debug rebuild a cache lookup.
            .env("CARGO_INCREMENTAL", "0")
            .status()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("cargo {} failed", args.join(" ")))
        }
    };
    cargo(&["build", "-p", program])?;
    let mut times = Vec::new();
    for _ in 0..rounds {
        cargo(&["clean", "-p", package])?;
        let started = Instant::now();
        cargo(&["build", "-p", program])?;
        times.push(started.elapsed().as_secs_f64());
    }
    Ok(super::median(times))
}

/// Files and lines of a crate's source directory.
pub fn crate_size(dir: &Path) -> Result<(usize, usize), String> {
    let mut files = 0;
    let mut lines = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))? {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files += 1;
                lines += std::fs::read_to_string(&path)
                    .map(|text| text.lines().count())
                    .unwrap_or(0);
            }
        }
    }
    Ok((files, lines))
}

/// The source directory of a registry crate as the bench's lock file
/// resolved it, asked of `cargo metadata` (no path of cargo's home is
/// assumed).
pub fn registry_crate_dir(
    manifest: &Path,
    package: &str,
) -> Result<(String, std::path::PathBuf), String> {
    let out = Command::new("cargo")
        .args(["metadata", "--format-version", "1", "--manifest-path"])
        .arg(manifest)
        .output()
        .map_err(|e| format!("cannot run cargo metadata: {e}"))?;
    if !out.status.success() {
        return Err("cargo metadata failed".into());
    }
    let metadata: serde_json::Value =
        serde_json::from_slice(&out.stdout).map_err(|e| format!("cargo metadata: {e}"))?;
    let found = metadata["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|p| p["name"] == package)
        .ok_or_else(|| format!("{package} is not in bench/'s dependencies"))?;
    let version = found["version"].as_str().unwrap_or("?").to_string();
    let manifest_path = found["manifest_path"]
        .as_str()
        .ok_or_else(|| format!("{package} has no manifest path"))?;
    let dir = Path::new(manifest_path)
        .parent()
        .ok_or_else(|| format!("{package}: odd manifest path"))?
        .to_path_buf();
    Ok((version, dir))
}
