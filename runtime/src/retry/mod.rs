//! Retries as the AWS SDKs define them: standard mode (botocore's
//! `retries/standard.py` and `quota.py`: which failures are retried, how
//! long to wait, a retry quota that stops a client from hammering a service
//! that is failing), and adaptive mode, which adds a client-side rate
//! limiter on top (`retries/adaptive.py`).

mod adaptive;
mod backoff;
mod classify;
mod quota;

pub(crate) use adaptive::ClientRateLimiter;
pub use backoff::backoff;
pub use classify::{classify_response, RetryKind};
pub use quota::{RetryQuota, QUOTA_CAPACITY, RETRY_COST, SUCCESS_REFILL, THROTTLING_RETRY_COST};

use std::time::Duration;

/// How a client retries: the `retry_mode` of the shared config file and
/// `AWS_RETRY_MODE`.
///
/// botocore's third mode, `legacy`, is not offered: its rules differ per
/// service (`_retry.json`) and no other SDK of this family keeps them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum RetryMode {
    /// Retries throttling and transient failures with exponential backoff,
    /// within a retry quota.
    #[default]
    Standard,
    /// Standard, plus a client-side token bucket that every attempt (the
    /// first included) draws from once the service has throttled the
    /// client: its fill rate falls on each throttling answer and climbs
    /// back along a CUBIC curve, so a throttled client slows its own
    /// sending instead of spending its retries. Meant for clients whose
    /// calls are throttled often, not for every client.
    Adaptive,
}

/// Retry settings.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryConfig {
    mode: RetryMode,
    max_attempts: u32,
    max_backoff: Duration,
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig::standard()
    }
}

impl RetryConfig {
    /// Standard mode: 3 attempts, waits of at most 20 s.
    pub fn standard() -> Self {
        RetryConfig {
            mode: RetryMode::Standard,
            max_attempts: 3,
            max_backoff: Duration::from_secs(20),
        }
    }

    /// Adaptive mode ([`RetryMode::Adaptive`]): standard mode's attempts
    /// and waits, and a client-side rate limiter once the service throttles.
    pub fn adaptive() -> Self {
        RetryConfig::standard().with_mode(RetryMode::Adaptive)
    }

    /// No retries: one attempt.
    pub fn disabled() -> Self {
        RetryConfig::standard().with_max_attempts(1)
    }

    /// Standard or adaptive; the other settings stay as they are.
    pub fn with_mode(mut self, mode: RetryMode) -> Self {
        self.mode = mode;
        self
    }

    /// Attempts in all, the first included; at least 1.
    pub fn with_max_attempts(mut self, max_attempts: u32) -> Self {
        self.max_attempts = max_attempts.max(1);
        self
    }

    /// The longest wait between two attempts.
    pub fn with_max_backoff(mut self, max_backoff: Duration) -> Self {
        self.max_backoff = max_backoff;
        self
    }

    pub fn mode(&self) -> RetryMode {
        self.mode
    }

    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    pub fn max_backoff(&self) -> Duration {
        self.max_backoff
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mode_combines_with_the_other_settings_in_any_order() {
        let a = RetryConfig::adaptive().with_max_attempts(5);
        let b = RetryConfig::standard()
            .with_max_attempts(5)
            .with_mode(RetryMode::Adaptive);
        assert_eq!(a, b);
        assert_eq!(a.mode(), RetryMode::Adaptive);
        assert_eq!(a.max_attempts(), 5);
        assert_eq!(RetryConfig::default().mode(), RetryMode::Standard);
        assert_eq!(RetryConfig::adaptive().max_attempts(), 3);
        assert_eq!(
            RetryConfig::adaptive().with_mode(RetryMode::Standard),
            RetryConfig::standard()
        );
    }
}
