//! `cargo xtask soak --minutes N [--concurrency C]`: builds the soak
//! program (`soak/`, in the dev profile that `cargo test` already built
//! its dependencies in) and runs it: the generated client for N minutes
//! against the bench mock with faults and a loopback IMDS, C calls at a
//! time (64 unless told). Fails when the program finds an error no fault
//! explains, a panic, or memory or descriptors that grew.

use crate::e2e::{cargo, status};
use std::path::Path;
use std::time::Instant;

/// Calls in flight unless `--concurrency` says otherwise.
pub const DEFAULT_CONCURRENCY: u32 = 64;

pub fn run(root: &Path, minutes: u32, concurrency: u32) -> Result<(), String> {
    let started = Instant::now();
    let mut build = cargo(root);
    build.args(["build", "-p", "sdkgen-soak"]);
    status(&mut build)?;
    println!("soak: built in {:.1} s", started.elapsed().as_secs_f64());
    let mut soak = cargo(root);
    soak.args(["run", "--quiet", "-p", "sdkgen-soak", "--"]);
    soak.args(["--minutes", &minutes.to_string()]);
    soak.args(["--concurrency", &concurrency.to_string()]);
    status(&mut soak)
}

/// `--minutes N [--concurrency C]`, in any order.
pub fn args(args: &[&str]) -> Result<(u32, u32), String> {
    let (mut minutes, mut concurrency) = (None, DEFAULT_CONCURRENCY);
    let mut rest = args.iter();
    while let Some(flag) = rest.next() {
        let value = rest.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let number = value
            .parse::<u32>()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| format!("{flag} takes a whole number above 0, not {value:?}"))?;
        match *flag {
            "--minutes" => minutes = Some(number),
            "--concurrency" => concurrency = number,
            other => return Err(format!("unknown option {other}")),
        }
    }
    Ok((minutes.ok_or("--minutes N is required")?, concurrency))
}
