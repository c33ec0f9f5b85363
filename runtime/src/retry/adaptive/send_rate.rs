//! How fast the client is really sending (botocore's `RateClocker` in
//! `retries/adaptive.py`): answers are counted in half-second buckets of
//! the clock, and each bucket that closes moves a smoothed rate towards
//! its own. The limiter never lets the fill rate run ahead of twice this
//! rate, so a client that sends little cannot bank a rate it never used.

/// The weight of the newest bucket.
const SMOOTHING: f64 = 0.8;
/// Buckets per second (each is 0.5 s).
const BUCKETS_PER_SECOND: f64 = 2.0;

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SendRate {
    measured: f64,
    /// The start of the bucket being counted, in seconds.
    last_bucket: f64,
    count: f64,
}

impl SendRate {
    pub(crate) fn new(now: f64) -> SendRate {
        SendRate {
            measured: 0.0,
            // Whole seconds at first, as botocore starts.
            last_bucket: now.floor(),
            count: 0.0,
        }
    }

    /// Counts one answer at `now` and returns the measured rate, in
    /// requests per second.
    pub(crate) fn record(&mut self, now: f64) -> f64 {
        let bucket = (now * BUCKETS_PER_SECOND).floor() / BUCKETS_PER_SECOND;
        self.count += 1.0;
        if bucket > self.last_bucket {
            let current = self.count / (bucket - self.last_bucket);
            self.measured = current * SMOOTHING + self.measured * (1.0 - SMOOTHING);
            self.count = 0.0;
            self.last_bucket = bucket;
        }
        self.measured
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-9
    }

    /// botocore's `tests/unit/retries/test_adaptive.py`, `TestRateClocker`
    /// (its clock starts at 0).
    #[test]
    fn botocore_vectors() {
        // test_initial_rate_is_0, test_time_updates_if_after_bucket_range
        let mut rate = SendRate::new(0.0);
        assert_eq!(rate.measured, 0.0);
        assert_eq!(rate.record(1.0), 0.8);

        // test_can_measure_constant_rate
        let mut rate = SendRate::new(0.0);
        for t in 1..=20 {
            rate.record(f64::from(t));
        }
        assert!(close(rate.measured, 1.0), "{}", rate.measured);

        // test_uses_smoothing_to_favor_recent_weights
        let mut rate = SendRate::new(0.0);
        for t in [1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0] {
            rate.record(t);
        }
        assert!((1.99..=2.0).contains(&rate.measured), "{}", rate.measured);
        rate.record(14.0);
        assert!((0.1..=2.0).contains(&rate.measured), "{}", rate.measured);

        // test_noop_when_delta_t_is_0
        let mut rate = SendRate::new(0.0);
        for t in [1.0, 1.0, 1.0, 2.0, 3.0] {
            rate.record(t);
        }
        assert!(rate.measured >= 1.0, "{}", rate.measured);

        // test_times_are_grouped_per_time_bucket: five answers in the
        // first half second, then one in the next, which closes the first
        // bucket with six answers: 12 per second.
        let mut rate = SendRate::new(0.0);
        for t in [0.1, 0.2, 0.3, 0.4, 0.49] {
            assert_eq!(rate.record(t), 0.0);
        }
        assert_eq!(rate.record(0.5), 12.0 * 0.8);
    }
}
