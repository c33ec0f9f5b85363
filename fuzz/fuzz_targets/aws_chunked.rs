//! The aws-chunked encoder (`sdkgen_runtime::checksum::AwsChunkedBody`)
//! on arbitrary bodies, cut into arbitrary frames, with a declared length
//! that may lie. Layout: byte 0 picks the algorithm; byte 1 how the
//! declared length differs from the body's (0: it is the body's, 1: none
//! is given, else off by `byte - 128`); byte 2 how many of the next bytes
//! (0 to 15) are frame sizes (each plus one, cycled); the rest is the body.
//!
//! Beyond "no panic": with the true length, the output is exactly
//! `encoded_length` bytes, and a decoder written from the format gives the
//! body back, chunks of `CHUNK_SIZE` but the last, and a trailer naming the
//! algorithm with the body's checksum; with no length, the same body and
//! trailer; with a wrong length, an error and never a frame past it.
#![no_main]

use bytes::Bytes;
use http_body::{Body, Frame};
use libfuzzer_sys::fuzz_target;
use sdkgen_runtime::body::SdkBody;
use sdkgen_runtime::checksum::{encoded_length, AwsChunkedBody, ChecksumAlgorithm, CHUNK_SIZE};
use std::collections::VecDeque;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

/// A body that gives the frames it was made with, at once.
struct Frames(VecDeque<Bytes>);

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

fuzz_target!(|data: &[u8]| {
    let [algorithm, lie, count, rest @ ..] = data else {
        return;
    };
    let algorithm = ChecksumAlgorithm::PRIORITY[*algorithm as usize % ChecksumAlgorithm::PRIORITY.len()];
    let (sizes, body) = rest.split_at((*count as usize % 16).min(rest.len()));
    let sizes: Vec<usize> = sizes.iter().map(|&s| s as usize * 997 + 1).collect();
    let mut frames = VecDeque::new();
    let (mut at, mut i) = (0, 0);
    while at < body.len() {
        let size = sizes.get(i % sizes.len().max(1)).copied().unwrap_or(body.len());
        let end = (at + size).min(body.len());
        frames.push_back(Bytes::copy_from_slice(&body[at..end]));
        at = end;
        i += 1;
    }
    // At most a chunk per frame or per CHUNK_SIZE bytes, each adding its
    // header and CRLF (at most 20 bytes), then the trailer.
    let bound = body.len() + (frames.len() + body.len() / CHUNK_SIZE as usize + 2) * 20 + 200;
    let actual = body.len() as u64;
    let declared = match *lie {
        0 => Some(actual),
        1 => None,
        b => Some(actual.saturating_add_signed(i64::from(b) - 128)),
    };
    let mut chunked = AwsChunkedBody::new(SdkBody::from_body(Frames(frames)), algorithm, declared);
    let mut cx = Context::from_waker(Waker::noop());
    let mut out = Vec::new();
    let mut failed = false;
    loop {
        match Pin::new(&mut chunked).poll_frame(&mut cx) {
            Poll::Ready(Some(Ok(frame))) => out.extend_from_slice(&frame.into_data().unwrap()),
            Poll::Ready(Some(Err(e))) => {
                let _ = e.to_string();
                failed = true;
                break;
            }
            Poll::Ready(None) => break,
            Poll::Pending => unreachable!("every frame is ready"),
        }
        assert!(out.len() <= bound, "the encoding grows past its bound");
    }
    if declared.is_some_and(|d| d != actual) {
        assert!(failed, "a body of the wrong length was sent whole");
        return;
    }
    assert!(!failed, "a body of its length failed");
    if declared.is_some() {
        assert_eq!(out.len() as u64, encoded_length(actual, algorithm));
    }
    let (decoded, trailer, sizes) = decode(&out);
    assert_eq!(decoded, body);
    assert_eq!(
        trailer,
        format!("{}:{}", algorithm.header_name(), algorithm.checksum(body))
    );
    if declared.is_some() {
        let (last, full) = sizes.split_last().map_or((&0, &[][..]), |(l, f)| (l, f));
        assert!(full.iter().all(|&s| s as u64 == CHUNK_SIZE));
        assert!(*last as u64 <= CHUNK_SIZE);
    }
});

/// aws-chunked read from its definition: the chunks' bytes, the trailer
/// line, the chunks' sizes.
fn decode(mut wire: &[u8]) -> (Vec<u8>, String, Vec<usize>) {
    let line = |w: &[u8]| w.windows(2).position(|p| p == b"\r\n").expect("a line");
    let (mut out, mut sizes) = (Vec::new(), Vec::new());
    loop {
        let end = line(wire);
        let size = usize::from_str_radix(std::str::from_utf8(&wire[..end]).unwrap(), 16).unwrap();
        wire = &wire[end + 2..];
        if size == 0 {
            let end = line(wire);
            let trailer = String::from_utf8(wire[..end].to_vec()).unwrap();
            assert_eq!(&wire[end..], b"\r\n\r\n");
            return (out, trailer, sizes);
        }
        sizes.push(size);
        out.extend_from_slice(&wire[..size]);
        assert_eq!(&wire[size..size + 2], b"\r\n");
        wire = &wire[size + 2..];
    }
}
