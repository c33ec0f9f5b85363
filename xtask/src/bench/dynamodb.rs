//! The DynamoDB figures: our client (`bench/ours-dynamodb`) against the
//! official SDK (`bench/official-dynamodb`) and the serde_json floor
//! (`bench/dynamodb-floor`): CPU per Query page of 1 MB (200 items of about
//! 5 KB, every kind of AttributeValue nested three deep), GetItem under
//! load, and the program's stripped size and cold build.
//!
//! `ours-dynamodb` needs the generated crate `generated/dynamodb`. Without
//! it, ours is skipped and the table says why (the package must then be
//! moved to the workspace's `exclude`, since cargo cannot load a workspace
//! with a missing path dependency); with it, the package must be a member
//! of the bench workspace, and this harness stops with the one step to
//! take if it is not.

use super::runner::Runner;
use super::{cold_build, median, stripped_size};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

pub const OURS: &str = "ours-dynamodb";
pub const OFFICIAL: &str = "official-dynamodb";
pub const FLOOR: &str = "dynamodb-floor";

/// Why ours is not measured (`Ok(Some(why))`), or `Ok(None)` if it is.
pub fn ours_skipped(root: &Path, manifest: &Path) -> Result<Option<String>, String> {
    if !root.join("generated/dynamodb/Cargo.toml").exists() {
        return Ok(Some("generated/dynamodb does not exist yet".into()));
    }
    let out = Command::new("cargo")
        .args(["metadata", "--no-deps", "--format-version", "1"])
        .arg("--manifest-path")
        .arg(manifest)
        .output()
        .map_err(|e| format!("cannot run cargo metadata: {e}"))?;
    let metadata: Value = serde_json::from_slice(&out.stdout)
        .map_err(|e| format!("cargo metadata of bench/: {e}"))?;
    let member = metadata["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|p| p["name"] == OURS);
    if member {
        Ok(None)
    } else {
        Err(format!(
            "generated/dynamodb exists, but {OURS} is not in the bench workspace: move it from `exclude` to `members` in bench/Cargo.toml"
        ))
    }
}

/// The DynamoDB programs to build and run.
pub fn programs(skipped: &Option<String>) -> Vec<&'static str> {
    let ours = skipped.is_none().then_some(OURS);
    ours.into_iter().chain([OFFICIAL, FLOOR]).collect()
}

/// Every program must read the same values from each operation: `once`
/// prints the digest of what it read (`bench/common/src/dynamodb.rs`).
pub fn check(runner: &Runner, programs: &[&str]) -> Result<(), String> {
    for (operation, items) in [("get-item", 1), ("query", 200)] {
        let mut digests = BTreeMap::new();
        for program in programs {
            let out = runner
                .command(program, Some(operation))
                .arg("once")
                .output()
                .map_err(|e| format!("cannot run {program}: {e}"))?;
            let digest: Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
            if !out.status.success() || digest["Digest"]["items"] != items {
                return Err(format!(
                    "{program} {operation} once failed: {} {}",
                    String::from_utf8_lossy(&out.stdout).trim(),
                    String::from_utf8_lossy(&out.stderr).trim()
                ));
            }
            digests.insert(*program, digest);
        }
        let first = &digests[OFFICIAL];
        if let Some((program, digest)) = digests.iter().find(|(_, d)| *d != first) {
            return Err(format!(
                "{program} read other values than {OFFICIAL} from {operation}: {digest} against {first}"
            ));
        }
    }
    Ok(())
}

/// One row: a figure per program, where it was measured.
struct Row {
    name: String,
    values: BTreeMap<&'static str, f64>,
    decimals: usize,
}

/// Measures every figure; the cold builds only when not `quick`. Returns
/// the table, as BENCHMARKS.md shows it.
pub fn measure(
    runner: &Runner,
    manifest: &Path,
    skipped: &Option<String>,
    quick: bool,
) -> Result<String, String> {
    let programs = programs(skipped);
    check(runner, &programs)?;
    let (rounds, pages, calls) = if quick {
        (3, 50, 20_000)
    } else {
        (7, 200, 100_000)
    };
    let mut query: BTreeMap<&str, Vec<Value>> = BTreeMap::new();
    let mut get_item: BTreeMap<&str, Vec<Value>> = BTreeMap::new();
    println!("DynamoDB: {rounds} interleaved rounds of {pages} Query pages (C=1) and {calls} GetItem calls (C=32) ...");
    for _ in 0..rounds {
        for program in &programs {
            let run = runner.bench(program, Some("query"), pages, 1, 10)?;
            query.entry(program).or_default().push(run);
            let run = runner.bench(program, Some("get-item"), calls, 32, 1_000)?;
            get_item.entry(program).or_default().push(run);
        }
    }
    let med = |runs: &BTreeMap<&str, Vec<Value>>, key: &str| -> BTreeMap<&'static str, f64> {
        programs
            .iter()
            .map(|p| {
                let values = runs[p].iter().filter_map(|v| v[key].as_f64()).collect();
                (*p, median(values))
            })
            .collect()
    };
    let mut rows = vec![
        Row {
            name: "Query 1 MB page: client CPU per page (us)".into(),
            values: med(&query, "cpu_us_per_call"),
            decimals: 0,
        },
        Row {
            name: "GetItem: client CPU per call C=32 (us)".into(),
            values: med(&get_item, "cpu_us_per_call"),
            decimals: 1,
        },
        Row {
            name: "GetItem: calls/s C=32".into(),
            values: med(&get_item, "calls_per_s"),
            decimals: 0,
        },
    ];
    let sizes = programs
        .iter()
        .map(|p| Ok((*p, stripped_size(&runner.bin(p))? as f64)))
        .collect::<Result<_, String>>()?;
    rows.push(Row {
        name: "GetItem and Query program: stripped binary (bytes)".into(),
        values: sizes,
        decimals: 0,
    });
    if !quick {
        let mut seconds = BTreeMap::new();
        for program in &programs {
            println!("cold release build of {program} ...");
            seconds.insert(*program, cold_build(manifest, program)?.0);
        }
        rows.push(Row {
            name: "GetItem and Query program: cold release build (s)".into(),
            values: seconds,
            decimals: 1,
        });
    }
    Ok(render(&rows, skipped, rounds, pages, calls))
}

fn render(
    rows: &[Row],
    skipped: &Option<String>,
    rounds: usize,
    pages: usize,
    calls: usize,
) -> String {
    let mut out = format!(
        "DynamoDB, medians of {rounds} interleaved rounds ({pages} Query pages at C=1, {calls} GetItem calls at C=32):\n\n\
         | metric | ours | official SDK | ours / official | serde_json floor | ours / floor | official / floor |\n\
         | --- | --- | --- | --- | --- | --- | --- |\n"
    );
    let ours_note = match skipped {
        Some(why) => format!("not measured: {why}"),
        None => String::new(),
    };
    for row in rows {
        let value = |p: &str| row.values.get(p).copied();
        let show = |v: Option<f64>| match v {
            Some(v) => format!("{v:.*}", row.decimals),
            None => ours_note.clone(),
        };
        let ratio = |a: Option<f64>, b: Option<f64>| match (a, b) {
            (Some(a), Some(b)) => format!("{:.2}x", a / b),
            _ => String::new(),
        };
        let (ours, official, floor) = (value(OURS), value(OFFICIAL), value(FLOOR));
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} |\n",
            row.name,
            show(ours),
            show(official),
            ratio(ours, official),
            show(floor),
            ratio(ours, floor),
            ratio(official, floor),
        ));
    }
    out
}
