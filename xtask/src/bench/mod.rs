//! `cargo xtask bench [--quick]`: our client against the official SDK and
//! two unsigned floors, measured in one run on one machine (see
//! `bench/` and BENCHMARKS.md), for GetProxySession, then for DynamoDB
//! (`dynamodb.rs`) and Bedrock's ConverseStream (`bedrock.rs`).
//!
//! Load runs are interleaved (ours, official, reqwest, hyper, ours on
//! reqwest, ours, ...)
//! so that machine drift hits every program alike; each figure is the
//! median over the rounds. `--quick` skips the cold builds.
//! `--cold-start` and `--dynamodb` measure one part alone, quickly;
//! `--bedrock` measures the ConverseStream figures alone, cold builds
//! included; `--s3` measures S3's GetObject and PutObject of 1 GiB
//! (`s3.rs`), which the whole run leaves out for its length; `--ec2` the
//! builds of a DescribeInstances program (`ec2.rs`).

mod bedrock;
mod cold_start;
mod dynamodb;
mod ec2;
mod environment;
mod features;
mod mock;
mod runner;
mod s3;

use environment::AwsEnvironment;
use features::FeatureTable;
use mock::Mock;
use runner::Runner;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

const PROGRAMS: [&str; 5] = [
    "ours",
    "official",
    "reqwest-floor",
    "hyper-floor",
    "ours-reqwest",
];

/// The programs that do not sign: they call the mock's listener that
/// checks no signature, every other program the one that does.
const UNSIGNED: [&str; 3] = ["reqwest-floor", "hyper-floor", dynamodb::FLOOR];

/// `ours` with every operation of the generated crate compiled.
const ALL_OPERATIONS: &str = "ours-all";

/// The service crate of `ours`, and of `official`.
const OUR_CRATE: &str = "chime-sdk-voice";
const OFFICIAL_CRATE: &str = "aws-sdk-chimesdkvoice";

/// Builds each program on its own: built together, the features of their
/// dependencies would unify, and `ours` would carry what the official SDK
/// turns on in tokio, hyper and rustls (and every operation of
/// `ours-all`), and its binary would not be the one a user gets.
fn build(manifest: &Path, programs: &[&str]) -> Result<(), String> {
    println!("building the benchmark programs (release) ...");
    for program in programs {
        let status = Command::new("cargo")
            .args([
                "build",
                "--release",
                "--quiet",
                "-p",
                program,
                "--manifest-path",
            ])
            .arg(manifest)
            .status()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        if !status.success() {
            return Err(format!("building {program} in bench/ failed"));
        }
    }
    Ok(())
}

/// `cargo xtask bench --cold-start`: the cold-start figure alone (ours,
/// the official SDK and the AWS CLI over TLS against the mock, which checks
/// every run's signature), for checking a change to it without the load
/// runs or the cold builds.
pub fn run_cold_start(root: &Path) -> Result<(), String> {
    let bench = root.join("bench");
    build(&bench.join("Cargo.toml"), &["ours", "official", "mock"])?;
    let bin = |name: &str| bench.join("target/release").join(name);
    let test_ca = bench.join("target/bench-test-ca.pem");
    let mock = Mock::start(&bin("mock"), &test_ca)?;
    let env = AwsEnvironment::write(&bench.join("target/bench-aws"))?;
    let cold = cold_start(&bench, &mock, &env, &test_ca, 11)?;
    println!("\n{}", cold.render());
    Ok(())
}

