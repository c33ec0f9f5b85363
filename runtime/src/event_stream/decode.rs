//! Bytes to messages: [`Decoder`] for a body that arrives in chunks,
//! [`decode_message`] for one message held whole.

use super::error::DecodeError;
use super::header_wire::HeaderReader;
use super::{Message, MAX_HEADERS_LEN, MAX_PAYLOAD_LEN, OVERHEAD_LEN, PRELUDE_LEN};
use bytes::{Buf, Bytes, BytesMut};
use std::fmt;

/// Reads messages from a body that arrives in chunks of any size: push
/// each chunk, then take the messages it completed.
///
/// ```
/// # use sdkgen_runtime::event_stream::{encode, Decoder, Message};
/// let frame = encode(&Message::new("hi").header(":event-type", "chunk")).unwrap();
/// let mut decoder = Decoder::new();
/// let mut messages = Vec::new();
/// for chunk in frame.chunks(5) {
///     decoder.push(chunk);
///     while let Some(message) = decoder.next_message().unwrap() {
///         messages.push(message);
///     }
/// }
/// decoder.end();
/// assert_eq!(decoder.next_message(), Ok(None));
/// assert_eq!(&messages[0].payload()[..], b"hi");
/// ```
///
/// No length is believed before the prelude's CRC32 vouches for it, and no
/// header before the message's CRC32 does: damaged bytes give an error,
/// never a read out of bounds or an allocation the size of a corrupt
/// length. The buffer holds at most one message (128 KiB of headers and
/// the payload limit, 24 MiB by default) and the chunk that completed it,
/// and grows only as bytes arrive.
///
/// A chunk given as [`Bytes`] ([`push_chunk`](Self::push_chunk)) is not
/// copied: the messages it holds whole are slices of it. Only a message
/// that spans chunks is gathered into a buffer of the decoder's own.
pub struct Decoder {
    /// The rest of the last chunk pushed as `Bytes`; while it is not
    /// empty, `buf` is.
    head: Bytes,
    /// A message that spans chunks, as far as it has arrived.
    buf: BytesMut,
    /// The checked prelude of the message being buffered.
    pending: Option<Prelude>,
    max_payload_len: usize,
    /// Reads headers sections: strings the stream's model knows (its event
    /// and exception types) are decoded as static strings as the common
    /// ones are, and a repeated section is not parsed again.
    headers: HeaderReader,
    ended: bool,
    /// The first error, which every later call repeats.
    failed: Option<DecodeError>,
}

#[derive(Debug, Clone, Copy)]
struct Prelude {
    total_len: usize,
    headers_len: usize,
}

/// The state, not the buffered bytes: they are users' data.
impl fmt::Debug for Decoder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Decoder")
            .field("buffered", &(self.head.len() + self.buf.len()))
            .field("max_payload_len", &self.max_payload_len)
            .field("ended", &self.ended)
            .field("failed", &self.failed)
            .finish()
    }
}

impl Default for Decoder {
    fn default() -> Self {
        Decoder::new()
    }
}

impl Decoder {
    /// A decoder with the payload limit of the specification (24 MiB).
    pub fn new() -> Self {
        Decoder {
            head: Bytes::new(),
            buf: BytesMut::new(),
            pending: None,
            max_payload_len: MAX_PAYLOAD_LEN,
            headers: HeaderReader::default(),
            ended: false,
            failed: None,
        }
    }

    /// The same decoder with another payload limit: for a service that
    /// sends larger events than the specification allows today.
    pub fn with_max_payload_len(mut self, max: usize) -> Self {
        self.max_payload_len = max;
        self
    }

