//! Requests that cannot be made.

use std::error::Error as StdError;
use std::fmt;
use std::sync::Arc;

/// A request that cannot be made: caught before anything is sent. Either
/// an input member is missing or invalid, or the configuration lacks what
/// every request needs (a region, credentials, a usable endpoint).
#[derive(Debug, Clone)]
pub struct BuildError {
    member: Option<&'static str>,
    kind: BuildErrorKind,
    source: Option<Arc<dyn StdError + Send + Sync>>,
}

/// Errors are equal when they say the same; their causes are not compared.
impl PartialEq for BuildError {
    fn eq(&self, other: &Self) -> bool {
        (self.member, &self.kind) == (other.member, &other.kind)
    }
}

impl Eq for BuildError {}

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
            source: None,
        }
    }

    /// A member was set to a value that cannot be sent.
    pub fn invalid(member: &'static str, reason: impl Into<String>) -> Self {
        BuildError {
            member: Some(member),
            kind: BuildErrorKind::Invalid(reason.into()),
            source: None,
        }
    }

    /// The configuration cannot make a request (no region, no credentials,
    /// an endpoint URL that is not one).
    pub fn config(reason: impl Into<String>) -> Self {
        BuildError {
            member: None,
            kind: BuildErrorKind::Config(reason.into()),
            source: None,
        }
    }

    /// The configuration cannot make a request, because of `source` (the
    /// endpoint rules' error, a file that could not be read), which is
    /// kept as this error's [`source`](StdError::source).
    pub fn config_with_source(
        reason: impl Into<String>,
        source: impl Into<Box<dyn StdError + Send + Sync>>,
    ) -> Self {
        BuildError {
            source: Some(Arc::from(source.into())),
            ..BuildError::config(reason)
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

impl StdError for BuildError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn StdError + 'static))
    }
}
