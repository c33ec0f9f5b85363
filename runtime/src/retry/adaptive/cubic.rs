//! The send rate that adaptive mode aims for, after CUBIC congestion
//! control (RFC 8312) as botocore's `retries/throttling.py` applies it to
//! requests per second: a throttling answer cuts the rate to `BETA` of what
//! was being sent, and successes bring it back along a cubic curve that is
//! flat near the rate of the last throttling, then grows past it.

/// How fast the curve climbs (CUBIC's `C`).
const SCALE: f64 = 0.4;
/// What is kept of the rate on a throttling answer.
const BETA: f64 = 0.7;

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Cubic {
    /// The rate, in requests per second, at the last throttling answer.
    w_max: f64,
    /// Seconds after the last throttling at which the curve is back at
    /// `w_max`.
    k: f64,
    /// When the last throttling answer came, in seconds.
    last_fail: f64,
}

impl Cubic {
    pub(crate) fn new(starting_max_rate: f64, start_time: f64) -> Cubic {
        Cubic {
            w_max: starting_max_rate,
            k: zero_point(starting_max_rate),
            last_fail: start_time,
        }
    }

    /// The rate to aim for after a success at `now`.
    pub(crate) fn success(&self, now: f64) -> f64 {
        SCALE * (now - self.last_fail - self.k).powi(3) + self.w_max
    }

    /// A throttling answer at `now`, while sending at `current_rate`: that
    /// rate becomes the curve's plateau, and the rate to aim for now is
    /// `BETA` of it.
    pub(crate) fn throttled(&mut self, current_rate: f64, now: f64) -> f64 {
        self.w_max = current_rate;
        self.k = zero_point(current_rate);
        self.last_fail = now;
        current_rate * BETA
    }

    #[cfg(test)]
    pub(crate) fn params(&self) -> (f64, f64, f64) {
        (self.w_max, self.k, self.last_fail)
    }
}

/// `k = cbrt(w_max * (1 - BETA) / SCALE)`: where the curve, starting at
/// `BETA * w_max`, reaches `w_max` again.
fn zero_point(w_max: f64) -> f64 {
    (w_max * (1.0 - BETA) / SCALE).cbrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-9 * b.abs().max(1.0)
    }

    /// botocore's `tests/unit/retries/test_throttling.py`,
    /// `test_starting_params` and `test_error_response_decreases_rate_by_beta`:
    /// their figures, verified by hand there.
    #[test]
    fn botocore_vectors() {
        let mut cubic = Cubic::new(10.0, 0.0);
        assert!(close(cubic.params().1, 1.9574338205844317));
        let rate = cubic.throttled(8.0, 1.0);
        assert!(close(rate, 8.0 * 0.7));
        let (w_max, k, last_fail) = cubic.params();
        assert_eq!((w_max, last_fail), (8.0, 1.0));
        assert!(close(k, 1.8171205928321397), "{k}");
    }

    /// `test_success_responses_until_max_hit`: below `w_max` before `k`,
    /// at it at `k`, above it after.
    #[test]
    fn the_curve_climbs_back_to_the_last_rate_then_past_it() {
        let cubic = Cubic::new(10.0, 0.0);
        let k = cubic.params().1;
        for t in [k / 3.0, k / 2.0, k / 1.1] {
            assert!(cubic.success(t) <= 10.0, "{t}");
        }
        assert!(close(cubic.success(k), 10.0));
        for t in [k * 1.1, k * 2.0] {
            assert!(cubic.success(t) >= 10.0, "{t}");
        }
    }

    /// Right after a throttling the curve starts at the cut rate
    /// (`test_t_0_should_match_beta_decrease`, with this module's beta).
    #[test]
    fn right_after_throttling_the_curve_starts_at_the_cut_rate() {
        let mut cubic = Cubic::new(10.0, 0.0);
        let cut = cubic.throttled(10.0, 1.0);
        assert!(close(cut, 7.0));
        assert!(close(cubic.success(1.0), 7.0));
    }
}