    /// The same decoder taking these header strings (the event and
    /// exception types a model names) as static strings when they come:
    /// no share of the frame's buffer and no second UTF-8 check each time
    /// a message is routed.
    pub fn with_names(mut self, names: &'static [&'static str]) -> Self {
        self.headers = HeaderReader::new(names);
        self
    }

    /// Adds the next bytes of the stream. Bytes pushed after an error or
    /// after [`end`](Self::end) are dropped.
    pub fn push(&mut self, bytes: &[u8]) {
        if self.failed.is_none() && !self.ended {
            self.gather_head();
            self.buf.extend_from_slice(bytes);
        }
    }

    /// As [`push`](Self::push), without copying: the messages `chunk`
    /// holds whole share its buffer. What a response body gives.
    pub fn push_chunk(&mut self, chunk: Bytes) {
        if self.failed.is_none() && !self.ended {
            if self.head.is_empty() && self.buf.is_empty() {
                self.head = chunk;
            } else {
                self.gather_head();
                self.buf.extend_from_slice(&chunk);
            }
        }
    }

    /// Moves what is left of the last chunk into the buffer, where the
    /// next bytes join it.
    fn gather_head(&mut self) {
        if !self.head.is_empty() {
            self.buf.extend_from_slice(&std::mem::take(&mut self.head));
        }
    }

    /// Says that the stream is over: [`next_message`](Self::next_message)
    /// then gives the messages still buffered, an error if a message was
    /// cut short, and `None`.
    pub fn end(&mut self) {
        self.ended = true;
    }

    /// Whether [`end`](Self::end) was called: a `None` from
    /// [`next_message`](Self::next_message) then means the stream is over
    /// rather than that more bytes are needed.
    pub fn is_ended(&self) -> bool {
        self.ended
    }

    /// The next whole message, or `None` until more bytes arrive (or,
    /// after [`end`](Self::end), at the end of the stream).
    pub fn next_message(&mut self) -> Result<Option<Message>, DecodeError> {
        if let Some(error) = &self.failed {
            return Err(error.clone());
        }
        let result = self.read_next();
        if let Err(error) = &result {
            self.failed = Some(error.clone());
            self.head = Bytes::new();
            self.buf = BytesMut::new();
            self.pending = None;
        }
        result
    }

    fn read_next(&mut self) -> Result<Option<Message>, DecodeError> {
        if !self.head.is_empty() {
            if let Some(head) = self.head.get(..PRELUDE_LEN) {
                let prelude = read_prelude(head, self.max_payload_len)?;
                if self.head.len() >= prelude.total_len {
                    let frame = if self.head.len() == prelude.total_len {
                        // The chunk is this one message, as servers
                        // usually send them.
                        std::mem::take(&mut self.head)
                    } else {
                        self.head.split_to(prelude.total_len)
                    };
                    return read_frame(frame, prelude, &mut self.headers).map(Some);
                }
                self.pending = Some(prelude);
            }
            // A message that the next chunk continues.
            self.gather_head();
        }
        let prelude = match self.pending {
            Some(prelude) => prelude,
            None => match self.buf.get(..PRELUDE_LEN) {
                Some(head) => {
                    let prelude = read_prelude(head, self.max_payload_len)?;
                    self.pending = Some(prelude);
                    prelude
                }
                None => return self.at_end(None),
            },
        };
        if self.buf.len() < prelude.total_len {
            // No room is reserved for the rest: memory follows the bytes
            // that arrived, not the length a prelude announced.
            return self.at_end(Some(prelude.total_len));
        }
        self.pending = None;
        let frame = self.buf.split_to(prelude.total_len).freeze();
        read_frame(frame, prelude, &mut self.headers).map(Some)
    }

    /// `None` while more bytes may come; at the end of the stream, an
    /// error if part of a message is left.
    fn at_end(&self, total_len: Option<usize>) -> Result<Option<Message>, DecodeError> {
        if !self.ended || self.buf.is_empty() {
            return Ok(None);
        }
        Err(DecodeError::Truncated {
            buffered: self.buf.len(),
            total_length: total_len.map(|len| len as u32),
        })
    }
}

/// Reads exactly one message: `bytes` must hold it whole and nothing else.
/// The payload limit is the specification's.
pub fn decode_message(bytes: Bytes) -> Result<Message, DecodeError> {
    let truncated = |total_length| DecodeError::Truncated {
        buffered: bytes.len(),
        total_length,
    };
    let head = bytes.get(..PRELUDE_LEN).ok_or_else(|| truncated(None))?;
    let prelude = read_prelude(head, MAX_PAYLOAD_LEN)?;
    if bytes.len() < prelude.total_len {
        return Err(truncated(Some(prelude.total_len as u32)));
    }
    let count = bytes.len() - prelude.total_len;
    let message = read_frame(
        bytes.slice(..prelude.total_len),
        prelude,
        &mut HeaderReader::default(),
    )?;
    if count > 0 {
        return Err(DecodeError::TrailingBytes { count });
    }
    Ok(message)
}

/// Checks a prelude: its CRC32 first, and only then its lengths, against
/// each other and the limits.
fn read_prelude(head: &[u8], max_payload_len: usize) -> Result<Prelude, DecodeError> {
    let word = |at: usize| {
        let bytes = head.get(at..at + 4).and_then(|b| b.try_into().ok());
        u32::from_be_bytes(bytes.unwrap_or_default())
    };
    let (total_length, headers_length, sent) = (word(0), word(4), word(8));
    let computed = crc32fast::hash(head.get(..8).unwrap_or_default());
    if sent != computed {
        return Err(DecodeError::PreludeChecksum { sent, computed });
    }
    let total_len = total_length as usize;
    let headers_len = headers_length as usize;
    let Some(room) = total_len.checked_sub(OVERHEAD_LEN) else {
        return Err(DecodeError::TotalLengthTooShort { total_length });
    };
    if headers_len > room {
        return Err(DecodeError::HeadersLengthTooLong {
            headers_length,
            total_length,
        });
    }
    if headers_len > MAX_HEADERS_LEN {
        return Err(DecodeError::HeadersTooLarge {
            headers_length,
            max: MAX_HEADERS_LEN,
        });
    }
    let payload_len = room - headers_len;
    if payload_len > max_payload_len {
        return Err(DecodeError::PayloadTooLarge {
            payload_length: payload_len as u32,
            max: max_payload_len,
        });
    }
    Ok(Prelude {
        total_len,
        headers_len,
    })
}

/// Reads a whole frame whose prelude was checked: the message CRC32, then
/// the headers and the payload, which share the frame's buffer.
fn read_frame(
    frame: Bytes,
    prelude: Prelude,
    headers: &mut HeaderReader,
) -> Result<Message, DecodeError> {
    let crc_at = prelude.total_len - 4;
    let sent = frame
        .get(crc_at..)
        .and_then(|b| b.try_into().ok())
        .map(u32::from_be_bytes)
        .unwrap_or_default();
    let computed = crc32fast::hash(frame.get(..crc_at).unwrap_or_default());
    if sent != computed {
        return Err(DecodeError::MessageChecksum { sent, computed });
    }
    let headers = headers.read(&frame, (PRELUDE_LEN, prelude.headers_len))?;
    // The payload is the frame cut down to it: no share of the buffer
    // taken and dropped.
    let mut payload = frame;
    payload.truncate(crc_at);
    payload.advance(PRELUDE_LEN + prelude.headers_len);
    Ok(Message::decoded(headers, payload))
}
