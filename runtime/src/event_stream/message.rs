//! [`Message`]: one frame's headers and payload.

use super::{Header, HeaderValue, SharedStr};
use bytes::Bytes;
use std::fmt;
use std::sync::Arc;

/// One message of an event stream: headers, in the order they came or
/// were added, and a payload.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Message {
    headers: Headers,
    payload: Bytes,
}

/// A message's headers: its own, or shared with the messages before it
/// whose headers section was the same bytes (a decoder's repeats; see
/// `header_wire::HeaderReader`), copied only if one is added.
#[derive(Clone, Default)]
pub(super) struct Headers {
    /// Empty while `shared` holds the headers.
    own: Vec<Header>,
    shared: Option<Arc<[Header]>>,
}

impl Headers {
    pub(super) fn own(headers: Vec<Header>) -> Self {
        Headers {
            own: headers,
            shared: None,
        }
    }

    pub(super) fn shared(headers: Arc<[Header]>) -> Self {
        Headers {
            own: Vec::new(),
            shared: Some(headers),
        }
    }

    fn as_slice(&self) -> &[Header] {
        self.shared.as_deref().unwrap_or(&self.own)
    }

    fn to_mut(&mut self) -> &mut Vec<Header> {
        if let Some(shared) = self.shared.take() {
            self.own = shared.to_vec();
        }
        &mut self.own
    }

    fn into_vec(mut self) -> Vec<Header> {
        std::mem::take(self.to_mut())
    }
}

/// The same headers, however they are held.
impl PartialEq for Headers {
    fn eq(&self, other: &Self) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl Eq for Headers {}

impl Message {
    /// A message with this payload and no headers yet.
    pub fn new(payload: impl Into<Bytes>) -> Self {
        Message {
            headers: Headers::default(),
            payload: payload.into(),
        }
    }

    /// A message of these parts, as [`into_parts`](Self::into_parts) gives
    /// them.
    pub fn from_parts(headers: Vec<Header>, payload: Bytes) -> Self {
        Message {
            headers: Headers::own(headers),
            payload,
        }
    }

    /// A decoded message, whose headers may be shared.
    pub(super) fn decoded(headers: Headers, payload: Bytes) -> Self {
        Message { headers, payload }
    }

    /// The message with one more header. Names are checked (present once,
    /// 1 to 255 bytes) when it is encoded.
    pub fn header(mut self, name: impl Into<SharedStr>, value: impl Into<HeaderValue>) -> Self {
        self.headers.to_mut().push(Header::new(name, value));
        self
    }

    /// Adds a header.
    pub fn push_header(&mut self, header: Header) {
        self.headers.to_mut().push(header);
    }

    pub fn headers(&self) -> &[Header] {
        self.headers.as_slice()
    }

    /// The value of the header named `name` (names are case-sensitive).
    pub fn get(&self, name: &str) -> Option<&HeaderValue> {
        // A name decoded as one of the runtime's static strings is usually
        // the very constant asked for: the same address, no comparison.
        let name = name.as_bytes();
        self.headers()
            .iter()
            .find(|h| {
                let own = h.name_bytes();
                own.len() == name.len() && (own.as_ptr() == name.as_ptr() || own == name)
            })
            .map(Header::value)
    }

    pub fn payload(&self) -> &Bytes {
        &self.payload
    }

    pub fn into_parts(self) -> (Vec<Header>, Bytes) {
        (self.headers.into_vec(), self.payload)
    }
}

/// Headers in full; the payload by its length only, since events carry
/// users' data (prompts, replies, records) that has no place in a log.
impl fmt::Debug for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Message")
            .field("headers", &self.headers())
            .field("payload", &format_args!("{} bytes", self.payload.len()))
            .finish()
    }
}
