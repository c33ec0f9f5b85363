//! [`Message`]: one frame's headers and payload.

use super::{Header, HeaderValue, SharedStr};
use bytes::Bytes;
use std::fmt;

/// One message of an event stream: headers, in the order they came or
/// were added, and a payload.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Message {
    headers: Vec<Header>,
    payload: Bytes,
}

impl Message {
    /// A message with this payload and no headers yet.
    pub fn new(payload: impl Into<Bytes>) -> Self {
        Message {
            headers: Vec::new(),
            payload: payload.into(),
        }
    }

    /// A message of these parts, as [`into_parts`](Self::into_parts) gives
    /// them.
    pub fn from_parts(headers: Vec<Header>, payload: Bytes) -> Self {
        Message { headers, payload }
    }

    /// The message with one more header. Names are checked (present once,
    /// 1 to 255 bytes) when it is encoded.
    pub fn header(mut self, name: impl Into<SharedStr>, value: impl Into<HeaderValue>) -> Self {
        self.headers.push(Header::new(name, value));
        self
    }

    /// Adds a header.
    pub fn push_header(&mut self, header: Header) {
        self.headers.push(header);
    }

    pub fn headers(&self) -> &[Header] {
        &self.headers
    }

    /// The value of the header named `name` (names are case-sensitive).
    pub fn get(&self, name: &str) -> Option<&HeaderValue> {
        self.headers
            .iter()
            .find(|h| h.name_bytes() == name.as_bytes())
            .map(Header::value)
    }

    pub fn payload(&self) -> &Bytes {
        &self.payload
    }

    pub fn into_parts(self) -> (Vec<Header>, Bytes) {
        (self.headers, self.payload)
    }
}

/// Headers in full; the payload by its length only, since events carry
/// users' data (prompts, replies, records) that has no place in a log.
impl fmt::Debug for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Message")
            .field("headers", &self.headers)
            .field("payload", &format_args!("{} bytes", self.payload.len()))
            .finish()
    }
}
