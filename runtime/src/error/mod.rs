//! Error values shared by every generated operation.
//!
//! One rule runs through them, the Rust API guidelines': an error either
//! says its cause in its `Display` or returns it from `source()`, never
//! both, so that a report of the chain (anyhow's `{:#}` and `{:?}`) says
//! each sentence once. [`SdkError`], the error a call returns, is the
//! report itself: its one line names the operation, what failed and the
//! deepest cause (the OS's or the TLS stack's words), and it has no
//! `source()`. Its parts, reached with [`SdkError::cause`], keep their
//! chains for code that looks for a type in them.

use std::error::Error as StdError;
use std::fmt;

use crate::credentials::CredentialsError;

mod build;
mod dispatch;
mod metadata;
mod response;
mod sealed;
mod timeout;
mod wire;

pub use build::BuildError;
pub use dispatch::{DispatchError, DispatchErrorKind};
pub use metadata::{ErrorMetadata, ErrorMetadataBuilder, Fault, ProvideErrorMetadata, RawResponse};
pub use response::ResponseError;
pub use timeout::{TimeoutError, TimeoutKind};
pub use wire::WireError;

/// Everything that can go wrong with one call of an operation whose typed
/// error is `E`. Each variant names the operation and keeps its cause.
#[derive(Debug)]
#[non_exhaustive]
pub enum SdkError<E> {
    /// The request could not be made; nothing was sent.
    Build {
        operation: &'static str,
        source: BuildError,
    },
    /// No credentials to sign with. `attempts` is how many attempts were
    /// sent before (0: nothing was sent; more when credentials that
    /// expired between retries could not be renewed).
    Credentials {
        operation: &'static str,
        source: CredentialsError,
        attempts: u32,
    },
    /// A timeout fired: connect, one attempt, or the whole operation.
    Timeout {
        operation: &'static str,
        source: TimeoutError,
    },
    /// The request could not be sent, or its response not received.
    Dispatch {
        operation: &'static str,
        source: DispatchError,
    },
    /// The response arrived but could not be parsed.
    Response {
        operation: &'static str,
        source: ResponseError,
    },
    /// The service answered with an error; `E` is the operation's error enum.
    Service { operation: &'static str, source: E },
}

impl<E> SdkError<E> {
    /// The service's error, or the error as it is with no service error in it.
    pub(crate) fn into_service(self) -> Result<E, SdkError<std::convert::Infallible>> {
        match self.map_service(|_, source| Err(source)) {
            Ok(other) => Err(other),
            Err(source) => Ok(source),
        }
    }

    /// The same error with the service error turned into another type by
    /// `f`; `None` when `f` cannot.
    pub(crate) fn retype<F>(self, f: impl FnOnce(E) -> Option<F>) -> Option<SdkError<F>> {
        self.map_service(|operation, source| match f(source) {
            Some(source) => Ok(SdkError::Service { operation, source }),
            None => Err(()),
        })
        .ok()
    }

    /// Every variant as it is, but the service error's, which `f` turns
    /// into the error returned (or into `Err`).
    fn map_service<F, X>(
        self,
        f: impl FnOnce(&'static str, E) -> Result<SdkError<F>, X>,
    ) -> Result<SdkError<F>, X> {
        Ok(match self {
            SdkError::Service { operation, source } => return f(operation, source),
            SdkError::Build { operation, source } => SdkError::Build { operation, source },
            SdkError::Credentials {
                operation,
                source,
                attempts,
            } => SdkError::Credentials {
                operation,
                source,
                attempts,
            },
            SdkError::Timeout { operation, source } => SdkError::Timeout { operation, source },
            SdkError::Dispatch { operation, source } => SdkError::Dispatch { operation, source },
            SdkError::Response { operation, source } => SdkError::Response { operation, source },
        })
    }

    /// The model name of the operation that failed.
    pub fn operation(&self) -> &'static str {
        match self {
            SdkError::Build { operation, .. }
            | SdkError::Credentials { operation, .. }
            | SdkError::Timeout { operation, .. }
            | SdkError::Dispatch { operation, .. }
            | SdkError::Response { operation, .. }
            | SdkError::Service { operation, .. } => operation,
        }
    }

    /// Whether the request may have reached the service: `false` only when
    /// no attempt was sent.
    pub fn was_sent(&self) -> bool {
        match self {
            SdkError::Build { .. } => false,
            SdkError::Credentials { attempts, .. } => *attempts > 0,
            SdkError::Timeout { source, .. } => source.attempts() > 0,
            SdkError::Dispatch { .. } | SdkError::Response { .. } | SdkError::Service { .. } => {
                true
            }
        }
    }

    /// The operation's typed error, if the service sent one.
    pub fn as_service_error(&self) -> Option<&E> {
        match self {
            SdkError::Service { source, .. } => Some(source),
            _ => None,
        }
    }

