//! Why a message could not be signed, or a signed frame was refused.

use crate::event_stream::{DecodeError, EncodeError};
use crate::DateTime;
use std::fmt;
use std::time::Duration;

/// Why a message could not be signed. The signer is left as it was.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignError {
    /// The message cannot be framed, or its frame is too large to be the
    /// payload of a signed frame. Shown as the encoder says it.
    Encode(EncodeError),
    /// The signing time is before 1970 or after the year 9999, which
    /// SigV4's dates cannot write.
    TimeOutOfRange { secs: i64 },
}

impl fmt::Display for SignError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignError::Encode(error) => error.fmt(f),
            SignError::TimeOutOfRange { secs } => write!(
                f,
                "event stream: cannot sign at {secs} seconds from 1970, outside the years \
                 1970 to 9999 that a SigV4 date can write"
            ),
        }
    }
}

impl std::error::Error for SignError {}

/// Why a signed frame was refused. `frame` counts the frames the verifier
/// was given, from 1.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum VerifyError {
    /// `:chunk-signature` or `:date` is absent.
    MissingHeader { frame: u64, header: &'static str },
    /// `:chunk-signature` or `:date` is not of its type (bytes,
    /// timestamp).
    HeaderType {
        frame: u64,
        header: &'static str,
        expected: &'static str,
        found: &'static str,
    },
    /// The frame has a header besides the two: nothing signs it.
    UnsignedHeader { frame: u64, name: String },
    /// `:chunk-signature` is not the 32 bytes of an HMAC-SHA256.
    SignatureLength { frame: u64, len: usize },
    /// The signature is not that of this payload and `:date` chained from
    /// the prior signature: the frame was changed, signed with other
    /// credentials, region or signing name, or is not the one that follows
    /// the frame (or request) verified before it.
    BadSignature { frame: u64 },
    /// The signature holds, but `:date` is further from the verifier's
    /// clock than it allows.
    DateSkewed {
        frame: u64,
        date: DateTime,
        now: DateTime,
        max: Duration,
    },
    /// `:date` is before 1970 or after the year 9999.
    DateOutOfRange { frame: u64, date: DateTime },
    /// A frame came after the empty frame that ended the stream.
    AfterEnd { frame: u64 },
    /// The payload of a correctly signed frame is not a message.
    Inner { frame: u64, error: DecodeError },
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("event stream: ")?;
        match self {
            VerifyError::MissingHeader { frame, header } => {
                write!(f, "signed frame {frame} has no {header} header")
            }
            VerifyError::HeaderType {
                frame,
                header,
                expected,
                found,
            } => write!(
                f,
                "the {header} header of signed frame {frame} is of type {found}, not {expected}"
            ),
            VerifyError::UnsignedHeader { frame, name } => write!(
                f,
                "signed frame {frame} has the header {name:?}, which no signature covers \
                 (only :chunk-signature and :date may be there)"
            ),
            VerifyError::SignatureLength { frame, len } => write!(
                f,
                "the :chunk-signature of signed frame {frame} is {len} bytes, not the 32 of \
                 an HMAC-SHA256"
            ),
            VerifyError::BadSignature { frame } => write!(
                f,
                "the signature of frame {frame} does not match: its payload or :date was \
                 changed, it was signed with other credentials, region or signing name, or \
                 it does not follow the frame (or the request) before it"
            ),
            VerifyError::DateSkewed {
                frame,
                date,
                now,
                max,
            } => write!(
                f,
                "signed frame {frame} is dated {date}, more than {} s from the time here \
                 ({now})",
                max.as_secs()
            ),
            VerifyError::DateOutOfRange { frame, date } => write!(
                f,
                "signed frame {frame} is dated {date}, outside the years 1970 to 9999 that a \
                 SigV4 date can write"
            ),
            VerifyError::AfterEnd { frame } => write!(
                f,
                "frame {frame} came after the empty frame that ended the stream"
            ),
            VerifyError::Inner { frame, error } => {
                write!(f, "the payload of signed frame {frame} is not a message: ")?;
                // The decoder's own text, without its repeated prefix.
                let text = error.to_string();
                f.write_str(text.strip_prefix("event stream: ").unwrap_or(&text))
            }
        }
    }
}

impl std::error::Error for VerifyError {}
