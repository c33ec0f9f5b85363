//! The runtime half of the protocol seam.
//!
//! Each protocol's wire code is generated, private to the generated crate:
//! a serializer per operation that turns the input into an
//! [`HttpRequest`](crate::HttpRequest), and a deserializer that turns an
//! [`HttpResponse`](crate::HttpResponse) into the output or the typed error
//! in one read. Those functions call what this module offers: the REST
//! bindings shared by the REST protocols ([`rest`]), and each protocol's own
//! framing ([`rest_json`]). The orchestrator knows none of it: it calls
//! [`Operation`](crate::Operation)'s two functions and reads the error
//! metadata that the protocol read once.

pub mod query;
pub mod rest;
pub mod rest_json;
mod text;

pub use text::{FromWireText, WireText};

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

/// A server error whose body says nothing a protocol can read: empty, or
/// an HTML page from something between the client and the service.
pub(crate) fn unreadable_server_error(status: u16, body: &[u8]) -> bool {
    let text = body.trim_ascii();
    status >= 500 && (text.is_empty() || text.starts_with(b"<html>"))
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

/// The text of a body a protocol cannot read (a proxy's page, say), capped
/// since it goes into messages.
pub(crate) fn body_text(text: &[u8]) -> String {
    const MAX: usize = 512;
    let text = String::from_utf8_lossy(text.trim_ascii());
    match text.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text.into_owned(),
    }
}

/// The message of an error response whose body the protocol could not
/// read: the reason phrase for a server error with nothing to say, else
/// the body's text (empty for none).
pub(crate) fn message_without_body(status: u16, body: &[u8]) -> String {
    if unreadable_server_error(status, body) {
        reason_phrase(status)
    } else {
        body_text(body)
    }
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
