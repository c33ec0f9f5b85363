//! Standard-mode retries as the AWS SDKs define them (botocore's
//! `retries/standard.py` and `quota.py`): which failures are retried, how
//! long to wait, and a retry quota that stops a client from hammering a
//! service that is failing.

use std::sync::Mutex;
use std::time::Duration;

/// Retry settings.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryConfig {
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
            max_attempts: 3,
            max_backoff: Duration::from_secs(20),
        }
    }

    /// No retries: one attempt.
    pub fn disabled() -> Self {
        RetryConfig::standard().with_max_attempts(1)
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

    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    pub fn max_backoff(&self) -> Duration {
        self.max_backoff
    }
}

/// Why a failed attempt may be retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryKind {
    /// The service asks us to slow down: longer waits, cheaper in quota.
    Throttling,
    /// A server fault, a connection failure or a timeout.
    Transient,
}

/// Error codes that mean "slow down" in the AWS SDKs, plus this family's
/// `ThrottledClientException`, which neither official SDK retries although
/// the service means exactly that.
const THROTTLING_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
    "ThrottledClientException",
];

const TRANSIENT_CODES: &[&str] = &[
    "RequestTimeout",
    "RequestTimeoutException",
    "PriorRequestNotComplete",
];

const TRANSIENT_STATUSES: &[u16] = &[500, 502, 503, 504];

/// Classifies an error response. HTTP 429 is throttling whatever its code.
/// Any other client error is never retried: sending it again cannot help.
pub fn classify_response(status: u16, code: Option<&str>) -> Option<RetryKind> {
    if status == 429 || code.is_some_and(|c| THROTTLING_CODES.contains(&c)) {
        Some(RetryKind::Throttling)
    } else if TRANSIENT_STATUSES.contains(&status)
        || code.is_some_and(|c| TRANSIENT_CODES.contains(&c))
    {
        Some(RetryKind::Transient)
    } else {
        None
    }
}

/// The wait before retry number `retry` (1 for the first retry):
/// `random * min(base * 2^(retry - 1), max_backoff)`, with a base of 1 s for
/// throttling and 50 ms otherwise. A server's `x-amz-retry-after` (in ms) is
/// honoured within `[computed, computed + 5 s]`.
pub fn backoff(
    kind: RetryKind,
    retry: u32,
    random: f64,
    max_backoff: Duration,
    retry_after_ms: Option<u64>,
) -> Duration {
    let base = match kind {
        RetryKind::Throttling => Duration::from_secs(1),
        RetryKind::Transient => Duration::from_millis(50),
    };
    let exponent = retry.saturating_sub(1).min(30);
    let ceiling = base.saturating_mul(1u32 << exponent).min(max_backoff);
    let computed = ceiling.mul_f64(random.clamp(0.0, 1.0));
    match retry_after_ms {
        Some(ms) => Duration::from_millis(ms).clamp(computed, computed + Duration::from_secs(5)),
        None => computed,
    }
}

/// The retry quota: a token bucket shared by every call of one client.
#[derive(Debug)]
pub struct RetryQuota {
    available: Mutex<u32>,
}

/// Tokens in a full bucket.
pub const QUOTA_CAPACITY: u32 = 500;
/// What a retry of a transient failure costs.
pub const RETRY_COST: u32 = 14;
/// What a retry of a throttling response costs.
pub const THROTTLING_RETRY_COST: u32 = 5;
/// What a success returns when no retry preceded it.
pub const SUCCESS_REFILL: u32 = 1;

impl Default for RetryQuota {
    fn default() -> Self {
        RetryQuota {
            available: Mutex::new(QUOTA_CAPACITY),
        }
    }
}

impl RetryQuota {
    /// Takes the cost of one retry; `None` when the bucket cannot pay, and
    /// the failure is then returned instead of retried.
    pub fn acquire(&self, kind: RetryKind) -> Option<u32> {
        let cost = match kind {
            RetryKind::Throttling => THROTTLING_RETRY_COST,
            RetryKind::Transient => RETRY_COST,
        };
        let mut available = self.available.lock().unwrap_or_else(|e| e.into_inner());
        if *available < cost {
            return None;
        }
        *available -= cost;
        Some(cost)
    }

