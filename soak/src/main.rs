//! `soak --minutes N [--concurrency C]` (run by `cargo xtask soak`): the
//! generated Chime SDK Voice client, as a user builds it, calls
//! GetProxySession from C tasks for N minutes against the bench mock served
//! in-process behind a fault mix (`faults.rs`: 1 % 500/503, 1 % throttling,
//! 0.5 % each of connection resets, stalls past the attempt timeout and
//! bodies cut short), with credentials from a loopback IMDSv2 that issues
//! them short-lived, so that the client replaces them every 2 to 10
//! minutes, and fails a fifth of the fetches (`imds.rs`).
//!
//! Every 10 seconds, and at the end, it prints the calls, the errors by
//! cause, the retries, p50 and p99, RSS, open descriptors and the mock's
//! connections. It ends with one line:
//!
//! ```text
//! soak: N calls, E errors (all injected), RSS first->last KB, fds first->last, 0 panics
//! ```
//!
//! and exits non-zero when any of these does not hold:
//!
//! - every error the client returned is traced to a fault the mock or the
//!   IMDS injected for that very call and attempt (`trace.rs`);
//! - every successful output is the mock's answer, and every fault the mock
//!   injected was retried or returned as an error (`trace::account`);
//! - nothing panicked, anywhere in the process;
//! - RSS and open descriptors grew by less than 5 % after the warm-up
//!   (`flat.rs`: descriptors at equal connections; "first" and "last" are
//!   the medians of the compared windows), and the mock's connections
//!   stayed under a bound that a pool leaking them would cross;
//! - the client fetched credentials about once per rotation, not more.
//!
//! RSS and descriptors come from `/proc/self`: on Linux only. Elsewhere they
//! print as `n/a` and their flatness is not checked, which the run says.
//! Both count the whole process: the client, and the mock and IMDS that
//! run beside it (each connection is two descriptors, one per end).

mod faults;
mod flat;
mod imds;
mod load;
mod process;
mod report;
mod server;
mod service;
mod stats;
mod trace;

use chime_sdk_voice::{Client, TimeoutConfig};
use faults::Ledger;
use flat::Point;
use imds::Imds;
use load::Load;
use report::Report;
use sdkgen_runtime::env::Env;
use server::Connections;
use service::Service;
use stats::{Snapshot, Stats};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::net::TcpListener;
use trace::Cause;

const USAGE: &str = "usage: soak --minutes N [--concurrency C]";

/// The client's limit on one attempt; a stall outlasts it by a second.
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(1);
const STALL: Duration = Duration::from_secs(2);

const SAMPLE_EVERY: Duration = Duration::from_secs(1);
const REPORT_EVERY: Duration = Duration::from_secs(10);

struct Args {
    run: Duration,
    concurrency: usize,
}

