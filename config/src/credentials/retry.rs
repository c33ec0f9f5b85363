//! Retries of a credential source's fetch, on its own small budget.
//!
//! A source is asked when credentials are needed, often while a client's
//! call waits; a blip of the endpoint (a reset connection, a timeout, an
//! HTTP 5xx or 429) should not become that call's failure, and a source
//! that is down should not hold it for long. So each fetch gets
//! [`FETCH_ATTEMPTS`] attempts with short jittered waits, apart from the
//! retry quota of the client that asked. Any other answer (4xx, a
//! malformed document) is final: asking again gets the same.
//!
//! The sources on the generated STS and SSO clients (assume-role, web
//! identity, SSO and its token refresh) are retried by those clients'
//! standard retries instead (3 attempts, or `AWS_MAX_ATTEMPTS` /
//! `max_attempts`), which take the same failures as transient.

use super::CredentialsError;
use sdkgen_runtime::clock::{
    FastRandom, SharedRandom, SharedSleep, SharedTimeSource, SystemClock, TokioSleep,
};
use sdkgen_runtime::retry::{backoff, RetryKind};
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

/// Attempts of one fetch, the first included.
pub const FETCH_ATTEMPTS: u32 = 3;
/// The longest wait between two attempts: the caller is waiting.
const MAX_BACKOFF: Duration = Duration::from_secs(1);

/// The time, waits and randomness of a credential source, injectable so
/// that tests neither sleep nor depend on chance.
#[derive(Debug, Clone)]
pub struct Clocks {
    /// Expiry decisions.
    pub time: SharedTimeSource,
    /// Waits between attempts.
    pub sleep: SharedSleep,
    /// Jitter of those waits, and of extended expiries.
    pub random: SharedRandom,
}

impl Default for Clocks {
    fn default() -> Self {
        Clocks {
            time: Arc::new(SystemClock),
            sleep: Arc::new(TokioSleep),
            random: Arc::new(FastRandom),
        }
    }
}

/// One attempt's failure, and whether another attempt may help.
#[derive(Debug)]
pub(crate) struct Failed {
    pub(crate) error: CredentialsError,
    pub(crate) retry: Option<RetryKind>,
}

impl Failed {
    /// Asking again would get the same answer.
    pub(crate) fn fatal(error: CredentialsError) -> Failed {
        Failed { error, retry: None }
    }

    /// A connection failure or a timeout.
    pub(crate) fn transient(error: CredentialsError) -> Failed {
        Failed {
            error,
            retry: Some(RetryKind::Transient),
        }
    }

    /// An answer with HTTP `status`: 429 and 5xx are worth another
    /// attempt, no other status is.
    pub(crate) fn status(status: u16, error: CredentialsError) -> Failed {
        let retry = match status {
            429 => Some(RetryKind::Throttling),
            500..=599 => Some(RetryKind::Transient),
            _ => None,
        };
        Failed { error, retry }
    }
}

impl From<CredentialsError> for Failed {
    fn from(error: CredentialsError) -> Failed {
        Failed::fatal(error)
    }
}

/// Runs `attempt` until it succeeds, fails for good, or
/// [`FETCH_ATTEMPTS`] are spent; the last failure is the error. `source`
/// names the source in logs.
pub(crate) async fn with_retries<T, F, Fut>(
    clocks: &Clocks,
    source: &str,
    mut attempt: F,
) -> Result<T, CredentialsError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, Failed>>,
{
    let mut attempts = 1;
    loop {
        match attempt().await {
            Ok(value) => return Ok(value),
            Err(Failed {
                error,
                retry: Some(kind),
            }) if attempts < FETCH_ATTEMPTS => {
                let wait = backoff(kind, attempts, clocks.random.random(), MAX_BACKOFF, None);
                tracing::debug!(source, attempts, %error, ?wait, "retrying the credentials fetch");
                clocks.sleep.sleep(wait).await;
                attempts += 1;
            }
            Err(failed) => return Err(failed.error),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sdkgen_runtime::clock::{RandomSource, Sleep};
    use sdkgen_runtime::credentials::BoxFuture;
    use std::sync::Mutex;

    #[derive(Debug, Default, Clone)]
    struct Waits(Arc<Mutex<Vec<Duration>>>);

    impl Sleep for Waits {
        fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
            self.0.lock().unwrap().push(duration);
            Box::pin(async {})
        }
    }

    #[derive(Debug)]
    struct Half;

    impl RandomSource for Half {
        fn random(&self) -> f64 {
            0.5
        }
    }

    fn clocks() -> (Clocks, Waits) {
        let waits = Waits::default();
        let clocks = Clocks {
            sleep: Arc::new(waits.clone()),
            random: Arc::new(Half),
            ..Clocks::default()
        };
        (clocks, waits)
    }

    /// Runs a fetch whose attempts fail as `failures` say, then succeed;
    /// returns its outcome and the attempts made.
    async fn run(
        failures: &[fn() -> Failed],
    ) -> (Result<u32, CredentialsError>, u32, Vec<Duration>) {
        let (clocks, waits) = clocks();
        let mut made = 0;
        let outcome = with_retries(&clocks, "test", || {
            made += 1;
            let failure = failures.get(made as usize - 1).map(|f| f());
            async move { failure.map_or(Ok(made), Err) }
        })
        .await;
        let waits = waits.0.lock().unwrap().clone();
        (outcome, made, waits)
    }

    fn error() -> CredentialsError {
        CredentialsError::new("down")
    }

    #[tokio::test]
    async fn transient_failures_are_retried_within_the_budget() {
        let (outcome, made, waits) = run(&[
            || Failed::transient(error()),
            || Failed::status(503, error()),
        ])
        .await;
        assert_eq!(outcome.unwrap(), 3);
        assert_eq!(made, 3);
        // Half of 50 ms, then half of 100 ms.
        assert_eq!(
            waits,
            [Duration::from_millis(25), Duration::from_millis(50)]
        );

        let (outcome, made, waits) = run(&[
            || Failed::status(500, error()),
            || Failed::status(429, error()),
            || Failed::status(502, CredentialsError::new("still down")),
        ])
        .await;
        assert_eq!(outcome.unwrap_err().message(), "still down");
        assert_eq!(made, FETCH_ATTEMPTS);
        // A throttling answer waits longer, within the cap.
        assert_eq!(
            waits,
            [Duration::from_millis(25), Duration::from_millis(500)]
        );
    }

    #[tokio::test]
    async fn other_failures_are_final() {
        for failure in [
            (|| Failed::status(400, error())) as fn() -> Failed,
            || Failed::status(403, error()),
            || Failed::status(404, error()),
            || Failed::fatal(error()),
            || CredentialsError::not_loaded("off").into(),
        ] {
            let (outcome, made, waits) = run(&[failure]).await;
            assert!(outcome.is_err());
            assert_eq!((made, waits.len()), (1, 0));
        }
    }
}
