//! Which checksum a request carries, and where: decided once per call,
//! before signing, from the operation's trait, the configuration and the
//! headers the input serialized to.

use super::{ChecksumAlgorithm, ChecksumPolicy, HttpChecksum};
use crate::error::BuildError;
use crate::http::{HttpRequest, RequestBody};

/// Where a request's checksum goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Location {
    /// A header, computed before sending.
    Header,
    /// An aws-chunked trailer, computed as the body is sent.
    Trailer,
}

/// The checksum a call sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RequestChecksum {
    pub algorithm: ChecksumAlgorithm,
    pub location: Location,
    /// A header checksum of a body not in memory (a file): computed when
    /// the file is read for the signature, not here.
    pub header_pending: bool,
}

/// Decides the call's checksums and writes the headers that say so: the
/// response validation mode the policy asks for, the default algorithm,
/// a header checksum of a body in memory, and the aws-chunked headers of
/// a trailer. `tls`: the endpoint is `https` (a trailer is unsigned, so
/// it is sent only where TLS protects it, as botocore does).
pub(crate) fn plan(
    spec: &HttpChecksum,
    request: &mut HttpRequest,
    calculation: ChecksumPolicy,
    validation: ChecksumPolicy,
    tls: bool,
) -> Result<Option<RequestChecksum>, BuildError> {
    let planned = plan_request(spec, request, calculation, tls)?;
    if let (Some(mode), ChecksumPolicy::WhenSupported) = (spec.validation_mode_header, validation) {
        if request.header(mode).is_none() {
            request
                .headers
                .push((mode.to_string(), "ENABLED".to_string()));
        }
    }
    Ok(planned)
}

fn plan_request(
    spec: &HttpChecksum,
    request: &mut HttpRequest,
    calculation: ChecksumPolicy,
    tls: bool,
) -> Result<Option<RequestChecksum>, BuildError> {
    // A checksum the caller computed is sent as it is (botocore looks for
    // any `x-amz-checksum-*` header).
    if request
        .headers
        .iter()
        .any(|(name, _)| is_checksum_header(name))
    {
        return Ok(None);
    }
    let chosen = spec.algorithm_header.and_then(|h| request.header(h));
    let algorithm = match chosen {
        Some(name) => ChecksumAlgorithm::from_name(name).ok_or_else(|| {
            BuildError::config(format!(
                "the checksum algorithm {name:?} is not one this client computes \
                 (CRC32, CRC32C, CRC64NVME, SHA1, SHA256, SHA512)"
            ))
        })?,
        None if spec.request_required
            || (spec.algorithm_header.is_some()
                && calculation == ChecksumPolicy::WhenSupported) =>
        {
            if let Some(header) = spec.algorithm_header {
                request.headers.push((
                    header.to_string(),
                    ChecksumAlgorithm::Crc32.name().to_string(),
                ));
            }
            ChecksumAlgorithm::Crc32
        }
        None => return Ok(None),
    };
    let streaming = matches!(request.body, RequestBody::Stream(_));
    if streaming && tls {
        trailer_headers(request, algorithm);
        return Ok(Some(RequestChecksum {
            algorithm,
            location: Location::Trailer,
            header_pending: false,
        }));
    }
    let header_pending = match request.body.bytes() {
        Some(bytes) => {
            let value = algorithm.checksum(bytes);
            request
                .headers
                .push((algorithm.header_name().to_string(), value));
            false
        }
        None => true,
    };
    Ok(Some(RequestChecksum {
        algorithm,
        location: Location::Header,
        header_pending,
    }))
}

/// `x-amz-checksum-` and a lowercase name (botocore's
/// `CHECKSUM_HEADER_PATTERN`, which matches `x-amz-checksum-mode` too).
fn is_checksum_header(name: &str) -> bool {
    const PREFIX: &str = "x-amz-checksum-";
    name.len() >= PREFIX.len()
        && name[..PREFIX.len()].eq_ignore_ascii_case(PREFIX)
        && name[PREFIX.len()..]
            .bytes()
            .all(|b| b.is_ascii_alphanumeric())
}

