//! Error values shared by every generated operation.

use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

/// What every service error carries, modeled or not: the code the service
/// sent, its message, the HTTP status and the request id that AWS support
/// asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorMetadata {
    code: Option<String>,
    message: Option<String>,
    status: u16,
    request_id: Option<String>,
}

impl ErrorMetadata {
    /// Metadata from its parts; `code` is expected already sanitized
    /// (see [`crate::protocol::rest_json::sanitize_error_code`]).
    pub fn new(
        code: Option<String>,
        message: Option<String>,
        status: u16,
        request_id: Option<String>,
    ) -> Self {
        ErrorMetadata {
            code,
            message,
            status,
            request_id,
        }
    }

    /// The error code, such as `NotFoundException`.
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// The human-readable message the service sent.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The HTTP status of the response.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The `x-amzn-RequestId` of the response.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
}

/// One line: code, message, status and request id, so a log line says all
/// that is needed to report the failure.
impl fmt::Display for ErrorMetadata {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code().unwrap_or("unknown error"))?;
        if let Some(message) = self.message().filter(|m| !m.trim().is_empty()) {
            write!(f, ": {}", one_line(message))?;
        }
        write!(f, " (HTTP {}", self.status)?;
        if let Some(id) = self.request_id() {
            write!(f, ", request id {id}")?;
        }
        f.write_str(")")
    }
}

/// Keeps a `Display` to one line whatever a server put in a message.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Gives access to the [`ErrorMetadata`] of any service error.
pub trait ProvideErrorMetadata {
    fn meta(&self) -> &ErrorMetadata;

    fn code(&self) -> Option<&str> {
        self.meta().code()
    }
    fn message(&self) -> Option<&str> {
        self.meta().message()
    }
    fn status(&self) -> u16 {
        self.meta().status()
    }
    fn request_id(&self) -> Option<&str> {
        self.meta().request_id()
    }
}

/// A request that cannot be made: caught before anything is sent. Either
/// an input member is missing or invalid, or the configuration lacks what
/// every request needs (a region, credentials, a usable endpoint).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError {
    member: Option<&'static str>,
    kind: BuildErrorKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum BuildErrorKind {
    Missing,
    Invalid(String),
    Config(String),
}

impl BuildError {
    /// A required member was not set.
    pub fn missing(member: &'static str) -> Self {
        BuildError {
            member: Some(member),
            kind: BuildErrorKind::Missing,
        }
    }

    /// A member was set to a value that cannot be sent.
    pub fn invalid(member: &'static str, reason: impl Into<String>) -> Self {
        BuildError {
            member: Some(member),
            kind: BuildErrorKind::Invalid(reason.into()),
        }
    }

    /// The configuration cannot make a request (no region, no credentials,
    /// an endpoint URL that is not one).
    pub fn config(reason: impl Into<String>) -> Self {
        BuildError {
            member: None,
            kind: BuildErrorKind::Config(reason.into()),
        }
    }

    /// The model name of the member at fault, such as `VoiceConnectorId`;
    /// `None` for a configuration problem.
    pub fn member(&self) -> Option<&'static str> {
        self.member
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let member = self.member.unwrap_or("the request");
        match &self.kind {
            BuildErrorKind::Missing => write!(f, "{member} is required but was not set"),
            BuildErrorKind::Invalid(reason) => write!(f, "{member} is invalid: {reason}"),
            BuildErrorKind::Config(reason) => f.write_str(reason),
        }
    }
}

impl StdError for BuildError {}

/// A response that could not be read as the operation's output: malformed
/// JSON, or JSON of the wrong shape. Keeps the status and request id so the
/// failure can still be reported to AWS.
#[derive(Debug)]
pub struct ResponseError {
    status: u16,
    request_id: Option<String>,
    source: Box<dyn StdError + Send + Sync>,
}

impl ResponseError {
    pub fn new(
        status: u16,
        request_id: Option<String>,
        source: impl Into<Box<dyn StdError + Send + Sync>>,
    ) -> Self {
        ResponseError {
            status,
            request_id,
            source: source.into(),
        }
    }

    pub fn status(&self) -> u16 {
        self.status
    }

    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
}

impl fmt::Display for ResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the response could not be parsed: {} (HTTP {}",
            self.source, self.status
        )?;
        if let Some(id) = &self.request_id {
            write!(f, ", request id {id}")?;
        }
        f.write_str(")")
    }
}

impl StdError for ResponseError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(&*self.source)
    }
}

/// Everything that can go wrong with one call of an operation whose typed
/// error is `E`. Each variant names the operation, and keeps its cause.
#[derive(Debug)]
#[non_exhaustive]
pub enum SdkError<E> {
    /// The request could not be made; nothing was sent.
    Build {
        operation: &'static str,
        source: BuildError,
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
        match self {
            SdkError::Service { source, .. } => Ok(source),
            SdkError::Build { operation, source } => Err(SdkError::Build { operation, source }),
            SdkError::Timeout { operation, source } => Err(SdkError::Timeout { operation, source }),
            SdkError::Dispatch { operation, source } => {
                Err(SdkError::Dispatch { operation, source })
            }
            SdkError::Response { operation, source } => {
                Err(SdkError::Response { operation, source })
            }
        }
    }

    /// The same error with the service error turned into another type by
    /// `f`; `None` when `f` cannot.
    pub(crate) fn retype<F>(self, f: impl FnOnce(E) -> Option<F>) -> Option<SdkError<F>> {
        Some(match self {
            SdkError::Build { operation, source } => SdkError::Build { operation, source },
            SdkError::Timeout { operation, source } => SdkError::Timeout { operation, source },
            SdkError::Dispatch { operation, source } => SdkError::Dispatch { operation, source },
            SdkError::Response { operation, source } => SdkError::Response { operation, source },
            SdkError::Service { operation, source } => SdkError::Service {
                operation,
                source: f(source)?,
            },
        })
    }

