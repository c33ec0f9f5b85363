//! Error values shared by every generated operation.

use std::error::Error as StdError;
use std::fmt;

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
    /// (see [`crate::json_error::sanitize_error_code`]).
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
        if let Some(message) = self.message() {
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

/// An input that cannot become a request: caught before anything is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError {
    member: &'static str,
    kind: BuildErrorKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum BuildErrorKind {
    Missing,
    Invalid(String),
}

impl BuildError {
    /// A required member was not set.
    pub fn missing(member: &'static str) -> Self {
        BuildError {
            member,
            kind: BuildErrorKind::Missing,
        }
    }

    /// A member was set to a value that cannot be sent.
    pub fn invalid(member: &'static str, reason: impl Into<String>) -> Self {
        BuildError {
            member,
            kind: BuildErrorKind::Invalid(reason.into()),
        }
    }

    /// The model name of the member at fault, such as `VoiceConnectorId`.
    pub fn member(&self) -> &'static str {
        self.member
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            BuildErrorKind::Missing => write!(f, "{} is required but was not set", self.member),
            BuildErrorKind::Invalid(reason) => write!(f, "{} is invalid: {reason}", self.member),
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
/// error is `E`.
#[derive(Debug)]
#[non_exhaustive]
pub enum SdkError<E> {
    /// The input could not become a request; nothing was sent.
    Build(BuildError),
    /// The response arrived but could not be parsed.
    Response(ResponseError),
    /// The service answered with an error; `E` is the operation's error enum.
    Service(E),
}

impl<E> SdkError<E> {
    /// The operation's typed error, if the service sent one.
    pub fn as_service_error(&self) -> Option<&E> {
        match self {
            SdkError::Service(e) => Some(e),
            _ => None,
        }
    }

    /// Turns this into the operation's typed error, if the service sent one.
    pub fn into_service_error(self) -> Option<E> {
        match self {
            SdkError::Service(e) => Some(e),
            _ => None,
        }
    }
}

impl<E: fmt::Display> fmt::Display for SdkError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SdkError::Build(e) => write!(f, "invalid input: {e}"),
            SdkError::Response(e) => e.fmt(f),
            SdkError::Service(e) => e.fmt(f),
        }
    }
}

impl<E: StdError + 'static> StdError for SdkError<E> {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            SdkError::Build(e) => Some(e),
            SdkError::Response(e) => Some(e),
            SdkError::Service(e) => Some(e),
        }
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
    }

    #[test]
    fn sdk_error_keeps_its_cause() {
        let json_err = serde_json::from_str::<serde_json::Value>("{").unwrap_err();
        let err: SdkError<UnhandledError> =
            SdkError::Response(ResponseError::new(200, Some("r".into()), json_err));
        let text = err.to_string();
        assert!(
            text.starts_with("the response could not be parsed: EOF"),
            "{text}"
        );
        assert!(text.ends_with("(HTTP 200, request id r)"), "{text}");
        let source = StdError::source(&err).and_then(StdError::source);
        assert!(source.is_some_and(|s| s.to_string().contains("EOF")));
    }
}
