//! Whether memory and file descriptors stayed flat: the median of the
//! first window after the warm-up against the median of the last window.
//!
//! Medians of a window, not single samples or means, because a sample
//! lands on whatever the faults hold at that moment, and a burst of
//! connections being opened or closed puts a few dozen descriptors in one
//! sample and none in the next. Descriptors need more than that: nearly all of them are the two ends of the mock's connections,
//! and how many connections are open swings by a third from one second to
//! the next (every reset, cut body and stall ends one, workers in backoff
//! hold none, the pool opens spares), which would make a flat run look
//! like it grew by more than 5 % or hide a leak as large. So descriptors
//! are judged at equal connections: those beyond two per open connection
//! (listeners, the runtime's own, and any that leak) must not grow by 5 %
//! of all descriptors. A leak of connections themselves shows in the
//! connection count, which the run bounds (`main.rs`).

use std::time::Duration;

/// The most memory or descriptors may grow after the warm-up, in percent.
pub const LIMIT_PERCENT: f64 = 5.0;

/// How long each compared window is: a tenth of the run, at least 10
/// seconds.
pub fn window(run: Duration) -> Duration {
    (run / 10).max(Duration::from_secs(10))
}

/// The start of a run that is not judged: connections open, the pool and
/// the allocator reach their working size (in a one-minute run the
/// resident set still grows by about 2 % between 10 and 20 seconds). A
/// sixth of the run, at least 20 seconds.
pub fn warm_up(run: Duration) -> Duration {
    (run / 6).max(Duration::from_secs(20))
}

/// One sample of the process.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    /// Since the start of the run.
    pub at: Duration,
    pub rss_kb: u64,
    pub fds: u64,
    /// The mock's connections open at the time.
    pub connections: u64,
}

impl Point {
    /// Descriptors beyond the two ends of each open connection.
    fn fds_beyond_connections(&self) -> f64 {
        self.fds as f64 - 2.0 * self.connections as f64
    }
}

/// The medians of one window, each taken on its own.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Medians {
    pub rss_kb: f64,
    pub fds: f64,
    pub connections: f64,
    pub fds_beyond_connections: f64,
}

/// The two windows compared.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Growth {
    pub first: Medians,
    pub last: Medians,
}

impl Growth {
    pub fn rss_percent(&self) -> f64 {
        percent(self.last.rss_kb - self.first.rss_kb, self.first.rss_kb)
    }

    /// All descriptors, as counted.
    pub fn fds_percent(&self) -> f64 {
        percent(self.last.fds - self.first.fds, self.first.fds)
    }

    /// Descriptors at equal connections: the growth of those beyond the
    /// connections' ends, as a share of all descriptors.
    pub fn fds_at_equal_connections_percent(&self) -> f64 {
        let grew = self.last.fds_beyond_connections - self.first.fds_beyond_connections;
        percent(grew, self.first.fds)
    }

    /// Memory and descriptors at equal connections grew by less than the
    /// limit (shrinking is fine).
    pub fn holds(&self) -> bool {
        self.rss_percent() < LIMIT_PERCENT
            && self.fds_at_equal_connections_percent() < LIMIT_PERCENT
    }
}

fn percent(grew: f64, of: f64) -> f64 {
    if of > 0.0 {
        grew / of * 100.0
    } else {
        0.0
    }
}

/// The growth over the `points` of a run of length `run`: the window that
/// starts at the end of the warm-up against the one that ends with the
/// run. `None` when either window has no sample: a run too short to
/// judge, or no samples at all.
pub fn growth(points: &[Point], run: Duration) -> Option<Growth> {
    let (start, window) = (warm_up(run), window(run));
    Some(Growth {
        first: medians(points, |t| t >= start && t < start + window)?,
        last: medians(points, |t| t + window > run && t <= run)?,
    })
}

