//! The faults the mock injects, how often, and the ledger of what it did
//! to each attempt of each call: what an error the client returns must be
//! traced to (`trace.rs`).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// A fault of one attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// HTTP 500 `ServiceFailureException`.
    ServerError,
    /// HTTP 503 `ServiceUnavailableException`.
    Unavailable,
    /// HTTP 429 `ThrottledClientException`.
    Throttle,
    /// The connection is reset (RST) instead of answered.
    Reset,
    /// No answer until after the client's attempt timeout.
    Stall,
    /// The answer stops halfway through the body its `Content-Length`
    /// promised, and the connection closes.
    Truncate,
}

impl Fault {
    pub const ALL: [Fault; 6] = [
        Fault::ServerError,
        Fault::Unavailable,
        Fault::Throttle,
        Fault::Reset,
        Fault::Stall,
        Fault::Truncate,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Fault::ServerError => "500",
            Fault::Unavailable => "503",
            Fault::Throttle => "throttle",
            Fault::Reset => "reset",
            Fault::Stall => "stall",
            Fault::Truncate => "truncated",
        }
    }

    /// Its place in [`Fault::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// Each fault's share of requests, in parts per thousand: 1 % server
    /// errors (500 and 503 alike), 1 % throttling, 0.5 % each of resets,
    /// stalls and truncated bodies; 96.5 % are answered as they should be.
    pub fn per_mille(self) -> u32 {
        match self {
            Fault::ServerError | Fault::Unavailable => 5,
            Fault::Throttle => 10,
            Fault::Reset | Fault::Stall | Fault::Truncate => 5,
        }
    }

    /// The fault for a request whose roll (uniform in `0..1000`) is
    /// `roll`, or `None` for most rolls.
    pub fn for_roll(roll: u32) -> Option<Fault> {
        let mut upto = 0;
        Fault::ALL.into_iter().find(|fault| {
            upto += fault.per_mille();
            roll < upto
        })
    }
}

/// What the mock did with one attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attempt {
    /// The attempt's number as the client sent it (`amz-sdk-request:
    /// attempt=N`), 0 when it did not.
    pub number: u32,
    pub fault: Option<Fault>,
}

/// The attempts of the calls in flight, by call id, and how many of each
/// fault were injected. A call's entry is taken when the call ends, so the
/// ledger holds no more than the calls in flight.
#[derive(Debug, Default)]
pub struct Ledger {
    calls: Mutex<HashMap<u64, Vec<Attempt>>>,
    injected: [AtomicU64; 6],
}

impl Ledger {
    /// Written before the answer (or the reset, or the stall) goes out, so
    /// that it is there when the client sees the fault.
    pub fn record(&self, call: u64, attempt: Attempt) {
        if let Some(fault) = attempt.fault {
            self.injected[fault.index()].fetch_add(1, Ordering::Relaxed);
        }
        let mut calls = self.calls.lock().unwrap_or_else(|e| e.into_inner());
        calls.entry(call).or_default().push(attempt);
    }

    /// The attempts the mock saw of a call that has ended.
    pub fn take(&self, call: u64) -> Vec<Attempt> {
        let mut calls = self.calls.lock().unwrap_or_else(|e| e.into_inner());
        calls.remove(&call).unwrap_or_default()
    }

    /// Calls with attempts recorded and not taken: after the run, an
    /// attempt that reached the mock only after its call had ended.
    pub fn pending(&self) -> usize {
        self.calls.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// How many of each fault were injected, in the order of [`Fault::ALL`].
    pub fn injected(&self) -> [u64; 6] {
        Fault::ALL.map(|f| self.injected[f.index()].load(Ordering::Relaxed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mix_is_the_one_asked_for() {
        let mut counts = [0u32; 6];
        let mut clean = 0;
        for roll in 0..1000 {
            match Fault::for_roll(roll) {
                Some(fault) => counts[fault.index()] += 1,
                None => clean += 1,
            }
        }
        // 1 % server errors, 1 % throttling, 0.5 % resets, stalls, cuts.
        assert_eq!(counts, [5, 5, 10, 5, 5, 5]);
        assert_eq!(clean, 965);
        assert_eq!(Fault::for_roll(1000), None);
    }

    #[test]
    fn a_call_is_taken_once_and_faults_are_counted() {
        let ledger = Ledger::default();
        let stall = Attempt {
            number: 1,
            fault: Some(Fault::Stall),
        };
        let fine = Attempt {
            number: 2,
            fault: None,
        };
        ledger.record(7, stall);
        ledger.record(7, fine);
        ledger.record(8, fine);
        assert_eq!(ledger.pending(), 2);
        assert_eq!(ledger.take(7), vec![stall, fine]);
        assert_eq!(ledger.take(7), vec![]);
        assert_eq!(ledger.pending(), 1);
        assert_eq!(ledger.injected(), [0, 0, 0, 0, 1, 0]);
    }
}
