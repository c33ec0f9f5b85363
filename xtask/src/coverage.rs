//! `cargo xtask coverage [--botocore VERSION] [--protocol PROTOCOL] [--compile]`.
//!
//! Downloads a botocore release as `update-model` does (nothing in `model/`
//! changes; by default the release `model/` holds) and generates every
//! service whose protocol, chosen as botocore chooses it, the generator
//! speaks (or, with `--protocol`, every service whose model lists that
//! protocol, with it chosen even where botocore would choose another: the
//! services that list smithy-rpc-v2-cbor beside json), each with all its operations and
//! its endpoint rules, in memory. Prints a line per service that does not
//! generate, and per protocol a closing `PROTOCOL: G/T services generate`
//! line; then, over the services that generate, a line per paginator that
//! is not generated and `paginators: N/M generated` (M: those their
//! `paginators-1.json` list), and the same for waiters (`waiters: N/M
//! generated`, M: those their `waiters-2.json` list; a waiter of an
//! operation left out is not counted). A panic is a generator bug, reported as
//! such. An operation that streams events is left out of its service,
//! which is generated without it; the line names the operation (refused on
//! purpose until event streams land).
//!
//! With `--compile`, every generated crate is also written under
//! `target/coverage/PROTOCOL/` as one workspace and checked with
//! `cargo check` (long: hundreds of crates), and the crates that do not
//! compile are listed.

use crate::update_model::{check_version, vendored_version, Wheel};
use sdkgen_codegen::emit::protocol::{select, supported};
use sdkgen_codegen::model::Metadata;
use sdkgen_codegen::{Error, Inputs, Options};
use std::collections::BTreeMap;
use std::fs;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::time::Instant;

/// One service's model files, read from the wheel.
struct Model {
    name: String,
    /// The protocol asked for, where the model lists it (`--protocol`).
    forced: Option<&'static str>,
    service: String,
    rules: Option<String>,
    paginators: Option<String>,
    waiters: Option<String>,
}

impl Model {
    /// How many paginators its `paginators-1.json` lists (0 when it does
    /// not parse: generating it says why).
    fn paginators_listed(&self) -> usize {
        self.paginators
            .as_deref()
            .and_then(|text| serde_json::from_str::<sdkgen_codegen::model::Paginators>(text).ok())
            .map_or(0, |p| p.pagination.len())
    }

    /// How many waiters its `waiters-2.json` lists (0 when it does not
    /// parse: generating it says why).
    fn waiters_listed(&self) -> usize {
        self.waiters
            .as_deref()
            .and_then(|text| serde_json::from_str::<sdkgen_codegen::model::Waiters>(text).ok())
            .map_or(0, |w| w.waiters.len())
    }
}

/// What a protocol's services (or all of them) came to: paginators and
/// waiters listed and generated, services generated and compiled.
#[derive(Default)]
struct Tally {
    paginators_listed: usize,
    paginators_generated: usize,
    waiters_listed: usize,
    waiters_generated: usize,
    /// Wall seconds of `cargo check`, with `--compile`.
    checking: f64,
    services: usize,
    compiled: usize,
}

impl Tally {
    fn add(&mut self, other: &Tally) {
        self.paginators_listed += other.paginators_listed;
        self.paginators_generated += other.paginators_generated;
        self.waiters_listed += other.waiters_listed;
        self.waiters_generated += other.waiters_generated;
        self.checking += other.checking;
        self.services += other.services;
        self.compiled += other.compiled;
    }
}

enum Outcome {
    /// Generated, without the event-stream operations named.
    Generated {
        files: usize,
        left_out: Vec<String>,
        report: sdkgen_codegen::Report,
    },
    Failed(String),
    Panicked(String),
}