/// The medians of the points whose time `keep`s.
fn medians(points: &[Point], keep: impl Fn(Duration) -> bool) -> Option<Medians> {
    let kept: Vec<&Point> = points.iter().filter(|p| keep(p.at)).collect();
    let of = |value: fn(&Point) -> f64| {
        let mut values: Vec<f64> = kept.iter().map(|p| value(p)).collect();
        values.sort_by(f64::total_cmp);
        let mid = values.len() / 2;
        if values.len() % 2 == 1 {
            values[mid]
        } else {
            (values[mid - 1] + values[mid]) / 2.0
        }
    };
    (!kept.is_empty()).then(|| Medians {
        rss_kb: of(|p| p.rss_kb as f64),
        fds: of(|p| p.fds as f64),
        connections: of(|p| p.connections as f64),
        fds_beyond_connections: of(Point::fds_beyond_connections),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One point a second for `seconds`, from `at(second)`: RSS,
    /// descriptors beyond the connections, and connections.
    fn run(seconds: u64, at: impl Fn(u64) -> (u64, u64, u64)) -> Vec<Point> {
        // The tests below judge a minute: the windows are 20..30 s and
        // 50..60 s.
        (1..=seconds)
            .map(|s| {
                let (rss_kb, other_fds, connections) = at(s);
                Point {
                    at: Duration::from_secs(s),
                    rss_kb,
                    fds: other_fds + 2 * connections,
                    connections,
                }
            })
            .collect()
    }

    fn judge(points: &[Point]) -> Growth {
        growth(points, Duration::from_secs(60)).unwrap()
    }

    #[test]
    fn the_warm_up_is_a_sixth_and_windows_a_tenth_of_the_run() {
        let (minute, ten) = (Duration::from_secs(60), Duration::from_secs(600));
        assert_eq!(warm_up(minute), Duration::from_secs(20));
        assert_eq!(warm_up(ten), Duration::from_secs(100));
        assert_eq!(window(minute), Duration::from_secs(10));
        assert_eq!(window(ten), Duration::from_secs(60));
    }

    #[test]
    fn growth_during_the_warm_up_is_not_judged() {
        // Doubles in the first 10 s, then flat with a wobble.
        let points = run(60, |s| {
            if s < 10 {
                (10_000 + s * 1_000, 13, s * 6)
            } else {
                (20_000 + s % 3 * 100, 13, 64)
            }
        });
        let g = judge(&points);
        assert!(g.holds(), "{g:?}");
        assert!(g.rss_percent().abs() < 1.0, "{g:?}");
        assert_eq!(g.fds_percent(), 0.0);
    }

    #[test]
    fn a_burst_in_one_sample_is_not_growth() {
        // Three samples of the last window catch 40 descriptors of
        // connections on their way in or out.
        let points = run(60, |s| (20_000, if s % 4 == 0 { 53 } else { 13 }, 64));
        let g = judge(&points);
        assert_eq!(g.fds_at_equal_connections_percent(), 0.0);
        assert!(g.holds());
    }

    #[test]
    fn connections_that_come_and_go_are_not_a_leak() {
        // The last window happens to catch more connections open: all
        // descriptors grow 9 %, none beyond the connections.
        let points = run(60, |s| (20_000, 13, if s > 50 { 70 } else { 64 }));
        let g = judge(&points);
        assert!(g.fds_percent() > 8.0, "{g:?}");
        assert_eq!(g.fds_at_equal_connections_percent(), 0.0);
        assert!(g.holds());
    }

    #[test]
    fn a_steady_leak_fails() {
        // 0.2 % of the start a second: 620 KB between the windows'
        // medians (at 24.5 s and 55.5 s), 5.9 % of 10,490 KB.
        let points = run(60, |s| (10_000 + s * 20, 13, 64));
        let g = judge(&points);
        assert!(!g.holds(), "{g:?}");
        assert!((g.rss_percent() - 5.91).abs() < 0.01, "{}", g.rss_percent());
        // A descriptor leaked every 3 s: 10 more beyond the connections
        // (21 and 31) against 149 in all at first, 6.7 %.
        let points = run(60, |s| (10_000, 13 + s / 3, 64));
        let g = judge(&points);
        assert!(!g.holds() && g.rss_percent() == 0.0, "{g:?}");
        assert!(
            (g.fds_at_equal_connections_percent() - 6.71).abs() < 0.01,
            "{}",
            g.fds_at_equal_connections_percent()
        );
    }

    #[test]
    fn too_short_a_run_is_not_judged() {
        let points = run(8, |_| (10_000, 13, 64));
        assert_eq!(growth(&points, Duration::from_secs(60)), None);
        assert_eq!(growth(&[], Duration::from_secs(60)), None);
    }
}
