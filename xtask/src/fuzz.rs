//! `cargo xtask fuzz --seconds N`: runs every fuzz target of `fuzz/` for N
//! seconds with cargo-fuzz (libFuzzer, AddressSanitizer).
//!
//! The toolchain here is stable only; `RUSTC_BOOTSTRAP=1` lets it take the
//! sanitizer flags cargo-fuzz passes. New corpus entries go to a scratch
//! directory, so the committed seeds in `fuzz/corpus/` stay as they are; a
//! crash is left in `fuzz/artifacts/<target>/` and fails the command.

use std::path::Path;
use std::process::Command;

pub fn run(root: &Path, seconds: u64) -> Result<(), String> {
    let fuzz = root.join("fuzz");
    ensure_cargo_fuzz()?;
    let listed = Command::new("cargo")
        .args(["fuzz", "list"])
        .current_dir(&fuzz)
        .output()
        .map_err(|e| format!("cannot run cargo fuzz: {e}"))?;
    let targets: Vec<String> = String::from_utf8_lossy(&listed.stdout)
        .lines()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect();
    if targets.is_empty() {
        return Err("cargo fuzz list found no target".into());
    }
    let mut failed = Vec::new();
    for target in &targets {
        let scratch = std::env::temp_dir().join(format!("sdkgen-fuzz-{target}"));
        std::fs::create_dir_all(&scratch).map_err(|e| e.to_string())?;
        let seeds = fuzz.join("corpus").join(target);
        println!("fuzzing {target} for {seconds} s ...");
        let status = Command::new("cargo")
            .env("RUSTC_BOOTSTRAP", "1")
            .args(["fuzz", "run", target])
            .arg(&scratch)
            .arg(&seeds)
            .args([
                "--",
                &format!("-max_total_time={seconds}"),
                "-timeout=10",
                "-print_final_stats=1",
            ])
            .current_dir(&fuzz)
            .status()
            .map_err(|e| format!("cannot run cargo fuzz: {e}"))?;
        if !status.success() {
            failed.push(target.clone());
        }
    }
    if failed.is_empty() {
        println!(
            "fuzz: {} targets ran {seconds} s each without a crash",
            targets.len()
        );
        Ok(())
    } else {
        Err(format!(
            "fuzz targets crashed: {} (inputs in fuzz/artifacts/)",
            failed.join(", ")
        ))
    }
}

fn ensure_cargo_fuzz() -> Result<(), String> {
    let installed = Command::new("cargo")
        .args(["fuzz", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    if installed {
        return Ok(());
    }
    println!("installing cargo-fuzz from crates.io ...");
    let status = Command::new("cargo")
        .args(["install", "cargo-fuzz", "--locked"])
        .status()
        .map_err(|e| format!("cannot run cargo install: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err("cargo install cargo-fuzz failed".into())
    }
}
