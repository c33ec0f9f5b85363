//! The signer and verifier against each other and against bad input.
//! That they sign as AWS does is proven by the official signer's vectors
//! (`runtime/tests/event_stream_signing.rs`); these check what the vectors
//! cannot: errors, limits, state after an error, and `Debug`.

use super::*;
use crate::event_stream::{decode_message, EncodeError, VerifyError};
use std::time::{Duration, UNIX_EPOCH};

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const TOKEN: &str = "session-token-that-must-not-show";
const SEED: &str = "6a2fd9e2d8bfc0ad1b16a43fc6c7b4a5bbd6d5e0e3e7f37b0d8d6c0c8f1f3e21";

fn credentials() -> Credentials {
    Credentials::new("AKIDEXAMPLE", SECRET, Some(TOKEN.to_string()), None)
}

fn signer() -> MessageSigner {
    MessageSigner::new(credentials(), "us-east-1", "transcribe", SEED)
}

fn verifier() -> MessageVerifier {
    MessageVerifier::new(credentials(), "us-east-1", "transcribe", SEED)
}

/// 2026-01-02T03:04:05Z and a fraction.
fn t0() -> SystemTime {
    UNIX_EPOCH + Duration::new(1_767_323_045, 678_000_000)
}

fn event(text: &str) -> Message {
    Message::new(text.to_string())
        .header(":message-type", "event")
        .header(":event-type", "AudioEvent")
}

/// An outer frame as it travels: encoded, then decoded by the receiver.
fn wire(outer: &Message) -> Message {
    decode_message(encode(outer).unwrap()).unwrap()
}

#[test]
fn a_chain_verifies_frame_by_frame_and_ends_with_the_empty_frame() {
    let mut signer = signer();
    let mut verifier = verifier();
    let messages = [event("one"), event("two"), Message::default()];
    for (i, message) in messages.iter().enumerate() {
        let now = t0() + Duration::from_secs(i as u64);
        let outer = signer.sign(message, now).unwrap();
        assert_eq!(
            verifier.verify(&wire(&outer), now).unwrap().as_ref(),
            Some(message)
        );
        assert_eq!(verifier.prior_signature(), signer.prior_signature());
    }
    assert!(!verifier.is_ended());
    let end = signer.sign_empty(t0()).unwrap();
    assert!(end.payload().is_empty());
    assert_eq!(verifier.verify(&wire(&end), t0()).unwrap(), None);
    assert!(verifier.is_ended());
    assert_eq!(
        verifier.verify(&wire(&end), t0()),
        Err(VerifyError::AfterEnd { frame: 5 })
    );
}

#[test]
fn the_outer_frame_has_the_signature_then_the_date_to_the_second() {
    let mut signer = signer();
    let outer = signer.sign(&event("one"), t0()).unwrap();
    let names: Vec<&str> = outer.headers().iter().map(|h| h.name()).collect();
    assert_eq!(names, [":chunk-signature", ":date"]);
    let signature = outer.get(":chunk-signature").unwrap().as_byte_array();
    assert_eq!(hex(signature.unwrap()), signer.prior_signature());
    assert_eq!(
        outer.get(":date").unwrap().as_timestamp(),
        Some(DateTime::from_secs(1_767_323_045))
    );
    assert_eq!(outer.payload(), &encode(&event("one")).unwrap());
}

#[test]
fn each_signature_depends_on_the_one_before() {
    let mut a = signer();
    let mut b = MessageSigner::new(credentials(), "us-east-1", "transcribe", "00".repeat(32));
    let first_a = a.sign(&event("one"), t0()).unwrap();
    let first_b = b.sign(&event("one"), t0()).unwrap();
    assert_ne!(first_a, first_b);
    // The same message again gets a new signature: the chain moved on.
    let second_a = a.sign(&event("one"), t0()).unwrap();
    assert_ne!(
        first_a.get(":chunk-signature"),
        second_a.get(":chunk-signature")
    );
}

#[test]
fn a_message_that_cannot_be_framed_is_refused_and_the_chain_stays() {
    let mut signer = signer();
    let before = signer.prior_signature().to_string();
    let bad = Message::new("x").header("", "empty name");
    assert_eq!(
        signer.sign(&bad, t0()),
        Err(SignError::Encode(EncodeError::EmptyHeaderName))
    );
    assert_eq!(signer.prior_signature(), before);
    // A payload the encoder takes but whose frame is too long to be the
    // payload of the signed frame.
    let big = Message::new(vec![0u8; MAX_PAYLOAD_LEN]);
    let error = signer.sign(&big, t0()).unwrap_err();
    assert_eq!(
        error,
        SignError::Encode(EncodeError::PayloadTooLarge {
            len: MAX_PAYLOAD_LEN + 16,
            max: MAX_PAYLOAD_LEN
        })
    );
    assert_eq!(signer.prior_signature(), before);
    // The chain goes on from where it was.
    let mut verifier = verifier();
    let outer = signer.sign(&event("one"), t0()).unwrap();
    assert!(verifier.verify(&wire(&outer), t0()).is_ok());
}

#[test]
fn a_time_sigv4_cannot_write_is_an_error_not_a_panic() {
    let mut signer = signer();
    let before_1970 = UNIX_EPOCH - Duration::from_secs(1);
    assert_eq!(
        signer.sign(&event("one"), before_1970),
        Err(SignError::TimeOutOfRange { secs: -1 })
    );
    let year_10000 = UNIX_EPOCH + Duration::from_secs(253_402_300_800);
    let error = signer.sign(&event("one"), year_10000).unwrap_err();
    assert!(error.to_string().contains("1970 to 9999"), "{error}");
    assert_eq!(signer.prior_signature(), SEED);
}