    /// A call succeeded: it returns what its last retry cost, or a token.
    pub fn release(&self, last_retry_cost: Option<u32>) {
        let mut available = self.available.lock().unwrap_or_else(|e| e.into_inner());
        *available = (*available + last_retry_cost.unwrap_or(SUCCESS_REFILL)).min(QUOTA_CAPACITY);
    }

    /// Tokens left.
    pub fn available(&self) -> u32 {
        *self.available.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classification() {
        assert_eq!(classify_response(429, None), Some(RetryKind::Throttling));
        assert_eq!(
            classify_response(400, Some("ThrottlingException")),
            Some(RetryKind::Throttling)
        );
        assert_eq!(
            classify_response(429, Some("ThrottledClientException")),
            Some(RetryKind::Throttling)
        );
        assert_eq!(
            classify_response(503, Some("ServiceUnavailableException")),
            Some(RetryKind::Transient)
        );
        for status in [500, 502, 503, 504] {
            assert_eq!(classify_response(status, None), Some(RetryKind::Transient));
        }
        assert_eq!(
            classify_response(400, Some("RequestTimeout")),
            Some(RetryKind::Transient)
        );
        for (status, code) in [
            (400, "BadRequestException"),
            (404, "NotFoundException"),
            (403, "ForbiddenException"),
            (401, "UnauthorizedClientException"),
        ] {
            assert_eq!(classify_response(status, Some(code)), None, "{code}");
        }
        assert_eq!(classify_response(501, None), None);
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let max = Duration::from_secs(20);
        assert_eq!(
            backoff(RetryKind::Transient, 1, 1.0, max, None),
            Duration::from_millis(50)
        );
        assert_eq!(
            backoff(RetryKind::Transient, 2, 1.0, max, None),
            Duration::from_millis(100)
        );
        assert_eq!(
            backoff(RetryKind::Transient, 3, 0.5, max, None),
            Duration::from_millis(100)
        );
        assert_eq!(
            backoff(RetryKind::Throttling, 1, 1.0, max, None),
            Duration::from_secs(1)
        );
        assert_eq!(
            backoff(RetryKind::Throttling, 4, 1.0, max, None),
            Duration::from_secs(8)
        );
        assert_eq!(backoff(RetryKind::Throttling, 10, 1.0, max, None), max);
        assert_eq!(backoff(RetryKind::Throttling, 100, 1.0, max, None), max);
        assert_eq!(
            backoff(RetryKind::Transient, 1, 0.0, max, None),
            Duration::ZERO
        );
    }

    #[test]
    fn retry_after_is_honoured_within_bounds() {
        let max = Duration::from_secs(20);
        // computed = 0.5 s; the header asks for 2 s: honoured.
        assert_eq!(
            backoff(RetryKind::Throttling, 1, 0.5, max, Some(2000)),
            Duration::from_secs(2)
        );
        // Less than computed: computed wins.
        assert_eq!(
            backoff(RetryKind::Throttling, 1, 0.5, max, Some(10)),
            Duration::from_millis(500)
        );
        // More than computed + 5 s: capped.
        assert_eq!(
            backoff(RetryKind::Throttling, 1, 0.5, max, Some(60_000)),
            Duration::from_millis(5500)
        );
    }

    #[test]
    fn the_quota_drains_and_refills() {
        let quota = RetryQuota::default();
        let mut retries = 0;
        while quota.acquire(RetryKind::Transient).is_some() {
            retries += 1;
        }
        assert_eq!(retries, QUOTA_CAPACITY / RETRY_COST);
        assert_eq!(quota.available(), QUOTA_CAPACITY % RETRY_COST);
        // Throttling retries are cheaper and still fit.
        assert_eq!(
            quota.acquire(RetryKind::Throttling),
            Some(THROTTLING_RETRY_COST)
        );
        quota.release(Some(RETRY_COST));
        assert_eq!(
            quota.available(),
            QUOTA_CAPACITY % RETRY_COST - THROTTLING_RETRY_COST + RETRY_COST
        );
        quota.release(None);
        assert_eq!(
            quota.available(),
            QUOTA_CAPACITY % RETRY_COST - THROTTLING_RETRY_COST + RETRY_COST + 1
        );
        for _ in 0..1000 {
            quota.release(None);
        }
        assert_eq!(quota.available(), QUOTA_CAPACITY);
    }
}
