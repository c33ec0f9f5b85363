//! `cargo xtask e2e [FILTER]`: the end-to-end scenarios of the generated
//! crates (`e2e/`) against moto, an AWS emulator nobody here wrote.
//!
//! Installs moto's server, pinned, into `target/moto-venv` (once; pip
//! decides the index), builds the scenarios, starts `moto_server` on a
//! free port of 127.0.0.1, waits until it answers, runs
//! `cargo run -p sdkgen-e2e -- --endpoint URL [FILTER]`, and stops moto
//! whatever happens. Fails when any scenario fails.

mod moto_server;
mod moto_venv;
mod on_signal;

use moto_server::MotoServer;
use moto_venv::MOTO_VERSION;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

pub fn run(root: &Path, filter: Option<&str>) -> Result<(), String> {
    let started = Instant::now();
    let program = moto_venv::ensure(&root.join("target/moto-venv"))?;
    let install = started.elapsed().as_secs_f64();

    // Built before moto starts: a compile error needs no emulator, and
    // moto does not sit through a build.
    let mut build = cargo(root);
    build.args(["build", "-p", "sdkgen-e2e"]);
    status(&mut build)?;
    let built = started.elapsed().as_secs_f64();

    let server = MotoServer::start(&program, &root.join("target/moto-server.log"))?;
    let mut scenarios = cargo(root);
    scenarios.args([
        "run",
        "--quiet",
        "-p",
        "sdkgen-e2e",
        "--",
        "--endpoint",
        &server.url,
    ]);
    scenarios.args(filter);
    let outcome = status(&mut scenarios);
    let log = server.log.clone();
    drop(server);

    println!(
        "e2e: moto {MOTO_VERSION}; install or reuse {install:.1} s, build {:.1} s, moto and the scenarios {:.1} s",
        built - install,
        started.elapsed().as_secs_f64() - built
    );
    outcome.map_err(|e| format!("{e} (moto's log: {})", log.display()))
}

/// cargo, the one running this command when there is one, without the
/// variables `cargo run` set for xtask itself: build scripts watch some
/// (ring's, `CARGO_MANIFEST_DIR`), and seeing xtask's would rebuild them
/// instead of reusing what `cargo build` and `cargo test` built.
pub(crate) fn cargo(root: &Path) -> Command {
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.current_dir(root);
    let of_xtask = [
        "CARGO_PKG_",
        "CARGO_MANIFEST_",
        "CARGO_CRATE_",
        "CARGO_BIN_",
    ];
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        if of_xtask.iter().any(|p| name.starts_with(p)) || name == "CARGO_PRIMARY_PACKAGE" {
            cmd.env_remove(name.as_ref());
        }
    }
    cmd
}

/// Runs `cmd` with its output shown, printing it first.
pub(crate) fn status(cmd: &mut Command) -> Result<(), String> {
    println!("$ {}", shown(cmd));
    let status = cmd
        .status()
        .map_err(|e| format!("cannot run {}: {e}", shown(cmd)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{}` failed ({status})", shown(cmd)))
    }
}

/// A command as it would be typed.
fn shown(cmd: &Command) -> String {
    std::iter::once(cmd.get_program())
        .chain(cmd.get_args())
        .map(|a| a.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}
