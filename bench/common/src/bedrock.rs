//! What the ConverseStream programs share, so that only the client differs
//! between them:
//!
//! ```text
//! BIN --endpoint-url URL once
//! BIN --endpoint-url URL bench STREAMS [--warmup W] [--current-thread]
//! ```
//!
//! Each call asks [`MODEL_ID`] for a reply to [`PROMPT`] and reads the
//! whole event stream, counting events and the bytes of text in the
//! deltas ([`Tally`]). `once` prints the tally of one stream as JSON, or
//! names the error on stderr and exits 1. `bench` reads one stream, W
//! uncounted ones, then STREAMS one after the other, and prints one JSON
//! line: the process's CPU time (user + system, every thread) over those
//! streams divided by the events read, and the wall time.
//!
//! The runtime is tokio's multi-thread one, as `#[tokio::main]` builds it:
//! the stream is read on the main thread while the connection is driven on
//! a worker, so that every event crosses threads (hyper's body channel),
//! and parking and waking threads is most of the cost. With
//! `--current-thread` both run on one thread, and what is left is mostly
//! the client's own work on each event.

use crate::CallError;
use serde_json::json;
use std::future::Future;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

/// The model every program names: a real id, with the `:` that the label
/// must percent-encode.
pub const MODEL_ID: &str = "anthropic.claude-3-haiku-20240307-v1:0";

/// The one user message of every request.
pub const PROMPT: &str = "Tell me a long story about a fox.";

/// What a program read from one stream.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Tally {
    /// Every event, of any kind.
    pub events: u64,
    /// The `contentBlockDelta` events that carried text.
    pub deltas: u64,
    /// The bytes of UTF-8 text those deltas carried.
    pub text_bytes: u64,
    /// The `messageStop` event's stop reason, as the service spelled it.
    pub stop_reason: Option<String>,
    /// The `metadata` event's output tokens.
    pub output_tokens: Option<i64>,
}

impl Tally {
    pub fn to_json(&self) -> serde_json::Value {
        json!({
            "events": self.events,
            "deltas": self.deltas,
            "text_bytes": self.text_bytes,
            "stop_reason": self.stop_reason,
            "output_tokens": self.output_tokens,
        })
    }
}

enum Mode {
    Once,
    Bench { streams: usize, warmup: usize },
}

/// The endpoint URL, the mode, and whether to run on tokio's
/// current-thread runtime.
fn parse(args: &[String]) -> Result<(String, Mode, bool), String> {
    let usage = "usage: BIN --endpoint-url URL once | BIN --endpoint-url URL bench STREAMS [--warmup W] [--current-thread]";
    let number = |s: &String| s.parse::<usize>().map_err(|_| format!("not a number: {s}"));
    let [flag, url, rest @ ..] = args else {
        return Err(usage.into());
    };
    if flag != "--endpoint-url" {
        return Err(usage.into());
    }
    match rest {
        [m] if m == "once" => Ok((url.clone(), Mode::Once, false)),
        [m, s, flags @ ..] if m == "bench" => {
            let (mut warmup, mut current_thread) = (2, false);
            let mut flags = flags.iter();
            while let Some(flag) = flags.next() {
                match (flag.as_str(), flags.clone().next()) {
                    ("--warmup", Some(n)) => {
                        warmup = number(n)?;
                        flags.next();
                    }
                    ("--current-thread", _) => current_thread = true,
                    _ => return Err(usage.into()),
                }
            }
            let streams = number(s)?;
            Ok((url.clone(), Mode::Bench { streams, warmup }, current_thread))
        }
        _ => Err(usage.into()),
    }
}

