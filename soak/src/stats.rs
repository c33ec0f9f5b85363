//! What the run counts as it goes: calls, retries, errors by cause,
//! errors no fault explains, calls that do not fit what the mock did,
//! panics, and call latency.

use crate::trace::Cause;
use hdrhistogram::Histogram;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// How many descriptions of failures are kept to print.
const EXAMPLES: usize = 10;

/// The slowest latency told apart, in microseconds: a call that takes
/// longer counts as this long.
const MAX_LATENCY_US: u64 = 120_000_000;

/// Panics anywhere in the process, counted by the panic hook.
static PANICS: AtomicU64 = AtomicU64::new(0);

/// Counts every panic, of any thread or task, before the default hook
/// prints it.
pub fn count_panics() {
    let print = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        PANICS.fetch_add(1, Ordering::SeqCst);
        print(info);
    }));
}

pub fn panics() -> u64 {
    PANICS.load(Ordering::SeqCst)
}

/// Shared by the workers; fixed in size however long the run.
pub struct Stats {
    calls: AtomicU64,
    retries: AtomicU64,
    errors: [AtomicU64; 7],
    untraced: AtomicU64,
    mismatched: AtomicU64,
    examples: Mutex<Vec<String>>,
    latency: Mutex<Latency>,
}

struct Latency {
    since_report: Histogram<u64>,
    total: Histogram<u64>,
}

/// The counts at one moment.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub calls: u64,
    pub retries: u64,
    /// By cause, in the order of [`Cause::ALL`].
    pub errors: [u64; 7],
    /// Errors that no injected fault explains.
    pub untraced: u64,
    /// Calls whose outcome does not fit what the mock did: an output other
    /// than its answer, a success through a fault, a retry that no fault
    /// asked for.
    pub mismatched: u64,
    /// p50 and p99 since the last snapshot, and over the run.
    pub recent: Percentiles,
    pub total: Percentiles,
}

impl Snapshot {
    pub fn error_count(&self) -> u64 {
        self.errors.iter().sum::<u64>() + self.untraced
    }
}

#[derive(Debug, Clone, Copy, Default)]
pub struct Percentiles {
    pub p50: Duration,
    pub p99: Duration,
}

impl Stats {
    pub fn new() -> Stats {
        let histogram =
            || Histogram::new_with_bounds(1, MAX_LATENCY_US, 3).expect("valid histogram bounds");
        Stats {
            calls: AtomicU64::new(0),
            retries: AtomicU64::new(0),
            errors: Default::default(),
            untraced: AtomicU64::new(0),
            mismatched: AtomicU64::new(0),
            examples: Mutex::new(Vec::with_capacity(EXAMPLES)),
            latency: Mutex::new(Latency {
                since_report: histogram(),
                total: histogram(),
            }),
        }
    }

    /// A call ended after `elapsed`, its request sent `attempts` times.
    pub fn call(&self, elapsed: Duration, attempts: usize) {
        self.calls.fetch_add(1, Ordering::Relaxed);
        self.retries
            .fetch_add(attempts.saturating_sub(1) as u64, Ordering::Relaxed);
        let us = u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX);
        let mut latency = self.latency.lock().unwrap_or_else(|e| e.into_inner());
        latency.since_report.saturating_record(us);
        latency.total.saturating_record(us);
    }

    pub fn error(&self, cause: Cause) {
        self.errors[cause.index()].fetch_add(1, Ordering::Relaxed);
    }

    /// An error no injected fault explains, described.
    pub fn untraced(&self, description: String) {
        self.untraced.fetch_add(1, Ordering::Relaxed);
        self.example(description);
    }

    /// A call whose outcome does not fit what the mock did, described.
    pub fn mismatch(&self, description: String) {
        self.mismatched.fetch_add(1, Ordering::Relaxed);
        self.example(description);
    }

    fn example(&self, description: String) {
        let mut examples = self.examples.lock().unwrap_or_else(|e| e.into_inner());
        if examples.len() < EXAMPLES {
            examples.push(description);
        }
    }

    /// The first failures described, to print.
    pub fn examples(&self) -> Vec<String> {
        self.examples
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// The counts now; the latency since the last snapshot starts over.
    pub fn snapshot(&self) -> Snapshot {
        let mut latency = self.latency.lock().unwrap_or_else(|e| e.into_inner());
        let recent = percentiles(&latency.since_report);
        let total = percentiles(&latency.total);
        latency.since_report.reset();
        drop(latency);
        Snapshot {
            calls: self.calls.load(Ordering::Relaxed),
            retries: self.retries.load(Ordering::Relaxed),
            errors: self.errors.each_ref().map(|e| e.load(Ordering::Relaxed)),
            untraced: self.untraced.load(Ordering::Relaxed),
            mismatched: self.mismatched.load(Ordering::Relaxed),
            recent,
            total,
        }
    }
}

fn percentiles(histogram: &Histogram<u64>) -> Percentiles {
    let at = |q| Duration::from_micros(histogram.value_at_quantile(q));
    Percentiles {
        p50: at(0.50),
        p99: at(0.99),
    }
}
