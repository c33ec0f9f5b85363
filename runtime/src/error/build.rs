//! Requests that cannot be made.

use std::error::Error as StdError;
use std::fmt;

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
