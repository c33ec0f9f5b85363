//! Bedrock Runtime's ConverseStream (`POST /model/{id}/converse-stream`):
//! a 200 `application/vnd.amazon.eventstream` body of a `messageStart`,
//! [`DELTAS`] small `contentBlockDelta` events, a `contentBlockStop`, a
//! `messageStop` and the `metadata`, framed as Bedrock frames them (string
//! headers `:event-type`, `:content-type` and `:message-type`, a JSON
//! payload with the padding field `p`). The frames are made once at start
//! and sent one per HTTP chunk, with no length, so that every client reads
//! the reply as a stream.
//!
//! The frames are written here from the format's definition (prelude,
//! headers, payload, two CRC32s), not with any client's encoder: the mock
//! must not share code with a client under test.

use bytes::{BufMut, Bytes, BytesMut};
use hyper::body::{Body, Frame};
use std::convert::Infallible;
use std::pin::Pin;
use std::sync::LazyLock;
use std::task::{Context, Poll};

/// Text deltas in one reply.
pub const DELTAS: usize = 10_000;

/// Events in one reply: the deltas and the four around them.
pub const EVENTS: usize = DELTAS + 4;

/// The content type of an event stream.
pub const CONTENT_TYPE: &str = "application/vnd.amazon.eventstream";

/// What a model says, a word or two per delta as a model streams tokens;
/// one is not ASCII, so that a client counting characters instead of bytes
/// is caught.
const WORDS: [&str; 8] = [
    "The",
    " quick",
    " brown",
    " fox",
    " jumps over",
    " the lazy",
    " dög",
    ".\n",
];

/// Bedrock pads each event with a field `p` of random length, so that
/// event sizes do not tell the tokens; here its length cycles.
const PADDING: &str = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/// The frames of one reply, in order.
pub static REPLY: LazyLock<Vec<Bytes>> = LazyLock::new(|| {
    let mut frames = Vec::with_capacity(EVENTS);
    frames.push(event(
        "messageStart",
        r#"{"p":"abcdefghijk","role":"assistant"}"#,
    ));
    for i in 0..DELTAS {
        let text = serde_json::to_string(WORDS[i % WORDS.len()]).expect("JSON");
        let p = &PADDING[..1 + (i * 7) % PADDING.len()];
        frames.push(event(
            "contentBlockDelta",
            &format!(r#"{{"contentBlockIndex":0,"delta":{{"text":{text}}},"p":"{p}"}}"#),
        ));
    }
    frames.push(event(
        "contentBlockStop",
        r#"{"contentBlockIndex":0,"p":"abcdefghijklmnopq"}"#,
    ));
    frames.push(event(
        "messageStop",
        r#"{"p":"abcdefghijklmnopqrstu","stopReason":"end_turn"}"#,
    ));
    frames.push(event(
        "metadata",
        &format!(
            r#"{{"metrics":{{"latencyMs":8123}},"p":"abcdef","usage":{{"inputTokens":12,"outputTokens":{DELTAS},"totalTokens":{}}}}}"#,
            DELTAS + 12
        ),
    ));
    frames
});

/// The bytes of text all the deltas of a reply carry together.
pub fn text_bytes() -> usize {
    (0..DELTAS).map(|i| WORDS[i % WORDS.len()].len()).sum()
}

/// Whether a request is a ConverseStream call.
pub fn is_converse_stream(method: &hyper::Method, path: &str) -> bool {
    method == hyper::Method::POST
        && path
            .strip_prefix("/model/")
            .and_then(|rest| rest.strip_suffix("/converse-stream"))
            .is_some_and(|id| !id.is_empty() && !id.contains('/'))
}

/// The 200 that starts a reply; its body is [`Events`].
pub fn response() -> hyper::Response<Events> {
    hyper::Response::builder()
        .status(200)
        .header("content-type", CONTENT_TYPE)
        .header("x-amzn-requestid", "mock-request-id")
        .body(Events { next: 0 })
        .expect("a valid response")
}

/// The body of a reply: [`REPLY`]'s frames, one per data frame, with no
/// size hint, so that HTTP/1.1 sends it chunked.
pub struct Events {
    next: usize,
}

impl Body for Events {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        let frame = REPLY.get(self.next).cloned();
        self.next += 1;
        Poll::Ready(frame.map(|bytes| Ok(Frame::data(bytes))))
    }

    fn is_end_stream(&self) -> bool {
        self.next >= REPLY.len()
    }
}

/// One `event` message with a JSON payload.
fn event(event_type: &str, json: &str) -> Bytes {
    frame(
        &[
            (":event-type", event_type),
            (":content-type", "application/json"),
            (":message-type", "event"),
        ],
        json.as_bytes(),
    )
}

/// A message with string headers (type 7): a 12-byte prelude (total length,
/// headers length, CRC32 of the two), the headers, the payload, and the
/// CRC32 of all that came before.
fn frame(headers: &[(&str, &str)], payload: &[u8]) -> Bytes {
    let mut encoded = BytesMut::new();
    for (name, value) in headers {
        encoded.put_u8(u8::try_from(name.len()).expect("a short header name"));
        encoded.put_slice(name.as_bytes());
        encoded.put_u8(7);
        encoded.put_u16(u16::try_from(value.len()).expect("a short header value"));
        encoded.put_slice(value.as_bytes());
    }
    let total = 12 + encoded.len() + payload.len() + 4;
    let mut out = BytesMut::with_capacity(total);
    out.put_u32(u32::try_from(total).expect("a small message"));
    out.put_u32(u32::try_from(encoded.len()).expect("small headers"));
    out.put_u32(crc32fast::hash(&out[..8]));
    out.put_slice(&encoded);
    out.put_slice(payload);
    out.put_u32(crc32fast::hash(&out));
    out.freeze()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The AWS event-stream test suite's `payload_no_headers` frame
    /// (awslabs/aws-c-event-stream), byte for byte.
    #[test]
    fn a_frame_is_laid_out_as_the_format_says() {
        let bytes = frame(&[], br#"{'foo':'bar'}"#);
        assert_eq!(
            &bytes[..],
            b"\x00\x00\x00\x1d\x00\x00\x00\x00\xfd\x52\x8c\x5a{'foo':'bar'}\xc3\x65\x39\x36"
        );
    }

    #[test]
    fn a_reply_is_a_start_the_deltas_and_the_end() {
        assert_eq!(REPLY.len(), EVENTS);
        let delta = String::from_utf8_lossy(&REPLY[1]);
        assert!(delta.contains(":event-type") && delta.contains("contentBlockDelta"));
        assert!(delta.contains(r#""delta":{"text":"The"}"#), "{delta}");
        assert!(String::from_utf8_lossy(&REPLY[EVENTS - 1]).contains("outputTokens"));
        assert_eq!(
            text_bytes(),
            (0..DELTAS).map(|i| WORDS[i % 8].len()).sum::<usize>()
        );
    }

    #[test]
    fn only_converse_stream_paths_are_routed_here() {
        let post = hyper::Method::POST;
        assert!(is_converse_stream(
            &post,
            "/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse-stream"
        ));
        assert!(!is_converse_stream(&post, "/model//converse-stream"));
        assert!(!is_converse_stream(&post, "/model/a/converse"));
        assert!(!is_converse_stream(
            &hyper::Method::GET,
            "/model/a/converse-stream"
        ));
    }
}
