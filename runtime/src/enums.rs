//! Support for forward-compatible string enums.

use std::fmt;

/// A value of a string enum that this version of the model does not know.
///
/// Services add enum values over time; a client built from an older model
/// keeps such a value instead of failing. The field is private so that an
/// `Unknown` can only come from the service, never stand in for a known
/// value in a `match`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownValue(String);

impl UnknownValue {
    /// Made by generated `From<&str>` impls only.
    #[doc(hidden)]
    pub fn new(value: impl Into<String>) -> Self {
        UnknownValue(value.into())
    }

    /// The value exactly as the service sent it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
