//! HTTP bodies: what the transport sends and receives, and [`ByteStream`],
//! the public type of streaming `blob` payloads.
//!
//! A streaming payload is never held whole: a request body from a file is
//! read as it is sent (and read again for a retry); a response body is
//! handed to the caller as it arrives, without the body cap that applies
//! to everything the client parses itself.

use crate::clock::SharedSleep;
use crate::credentials::BoxFuture;
use bytes::{Bytes, BytesMut};
use http_body::{Body, Frame, SizeHint};
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Mutex;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, ReadBuf};

/// Any error a body can fail with.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

type BoxBody = Pin<Box<dyn Body<Data = Bytes, Error = BoxError> + Send + Sync>>;

/// The body of one HTTP message as the transport sees it.
pub struct SdkBody {
    inner: Inner,
}

enum Inner {
    Once(Option<Bytes>),
    File(ReaderBody),
    /// hyper's own body, unboxed: the default transport's every response.
    Incoming(hyper::body::Incoming),
    Boxed(BoxBody),
}

impl SdkBody {
    /// No body.
    pub fn empty() -> Self {
        SdkBody {
            inner: Inner::Once(None),
        }
    }

    /// A body held in memory.
    pub fn from_bytes(bytes: impl Into<Bytes>) -> Self {
        let bytes = bytes.into();
        SdkBody {
            inner: Inner::Once((!bytes.is_empty()).then_some(bytes)),
        }
    }

    /// Any `http_body::Body`, such as a transport's response body.
    pub fn from_body<B>(body: B) -> Self
    where
        B: Body<Data = Bytes> + Send + Sync + 'static,
        B::Error: Into<BoxError>,
    {
        use http_body_util::BodyExt;
        SdkBody {
            inner: Inner::Boxed(Box::pin(body.map_err(Into::into))),
        }
    }

    /// A response body from hyper.
    pub fn from_incoming(body: hyper::body::Incoming) -> Self {
        SdkBody {
            inner: Inner::Incoming(body),
        }
    }

    /// Reads the whole body, failing once it passes `limit` bytes.
    pub async fn collect_limited(self, limit: usize) -> Result<Bytes, CollectError> {
        use http_body_util::BodyExt;
        let mut body = self;
        let announced = body.size_hint().lower();
        if announced > limit as u64 {
            return Err(CollectError::TooLarge);
        }
        // Sized from the length the response announced (`Content-Length`),
        // so that a body of many chunks (a 1 MB DynamoDB page) is copied
        // once into one allocation, not into buffers that double as it
        // arrives. Up to 1 MiB only: a length is a claim, and what is
        // reserved before the bytes arrive should not be the server's to
        // choose (a larger body grows the buffer as it comes).
        const RESERVED_AT_MOST: u64 = 1 << 20;
        let mut out = BytesMut::with_capacity(announced.min(RESERVED_AT_MOST) as usize);
        while let Some(frame) = body.frame().await {
            let frame = frame.map_err(CollectError::Io)?;
            if let Ok(data) = frame.into_data() {
                if out.len() + data.len() > limit {
                    return Err(CollectError::TooLarge);
                }
                out.extend_from_slice(&data);
            }
        }
        Ok(out.freeze())
    }
}

/// Why a body could not be read whole.
#[derive(Debug)]
pub enum CollectError {
    /// It is larger than the limit.
    TooLarge,
    /// The connection or the file failed while reading it.
    Io(BoxError),
}

impl fmt::Debug for SdkBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.inner {
            Inner::Once(bytes) => {
                write!(f, "SdkBody({} bytes)", bytes.as_ref().map_or(0, Bytes::len))
            }
            Inner::File(file) => write!(f, "SdkBody({})", file.what),
            Inner::Incoming(_) | Inner::Boxed(_) => f.write_str("SdkBody(stream)"),
        }
    }
}