pub fn run(
    root: &Path,
    version: Option<&str>,
    protocol: Option<&str>,
    compile: bool,
) -> Result<(), String> {
    if let Some(p) = protocol {
        if !supported().iter().any(|s| s.name() == p) {
            let spoken: Vec<&str> = supported().iter().map(|s| s.name()).collect();
            return Err(format!(
                "the generator does not speak `{p}` (it speaks {})",
                spoken.join(", ")
            ));
        }
    }
    let version = match version {
        Some(v) => {
            check_version(v)?;
            v.to_string()
        }
        None => vendored_version(root)?,
    };
    let mut wheel = Wheel::download(Some(&version))?;
    let partitions = wheel
        .read("botocore/data/partitions.json")?
        .map(|(_, bytes)| String::from_utf8_lossy(&bytes).into_owned())
        .ok_or("the wheel has no partitions.json")?;
    // Services by the protocol botocore would speak to them.
    let mut by_protocol: BTreeMap<&'static str, Vec<Model>> = BTreeMap::new();
    let mut unspoken: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for name in wheel.services() {
        let dir = wheel.newest(&name)?;
        let Some((_, service)) = wheel.read(&format!("{dir}service-2.json"))? else {
            continue;
        };
        let service = String::from_utf8(service).map_err(|_| format!("{name}: not UTF-8"))?;
        let meta = serde_json::from_str::<serde_json::Value>(&service)
            .ok()
            .and_then(|v| serde_json::from_value::<Metadata>(v["metadata"].clone()).ok())
            .ok_or_else(|| format!("{name}: a model without readable metadata"))?;
        let listed: Vec<&str> = if meta.protocols.is_empty() {
            vec![meta.protocol.as_str()]
        } else {
            meta.protocols.iter().map(String::as_str).collect()
        };
        let forced = protocol.filter(|p| listed.contains(p));
        let chosen = match select(&meta, forced) {
            Ok(chosen) => chosen.name(),
            Err(_) => {
                let listed = if meta.protocols.is_empty() {
                    meta.protocol.clone()
                } else {
                    meta.protocols.join("+")
                };
                unspoken.entry(listed).or_default().push(name);
                continue;
            }
        };
        if protocol.is_some_and(|p| p != chosen) {
            continue;
        }
        let text = |found: Option<(String, Vec<u8>)>| {
            found.map(|(_, bytes)| String::from_utf8_lossy(&bytes).into_owned())
        };
        let rules = text(wheel.read(&format!("{dir}endpoint-rule-set-1.json"))?);
        let paginators = text(wheel.read(&format!("{dir}paginators-1.json"))?);
        let waiters = text(wheel.read(&format!("{dir}waiters-2.json"))?);
        by_protocol.entry(chosen).or_default().push(Model {
            name,
            forced: forced.map(|_| chosen),
            service,
            rules,
            paginators,
            waiters,
        });
    }
    if by_protocol.is_empty() {
        return Err(format!(
            "botocore {version} has no service of {}",
            protocol.unwrap_or("a protocol the generator speaks")
        ));
    }
    // Every service of every protocol in one pool, so that no core waits
    // while another finishes a protocol's last large model.
    let out_dirs: BTreeMap<&str, PathBuf> = by_protocol
        .keys()
        .map(|p| (*p, root.join("target/coverage").join(p)))
        .collect();
    let jobs: Vec<(&Model, Option<&Path>)> = by_protocol
        .iter()
        .flat_map(|(p, models)| {
            let out = compile.then(|| out_dirs[p].as_path());
            models.iter().map(move |m| (m, out))
        })
        .collect();
    for dir in out_dirs.values().filter(|_| compile) {
        fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    println!(
        "generating {} services of botocore {version}, every operation ...",
        jobs.len()
    );
    let started = Instant::now();
    let mut outcomes = generate_all(&jobs, &partitions, &root.join("runtime")).into_iter();
    let generating = started.elapsed().as_secs_f64();
    let mut failed = Vec::new();
    let mut tally = Tally::default();
    for (protocol, models) in &by_protocol {
        let mine: Vec<Outcome> = outcomes.by_ref().take(models.len()).collect();
        let out_dir = compile.then(|| out_dirs[protocol].as_path());
        match cover(protocol, models, mine, out_dir) {
            Ok(count) => {
                tally.add(&count);
            }
            Err(e) => failed.push(e),
        }
    }
    if protocol.is_none() {
        let services: usize = by_protocol.values().map(Vec::len).sum();
        let others: usize = unspoken.values().map(Vec::len).sum();
        for (listed, names) in &unspoken {
            println!("not spoken yet, {listed}: {} services", names.len());
        }
        println!(
            "all: {services} services in protocols the generator speaks ({}), {others} in others",
            by_protocol.keys().copied().collect::<Vec<_>>().join(", ")
        );
        println!(
            "all: paginators: {}/{} generated",
            tally.paginators_generated, tally.paginators_listed
        );
        println!(
            "all: waiters: {}/{} generated (waiters of the protocols not spoken yet are not counted)",
            tally.waiters_generated, tally.waiters_listed
        );
        println!(
            "all: {} services generated in {generating:.1} s",
            tally.services
        );
        if compile {
            println!(
                "all: {}/{} crates compile (cargo check, {:.0} s)",
                tally.compiled, tally.services, tally.checking
            );
        }
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(failed.join("; "))
    }
}

/// Reports the services of one protocol as generated (and with `out_dir`,
/// written there), and checks them.
fn cover(
    protocol: &str,
    models: &[Model],
    outcomes: Vec<Outcome>,
    out_dir: Option<&Path>,
) -> Result<Tally, String> {
    let mut generated = 0;
    let mut files_written = 0;
    let mut without_streams = 0;
    let mut failures = 0;
    let mut tally = Tally::default();
    for (model, outcome) in models.iter().zip(&outcomes) {
        match outcome {
            Outcome::Generated {
                files,
                left_out,
                report,
            } => {
                generated += 1;
                files_written += files;
                if !left_out.is_empty() {
                    without_streams += 1;
                    println!(
                        "{}: generated without {} (event streams, not supported yet)",
                        model.name,
                        left_out.join(", ")
                    );
                }
                tally.paginators_listed += report.paginators_listed;
                tally.paginators_generated += report.paginators_generated;
                for refusal in &report.paginators_refused {
                    println!(
                        "{}: paginator of {} not generated: {}",
                        model.name, refusal.operation, refusal.reason
                    );
                }
                tally.waiters_listed += report.waiters_listed;
                tally.waiters_generated += report.waiters_generated;
                for refusal in &report.waiters_refused {
                    println!(
                        "{}: {} not generated: {}",
                        model.name, refusal.operation, refusal.reason
                    );
                }
            }
            Outcome::Failed(why) => {
                println!("{}: {why}", model.name);
                failures += 1;
            }
            Outcome::Panicked(why) => {
                println!("{}: PANIC (a generator bug): {why}", model.name);
                failures += 1;
            }
        }
    }
    tally.services = generated;
    println!(
        "{protocol}: {generated}/{} services generate ({without_streams} without their event-stream operations, {failures} failing; {files_written} files)",
        models.len(),
    );
    // The paginators of services that do not generate are not counted
    // (their crates do not exist), but said.
    let elsewhere: usize = models
        .iter()
        .zip(&outcomes)
        .filter(|(_, o)| !matches!(o, Outcome::Generated { .. }))
        .map(|(m, _)| m.paginators_listed())
        .sum();
    println!(
        "paginators: {}/{} generated ({elsewhere} more listed by the {} services that do not generate)",
        tally.paginators_generated,
        tally.paginators_listed,
        models.len() - generated
    );
    let waiters_elsewhere: usize = models
        .iter()
        .zip(&outcomes)
        .filter(|(_, o)| !matches!(o, Outcome::Generated { .. }))
        .map(|(m, _)| m.waiters_listed())
        .sum();
    println!(
        "waiters: {}/{} generated ({waiters_elsewhere} more listed by the {} services that do not generate)",
        tally.waiters_generated,
        tally.waiters_listed,
        models.len() - generated
    );
    if failures > 0 {
        return Err(format!("{failures} `{protocol}` services do not generate"));
    }
    if tally.waiters_generated < tally.waiters_listed {
        return Err(format!(
            "{} `{protocol}` waiters are not generated",
            tally.waiters_listed - tally.waiters_generated
        ));
    }
    if tally.paginators_generated < tally.paginators_listed {
        return Err(format!(
            "{} `{protocol}` paginators are not generated",
            tally.paginators_listed - tally.paginators_generated
        ));
    }
    match out_dir {
        Some(dir) => {
            // A crate left from an earlier run whose service no longer
            // generates is not part of this one.
            let kept: Vec<&str> = models
                .iter()
                .zip(&outcomes)
                .filter(|(_, o)| matches!(o, Outcome::Generated { .. }))
                .map(|(m, _)| m.name.as_str())
                .collect();
            for entry in fs::read_dir(dir).map_err(|e| e.to_string())?.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if entry.path().join("Cargo.toml").exists() && !kept.contains(&name.as_str()) {
                    let _ = fs::remove_dir_all(entry.path());
                }
            }
            let started = Instant::now();
            check_all(dir, protocol, generated)?;
            tally.checking = started.elapsed().as_secs_f64();
            tally.compiled = generated;
            Ok(tally)
        }
        None => Ok(tally),
    }
}