#[test]
fn debug_shows_no_secret() {
    let mut signer = signer();
    signer.sign(&event("one"), t0()).unwrap();
    let verifier = verifier();
    for text in [format!("{signer:?}"), format!("{verifier:?}")] {
        assert!(text.contains("AKIDEXAMPLE"), "{text}");
        assert!(text.contains("us-east-1"), "{text}");
        assert!(!text.contains(SECRET), "{text}");
        assert!(!text.contains(TOKEN), "{text}");
    }
}

/// Signs `frame` as the next one after `SEED` would be, whatever it holds.
fn signed(headers_after: impl FnOnce(Message) -> Message, payload: Bytes) -> Message {
    let keys = FrameKeys::new(credentials(), "us-east-1".into(), "transcribe".into());
    let date = DateTime::from_secs(1_767_323_045);
    let signature = keys.sign(SEED, date, &payload).unwrap();
    headers_after(
        Message::new(payload)
            .header(CHUNK_SIGNATURE, Bytes::copy_from_slice(signature.as_ref()))
            .header(DATE, date),
    )
}

#[test]
fn frames_without_the_two_headers_or_with_more_are_refused() {
    let good = signed(|m| m, encode(&event("one")).unwrap());
    let (headers, payload) = good.clone().into_parts();
    let only = |name: &str| {
        Message::from_parts(
            headers
                .iter()
                .filter(|h| h.name() == name)
                .cloned()
                .collect(),
            payload.clone(),
        )
    };
    assert_eq!(
        verifier().verify(&only(":date"), t0()),
        Err(VerifyError::MissingHeader {
            frame: 1,
            header: ":chunk-signature"
        })
    );
    assert_eq!(
        verifier().verify(&only(":chunk-signature"), t0()),
        Err(VerifyError::MissingHeader {
            frame: 1,
            header: ":date"
        })
    );
    let extra = good.clone().header(":event-type", "smuggled");
    let error = verifier().verify(&extra, t0()).unwrap_err();
    assert_eq!(
        error,
        VerifyError::UnsignedHeader {
            frame: 1,
            name: ":event-type".into()
        }
    );
    assert!(error.to_string().contains("no signature covers"), "{error}");
    let as_string = Message::from_parts(
        vec![
            Header::new(CHUNK_SIGNATURE, "not bytes"),
            headers[1].clone(),
        ],
        payload.clone(),
    );
    assert_eq!(
        verifier().verify(&as_string, t0()),
        Err(VerifyError::HeaderType {
            frame: 1,
            header: ":chunk-signature",
            expected: "byte_array",
            found: "string"
        })
    );
    let short = Message::from_parts(
        vec![
            Header::new(CHUNK_SIGNATURE, Bytes::from_static(&[1, 2, 3])),
            headers[1].clone(),
        ],
        payload,
    );
    assert_eq!(
        verifier().verify(&short, t0()),
        Err(VerifyError::SignatureLength { frame: 1, len: 3 })
    );
    assert!(verifier().verify(&good, t0()).is_ok());
}

#[test]
fn a_signed_payload_that_is_not_a_message_is_refused() {
    let garbage = signed(|m| m, Bytes::from_static(b"not a frame at all"));
    let error = verifier().verify(&garbage, t0()).unwrap_err();
    assert!(
        matches!(error, VerifyError::Inner { frame: 1, .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("is not a message"), "{error}");
}

#[test]
fn the_clock_allows_the_skew_it_is_given() {
    let outer = signed(|m| m, encode(&event("one")).unwrap());
    let frame_time = UNIX_EPOCH + Duration::from_secs(1_767_323_045);
    let fifteen_minutes = frame_time + Duration::from_secs(15 * 60);
    assert!(verifier().verify(&outer, fifteen_minutes).is_ok());
    let later = fifteen_minutes + Duration::from_secs(1);
    let error = verifier().verify(&outer, later).unwrap_err();
    assert!(
        matches!(error, VerifyError::DateSkewed { frame: 1, .. }),
        "{error:?}"
    );
    let strict = verifier().with_max_skew(Duration::from_secs(1));
    let mut strict = strict;
    assert!(strict
        .verify(&outer, frame_time - Duration::from_secs(2))
        .is_err());
    assert!(strict
        .verify(&outer, frame_time - Duration::from_secs(1))
        .is_ok());
}

#[test]
fn a_frame_dated_where_sigv4_cannot_write_is_refused_not_a_panic() {
    for date in [
        DateTime::from_secs(-1),
        DateTime::from_secs(253_402_300_800),
        DateTime::from_millis(i64::MIN),
    ] {
        let outer = Message::new(Bytes::new())
            .header(CHUNK_SIGNATURE, Bytes::from(vec![0u8; 32]))
            .header(DATE, date);
        assert_eq!(
            verifier().verify(&outer, t0()),
            Err(VerifyError::DateOutOfRange { frame: 1, date })
        );
    }
}

#[test]
fn signer_and_verifier_can_move_into_a_spawned_stream() {
    fn send_sync<T: Send + Sync + 'static>() {}
    send_sync::<MessageSigner>();
    send_sync::<MessageVerifier>();
}
