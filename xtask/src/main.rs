//! `cargo xtask <command>`: the project's own commands.
//!
//! - `codegen [--check]`: regenerate `generated/` from `model/` (and the
//!   generator's fixture models), or check that it is up to date.
//! - `update-model [--botocore VERSION]`: replace `model/` with the files
//!   of a botocore release from PyPI, and `tests/data/endpoint-rules/`
//!   with its endpoint tests.
//! - `regenerate [--botocore VERSION]`: `update-model`, then `codegen`;
//!   each crate's API change is printed, its version bumped and its
//!   changelog written.
//! - `add-service SERVICE [--operations A,B] [--crate NAME]`: add a botocore service, every
//!   operation, as `generated/NAME`.
//! - `coverage [--botocore VERSION] [--protocol PROTOCOL] [--compile]`:
//!   generate every service the generator speaks to (or those of one
//!   protocol) in a botocore release, in memory, and report.
//! - `coverage --endpoints [--botocore VERSION]`: run botocore's endpoint
//!   tests of every service against resolvers compiled from its rule sets,
//!   and the generated clients for the cases that call operations.
//! - `bench [--quick | --cold-start | --dynamodb | --bedrock | --s3 | --ec2]`:
//!   measure against the official SDK (`bench/`); `--cold-start` measures
//!   only the cold start, `--dynamodb` only the DynamoDB figures,
//!   `--bedrock` only the ConverseStream ones, `--s3` only S3's GetObject
//!   and PutObject of 1 GiB (with `--quick`, fewer rounds and no cold
//!   builds; for `--s3`, 64 MiB), `--ec2` the builds of a DescribeInstances
//!   program (`peak-rss COMMAND...` is its helper).
//! - `fuzz --seconds N`: run every fuzz target of `fuzz/` for N seconds.
//! - `e2e [FILTER]`: run the end-to-end scenarios (`e2e/`) against moto.
//! - `soak --minutes N [--concurrency C]`: run the client for N minutes
//!   against the bench mock with faults injected (`soak/`).
//! - `package-check`: pack the publishable crates with `cargo package`
//!   and build a program from those packages alone, as from a registry.