/// `cargo xtask bench --dynamodb`: the DynamoDB figures alone, with the
/// rounds of `--quick` and no cold builds.
pub fn run_dynamodb(root: &Path) -> Result<(), String> {
    let bench = root.join("bench");
    let manifest = bench.join("Cargo.toml");
    let skipped = dynamodb::ours_skipped(root, &manifest)?;
    if let Some(why) = &skipped {
        println!("{} skipped: {why}", dynamodb::OURS);
    }
    let mut programs = dynamodb::programs(&skipped);
    programs.push("mock");
    build(&manifest, &programs)?;
    let mock = Mock::start(
        &bench.join("target/release/mock"),
        &bench.join("target/bench-test-ca.pem"),
    )?;
    let env = AwsEnvironment::write(&bench.join("target/bench-aws"))?;
    let runner = Runner::new(&bench, &mock, &env);
    println!(
        "\n{}",
        dynamodb::measure(&runner, &manifest, &skipped, true)?
    );
    Ok(())
}

/// `cargo xtask bench --bedrock`: the ConverseStream figures alone, cold
/// builds included (they are two of its three targets).
pub fn run_bedrock(root: &Path, quick: bool) -> Result<(), String> {
    let bench = root.join("bench");
    let manifest = bench.join("Cargo.toml");
    let mut programs = bedrock::PROGRAMS.to_vec();
    programs.push("mock");
    build(&manifest, &programs)?;
    let mock = Mock::start(
        &bench.join("target/release/mock"),
        &bench.join("target/bench-test-ca.pem"),
    )?;
    let env = AwsEnvironment::write(&bench.join("target/bench-aws"))?;
    let runner = Runner::new(&bench, &mock, &env);
    println!("\n{}", bedrock::measure(&runner, &manifest, quick)?);
    Ok(())
}

/// `cargo xtask bench --s3 [--quick]`: the S3 figures alone, cold
/// builds included unless `quick` (which also moves 64 MiB, not 1 GiB).
pub fn run_s3(root: &Path, quick: bool) -> Result<(), String> {
    s3::run(root, quick)
}

/// `cargo xtask bench --ec2`: the builds of a DescribeInstances program,
/// ours and the official SDK's.
pub fn run_ec2(root: &Path) -> Result<(), String> {
    ec2::run(root)
}

pub use ec2::peak_rss;

fn cold_start(
    bench: &Path,
    mock: &Mock,
    env: &AwsEnvironment,
    test_ca: &Path,
    runs: usize,
) -> Result<cold_start::ColdStart, String> {
    println!("cold start over TLS, {runs} runs ...");
    let bin = |name: &str| bench.join("target/release").join(name);
    let bundle = cold_start::write_bundle(test_ca, &bench.join("target/bench-ca-bundle.pem"))?;
    cold_start::measure(
        &bin("ours"),
        &bin("official"),
        cold_start::aws_cli(&bench.join("target/awscli")),
        &mock.tls,
        env,
        bundle,
        runs,
    )
}

