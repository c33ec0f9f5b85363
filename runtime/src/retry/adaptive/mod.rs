//! Adaptive retry mode's client-side rate limiter, as botocore's
//! `retries/adaptive.py` defines it: one per client, shared by its clones.
//!
//! Every attempt, the first included, takes a token from a bucket before
//! it is sent, and waits when there is none. Every answer moves the
//! bucket's fill rate: a throttling answer cuts it to 0.7 of the rate the
//! client was sending at, and successes bring it back along a CUBIC curve,
//! never above twice the rate measured. The bucket only limits once the
//! service has throttled the client once; until then attempts go out
//! freely, as in standard mode.
//!
//! Time is the client's injected [`TimeSource`](crate::clock::TimeSource)
//! in seconds (wall-clock time, as botocore's `time.time()`), so tests
//! drive the limiter with a clock of their own.

mod cubic;
#[cfg(test)]
mod figures;
mod send_rate;
mod token_bucket;

use cubic::Cubic;
use send_rate::SendRate;
use std::sync::Mutex;
use std::time::{Duration, SystemTime};
use token_bucket::TokenBucket;

/// The fill rate never exceeds this many times the measured send rate.
const MAX_RATE_ADJUST_SCALE: f64 = 2.0;

/// The limiter of one client.
#[derive(Debug)]
pub(crate) struct ClientRateLimiter {
    state: Mutex<State>,
}

#[derive(Debug, Clone)]
struct State {
    bucket: TokenBucket,
    send_rate: SendRate,
    cubic: Cubic,
    /// Whether the service has throttled this client yet (botocore's
    /// `_enabled`): only then does the bucket limit.
    enabled: bool,
}

impl ClientRateLimiter {
    /// A limiter for a client made at `now`: a bucket filling at one token
    /// a second, not limiting yet.
    pub(crate) fn new(now: SystemTime) -> ClientRateLimiter {
        ClientRateLimiter {
            state: Mutex::new(State::new(seconds(now))),
        }
    }

    /// Before an attempt is sent at `now`: takes its token and returns how
    /// long to wait before sending it (zero while the limiter is not
    /// limiting, or when a token was there).
    pub(crate) fn before_attempt(&self, now: SystemTime) -> Duration {
        let wait = self.lock().acquire(seconds(now));
        Duration::try_from_secs_f64(wait).unwrap_or(Duration::ZERO)
    }

    /// After an attempt's answer at `now`, or its failure: whether the
    /// service throttled it. Failures that are not the service's answer
    /// (timeouts, connection errors) count as not throttled, as botocore
    /// counts them.
    pub(crate) fn after_attempt(&self, now: SystemTime, throttled: bool) {
        let mut state = self.lock();
        let (measured, fill_rate) = state.observe(seconds(now), throttled);
        if throttled {
            tracing::debug!(
                measured_rate = measured,
                fill_rate,
                tokens = state.bucket.capacity(),
                "throttled: adaptive retry mode slows this client down"
            );
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // The state is numbers, consistent after every statement: a panic
        // elsewhere while it was held leaves nothing half-done.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl State {
    fn new(now: f64) -> State {
        State {
            bucket: TokenBucket::new(1.0, now),
            send_rate: SendRate::new(now),
            cubic: Cubic::new(0.0, now),
            enabled: false,
        }
    }

    /// The wait before an attempt, in seconds.
    fn acquire(&mut self, now: f64) -> f64 {
        if self.enabled {
            self.bucket.acquire(now)
        } else {
            0.0
        }
    }

    /// Counts an answer and sets the new fill rate; returns the measured
    /// send rate and the fill rate.
    fn observe(&mut self, now: f64, throttled: bool) -> (f64, f64) {
        let measured = self.send_rate.record(now);
        let target = if throttled {
            // Until the first throttling the bucket's rate is not what
            // the client sent at: the measured rate is.
            let sending = if self.enabled {
                measured.min(self.bucket.fill_rate())
            } else {
                measured
            };
            self.enabled = true;
            self.cubic.throttled(sending, now)
        } else {
            self.cubic.success(now)
        };
        self.bucket
            .set_max_rate(target.min(MAX_RATE_ADJUST_SCALE * measured), now);
        (measured, self.bucket.fill_rate())
    }
}

/// Seconds since the Unix epoch; a clock before it reads as the epoch.
fn seconds(time: SystemTime) -> f64 {
    time.duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: f64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs_f64(seconds)
    }

    /// botocore's `test_bucket_bucket_acquisition_only_if_enabled` and
    /// `test_token_bucket_enabled_on_throttling_error`
    /// (`tests/unit/retries/test_adaptive.py`): successes never make an
    /// attempt wait; the first throttling does.
    #[test]
    fn the_limiter_limits_only_after_the_first_throttling() {
        let limiter = ClientRateLimiter::new(at(100.0));
        for i in 0..50 {
            let now = at(100.0 + f64::from(i) * 0.01);
            assert_eq!(limiter.before_attempt(now), Duration::ZERO, "{i}");
            limiter.after_attempt(now, false);
        }
        limiter.after_attempt(at(100.5), true);
        let waits: Vec<Duration> = (0..3).map(|_| limiter.before_attempt(at(100.5))).collect();
        assert!(waits.iter().all(|w| !w.is_zero()), "{waits:?}");
        assert!(waits.windows(2).all(|w| w[0] < w[1]), "{waits:?}");
    }

    /// `test_max_rate_cant_exceed_20_percent_max`: however far the curve
    /// climbs, the fill rate stays within twice the measured rate.
    #[test]
    fn the_fill_rate_stays_within_twice_the_measured_rate() {
        let mut state = State::new(0.0);
        // One answer a second: a measured rate near 1, after a throttling
        // long ago the curve is far above it.
        state.observe(1.0, true);
        for t in 2..=100 {
            let (measured, fill) = state.observe(f64::from(t), false);
            assert!(
                fill <= (2.0 * measured).max(0.5) + 1e-12,
                "{t}: {fill} {measured}"
            );
        }
        assert!(state.cubic.success(100.0) > 1000.0);
    }

    /// The limiter is shared by threads: nothing is lost or torn.
    #[test]
    fn threads_share_one_bucket() {
        let limiter = std::sync::Arc::new(ClientRateLimiter::new(at(0.0)));
        limiter.after_attempt(at(0.0), true);
        let handles: Vec<_> = (0..4)
            .map(|_| {
                let limiter = limiter.clone();
                std::thread::spawn(move || {
                    (0..25)
                        .map(|_| limiter.before_attempt(at(0.0)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let mut waits: Vec<Duration> = handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect();
        waits.sort();
        // 100 tokens taken at once from an empty bucket filling at 0.5 a
        // second: the n-th waits n / 0.5 seconds.
        for (n, wait) in waits.iter().enumerate() {
            let expected = (n + 1) as f64 / 0.5;
            assert!(
                (wait.as_secs_f64() - expected).abs() < 1e-6,
                "{n}: {wait:?}"
            );
        }
    }

    #[test]
    fn a_clock_before_the_epoch_does_not_panic() {
        let limiter = ClientRateLimiter::new(SystemTime::UNIX_EPOCH - Duration::from_secs(10));
        limiter.after_attempt(SystemTime::UNIX_EPOCH - Duration::from_secs(5), true);
        assert!(limiter.before_attempt(SystemTime::UNIX_EPOCH) > Duration::ZERO);
    }
}
