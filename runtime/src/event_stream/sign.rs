//! Signing the messages of an input event stream: SigV4's
//! `AWS4-HMAC-SHA256-PAYLOAD`, each signature chained from the one
//! before, the first from the signature of the HTTP request that opened
//! the stream (its seed).
//!
//! A signed message is an outer frame with two headers, `:chunk-signature`
//! (the 32 bytes of the signature) and `:date` (the signing time, to the
//! second), whose payload is the event's whole frame; an outer frame with
//! an empty payload ends the stream. The string to sign is
//!
//! ```text
//! AWS4-HMAC-SHA256-PAYLOAD
//! <amz-date>
//! <date>/<region>/<service>/aws4_request
//! <prior signature, hex>
//! <hex SHA-256 of the encoded :date header alone>
//! <hex SHA-256 of the payload>
//! ```
//!
//! (Amazon Transcribe's "Setting up a streaming transcription" documents
//! it.) The session token is not part of it: the request carried it. The
//! signing key is the request's, derived again only when the day changes.
//!
//! [`MessageSigner`] signs a client's messages; [`MessageVerifier`] checks
//! them as a service would, for loopback servers in tests. Both are proven
//! against vectors from the official `aws-sigv4` signer
//! (`testdata/signing/`).

mod error;
mod verify;

pub use error::{SignError, VerifyError};
pub use verify::MessageVerifier;

use super::{encode, encode_headers, Header, HeaderValue, Message, MAX_PAYLOAD_LEN};
use crate::credentials::Credentials;
use crate::sigv4::{basic_timestamp, hex, sha256, SigningKeyCache};
use crate::DateTime;
use bytes::{Bytes, BytesMut};
use ring::hmac;
use std::fmt;
use std::time::SystemTime;

const ALGORITHM: &str = "AWS4-HMAC-SHA256-PAYLOAD";

/// The header that carries a frame's signature.
pub(super) const CHUNK_SIGNATURE: &str = ":chunk-signature";

/// The header that carries a frame's signing time.
pub(super) const DATE: &str = ":date";

/// Signs the messages of one input stream, in order. Each signature
/// covers the one before, so the signer keeps the last; a stream is
/// signed by one signer, from its seed to its end frame.
///
/// The time is given to each call rather than read from a clock here, so
/// that the caller signs with the same skew-corrected time as its
/// requests.
///
/// ```
/// use sdkgen_runtime::credentials::Credentials;
/// use sdkgen_runtime::event_stream::{
///     decode_message, encode, Message, MessageSigner, MessageVerifier,
/// };
/// use std::time::{Duration, UNIX_EPOCH};
///
/// let credentials = Credentials::new("AKIDEXAMPLE", "secret", None, None);
/// // The signature of the request that opened the stream.
/// let seed = "6a2fd9e2d8bfc0ad1b16a43fc6c7b4a5bbd6d5e0e3e7f37b0d8d6c0c8f1f3e21";
/// let now = UNIX_EPOCH + Duration::from_secs(1_767_323_045);
/// let event = Message::new(r#"{"text":"hi"}"#)
///     .header(":message-type", "event")
///     .header(":event-type", "chunk");
///
/// let mut signer = MessageSigner::new(credentials.clone(), "us-east-1", "bedrock", seed);
/// let frame = encode(&signer.sign(&event, now)?)?;
/// let end = encode(&signer.sign_empty(now)?)?;
///
/// let mut verifier = MessageVerifier::new(credentials, "us-east-1", "bedrock", seed);
/// assert_eq!(verifier.verify(&decode_message(frame)?, now)?, Some(event));
/// assert_eq!(verifier.verify(&decode_message(end)?, now)?, None);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct MessageSigner {
    keys: FrameKeys,
    prior: String,
}

impl MessageSigner {
    /// A signer for a stream opened by a request signed with these
    /// credentials, region and signing name, whose signature (the hex of
    /// its `Authorization` header's `Signature=`) is `seed_signature`.
    pub fn new(
        credentials: Credentials,
        region: impl Into<String>,
        service: impl Into<String>,
        seed_signature: impl Into<String>,
    ) -> Self {
        MessageSigner {
            keys: FrameKeys::new(credentials, region.into(), service.into()),
            prior: seed_signature.into(),
        }
    }

    /// `message`, framed and signed at `now` (to the second) as the next
    /// of the stream: the outer message to send. On an error nothing
    /// changes, and the next message is signed as if this one had not been
    /// offered.
    pub fn sign(&mut self, message: &Message, now: SystemTime) -> Result<Message, SignError> {
        let frame = encode(message).map_err(SignError::Encode)?;
        // The outer frame must be writable too: its payload is the whole
        // inner frame, which framing makes longer than the inner payload.
        if frame.len() > MAX_PAYLOAD_LEN {
            return Err(SignError::Encode(super::EncodeError::PayloadTooLarge {
                len: frame.len(),
                max: MAX_PAYLOAD_LEN,
            }));
        }
        self.sign_payload(frame, now)
    }