pub fn run(root: &Path, quick: bool) -> Result<(), String> {
    let bench = root.join("bench");
    let manifest = bench.join("Cargo.toml");
    let dynamo_skipped = dynamodb::ours_skipped(root, &manifest)?;
    if let Some(why) = &dynamo_skipped {
        println!("{} skipped: {why}", dynamodb::OURS);
    }
    let programs: Vec<&str> = PROGRAMS
        .iter()
        .chain(&[ALL_OPERATIONS, "mock"])
        .copied()
        .chain(dynamodb::programs(&dynamo_skipped))
        .chain(bedrock::PROGRAMS)
        .collect();
    build(&manifest, &programs)?;
    let bin = |name: &str| bench.join("target/release").join(name);
    let bin_all = bin(ALL_OPERATIONS);

    let test_ca = bench.join("target/bench-test-ca.pem");
    let mock = Mock::start(&bin("mock"), &test_ca)?;
    let env = AwsEnvironment::write(&bench.join("target/bench-aws"))?;
    let runner = Runner::new(&bench, &mock, &env);

    for program in PROGRAMS.iter().chain(&[ALL_OPERATIONS]) {
        check_once(&runner, program)?;
    }

    let (rounds, n1, n32, warmup) = if quick {
        (3, 3_000, 20_000, 500)
    } else {
        (7, 20_000, 100_000, 1_000)
    };
    println!("latency at C=1: {rounds} interleaved rounds of {n1} calls ...");
    let c1 = interleaved(&runner, rounds, n1, 1, warmup)?;
    println!("throughput at C=32: {rounds} interleaved rounds of {n32} calls ...");
    let c32 = interleaved(&runner, rounds, n32, 32, warmup)?;

    let mut table = Table::default();
    let med = |runs: &BTreeMap<&str, Vec<Value>>, program: &str, key: &str| {
        median(
            runs[program]
                .iter()
                .filter_map(|v| v[key].as_f64())
                .collect(),
        )
    };
    let max = |runs: &BTreeMap<&str, Vec<Value>>, program: &str, key: &str| {
        runs[program]
            .iter()
            .filter_map(|v| v[key].as_f64())
            .fold(0.0, f64::max)
    };
    table.row("p50 latency C=1 (us)", &c1, "p50_us", med, Better::Lower);
    table.row("p99 latency C=1 (us)", &c1, "p99_us", med, Better::Lower);
    table.row("calls/s C=1", &c1, "calls_per_s", med, Better::Higher);
    table.row("calls/s C=32", &c32, "calls_per_s", med, Better::Higher);
    table.row(
        "client CPU per call C=32 (us)",
        &c32,
        "cpu_us_per_call",
        med,
        Better::Lower,
    );
    table.row(
        "peak RSS under load (KiB)",
        &c32,
        "vmhwm_kb",
        max,
        Better::Lower,
    );

    let bytes: BTreeMap<&str, u64> = PROGRAMS
        .iter()
        .map(|p| Ok((*p, stripped_size(&bin(p))?)))
        .collect::<Result<_, String>>()?;
    let sizes: BTreeMap<&str, f64> = bytes.iter().map(|(p, b)| (*p, *b as f64 / 1e6)).collect();
    table.fixed("stripped binary (MB)", &sizes, Better::Lower);

    let mut features = FeatureTable::default();
    features.row(
        "stripped binary (MB)",
        sizes["ours"],
        stripped_size(&bin_all)? as f64 / 1e6,
        sizes["official"],
    );
    if !quick {
        let mut seconds = BTreeMap::new();
        let mut crates = BTreeMap::new();
        for program in PROGRAMS {
            println!("cold release build of {program} ...");
            let (s, c) = cold_build(&manifest, program)?;
            seconds.insert(program, s);
            crates.insert(program, c as f64);
        }
        println!("cold release build of {ALL_OPERATIONS} ...");
        let (all_seconds, all_crates) = cold_build(&manifest, ALL_OPERATIONS)?;
        features.row(
            "cold release build (s)",
            seconds["ours"],
            all_seconds,
            seconds["official"],
        );
        features.row(
            "crates compiled",
            crates["ours"],
            all_crates as f64,
            crates["official"],
        );
        table.fixed("cold release build (s)", &seconds, Better::Lower);
        table.fixed("crates compiled", &crates, Better::Lower);
        for (release, name) in [
            (false, "service crate rebuild, debug (s)"),
            (true, "service crate rebuild, release (s)"),
        ] {
            println!("{name}: 3 rounds each ...");
            let rebuild = |program, package: &str| {
                features::service_rebuild(&manifest, program, package, release, 3)
            };
            // `cargo clean -p` names the package.
            let ours = sdkgen_codegen::naming::registry_package(OUR_CRATE);
            features.row(
                name,
                rebuild("ours", &ours)?,
                rebuild(ALL_OPERATIONS, &ours)?,
                rebuild("official", OFFICIAL_CRATE)?,
            );
        }
    }

    let cold = cold_start(&bench, &mock, &env, &test_ca, if quick { 5 } else { 21 })?;

    let dynamo = dynamodb::measure(&runner, &manifest, &dynamo_skipped, quick)?;
    let converse_stream = bedrock::measure(&runner, &manifest, quick)?;

    let codegen_ms = codegen_time(root)?;
    let (operations, whole_ms) = whole_model_time(root)?;
    let (files, lines) = features::crate_size(&root.join("generated").join(OUR_CRATE))?;
    let (official_version, official_dir) = features::registry_crate_dir(&manifest, OFFICIAL_CRATE)?;
    let (official_files, official_lines) = features::crate_size(&official_dir)?;
    println!("\n{}", table.render());
    println!(
        "stripped binaries: ours {} bytes, official {} bytes ({:.4}x)\n",
        bytes["ours"],
        bytes["official"],
        bytes["ours"] as f64 / bytes["official"] as f64
    );
    println!("{}", cold.render());
    println!("One program, GetProxySession only, against the generated crate's features:\n");
    println!("{}", features.render());
    println!("{dynamo}");
    println!("{converse_stream}");
    println!(
        "generated/{OUR_CRATE}: {files} files, {lines} lines ({operations} operations); {OFFICIAL_CRATE} {official_version}: {official_files} files, {official_lines} lines"
    );
    println!("cargo xtask codegen (all crates, in process, median of 5): {codegen_ms:.0} ms");
    println!(
        "the whole Chime SDK Voice model ({operations} operations, in memory, median of 5, {} build of xtask): {whole_ms:.0} ms",
        if cfg!(debug_assertions) { "debug" } else { "release" }
    );
    Ok(())
}