    /// Turns this into the operation's typed error, if the service sent one.
    pub fn into_service_error(self) -> Option<E> {
        match self {
            SdkError::Service { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl<E: ProvideErrorMetadata> SdkError<E> {
    /// The response the error was read from (status, headers, body): a
    /// service error's, or that of a response that could not be parsed.
    pub fn raw_response(&self) -> Option<&RawResponse> {
        match self {
            SdkError::Service { source, .. } => source.meta().raw_response(),
            SdkError::Response { source, .. } => source.raw_response(),
            _ => None,
        }
    }
}

impl<E: StdError + 'static> SdkError<E> {
    /// The part that failed ([`BuildError`], [`CredentialsError`],
    /// [`TimeoutError`], [`DispatchError`], [`ResponseError`] or the
    /// operation's error), whose own `source()` chain leads to the
    /// transport's or the parser's error; `SdkError` has no `source()`
    /// because its `Display` already says all of it.
    pub fn cause(&self) -> &(dyn StdError + 'static) {
        match self {
            SdkError::Build { source, .. } => source,
            SdkError::Credentials { source, .. } => source,
            SdkError::Timeout { source, .. } => source,
            SdkError::Dispatch { source, .. } => source,
            SdkError::Response { source, .. } => source,
            SdkError::Service { source, .. } => source,
        }
    }
}

/// One line: the operation, what failed, and the deepest cause.
impl<E: StdError + 'static> fmt::Display for SdkError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let op = self.operation();
        match self {
            SdkError::Build { source, .. } => write!(f, "{op}: request not sent: {source}")?,
            SdkError::Credentials {
                source, attempts, ..
            } => {
                if *attempts == 0 {
                    write!(f, "{op}: request not sent: {source}")?
                } else {
                    write!(
                        f,
                        "{op}: retry not sent after {attempts} attempt(s): {source}"
                    )?
                }
            }
            SdkError::Service { source, .. } => write!(f, "{op} failed: {source}")?,
            SdkError::Timeout { source, .. } => write!(f, "{op}: {source}")?,
            SdkError::Dispatch { source, .. } => write!(f, "{op}: {source}")?,
            SdkError::Response { source, .. } => write!(f, "{op}: {source}")?,
        }
        if let Some(deepest) = deepest_cause(self.cause()) {
            write!(f, ": {deepest}")?;
        }
        Ok(())
    }
}

/// An error and each of its causes on one line, joined by `: ` (as
/// anyhow's `{:#}` prints them), for logs of errors that are not
/// [`SdkError`]s.
pub fn report(error: &(dyn StdError + 'static)) -> String {
    std::iter::successors(Some(error), |&e| e.source())
        .map(|e| e.to_string())
        .collect::<Vec<_>>()
        .join(": ")
}

/// The last error of `error`'s `source()` chain, if it has one.
fn deepest_cause<'a>(error: &'a (dyn StdError + 'static)) -> Option<&'a (dyn StdError + 'static)> {
    std::iter::successors(error.source(), |&e| e.source()).last()
}

impl<E: StdError + 'static> StdError for SdkError<E> {}

/// What every generated error shape has, from its `meta` field:
/// `ProvideErrorMetadata`, a one-line `Display`, and `std::error::Error`.
#[doc(hidden)]
#[macro_export]
macro_rules! error_shape_traits {
    ($name:ident) => {
        impl $crate::error::ProvideErrorMetadata for $name {
            fn meta(&self) -> &$crate::ErrorMetadata {
                &self.meta
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.meta, f)
            }
        }

        impl ::std::error::Error for $name {}
    };
}

/// The sealed types, for the runtime's own tests.
#[cfg(test)]
pub(crate) mod test_types {
    crate::sealed_types!();
}

#[cfg(test)]
mod tests {
    use super::test_types::Unhandled;
    use super::*;
    use crate::http::HttpResponse;

    #[test]
    fn metadata_displays_on_one_line() {
        let meta = ErrorMetadata::new(
            Some("NotFoundException".into()),
            Some("no such\nsession".into()),
            404,
            Some("req-1".into()),
        );
        assert_eq!(
            meta.to_string(),
            "NotFoundException: no such session (HTTP 404, request id req-1)"
        );
        let bare = ErrorMetadata::new(None, None, 500, None);
        assert_eq!(bare.to_string(), "unknown error (HTTP 500)");
        let empty = ErrorMetadata::new(Some("Code".into()), Some(String::new()), 400, None);
        assert_eq!(empty.to_string(), "Code (HTTP 400)");
    }

    /// Every sentence of a report (`{:#}` in anyhow: each error of the
    /// chain, joined by ": ") must appear once.
    fn chain(error: &(dyn StdError + 'static)) -> Vec<String> {
        let mut out = vec![error.to_string()];
        let mut next = error.source();
        while let Some(e) = next {
            out.push(e.to_string());
            next = e.source();
        }
        out
    }

    #[test]
    fn a_response_error_says_its_cause_once() {
        let json_err = serde_json::from_str::<serde_json::Value>("{").unwrap_err();
        let response = HttpResponse::new(200, vec![("x-amzn-requestid".into(), "r".into())], "{");
        let err: SdkError<Unhandled> = SdkError::Response {
            operation: "GetThing",
            source: ResponseError::from_response(&response, json_err),
        };
        let text = err.to_string();
        assert_eq!(
            text,
            "GetThing: the response could not be parsed (HTTP 200, request id r): EOF while parsing an object at line 1 column 1"
        );
        assert_eq!(chain(&err), vec![text]);
        let parts = chain(err.cause());
        assert_eq!(parts.len(), 2, "{parts:?}");
        assert!(
            !parts[0].contains("EOF") && parts[1].contains("EOF"),
            "{parts:?}"
        );
        assert_eq!(err.raw_response().map(|r| r.body()), Some(&b"{"[..]));
        assert!(err.was_sent());
    }

    #[derive(Debug)]
    struct Os;
    impl fmt::Display for Os {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("Connection refused (os error 111)")
        }
    }
    impl StdError for Os {}

    #[derive(Debug)]
    struct Hyper(Os);
    impl fmt::Display for Hyper {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("client error (Connect)")
        }
    }
    impl StdError for Hyper {
        fn source(&self) -> Option<&(dyn StdError + 'static)> {
            Some(&self.0)
        }
    }

    #[test]
    fn a_dispatch_error_names_the_deepest_cause_once() {
        let source = DispatchError::new(
            DispatchErrorKind::Connect,
            "cannot connect for GET http://127.0.0.1:1/x",
            Some(Box::new(Hyper(Os))),
        )
        .with_attempts(3);
        let err: SdkError<Unhandled> = SdkError::Dispatch {
            operation: "GetThing",
            source,
        };
        assert_eq!(
            err.to_string(),
            "GetThing: cannot connect for GET http://127.0.0.1:1/x (after 3 attempt(s)): Connection refused (os error 111)"
        );
        assert!(err.source().is_none());
        assert_eq!(
            chain(err.cause()),
            [
                "cannot connect for GET http://127.0.0.1:1/x (after 3 attempt(s))",
                "client error (Connect)",
                "Connection refused (os error 111)"
            ]
        );
        assert!(err.raw_response().is_none());
    }

    #[test]
    fn a_service_error_is_one_sentence_with_its_response() {
        let response = HttpResponse::new(404, vec![("x-amzn-requestid".into(), "r".into())], "{}");
        let meta = ErrorMetadata::builder()
            .code("Nope")
            .message("gone")
            .raw_response((&response).into())
            .request_id("r")
            .build();
        assert_eq!(meta.status(), 404);
        let err = SdkError::Service {
            operation: "GetThing",
            source: Unhandled::new(meta),
        };
        assert_eq!(
            err.to_string(),
            "GetThing failed: Nope: gone (HTTP 404, request id r)"
        );
        assert!(err.cause().source().is_none());
        assert_eq!(err.raw_response().map(|r| r.status()), Some(404));
        let debug = format!("{:?}", err.raw_response().unwrap());
        assert!(
            debug.contains("x-amzn-requestid") && !debug.contains("\"r\""),
            "{debug}"
        );
    }

    #[test]
    fn a_configuration_failure_keeps_its_cause_and_type() {
        let rules =
            crate::endpoint_rules::ResolveError::new("FIPS is not supported in this partition");
        let err: SdkError<Unhandled> = SdkError::Build {
            operation: "GetThing",
            source: BuildError::config_with_source("no endpoint", rules),
        };
        assert_eq!(
            err.to_string(),
            "GetThing: request not sent: no endpoint: FIPS is not supported in this partition"
        );
        assert!(!err.was_sent());
        let cause = err.cause().source().expect("the rules' error");
        assert!(cause.is::<crate::endpoint_rules::ResolveError>());
        assert_eq!(chain(err.cause()).len(), 2);
    }

    #[test]
    fn credentials_say_whether_anything_was_sent() {
        let before: SdkError<Unhandled> = SdkError::Credentials {
            operation: "GetThing",
            source: CredentialsError::new("the profile has no keys"),
            attempts: 0,
        };
        assert!(!before.was_sent());
        assert_eq!(
            before.to_string(),
            "GetThing: request not sent: no credentials: the profile has no keys"
        );
        let after: SdkError<Unhandled> = SdkError::Credentials {
            operation: "GetThing",
            source: CredentialsError::new("STS refused"),
            attempts: 1,
        };
        assert!(after.was_sent());
        assert!(after
            .to_string()
            .contains("retry not sent after 1 attempt(s)"));
    }
}
