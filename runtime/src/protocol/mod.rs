//! The runtime half of the protocol seam.
//!
//! Each protocol's wire code is generated, private to the generated crate:
//! a serializer per operation that turns the input into an
//! [`HttpRequest`](crate::HttpRequest), and a deserializer that turns an
//! [`HttpResponse`] into the output or the typed error
//! in one read. Those functions call what this module offers: the REST
//! bindings shared by the REST protocols ([`rest`]), the shape of an error
//! response and the one read of a response ([`ErrorResponse`],
//! [`deserialize`]), and each protocol's own framing ([`rest_json`],
//! [`rest_xml`], [`aws_json`], [`query`], [`ec2`]). The orchestrator knows none of it: it calls
//! [`Operation`](crate::Operation)'s two functions and reads the error
//! metadata that the protocol read once.

pub mod aws_json;
pub mod ec2;
mod json_error;
pub mod query;
pub mod rest;
pub mod rest_json;
pub mod rest_xml;
mod text;
mod xml_error;

pub use json_error::sanitize_error_code;
pub use text::{FromWireText, WireText};

use crate::error::{ErrorMetadata, ResponseError, SdkError, WireError};
use crate::http::HttpResponse;
use std::fmt;
use std::sync::{Arc, Mutex};

/// What a serializer may need beyond the input.
#[derive(Debug, Clone, Default)]
pub struct SerializeContext {
    idempotency: Option<SharedIdempotencyTokenProvider>,
}

impl SerializeContext {
    pub fn new(idempotency: SharedIdempotencyTokenProvider) -> Self {
        SerializeContext {
            idempotency: Some(idempotency),
        }
    }

    /// A token for an idempotency token member the caller left unset: a
    /// random UUID v4 unless the configuration chose another source.
    pub fn idempotency_token(&self) -> String {
        match &self.idempotency {
            Some(provider) => provider.token(),
            None => uuid_v4(fastrand::u128(..)),
        }
    }
}

/// Where the tokens of unset idempotency token members come from. Made
/// once per call, so that every retry carries the same token.
pub trait IdempotencyTokenProvider: fmt::Debug + Send + Sync {
    fn token(&self) -> String;
}

pub type SharedIdempotencyTokenProvider = Arc<dyn IdempotencyTokenProvider>;

/// Random UUID v4 tokens.
#[derive(Debug, Clone, Copy, Default)]
pub struct RandomTokens;

impl IdempotencyTokenProvider for RandomTokens {
    fn token(&self) -> String {
        uuid_v4(fastrand::u128(..))
    }
}

/// UUID v4 tokens from a seeded generator: the same seed gives the same
/// tokens in the same order, so that tests can check them.
#[derive(Debug)]
pub struct SeededTokens(Mutex<fastrand::Rng>);

impl SeededTokens {
    pub fn new(seed: u64) -> Self {
        SeededTokens(Mutex::new(fastrand::Rng::with_seed(seed)))
    }
}

impl IdempotencyTokenProvider for SeededTokens {
    fn token(&self) -> String {
        let bits = self.0.lock().unwrap_or_else(|e| e.into_inner()).u128(..);
        uuid_v4(bits)
    }
}

/// Always the same token (for tests that compare whole requests).
#[derive(Debug, Clone)]
pub struct FixedToken(pub String);

impl IdempotencyTokenProvider for FixedToken {
    fn token(&self) -> String {
        self.0.clone()
    }
}

/// An error response, read once by its protocol: the metadata the retry
/// policy and the caller see, the parsed body (`B`: a JSON value, an XML
/// element) from which the error shape's modeled members are read, and the
/// response, for members bound to headers.
#[derive(Debug)]
pub struct ErrorResponse<'a, B> {
    pub meta: ErrorMetadata,
    pub body: B,
    pub response: &'a HttpResponse,
    /// The code that names the error's shape, where the protocol reports
    /// another one to users: a query-compatible service's `__type`
    /// (`QueueDoesNotExist`) beside its query code
    /// (`AWS.SimpleQueueService.NonExistentQueue`), as botocore picks the
    /// error's class by the one and reports the other.
    pub shape_code: Option<String>,
}

