//! The aws-chunked encoding of a request body with its checksum in a
//! trailer (`STREAMING-UNSIGNED-PAYLOAD-TRAILER`): each chunk is its
//! length in hex, CRLF, its bytes, CRLF; then a zero-length chunk, the
//! trailer line and a blank line.
//!
//! ```text
//! 10000\r\n<65536 bytes>\r\n ... 5\r\n<5 bytes>\r\n0\r\nx-amz-checksum-crc32:i9aeUg==\r\n\r\n
//! ```
//!
//! For a body of known length every chunk is [`CHUNK_SIZE`] bytes but the
//! last, so the encoded length is known before the first byte is read and
//! is sent as `Content-Length`. The body's own frames pass through
//! without a copy: a chunk's header is written when it starts, and its
//! bytes follow as they come, however the body cuts them.

use super::{ChecksumAlgorithm, Checksummer};
use crate::body::{BoxError, SdkBody};
use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};
use std::fmt;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

/// The decoded bytes of every chunk but the last. S3 wants at least 8 KiB;
/// 64 KiB, as the other SDKs frame it; a file read arrives in four.
pub const CHUNK_SIZE: u64 = 64 * 1024;

/// The length of the encoding of `decoded` bytes with `algorithm`'s
/// trailer.
pub fn encoded_length(decoded: u64, algorithm: ChecksumAlgorithm) -> u64 {
    let chunk = |len: u64| hex_len(len) + 2 + len + 2;
    let full = decoded / CHUNK_SIZE;
    let rest = decoded % CHUNK_SIZE;
    let trailer = algorithm.header_name().len() + 1 + algorithm.base64_len() + 2;
    full * chunk(CHUNK_SIZE)
        + if rest > 0 { chunk(rest) } else { 0 }
        + 3 // "0\r\n"
        + trailer as u64
        + 2
}

fn hex_len(n: u64) -> u64 {
    u64::from(64 - n.leading_zeros()).div_ceil(4).max(1)
}

/// A body sent aws-chunked, its checksum computed as it goes.
pub struct AwsChunkedBody {
    inner: SdkBody,
    checksum: Option<Checksummer>,
    /// Decoded bytes still to come, when the length is known.
    remaining: Option<u64>,
    /// Bytes of the current chunk still to come (known length only).
    in_chunk: u64,
    /// A frame of the inner body not yet passed on in full.
    pending: Option<Bytes>,
    /// The CRLF that ends a chunk is owed, and goes out with what follows.
    owe_crlf: bool,
    done: bool,
    /// Encoded bytes still to send, when the length is known.
    encoded_remaining: Option<u64>,
}

impl AwsChunkedBody {
    /// `decoded_length`: the body's length if known (then chunks are of
    /// [`CHUNK_SIZE`] and a body that is longer or shorter is an error);
    /// with none, each frame of the body is a chunk, and the transport
    /// sends the whole with `Transfer-Encoding: chunked`.
    pub fn new(
        inner: SdkBody,
        algorithm: ChecksumAlgorithm,
        decoded_length: Option<u64>,
    ) -> AwsChunkedBody {
        AwsChunkedBody {
            inner,
            checksum: Some(algorithm.hasher()),
            remaining: decoded_length,
            in_chunk: 0,
            pending: None,
            owe_crlf: false,
            done: false,
            encoded_remaining: decoded_length.map(|len| encoded_length(len, algorithm)),
        }
    }

    fn header(&mut self, len: u64) -> Bytes {
        let crlf = if std::mem::take(&mut self.owe_crlf) {
            "\r\n"
        } else {
            ""
        };
        Bytes::from(format!("{crlf}{len:x}\r\n"))
    }

    /// The end: a zero chunk, and the trailer with the checksum.
    fn trailer(&mut self) -> Bytes {
        let crlf = if std::mem::take(&mut self.owe_crlf) {
            "\r\n"
        } else {
            ""
        };
        self.done = true;
        match self.checksum.take() {
            Some(checksum) => {
                let name = checksum.algorithm().header_name();
                let value = checksum.finish();
                Bytes::from(format!("{crlf}0\r\n{name}:{value}\r\n\r\n"))
            }
            None => Bytes::from(format!("{crlf}0\r\n\r\n")),
        }
    }

    fn feed(&mut self, bytes: &[u8]) {
        if let Some(checksum) = &mut self.checksum {
            checksum.update(bytes);
        }
    }