/// The headers of an aws-chunked body with the checksum in its trailer;
/// `Content-Length` (the encoded length) is the transport's to set.
fn trailer_headers(request: &mut HttpRequest, algorithm: ChecksumAlgorithm) {
    let encoding = request
        .headers
        .iter_mut()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-encoding"));
    match encoding {
        Some((_, value)) => value.push_str(",aws-chunked"),
        None => request
            .headers
            .push(("Content-Encoding".to_string(), "aws-chunked".to_string())),
    }
    request.headers.push((
        "x-amz-trailer".to_string(),
        algorithm.header_name().to_string(),
    ));
    if let Some(len) = request.body.len() {
        request
            .headers
            .push(("x-amz-decoded-content-length".to_string(), len.to_string()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::body::ByteStream;

    const PUT_OBJECT: HttpChecksum = HttpChecksum::new()
        .request_required(false)
        .algorithm_header("x-amz-sdk-checksum-algorithm");
    const DELETE_OBJECTS: HttpChecksum = HttpChecksum::new()
        .request_required(true)
        .algorithm_header("x-amz-sdk-checksum-algorithm");
    const GET_OBJECT: HttpChecksum = HttpChecksum::new()
        .validation_mode_header("x-amz-checksum-mode")
        .response_algorithms(&["CRC32", "SHA256"]);
    const LEGACY_REQUIRED: HttpChecksum = HttpChecksum::new().request_required(true);

    fn request(body: RequestBody, headers: &[(&str, &str)]) -> HttpRequest {
        let mut r = HttpRequest::new("PUT", "/b/k".to_string());
        r.body = body;
        r.headers = headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        r
    }

    fn bytes(b: &'static [u8]) -> RequestBody {
        RequestBody::Bytes(bytes::Bytes::from_static(b))
    }

    fn run(
        spec: &HttpChecksum,
        r: &mut HttpRequest,
        calculation: ChecksumPolicy,
        tls: bool,
    ) -> Option<RequestChecksum> {
        plan(spec, r, calculation, ChecksumPolicy::WhenSupported, tls).unwrap()
    }

    #[test]
    fn crc32_by_default_where_supported_and_said_so() {
        let mut r = request(bytes(b"Hello world"), &[]);
        let planned = run(&PUT_OBJECT, &mut r, ChecksumPolicy::WhenSupported, true).unwrap();
        assert_eq!(planned.algorithm, ChecksumAlgorithm::Crc32);
        assert_eq!(planned.location, Location::Header);
        assert_eq!(r.header("x-amz-sdk-checksum-algorithm"), Some("CRC32"));
        assert_eq!(r.header("x-amz-checksum-crc32"), Some("i9aeUg=="));
    }

    #[test]
    fn when_required_sends_none_unless_required() {
        let mut r = request(bytes(b"x"), &[]);
        assert_eq!(
            run(&PUT_OBJECT, &mut r, ChecksumPolicy::WhenRequired, true),
            None
        );
        assert!(r.headers.is_empty());
        let mut r = request(bytes(b"Hello world"), &[]);
        let planned = run(&DELETE_OBJECTS, &mut r, ChecksumPolicy::WhenRequired, false);
        assert_eq!(planned.unwrap().algorithm, ChecksumAlgorithm::Crc32);
        assert_eq!(r.header("x-amz-checksum-crc32"), Some("i9aeUg=="));
        // A required checksum without an algorithm member: CRC32, and no
        // algorithm header to say so.
        let mut r = request(bytes(b"Hello world"), &[]);
        run(
            &LEGACY_REQUIRED,
            &mut r,
            ChecksumPolicy::WhenRequired,
            false,
        )
        .unwrap();
        assert_eq!(r.headers.len(), 1, "{:?}", r.headers);
    }

    #[test]
    fn the_callers_algorithm_or_checksum_wins() {
        let mut r = request(
            bytes(b"Hello world"),
            &[("x-amz-sdk-checksum-algorithm", "sha256")],
        );
        let planned = run(&PUT_OBJECT, &mut r, ChecksumPolicy::WhenRequired, false).unwrap();
        assert_eq!(planned.algorithm, ChecksumAlgorithm::Sha256);
        assert_eq!(
            r.header("x-amz-checksum-sha256"),
            Some("ZOyIygCyaOW6GjVnihtTFtIS9PNmskdyMlNKiuyjfzw=")
        );
        let mut r = request(bytes(b"x"), &[("X-Amz-Checksum-Crc32c", "given")]);
        assert_eq!(
            run(&DELETE_OBJECTS, &mut r, ChecksumPolicy::WhenSupported, true),
            None
        );
        assert_eq!(r.headers.len(), 1);
        let mut r = request(bytes(b"x"), &[("x-amz-sdk-checksum-algorithm", "MD5")]);
        let err = plan(
            &PUT_OBJECT,
            &mut r,
            ChecksumPolicy::WhenSupported,
            ChecksumPolicy::WhenSupported,
            true,
        )
        .unwrap_err();
        assert!(err.to_string().contains("\"MD5\""), "{err}");
    }

    #[test]
    fn a_stream_over_tls_goes_in_a_trailer() {
        let body = || RequestBody::Stream(ByteStream::from(b"Hello world".to_vec()));
        let mut r = request(body(), &[("Content-Encoding", "gzip")]);
        let planned = run(&PUT_OBJECT, &mut r, ChecksumPolicy::WhenSupported, true).unwrap();
        assert_eq!(planned.location, Location::Trailer);
        assert_eq!(r.header("content-encoding"), Some("gzip,aws-chunked"));
        assert_eq!(r.header("x-amz-trailer"), Some("x-amz-checksum-crc32"));
        assert_eq!(r.header("x-amz-decoded-content-length"), Some("11"));
        assert_eq!(r.header("x-amz-checksum-crc32"), None);
        // Over plain HTTP, a header, computed now for a body in memory.
        let mut r = request(body(), &[]);
        let planned = run(&PUT_OBJECT, &mut r, ChecksumPolicy::WhenSupported, false).unwrap();
        assert_eq!(planned.location, Location::Header);
        assert!(!planned.header_pending);
        assert_eq!(r.header("x-amz-checksum-crc32"), Some("i9aeUg=="));
    }

    #[test]
    fn validation_is_asked_for_where_supported() {
        let mut r = request(RequestBody::Empty, &[]);
        run(&GET_OBJECT, &mut r, ChecksumPolicy::WhenSupported, true);
        assert_eq!(r.header("x-amz-checksum-mode"), Some("ENABLED"));
        let mut r = request(RequestBody::Empty, &[]);
        plan(
            &GET_OBJECT,
            &mut r,
            ChecksumPolicy::WhenSupported,
            ChecksumPolicy::WhenRequired,
            true,
        )
        .unwrap();
        assert_eq!(r.header("x-amz-checksum-mode"), None);
    }

    #[test]
    fn checksum_header_pattern() {
        assert!(is_checksum_header("x-amz-checksum-crc32"));
        assert!(is_checksum_header("X-Amz-Checksum-Mode"));
        assert!(!is_checksum_header("x-amz-checksum"));
        assert!(!is_checksum_header("x-amz-sdk-checksum-algorithm"));
        assert!(!is_checksum_header("x-amz-checksum-a-b"));
    }
}