    /// The empty signed frame that ends the stream. It takes the signer,
    /// since nothing may follow it.
    pub fn sign_empty(mut self, now: SystemTime) -> Result<Message, SignError> {
        self.sign_payload(Bytes::new(), now)
    }

    /// The signature the next message will be chained from: the seed,
    /// then that of the last message signed.
    pub fn prior_signature(&self) -> &str {
        &self.prior
    }

    fn sign_payload(&mut self, payload: Bytes, now: SystemTime) -> Result<Message, SignError> {
        // To the second, as the amz-date in the string to sign is, so
        // that the `:date` header says the same instant.
        let date = DateTime::from_secs(DateTime::from(now).secs());
        let signature = self.keys.sign(&self.prior, date, &payload)?;
        let outer = Message::new(payload)
            .header(CHUNK_SIGNATURE, Bytes::copy_from_slice(signature.as_ref()))
            .header(DATE, date);
        self.prior = hex(signature.as_ref());
        Ok(outer)
    }
}

/// The credentials show as they always do (the access key id, nothing of
/// the secret or the token); the prior signature is on the wire anyway.
impl fmt::Debug for MessageSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MessageSigner")
            .field("keys", &self.keys)
            .field("prior", &self.prior)
            .finish()
    }
}

/// What every frame of a stream is signed with: the request's credentials,
/// region and signing name, and the key derived from them for the day.
struct FrameKeys {
    credentials: Credentials,
    region: String,
    service: String,
    /// A stream may outlive the day it began on; the key is derived again
    /// when the date changes, and reused for every frame until then.
    cache: SigningKeyCache,
}

impl FrameKeys {
    fn new(credentials: Credentials, region: String, service: String) -> Self {
        FrameKeys {
            credentials,
            region,
            service,
            cache: SigningKeyCache::default(),
        }
    }

    /// The key for `date` and the string to sign a payload chained from
    /// `prior` at `date`.
    fn key_and_string_to_sign(
        &self,
        prior: &str,
        date: DateTime,
        payload: &[u8],
    ) -> Result<(hmac::Key, String), SignError> {
        let amz_date = amz_date(date)?;
        let day = &amz_date[..8];
        let mut date_header = BytesMut::new();
        encode_headers(
            &[Header::new(DATE, HeaderValue::Timestamp(date))],
            &mut date_header,
        )
        .map_err(|_| SignError::TimeOutOfRange { secs: date.secs() })?;
        let mut text = String::with_capacity(
            ALGORITHM.len() + 2 * amz_date.len() + self.region.len() + self.service.len() + 200,
        );
        for part in [
            ALGORITHM,
            "\n",
            &amz_date,
            "\n",
            day,
            "/",
            &self.region,
            "/",
            &self.service,
            "/aws4_request\n",
            prior,
            "\n",
            &hex(sha256(&date_header).as_ref()),
            "\n",
            &hex(sha256(payload).as_ref()),
        ] {
            text.push_str(part);
        }
        let key = self.cache.get(
            self.credentials.secret_access_key(),
            day,
            &self.region,
            &self.service,
        );
        Ok((key, text))
    }

    /// The signature of a payload chained from `prior` at `date`.
    fn sign(&self, prior: &str, date: DateTime, payload: &[u8]) -> Result<hmac::Tag, SignError> {
        let (key, text) = self.key_and_string_to_sign(prior, date, payload)?;
        Ok(hmac::sign(&key, text.as_bytes()))
    }
}

impl fmt::Debug for FrameKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FrameKeys")
            .field("credentials", &self.credentials)
            .field("region", &self.region)
            .field("service", &self.service)
            .finish()
    }
}

/// The latest instant SigV4's four-digit year can write: 9999-12-31
/// 23:59:59 UTC.
const LAST_SECOND: i64 = 253_402_300_799;

/// `20260102T030405Z`, for instants from 1970 to the year 9999; before or
/// after, no real clock is, and the format cannot say it.
fn amz_date(date: DateTime) -> Result<String, SignError> {
    let secs = date.secs();
    if !(0..=LAST_SECOND).contains(&secs) {
        return Err(SignError::TimeOutOfRange { secs });
    }
    let time = time::OffsetDateTime::from_unix_timestamp(secs)
        .map_err(|_| SignError::TimeOutOfRange { secs })?;
    Ok(basic_timestamp(time))
}

#[cfg(test)]
mod tests;
