//! Timeouts.

use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

/// Which timeout fired.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeoutKind {
    /// Establishing a connection (TCP and TLS).
    Connect,
    /// One attempt: sending the request and reading the whole response.
    Attempt,
    /// The whole operation, retries and waits between them included.
    Operation,
    /// A streamed response fell silent for longer than the read timeout.
    Read,
}

/// A timeout, with the limit that was reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeoutError {
    kind: TimeoutKind,
    limit: Duration,
    attempts: u32,
}

impl TimeoutError {
    pub fn new(kind: TimeoutKind, limit: Duration, attempts: u32) -> Self {
        TimeoutError {
            kind,
            limit,
            attempts,
        }
    }

    pub fn kind(&self) -> TimeoutKind {
        self.kind
    }

    pub fn limit(&self) -> Duration {
        self.limit
    }

    /// How many attempts were made.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

impl fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            TimeoutKind::Connect => "connect timeout",
            TimeoutKind::Attempt => "attempt timeout",
            TimeoutKind::Operation => "operation timeout",
            TimeoutKind::Read => "read timeout",
        };
        write!(
            f,
            "{what}: no answer within {:?} (after {} attempt(s))",
            self.limit, self.attempts
        )
    }
}

impl StdError for TimeoutError {}