    /// The model name of the operation that failed.
    pub fn operation(&self) -> &'static str {
        match self {
            SdkError::Build { operation, .. }
            | SdkError::Timeout { operation, .. }
            | SdkError::Dispatch { operation, .. }
            | SdkError::Response { operation, .. }
            | SdkError::Service { operation, .. } => operation,
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

impl<E: fmt::Display> fmt::Display for SdkError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let op = self.operation();
        match self {
            SdkError::Build { source, .. } => write!(f, "{op}: request not sent: {source}"),
            SdkError::Timeout { source, .. } => write!(f, "{op}: {source}"),
            SdkError::Dispatch { source, .. } => write!(f, "{op}: {source}"),
            SdkError::Response { source, .. } => write!(f, "{op}: {source}"),
            SdkError::Service { source, .. } => write!(f, "{op} failed: {source}"),
        }
    }
}

impl<E: StdError + 'static> StdError for SdkError<E> {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            SdkError::Build { source, .. } => Some(source),
            SdkError::Timeout { source, .. } => Some(source),
            SdkError::Dispatch { source, .. } => Some(source),
            SdkError::Response { source, .. } => Some(source),
            SdkError::Service { source, .. } => Some(source),
        }
    }
}

/// Which timeout fired.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeoutKind {
    /// Establishing a connection (TCP and TLS).
    Connect,
    /// One attempt: sending the request and reading the whole response.
    Attempt,
    /// The whole operation, retries and waits between them included.
    Operation,
}

/// A timeout, with the limit that was reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeoutError {
    kind: TimeoutKind,
    limit: Duration,
    attempts: u32,
}

impl TimeoutError {
    pub fn new(kind: TimeoutKind, limit: Duration, attempts: u32) -> Self {
        TimeoutError {
            kind,
            limit,
            attempts,
        }
    }

    pub fn kind(&self) -> TimeoutKind {
        self.kind
    }

    pub fn limit(&self) -> Duration {
        self.limit
    }

    /// How many attempts were made.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

impl fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            TimeoutKind::Connect => "connect timeout",
            TimeoutKind::Attempt => "attempt timeout",
            TimeoutKind::Operation => "operation timeout",
        };
        write!(
            f,
            "{what}: no answer within {:?} (after {} attempt(s))",
            self.limit, self.attempts
        )
    }
}

impl StdError for TimeoutError {}

/// What went wrong sending a request or receiving its response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DispatchErrorKind {
    /// No connection could be made (refused, DNS, TLS handshake).
    Connect,
    /// The connection failed while the request or response was in flight.
    Io,
    /// The response body is larger than the configured cap.
    BodyTooLarge,
    /// The request could not be turned into an HTTP message.
    Other,
}

/// A request that could not be sent, or whose response was not received.
#[derive(Debug)]
pub struct DispatchError {
    kind: DispatchErrorKind,
    message: String,
    attempts: u32,
    source: Option<Box<dyn StdError + Send + Sync>>,
}

impl DispatchError {
    pub fn new(
        kind: DispatchErrorKind,
        message: impl Into<String>,
        source: Option<Box<dyn StdError + Send + Sync>>,
    ) -> Self {
        DispatchError {
            kind,
            message: message.into(),
            attempts: 1,
            source,
        }
    }

    pub fn kind(&self) -> DispatchErrorKind {
        self.kind
    }

    /// How many attempts were made.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    pub(crate) fn with_attempts(mut self, attempts: u32) -> Self {
        self.attempts = attempts;
        self
    }

    /// Whether sending again may work: not for an oversized body.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self.kind,
            DispatchErrorKind::Connect | DispatchErrorKind::Io
        )
    }
}

impl fmt::Display for DispatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.message)?;
        // The innermost cause says what the OS or the TLS stack saw.
        let mut cause = self
            .source
            .as_deref()
            .map(|e| e as &(dyn StdError + 'static));
        let mut innermost = None;
        while let Some(e) = cause {
            innermost = Some(e);
            cause = e.source();
        }
        if let Some(e) = innermost {
            write!(f, ": {e}")?;
        }
        write!(f, " (after {} attempt(s))", self.attempts)
    }
}

impl StdError for DispatchError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn StdError + 'static))
    }
}

/// An error the operation's model does not name; still carries everything
/// the service said about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnhandledError {
    meta: ErrorMetadata,
}

impl UnhandledError {
    pub fn new(meta: ErrorMetadata) -> Self {
        UnhandledError { meta }
    }
}

impl ProvideErrorMetadata for UnhandledError {
    fn meta(&self) -> &ErrorMetadata {
        &self.meta
    }
}

impl fmt::Display for UnhandledError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.meta.fmt(f)
    }
}

impl StdError for UnhandledError {}

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

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn sdk_error_keeps_its_cause() {
        let json_err = serde_json::from_str::<serde_json::Value>("{").unwrap_err();
        let err: SdkError<UnhandledError> = SdkError::Response {
            operation: "GetThing",
            source: ResponseError::new(200, Some("r".into()), json_err),
        };
        let text = err.to_string();
        assert!(
            text.starts_with("GetThing: the response could not be parsed: EOF"),
            "{text}"
        );
        assert!(text.ends_with("(HTTP 200, request id r)"), "{text}");
        let source = StdError::source(&err).and_then(StdError::source);
        assert!(source.is_some_and(|s| s.to_string().contains("EOF")));
    }
}
