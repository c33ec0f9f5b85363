//! [`MessageVerifier`]: checks signed frames as a service does, so that
//! loopback servers in tests refuse what AWS would.

use super::{FrameKeys, SignError, VerifyError, CHUNK_SIGNATURE, DATE};
use crate::credentials::Credentials;
use crate::event_stream::{decode_message, HeaderValue, Message};
use crate::sigv4::hex;
use crate::DateTime;
use ring::hmac;
use std::fmt;
use std::time::{Duration, SystemTime};

/// Checks the signed frames of one input stream, in order: each against
/// the signature of the one before (the first against the seed), and its
/// date against the verifier's clock.
pub struct MessageVerifier {
    keys: FrameKeys,
    prior: String,
    /// Frames given so far, refused ones included: the number errors name.
    frames: u64,
    ended: bool,
    max_skew: Duration,
}

impl MessageVerifier {
    /// How far a frame's `:date` may be from the verifier's clock unless
    /// [`with_max_skew`](Self::with_max_skew) says otherwise: the 15
    /// minutes within which AWS accepts a signed request.
    pub const DEFAULT_MAX_SKEW: Duration = Duration::from_secs(15 * 60);

    /// A verifier for a stream opened by a request signed with these
    /// credentials, region and signing name, whose signature was
    /// `seed_signature` (hex).
    pub fn new(
        credentials: Credentials,
        region: impl Into<String>,
        service: impl Into<String>,
        seed_signature: impl Into<String>,
    ) -> Self {
        MessageVerifier {
            keys: FrameKeys::new(credentials, region.into(), service.into()),
            prior: seed_signature.into(),
            frames: 0,
            ended: false,
            max_skew: Self::DEFAULT_MAX_SKEW,
        }
    }

    /// The verifier, allowing `:date`s up to `max` from its clock.
    pub fn with_max_skew(mut self, max: Duration) -> Self {
        self.max_skew = max;
        self
    }

    /// Checks `frame`, the next signed frame of the stream, received at
    /// `now`: `Some` event message it carries, or `None` for the empty
    /// frame that ends the stream. A refused frame changes nothing but the
    /// count of frames, so the next is checked against the same signature.
    pub fn verify(
        &mut self,
        frame: &Message,
        now: SystemTime,
    ) -> Result<Option<Message>, VerifyError> {
        self.frames = self.frames.saturating_add(1);
        let number = self.frames;
        if self.ended {
            return Err(VerifyError::AfterEnd { frame: number });
        }
        let (signature, date) = signed_headers(frame, number)?;
        let (key, string_to_sign) = self
            .keys
            .key_and_string_to_sign(&self.prior, date, frame.payload())
            .map_err(|error| match error {
                SignError::TimeOutOfRange { .. } | SignError::Encode(_) => {
                    VerifyError::DateOutOfRange {
                        frame: number,
                        date,
                    }
                }
            })?;
        // ring compares in constant time.
        hmac::verify(&key, string_to_sign.as_bytes(), signature)
            .map_err(|_| VerifyError::BadSignature { frame: number })?;
        let now = DateTime::from(now);
        let apart = (date.as_nanos() - now.as_nanos()).unsigned_abs();
        if apart > self.max_skew.as_nanos() {
            return Err(VerifyError::DateSkewed {
                frame: number,
                date,
                now,
                max: self.max_skew,
            });
        }
        let inner = if frame.payload().is_empty() {
            None
        } else {
            let inner =
                decode_message(frame.payload().clone()).map_err(|error| VerifyError::Inner {
                    frame: number,
                    error,
                })?;
            Some(inner)
        };
        self.ended = inner.is_none();
        self.prior = hex(signature);
        Ok(inner)
    }

    /// The signature the next frame must be chained from.
    pub fn prior_signature(&self) -> &str {
        &self.prior
    }

    /// Whether the empty frame that ends the stream was verified.
    pub fn is_ended(&self) -> bool {
        self.ended
    }
}

/// The signature and date of a signed frame, which has those two headers
/// and no other.
fn signed_headers(frame: &Message, number: u64) -> Result<(&[u8], DateTime), VerifyError> {
    let mut signature = None;
    let mut date = None;
    for header in frame.headers() {
        let wrong_type = |header: &'static str, expected: &'static str, found: &HeaderValue| {
            VerifyError::HeaderType {
                frame: number,
                header,
                expected,
                found: found.type_name(),
            }
        };
        match (header.name(), header.value()) {
            (CHUNK_SIGNATURE, HeaderValue::ByteArray(bytes)) => signature = Some(bytes),
            (CHUNK_SIGNATURE, other) => {
                return Err(wrong_type(CHUNK_SIGNATURE, "byte_array", other))
            }
            (DATE, HeaderValue::Timestamp(time)) => date = Some(*time),
            (DATE, other) => return Err(wrong_type(DATE, "timestamp", other)),
            (name, _) => {
                return Err(VerifyError::UnsignedHeader {
                    frame: number,
                    name: name.to_string(),
                })
            }
        }
    }
    let missing = |header| VerifyError::MissingHeader {
        frame: number,
        header,
    };
    let signature = signature.ok_or_else(|| missing(CHUNK_SIGNATURE))?;
    let date = date.ok_or_else(|| missing(DATE))?;
    if signature.len() != ring::digest::SHA256_OUTPUT_LEN {
        return Err(VerifyError::SignatureLength {
            frame: number,
            len: signature.len(),
        });
    }
    Ok((signature, date))
}

impl fmt::Debug for MessageVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MessageVerifier")
            .field("keys", &self.keys)
            .field("prior", &self.prior)
            .field("frames", &self.frames)
            .field("ended", &self.ended)
            .field("max_skew", &self.max_skew)
            .finish()
    }
}
