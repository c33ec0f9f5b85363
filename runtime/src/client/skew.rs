//! Clock skew: how far the service's clock is from ours, learnt from the
//! `Date` header of its responses.
//!
//! AWS refuses a signature dated more than a few minutes away from its own
//! clock (15 minutes for most services), so a host whose clock is off fails
//! every call. The client keeps one estimate per client (`server - local`)
//! from every response. It signs with the corrected time only once a
//! service has refused a signature *because of* time: a refusal code below
//! together with an estimate more than [`TOLERANCE`] away from the time we
//! signed with. From then on every request is signed with `local + skew`,
//! the latest estimate. Waiting for the refusal (as the Java SDK does)
//! keeps a proxy or an emulator whose `Date` is wrong from moving a
//! signature that the service would have accepted.
//!
//! The estimate also gives the `ttl` of `amz-sdk-request`, as botocore
//! writes it: the time, on the service's clock, after which the client
//! stops waiting for the answer; and the time an S3 Express session's
//! expiry is judged against ([`ClockSkew::server_time`]), without waiting
//! for a refusal. There botocore uses the local clock; the estimate is
//! trusted because a clock a few minutes fast, which S3 signs for, would
//! otherwise find every five-minute session expired. The cost: a proxy
//! that rewrote `Date` wrongly would have sessions judged by its clock.

use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use time::OffsetDateTime;

/// A difference the client does not correct: a signature this close to
/// the service's time was not refused because of it.
pub(super) const TOLERANCE: Duration = Duration::from_secs(4 * 60);

/// The error codes with which AWS services refuse a request whose
/// signature is dated too far from their clock. `SignatureDoesNotMatch`
/// and `InvalidSignatureException` are also a wrong key's codes, so they
/// only count when the skew is over [`TOLERANCE`]; so do all the others.
const TIME_REFUSALS: &[&str] = &[
    "RequestTimeTooSkewed",
    "RequestExpired",
    "RequestInTheFuture",
    "InvalidSignatureException",
    "SignatureDoesNotMatch",
    "AuthFailure",
];

/// botocore's default read timeout, which its `ttl` adds when no attempt
/// timeout is configured.
pub(super) const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(60);

/// No estimate yet.
const NONE: i64 = i64::MIN;

/// One client's estimate of the service's clock, shared by its calls.
#[derive(Debug)]
pub(super) struct ClockSkew {
    /// `server - local` in milliseconds, from the latest `Date`; [`NONE`]
    /// before the first.
    estimate_ms: AtomicI64,
    /// Whether requests are signed with the estimate.
    correcting: AtomicBool,
}

impl Default for ClockSkew {
    fn default() -> Self {
        ClockSkew {
            estimate_ms: AtomicI64::new(NONE),
            correcting: AtomicBool::new(false),
        }
    }
}

impl ClockSkew {
    /// Learns from a response's `Date` (an HTTP-date), received at `local`;
    /// returns this response's estimate in milliseconds. A missing or
    /// unreadable date teaches nothing.
    pub(super) fn observe(&self, date: Option<&str>, local: SystemTime) -> Option<i64> {
        let server = crate::timestamp::parse(date?).ok()?;
        let skew = server.as_nanos() / 1_000_000 - millis(local);
        let skew = i64::try_from(skew).ok().filter(|s| *s != NONE)?;
        self.estimate_ms.store(skew, Ordering::Relaxed);
        Some(skew)
    }

    /// The service's time, as the latest estimate has it (the local time
    /// before any): what a session's expiry, stated on the service's clock,
    /// is judged against. Unlike the signing time it does not wait for a
    /// refusal: a session that lives five minutes would look expired on a
    /// clock five minutes fast, which S3 accepts signatures from.
    pub(super) fn server_time(&self, local: SystemTime) -> SystemTime {
        match self.estimate_ms.load(Ordering::Relaxed) {
            NONE => local,
            skew => shift(local, skew),
        }
    }

    /// What is added to the local time when signing now, in milliseconds.
    pub(super) fn applied_ms(&self) -> i64 {
        if !self.correcting.load(Ordering::Relaxed) {
            return 0;
        }
        match self.estimate_ms.load(Ordering::Relaxed) {
            NONE => 0,
            skew => skew,
        }
    }

    /// The time to sign with.
    pub(super) fn signing_time(&self, local: SystemTime) -> SystemTime {
        shift(local, self.applied_ms())
    }

