//! Why a frame could not be read, written or routed.

use std::fmt;

/// Why bytes are not a valid event stream. After any of these the stream
/// cannot be trusted (the specification asks that it be ended), and the
/// [`Decoder`](super::Decoder) answers every later call with the same error.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeError {
    /// The prelude's CRC32 does not match its two lengths, so neither
    /// length can be trusted.
    PreludeChecksum { sent: u32, computed: u32 },
    /// The message's CRC32 does not match its bytes.
    MessageChecksum { sent: u32, computed: u32 },
    /// The total length is below the 16 bytes the framing alone takes.
    TotalLengthTooShort { total_length: u32 },
    /// The headers length runs past the end of the message.
    HeadersLengthTooLong {
        headers_length: u32,
        total_length: u32,
    },
    /// The headers section is over the limit.
    HeadersTooLarge { headers_length: u32, max: usize },
    /// The payload is over the decoder's limit.
    PayloadTooLarge { payload_length: u32, max: usize },
    /// The stream ended inside a message: `buffered` bytes of it arrived,
    /// of the `total_length` its prelude announced (`None` when the
    /// prelude itself was cut).
    Truncated {
        buffered: usize,
        total_length: Option<u32>,
    },
    /// Bytes follow the one message [`decode_message`](super::decode_message)
    /// was given.
    TrailingBytes { count: usize },
    /// A header's name is empty; the specification asks for at least one
    /// byte.
    EmptyHeaderName { offset: usize },
    /// A header's name is not UTF-8.
    HeaderNameNotUtf8 { offset: usize },
    /// A header's name or value runs past the end of the headers section:
    /// a length that points outside the message. `offset` is where the
    /// header begins in the section; `name` is known once it was read.
    HeaderOutOfBounds { offset: usize, name: Option<String> },
    /// A header's type is not one of the format's ten (0 to 9).
    UnknownHeaderType { name: String, type_code: u8 },
    /// A string header's value is not UTF-8.
    HeaderStringNotUtf8 { name: String },
    /// Two headers have the same name.
    DuplicateHeader { name: String },
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("event stream: ")?;
        match self {
            DecodeError::PreludeChecksum { sent, computed } => write!(
                f,
                "the prelude's CRC32 is {sent:#010x} but its bytes give {computed:#010x}: \
                 the message lengths are damaged"
            ),
            DecodeError::MessageChecksum { sent, computed } => write!(
                f,
                "the message's CRC32 is {sent:#010x} but its bytes give {computed:#010x}: \
                 the message is damaged"
            ),
            DecodeError::TotalLengthTooShort { total_length } => write!(
                f,
                "a message of {total_length} bytes is shorter than its own 16 bytes of framing"
            ),
            DecodeError::HeadersLengthTooLong {
                headers_length,
                total_length,
            } => write!(
                f,
                "{headers_length} bytes of headers do not fit in a message of {total_length} bytes"
            ),
            DecodeError::HeadersTooLarge {
                headers_length,
                max,
            } => write!(
                f,
                "{headers_length} bytes of headers are more than the limit of {max}"
            ),
            DecodeError::PayloadTooLarge {
                payload_length,
                max,
            } => write!(
                f,
                "a payload of {payload_length} bytes is more than the limit of {max}"
            ),
            DecodeError::Truncated {
                buffered,
                total_length: Some(total),
            } => write!(
                f,
                "the stream ended {buffered} bytes into a message of {total} bytes"
            ),
            DecodeError::Truncated {
                buffered,
                total_length: None,
            } => write!(
                f,
                "the stream ended {buffered} bytes into a message's 12-byte prelude"
            ),
            DecodeError::TrailingBytes { count } => {
                write!(f, "{count} bytes follow the end of the message")
            }
            DecodeError::EmptyHeaderName { offset } => {
                write!(
                    f,
                    "the header at byte {offset} of the headers has an empty name"
                )
            }
            DecodeError::HeaderNameNotUtf8 { offset } => write!(
                f,
                "the name of the header at byte {offset} of the headers is not UTF-8"
            ),
            DecodeError::HeaderOutOfBounds {
                offset,
                name: Some(name),
            } => write!(
                f,
                "the value of header {name:?} (at byte {offset} of the headers) runs past \
                 the end of the headers"
            ),
            DecodeError::HeaderOutOfBounds { offset, name: None } => write!(
                f,
                "the name of the header at byte {offset} of the headers runs past the end \
                 of the headers"
            ),
            DecodeError::UnknownHeaderType { name, type_code } => write!(
                f,
                "header {name:?} has the unknown value type {type_code} (the types are 0 to 9)"
            ),
            DecodeError::HeaderStringNotUtf8 { name } => {
                write!(f, "the string value of header {name:?} is not UTF-8")
            }
            DecodeError::DuplicateHeader { name } => {
                write!(f, "header {name:?} appears more than once in a message")
            }
        }
    }
}