/// `cargo check` of every crate written under `dir`, as one workspace.
fn check_all(dir: &Path, protocol: &str, crates: usize) -> Result<(), String> {
    fs::write(
        dir.join("Cargo.toml"),
        "[workspace]\nresolver = \"2\"\nmembers = [\"*\"]\n",
    )
    .map_err(|e| format!("cannot write the workspace manifest: {e}"))?;
    println!("cargo check of {crates} crates in {} ...", dir.display());
    let started = Instant::now();
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args([
            "check",
            "--workspace",
            "--message-format",
            "short",
            "--keep-going",
        ])
        .current_dir(dir)
        // Beside the workspace: inside it, `members = ["*"]` would take it.
        .env("CARGO_TARGET_DIR", dir.with_extension("target"))
        // Checked once: incremental caches would only fill the disk.
        .env("CARGO_INCREMENTAL", "0")
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    let mut failing: Vec<&str> = stderr
        .lines()
        .filter_map(|l| l.strip_prefix("error: could not compile `"))
        .filter_map(|l| l.split('`').next())
        .collect();
    failing.sort_unstable();
    failing.dedup();
    for line in stderr.lines().filter(|l| l.contains(": error")) {
        println!("{line}");
    }
    for name in &failing {
        println!("{name}: does not compile");
    }
    if failing.is_empty() && !output.status.success() {
        println!("{}", stderr.trim_end());
    }
    println!(
        "{protocol}: {}/{crates} generated crates compile ({:.0} s)",
        crates - failing.len(),
        started.elapsed().as_secs_f64()
    );
    if failing.is_empty() && output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{} `{protocol}` crates do not compile",
            failing.len().max(1)
        ))
    }
}

