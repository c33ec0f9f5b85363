//! `cargo xtask coverage --endpoints [--botocore VERSION]`: botocore's
//! endpoint tests of every service, run.
//!
//! The rule sets and service models come from the botocore wheel, as for
//! `coverage` (by default the release `model/` holds); the test files from
//! `tests/data/endpoint-rules/`, vendored from the same release's source
//! distribution (`update-model` refreshes them). The generator writes one
//! crate holding every service's resolver as a module, and, for each
//! service whose cases call operations, a crate of that service with those
//! operations (`target/coverage/endpoints/`); cargo builds them and the
//! runner runs every case, printing
//! `endpoint rules: S services, N cases ran, P passed, K skipped` and each
//! failing service with its first failing case. The time generation,
//! compilation and the run took are printed too.

use crate::coverage::write_crate;
use crate::update_model::{check_version, vendored_version, Wheel};
use sdkgen_codegen::rules::suite::{self, SuiteOptions, SuiteService};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// Where the tests are vendored, relative to the project.
pub const TESTS_DIR: &str = "tests/data/endpoint-rules";

/// Cases that are not run: (service, case documentation, why). The list
/// only shrinks.
const SKIPPED: &[(&str, &str, &str)] = &[];

struct Service {
    name: String,
    rules: String,
    tests: String,
    model: String,
}

pub fn run(root: &Path, version: Option<&str>) -> Result<(), String> {
    let version = match version {
        Some(v) => {
            check_version(v)?;
            v.to_string()
        }
        None => vendored_version(root)?,
    };
    let tests_version = crate::endpoint_tests::vendored_version(root)?;
    if tests_version != version {
        return Err(format!(
            "{TESTS_DIR}/ holds the tests of botocore {tests_version}, not {version}: \
             run `cargo xtask update-model --botocore {version}` first"
        ));
    }
    let mut wheel = Wheel::download(Some(&version))?;
    let started = Instant::now();
    let text = |found: Option<(String, Vec<u8>)>| {
        found.map(|(_, bytes)| String::from_utf8_lossy(&bytes).into_owned())
    };
    let partitions = text(wheel.read("botocore/data/partitions.json")?)
        .ok_or("the wheel has no partitions.json")?;
    let tests_dir = root.join(TESTS_DIR);
    let mut services = Vec::new();
    let mut without_rules = Vec::new();
    for name in wheel.services() {
        let dir = wheel.newest(&name)?;
        let Some(rules) = text(wheel.read(&format!("{dir}endpoint-rule-set-1.json"))?) else {
            without_rules.push(name);
            continue;
        };
        let model = text(wheel.read(&format!("{dir}service-2.json"))?)
            .ok_or_else(|| format!("{name}: no service-2.json"))?;
        let path = tests_dir.join(&name).join("endpoint-tests-1.json");
        let tests = fs::read_to_string(&path).map_err(|e| {
            format!(
                "cannot read {} ({e}): run `cargo xtask update-model --botocore {version}` to vendor the tests of this release",
                path.display()
            )
        })?;
        services.push(Service {
            name,
            rules,
            tests,
            model,
        });
    }
    if !without_rules.is_empty() {
        println!(
            "{} services have no endpoint rules: {}",
            without_rules.len(),
            without_rules.join(", ")
        );
    }
    let out = root.join("target/coverage/endpoints");
    let harness = root.join("tests/endpoint-harness");
    let options = SuiteOptions {
        runtime_path: root.join("runtime").display().to_string(),
        harness_path: harness.display().to_string(),
        data_dir: tests_dir.display().to_string(),
        calls_dir: out.join("calls").display().to_string(),
        skipped: SKIPPED
            .iter()
            .map(|(s, c, w)| (s.to_string(), c.to_string(), w.to_string()))
            .collect(),
        source: format!("botocore {version}"),
    };
    let inputs: Vec<SuiteService> = services
        .iter()
        .map(|s| SuiteService {
            name: &s.name,
            rules: &s.rules,
            tests: &s.tests,
            model: Some(&s.model),
        })
        .collect();
    let generated = suite::generate(&inputs, &partitions, &options)
        .map_err(|e| format!("the endpoint suite does not generate: {e}"))?;
    for (service, why) in &generated.refused {
        println!("{service}: the rule set does not compile: {why}");
    }
    write_crate(&out.join("suite"), &generated.runner)?;
    let mut members = vec!["\"suite\"".to_string()];
    for (service, files) in &generated.calls {
        write_crate(&out.join("calls").join(service), files)?;
        members.push(format!("\"calls/{service}\""));
    }
    fs::write(
        out.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    )
    .map_err(|e| format!("cannot write the workspace manifest: {e}"))?;
    println!(
        "generated the resolvers of {} services and {} crates of operation calls in {:.1} s",
        services.len(),
        generated.calls.len(),
        started.elapsed().as_secs_f64()
    );

    // The project's dependency versions, not whatever is newest today.
    let lock = out.join("Cargo.lock");
    fs::copy(root.join("Cargo.lock"), &lock)
        .map_err(|e| format!("cannot copy Cargo.lock to {}: {e}", lock.display()))?;
    let started = Instant::now();
    let target = out.with_extension("target");
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["build", "--quiet", "-p", "endpoint-suite"])
        .current_dir(&out)
        // Beside the workspace, as `coverage --compile` keeps its own.
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !output.status.success() {
        // The warnings of generated code that compiles are left unsaid.
        eprintln!("{}", String::from_utf8_lossy(&output.stderr).trim_end());
        return Err("the endpoint suite does not compile".into());
    }
    println!(
        "compiled the endpoint suite in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let started = Instant::now();
    let binary: PathBuf = target.join("debug").join("endpoint-suite");
    let status = Command::new(&binary)
        .arg(&tests_dir)
        .status()
        .map_err(|e| format!("cannot run {}: {e}", binary.display()))?;
    println!("ran the cases in {:.1} s", started.elapsed().as_secs_f64());
    if status.success() {
        Ok(())
    } else {
        Err("endpoint cases fail".into())
    }
}