fn parse(args: &[String]) -> Result<Args, String> {
    let mut minutes = None;
    let mut concurrency = 64;
    let mut rest = args.iter();
    while let Some(flag) = rest.next() {
        let value = rest.next().ok_or(format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--minutes" => {
                minutes = Some(
                    value
                        .parse::<f64>()
                        .ok()
                        .filter(|m| m.is_finite() && *m > 0.0 && *m <= 24.0 * 60.0)
                        .ok_or(format!("--minutes takes minutes, not {value:?}"))?,
                )
            }
            "--concurrency" => {
                concurrency = value
                    .parse::<usize>()
                    .ok()
                    .filter(|c| (1..=10_000).contains(c))
                    .ok_or(format!("--concurrency takes 1 to 10000, not {value:?}"))?
            }
            other => return Err(format!("unknown option {other}")),
        }
    }
    let minutes = minutes.ok_or("--minutes is required")?;
    Ok(Args {
        run: Duration::from_secs_f64(minutes * 60.0),
        concurrency,
    })
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args = match parse(&args) {
        Ok(args) => args,
        Err(why) => {
            eprintln!("soak: {why}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    stats::count_panics();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("soak: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(args)) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("soak: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The run; `Ok(false)` when a check failed.
async fn run(args: Args) -> Result<bool, String> {
    let imds = Arc::new(Imds::default());
    let ledger = Arc::new(Ledger::default());
    let connections = Arc::new(Connections::default());
    let (imds_url, mock_url) = serve(&imds, &ledger, &connections).await?;
    let client = client(&imds_url, &mock_url)?;
    println!(
        "soak: {:.1} min at concurrency {}, GetProxySession against the mock at {mock_url}; \
         credentials from the IMDS at {imds_url} (each expires {} s after it is issued, {} % of fetches fail); \
         attempt timeout {} s, stalls {} s",
        args.run.as_secs_f64() / 60.0,
        args.concurrency,
        (sdkgen_runtime::credentials::ADVISORY_REFRESH_WINDOW + imds::ROTATION).as_secs(),
        imds::FAILURE_PER_MILLE / 10,
        ATTEMPT_TIMEOUT.as_secs(),
        STALL.as_secs(),
    );

    let stats = Arc::new(Stats::new());
    let started = Instant::now();
    let load = Arc::new(Load {
        client,
        ledger: ledger.clone(),
        imds: imds.clone(),
        stats: stats.clone(),
    });
    let mut calls = tokio::spawn(load::run(load, args.concurrency, started + args.run));

    let report = |snapshot: &Snapshot, previous: (Duration, u64), latency, sample| {
        let elapsed = started.elapsed();
        Report {
            elapsed,
            snapshot,
            previous_calls: previous.1,
            interval: elapsed.saturating_sub(previous.0),
            latency,
            sample,
            connections: (connections.open(), connections.accepted()),
            injected: ledger.injected(),
            imds: imds.counts(),
        }
        .lines()
    };
    let mut points: Vec<Point> =
        Vec::with_capacity((args.run.as_secs() / SAMPLE_EVERY.as_secs()) as usize + 16);
    let mut previous = (Duration::ZERO, 0);
    let mut tick = tokio::time::interval(SAMPLE_EVERY);
    // A busy machine delays a tick: the next comes a second later, not at once.
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut next_report = REPORT_EVERY;
    loop {
        tokio::select! {
            _ = tick.tick() => {
                let sample = process::sample();
                let at = started.elapsed();
                if let (Some(sample), true) = (sample, at <= args.run) {
                    points.push(Point {
                        at,
                        rss_kb: sample.rss_kb,
                        fds: sample.fds,
                        connections: connections.open(),
                    });
                }
                if at >= next_report {
                    let snapshot = stats.snapshot();
                    println!("{}", report(&snapshot, previous, snapshot.recent, sample));
                    previous = (at, snapshot.calls);
                    next_report += REPORT_EVERY;
                }
            }
            _ = &mut calls => break,
        }
    }

    let ended = started.elapsed();
    let snapshot = stats.snapshot();
    let sample = process::sample();
    println!(
        "soak: ended; the calls in flight at {:.0} s finished {:.1} s later. Over the run:",
        args.run.as_secs_f64(),
        ended.saturating_sub(args.run).as_secs_f64()
    );
    println!(
        "{}",
        report(&snapshot, (Duration::ZERO, 0), snapshot.total, sample)
    );
    Ok(verdict(
        &args,
        &snapshot,
        &points,
        &imds,
        &ledger,
        &stats,
        &connections,
    ))
}

/// Starts the loopback IMDS and the faulty mock; their URLs.
async fn serve(
    imds: &Arc<Imds>,
    ledger: &Arc<Ledger>,
    connections: &Arc<Connections>,
) -> Result<(String, String), String> {
    let bind = || async {
        TcpListener::bind(("127.0.0.1", 0))
            .await
            .map_err(|e| format!("cannot listen on 127.0.0.1: {e}"))
    };
    let (imds_listener, mock_listener) = (bind().await?, bind().await?);
    let url = |listener: &TcpListener| {
        listener
            .local_addr()
            .map(|a| format!("http://{a}"))
            .map_err(|e| e.to_string())
    };
    let urls = (url(&imds_listener)?, url(&mock_listener)?);
    let for_imds = imds.clone();
    tokio::spawn(server::listen(
        imds_listener,
        Arc::default(),
        move |request: hyper::Request<_>, _| {
            let imds = for_imds.clone();
            async move { imds.respond(request.method(), request.uri().path(), request.headers()) }
        },
    ));
    let service = Arc::new(Service {
        ledger: ledger.clone(),
        imds: imds.clone(),
        stall: STALL,
    });
    tokio::spawn(server::listen(
        mock_listener,
        connections.clone(),
        move |request, reset| {
            let service = service.clone();
            async move { service.answer(request, reset).await }
        },
    ));
    Ok(urls)
}

/// The client as a user builds it: the loader reads an environment (given
/// here as pairs, so that the developer's own AWS variables and files do
/// not take part) whose only credentials source is the instance metadata
/// endpoint, pointed at the loopback IMDS as a user would point it.
fn client(imds_url: &str, mock_url: &str) -> Result<Client, String> {
    let env = Env::from_pairs([
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds_url),
        ("AWS_REGION", mock::REGION),
    ]);
    let config = chime_sdk_voice::loader()
        .env(env)
        .load()
        .map_err(|e| format!("cannot load the configuration: {e}"))?
        .endpoint_url(mock_url)
        .timeout_config(TimeoutConfig::default().with_attempt(Some(ATTEMPT_TIMEOUT)))
        .build();
    Ok(Client::new(config))
}

/// The most connections a healthy run holds open at once: one per worker
/// in use, as many spares that the pool opened while waiting for an idle
/// one, and the server ends of stalls the client has given up on. A pool
/// that leaks connections crosses it within seconds at any concurrency (a
/// fault ends a connection every thirty calls or so).
fn most_connections(concurrency: usize) -> u64 {
    2 * concurrency as u64 + 16
}

/// Prints each check, what failed, and the closing line; `true` when all
/// hold.
fn verdict(
    args: &Args,
    snapshot: &Snapshot,
    points: &[Point],
    imds: &Imds,
    ledger: &Ledger,
    stats: &Stats,
    connections: &Connections,
) -> bool {
    let mut failures: Vec<String> = Vec::new();
    let mut fail = |why: String| failures.push(why);

    let (warm_up, window) = (flat::warm_up(args.run), flat::window(args.run));
    let growth = flat::growth(points, args.run);
    match growth {
        Some(g) => {
            println!(
                "flat: RSS {:.0} -> {:.0} KB ({:+.1} %); fds {:.0} -> {:.0} ({:+.1} %), the mock's connections {:.0} -> {:.0} open, \
                 so {:+.1} % at equal connections; medians of the {} s after a {} s warm-up and of the last {} s; limit +{} %",
                g.first.rss_kb,
                g.last.rss_kb,
                g.rss_percent(),
                g.first.fds,
                g.last.fds,
                g.fds_percent(),
                g.first.connections,
                g.last.connections,
                g.fds_at_equal_connections_percent(),
                window.as_secs(),
                warm_up.as_secs(),
                window.as_secs(),
                flat::LIMIT_PERCENT
            );
            if !g.holds() {
                fail(format!(
                    "memory or descriptors grew by {} % or more after the warm-up",
                    flat::LIMIT_PERCENT
                ));
            }
        }
        None if points.is_empty() => println!(
            "flat: NOT CHECKED: no /proc/self here (RSS and descriptors are read on Linux only)"
        ),
        None => fail(format!(
            "the run is too short to judge flatness: it needs {} s of warm-up and two {} s windows",
            warm_up.as_secs(),
            window.as_secs()
        )),
    }
    let most_open = points
        .iter()
        .filter(|p| p.at >= warm_up)
        .map(|p| p.connections)
        .max()
        .unwrap_or(0);
    let bound = most_connections(args.concurrency);
    println!(
        "connections: at most {most_open} open at once after the warm-up (bound {bound}); {} accepted in all",
        connections.accepted()
    );
    if most_open > bound {
        fail(format!(
            "{most_open} connections were open at once: more than {bound} means they leak"
        ));
    }

    let counts = imds.counts();
    let most = Imds::most_issued(args.run);
    println!(
        "imds: refreshes {}, failed on purpose {}, credentials issued {} (at most {most} expected in {:.0} s); credential errors {}, each traced to a fetch failed while its call waited",
        counts.refreshes,
        counts.failed,
        counts.issued,
        args.run.as_secs_f64(),
        snapshot.errors[Cause::Imds.index()]
    );
    if counts.issued > most {
        fail(format!(
            "the client fetched credentials {} times, more than the {most} their rotation calls for: \
             does it still refresh {} s before expiry?",
            counts.issued,
            sdkgen_runtime::credentials::ADVISORY_REFRESH_WINDOW.as_secs()
        ));
    }
    if snapshot.calls == 0 {
        fail("no call was made".into());
    }
    if snapshot.untraced > 0 {
        fail(format!(
            "{} errors are not traced to an injected fault",
            snapshot.untraced
        ));
    }
    let injected: u64 = ledger.injected().iter().sum();
    let returned: u64 = Cause::ALL
        .iter()
        .filter(|c| matches!(c, Cause::Fault(_)))
        .map(|c| snapshot.errors[c.index()])
        .sum();
    println!(
        "faults: {injected} injected, {} retried and {returned} returned as errors",
        snapshot.retries
    );
    if snapshot.mismatched > 0 {
        fail(format!(
            "{} calls do not fit what the mock did (a wrong answer, a fault taken for an answer, or a retry no fault asked for)",
            snapshot.mismatched
        ));
    }
    let late = ledger.pending();
    if late > 0 {
        println!("soak: note: {late} calls had an attempt reach the mock after the call ended");
    }
    let panics = stats::panics();
    if panics > 0 {
        fail(format!("{panics} panics"));
    }
    for why in &failures {
        println!("soak: FAILED: {why}");
    }
    for example in stats.examples() {
        println!("  {example}");
    }

    let traced = if snapshot.untraced == 0 {
        "all injected".to_string()
    } else {
        format!("{} NOT injected", snapshot.untraced)
    };
    let (rss, fds) = match growth {
        Some(g) => (
            format!("{:.0}->{:.0} KB", g.first.rss_kb, g.last.rss_kb),
            format!("{:.0}->{:.0}", g.first.fds, g.last.fds),
        ),
        None => ("n/a".into(), "n/a".into()),
    };
    println!(
        "soak: {} calls, {} errors ({traced}), RSS {rss}, fds {fds}, {panics} panics",
        snapshot.calls,
        snapshot.error_count()
    );
    failures.is_empty()
}
