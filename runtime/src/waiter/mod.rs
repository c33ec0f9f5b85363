//! Waiters: call an operation until its answer says that a resource
//! reached the state asked for, that it never will, or that time ran out.
//!
//! What a waiter looks for comes from botocore's `waiters-2.json`: a list of
//! acceptors, each a test of one answer (a value in the output, an error
//! code, an HTTP status) and the state it leads to. The generator compiles
//! each waiter's acceptors into one Rust function over the operation's
//! typed output and error (no JMESPath is read at run time); this module is
//! the loop around it, the same for every waiter of every service:
//!
//! - the first acceptor that matches decides: `success` ends the wait with
//!   the answer, `failure` ends it with [`WaiterError::Failure`] naming the
//!   acceptor, `retry` asks again;
//! - when none matches, a successful answer is asked again, and an error is
//!   the end ([`WaiterError::Call`], the call's own [`SdkError`]), as the
//!   Smithy waiters specification says;
//! - between attempts the waiter sleeps as [`Delays`] says, never past the
//!   caller's limit ([`WaiterError::TimedOut`]).
//!
//! The clock, the sleep and the jitter are the client's configuration's,
//! so tests that inject them never wait.

mod backoff;

pub use backoff::{Delays, DEFAULT_MAX_DELAY};

use crate::config::Config;
use crate::error::{ProvideErrorMetadata, SdkError};
use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::time::{Duration, SystemTime};

/// What the acceptors make of one answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// An acceptor in the `success` state matched.
    Success,
    /// An acceptor in the `failure` state matched; it is described as the
    /// model writes it (`path Table.TableStatus == "DELETING"`).
    Failure(&'static str),
    /// An acceptor in the `retry` state matched.
    Retry,
    /// No acceptor matched.
    NoMatch,
}

/// The answer a waiter stopped on: the output, or the service's error when
/// an acceptor waits for one (DynamoDB's `TableNotExists` succeeds on
/// `ResourceNotFoundException`).
#[derive(Debug)]
pub enum FinalPoll<O, E> {
    Output(O),
    Error(SdkError<E>),
}

impl<O, E> FinalPoll<O, E> {
    /// The output, when the answer was one.
    pub fn output(&self) -> Option<&O> {
        match self {
            FinalPoll::Output(output) => Some(output),
            FinalPoll::Error(_) => None,
        }
    }

    /// The output, when the answer was one.
    pub fn into_output(self) -> Option<O> {
        match self {
            FinalPoll::Output(output) => Some(output),
            FinalPoll::Error(_) => None,
        }
    }

    /// The error, when the answer was one.
    pub fn error(&self) -> Option<&SdkError<E>> {
        match self {
            FinalPoll::Output(_) => None,
            FinalPoll::Error(error) => Some(error),
        }
    }

    fn from_result(result: Result<O, SdkError<E>>) -> Self {
        match result {
            Ok(output) => FinalPoll::Output(output),
            Err(error) => FinalPoll::Error(error),
        }
    }
}

/// Why a waiter gave up.
#[derive(Debug)]
#[non_exhaustive]
pub enum WaiterError<O, E> {
    /// An acceptor in the `failure` state matched: the resource will not
    /// reach the state waited for. `answer` is what it matched.
    Failure {
        waiter: &'static str,
        acceptor: &'static str,
        answer: Box<FinalPoll<O, E>>,
    },
    /// The time limit passed before an acceptor decided; `last` is the
    /// last answer.
    TimedOut {
        waiter: &'static str,
        max_wait: Duration,
        attempts: u32,
        last: Box<FinalPoll<O, E>>,
    },
    /// A call failed in a way no acceptor expects (its retries, if any,
    /// already spent): the call's own error.
    Call {
        waiter: &'static str,
        source: SdkError<E>,
    },
}

