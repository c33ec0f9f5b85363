//! `cargo xtask coverage [--botocore VERSION] [--protocol PROTOCOL]`.
//!
//! Downloads a botocore release as `update-model` does (nothing in `model/`
//! changes; by default the release `model/` holds) and generates every
//! service of one protocol, each with all its operations and its endpoint
//! rules, in memory. Prints a line per service that does not generate and a
//! closing `PROTOCOL: G/T services generate` line. A panic is a generator
//! bug, reported as such; refusals of event-stream operations are counted
//! apart, as they are refused on purpose for now.

use crate::update_model::{check_version, vendored_version, Wheel};
use sdkgen_codegen::{Error, Inputs, Options};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::sync::Mutex;
use std::time::Instant;

/// One service's model files, read from the wheel.
struct Model {
    name: String,
    service: String,
    rules: Option<String>,
}

enum Outcome {
    Generated { files: usize },
    EventStream(String),
    Failed(String),
    Panicked(String),
}

pub fn run(root: &Path, version: Option<&str>, protocol: &str) -> Result<(), String> {
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
    let mut models = Vec::new();
    for name in wheel.services() {
        let dir = wheel.newest(&name)?;
        let Some((_, service)) = wheel.read(&format!("{dir}service-2.json"))? else {
            continue;
        };
        let service = String::from_utf8(service).map_err(|_| format!("{name}: not UTF-8"))?;
        let declared = serde_json::from_str::<serde_json::Value>(&service)
            .ok()
            .and_then(|v| v["metadata"]["protocol"].as_str().map(str::to_string));
        if declared.as_deref() != Some(protocol) {
            continue;
        }
        let rules = wheel
            .read(&format!("{dir}endpoint-rule-set-1.json"))?
            .map(|(_, bytes)| String::from_utf8_lossy(&bytes).into_owned());
        models.push(Model {
            name,
            service,
            rules,
        });
    }
    if models.is_empty() {
        return Err(format!("botocore {version} has no `{protocol}` service"));
    }
    println!(
        "generating {} `{protocol}` services of botocore {version}, every operation ...",
        models.len()
    );
    let started = Instant::now();
    let outcomes = generate_all(&models, &partitions);
    let mut generated = 0;
    let mut operations_files = 0;
    let mut event_streams = Vec::new();
    let mut failures = 0;
    for (model, outcome) in models.iter().zip(&outcomes) {
        match outcome {
            Outcome::Generated { files } => {
                generated += 1;
                operations_files += files;
            }
            Outcome::EventStream(why) => {
                println!("{}: refused (event stream): {why}", model.name);
                event_streams.push(&model.name);
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
    println!(
        "{protocol}: {generated}/{} services generate ({} refused for event streams, {failures} failing; {operations_files} files in {:.1} s)",
        models.len(),
        event_streams.len(),
        started.elapsed().as_secs_f64()
    );
    if failures > 0 {
        return Err(format!("{failures} `{protocol}` services do not generate"));
    }
    Ok(())
}

/// Generates every model on all cores; a panic is caught and reported.
fn generate_all(models: &[Model], partitions: &str) -> Vec<Outcome> {
    let next = Mutex::new(0usize);
    let results: Mutex<Vec<Option<Outcome>>> =
        Mutex::new((0..models.len()).map(|_| None).collect());
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
                let Some(model) = models.get(i) else { break };
                let outcome = generate_one(model, partitions);
                results.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(outcome);
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

fn generate_one(model: &Model, partitions: &str) -> Outcome {
    let inputs = Inputs {
        service: &model.service,
        endpoint_rules: model.rules.as_deref(),
        partitions: model.rules.as_ref().map(|_| partitions),
    };
    let options = Options {
        crate_name: model.name.clone(),
        crate_version: "0.0.0".into(),
        model_path: format!("{}/service-2.json", model.name),
        runtime_path: "../runtime".into(),
    };
    match catch_unwind(AssertUnwindSafe(|| {
        sdkgen_codegen::generate(&inputs, None, &options)
    })) {
        Ok(Ok(files)) => Outcome::Generated { files: files.len() },
        Ok(Err(e @ Error::EventStream { .. })) => Outcome::EventStream(e.to_string()),
        Ok(Err(e)) => Outcome::Failed(e.to_string()),
        Err(panic) => Outcome::Panicked(
            panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "unknown panic".into()),
        ),
    }
}