impl Body for SdkBody {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        match &mut self.get_mut().inner {
            Inner::Once(bytes) => Poll::Ready(bytes.take().map(|b| Ok(Frame::data(b)))),
            Inner::File(file) => file
                .poll_chunk(cx)
                .map(|chunk| chunk.map(|r| r.map(Frame::data))),
            Inner::Incoming(body) => Pin::new(body)
                .poll_frame(cx)
                .map(|frame| frame.map(|r| r.map_err(Into::into))),
            Inner::Boxed(body) => body.as_mut().poll_frame(cx),
        }
    }

    fn is_end_stream(&self) -> bool {
        match &self.inner {
            Inner::Once(bytes) => bytes.is_none(),
            Inner::File(file) => file.remaining == 0,
            Inner::Incoming(body) => body.is_end_stream(),
            Inner::Boxed(body) => body.is_end_stream(),
        }
    }

    fn size_hint(&self) -> SizeHint {
        match &self.inner {
            Inner::Once(bytes) => {
                SizeHint::with_exact(bytes.as_ref().map_or(0, |b| b.len() as u64))
            }
            Inner::File(file) => SizeHint::with_exact(file.remaining),
            Inner::Incoming(body) => body.size_hint(),
            Inner::Boxed(body) => body.size_hint(),
        }
    }
}

/// A file or a caller's reader sent as a body: exactly the length given,
/// read in chunks.
struct ReaderBody {
    /// What is read, for messages: the file's path, or `the request body`.
    what: String,
    reader: Pin<Box<dyn AsyncRead + Send + Sync>>,
    remaining: u64,
}

/// A file is read 256 KiB at a time: each read is a trip to tokio's
/// blocking pool, and at 64 KiB those trips, not the disk, limit an upload
/// (the S3 benchmark's floor sent 590 MiB/s so, 1,200 with 256 KiB).
const CHUNK: usize = 256 * 1024;

impl ReaderBody {
    fn poll_chunk(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Bytes, BoxError>>> {
        if self.remaining == 0 {
            return Poll::Ready(None);
        }
        let want = (self.remaining as usize).min(CHUNK);
        let mut buf = vec![0u8; want];
        let mut read = ReadBuf::new(&mut buf);
        match self.reader.as_mut().poll_read(cx, &mut read) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Err(e)) => Poll::Ready(Some(Err(Box::new(e)))),
            Poll::Ready(Ok(())) => {
                let n = read.filled().len();
                if n == 0 {
                    let e = io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        format!(
                            "{} ended {} bytes short of its length",
                            self.what, self.remaining
                        ),
                    );
                    return Poll::Ready(Some(Err(Box::new(e))));
                }
                buf.truncate(n);
                self.remaining -= n as u64;
                Poll::Ready(Some(Ok(Bytes::from(buf))))
            }
        }
    }
}

/// A streaming `blob` payload: bytes in memory or a file to send, or a
/// response body to read as it arrives.
pub struct ByteStream {
    inner: StreamInner,
    /// For a response body: how long to wait for the next bytes.
    idle: Option<IdleTimeout>,
}

/// The read timeout of a response body: armed when a read finds nothing
/// yet, disarmed when bytes arrive, so that it measures the server's
/// silence and not the time the caller took between reads.
struct IdleTimeout {
    limit: Duration,
    sleep: SharedSleep,
    /// A `Mutex` only so that the stream stays `Sync`; it is reached
    /// through `&mut` and never locked.
    armed: Mutex<Option<BoxFuture<'static, ()>>>,
}

enum StreamInner {
    Bytes(Bytes),
    File {
        path: PathBuf,
        len: u64,
    },
    Body(SdkBody),
    /// A caller's stream of a known length, to send once. A `Mutex` only
    /// so that the stream stays `Sync`; the first attempt takes it.
    Once {
        body: std::sync::Arc<Mutex<Option<SdkBody>>>,
        len: u64,
    },
}

impl ByteStream {
    /// A stream of these bytes.
    pub fn new(bytes: impl Into<Bytes>) -> Self {
        ByteStream {
            inner: StreamInner::Bytes(bytes.into()),
            idle: None,
        }
    }

    /// The contents of a file, read as the request is sent (and again for
    /// each retry). The length is taken now; a file that then shrinks fails
    /// the request.
    pub async fn from_path(path: impl AsRef<Path>) -> io::Result<Self> {
        let path = path.as_ref().to_path_buf();
        let len = tokio::fs::metadata(&path).await?.len();
        Ok(ByteStream {
            inner: StreamInner::File { path, len },
            idle: None,
        })
    }

    /// A body the caller streams (from a pipe, a socket, another
    /// response), of `length` bytes: sent as it is read, once. A call that
    /// sends it is not retried, since what was read is gone; and as its
    /// SHA-256 cannot be computed ahead, it is sent where the signature
    /// does not cover the body: over HTTPS to S3, with the checksum in an
    /// aws-chunked trailer (the default), or to an operation that does not
    /// sign its body. Elsewhere the call is refused before sending; give
    /// bytes or a file instead. A body that turns out longer or shorter
    /// than `length` fails the call.
    pub fn from_body_with_length<B>(body: B, length: u64) -> Self
    where
        B: Body<Data = Bytes> + Send + Sync + 'static,
        B::Error: Into<BoxError>,
    {
        ByteStream {
            inner: StreamInner::Once {
                body: std::sync::Arc::new(Mutex::new(Some(SdkBody::from_body(body)))),
                len: length,
            },
            idle: None,
        }
    }

