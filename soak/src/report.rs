//! The lines the run prints: every 10 seconds, and at the end.

use crate::faults::Fault;
use crate::imds::Counts;
use crate::process::Sample;
use crate::stats::{Percentiles, Snapshot};
use crate::trace::Cause;
use std::fmt::Write;
use std::time::Duration;

/// What one report says, gathered from the parts of the run.
pub struct Report<'a> {
    pub elapsed: Duration,
    pub snapshot: &'a Snapshot,
    /// Calls at the previous report, and how long ago it was.
    pub previous_calls: u64,
    pub interval: Duration,
    pub latency: Percentiles,
    pub sample: Option<Sample>,
    /// The mock's connections: open now, accepted in all.
    pub connections: (u64, u64),
    /// By fault, in the order of [`Fault::ALL`].
    pub injected: [u64; 6],
    pub imds: Counts,
}

impl Report<'_> {
    /// Two lines: the client's side, then the process and the faults.
    pub fn lines(&self) -> String {
        let s = self.snapshot;
        let new = s.calls - self.previous_calls;
        let rate = new as f64 / self.interval.as_secs_f64().max(0.001);
        let mut out = format!(
            "[{:>5.0} s] calls {} (+{new}, {rate:.0}/s)  retries {}  errors {}",
            self.elapsed.as_secs_f64(),
            s.calls,
            s.retries,
            s.error_count()
        );
        let by_cause: Vec<String> = Cause::ALL
            .iter()
            .filter(|c| s.errors[c.index()] > 0)
            .map(|c| format!("{} {}", c.name(), s.errors[c.index()]))
            .chain((s.untraced > 0).then(|| format!("NOT INJECTED {}", s.untraced)))
            .collect();
        if !by_cause.is_empty() {
            let _ = write!(out, " ({})", by_cause.join(", "));
        }
        if s.mismatched > 0 {
            let _ = write!(out, "  MISMATCHED {}", s.mismatched);
        }
        let _ = write!(
            out,
            "  p50 {}  p99 {}",
            millis(self.latency.p50),
            millis(self.latency.p99)
        );
        out.push_str("\n          ");
        match self.sample {
            Some(sample) => {
                let _ = write!(out, "RSS {} KB  fds {}", sample.rss_kb, sample.fds);
            }
            None => out.push_str("RSS n/a  fds n/a"),
        }
        let (open, accepted) = self.connections;
        let _ = write!(
            out,
            "  connections {open} open, {accepted} accepted  injected"
        );
        for fault in Fault::ALL {
            let _ = write!(out, " {} {}", fault.name(), self.injected[fault.index()]);
        }
        let imds = self.imds;
        let _ = write!(
            out,
            "  imds refreshes {} ({} failed)",
            imds.refreshes, imds.failed
        );
        out
    }
}

/// `0.84 ms`, `12.3 ms`, `412 ms`.
pub fn millis(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms < 1.0 {
        format!("{ms:.2} ms")
    } else if ms < 100.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{ms:.0} ms")
    }
}
