//! The format's tests: round trips, the botocore suite's event streams,
//! every way to cut a stream into chunks, and every kind of bad input.

mod bad_input;
mod botocore_decoded;
mod botocore_suite;
mod chunking;
mod encoding;
mod receiver;
mod round_trip;
mod sender;

use super::*;
use crate::DateTime;
use bytes::Bytes;

/// A message with one header of every type, at awkward values.
fn every_type() -> Message {
    Message::new(&b"{\"text\":\"h\xc3\xa9llo\"}"[..])
        .header("true", true)
        .header("false", false)
        .header("byte", i8::MIN)
        .header("short", i16::MAX)
        .header("int", -123_456_789i32)
        .header("long", i64::MIN)
        .header("bytes", Bytes::from_static(b"\x00\xffraw"))
        .header("string", "d\u{e9}j\u{e0} vu \u{1f980}")
        .header("timestamp", DateTime::from_millis(1_422_172_800_123))
        .header(
            "uuid",
            HeaderValue::Uuid(*b"\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10"),
        )
}

/// Three messages as one stream: routing headers and a JSON payload, one
/// of every header type, and an empty message.
fn three_messages() -> (Vec<Message>, Vec<u8>) {
    let messages = vec![
        Message::new("{\"delta\":{\"text\":\"Hi\"}}")
            .header(":message-type", "event")
            .header(":event-type", "contentBlockDelta")
            .header(":content-type", "application/json"),
        every_type(),
        Message::default(),
    ];
    let mut stream = Vec::new();
    for message in &messages {
        stream.extend_from_slice(&encode(message).unwrap());
    }
    (messages, stream)
}

/// Everything a decoder makes of `stream` pushed in pieces of these sizes
/// (cycled), up to the first error.
fn decode_in_chunks(stream: &[u8], sizes: &[usize]) -> Result<Vec<Message>, DecodeError> {
    let copied = decode_pushing(stream, sizes, |_| Push::Copy);
    let shared = decode_pushing(stream, sizes, |_| Push::Shared);
    let mixed = decode_pushing(stream, sizes, |i| {
        if i % 2 == 0 {
            Push::Shared
        } else {
            Push::Copy
        }
    });
    assert_eq!(copied, shared, "pushed as slices and as Bytes, {sizes:?}");
    assert_eq!(copied, mixed, "pushed both ways in turn, {sizes:?}");
    copied
}

/// How a test gives the decoder a chunk.
#[derive(Clone, Copy)]
enum Push {
    /// `push`: the decoder copies it.
    Copy,
    /// `push_chunk`: the decoder may keep it.
    Shared,
}

/// Decodes `stream` cut into chunks of `sizes` (cycled), the `i`th chunk
/// given as `how(i)` says.
fn decode_pushing(
    stream: &[u8],
    sizes: &[usize],
    how: impl Fn(usize) -> Push,
) -> Result<Vec<Message>, DecodeError> {
    let mut decoder = Decoder::new();
    let mut messages = Vec::new();
    let mut rest = stream;
    let mut sizes = sizes.iter().cycle();
    let mut i = 0;
    while !rest.is_empty() {
        let size = (*sizes.next().unwrap()).min(rest.len());
        let (chunk, after) = rest.split_at(size);
        match how(i) {
            Push::Copy => decoder.push(chunk),
            Push::Shared => decoder.push_chunk(Bytes::copy_from_slice(chunk)),
        }
        i += 1;
        rest = after;
        while let Some(message) = decoder.next_message()? {
            messages.push(message);
        }
    }
    decoder.end();
    while let Some(message) = decoder.next_message()? {
        messages.push(message);
    }
    Ok(messages)
}

/// A frame around raw header bytes, with both CRCs right: for headers
/// that the encoder would refuse to write.
fn raw_frame(headers: &[u8], payload: &[u8]) -> Vec<u8> {
    let total = 16 + headers.len() + payload.len();
    let mut frame = prelude(total as u32, headers.len() as u32);
    frame.extend_from_slice(headers);
    frame.extend_from_slice(payload);
    let crc = crc32fast::hash(&frame);
    frame.extend_from_slice(&crc.to_be_bytes());
    frame
}

/// A prelude with these lengths and the right CRC.
fn prelude(total: u32, headers: u32) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(12);
    bytes.extend_from_slice(&total.to_be_bytes());
    bytes.extend_from_slice(&headers.to_be_bytes());
    let crc = crc32fast::hash(&bytes);
    bytes.extend_from_slice(&crc.to_be_bytes());
    bytes
}