    /// What `reader` gives, `length` bytes of it, sent once as it is read
    /// (see [`from_body_with_length`](Self::from_body_with_length)).
    pub fn from_reader(reader: impl AsyncRead + Send + Sync + 'static, length: u64) -> Self {
        let body = SdkBody {
            inner: Inner::File(ReaderBody {
                what: "the request body".to_string(),
                reader: Box::pin(reader),
                remaining: length,
            }),
        };
        ByteStream {
            inner: StreamInner::Once {
                body: std::sync::Arc::new(Mutex::new(Some(body))),
                len: length,
            },
            idle: None,
        }
    }

    /// Whether the stream can be sent again for a retry: bytes and files
    /// can; a caller's stream cannot.
    pub fn is_replayable(&self) -> bool {
        matches!(self.inner, StreamInner::Bytes(_) | StreamInner::File { .. })
    }

    /// A response body, read as it arrives.
    pub fn from_body(body: SdkBody) -> Self {
        ByteStream {
            inner: StreamInner::Body(body),
            idle: None,
        }
    }

    /// The stream, failing a read that waits more than `limit` for the
    /// next bytes of a response body (a server gone silent mid-stream);
    /// `sleep` measures the wait. Bytes and files never wait.
    pub fn with_read_timeout(mut self, limit: Option<Duration>, sleep: SharedSleep) -> Self {
        self.idle = limit.map(|limit| IdleTimeout {
            limit,
            sleep,
            armed: Mutex::new(None),
        });
        self
    }

    /// The length, when it is known before reading.
    pub fn content_length(&self) -> Option<u64> {
        match &self.inner {
            StreamInner::Bytes(bytes) => Some(bytes.len() as u64),
            StreamInner::File { len, .. } | StreamInner::Once { len, .. } => Some(*len),
            StreamInner::Body(body) => body.size_hint().exact(),
        }
    }

    /// The next chunk, or `None` at the end.
    pub async fn next(&mut self) -> Option<Result<Bytes, ByteStreamError>> {
        std::future::poll_fn(|cx| self.poll_next(cx)).await
    }

