//! The retry quota (botocore's `retries/quota.py`): a client that keeps
//! failing stops retrying until successes refill it.

use super::RetryKind;
use std::sync::Mutex;

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
