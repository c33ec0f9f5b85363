//! The ConverseStream figures: our client (`bench/ours-bedrock`) against the
//! official SDK (`bench/official-bedrock`), each reading the mock's reply of
//! 10,000 small text deltas (`bench/mock/src/bedrock.rs`) as a stream: CPU
//! per event, and the program's stripped size and cold build, as ratios
//! ours / official beside the targets of issue 21.
//!
//! CPU per event is the program's own CPU time (user + system, every
//! thread, from `getrusage`) over a run of several streams read one after
//! the other, divided by the events read; the runs are interleaved, ours
//! then official, so that machine drift hits both alike, and the figure is
//! the median over the rounds. Each program runs on tokio's multi-thread
//! runtime, as `#[tokio::main]` builds it, where handing each event from
//! the connection's thread to the reader's is most of the cost, and on the
//! current-thread runtime, where the client's own work per event is
//! (`bench_common::bedrock`).

use super::runner::Runner;
use super::{cold_build, median, stripped_size};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

pub const OURS: &str = "ours-bedrock";
pub const OFFICIAL: &str = "official-bedrock";
pub const PROGRAMS: [&str; 2] = [OURS, OFFICIAL];

/// The mock's reply: `bench/mock/src/bedrock.rs`'s `DELTAS` and `EVENTS`.
const DELTAS: u64 = 10_000;
const EVENTS: u64 = DELTAS + 4;

/// Both programs must read the whole reply, and the same text from it:
/// `once` prints what a program read from one stream.
pub fn check(runner: &Runner) -> Result<(), String> {
    let mut tallies = BTreeMap::new();
    for program in PROGRAMS {
        let out = runner
            .command(program, None)
            .arg("once")
            .output()
            .map_err(|e| format!("cannot run {program}: {e}"))?;
        let tally: Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
        let whole = tally["events"] == EVENTS
            && tally["deltas"] == DELTAS
            && tally["output_tokens"] == DELTAS
            && tally["stop_reason"] == "end_turn";
        if !out.status.success() || !whole {
            return Err(format!(
                "{program} once did not read the whole reply: {} {}",
                String::from_utf8_lossy(&out.stdout).trim(),
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        tallies.insert(program, tally);
    }
    if tallies[OURS] != tallies[OFFICIAL] {
        return Err(format!(
            "{OURS} read {} and {OFFICIAL} read {}",
            tallies[OURS], tallies[OFFICIAL]
        ));
    }
    Ok(())
}

/// One `bench STREAMS --warmup W [--current-thread]` run and the figures
/// it printed.
fn run(
    runner: &Runner,
    program: &str,
    streams: usize,
    warmup: usize,
    current_thread: bool,
) -> Result<Value, String> {
    let out = runner
        .command(program, None)
        .args(["bench", &streams.to_string()])
        .args(["--warmup", &warmup.to_string()])
        .args(current_thread.then_some("--current-thread"))
        .output()
        .map_err(|e| format!("cannot run {program}: {e}"))?;
    let line = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        return Err(format!(
            "{program} failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    let value: Value =
        serde_json::from_str(line.trim()).map_err(|e| format!("{program}: {e}: {line}"))?;
    if value["events"].as_u64() != Some(EVENTS * streams as u64) {
        return Err(format!("{program} did not read every event: {value}"));
    }
    Ok(value)
}

/// One row: a figure per program, and the most ours / official may be.
struct Row {
    name: &'static str,
    values: BTreeMap<&'static str, f64>,
    decimals: usize,
    target: Option<f64>,
}

/// Measures every figure; the cold builds only when not `quick`. Returns
/// the table, as BENCHMARKS.md shows it.
pub fn measure(runner: &Runner, manifest: &Path, quick: bool) -> Result<String, String> {
    check(runner)?;
    let (rounds, streams, warmup) = if quick { (3, 5, 1) } else { (7, 10, 2) };
    println!(
        "ConverseStream: {rounds} interleaved rounds of {streams} streams of {EVENTS} events, on each runtime ..."
    );
    // Keyed by program, then by whether the runtime is current-thread.
    let mut runs: BTreeMap<(&str, bool), Vec<Value>> = BTreeMap::new();
    for _ in 0..rounds {
        for current_thread in [false, true] {
            for program in PROGRAMS {
                let value = run(runner, program, streams, warmup, current_thread)?;
                runs.entry((program, current_thread))
                    .or_default()
                    .push(value);
            }
        }
    }
    let figure = |key: &str, current_thread: bool, pick: fn(Vec<f64>) -> f64| {
        PROGRAMS
            .iter()
            .map(|p| {
                let values = runs[&(*p, current_thread)]
                    .iter()
                    .filter_map(|v| v[key].as_f64())
                    .collect();
                (*p, pick(values))
            })
            .collect::<BTreeMap<&'static str, f64>>()
    };
    let max = |values: Vec<f64>| values.into_iter().fold(0.0, f64::max);
    let mut rows = vec![
        Row {
            name: "client CPU per event, multi-thread runtime (ns)",
            values: figure("cpu_ns_per_event", false, median),
            decimals: 0,
            target: Some(0.5),
        },
        Row {
            name: "client CPU per event, current-thread runtime (ns)",
            values: figure("cpu_ns_per_event", true, median),
            decimals: 0,
            target: Some(0.5),
        },
        Row {
            name: "wall time per event, multi-thread runtime (ns)",
            values: figure("wall_ns_per_event", false, median),
            decimals: 0,
            target: None,
        },
        Row {
            name: "peak RSS, multi-thread runtime (KiB)",
            values: figure("vmhwm_kb", false, max),
            decimals: 0,
            target: None,
        },
    ];
    let sizes = PROGRAMS
        .iter()
        .map(|p| Ok((*p, stripped_size(&runner.bin(p))? as f64)))
        .collect::<Result<_, String>>()?;
    rows.push(Row {
        name: "stripped binary (bytes)",
        values: sizes,
        decimals: 0,
        target: Some(0.25),
    });
    if !quick {
        let mut seconds = BTreeMap::new();
        let mut crates = BTreeMap::new();
        for program in PROGRAMS {
            println!("cold release build of {program} ...");
            let (s, c) = cold_build(manifest, program)?;
            seconds.insert(program, s);
            crates.insert(program, c as f64);
        }
        rows.push(Row {
            name: "cold release build (s)",
            values: seconds,
            decimals: 1,
            target: Some(0.25),
        });
        rows.push(Row {
            name: "crates compiled",
            values: crates,
            decimals: 0,
            target: None,
        });
    }
    Ok(render(&rows, rounds, streams))
}

fn render(rows: &[Row], rounds: usize, streams: usize) -> String {
    let mut out = format!(
        "Bedrock ConverseStream, {EVENTS} events a stream, medians of {rounds} interleaved rounds of {streams} streams:\n\n\
         | metric | ours | official SDK | ours / official | target | met |\n\
         | --- | --- | --- | --- | --- | --- |\n"
    );
    for row in rows {
        let (ours, official) = (row.values[OURS], row.values[OFFICIAL]);
        let ratio = ours / official;
        let (target, met) = match row.target {
            Some(t) => (
                format!("at most {t:.2}x"),
                if ratio <= t { "yes" } else { "no" }.to_string(),
            ),
            None => (String::new(), String::new()),
        };
        let show = |v: f64| format!("{:.*}", row.decimals, v);
        out.push_str(&format!(
            "| {} | {} | {} | {ratio:.2}x | {target} | {met} |\n",
            row.name,
            show(ours),
            show(official),
        ));
    }
    out
}