/// Generates every model on all cores, the largest first; a panic is
/// caught and reported. With an output directory, a crate is written to
/// `DIR/SERVICE`. The outcomes are in the order of `jobs`.
fn generate_all(
    jobs: &[(&Model, Option<&Path>)],
    partitions: &str,
    runtime: &Path,
) -> Vec<Outcome> {
    let mut order: Vec<usize> = (0..jobs.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(jobs[i].0.service.len()));
    let next = Mutex::new(0usize);
    let results: Mutex<Vec<Option<Outcome>>> = Mutex::new((0..jobs.len()).map(|_| None).collect());
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| loop {
                let i = {
                    let mut next = next.lock().unwrap_or_else(|e| e.into_inner());
                    let i = *next;
                    *next += 1;
                    i
                };
                let Some(&job) = order.get(i) else { break };
                let (model, out) = jobs[job];
                let outcome = generate_one(model, partitions, out, runtime);
                results.lock().unwrap_or_else(|e| e.into_inner())[job] = Some(outcome);
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .map(|o| o.unwrap_or_else(|| Outcome::Panicked("no result".into())))
        .collect()
}

fn generate_one(model: &Model, partitions: &str, out: Option<&Path>, runtime: &Path) -> Outcome {
    let inputs = Inputs {
        service: &model.service,
        endpoint_rules: model.rules.as_deref(),
        partitions: model.rules.as_ref().map(|_| partitions),
        paginators: model.paginators.as_deref(),
        waiters: model.waiters.as_deref(),
    };
    let options = Options {
        crate_name: model.name.clone(),
        crate_version: "0.0.0".into(),
        model_path: format!("{}/service-2.json", model.name),
        runtime_path: runtime.display().to_string(),
        // The configuration crate sits beside the runtime.
        config_path: runtime
            .parent()
            .map(|root| root.join("config").display().to_string()),
        protocol: model.forced.map(str::to_owned),
    };
    let mut operations: Option<Vec<String>> = None;
    let mut left_out = Vec::new();
    loop {
        let generated = catch_unwind(AssertUnwindSafe(|| {
            sdkgen_codegen::generate_with_report(&inputs, operations.as_deref(), &options)
        }));
        match generated {
            Ok(Ok((files, report))) => {
                if let Some(dir) = out {
                    if let Err(e) = write_crate(&dir.join(&model.name), &files) {
                        return Outcome::Failed(e);
                    }
                }
                return Outcome::Generated {
                    files: files.len(),
                    left_out,
                    report,
                };
            }
            // Leave the operation out and generate the rest; an error that
            // names no operation of the model is a failure.
            Ok(Err(Error::EventStream { operation, shape })) => {
                let all = operations.get_or_insert_with(|| operation_names(&model.service));
                let before = all.len();
                all.retain(|name| *name != operation);
                if all.len() == before {
                    return Outcome::Failed(Error::EventStream { operation, shape }.to_string());
                }
                left_out.push(operation);
            }
            Ok(Err(e)) => return Outcome::Failed(e.to_string()),
            Err(panic) => {
                return Outcome::Panicked(
                    panic
                        .downcast_ref::<String>()
                        .cloned()
                        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                        .unwrap_or_else(|| "unknown panic".into()),
                )
            }
        }
    }
}

/// The names of a model's operations.
fn operation_names(service: &str) -> Vec<String> {
    serde_json::from_str::<serde_json::Value>(service)
        .ok()
        .and_then(|v| {
            v["operations"]
                .as_object()
                .map(|ops| ops.keys().cloned().collect())
        })
        .unwrap_or_default()
}

/// Writes a crate, leaving files that did not change untouched so that a
/// second run checks only what changed.
pub(crate) fn write_crate(dir: &Path, files: &sdkgen_codegen::Files) -> Result<(), String> {
    for (path, contents) in files {
        let file: PathBuf = dir.join(path);
        if fs::read_to_string(&file).is_ok_and(|old| old == *contents) {
            continue;
        }
        if let Some(parent) = file.parent() {
            fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        fs::write(&file, contents).map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    }
    Ok(())
}
