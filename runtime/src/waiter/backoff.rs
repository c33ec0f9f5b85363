//! How long a waiter waits between attempts, as the Smithy waiters
//! specification has it: the minimum delay doubled after each attempt up
//! to the maximum, a random delay between the minimum and that, and never
//! past the caller's time limit.

use std::time::Duration;

/// A waiter's delays: `delay` of `waiters-2.json` is the minimum; the
/// maximum is the specification's default, 120 seconds, unless it is
/// shorter than the minimum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Delays {
    min: Duration,
    max: Duration,
}

/// The specification's default maximum delay.
pub const DEFAULT_MAX_DELAY: Duration = Duration::from_secs(120);

impl Delays {
    /// Delays between `min` and [`DEFAULT_MAX_DELAY`] (or `min`, when it is
    /// longer).
    pub const fn new(min: Duration) -> Delays {
        let max = if min.as_nanos() > DEFAULT_MAX_DELAY.as_nanos() {
            min
        } else {
            DEFAULT_MAX_DELAY
        };
        Delays { min, max }
    }

    /// The same minimum with another maximum (at least the minimum).
    pub fn with_max(self, max: Duration) -> Delays {
        Delays {
            min: self.min,
            max: max.max(self.min),
        }
    }

    pub fn min(&self) -> Duration {
        self.min
    }

    pub fn max(&self) -> Duration {
        self.max
    }

    /// The wait after attempt `attempt` (1 for the first), with `remaining`
    /// time left and `random` in `[0, 1)`; `None` when no attempt fits in
    /// what is left (less than the minimum delay remains).
    ///
    /// The delay is the minimum doubled `attempt - 1` times, capped at the
    /// maximum, then drawn uniformly between the minimum and that. A delay
    /// that would leave less than the minimum before the limit is cut so
    /// that the last attempt still has the minimum delay to answer in.
    pub fn next(&self, attempt: u32, remaining: Duration, random: f64) -> Option<Duration> {
        if remaining <= self.min {
            return None;
        }
        let ceiling = self
            .min
            .checked_mul(
                2u32.checked_pow(attempt.saturating_sub(1))
                    .unwrap_or(u32::MAX),
            )
            .unwrap_or(self.max)
            .min(self.max);
        let random = if random.is_finite() {
            random.clamp(0.0, 1.0)
        } else {
            0.0
        };
        let mut delay = self.min + (ceiling - self.min).mul_f64(random);
        if remaining.saturating_sub(delay) <= self.min {
            delay = remaining - self.min;
        }
        Some(delay)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(s: u64) -> Duration {
        Duration::from_secs(s)
    }

    #[test]
    fn doubles_from_the_minimum_up_to_the_maximum() {
        let delays = Delays::new(secs(2)).with_max(secs(20));
        let plenty = secs(3600);
        // The largest delay of each attempt (random close to 1).
        let largest: Vec<u64> = (1..=7)
            .map(|a| {
                delays
                    .next(a, plenty, 0.999_999_999)
                    .unwrap()
                    .as_secs_f64()
                    .round() as u64
            })
            .collect();
        assert_eq!(largest, [2, 4, 8, 16, 20, 20, 20]);
        // The smallest is always the minimum.
        for attempt in 1..=7 {
            assert_eq!(delays.next(attempt, plenty, 0.0), Some(secs(2)));
        }
    }

    #[test]
    fn jitter_is_uniform_between_the_minimum_and_the_ceiling() {
        let delays = Delays::new(secs(5));
        // Attempt 3: ceiling 20 s; halfway between 5 and 20.
        assert_eq!(
            delays.next(3, secs(3600), 0.5),
            Some(Duration::from_millis(12_500))
        );
    }

    #[test]
    fn the_default_maximum_is_120_seconds() {
        let delays = Delays::new(secs(20));
        assert_eq!(delays.max(), secs(120));
        assert_eq!(
            delays
                .next(40, secs(100_000), 0.999_999_999)
                .map(|d| d.as_secs_f64().round()),
            Some(120.0)
        );
        // A minimum above it is its own maximum.
        assert_eq!(Delays::new(secs(300)).max(), secs(300));
    }

    #[test]
    fn the_last_delay_leaves_the_minimum_for_the_last_attempt() {
        let delays = Delays::new(secs(2));
        // 9 s left, ceiling 16 s at attempt 4, drawn 16: cut to 7 s.
        assert_eq!(delays.next(4, secs(9), 0.999_999_999), Some(secs(7)));
        // 3 s left: 1 s, then one attempt with 2 s left.
        assert_eq!(delays.next(1, secs(3), 0.0), Some(secs(1)));
    }

    #[test]
    fn no_wait_when_less_than_the_minimum_remains() {
        let delays = Delays::new(secs(2));
        assert_eq!(delays.next(1, secs(2), 0.5), None);
        assert_eq!(delays.next(1, Duration::ZERO, 0.5), None);
        assert!(delays.next(1, Duration::from_millis(2_001), 0.5).is_some());
    }

    #[test]
    fn odd_randomness_and_huge_attempts_do_not_panic() {
        let delays = Delays::new(secs(1));
        for random in [f64::NAN, f64::INFINITY, -1.0, 2.0] {
            let d = delays.next(u32::MAX, secs(1000), random).unwrap();
            assert!(d >= secs(1) && d <= secs(120), "{random}: {d:?}");
        }
    }
}
