//! The command-line contract every benchmark program follows, and the load
//! loop they share, so that only the client differs between them:
//!
//! ```text
//! BIN --endpoint-url URL once [VOICE_CONNECTOR_ID PROXY_SESSION_ID]
//! BIN --endpoint-url URL bench N C [--warmup W]
//! ```
//!
//! `once` prints the output as JSON (model member names) or, for an error,
//! names its code on stderr and exits 1. `bench` makes one serial call, W
//! uncounted warm-up calls, then N calls over C tasks on one client, and
//! prints one JSON line of figures.
//!
//! The DynamoDB programs put the operation first (`dynamodb.rs`); the
//! ConverseStream programs read streams, not calls (`bedrock.rs`); the S3
//! programs move one large object at a time (`s3.rs`).

pub mod bedrock;
pub mod dynamodb;
pub mod s3;

use std::future::Future;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

/// The credentials and region of every run: the harness gives them to the
/// programs in the environment (`AWS_ACCESS_KEY_ID`, ...), as a user's
/// shell or platform would, and the mock checks signatures with them.
pub const ACCESS_KEY: &str = "AKIDEXAMPLE";
pub const SECRET_KEY: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
pub const REGION: &str = "us-east-1";

/// A failed call: the error code when the service sent one.
#[derive(Debug)]
pub struct CallError {
    pub code: Option<String>,
    pub message: String,
}

enum Mode {
    Once { connector: String, session: String },
    Bench { n: usize, c: usize, warmup: usize },
}

fn parse(args: &[String]) -> Result<(String, Mode), String> {
    let usage = "usage: BIN --endpoint-url URL once [VC PS] | BIN --endpoint-url URL bench N C [--warmup W]";
    let (url, rest) = match args {
        [flag, url, rest @ ..] if flag == "--endpoint-url" => (url.clone(), rest),
        _ => return Err(usage.into()),
    };
    let number = |s: &String| s.parse::<usize>().map_err(|_| format!("not a number: {s}"));
    let mode = match rest {
        [m] if m == "once" => Mode::Once {
            connector: "vc-bench".into(),
            session: "ps-bench".into(),
        },
        [m, vc, ps] if m == "once" => Mode::Once {
            connector: vc.clone(),
            session: ps.clone(),
        },
        [m, n, c] if m == "bench" => Mode::Bench {
            n: number(n)?,
            c: number(c)?.max(1),
            warmup: 1000,
        },
        [m, n, c, w, warm] if m == "bench" && w == "--warmup" => Mode::Bench {
            n: number(n)?,
            c: number(c)?.max(1),
            warmup: number(warm)?,
        },
        _ => return Err(usage.into()),
    };
    Ok((url, mode))
}

/// Runs the program: `make` builds the client once from the endpoint URL,
/// `call` makes one GetProxySession call; with `as_json` it returns the
/// output as JSON (for `once`), without it `Null` (the load runs measure
/// the call, not a conversion for printing).
pub fn main<C, M, MF, F, Fut>(make: M, call: F) -> ExitCode
where
    C: Send + Sync + 'static,
    M: FnOnce(String) -> MF,
    MF: Future<Output = C>,
    F: Fn(Arc<C>, String, String, bool) -> Fut + Send + Sync + Copy + 'static,
    Fut: Future<Output = Result<serde_json::Value, CallError>> + Send,
{
    main_with_args(std::env::args().skip(1).collect(), make, call)
}

/// [`main`] on the given arguments (the program's own, without its name).
pub fn main_with_args<C, M, MF, F, Fut>(args: Vec<String>, make: M, call: F) -> ExitCode
where
    C: Send + Sync + 'static,
    M: FnOnce(String) -> MF,
    MF: Future<Output = C>,
    F: Fn(Arc<C>, String, String, bool) -> Fut + Send + Sync + Copy + 'static,
    Fut: Future<Output = Result<serde_json::Value, CallError>> + Send,
{
    let (url, mode) = match parse(&args) {
        Ok(parsed) => parsed,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async move {
        let client = Arc::new(make(url).await);
        match mode {
            Mode::Once { connector, session } => match call(client, connector, session, true).await
            {
                Ok(json) => {
                    println!("{}", serde_json::to_string_pretty(&json).expect("JSON"));
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!(
                        "error {}: {}",
                        e.code.as_deref().unwrap_or("(no code)"),
                        e.message
                    );
                    ExitCode::FAILURE
                }
            },
            Mode::Bench { n, c, warmup } => {
                bench(client, call, n, c, warmup).await;
                ExitCode::SUCCESS
            }
        }
    })
}