impl std::error::Error for DecodeError {}

/// Why a message cannot be written: it would not be one that a service
/// accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum EncodeError {
    /// A header's name is empty.
    EmptyHeaderName,
    /// A header's name is over 255 bytes.
    HeaderNameTooLong { len: usize },
    /// A string or byte-array value is over 32,767 bytes.
    HeaderValueTooLong { name: String, len: usize },
    /// A timestamp is beyond what 64 bits of milliseconds hold.
    TimestampOutOfRange { name: String },
    /// Two headers have the same name.
    DuplicateHeader { name: String },
    /// The headers take more than 128 KiB.
    HeadersTooLarge { len: usize, max: usize },
    /// The payload is over 24 MiB.
    PayloadTooLarge { len: usize, max: usize },
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("event stream: ")?;
        match self {
            EncodeError::EmptyHeaderName => f.write_str("a header name is empty"),
            EncodeError::HeaderNameTooLong { len } => {
                write!(f, "a header name of {len} bytes is longer than 255")
            }
            EncodeError::HeaderValueTooLong { name, len } => write!(
                f,
                "the value of header {name:?} is {len} bytes, more than {}",
                super::MAX_HEADER_VALUE_LEN
            ),
            EncodeError::TimestampOutOfRange { name } => write!(
                f,
                "the timestamp of header {name:?} is beyond 64 bits of milliseconds"
            ),
            EncodeError::DuplicateHeader { name } => {
                write!(f, "header {name:?} is set more than once")
            }
            EncodeError::HeadersTooLarge { len, max } => {
                write!(f, "the headers take {len} bytes, more than {max}")
            }
            EncodeError::PayloadTooLarge { len, max } => {
                write!(f, "a payload of {len} bytes is more than {max}")
            }
        }
    }
}

impl std::error::Error for EncodeError {}

/// Why a well-formed message cannot be routed: its routing headers are
/// missing, of the wrong type, or name a kind of message that the format
/// does not have.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RouteError {
    /// A header that routing needs is absent.
    MissingHeader {
        header: &'static str,
        message_type: Option<String>,
    },
    /// A routing header is not a string.
    NotAString {
        header: &'static str,
        found: &'static str,
    },
    /// `:message-type` is none of `event`, `exception` and `error`.
    UnknownMessageType { message_type: String },
}

impl fmt::Display for RouteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("event stream: ")?;
        match self {
            RouteError::MissingHeader {
                header,
                message_type: Some(kind),
            } => write!(f, "a message of type {kind:?} has no {header} header"),
            RouteError::MissingHeader {
                header,
                message_type: None,
            } => write!(f, "a message has no {header} header"),
            RouteError::NotAString { header, found } => {
                write!(f, "the {header} header is of type {found}, not string")
            }
            RouteError::UnknownMessageType { message_type } => write!(
                f,
                "unknown message type {message_type:?} (expected event, exception or error)"
            ),
        }
    }
}

impl std::error::Error for RouteError {}