mod add_service;
mod bench;
mod codegen;
mod coverage;
mod e2e;
mod endpoint_tests;
mod endpoints;
mod fuzz;
mod package;
mod regenerate;
mod soak;
mod tree;
mod update_model;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask codegen [--check]
       cargo xtask update-model [--botocore VERSION]
       cargo xtask regenerate [--botocore VERSION]
       cargo xtask add-service SERVICE [--operations A,B,...] [--crate NAME]
       cargo xtask coverage [--botocore VERSION] [--protocol json|rest-json|rest-xml|query|ec2|smithy-rpc-v2-cbor] [--compile]
       cargo xtask coverage --endpoints [--botocore VERSION]
       cargo xtask bench [--quick | --cold-start | --dynamodb | --bedrock [--quick] | --s3 [--quick]]
       cargo xtask fuzz --seconds N
       cargo xtask e2e [FILTER]
       cargo xtask soak --minutes N [--concurrency C]
       cargo xtask package-check";

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let root = match project_root() {
        Ok(root) => root,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::FAILURE;
        }
    };
    let result = match args.as_slice() {
        ["codegen"] => codegen::run(&root, false),
        ["codegen", "--check"] => codegen::run(&root, true),
        ["update-model"] => update_model::run(&root, None),
        ["regenerate"] => regenerate::run(&root, None),
        ["regenerate", "--botocore", version] => regenerate::run(&root, Some(version)),
        ["add-service", service, rest @ ..] if !service.starts_with('-') => add_service::args(rest)
            .map_err(|e| format!("{e}\n{USAGE}"))
            .and_then(|(crate_name, operations)| {
                add_service::run(&root, service, crate_name, operations.as_deref())
            }),
        ["coverage", rest @ ..] => coverage_args(rest).and_then(|args| match args {
            Coverage {
                version,
                endpoints: true,
                protocol: None,
                compile: false,
            } => endpoints::run(&root, version),
            Coverage {
                endpoints: true, ..
            } => Err(format!(
                "--endpoints takes neither --protocol nor --compile\n{USAGE}"
            )),
            Coverage {
                version,
                protocol,
                compile,
                ..
            } => coverage::run(&root, version, protocol, compile),
        }),
        ["bench"] => bench::run(&root, false),
        ["bench", "--quick"] => bench::run(&root, true),
        ["bench", "--cold-start"] => bench::run_cold_start(&root),
        ["bench", "--dynamodb"] => bench::run_dynamodb(&root),
        ["bench", "--bedrock"] => bench::run_bedrock(&root, false),
        ["bench", "--bedrock", "--quick"] => bench::run_bedrock(&root, true),
        ["bench", "--s3"] => bench::run_s3(&root, false),
        ["bench", "--s3", "--quick"] => bench::run_s3(&root, true),
        ["bench", "--ec2"] => bench::run_ec2(&root),
        ["peak-rss", command @ ..] => {
            bench::peak_rss(&command.iter().map(|s| s.to_string()).collect::<Vec<_>>())
        }
        ["fuzz", "--seconds", n] => match n.parse() {
            Ok(seconds) => fuzz::run(&root, seconds),
            Err(_) => Err(format!("--seconds takes a whole number, not {n:?}")),
        },
        ["package-check"] => package::run(&root),
        ["e2e"] => e2e::run(&root, None),
        ["e2e", filter] if !filter.starts_with('-') => e2e::run(&root, Some(filter)),
        ["soak", rest @ ..] => soak::args(rest)
            .map_err(|e| format!("{e}\n{USAGE}"))
            .and_then(|(minutes, concurrency)| soak::run(&root, minutes, concurrency)),
        ["update-model", "--botocore", version] => update_model::run(&root, Some(version)),
        ["update-model", flag] if flag.starts_with("--botocore=") => {
            update_model::run(&root, Some(&flag["--botocore=".len()..]))
        }
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The options of `coverage`.
struct Coverage<'a> {
    version: Option<&'a str>,
    protocol: Option<&'a str>,
    compile: bool,
    endpoints: bool,
}

/// `[--botocore VERSION] [--protocol PROTOCOL] [--compile] [--endpoints]`,
/// in any order.
fn coverage_args<'a>(args: &[&'a str]) -> Result<Coverage<'a>, String> {
    let (mut version, mut protocol, mut compile, mut endpoints) = (None, None, false, false);
    let mut rest = args.iter();
    while let Some(flag) = rest.next() {
        match *flag {
            "--compile" => {
                compile = true;
                continue;
            }
            "--endpoints" => {
                endpoints = true;
                continue;
            }
            _ => {}
        }
        let value = rest
            .next()
            .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?;
        match *flag {
            "--botocore" => version = Some(*value),
            "--protocol" => protocol = Some(*value),
            other => return Err(format!("unknown option {other}\n{USAGE}")),
        }
    }
    Ok(Coverage {
        version,
        protocol,
        compile,
        endpoints,
    })
}

/// The workspace the command runs in, found from the current directory,
/// wherever in the tree that is. Not the one xtask was compiled in: with
/// one `CARGO_TARGET_DIR` for two clones, the binary built for one runs
/// in the other, and must change the clone it runs in.
fn project_root() -> Result<PathBuf, String> {
    let cwd =
        std::env::current_dir().map_err(|e| format!("cannot read the current directory: {e}"))?;
    workspace_root(&cwd).ok_or_else(|| {
        format!(
            "{} is not in this project: neither it nor a directory above it has a Cargo.toml \
             with [workspace] beside an xtask/ directory. Run cargo xtask in a clone of the project.",
            cwd.display()
        )
    })
}

/// The nearest of `dir` and its parents that holds the project's
/// workspace: a `Cargo.toml` with a `[workspace]` table, beside `xtask/`
/// (`bench/` is a workspace of its own, without one).
fn workspace_root(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .find(|dir| {
            dir.join("xtask").is_dir()
                && std::fs::read_to_string(dir.join("Cargo.toml"))
                    .is_ok_and(|toml| toml.lines().any(|line| line.trim() == "[workspace]"))
        })
        .map(Path::to_path_buf)
}