    /// The next chunk if one is there, for readers that poll (event
    /// streams, `futures_core::Stream` adapters).
    pub fn poll_next(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Bytes, ByteStreamError>>> {
        if let StreamInner::File { .. } | StreamInner::Once { .. } = self.inner {
            if let Err(e) = self.open() {
                return Poll::Ready(Some(Err(e)));
            }
        }
        let ByteStream { inner, idle } = self;
        match inner {
            StreamInner::Bytes(bytes) if bytes.is_empty() => Poll::Ready(None),
            StreamInner::Bytes(bytes) => Poll::Ready(Some(Ok(std::mem::take(bytes)))),
            StreamInner::Body(body) => loop {
                match Pin::new(&mut *body).poll_frame(cx) {
                    Poll::Ready(Some(Ok(frame))) => {
                        let Ok(data) = frame.into_data() else {
                            continue;
                        };
                        if let Some(idle) = idle {
                            *idle.armed.get_mut().unwrap_or_else(|e| e.into_inner()) = None;
                        }
                        return Poll::Ready(Some(Ok(data)));
                    }
                    Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(ByteStreamError(e)))),
                    Poll::Ready(None) => return Poll::Ready(None),
                    Poll::Pending => {
                        let Some(idle) = idle else {
                            return Poll::Pending;
                        };
                        let armed = idle.armed.get_mut().unwrap_or_else(|e| e.into_inner());
                        let timer = armed.get_or_insert_with(|| idle.sleep.sleep(idle.limit));
                        if timer.as_mut().poll(cx).is_pending() {
                            return Poll::Pending;
                        }
                        *armed = None;
                        return Poll::Ready(Some(Err(ByteStreamError::read_timeout(idle.limit))));
                    }
                }
            },
            StreamInner::File { .. } | StreamInner::Once { .. } => unreachable!("opened above"),
        }
    }

    /// Reads the rest of the stream into memory.
    pub async fn collect(mut self) -> Result<Bytes, ByteStreamError> {
        let mut out = BytesMut::new();
        while let Some(chunk) = self.next().await {
            out.extend_from_slice(&chunk?);
        }
        Ok(out.freeze())
    }

    /// Turns a file, or a caller's stream, into a body being read.
    fn open(&mut self) -> Result<(), ByteStreamError> {
        let body = match &self.inner {
            StreamInner::File { path, len } => {
                file_body(path, *len).map_err(|e| ByteStreamError(Box::new(e)))?
            }
            StreamInner::Once { body, .. } => {
                take_once(body).map_err(|e| ByteStreamError(Box::new(e)))?
            }
            _ => return Ok(()),
        };
        self.inner = StreamInner::Body(body);
        Ok(())
    }

    /// A body for one attempt of a request; `None` for a response stream,
    /// which can be read only once.
    pub fn to_sdk_body(&self) -> Option<io::Result<SdkBody>> {
        match &self.inner {
            StreamInner::Bytes(bytes) => Some(Ok(SdkBody::from_bytes(bytes.clone()))),
            StreamInner::File { path, len } => Some(file_body(path, *len)),
            StreamInner::Once { body, .. } => Some(take_once(body)),
            StreamInner::Body(_) => None,
        }
    }

    /// A copy of a stream that can be sent again (bytes or a file); `None`
    /// for a response body, which can be read only once.
    pub fn try_clone(&self) -> Option<ByteStream> {
        let inner = match &self.inner {
            StreamInner::Bytes(bytes) => StreamInner::Bytes(bytes.clone()),
            StreamInner::File { path, len } => StreamInner::File {
                path: path.clone(),
                len: *len,
            },
            StreamInner::Body(_) | StreamInner::Once { .. } => return None,
        };
        Some(ByteStream { inner, idle: None })
    }

    /// The stream as a request's body: a copy of bytes or a file, or a
    /// caller's stream shared with the input it came from (so the request
    /// may be serialized from a borrowed input, and still sent once).
    pub(crate) fn share(&self) -> Option<ByteStream> {
        match &self.inner {
            StreamInner::Once { body, len } => Some(ByteStream {
                inner: StreamInner::Once {
                    body: std::sync::Arc::clone(body),
                    len: *len,
                },
                idle: None,
            }),
            _ => self.try_clone(),
        }
    }

    /// The bytes, when the stream is held in memory (for checksums and
    /// payload signing without reading a file twice).
    pub fn in_memory(&self) -> Option<&Bytes> {
        match &self.inner {
            StreamInner::Bytes(bytes) => Some(bytes),
            _ => None,
        }
    }

    /// The file, when the stream is one.
    pub fn file_path(&self) -> Option<&Path> {
        match &self.inner {
            StreamInner::File { path, .. } => Some(path),
            _ => None,
        }
    }
}

fn file_body(path: &Path, len: u64) -> io::Result<SdkBody> {
    // Opening is quick; reading is where the time goes, and it is async.
    let file = std::fs::File::open(path)?;
    Ok(SdkBody {
        inner: Inner::File(ReaderBody {
            what: path.display().to_string(),
            reader: Box::pin(tokio::fs::File::from_std(file)),
            remaining: len,
        }),
    })
}

/// A caller's stream, for the one attempt that sends it.
fn take_once(body: &Mutex<Option<SdkBody>>) -> io::Result<SdkBody> {
    body.lock()
        .unwrap_or_else(|e| e.into_inner())
        .take()
        .ok_or_else(|| {
            io::Error::other("the stream was read by an earlier attempt, and can be read only once")
        })
}

impl Default for ByteStream {
    fn default() -> Self {
        ByteStream::new(Bytes::new())
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.inner {
            StreamInner::Bytes(bytes) => write!(f, "ByteStream({} bytes)", bytes.len()),
            StreamInner::File { path, len } => {
                write!(f, "ByteStream(file {}, {len} bytes)", path.display())
            }
            StreamInner::Body(_) => f.write_str("ByteStream(response body)"),
            StreamInner::Once { len, .. } => {
                write!(f, "ByteStream(stream of {len} bytes, read once)")
            }
        }
    }
}

impl From<Vec<u8>> for ByteStream {
    fn from(bytes: Vec<u8>) -> Self {
        ByteStream::new(bytes)
    }
}

impl From<Bytes> for ByteStream {
    fn from(bytes: Bytes) -> Self {
        ByteStream::new(bytes)
    }
}

