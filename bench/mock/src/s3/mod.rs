//! Amazon S3's GetObject and PutObject of one large object, path-style
//! (`/{bucket}/{key}` in [`bench_common::s3::BUCKET`]):
//!
//! - GET answers the object ([`bench_common::s3::object`], 1 GiB unless
//!   the mock is told otherwise), streamed in frames that are slices of
//!   one shared block, so that the mock never holds the object; with
//!   `x-amz-checksum-mode: ENABLED` the answer carries the object's CRC32,
//!   as S3 answers for an object uploaded with one;
//! - PUT reads the body to its end as it arrives and checks it
//!   ([`put`]): the object's bytes, whole, its aws-chunked framing and
//!   the CRC32 it declares, and then answers 200 with an `ETag`.
//!
//! A request whose signature is checked (the mock samples them) is checked
//! by S3's rules ([`crate::sigv4::verify_s3`]); a bad one gets S3's 403
//! `SignatureDoesNotMatch`. Errors are S3's XML `<Error>` documents.

pub mod chunked;
pub mod put;

use crate::sigv4::{self, Keys};
use base64::Engine;
use bench_common::s3::{object, BUCKET, KEY};
use bytes::Bytes;
use http_body_util::{BodyExt, Either, Full};
use hyper::body::{Body, Frame, SizeHint};
use hyper::http::request::Parts;
use hyper::Method;
use std::convert::Infallible;
use std::pin::Pin;
use std::task::{Context, Poll};

/// The object's size unless the mock is told otherwise: 1 GiB.
pub const DEFAULT_SIZE: u64 = 1 << 30;

/// The bytes of one frame of a GET body: a slice of the block.
const FRAME: usize = 256 * 1024;

/// The answer to an S3 request: a whole document, or the object.
pub type S3Reply = hyper::Response<Either<Full<Bytes>, ObjectBody>>;

/// The object the mock serves and takes, made once at start.
pub struct Object {
    size: u64,
    block: Bytes,
    /// Its CRC32 as `x-amz-checksum-crc32` carries it.
    crc32: String,
}

impl Object {
    /// The first `size` bytes of the bench's object; computing its CRC32
    /// reads them once (about a tenth of a second for 1 GiB).
    pub fn new(size: u64) -> Object {
        let block = Bytes::from(object::block());
        let mut crc32 = crc32fast::Hasher::new();
        let mut left = size;
        while left > 0 {
            let n = left.min(block.len() as u64) as usize;
            crc32.update(&block[..n]);
            left -= n as u64;
        }
        Object {
            size,
            block,
            crc32: base64::engine::general_purpose::STANDARD.encode(crc32.finalize().to_be_bytes()),
        }
    }

    pub fn size(&self) -> u64 {
        self.size
    }

    /// Whether `data` is the object's bytes from `offset` on.
    pub fn matches(&self, offset: u64, data: &[u8]) -> bool {
        object::matches(&self.block, offset, data)
    }

    /// The object's entity tag: made from its CRC32 and size (S3's is the
    /// MD5, which would cost the mock a pass over every upload).
    fn e_tag(&self) -> String {
        let crc = base64::engine::general_purpose::STANDARD
            .decode(&self.crc32)
            .unwrap_or_default();
        let hex: String = crc.iter().map(|b| format!("{b:02x}")).collect();
        format!("\"{hex}{:024x}\"", self.size)
    }

    /// The object as a response body.
    pub fn body(&self) -> ObjectBody {
        ObjectBody {
            block: self.block.clone(),
            offset: 0,
            size: self.size,
        }
    }
}

/// A GET's body: the object, frame by frame, each a slice of the block.
pub struct ObjectBody {
    block: Bytes,
    offset: u64,
    size: u64,
}

impl Body for ObjectBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        if self.offset == self.size {
            return Poll::Ready(None);
        }
        let start = (self.offset % self.block.len() as u64) as usize;
        let left = self.size - self.offset;
        let n = (self.block.len() - start)
            .min(FRAME)
            .min(usize::try_from(left).unwrap_or(usize::MAX));
        self.offset += n as u64;
        Poll::Ready(Some(Ok(Frame::data(self.block.slice(start..start + n)))))
    }

    fn is_end_stream(&self) -> bool {
        self.offset == self.size
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.size - self.offset)
    }
}

/// An S3 error: its status, code and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3Error {
    pub status: u16,
    pub code: &'static str,
    pub message: String,
}

impl S3Error {
    pub fn new(status: u16, code: &'static str, message: impl Into<String>) -> S3Error {
        S3Error {
            status,
            code,
            message: message.into(),
        }
    }

    /// A 400 `InvalidRequest`: a request no object could satisfy, or a
    /// body that is not what it says.
    pub fn invalid(message: impl Into<String>) -> S3Error {
        S3Error::new(400, "InvalidRequest", message)
    }

    /// S3's XML error document. The message is the mock's own text, which
    /// may quote a header a client sent: escaped.
    pub fn reply(&self) -> S3Reply {
        let message = self
            .message
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        let body = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{}</Code><Message>{message}</Message><RequestId>mock-request-id</RequestId></Error>",
            self.code
        );
        headers(hyper::Response::builder().status(self.status))
            .header("content-type", "application/xml")
            .body(Either::Left(body.into_bytes().into()))
            .expect("a valid response")
    }
}