/// One call of `program` must print the session, and one for a missing
/// session must fail naming the service's error.
fn check_once(runner: &Runner, program: &str) -> Result<(), String> {
    let out = runner
        .command(program, None)
        .arg("once")
        .output()
        .map_err(|e| e.to_string())?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() || !stdout.contains("\"ProxySessionId\"") {
        return Err(format!(
            "{program} once failed: {stdout} {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let out = runner
        .command(program, None)
        .args(["once", "vc", "missing-1"])
        .output()
        .map_err(|e| e.to_string())?;
    if out.status.code() != Some(1)
        || !String::from_utf8_lossy(&out.stderr).contains("NotFoundException")
    {
        return Err(format!(
            "{program}: a missing session should exit 1 naming NotFoundException"
        ));
    }
    Ok(())
}

/// Each program's bench runs, round by round (see [`Runner::bench`]).
fn interleaved<'a>(
    runner: &Runner,
    rounds: usize,
    n: usize,
    c: usize,
    warmup: usize,
) -> Result<BTreeMap<&'a str, Vec<Value>>, String> {
    let mut runs: BTreeMap<&str, Vec<Value>> = BTreeMap::new();
    for _ in 0..rounds {
        for program in PROGRAMS {
            let value = runner.bench(program, None, n, c, warmup)?;
            runs.entry(program).or_default().push(value);
        }
    }
    Ok(runs)
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(|a, b| a.total_cmp(b));
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

fn stripped_size(bin: &Path) -> Result<u64, String> {
    let copy = std::env::temp_dir().join(format!(
        "bench-strip-{}",
        bin.file_name().unwrap().to_string_lossy()
    ));
    std::fs::copy(bin, &copy).map_err(|e| e.to_string())?;
    let status = Command::new("strip")
        .arg(&copy)
        .status()
        .map_err(|e| format!("cannot run strip: {e}"))?;
    if !status.success() {
        return Err("strip failed".into());
    }
    let size = std::fs::metadata(&copy).map_err(|e| e.to_string())?.len();
    let _ = std::fs::remove_file(copy);
    Ok(size)
}

/// Wall seconds and crates compiled for a release build from an empty
/// target directory.
fn cold_build(manifest: &Path, program: &str) -> Result<(f64, usize), String> {
    let target = std::env::temp_dir().join(format!("bench-cold-{program}"));
    let _ = std::fs::remove_dir_all(&target);
    let started = Instant::now();
    let out = Command::new("cargo")
        .args(["build", "--release", "-p", program, "--manifest-path"])
        .arg(manifest)
        .arg("--target-dir")
        .arg(&target)
        .output()
        .map_err(|e| e.to_string())?;
    let seconds = started.elapsed().as_secs_f64();
    let _ = std::fs::remove_dir_all(&target);
    if !out.status.success() {
        return Err(format!("cold build of {program} failed"));
    }
    let crates = String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter(|l| l.trim_start().starts_with("Compiling "))
        .count();
    Ok((seconds, crates))
}

/// The generator on every model in-process, as `cargo xtask codegen` runs it.
fn codegen_time(root: &Path) -> Result<f64, String> {
    let mut times = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        crate::codegen::generate_all(root)?;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    Ok(median(times))
}

/// Every operation of the real model generated in memory, endpoint rules
/// included: the target is under one second.
fn whole_model_time(root: &Path) -> Result<(usize, f64), String> {
    let read = |p: &str| std::fs::read_to_string(root.join(p)).map_err(|e| format!("{p}: {e}"));
    let service = read("model/chime-sdk-voice/service-2.json")?;
    let rules = read("model/chime-sdk-voice/endpoint-rule-set-1.json")?;
    let partitions = read("model/partitions.json")?;
    let parsed: Value = serde_json::from_str(&service).map_err(|e| e.to_string())?;
    let operations: Vec<String> = parsed["operations"]
        .as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default();
    let inputs = sdkgen_codegen::Inputs {
        service: &service,
        endpoint_rules: Some(&rules),
        partitions: Some(&partitions),
        paginators: None,
        waiters: None,
    };
    let options = sdkgen_codegen::Options {
        crate_name: "chime-sdk-voice-all".into(),
        crate_version: "0.0.0".into(),
        model_path: "model/chime-sdk-voice/service-2.json".into(),
        runtime_path: "../../runtime".into(),
        config_path: Some("../../config".into()),
        protocol: None,
    };
    let mut times = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        sdkgen_codegen::generate(&inputs, Some(&operations), &options)
            .map_err(|e| e.to_string())?;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    Ok((operations.len(), median(times)))
}

#[derive(Clone, Copy)]
enum Better {
    Lower,
    Higher,
}

#[derive(Default)]
struct Table {
    rows: Vec<[String; 8]>,
}

impl Table {
    fn row(
        &mut self,
        name: &str,
        runs: &BTreeMap<&str, Vec<Value>>,
        key: &str,
        pick: impl Fn(&BTreeMap<&str, Vec<Value>>, &str, &str) -> f64,
        better: Better,
    ) {
        let values: BTreeMap<&str, f64> =
            PROGRAMS.iter().map(|p| (*p, pick(runs, p, key))).collect();
        self.fixed(name, &values, better);
    }

    fn fixed(&mut self, name: &str, values: &BTreeMap<&str, f64>, better: Better) {
        let (ours, official) = (values["ours"], values["official"]);
        let ratio = ours / official;
        let note = match better {
            Better::Lower => "lower is better",
            Better::Higher => "higher is better",
        };
        self.rows.push([
            name.to_string(),
            format!("{ours:.1}"),
            format!("{official:.1}"),
            format!("{ratio:.2}x ({note})"),
            format!("{:.1}", values["reqwest-floor"]),
            format!("{:.1}", values["hyper-floor"]),
            format!("{:.2}x", ours / values["hyper-floor"]),
            format!("{:.1}", values["ours-reqwest"]),
        ]);
    }

    fn render(&self) -> String {
        let header = [
            "metric",
            "ours",
            "official SDK",
            "ours / official",
            "reqwest floor",
            "hyper floor",
            "ours / hyper",
            "ours, reqwest transport",
        ];
        let mut out = format!(
            "| {} |\n|{}\n",
            header.join(" | "),
            " --- |".repeat(header.len())
        );
        for row in &self.rows {
            out.push_str(&format!("| {} |\n", row.join(" | ")));
        }
        out
    }
}
