//! Adaptive mode's token bucket (botocore's `retries/bucket.py`): one token
//! per attempt, refilled at the rate that the CUBIC curve sets.
//!
//! botocore's bucket blocks its caller until a token is there. This one
//! never blocks: taking a token always succeeds and may leave the bucket
//! in debt, and the caller is told how long to wait before it may send.
//! For one caller at a time the two are the same bucket (after the wait
//! botocore's is at zero, and this one's debt has just been paid); callers
//! that take tokens together are served in the order they came, each
//! waiting for the debt of those before it, and a test clock that only
//! moves when the client sleeps never leaves a caller waiting for ever.

/// The slowest fill rate, in tokens per second.
const MIN_RATE: f64 = 0.5;

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TokenBucket {
    /// Tokens per second.
    fill_rate: f64,
    max_capacity: f64,
    /// Below zero while callers wait for tokens they have already taken.
    capacity: f64,
    /// When the bucket was last filled, in seconds; `None` before the
    /// first look at the clock.
    last: Option<f64>,
}

impl TokenBucket {
    /// An empty bucket filling at `max_rate` from `now`.
    pub(crate) fn new(max_rate: f64, now: f64) -> TokenBucket {
        let mut bucket = TokenBucket {
            fill_rate: MIN_RATE,
            max_capacity: 1.0,
            capacity: 0.0,
            last: None,
        };
        bucket.set_max_rate(max_rate, now);
        bucket
    }

    /// The fill rate in tokens per second (botocore's `max_rate`).
    pub(crate) fn fill_rate(&self) -> f64 {
        self.fill_rate
    }

    /// Tokens in the bucket; negative while callers wait.
    pub(crate) fn capacity(&self) -> f64 {
        self.capacity
    }

    /// A new fill rate, at least [`MIN_RATE`]; the bucket holds at most
    /// one second of it, and at least one token. Tokens earned until `now`
    /// are earned at the old rate.
    pub(crate) fn set_max_rate(&mut self, rate: f64, now: f64) {
        self.refill(now);
        self.fill_rate = rate.max(MIN_RATE);
        self.max_capacity = if rate >= 1.0 { rate } else { 1.0 };
        self.capacity = self.capacity.min(self.max_capacity);
    }

    /// Takes one token at `now` and returns how many seconds its taker
    /// must wait before sending: 0 when the bucket held one.
    pub(crate) fn acquire(&mut self, now: f64) -> f64 {
        self.refill(now);
        self.capacity -= 1.0;
        if self.capacity >= 0.0 {
            0.0
        } else {
            -self.capacity / self.fill_rate
        }
    }

    /// Adds what was earned since the last fill. A clock that went back
    /// earns nothing (botocore would take tokens away), and the bucket
    /// counts from the new time on.
    fn refill(&mut self, now: f64) {
        if let Some(last) = self.last {
            let earned = (now - last).max(0.0) * self.fill_rate;
            self.capacity = (self.capacity + earned).min(self.max_capacity);
        }
        self.last = Some(now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-9
    }

    /// botocore's `tests/unit/retries/test_bucket.py`,
    /// `test_can_retrieve_at_max_send_rate`: 10 per second at 10 per second
    /// never waits.
    #[test]
    fn taking_at_the_fill_rate_never_waits() {
        let mut bucket = TokenBucket::new(10.0, 0.0);
        for i in 0..20 {
            assert_eq!(bucket.acquire(1.0 + 0.1 * f64::from(i)), 0.0, "{i}");
        }
    }

    /// `test_acquiring_blocks_when_capacity_reached`: at 0.1 s the bucket
    /// holds one token; at 0.15 s half of one, so the taker waits 0.05 s,
    /// and after that wait the bucket is at zero, as botocore's is.
    #[test]
    fn an_empty_bucket_makes_its_taker_wait() {
        let mut bucket = TokenBucket::new(10.0, 0.0);
        assert_eq!(bucket.acquire(0.1), 0.0);
        assert!(close(bucket.capacity(), 0.0));
        let wait = bucket.acquire(0.15);
        assert!(close(wait, 0.05), "{wait}");
        bucket.set_max_rate(10.0, 0.15 + wait);
        assert!(close(bucket.capacity(), 0.0), "{}", bucket.capacity());
        assert_eq!(bucket.acquire(0.300001), 0.0);
    }

    /// `test_can_change_max_capacity_lower`: at 1 per second after the
    /// rate falls from 10 to 1, taking one a second never waits.
    #[test]
    fn a_lower_rate_still_serves_its_own_pace() {
        let mut bucket = TokenBucket::new(10.0, 0.0);
        for t in 1..=5 {
            assert_eq!(bucket.acquire(f64::from(t)), 0.0);
        }
        bucket.set_max_rate(1.0, 5.0);
        for t in 6..=10 {
            assert_eq!(bucket.acquire(f64::from(t)), 0.0);
        }
    }

    /// `test_max_capacity_is_at_least_one` and `test_rate_cant_go_below_min`
    /// (with this module's floor of 0.5, botocore's default).
    #[test]
    fn the_rate_has_a_floor_and_the_bucket_holds_a_token() {
        let mut bucket = TokenBucket::new(10.0, 0.0);
        bucket.set_max_rate(0.1, 1.0);
        assert_eq!(bucket.fill_rate(), MIN_RATE);
        assert_eq!(bucket.max_capacity, 1.0);
        bucket.set_max_rate(0.0, 2.0);
        assert_eq!(bucket.fill_rate(), MIN_RATE);
        // Long idle: one token, not a burst.
        assert_eq!(bucket.acquire(100.0), 0.0);
        assert!(bucket.acquire(100.0) > 0.0);
    }

    /// Callers that take tokens together queue: each waits for the debt of
    /// those before it.
    #[test]
    fn callers_together_are_served_one_after_another() {
        let mut bucket = TokenBucket::new(2.0, 0.0);
        let waits: Vec<f64> = (0..4).map(|_| bucket.acquire(0.0)).collect();
        assert_eq!(waits, [0.5, 1.0, 1.5, 2.0]);
        // The debt is paid when the last of them sends, at 2 s; half a
        // second later a token is there again.
        assert_eq!(bucket.acquire(2.5), 0.0);
    }

    #[test]
    fn a_clock_that_goes_back_takes_nothing_away() {
        let mut bucket = TokenBucket::new(1.0, 10.0);
        assert_eq!(bucket.acquire(11.0), 0.0);
        assert_eq!(bucket.acquire(5.0), 1.0);
        assert!(close(bucket.capacity(), -1.0));
    }
}
