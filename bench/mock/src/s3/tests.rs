//! The S3 answers on whole requests: GET streams the object, PUT takes
//! only the object, whole, with its framing and checksum right.

use super::*;
use crate::sigv4::Key;
use bench_common::s3::PATH;
use std::collections::VecDeque;
use std::future::Future;

/// Two blocks and five bytes: frames cross the block's end.
const SIZE: u64 = 2 * object::BLOCK as u64 + 5;

/// The CRC32 of the object's first `SIZE` bytes, as Python's
/// `zlib.crc32` computes it over the same generator written in Python.
const CRC32: &str = "qVFu8A==";

/// A request body of the given frames.
struct Frames(VecDeque<Bytes>);

impl Body for Frames {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        Poll::Ready(self.0.pop_front().map(|b| Ok(Frame::data(b))))
    }
}

/// `data` cut into frames of `step` bytes.
fn frames(data: &[u8], step: usize) -> Frames {
    Frames(data.chunks(step).map(Bytes::copy_from_slice).collect())
}

/// Runs a future whose every poll is ready (the bodies here never wait).
fn ready<F: Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let mut cx = Context::from_waker(std::task::Waker::noop());
    loop {
        if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return out;
        }
    }
}

fn the_object() -> Vec<u8> {
    let mut bytes = Vec::new();
    object::write(&object::block(), SIZE, &mut bytes).unwrap();
    bytes
}

fn parts(method: &str, path: &str, headers: &[(&str, &str)]) -> Parts {
    let mut request = hyper::Request::builder().method(method).uri(path);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.body(()).unwrap().into_parts().0
}

/// The status, the headers and the whole body of an answer.
fn send(parts: Parts, body: Frames, keys: Option<Keys<'_>>) -> (u16, hyper::HeaderMap, Vec<u8>) {
    let object = Object::new(SIZE);
    let signature = keys.map(|keys| verify(&parts, keys));
    let reply = ready(answer(parts, body, signature, &object));
    let (head, body) = reply.into_parts();
    let body = ready(body.collect()).unwrap().to_bytes().to_vec();
    (head.status.as_u16(), head.headers, body)
}

fn put(headers: &[(&str, &str)], body: Frames) -> (u16, hyper::HeaderMap, String) {
    let (status, headers, body) = send(parts("PUT", PATH, headers), body, None);
    (status, headers, String::from_utf8(body).unwrap())
}

/// `data` as aws-chunked, in chunks of `step` bytes, with `trailer` after
/// the last chunk, as the S3 documentation lays the encoding out.
fn aws_chunked(data: &[u8], step: usize, trailer: &str) -> Vec<u8> {
    let mut out = Vec::new();
    for chunk in data.chunks(step) {
        out.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        out.extend_from_slice(chunk);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("0\r\n{trailer}\r\n\r\n").as_bytes());
    out
}

const SIZE_TEXT: &str = "2097157";

fn chunked_headers(decoded: &str) -> [(&'static str, String); 4] {
    [
        ("content-encoding", "aws-chunked".into()),
        (
            "x-amz-content-sha256",
            "STREAMING-UNSIGNED-PAYLOAD-TRAILER".into(),
        ),
        ("x-amz-decoded-content-length", decoded.into()),
        ("x-amz-trailer", "x-amz-checksum-crc32".into()),
    ]
}

fn refs<'a>(headers: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    headers.iter().map(|(n, v)| (*n, v.as_str())).collect()
}

#[test]
fn a_get_streams_the_whole_object_in_bounded_frames() {
    let object = Object::new(SIZE);
    let mut body = object.body();
    let mut got = Vec::new();
    while let Some(frame) = ready(body.frame()) {
        let data = frame.unwrap().into_data().unwrap();
        assert!(data.len() <= FRAME);
        got.extend_from_slice(&data);
    }
    assert!(got == the_object());
    assert!(body.is_end_stream());
}

#[test]
fn a_get_answers_the_object_and_its_checksum_when_asked() {
    let (status, headers, body) = send(parts("GET", PATH, &[]), frames(b"", 1), None);
    assert_eq!(status, 200);
    assert_eq!(headers["content-length"], SIZE_TEXT);
    assert!(headers.get("x-amz-checksum-crc32").is_none());
    assert!(body == the_object());
    let enabled = parts("GET", PATH, &[("x-amz-checksum-mode", "ENABLED")]);
    let (status, headers, _) = send(enabled, frames(b"", 1), None);
    assert_eq!(status, 200);
    assert_eq!(headers["x-amz-checksum-crc32"], CRC32);
    assert_eq!(headers["x-amz-checksum-type"], "FULL_OBJECT");
}

#[test]
fn another_key_is_not_found() {
    let (status, _, body) = send(
        parts("GET", "/bench-bucket/data/bench%2520object.bin", &[]),
        frames(b"", 1),
        None,
    );
    assert_eq!(status, 404);
    assert!(String::from_utf8_lossy(&body).contains("<Code>NoSuchKey</Code>"));
    assert!(is_s3(&Method::PUT, PATH));
    assert!(!is_s3(&Method::POST, PATH));
    assert!(!is_s3(&Method::GET, "/bench-bucket-2/x"));
}