/// Whether a request is for S3: a GET or PUT of a path in the bench's
/// bucket.
pub fn is_s3(method: &Method, path: &str) -> bool {
    (method == Method::GET || method == Method::PUT)
        && path
            .strip_prefix('/')
            .and_then(|p| p.strip_prefix(BUCKET))
            .is_some_and(|rest| rest.starts_with('/'))
}

/// Checks an S3 request's signature by S3's rules: why it is refused, if
/// it is.
pub fn verify(parts: &Parts, keys: Keys<'_>) -> Result<(), String> {
    let target = parts.uri.path_and_query().map_or("/", |p| p.as_str());
    sigv4::verify_s3(parts.method.as_str(), target, &parts.headers, keys)
}

/// The answer to an S3 request, after reading its body to the end.
/// `signature` is the verdict of [`verify`] on a request whose signature
/// was checked (a refusal is S3's 403), `None` on one that was not; a
/// checked PUT has the signed SHA-256 of its body checked too.
pub async fn answer<B>(
    parts: Parts,
    mut body: B,
    signature: Option<Result<(), String>>,
    object: &Object,
) -> S3Reply
where
    B: Body + Unpin,
    B::Data: AsRef<[u8]>,
{
    let target = parts.uri.path_and_query().map_or("/", |p| p.as_str());
    let key = object_key(parts.uri.path());
    let checked = signature.is_some();
    let mut check = match (signature, key.as_deref()) {
        (Some(Err(why)), _) => Err(S3Error::new(
            403,
            "SignatureDoesNotMatch",
            format!("The request signature we calculated does not match the signature you provided: {why}"),
        )),
        (_, Some(KEY)) if parts.method == Method::PUT => {
            put::PutCheck::new(&parts, object, checked).map(Some)
        }
        (_, Some(KEY)) => Ok(None),
        (_, _) => Err(S3Error::new(404, "NoSuchKey", "The specified key does not exist.")),
    };
    // The whole body is read, even after an error: the client sends it
    // anyway, and the connection stays usable.
    let mut get_body = 0;
    while let Some(frame) = body.frame().await {
        let Ok(frame) = frame else {
            check = Err(S3Error::new(
                400,
                "IncompleteBody",
                "the body could not be read",
            ));
            break;
        };
        let Ok(data) = frame.into_data() else {
            continue;
        };
        get_body += data.as_ref().len();
        if let Ok(Some(put)) = &mut check {
            if let Err(e) = put.feed(data.as_ref()) {
                check = Err(e);
            }
        }
    }
    let result = match check {
        Ok(Some(put)) => put.finish().map(Some),
        Ok(None) if get_body > 0 => Err(S3Error::invalid("a GET with a body")),
        Ok(None) => Ok(None),
        Err(e) => Err(e),
    };
    match result {
        Err(e) => {
            eprintln!(
                "mock: S3 {} {target}: {} {}",
                parts.method, e.code, e.message
            );
            e.reply()
        }
        Ok(Some(echo)) => put_reply(object, echo),
        Ok(None) => get_reply(&parts, object),
    }
}

/// The key of a path in the bench's bucket, percent-decoded.
fn object_key(path: &str) -> Option<String> {
    let key = path
        .strip_prefix('/')?
        .strip_prefix(BUCKET)?
        .strip_prefix('/')?;
    let mut out = Vec::with_capacity(key.len());
    let mut bytes = key.bytes();
    while let Some(b) = bytes.next() {
        if b == b'%' {
            let hex = [bytes.next()?, bytes.next()?];
            out.push(u8::from_str_radix(std::str::from_utf8(&hex).ok()?, 16).ok()?);
        } else {
            out.push(b);
        }
    }
    String::from_utf8(out).ok()
}

/// The headers of every S3 answer.
fn headers(builder: hyper::http::response::Builder) -> hyper::http::response::Builder {
    builder
        .header("x-amz-request-id", "mock-request-id")
        .header("x-amz-id-2", "mock-extended-request-id")
        .header("server", "AmazonS3")
}

fn get_reply(parts: &Parts, object: &Object) -> S3Reply {
    let mut builder = headers(hyper::Response::builder().status(200))
        .header("content-type", "application/octet-stream")
        .header("content-length", object.size())
        .header("etag", object.e_tag())
        .header("last-modified", "Mon, 01 Dec 2025 00:00:00 GMT")
        .header("accept-ranges", "bytes");
    let checksum_mode = parts
        .headers
        .get("x-amz-checksum-mode")
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"enabled"));
    if checksum_mode {
        builder = builder
            .header("x-amz-checksum-crc32", &object.crc32)
            .header("x-amz-checksum-type", "FULL_OBJECT");
    }
    builder
        .body(Either::Right(object.body()))
        .expect("a valid response")
}

fn put_reply(object: &Object, echo: Option<String>) -> S3Reply {
    let mut builder =
        headers(hyper::Response::builder().status(200)).header("etag", object.e_tag());
    if let Some(crc32) = echo {
        builder = builder
            .header("x-amz-checksum-crc32", crc32)
            .header("x-amz-checksum-type", "FULL_OBJECT");
    }
    builder
        .body(Either::Left(Full::default()))
        .expect("a valid response")
}

#[cfg(test)]
mod tests;