impl<B> ErrorResponse<'_, B> {
    /// The code the error is typed by: the shape's code, else the one the
    /// caller sees.
    pub fn code(&self) -> Option<&str> {
        self.shape_code.as_deref().or(self.meta.code())
    }

    /// The error as an event stream's `exception` message names it: its
    /// `:exception-type` gives the code (the error shape's, as the
    /// generated reader maps it), whatever the payload says.
    pub fn with_code(mut self, code: &str) -> Self {
        self.meta.set_code(code.to_string());
        self.shape_code = None;
        self
    }
}

/// Turns a response into the operation's output or its typed error, reading
/// the body once: `error` reads an error response (every protocol frames
/// its own), `output` a success. A success that does not fit the output is
/// a [`SdkError::Response`] naming the member at fault.
pub fn deserialize<O, E>(
    operation: &'static str,
    mut response: HttpResponse,
    error: impl FnOnce(&HttpResponse) -> E,
    output: impl FnOnce(&mut HttpResponse) -> Result<O, WireError>,
) -> Result<O, SdkError<E>> {
    if !response.is_success() {
        let source = error(&response);
        return Err(SdkError::Service { operation, source });
    }
    output(&mut response).map_err(|cause| SdkError::Response {
        operation,
        source: ResponseError::from_response(&response, cause),
    })
}

/// The metadata of an error response that is not the protocol's, as
/// botocore reads one (`parsers.py`): the HTTP status is the code. A server
/// error with an empty body or an HTML page (from a proxy or a load
/// balancer, `_is_generic_error_response`) says the reason phrase; any
/// other body is the message as it came, line breaks and all. `None` when
/// the body may be the protocol's, which then reads it.
pub(crate) fn generic_error(response: &HttpResponse) -> Option<ErrorMetadata> {
    let status = response.status;
    let text = response.body.trim_ascii();
    if status >= 500 && (text.is_empty() || text.starts_with(b"<html>")) {
        return Some(foreign_error(response, reason_phrase(status)));
    }
    None
}

/// The metadata of an error whose body the protocol could not read: the
/// status as the code, the whole body as the message (botocore's JSON
/// parser does this for any body that is not JSON).
pub(crate) fn foreign_error(response: &HttpResponse, message: String) -> ErrorMetadata {
    ErrorMetadata::new(
        Some(response.status.to_string()),
        Some(message),
        response.status,
        response.request_id().map(str::to_owned),
    )
    .with_raw(response.into())
}

/// The body as text, for a message: as it came, invalid UTF-8 replaced.
pub(crate) fn body_text(response: &HttpResponse) -> String {
    String::from_utf8_lossy(&response.body).into_owned()
}

/// The HTTP reason phrase (`Service Unavailable`), empty for a status
/// without one.
pub(crate) fn reason_phrase(status: u16) -> String {
    http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("")
        .to_string()
}

/// A response for the protocols' unit tests.
#[cfg(test)]
pub(crate) fn test_response(status: u16, headers: &[(&str, &str)], body: &str) -> HttpResponse {
    let headers = headers
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    HttpResponse::new(status, headers, body.to_string())
}

/// Random bits as a UUID v4: version and variant bits set, lowercase hex.
/// Every call makes one (its invocation id), so it is written directly.
pub fn uuid_v4(bits: u128) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let bits = (bits & !(0xf << 76) | (0x4 << 76)) & !(0x3 << 62) | (0x2 << 62);
    let mut out = String::with_capacity(36);
    for i in 0..32 {
        if matches!(i, 8 | 12 | 16 | 20) {
            out.push('-');
        }
        let nibble = (bits >> (124 - 4 * i)) & 0xf;
        out.push(char::from(DIGITS[nibble as usize]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_uuid_v4() {
        let id = SerializeContext::default().idempotency_token();
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4");
        assert!(matches!(&id[19..20], "8" | "9" | "a" | "b"), "{id}");
        assert_eq!(uuid_v4(0), "00000000-0000-4000-8000-000000000000");
        assert_eq!(uuid_v4(u128::MAX), "ffffffff-ffff-4fff-bfff-ffffffffffff");
        assert_eq!(
            uuid_v4(0x0123_4567_89ab_cdef_0123_4567_89ab_cdef),
            "01234567-89ab-4def-8123-456789abcdef"
        );
    }

    #[test]
    fn seeded_tokens_repeat_per_seed() {
        let a = SeededTokens::new(7);
        let b = SeededTokens::new(7);
        let first = a.token();
        assert_eq!(first, b.token());
        assert_ne!(first, a.token());
    }
}