/// Runs the program: `make` builds the client once from the endpoint URL,
/// `read` makes one ConverseStream call on it and reads the stream to the
/// end.
pub fn main<C, M, MF, F, Fut>(make: M, read: F) -> ExitCode
where
    M: FnOnce(String) -> MF,
    MF: Future<Output = C>,
    F: Fn(Arc<C>) -> Fut,
    Fut: Future<Output = Result<Tally, CallError>>,
{
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (url, mode, current_thread) = match parse(&args) {
        Ok(parsed) => parsed,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let runtime = if current_thread {
        tokio::runtime::Builder::new_current_thread()
    } else {
        tokio::runtime::Builder::new_multi_thread()
    }
    .enable_all()
    .build()
    .expect("a runtime");
    runtime.block_on(async move {
        let client = Arc::new(make(url).await);
        let result = match mode {
            Mode::Once => read(client).await.map(|tally| tally.to_json()),
            Mode::Bench { streams, warmup } => bench(client, &read, streams, warmup).await,
        };
        match result {
            Ok(json) => {
                println!("{json}");
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
        }
    })
}

async fn bench<C, F, Fut>(
    client: Arc<C>,
    read: &F,
    streams: usize,
    warmup: usize,
) -> Result<serde_json::Value, CallError>
where
    F: Fn(Arc<C>) -> Fut,
    Fut: Future<Output = Result<Tally, CallError>>,
{
    let first = read(client.clone()).await?;
    for _ in 0..warmup {
        read(client.clone()).await?;
    }
    let cpu_before = process_cpu_seconds();
    let started = Instant::now();
    let mut events = 0;
    let mut text_bytes = 0;
    for _ in 0..streams {
        let tally = read(client.clone()).await?;
        if tally != first {
            return Err(CallError {
                code: None,
                message: format!("a stream read differently: {tally:?}, then {first:?}"),
            });
        }
        events += tally.events;
        text_bytes += tally.text_bytes;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let cpu = process_cpu_seconds() - cpu_before;
    Ok(json!({
        "streams": streams, "warmup": warmup, "errors": 0,
        "events": events, "text_bytes": text_bytes,
        "elapsed_s": elapsed,
        "cpu_s": cpu,
        "cpu_ns_per_event": cpu * 1e9 / events.max(1) as f64,
        "wall_ns_per_event": elapsed * 1e9 / events.max(1) as f64,
        "vmhwm_kb": crate::vmhwm_kb(),
    }))
}

/// CPU time of the whole process, every thread, user and system, in
/// seconds: `getrusage`, whose microseconds resolve a stream's share where
/// `/proc/self/stat`'s 10 ms ticks ([`crate::cpu_seconds`]) would not.
pub fn process_cpu_seconds() -> f64 {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage writes a whole rusage into the pointer it is given,
    // which points at one; RUSAGE_SELF is always a valid target.
    let usage = unsafe {
        if libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr()) != 0 {
            return 0.0;
        }
        usage.assume_init()
    };
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split(' ').map(str::to_string).collect()
    }

    #[test]
    fn the_arguments_name_a_mode() {
        let (url, mode, current) =
            parse(&args("--endpoint-url http://x bench 7 --warmup 1")).unwrap();
        assert_eq!(url, "http://x");
        assert!(!current);
        assert!(matches!(
            mode,
            Mode::Bench {
                streams: 7,
                warmup: 1
            }
        ));
        let (_, mode, current) =
            parse(&args("--endpoint-url http://x bench 3 --current-thread")).unwrap();
        assert!(current);
        assert!(matches!(
            mode,
            Mode::Bench {
                streams: 3,
                warmup: 2
            }
        ));
        assert!(matches!(
            parse(&args("--endpoint-url http://x once")).unwrap().1,
            Mode::Once
        ));
        assert!(parse(&args("--endpoint-url http://x bench many")).is_err());
        assert!(parse(&args("--endpoint-url http://x bench 3 --warmup")).is_err());
        assert!(parse(&args("--endpoint-url http://x bench 3 --fast")).is_err());
        assert!(parse(&args("once")).is_err());
    }

    #[test]
    fn cpu_time_grows_with_work() {
        let before = process_cpu_seconds();
        let mut x = 0u64;
        let grew = (0..1_000_000_000u64).any(|i| {
            x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(i));
            i % 100_000 == 0 && process_cpu_seconds() > before
        });
        assert!(grew, "a second of arithmetic left the CPU time at {before}");
    }
}
