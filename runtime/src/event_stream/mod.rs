//! The `application/vnd.amazon.eventstream` message format: the frames in
//! which AWS services stream events (Bedrock `ConverseStream`, Lambda
//! `InvokeWithResponseStream`, Kinesis `SubscribeToShard`, ...) and in
//! which clients send input events.
//!
//! A message is a 12-byte prelude (total length, headers length, CRC32 of
//! those 8 bytes), typed headers, a payload, and a CRC32 of everything
//! before it. This module knows the frame and the routing headers every
//! AWS protocol shares (`:message-type`, `:event-type`, ...), and nothing
//! of JSON, XML or a model: the generated code reads the payload.
//!
//! - [`Decoder`] takes a body's bytes in chunks of any size and yields
//!   [`Message`]s; [`decode_message`] reads one whole message.
//! - [`encode`] and [`encode_into`] frame a message for an input stream;
//!   [`encode_headers`] gives the header bytes alone, which event signing
//!   hashes.
//! - [`Message::route`] says what a message is: an event, a modeled
//!   exception or an unmodeled error ([`Routed`]).
//! - [`EventReceiver`] reads an operation's output stream as it arrives,
//!   with the typed readers its generated code gives ([`EventReaders`],
//!   [`member`]).
//!
//! The format is specified in the Smithy documentation, "Amazon Event
//! Stream Specification" (<https://smithy.io/2.0/aws/amazon-eventstream.html>).

mod decode;
mod encode;
mod error;
mod header;
mod header_wire;
pub mod member;
mod message;
mod read_ahead;
mod receiver;
mod route;
mod sender;
mod shared_str;
mod sign;

#[cfg(test)]
mod tests;

pub use decode::{decode_message, Decoder};
pub use encode::{encode, encode_headers, encode_into};
pub use error::{DecodeError, EncodeError, RouteError};
pub use header::{Header, HeaderValue};
pub use message::Message;
pub use receiver::{EventReaders, EventReceiver};
pub use route::Routed;
pub use sender::{EventSender, MessageStream, SignedEvents};
pub use shared_str::SharedStr;
pub use sign::{MessageSigner, MessageVerifier, SignError, VerifyError};

/// The largest headers section, in bytes: 128 KiB. The Smithy
/// specification sets it (a service rejects more), botocore's decoder
/// (`_MAX_HEADERS_LENGTH`) and the AWS SDK for Go's agree. The encoder
/// refuses more, so that a message fails here rather than at the service;
/// the decoder refuses more too, because the headers of one section are
/// held decoded at once (at least 3 bytes each on the wire, a few dozen in
/// memory), so this bounds that memory.
pub const MAX_HEADERS_LEN: usize = 128 * 1024;

/// The largest payload, in bytes: 24 MiB, as the Smithy specification and
/// botocore's decoder (`_MAX_PAYLOAD_LENGTH`) say. (The AWS SDK for Go v1
/// and the Java SDK's decoder stop at 16 MiB, an older figure.) The
/// specification asks clients not to enforce it, so that services may
/// raise it later; the decoder still needs a bound on what one message
/// makes it buffer, so this is its default, which
/// [`Decoder::with_max_payload_len`] raises.
pub const MAX_PAYLOAD_LEN: usize = 24 * 1024 * 1024;

/// The longest `byte_array` or `string` header value the encoder writes:
/// the specification's `data<1..2^15-1>`. The decoder reads what the
/// 16-bit length prefix can say (65,535).
pub const MAX_HEADER_VALUE_LEN: usize = (1 << 15) - 1;

/// The longest header name, in bytes: its length prefix is one byte.
pub const MAX_HEADER_NAME_LEN: usize = u8::MAX as usize;

/// The prelude: total length, headers length, their CRC32.
const PRELUDE_LEN: usize = 12;

/// What framing alone takes: the prelude and the message CRC32.
const OVERHEAD_LEN: usize = PRELUDE_LEN + 4;

/// The media type of an event stream body.
pub const CONTENT_TYPE: &str = "application/vnd.amazon.eventstream";
