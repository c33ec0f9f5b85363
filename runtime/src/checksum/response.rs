//! Checking a response body against the checksum its headers carry, read
//! whole or as it streams.

use super::{ChecksumAlgorithm, Checksummer, HttpChecksum};
use crate::body::{BoxError, SdkBody};
use base64::Engine;
use bytes::Bytes;
use http::HeaderMap;
use http_body::{Body, Frame, SizeHint};
use std::fmt;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

/// The checksum to check a response against: the first of the
/// operation's response algorithms, in botocore's order of preference,
/// that the response carries. A value with a `-` (S3's checksum of a
/// multipart object's part checksums, `...-3`) is not the body's and is
/// passed over, as botocore does.
pub(crate) fn expected(
    spec: &HttpChecksum,
    headers: &HeaderMap,
) -> Option<(ChecksumAlgorithm, String)> {
    ChecksumAlgorithm::PRIORITY
        .into_iter()
        .filter(|a| {
            spec.response_algorithms
                .iter()
                .any(|name| name.eq_ignore_ascii_case(a.name()))
        })
        .find_map(|a| {
            let value = headers.get(a.header_name())?.to_str().ok()?.trim();
            (!value.contains('-')).then(|| (a, value.to_string()))
        })
}

/// Checks a body read whole.
pub(crate) fn check_body(
    algorithm: ChecksumAlgorithm,
    expected: &str,
    body: &[u8],
) -> Result<(), ChecksumMismatch> {
    let mut checksum = algorithm.hasher();
    checksum.update(body);
    compare(checksum, expected)
}

fn compare(checksum: Checksummer, expected: &str) -> Result<(), ChecksumMismatch> {
    let algorithm = checksum.algorithm();
    let computed = checksum.finish_bytes();
    let sent = base64::engine::general_purpose::STANDARD.decode(expected);
    if sent.as_deref() == Ok(computed.as_slice()) {
        return Ok(());
    }
    Err(ChecksumMismatch {
        algorithm,
        expected: expected.to_string(),
        computed: base64::engine::general_purpose::STANDARD.encode(computed),
    })
}

/// A response body whose checksum is not the one its response sent:
/// damaged on the way, or by whatever stands between the service and the
/// client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChecksumMismatch {
    algorithm: ChecksumAlgorithm,
    expected: String,
    computed: String,
}

impl ChecksumMismatch {
    pub fn algorithm(&self) -> ChecksumAlgorithm {
        self.algorithm
    }

    /// The checksum the response's header gave.
    pub fn expected(&self) -> &str {
        &self.expected
    }

    /// The checksum of the bytes that arrived.
    pub fn computed(&self) -> &str {
        &self.computed
    }
}

impl fmt::Display for ChecksumMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the body's {} checksum is {}, but {} said {}: the body is damaged",
            self.algorithm,
            self.computed,
            self.algorithm.header_name(),
            self.expected
        )
    }
}

impl std::error::Error for ChecksumMismatch {}

/// A streamed response body that checks its checksum at its end: the last
/// read fails on a mismatch instead of ending, so a caller who reads to
/// the end never takes a damaged body for a whole one.
pub(crate) struct ValidatingBody {
    inner: SdkBody,
    checksum: Option<Checksummer>,
    expected: String,
}

impl ValidatingBody {
    pub(crate) fn new(inner: SdkBody, algorithm: ChecksumAlgorithm, expected: String) -> Self {
        ValidatingBody {
            inner,
            checksum: Some(algorithm.hasher()),
            expected,
        }
    }
}

impl Body for ValidatingBody {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let this = self.get_mut();
        let Some(checksum) = &mut this.checksum else {
            return Poll::Ready(None);
        };
        match ready!(Pin::new(&mut this.inner).poll_frame(cx)) {
            Some(Ok(frame)) => {
                if let Some(data) = frame.data_ref() {
                    checksum.update(data);
                }
                Poll::Ready(Some(Ok(frame)))
            }
            Some(Err(e)) => {
                // Cut off: the connection's error says so; nothing to check.
                this.checksum = None;
                Poll::Ready(Some(Err(e)))
            }
            None => {
                let checksum = this.checksum.take().expect("checked above");
                match compare(checksum, &this.expected) {
                    Ok(()) => Poll::Ready(None),
                    Err(mismatch) => Poll::Ready(Some(Err(Box::new(mismatch)))),
                }
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.checksum.is_none()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::BodyExt;

    const GET_OBJECT: HttpChecksum = HttpChecksum::new()
        .validation_mode_header("x-amz-checksum-mode")
        .response_algorithms(&["CRC64NVME", "CRC32", "CRC32C", "SHA256", "SHA1", "XXHASH64"]);

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(k, v)| {
                (
                    http::HeaderName::from_static(k),
                    http::HeaderValue::from_static(v),
                )
            })
            .collect()
    }

    #[test]
    fn the_preferred_whole_object_checksum_is_chosen() {
        let h = headers(&[
            ("x-amz-checksum-sha256", "abc"),
            ("x-amz-checksum-crc32", "i9aeUg=="),
        ]);
        assert_eq!(
            expected(&GET_OBJECT, &h),
            Some((ChecksumAlgorithm::Crc32, "i9aeUg==".to_string()))
        );
        // A multipart object's checksum of checksums is passed over.
        let h = headers(&[
            ("x-amz-checksum-crc32c", "AAAAAA==-3"),
            ("x-amz-checksum-sha1", "e1AsOh9IyGCa4hLN+2Od7jlnP14="),
        ]);
        assert_eq!(
            expected(&GET_OBJECT, &h).unwrap().0,
            ChecksumAlgorithm::Sha1
        );
        // Not one the operation lists.
        let h = headers(&[("x-amz-checksum-sha512", "x")]);
        assert_eq!(expected(&GET_OBJECT, &h), None);
    }

    #[test]
    fn a_body_read_whole_is_checked() {
        assert!(check_body(ChecksumAlgorithm::Crc32, "i9aeUg==", b"Hello world").is_ok());
        let err = check_body(ChecksumAlgorithm::Crc32, "i9aeUg==", b"Hello World").unwrap_err();
        assert_eq!(err.expected(), "i9aeUg==");
        assert_eq!(
            err.computed(),
            ChecksumAlgorithm::Crc32.checksum(b"Hello World")
        );
        assert!(
            err.to_string()
                .contains("x-amz-checksum-crc32 said i9aeUg=="),
            "{err}"
        );
        // Not base64 at all: a mismatch, not a panic.
        assert!(check_body(ChecksumAlgorithm::Crc32, "%%%", b"").is_err());
    }

    #[tokio::test]
    async fn a_stream_fails_at_its_end_when_damaged() {
        let read = |body: &'static str, expected: &'static str| async move {
            let mut body = ValidatingBody::new(
                SdkBody::from_bytes(body),
                ChecksumAlgorithm::Crc32,
                expected.to_string(),
            );
            let mut out = Vec::new();
            while let Some(frame) = body.frame().await {
                out.extend_from_slice(&frame?.into_data().unwrap());
            }
            Ok::<_, BoxError>(out)
        };
        assert_eq!(
            read("Hello world", "i9aeUg==").await.unwrap(),
            b"Hello world"
        );
        let err = read("Hello World", "i9aeUg==").await.unwrap_err();
        assert!(err.downcast_ref::<ChecksumMismatch>().is_some(), "{err}");
    }
}
