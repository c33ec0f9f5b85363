//! [`DateTime`], the type of every timestamp member.

use crate::timestamp::{self, TimestampError, TimestampFormat};
use std::fmt;
use std::str::FromStr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// An instant, to the nanosecond, as seconds and nanoseconds since the
/// Unix epoch (UTC). It is the crate's own type so that no date-time crate
/// becomes part of the API; convert with [`SystemTime`], or with
/// [`secs`](Self::secs) and [`subsec_nanos`](Self::subsec_nanos).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct DateTime {
    seconds: i64,
    /// Always below one second; added to `seconds` (so -1.5 s is -2 s and
    /// 500 ms).
    nanos: u32,
}

impl DateTime {
    /// Whole seconds since the epoch.
    pub const fn from_secs(seconds: i64) -> Self {
        DateTime { seconds, nanos: 0 }
    }

    /// Seconds and nanoseconds since the epoch; nanoseconds beyond a second
    /// carry into the seconds.
    pub const fn from_secs_and_nanos(seconds: i64, nanos: u32) -> Self {
        DateTime {
            seconds: seconds + (nanos / 1_000_000_000) as i64,
            nanos: nanos % 1_000_000_000,
        }
    }

    /// Milliseconds since the epoch.
    pub const fn from_millis(millis: i64) -> Self {
        DateTime {
            seconds: millis.div_euclid(1000),
            nanos: (millis.rem_euclid(1000) * 1_000_000) as u32,
        }
    }

    /// Nanoseconds since the epoch; `None` beyond what 64-bit seconds hold.
    pub fn from_nanos(nanos: i128) -> Option<Self> {
        let seconds = i64::try_from(nanos.div_euclid(1_000_000_000)).ok()?;
        Some(DateTime {
            seconds,
            nanos: nanos.rem_euclid(1_000_000_000) as u32,
        })
    }

    /// The current time.
    pub fn now() -> Self {
        DateTime::from(SystemTime::now())
    }

    /// Whole seconds since the epoch (rounded down).
    pub const fn secs(&self) -> i64 {
        self.seconds
    }

    /// The nanoseconds past [`secs`](Self::secs).
    pub const fn subsec_nanos(&self) -> u32 {
        self.nanos
    }

    /// Nanoseconds since the epoch.
    pub const fn as_nanos(&self) -> i128 {
        self.seconds as i128 * 1_000_000_000 + self.nanos as i128
    }

    /// The instant as text in one of the wire formats.
    pub fn fmt(&self, format: TimestampFormat) -> String {
        timestamp::format(self, format)
    }
}

impl From<SystemTime> for DateTime {
    fn from(time: SystemTime) -> Self {
        match time.duration_since(UNIX_EPOCH) {
            Ok(after) => {
                DateTime::from_secs_and_nanos(after.as_secs() as i64, after.subsec_nanos())
            }
            Err(before) => {
                let before = before.duration();
                DateTime::from_nanos(-(before.as_nanos() as i128)).unwrap_or_default()
            }
        }
    }
}

/// The same instant as a `SystemTime`; fails only beyond what the platform's
/// `SystemTime` holds.
impl TryFrom<DateTime> for SystemTime {
    type Error = TimestampError;

    fn try_from(value: DateTime) -> Result<Self, Self::Error> {
        let out_of_range = || TimestampError::new(value.seconds.to_string());
        if value.seconds >= 0 {
            UNIX_EPOCH
                .checked_add(Duration::new(value.seconds as u64, value.nanos))
                .ok_or_else(out_of_range)
        } else {
            UNIX_EPOCH
                .checked_sub(Duration::from_secs(value.seconds.unsigned_abs()))
                .and_then(|t| t.checked_add(Duration::from_nanos(u64::from(value.nanos))))
                .ok_or_else(out_of_range)
        }
    }
}

/// RFC 3339 in UTC: `2024-01-02T03:04:05.5Z`.
impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&timestamp::format_iso8601(self))
    }
}

impl fmt::Debug for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DateTime({self})")
    }
}

/// Any form [`timestamp::parse`] reads.
impl FromStr for DateTime {
    type Err = TimestampError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        timestamp::parse(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negative_instants_keep_nanos_below_a_second() {
        let t = DateTime::from_millis(-1500);
        assert_eq!((t.secs(), t.subsec_nanos()), (-2, 500_000_000));
        assert_eq!(t.as_nanos(), -1_500_000_000);
        assert_eq!(DateTime::from_nanos(-1_500_000_000), Some(t));
        assert_eq!(
            DateTime::from_secs_and_nanos(1, 2_500_000_000),
            DateTime::from_millis(3500)
        );
    }

    #[test]
    fn converts_with_system_time_and_text() {
        let t: DateTime = "2024-01-02T03:04:05.5Z".parse().unwrap();
        assert_eq!(t.to_string(), "2024-01-02T03:04:05.5Z");
        assert_eq!(format!("{t:?}"), "DateTime(2024-01-02T03:04:05.5Z)");
        let system = SystemTime::try_from(t).unwrap();
        assert_eq!(DateTime::from(system), t);
        let before = DateTime::from_millis(-1500);
        assert_eq!(
            DateTime::from(SystemTime::try_from(before).unwrap()),
            before
        );
    }
}
