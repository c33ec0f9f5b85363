//! How long to wait before a retry: standard mode's capped exponential
//! backoff with full jitter (botocore's `ExponentialBackoff`).

use super::RetryKind;
use std::time::Duration;

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