    /// Known length: the next frame, cut at chunk boundaries.
    fn poll_sized(
        &mut self,
        cx: &mut Context<'_>,
        remaining: u64,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        if self.in_chunk == 0 {
            if remaining == 0 {
                // Nothing may follow the promised length: neither the rest
                // of the frame that reached it, nor another frame.
                if self.pending.take().is_some_and(|rest| !rest.is_empty()) {
                    self.done = true;
                    return Poll::Ready(Some(Err(LengthMismatch::Longer.into())));
                }
                return match ready!(self.poll_inner(cx)) {
                    Some(Ok(extra)) if !extra.is_empty() => {
                        self.done = true;
                        Poll::Ready(Some(Err(LengthMismatch::Longer.into())))
                    }
                    Some(Ok(_)) => Poll::Ready(Some(Ok(Frame::data(Bytes::new())))),
                    Some(Err(e)) => Poll::Ready(Some(Err(e))),
                    None => Poll::Ready(Some(Ok(Frame::data(self.trailer())))),
                };
            }
            let len = remaining.min(CHUNK_SIZE);
            self.in_chunk = len;
            return Poll::Ready(Some(Ok(Frame::data(self.header(len)))));
        }
        let mut data = match self.pending.take() {
            Some(data) => data,
            None => match ready!(self.poll_inner(cx)) {
                Some(Ok(data)) => data,
                Some(Err(e)) => return Poll::Ready(Some(Err(e))),
                None => {
                    self.done = true;
                    return Poll::Ready(Some(Err(LengthMismatch::Shorter(remaining).into())));
                }
            },
        };
        let take = (data.len() as u64).min(self.in_chunk) as usize;
        if take < data.len() {
            self.pending = Some(data.split_off(take));
        }
        self.feed(&data);
        self.in_chunk -= take as u64;
        self.remaining = Some(remaining - take as u64);
        if self.in_chunk == 0 {
            self.owe_crlf = true;
        }
        Poll::Ready(Some(Ok(Frame::data(data))))
    }

    /// Unknown length: each frame of the body is a chunk.
    fn poll_unsized(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        if let Some(data) = self.pending.take() {
            self.feed(&data);
            self.owe_crlf = true;
            return Poll::Ready(Some(Ok(Frame::data(data))));
        }
        match ready!(self.poll_inner(cx)) {
            Some(Ok(data)) if data.is_empty() => Poll::Ready(Some(Ok(Frame::data(data)))),
            Some(Ok(data)) => {
                let header = self.header(data.len() as u64);
                self.pending = Some(data);
                Poll::Ready(Some(Ok(Frame::data(header))))
            }
            Some(Err(e)) => Poll::Ready(Some(Err(e))),
            None => Poll::Ready(Some(Ok(Frame::data(self.trailer())))),
        }
    }

    /// The inner body's next data, trailers skipped (a request body has
    /// none of its own).
    fn poll_inner(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Bytes, BoxError>>> {
        loop {
            match ready!(Pin::new(&mut self.inner).poll_frame(cx)) {
                Some(Ok(frame)) => {
                    if let Ok(data) = frame.into_data() {
                        return Poll::Ready(Some(Ok(data)));
                    }
                }
                Some(Err(e)) => return Poll::Ready(Some(Err(e))),
                None => return Poll::Ready(None),
            }
        }
    }
}

impl Body for AwsChunkedBody {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let this = self.get_mut();
        if this.done {
            return Poll::Ready(None);
        }
        let polled = match this.remaining {
            Some(remaining) => this.poll_sized(cx, remaining),
            None => this.poll_unsized(cx),
        };
        if let (Poll::Ready(Some(Ok(frame))), Some(left)) = (&polled, &mut this.encoded_remaining) {
            let sent = frame.data_ref().map_or(0, |d| d.len() as u64);
            *left = left.saturating_sub(sent);
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.done
    }

    fn size_hint(&self) -> SizeHint {
        match self.encoded_remaining {
            Some(left) => SizeHint::with_exact(left),
            None => SizeHint::default(),
        }
    }
}

impl fmt::Debug for AwsChunkedBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AwsChunkedBody")
            .field("inner", &self.inner)
            .field("remaining", &self.remaining)
            .finish_non_exhaustive()
    }
}

/// A body that was not the length it was said to be: sending it on would
/// make a message the service cannot frame.
#[derive(Debug)]
enum LengthMismatch {
    Longer,
    Shorter(u64),
}

impl fmt::Display for LengthMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LengthMismatch::Longer => f.write_str("the request body is longer than its length"),
            LengthMismatch::Shorter(n) => {
                write!(f, "the request body ended {n} bytes short of its length")
            }
        }
    }
}