#[test]
fn a_plain_put_of_the_object_is_taken_and_its_checksum_checked() {
    let object = the_object();
    let (status, headers, _) = put(&[("content-length", SIZE_TEXT)], frames(&object, 70_000));
    assert_eq!(status, 200);
    assert!(headers.contains_key("etag"));
    assert!(headers.get("x-amz-checksum-crc32").is_none());
    // A CRC32 in a header is checked, and echoed.
    let (status, headers, _) = put(&[("x-amz-checksum-crc32", CRC32)], frames(&object, 70_000));
    assert_eq!(
        (status, &headers["x-amz-checksum-crc32"]),
        (200, &CRC32.parse().unwrap())
    );
    let (status, _, body) = put(
        &[("x-amz-checksum-crc32", "AAAAAA==")],
        frames(&object, 70_000),
    );
    assert_eq!(status, 400);
    assert!(body.contains("<Code>BadDigest</Code>"), "{body}");
}

#[test]
fn a_put_must_be_the_object_whole() {
    let mut object = the_object();
    let (status, _, body) = put(&[], frames(&object[..1000], 100));
    assert_eq!(status, 400);
    assert!(body.contains("<Code>IncompleteBody</Code>"), "{body}");
    let (status, _, body) = put(&[("content-length", "1000")], frames(&object[..1000], 100));
    assert_eq!(status, 400);
    assert!(
        body.contains("Content-Length 1000 is not the object's 2097157 bytes"),
        "{body}"
    );
    object[1_500_000] ^= 0x20;
    let (status, _, body) = put(&[], frames(&object, 65_536));
    assert_eq!(status, 400);
    assert!(
        body.contains("not the bench object in its bytes 1441792..1507328"),
        "{body}"
    );
    // Other checksums are not taken unchecked.
    let (status, _, body) = put(&[("x-amz-checksum-sha256", "x")], frames(b"", 1));
    assert_eq!(status, 400);
    assert!(body.contains("checks only x-amz-checksum-crc32"), "{body}");
}

#[test]
fn an_aws_chunked_put_is_decoded_and_its_trailer_checked() {
    let object = the_object();
    let headers = chunked_headers(SIZE_TEXT);
    let good = aws_chunked(&object, 65_536, &format!("x-amz-checksum-crc32:{CRC32}"));
    for step in [1_000, 65_536 + 7, good.len()] {
        let (status, reply, body) = put(&refs(&headers), frames(&good, step));
        assert_eq!(status, 200, "{body}");
        assert_eq!(reply["x-amz-checksum-crc32"], CRC32);
    }
    let wrong = aws_chunked(&object, 65_536, "x-amz-checksum-crc32:AAAAAA==");
    let (status, _, body) = put(&refs(&headers), frames(&wrong, 10_000));
    assert_eq!(status, 400);
    assert!(body.contains("<Code>BadDigest</Code>"), "{body}");
    let missing = aws_chunked(&object, 65_536, "");
    let missing = &missing[..missing.len() - 2];
    let (status, _, body) = put(&refs(&headers), frames(missing, 10_000));
    assert_eq!(status, 400);
    assert!(
        body.contains("the announced trailer did not come"),
        "{body}"
    );
    // Framing: a CRLF missing after a chunk's data.
    let mut broken = good.clone();
    let first_crlf = "10000\r\n".len() + 65_536;
    broken[first_crlf] = b'X';
    let (status, _, body) = put(&refs(&headers), frames(&broken, 10_000));
    assert_eq!(status, 400);
    assert!(body.contains("not followed by CRLF"), "{body}");
    // The decoded length must be the object's.
    let short = chunked_headers("1000");
    let (status, _, body) = put(&refs(&short), frames(&good, 10_000));
    assert_eq!(status, 400);
    assert!(body.contains("x-amz-decoded-content-length"), "{body}");
}

#[test]
fn a_checked_put_must_carry_its_signed_hash() {
    let object = the_object();
    let hash = |data: &[u8]| {
        let mut context = ring::digest::Context::new(&ring::digest::SHA256);
        context.update(data);
        crate::sigv4::sha256_hex(context)
    };
    let object_store = Object::new(SIZE);
    let check = |payload: &str| {
        let parts = parts("PUT", PATH, &[("x-amz-content-sha256", payload)]);
        let mut put = put::PutCheck::new(&parts, &object_store, true).unwrap();
        for chunk in object.chunks(100_000) {
            put.feed(chunk).unwrap();
        }
        put.finish()
    };
    assert_eq!(check(&hash(&object)), Ok(None));
    assert_eq!(
        check(&hash(b"another body")).unwrap_err().code,
        "XAmzContentSHA256Mismatch"
    );
    assert_eq!(check("UNSIGNED-PAYLOAD"), Ok(None));
}

#[test]
fn a_checked_request_without_a_signature_is_refused() {
    let keys = |_: &str| -> Option<Key> { None };
    let (status, _, body) = send(parts("GET", PATH, &[]), frames(b"", 1), Some(&keys));
    assert_eq!(status, 403);
    assert!(String::from_utf8_lossy(&body).contains("<Code>SignatureDoesNotMatch</Code>"));
}