impl<O, E> WaiterError<O, E> {
    /// The waiter's name, as `waiters-2.json` spells it (`TableExists`).
    pub fn waiter(&self) -> &'static str {
        match self {
            WaiterError::Failure { waiter, .. }
            | WaiterError::TimedOut { waiter, .. }
            | WaiterError::Call { waiter, .. } => waiter,
        }
    }

    /// The answer that ended the wait, or the last one before time ran
    /// out; `None` for a failed call (see [`WaiterError::Call`]).
    pub fn last_answer(&self) -> Option<&FinalPoll<O, E>> {
        match self {
            WaiterError::Failure { answer, .. } => Some(answer),
            WaiterError::TimedOut { last, .. } => Some(last),
            WaiterError::Call { .. } => None,
        }
    }
}

/// One line; a failed call's error is its `source()`, not repeated here.
impl<O, E> fmt::Display for WaiterError<O, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaiterError::Failure {
                waiter, acceptor, ..
            } => write!(
                f,
                "waiter {waiter} failed: the failure acceptor `{acceptor}` matched"
            ),
            WaiterError::TimedOut {
                waiter,
                max_wait,
                attempts,
                ..
            } => write!(
                f,
                "waiter {waiter} timed out: no success after {attempts} attempt(s) in {max_wait:?}"
            ),
            WaiterError::Call { waiter, source } => {
                write!(f, "waiter {waiter}: {} failed", source.operation())
            }
        }
    }
}

impl<O: fmt::Debug, E: StdError + 'static> StdError for WaiterError<O, E> {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            WaiterError::Call { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// One waiter, as the generated code describes it.
#[derive(Debug, Clone, Copy)]
pub struct Waiter {
    /// `TableExists`
    pub name: &'static str,
    pub delays: Delays,
}

/// Calls `call` until `classify` decides, sleeping between attempts as
/// `waiter.delays` says, for at most `max_wait`.
///
/// `call` makes one call and returns the output with the HTTP status it
/// came with. `classify` sees the output or the error, and the HTTP
/// status of the answer (`None` for an error that is not the service's).
pub async fn wait<O, E, F, Fut, C>(
    config: &Config,
    waiter: Waiter,
    max_wait: Duration,
    mut call: F,
    classify: C,
) -> Result<FinalPoll<O, E>, WaiterError<O, E>>
where
    E: ProvideErrorMetadata,
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<(O, u16), SdkError<E>>>,
    C: Fn(Result<&O, &SdkError<E>>, Option<u16>) -> Verdict,
{
    let started = config.time_source.now();
    let elapsed = |now: SystemTime| now.duration_since(started).unwrap_or(Duration::ZERO);
    let mut attempt: u32 = 0;
    loop {
        attempt = attempt.saturating_add(1);
        let (result, status) = match call().await {
            Ok((output, status)) => (Ok(output), Some(status)),
            Err(error) => {
                let status = error.as_service_error().map(|e| e.meta().status());
                (Err(error), status)
            }
        };
        let verdict = classify(result.as_ref(), status);
        tracing::debug!(waiter = waiter.name, attempt, ?verdict, "waiter attempt");
        match (verdict, result) {
            (Verdict::Success, result) => return Ok(FinalPoll::from_result(result)),
            (Verdict::Failure(acceptor), result) => {
                return Err(WaiterError::Failure {
                    waiter: waiter.name,
                    acceptor,
                    answer: Box::new(FinalPoll::from_result(result)),
                })
            }
            (Verdict::NoMatch, Err(source)) => {
                return Err(WaiterError::Call {
                    waiter: waiter.name,
                    source,
                })
            }
            (Verdict::Retry | Verdict::NoMatch, result) => {
                let remaining = max_wait.saturating_sub(elapsed(config.time_source.now()));
                match waiter
                    .delays
                    .next(attempt, remaining, config.random.random())
                {
                    Some(delay) => config.sleep.sleep(delay).await,
                    None => {
                        return Err(WaiterError::TimedOut {
                            waiter: waiter.name,
                            max_wait,
                            attempts: attempt,
                            last: Box::new(FinalPoll::from_result(result)),
                        })
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
