//! Requests that could not be sent, or responses not received.

use std::error::Error as StdError;
use std::fmt;

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
    /// The response body does not match the checksum the service sent with
    /// it (DynamoDB's `x-amz-crc32`): damaged on the way, so sent again.
    Checksum,
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
            DispatchErrorKind::Connect | DispatchErrorKind::Io | DispatchErrorKind::Checksum
        )
    }
}

/// The transport's own words are the [`source`](StdError::source), not part
/// of this sentence, so that a chain of errors says each once.
impl fmt::Display for DispatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (after {} attempt(s))", self.message, self.attempts)
    }
}

impl StdError for DispatchError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn StdError + 'static))
    }
}
