//! `e2e --endpoint URL [FILTER]`: end-to-end scenarios of the generated
//! crates against moto, an AWS emulator written by others, which
//! `cargo xtask e2e` installs, starts and passes here.
//!
//! Why a binary and not `#[test]`s: these scenarios need a moto server,
//! which `cargo test --workspace` does not start. As tests they would
//! either fail there for want of a server or skip themselves and pass
//! without testing anything. As a binary (with `test = false`) they are
//! not built or run by `cargo test` at all, and run only when asked,
//! with the endpoint given; without one the binary refuses to start.
//! fmt and clippy still cover it as a workspace member.
//!
//! Each service is one module with a `SCENARIOS` list: adding a service
//! is `src/<service>.rs` and its name in `SERVICES` (and its `mod` line)
//! below. moto keeps its state for as long as it runs and nothing resets
//! it between scenarios, so each scenario names what it makes with
//! `scenario::unique` and deletes it at the end. Scenarios run one after another, each as its own task
//! with a time limit (a panic or a hang fails that scenario only), and
//! the run ends with `e2e: N passed, M failed`; the exit code is 1 when
//! any failed, 2 for a usage error.
//!
//! The crates with no scenario are those of services that moto (the
//! version `xtask/src/e2e/moto_venv.rs` pins) does not serve: SSO
//! (`generated/sso`, the portal's GetRoleCredentials), SSO-OIDC and Chime
//! SDK Voice. The credential chain's SSO source therefore has none either.

mod runner;
mod scenario;

use std::process::ExitCode;

// The services, each a module with its `SCENARIOS`, run in this order.
// Not declared by a macro: rustfmt does not see modules declared in one.
mod credential_chain;
mod dynamodb;
mod ec2;
mod kms;
mod s3;
mod s3_checksums;
mod s3_presign;
mod secrets_manager;
mod sqs;
mod ssm;
mod sts;
const SERVICES: &[&[scenario::Scenario]] = &[
    sts::SCENARIOS,
    credential_chain::SCENARIOS,
    dynamodb::SCENARIOS,
    sqs::SCENARIOS,
    kms::SCENARIOS,
    secrets_manager::SCENARIOS,
    ssm::SCENARIOS,
    s3::SCENARIOS,
    s3_checksums::SCENARIOS,
    s3_presign::SCENARIOS,
    ec2::SCENARIOS,
];

const USAGE: &str = "\
usage: e2e --endpoint URL [FILTER]   run the scenarios whose name contains FILTER
       e2e --list                    list the scenarios
URL is a running moto server: `cargo xtask e2e` starts one and runs this.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let scenarios = SERVICES.iter().flat_map(|s| s.iter());
    let (url, filter) = match args.as_slice() {
        ["--list"] => {
            scenarios.for_each(|s| println!("{}", s.name));
            return ExitCode::SUCCESS;
        }
        ["--endpoint", url] => (*url, None),
        ["--endpoint", url, filter] => (*url, Some(*filter)),
        _ => return usage("the moto endpoint is required: --endpoint URL"),
    };
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return usage(&format!("--endpoint takes an http(s) URL, not {url:?}"));
    }
    let selected: Vec<_> = scenarios
        .filter(|s| filter.is_none_or(|f| s.name.contains(f)))
        .collect();
    if selected.is_empty() {
        return usage(&format!(
            "no scenario matches {:?}",
            filter.unwrap_or_default()
        ));
    }
    let emulator = scenario::Emulator {
        url: url.trim_end_matches('/').to_string(),
    };
    match runner::run(&selected, emulator) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("e2e: {e}");
            ExitCode::FAILURE
        }
    }
}

fn usage(problem: &str) -> ExitCode {
    eprintln!("e2e: {problem}\n{USAGE}");
    ExitCode::from(2)
}
