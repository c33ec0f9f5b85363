//! Traces each error the client returns to the fault that caused it: the
//! fault the mock wrote in the ledger for that call's failing attempt, or
//! a refresh the IMDS failed. An error with no such fault is reported with
//! what the mock saw, and fails the run: "all injected" is checked, not
//! assumed. And the other way round: every fault the mock injected must
//! have been retried or returned, never taken for an answer.

use crate::faults::{Attempt, Fault};
use chime_sdk_voice::error::{DispatchErrorKind, TimeoutKind};
use chime_sdk_voice::operation::get_proxy_session::GetProxySessionError;
use chime_sdk_voice::{ProvideErrorMetadata, SdkError};
use std::fmt::Write;

/// What caused an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cause {
    Fault(Fault),
    /// A refresh the IMDS failed.
    Imds,
}

impl Cause {
    pub const ALL: [Cause; 7] = [
        Cause::Fault(Fault::ServerError),
        Cause::Fault(Fault::Unavailable),
        Cause::Fault(Fault::Throttle),
        Cause::Fault(Fault::Reset),
        Cause::Fault(Fault::Stall),
        Cause::Fault(Fault::Truncate),
        Cause::Imds,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Cause::Fault(fault) => fault.name(),
            Cause::Imds => "imds",
        }
    }

    pub fn index(self) -> usize {
        match self {
            Cause::Fault(fault) => fault.index(),
            Cause::Imds => 6,
        }
    }
}

/// What tracing needs of an error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Observed {
    /// The service's answer: status and error code.
    Service { status: u16, code: Option<String> },
    /// The attempt timeout fired on attempt `attempt`.
    AttemptTimeout { attempt: u32 },
    /// The connection failed while attempt `attempt` was in flight (sent,
    /// or its answer being read).
    Broken { attempt: u32 },
    /// No credentials.
    Credentials { message: String },
    /// Anything else: no fault the soak injects ends this way.
    Other,
}

pub fn observe(error: &SdkError<GetProxySessionError>) -> Observed {
    match error {
        SdkError::Service { source, .. } => Observed::Service {
            status: source.meta().status(),
            code: source.meta().code().map(str::to_string),
        },
        SdkError::Timeout { source, .. } if source.kind() == TimeoutKind::Attempt => {
            Observed::AttemptTimeout {
                attempt: source.attempts(),
            }
        }
        SdkError::Dispatch { source, .. } if source.kind() == DispatchErrorKind::Io => {
            Observed::Broken {
                attempt: source.attempts(),
            }
        }
        SdkError::Credentials { source, .. } => Observed::Credentials {
            message: source.to_string(),
        },
        _ => Observed::Other,
    }
}

/// The cause of `observed`, an error of a call whose attempts the mock
/// saw as `attempts`, during which the IMDS failed a fetch if
/// `imds_failed`. Callers that wait for one refresh share its outcome, so
/// one failure may explain the errors of many calls, but only of calls in
/// flight when it happened. `Err` says why nothing the soak injected
/// explains the error.
pub fn trace(
    observed: &Observed,
    attempts: &[Attempt],
    imds_failed: bool,
) -> Result<Cause, String> {
    let at = |n: u32| {
        attempts
            .iter()
            .find(|a| a.number == n)
            .and_then(|a| a.fault)
    };
    let last = attempts
        .iter()
        .max_by_key(|a| a.number)
        .and_then(|a| a.fault);
    let (fault, expected) = match observed {
        Observed::Service { status, code } => {
            let expected = match (status, code.as_deref()) {
                (500, Some("ServiceFailureException")) => Fault::ServerError,
                (503, Some("ServiceUnavailableException")) => Fault::Unavailable,
                (429, Some("ThrottledClientException")) => Fault::Throttle,
                _ => {
                    let code = code.as_deref().unwrap_or("without a code");
                    return Err(format!("the mock injects no HTTP {status} {code}"));
                }
            };
            (last, [expected, expected])
        }
        Observed::AttemptTimeout { attempt } => (at(*attempt), [Fault::Stall, Fault::Stall]),
        // A reset before the answer, or a cut in its body: which one the
        // error does not say, the ledger does.
        Observed::Broken { attempt } => (at(*attempt), [Fault::Reset, Fault::Truncate]),
        Observed::Credentials { message } => {
            return if !message.contains("HTTP 500") {
                Err("the IMDS fails fetches with HTTP 500 only".into())
            } else if imds_failed {
                Ok(Cause::Imds)
            } else {
                Err("the IMDS failed no fetch while this call was in flight".into())
            };
        }
        Observed::Other => return Err("no fault the soak injects ends this way".into()),
    };
    match fault {
        Some(fault) if expected.contains(&fault) => Ok(Cause::Fault(fault)),
        _ => Err(format!("the mock saw {}", seen(attempts))),
    }
}

