//! Request compression, for operations whose model asks for it
//! (`requestcompression`): a body held in memory, from the configured size
//! up (10 KiB by default, as in the AWS SDKs), is sent gzipped, and `gzip`
//! is added to its `Content-Encoding`. The codec is compiled in only for
//! the generated crates that have such an operation (the `gzip` feature).

use crate::http::{HttpRequest, RequestBody};

/// The AWS SDKs' default threshold.
pub const DEFAULT_MIN_COMPRESSION_SIZE_BYTES: u32 = 10_240;

/// The largest threshold the AWS SDKs accept (10 MiB).
pub const MAX_MIN_COMPRESSION_SIZE_BYTES: u32 = 10_485_760;

/// Gzips `request`'s body if it is in memory and at least `min_size`
/// bytes; without the `gzip` feature the body stays as it is, which every
/// service accepts.
pub fn compress(request: &mut HttpRequest, min_size: u32) {
    let RequestBody::Bytes(body) = &request.body else {
        return;
    };
    if body.len() < min_size as usize {
        return;
    }
    let Some(compressed) = gzip(body) else {
        return;
    };
    request.body = RequestBody::Bytes(compressed.into());
    match request
        .headers
        .iter_mut()
        .find(|(name, _)| name.eq_ignore_ascii_case("content-encoding"))
    {
        Some((_, value)) => value.push_str(", gzip"),
        None => request
            .headers
            .push(("Content-Encoding".into(), "gzip".into())),
    }
}

#[cfg(feature = "gzip")]
fn gzip(body: &[u8]) -> Option<Vec<u8>> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(body).ok()?;
    encoder.finish().ok()
}

#[cfg(not(feature = "gzip"))]
fn gzip(_body: &[u8]) -> Option<Vec<u8>> {
    None
}

#[cfg(all(test, feature = "gzip"))]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn large_bodies_are_gzipped_and_the_encoding_appended() {
        let text = "x".repeat(20);
        let mut request = HttpRequest::new("POST", "/".into());
        request.body = RequestBody::Bytes(text.clone().into());
        request
            .headers
            .push(("Content-Encoding".into(), "custom".into()));
        compress(&mut request, 10);
        assert_eq!(request.header("content-encoding"), Some("custom, gzip"));
        let mut plain = String::new();
        flate2::read::GzDecoder::new(request.body.bytes().unwrap())
            .read_to_string(&mut plain)
            .unwrap();
        assert_eq!(plain, text);

        let mut small = HttpRequest::new("POST", "/".into());
        small.body = RequestBody::Bytes("tiny".into());
        compress(&mut small, 10);
        assert_eq!(small.header("content-encoding"), None);
        assert_eq!(small.body.bytes(), Some(&b"tiny"[..]));
    }
}
