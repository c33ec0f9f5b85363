//! moto's server in a Python virtual environment under `target/`,
//! installed with pip the first time and reused while it holds the pinned
//! version.
//!
//! pip runs as `python -m pip install` in the environment, so pip's own
//! configuration (`pip.conf`, `PIP_INDEX_URL`, ...) decides where packages
//! come from; no registry address is written here.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The moto release the scenarios are written against: the newest when
/// it was pinned. Pinned because moto's answers change between releases
/// (new members, deviations from AWS fixed or added), and a run must not
/// change because a new release came out. To move on: change it, run
/// `cargo xtask e2e`, and read what moved.
pub const MOTO_VERSION: &str = "5.2.5";

/// The `moto_server` program in `dir`, installing moto there first unless
/// the pinned version is already installed and importable.
pub fn ensure(dir: &Path) -> Result<PathBuf, String> {
    let server = dir.join("bin/moto_server");
    if installed_version(dir).as_deref() == Some(MOTO_VERSION) && server.exists() {
        println!("moto {MOTO_VERSION}: reusing {}", dir.display());
        return Ok(server);
    }
    let requirement = format!("moto[server]=={MOTO_VERSION}");
    println!(
        "moto {MOTO_VERSION}: installing {requirement} into {} (pip's configuration decides the index) ...",
        dir.display()
    );
    // A fresh environment: whatever an older pin or an interrupted install
    // left there goes.
    run(
        Command::new("python3")
            .args(["-m", "venv", "--clear"])
            .arg(dir),
        "python3 -m venv",
        "the e2e tests need Python 3 with its venv module (Debian: apt-get install python3-venv)",
    )?;
    run(
        Command::new(dir.join("bin/python")).args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            &requirement,
        ]),
        &format!("pip install {requirement}"),
        "the first run needs network access to the package index",
    )?;
    match installed_version(dir) {
        Some(v) if v == MOTO_VERSION && server.exists() => Ok(server),
        found => Err(format!(
            "pip installed {requirement}, but the environment reports moto {found:?} and {} {}",
            server.display(),
            if server.exists() {
                "exists"
            } else {
                "is missing"
            }
        )),
    }
}

/// The moto version in `dir`, if moto and its server (Flask and the rest
/// of the `server` extra) import there.
fn installed_version(dir: &Path) -> Option<String> {
    let out = Command::new(dir.join("bin/python"))
        .args([
            "-c",
            "import importlib.metadata as m, moto.server; print(m.version('moto'))",
        ])
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// Runs a setup command, printing it first; a failure says what failed,
/// the end of its output, and `hint`.
fn run(cmd: &mut Command, what: &str, hint: &str) -> Result<(), String> {
    println!("$ {}", super::shown(cmd));
    let out = cmd
        .output()
        .map_err(|e| format!("cannot run {what} ({e}): {hint}"))?;
    if out.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    let tail = lines[lines.len().saturating_sub(15)..].join("\n");
    Err(format!("{what} failed ({}): {hint}\n{tail}", out.status))
}