/// Checks that the attempts the mock saw of a call fit how it ended: every
/// attempt but a successful last one met a fault (a fault is retried or
/// returned, and nothing else is retried), and the call ended at most once
/// per attempt. `Err` describes the misfit.
pub fn account(attempts: &[Attempt], succeeded: bool) -> Result<(), String> {
    let faulty = attempts.iter().filter(|a| a.fault.is_some()).count();
    let last_clean = attempts
        .iter()
        .max_by_key(|a| a.number)
        .is_some_and(|a| a.fault.is_none());
    let fits = if succeeded {
        last_clean && faulty + 1 == attempts.len()
    } else {
        faulty == attempts.len()
    };
    if fits {
        Ok(())
    } else if succeeded && !last_clean {
        Err(format!(
            "it succeeded although {}; a fault was taken for an answer",
            seen(attempts)
        ))
    } else {
        Err(format!(
            "{}: an attempt with no fault was retried",
            seen(attempts)
        ))
    }
}

/// `attempt 1: stall, attempt 2: none`.
fn seen(attempts: &[Attempt]) -> String {
    if attempts.is_empty() {
        return "no attempt of this call".into();
    }
    let mut out = String::new();
    for (i, a) in attempts.iter().enumerate() {
        let fault = a.fault.map_or("none", Fault::name);
        let _ = write!(
            out,
            "{}attempt {}: {fault}",
            if i == 0 { "" } else { ", " },
            a.number
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attempts(faults: &[Option<Fault>]) -> Vec<Attempt> {
        faults
            .iter()
            .zip(1..)
            .map(|(&fault, number)| Attempt { number, fault })
            .collect()
    }

    fn service(status: u16, code: &str) -> Observed {
        Observed::Service {
            status,
            code: Some(code.into()),
        }
    }

    const NO_IMDS: bool = false;

    #[test]
    fn service_errors_are_the_last_attempts_fault() {
        let three = attempts(&[
            Some(Fault::Stall),
            Some(Fault::Reset),
            Some(Fault::Throttle),
        ]);
        assert_eq!(
            trace(&service(429, "ThrottledClientException"), &three, NO_IMDS),
            Ok(Cause::Fault(Fault::Throttle))
        );
        let err = trace(&service(500, "ServiceFailureException"), &three, NO_IMDS).unwrap_err();
        assert_eq!(
            err,
            "the mock saw attempt 1: stall, attempt 2: reset, attempt 3: throttle"
        );
        // A refused signature is no fault of the soak's.
        let refused = trace(&service(403, "InvalidSignatureException"), &three, NO_IMDS);
        assert!(refused.unwrap_err().contains("no HTTP 403"));
    }

    #[test]
    fn timeouts_and_broken_connections_are_the_numbered_attempts_fault() {
        let calls = attempts(&[Some(Fault::Truncate), Some(Fault::Stall), None]);
        let broken = |attempt| Observed::Broken { attempt };
        let timeout = |attempt| Observed::AttemptTimeout { attempt };
        assert_eq!(
            trace(&broken(1), &calls, NO_IMDS),
            Ok(Cause::Fault(Fault::Truncate))
        );
        assert_eq!(
            trace(&timeout(2), &calls, NO_IMDS),
            Ok(Cause::Fault(Fault::Stall))
        );
        // Attempt 3 was answered well, and attempt 4 never reached the mock.
        assert!(trace(&timeout(3), &calls, NO_IMDS).is_err());
        assert!(trace(&broken(4), &calls, NO_IMDS).is_err());
        assert!(trace(&broken(2), &calls, NO_IMDS).is_err());
        assert_eq!(
            trace(&broken(1), &[], NO_IMDS),
            Err("the mock saw no attempt of this call".into())
        );
    }

    #[test]
    fn every_fault_is_retried_or_returned() {
        let (stall, reset) = (Some(Fault::Stall), Some(Fault::Reset));
        assert_eq!(account(&attempts(&[None]), true), Ok(()));
        assert_eq!(account(&attempts(&[stall, reset, None]), true), Ok(()));
        assert_eq!(account(&attempts(&[stall, reset, reset]), false), Ok(()));
        // Credentials that fail before attempt 2 is sent: one fault, returned
        // as the credentials error.
        assert_eq!(account(&attempts(&[stall]), false), Ok(()));
        // A cut body taken for the answer.
        let swallowed = account(&attempts(&[Some(Fault::Truncate)]), true).unwrap_err();
        assert!(swallowed.contains("taken for an answer"), "{swallowed}");
        // A success that came after a clean attempt, and a failure after one.
        assert!(account(&attempts(&[None, None]), true).is_err());
        assert!(account(&attempts(&[None, stall]), false).is_err());
        // No attempt reached the mock, yet the call succeeded.
        assert!(account(&[], true).is_err());
        assert_eq!(account(&[], false), Ok(()));
    }

    #[test]
    fn credential_errors_need_an_imds_failure_during_the_call() {
        let failure = Observed::Credentials {
            message:
                "instance metadata: the instance metadata service answered HTTP 500 for a token"
                    .into(),
        };
        assert_eq!(trace(&failure, &[], true), Ok(Cause::Imds));
        assert!(trace(&failure, &[], false)
            .unwrap_err()
            .contains("no fetch while this call"));
        let other = Observed::Credentials {
            message: "none of the sources had credentials".into(),
        };
        assert!(trace(&other, &[], true).is_err());
        assert!(trace(&Observed::Other, &[], NO_IMDS).is_err());
    }
}