impl std::error::Error for LengthMismatch {}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::BodyExt;

    async fn encode(body: SdkBody, len: Option<u64>) -> Result<Vec<u8>, BoxError> {
        let mut chunked = AwsChunkedBody::new(body, ChecksumAlgorithm::Crc32, len);
        let mut out = Vec::new();
        while let Some(frame) = chunked.frame().await {
            out.extend_from_slice(&frame?.into_data().unwrap());
        }
        Ok(out)
    }

    /// A body that yields the given frames, of unknown length.
    fn frames(parts: &[&'static [u8]]) -> SdkBody {
        let stream =
            futures_util_free::Frames(parts.iter().map(|p| Bytes::from_static(p)).collect());
        SdkBody::from_body(stream)
    }

    mod futures_util_free {
        use super::*;
        pub struct Frames(pub std::collections::VecDeque<Bytes>);
        impl Body for Frames {
            type Data = Bytes;
            type Error = std::convert::Infallible;
            fn poll_frame(
                self: Pin<&mut Self>,
                _: &mut Context<'_>,
            ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
                Poll::Ready(self.get_mut().0.pop_front().map(|b| Ok(Frame::data(b))))
            }
        }
    }

    #[tokio::test]
    async fn hello_world_byte_for_byte() {
        let out = encode(SdkBody::from_bytes("Hello world"), Some(11))
            .await
            .unwrap();
        let expected = "b\r\nHello world\r\n0\r\nx-amz-checksum-crc32:i9aeUg==\r\n\r\n";
        assert_eq!(String::from_utf8(out).unwrap(), expected);
        assert_eq!(
            encoded_length(11, ChecksumAlgorithm::Crc32),
            expected.len() as u64
        );
        // Unknown length: a chunk per frame, the same checksum.
        let out = encode(frames(&[b"Hello", b"", b" world"]), None)
            .await
            .unwrap();
        let expected = "5\r\nHello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:i9aeUg==\r\n\r\n";
        assert_eq!(String::from_utf8(out).unwrap(), expected);
    }

    #[tokio::test]
    async fn an_empty_body_is_its_trailer() {
        let out = encode(SdkBody::empty(), Some(0)).await.unwrap();
        let expected = "0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n";
        assert_eq!(String::from_utf8(out).unwrap(), expected);
        assert_eq!(
            encoded_length(0, ChecksumAlgorithm::Crc32),
            expected.len() as u64
        );
    }

    /// Frames cut anywhere become chunks of exactly CHUNK_SIZE, and the
    /// length is the one predicted.
    #[tokio::test]
    async fn chunks_are_cut_at_their_size_whatever_the_frames() {
        let data: Vec<u8> = (0..(2 * CHUNK_SIZE + 1000))
            .map(|i| (i % 251) as u8)
            .collect();
        let data: &'static [u8] = Box::leak(data.into_boxed_slice());
        let cuts: [&[u8]; 4] = [
            &data[..1],
            &data[1..70_000],
            &data[70_000..131_072],
            &data[131_072..],
        ];
        for algorithm in ChecksumAlgorithm::PRIORITY {
            let mut chunked =
                AwsChunkedBody::new(frames(&cuts), algorithm, Some(data.len() as u64));
            let mut out = Vec::new();
            while let Some(frame) = chunked.frame().await {
                out.extend_from_slice(&frame.unwrap().into_data().unwrap());
            }
            assert_eq!(
                out.len() as u64,
                encoded_length(data.len() as u64, algorithm),
                "{algorithm}"
            );
            let (decoded, trailer) = decode(&out);
            assert_eq!(decoded, data);
            assert_eq!(
                trailer,
                format!("{}:{}", algorithm.header_name(), algorithm.checksum(data))
            );
        }
    }

    #[tokio::test]
    async fn a_body_of_the_wrong_length_fails() {
        let err = encode(SdkBody::from_bytes("Hello"), Some(11))
            .await
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "the request body ended 6 bytes short of its length"
        );
        let err = encode(frames(&[b"Hello", b" world"]), Some(5))
            .await
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "the request body is longer than its length"
        );
        // The extra bytes in the frame that reached the length (found by
        // the `aws_chunked` fuzz target).
        let err = encode(frames(&[b"Hello world"]), Some(5))
            .await
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "the request body is longer than its length"
        );
    }

    #[test]
    fn hex_lengths() {
        assert_eq!(hex_len(0), 1);
        assert_eq!(hex_len(15), 1);
        assert_eq!(hex_len(16), 2);
        assert_eq!(hex_len(CHUNK_SIZE), 5);
        assert_eq!(hex_len(u64::MAX), 16);
    }

    /// A decoder written from the format, independent of the encoder: the
    /// chunks' bytes, and the trailer line.
    fn decode(mut wire: &[u8]) -> (Vec<u8>, String) {
        let mut out = Vec::new();
        loop {
            let line_end = wire.windows(2).position(|w| w == b"\r\n").unwrap();
            let len =
                usize::from_str_radix(std::str::from_utf8(&wire[..line_end]).unwrap(), 16).unwrap();
            wire = &wire[line_end + 2..];
            if len == 0 {
                let end = wire.windows(2).position(|w| w == b"\r\n").unwrap();
                let trailer = String::from_utf8(wire[..end].to_vec()).unwrap();
                assert_eq!(&wire[end..], b"\r\n\r\n");
                return (out, trailer);
            }
            if len != CHUNK_SIZE as usize {
                // Only the last chunk may be shorter.
                assert_eq!(&wire[len + 2..len + 3], b"0");
            }
            out.extend_from_slice(&wire[..len]);
            assert_eq!(&wire[len..len + 2], b"\r\n");
            wire = &wire[len + 2..];
        }
    }
}
