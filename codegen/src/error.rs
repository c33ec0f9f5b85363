//! Why generation failed: always names the model element at fault.

use std::fmt;

/// A generation error. Nothing is written when one occurs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// The model file is not a botocore service model.
    Model(String),
    /// The model is well-formed but inconsistent (a dangling shape reference,
    /// an unknown operation, two shapes that would get the same Rust name).
    Invalid(String),
    /// The model uses something the emitters do not generate yet; never
    /// papered over with code that would be silently wrong.
    Unsupported { shape: String, what: String },
    /// The operation streams events (`eventstream`), which the generator
    /// refuses for now, by name.
    EventStream { operation: String, shape: String },
    /// `paginators-1.json` lists a paginator for the operation that cannot
    /// be generated, and why.
    Paginator { operation: String, reason: String },
    /// `waiters-2.json` lists a waiter for the operation that cannot be
    /// generated; `reason` names the waiter and says why.
    Waiter { operation: String, reason: String },
    /// A service's customization found the model other than it expects
    /// (the shape it adjusts is missing or of another form), and why.
    Customization {
        name: String,
        shape: String,
        reason: String,
    },
    /// The emitted tokens did not parse: a generator bug.
    Emit(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Model(msg) => write!(f, "cannot read the service model: {msg}"),
            Error::Invalid(msg) => write!(f, "invalid service model: {msg}"),
            Error::Unsupported { shape, what } => {
                write!(
                    f,
                    "shape `{shape}`: {what} is not supported by the generator yet"
                )
            }
            Error::EventStream { operation, shape } => write!(
                f,
                "operation `{operation}`: shape `{shape}` is an event stream, which the generator does not support yet"
            ),
            Error::Paginator { operation, reason } => write!(
                f,
                "operation `{operation}`: its paginator cannot be generated: {reason}"
            ),
            Error::Waiter { operation, reason } => {
                write!(f, "operation `{operation}`: {reason}")
            }
            Error::Customization {
                name,
                shape,
                reason,
            } => write!(f, "customization `{name}`: shape `{shape}` {reason}"),
            Error::Emit(msg) => write!(f, "generator bug: {msg}"),
        }
    }
}

impl std::error::Error for Error {}