async fn bench<C, F, Fut>(client: Arc<C>, call: F, n: usize, c: usize, warmup: usize)
where
    C: Send + Sync + 'static,
    F: Fn(Arc<C>, String, String, bool) -> Fut + Send + Sync + Copy + 'static,
    Fut: Future<Output = Result<serde_json::Value, CallError>> + Send,
{
    let one = || {
        call(
            client.clone(),
            "vc-bench".to_string(),
            "ps-bench".to_string(),
            false,
        )
    };
    if let Err(e) = one().await {
        eprintln!("the first call failed: {e:?}");
        std::process::exit(1);
    }
    run_tasks(&client, call, warmup, c).await;
    let cpu_before = cpu_seconds();
    let started = Instant::now();
    let (latencies, errors) = run_tasks(&client, call, n, c).await;
    let elapsed = started.elapsed().as_secs_f64();
    let cpu = cpu_seconds() - cpu_before;
    let mut sorted = latencies;
    sorted.sort_unstable();
    let pct = |p: f64| {
        sorted
            .get(((sorted.len() as f64 * p) as usize).min(sorted.len().saturating_sub(1)))
            .copied()
            .unwrap_or(0)
    };
    let line = serde_json::json!({
        "n": n, "c": c, "warmup": warmup,
        "ok": sorted.len(), "errors": errors,
        "elapsed_s": elapsed,
        "calls_per_s": n as f64 / elapsed,
        "p50_us": pct(0.50), "p90_us": pct(0.90), "p99_us": pct(0.99),
        "max_us": sorted.last().copied().unwrap_or(0),
        "vmhwm_kb": vmhwm_kb(),
        "cpu_us_per_call": cpu * 1e6 / n.max(1) as f64,
    });
    println!("{line}");
}

/// `n` calls over `c` tasks; latencies in microseconds and the error count.
async fn run_tasks<C, F, Fut>(client: &Arc<C>, call: F, n: usize, c: usize) -> (Vec<u64>, usize)
where
    C: Send + Sync + 'static,
    F: Fn(Arc<C>, String, String, bool) -> Fut + Send + Sync + Copy + 'static,
    Fut: Future<Output = Result<serde_json::Value, CallError>> + Send,
{
    let next = Arc::new(AtomicUsize::new(0));
    let tasks: Vec<_> = (0..c)
        .map(|_| {
            let client = client.clone();
            let next = next.clone();
            tokio::spawn(async move {
                let mut latencies = Vec::with_capacity(n / c + 1);
                let mut errors = 0;
                while next.fetch_add(1, Ordering::Relaxed) < n {
                    let started = Instant::now();
                    match call(
                        client.clone(),
                        "vc-bench".to_string(),
                        "ps-bench".to_string(),
                        false,
                    )
                    .await
                    {
                        Ok(_) => latencies.push(started.elapsed().as_micros() as u64),
                        Err(_) => errors += 1,
                    }
                }
                (latencies, errors)
            })
        })
        .collect();
    let mut all = Vec::with_capacity(n);
    let mut errors = 0;
    for task in tasks {
        let (latencies, e) = task.await.expect("a task");
        all.extend(latencies);
        errors += e;
    }
    (all, errors)
}

/// CPU time of the whole process (user + system), from `/proc/self/stat`,
/// in seconds (Linux counts it in ticks of 1/100 s).
pub fn cpu_seconds() -> f64 {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            // Fields after the command name, which is in parentheses.
            let rest = s.rsplit_once(')')?.1;
            let fields: Vec<&str> = rest.split_whitespace().collect();
            let utime: f64 = fields.get(11)?.parse().ok()?;
            let stime: f64 = fields.get(12)?.parse().ok()?;
            Some((utime + stime) / 100.0)
        })
        .unwrap_or(0.0)
}

/// Peak resident set size, from `/proc/self/status`.
pub fn vmhwm_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}