    /// Whether a refusal with `code` came from a signature dated too far
    /// from the service's clock: the response's estimate `observed_ms`
    /// differs from the correction it was signed with by more than
    /// [`TOLERANCE`]. If so, requests are signed with the estimate from
    /// now on, and the caller retries once.
    pub(super) fn refused_for_time(
        &self,
        code: Option<&str>,
        observed_ms: Option<i64>,
        signed_with_ms: i64,
    ) -> bool {
        let (Some(code), Some(observed)) = (code, observed_ms) else {
            return false;
        };
        let off = observed.abs_diff(signed_with_ms);
        if !TIME_REFUSALS.contains(&code) || off <= TOLERANCE.as_millis() as u64 {
            return false;
        }
        self.correcting.store(true, Ordering::Relaxed);
        true
    }

    /// The `ttl` of `amz-sdk-request` as botocore writes it
    /// (`20240102T030405Z`): local time plus the read timeout plus the
    /// estimated skew. `None` before any estimate.
    pub(super) fn ttl(&self, local: SystemTime, read_timeout: Duration) -> Option<String> {
        let skew = match self.estimate_ms.load(Ordering::Relaxed) {
            NONE => return None,
            skew => skew,
        };
        let at = OffsetDateTime::from(shift(local + read_timeout, skew));
        Some(crate::sigv4::basic_timestamp(at))
    }
}

fn millis(t: SystemTime) -> i128 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_millis() as i128,
        Err(e) => -(e.duration().as_millis() as i128),
    }
}

fn shift(t: SystemTime, ms: i64) -> SystemTime {
    let by = Duration::from_millis(ms.unsigned_abs());
    let shifted = if ms >= 0 {
        t.checked_add(by)
    } else {
        t.checked_sub(by)
    };
    shifted.unwrap_or(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2024-01-02T03:04:05Z
    fn local() -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(1_704_164_645)
    }

    #[test]
    fn nothing_is_corrected_before_a_refusal() {
        let skew = ClockSkew::default();
        assert_eq!(skew.signing_time(local()), local());
        // The service is 20 minutes ahead.
        let observed = skew.observe(Some("Tue, 02 Jan 2024 03:24:05 GMT"), local());
        assert_eq!(observed, Some(20 * 60 * 1000));
        assert_eq!(skew.signing_time(local()), local(), "not refused yet");
        assert!(skew.refused_for_time(Some("InvalidSignatureException"), observed, 0));
        assert_eq!(
            skew.signing_time(local()),
            local() + Duration::from_secs(20 * 60)
        );
        // The next response says the clock is now 20 minutes behind.
        let observed = skew.observe(Some("Tue, 02 Jan 2024 02:44:05 GMT"), local());
        assert_eq!(observed, Some(-20 * 60 * 1000));
        assert_eq!(
            skew.signing_time(local()),
            local() - Duration::from_secs(20 * 60)
        );
    }

    #[test]
    fn a_refusal_counts_only_with_its_code_and_a_skew_over_four_minutes() {
        let skew = ClockSkew::default();
        let minutes = |m: i64| Some(m * 60 * 1000);
        // A wrong key, clocks in step: not a matter of time.
        assert!(!skew.refused_for_time(Some("SignatureDoesNotMatch"), minutes(0), 0));
        assert!(!skew.refused_for_time(Some("SignatureDoesNotMatch"), minutes(4), 0));
        // Off, but refused for another reason.
        assert!(!skew.refused_for_time(Some("AccessDeniedException"), minutes(20), 0));
        // No date, no code.
        assert!(!skew.refused_for_time(Some("RequestTimeTooSkewed"), None, 0));
        assert!(!skew.refused_for_time(None, minutes(20), 0));
        // Already signed with a correction the service agrees with.
        assert!(!skew.refused_for_time(Some("RequestExpired"), minutes(20), 20 * 60 * 1000));
        assert_eq!(skew.applied_ms(), 0);
        for code in TIME_REFUSALS {
            assert!(ClockSkew::default().refused_for_time(Some(code), minutes(-5), 0));
        }
    }

    #[test]
    fn unreadable_dates_teach_nothing() {
        let skew = ClockSkew::default();
        assert_eq!(skew.observe(None, local()), None);
        assert_eq!(skew.observe(Some("yesterday"), local()), None);
        assert_eq!(skew.ttl(local(), DEFAULT_READ_TIMEOUT), None);
    }

    #[test]
    fn ttl_is_local_time_plus_read_timeout_plus_skew() {
        let skew = ClockSkew::default();
        skew.observe(Some("Tue, 02 Jan 2024 03:24:05 GMT"), local());
        assert_eq!(
            skew.ttl(local(), DEFAULT_READ_TIMEOUT).as_deref(),
            Some("20240102T032505Z")
        );
        assert_eq!(
            skew.ttl(local(), Duration::from_secs(5)).as_deref(),
            Some("20240102T032410Z")
        );
    }
}
