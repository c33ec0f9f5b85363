//! The checks on a PutObject body, made as it arrives: that it is the
//! bench's object, byte for byte and whole; that its aws-chunked framing
//! is right, when it has one; that the CRC32 it declares (in a header or
//! in the aws-chunked trailer) is its own; and, for a request whose
//! signature is checked, that the SHA-256 it signed is its own.

use super::chunked::Decoder;
use super::{Object, S3Error};
use base64::Engine;
use hyper::http::request::Parts;
use ring::digest;

/// The payload hash of an aws-chunked body with a trailing checksum.
const STREAMING_TRAILER: &str = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";

/// The only checksum the mock checks; a request declaring another is
/// refused rather than passed unchecked.
const CRC32: &str = "x-amz-checksum-crc32";

/// One PutObject body under check.
pub struct PutCheck<'a> {
    object: &'a Object,
    /// The aws-chunked decoder, for an encoded body.
    chunked: Option<Decoder>,
    /// The trailer the request announced (`x-amz-trailer`).
    trailer: Option<String>,
    /// The CRC32 a header declared.
    header_crc32: Option<String>,
    /// The running CRC32, when one was declared.
    crc32: Option<crc32fast::Hasher>,
    /// The running SHA-256 and the hash signed, when checked.
    sha256: Option<(digest::Context, String)>,
    /// Decoded bytes so far.
    received: u64,
}

impl<'a> PutCheck<'a> {
    /// A check of the body the headers describe; `hash` asks for the
    /// signed SHA-256 to be checked too (it costs a pass over the body,
    /// so only sampled requests pay it). An error for headers that no
    /// body could satisfy.
    pub fn new(parts: &Parts, object: &'a Object, hash: bool) -> Result<Self, S3Error> {
        let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok());
        let payload = header("x-amz-content-sha256");
        let chunked = header("content-encoding")
            .is_some_and(|e| e.split(',').any(|e| e.trim() == "aws-chunked"));
        if let Some(other) = parts.headers.keys().find(|name| {
            name.as_str().starts_with("x-amz-checksum-")
                && !matches!(name.as_str(), CRC32 | "x-amz-checksum-type")
        }) {
            return Err(S3Error::invalid(format!(
                "{other}: the mock checks only {CRC32}"
            )));
        }
        let header_crc32 = header(CRC32).map(str::to_string);
        let mut trailer = None;
        if chunked {
            if payload != Some(STREAMING_TRAILER) {
                return Err(S3Error::invalid(format!(
                    "an aws-chunked body with x-amz-content-sha256 {payload:?}: the mock takes {STREAMING_TRAILER} only"
                )));
            }
            let decoded = header("x-amz-decoded-content-length");
            if decoded.and_then(|v| v.parse().ok()) != Some(object.size()) {
                return Err(S3Error::invalid(format!(
                    "x-amz-decoded-content-length {} is not the object's {} bytes",
                    decoded.unwrap_or("(none)"),
                    object.size()
                )));
            }
            if header_crc32.is_some() {
                return Err(S3Error::invalid(format!(
                    "{CRC32} both in a header and announced as a trailer"
                )));
            }
            match header("x-amz-trailer") {
                Some(CRC32) => trailer = Some(CRC32.to_string()),
                Some(other) => {
                    return Err(S3Error::invalid(format!(
                        "x-amz-trailer {other:?}: the mock checks only {CRC32}"
                    )))
                }
                None => {
                    return Err(S3Error::invalid(
                        "an aws-chunked body without x-amz-trailer",
                    ))
                }
            }
        } else {
            if payload.is_some_and(|p| p.starts_with("STREAMING-")) {
                return Err(S3Error::invalid(format!(
                    "x-amz-content-sha256 {payload:?} without Content-Encoding: aws-chunked"
                )));
            }
            if let Some(length) = header("content-length") {
                if length.parse::<u64>().ok() != Some(object.size()) {
                    return Err(S3Error::invalid(format!(
                        "Content-Length {length} is not the object's {} bytes",
                        object.size()
                    )));
                }
            }
        }
        let signed_hash =
            payload.filter(|p| p.len() == 64 && p.bytes().all(|b| b.is_ascii_hexdigit()));
        let sha256 = match signed_hash {
            Some(signed) if hash => {
                Some((digest::Context::new(&digest::SHA256), signed.to_string()))
            }
            _ => None,
        };
        let declared = header_crc32.is_some() || trailer.is_some();
        Ok(PutCheck {
            object,
            chunked: chunked.then(Decoder::default),
            trailer,
            header_crc32,
            crc32: declared.then(crc32fast::Hasher::new),
            sha256,
            received: 0,
        })
    }

    /// Takes the next bytes of the body as they arrived.
    pub fn feed(&mut self, bytes: &[u8]) -> Result<(), S3Error> {
        if let Some(sha256) = &mut self.sha256 {
            // The signed hash is of the body as sent (for aws-chunked, the
            // payload hash is not a digest at all, so this is plain only).
            sha256.0.update(bytes);
        }
        let PutCheck {
            object,
            chunked,
            crc32,
            received,
            ..
        } = self;
        let mut data = |data: &[u8]| -> Result<(), String> {
            if *received + data.len() as u64 > object.size() {
                return Err(format!(
                    "the body is longer than the object's {} bytes",
                    object.size()
                ));
            }
            if !object.matches(*received, data) {
                return Err(format!(
                    "the body is not the bench object in its bytes {}..{}",
                    *received,
                    *received + data.len() as u64
                ));
            }
            if let Some(crc32) = crc32 {
                crc32.update(data);
            }
            *received += data.len() as u64;
            Ok(())
        };
        match chunked {
            Some(decoder) => decoder.feed(bytes, &mut data),
            None => data(bytes),
        }
        .map_err(S3Error::invalid)
    }

    /// The checks of the whole body: the CRC32 the request declared, when
    /// it declared one, for the answer to echo as S3 does.
    pub fn finish(self) -> Result<Option<String>, S3Error> {
        let mut declared = self.header_crc32;
        if let Some(decoder) = self.chunked {
            let trailers = decoder.finish().map_err(S3Error::invalid)?;
            for (name, value) in trailers {
                if Some(&name) != self.trailer.as_ref() {
                    return Err(S3Error::invalid(format!(
                        "trailer {name} was not announced in x-amz-trailer"
                    )));
                }
                declared = Some(value);
            }
            if declared.is_none() {
                return Err(S3Error::invalid("the announced trailer did not come"));
            }
        }
        if self.received != self.object.size() {
            return Err(S3Error::new(
                400,
                "IncompleteBody",
                format!(
                    "{} bytes, not the object's {}",
                    self.received,
                    self.object.size()
                ),
            ));
        }
        if let Some((hasher, signed)) = self.sha256 {
            let actual = crate::sigv4::sha256_hex(hasher);
            if !actual.eq_ignore_ascii_case(&signed) {
                return Err(S3Error::new(
                    400,
                    "XAmzContentSHA256Mismatch",
                    format!("the body's SHA-256 is {actual}, the request signed {signed}"),
                ));
            }
        }
        if let (Some(declared), Some(hasher)) = (&declared, self.crc32) {
            let actual =
                base64::engine::general_purpose::STANDARD.encode(hasher.finalize().to_be_bytes());
            if *declared != actual {
                return Err(S3Error::new(
                    400,
                    "BadDigest",
                    format!("the CRC32 you specified ({declared}) did not match the calculated checksum ({actual})"),
                ));
            }
        }
        Ok(declared)
    }
}