impl From<&'static [u8]> for ByteStream {
    fn from(bytes: &'static [u8]) -> Self {
        ByteStream::new(Bytes::from_static(bytes))
    }
}

impl From<&'static str> for ByteStream {
    fn from(text: &'static str) -> Self {
        ByteStream::new(Bytes::from_static(text.as_bytes()))
    }
}

impl From<String> for ByteStream {
    fn from(text: String) -> Self {
        ByteStream::new(text)
    }
}

/// A stream that failed while being read.
#[derive(Debug)]
pub struct ByteStreamError(BoxError);

impl ByteStreamError {
    fn read_timeout(limit: Duration) -> Self {
        ByteStreamError(Box::new(ReadTimeout(limit)))
    }

    /// A failure that did not come from the body itself.
    pub(crate) fn other(error: impl Into<BoxError>) -> Self {
        ByteStreamError(error.into())
    }

    /// The checksum mismatch that ended the stream, if that is what did:
    /// the body arrived whole but not as the service sent it.
    #[cfg(feature = "checksums")]
    pub fn checksum_mismatch(&self) -> Option<&crate::checksum::ChecksumMismatch> {
        self.0.downcast_ref()
    }

    /// The read timeout that ended the stream, if that is what did.
    pub fn read_timeout_limit(&self) -> Option<Duration> {
        self.0.downcast_ref::<ReadTimeout>().map(|t| t.0)
    }
}

impl fmt::Display for ByteStreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the stream failed: {}", self.0)
    }
}

impl std::error::Error for ByteStreamError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.0)
    }
}

/// The server sent nothing for the read timeout.
#[derive(Debug)]
struct ReadTimeout(Duration);

impl fmt::Display for ReadTimeout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "read timeout: no bytes within {:?}", self.0)
    }
}

impl std::error::Error for ReadTimeout {}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn bytes_and_files_stream_and_resend() {
        let stream = ByteStream::from(b"abc".to_vec());
        assert_eq!(stream.content_length(), Some(3));
        for _ in 0..2 {
            let body = stream.to_sdk_body().unwrap().unwrap();
            assert_eq!(&body.collect_limited(10).await.unwrap()[..], b"abc");
        }
        let dir = std::env::temp_dir().join(format!("sdkgen-body-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("f");
        let big: Vec<u8> = (0..200_000u32).map(|i| i as u8).collect();
        std::fs::write(&path, &big).unwrap();
        let stream = ByteStream::from_path(&path).await.unwrap();
        assert_eq!(stream.content_length(), Some(200_000));
        for _ in 0..2 {
            let body = stream.to_sdk_body().unwrap().unwrap();
            assert_eq!(body.collect_limited(usize::MAX).await.unwrap(), big);
        }
        assert_eq!(stream.collect().await.unwrap(), big);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[tokio::test]
    async fn a_callers_stream_is_sent_once_and_must_be_its_length() {
        let stream = ByteStream::from_reader(&b"hello"[..], 5);
        assert!(!stream.is_replayable());
        assert_eq!(stream.content_length(), Some(5));
        assert!(stream.try_clone().is_none());
        let body = stream.to_sdk_body().unwrap().unwrap();
        assert_eq!(&body.collect_limited(10).await.unwrap()[..], b"hello");
        let again = stream.to_sdk_body().unwrap().unwrap_err();
        assert!(again.to_string().contains("only once"), "{again}");
        // Shorter than it said: an error, not a short body.
        let short = ByteStream::from_reader(&b"hey"[..], 5);
        let err = short.collect().await.unwrap_err();
        assert!(err.to_string().contains("2 bytes short"), "{err}");
        let body = ByteStream::from_body_with_length(SdkBody::from_bytes("xyz"), 3);
        assert_eq!(
            format!("{body:?}"),
            "ByteStream(stream of 3 bytes, read once)"
        );
        assert_eq!(&body.collect().await.unwrap()[..], b"xyz");
    }

    #[tokio::test]
    async fn collecting_stops_at_the_limit() {
        let body = SdkBody::from_bytes(vec![0u8; 11]);
        assert!(matches!(
            body.collect_limited(10).await,
            Err(CollectError::TooLarge)
        ));
        let stream = ByteStream::from_body(SdkBody::from_bytes("xyz"));
        assert!(stream.to_sdk_body().is_none());
        assert_eq!(&stream.collect().await.unwrap()[..], b"xyz");
    }
}
