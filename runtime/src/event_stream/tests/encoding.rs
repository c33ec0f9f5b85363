//! The encoder writes only messages that a service accepts, and says why
//! it refuses the others.

use super::*;
use bytes::BytesMut;

fn refused(message: &Message) -> EncodeError {
    let mut out = BytesMut::from(&b"kept"[..]);
    let error = encode_into(message, &mut out).unwrap_err();
    assert_eq!(&out[..], b"kept", "nothing written on an error");
    let mut headers = BytesMut::new();
    if let Err(headers_error) = encode_headers(message.headers(), &mut headers) {
        assert_eq!(headers_error, error);
        assert!(headers.is_empty());
    }
    error
}

#[test]
fn header_names_must_be_one_to_255_bytes() {
    assert_eq!(
        refused(&Message::new("").header("", true)),
        EncodeError::EmptyHeaderName
    );
    assert_eq!(
        refused(&Message::new("").header("n".repeat(256), true)),
        EncodeError::HeaderNameTooLong { len: 256 }
    );
}

#[test]
fn values_longer_than_the_specification_allows_are_refused() {
    let long = MAX_HEADER_VALUE_LEN + 1;
    assert_eq!(
        refused(&Message::new("").header("s", "x".repeat(long))),
        EncodeError::HeaderValueTooLong {
            name: "s".into(),
            len: long
        }
    );
    assert_eq!(
        refused(&Message::new("").header("b", Bytes::from(vec![0; long]))),
        EncodeError::HeaderValueTooLong {
            name: "b".into(),
            len: long
        }
    );
    assert_eq!(
        refused(&Message::new("").header("t", DateTime::from_secs(i64::MAX))),
        EncodeError::TimestampOutOfRange { name: "t".into() }
    );
}

#[test]
fn a_name_is_set_once() {
    let message = Message::new("")
        .header(":event-type", "a")
        .header(":event-type", "b");
    assert_eq!(
        refused(&message),
        EncodeError::DuplicateHeader {
            name: ":event-type".into()
        }
    );
}

#[test]
fn headers_and_payload_are_held_to_the_service_limits() {
    // Headers of 1 + 1 + 1 + 2 + n bytes: exactly 128 KiB.
    let mut message = Message::new("");
    for name in ["a", "b", "c"] {
        message = message.header(name, "x".repeat(MAX_HEADER_VALUE_LEN));
    }
    let message = message.header("d", "x".repeat(MAX_HEADERS_LEN - 3 * 32_772 - 5));
    let frame = encode(&message).unwrap();
    assert_eq!(frame.len(), 16 + MAX_HEADERS_LEN);
    assert_eq!(decode_message(frame).as_ref(), Ok(&message));
    let message = message.header("e", "");
    assert_eq!(
        refused(&message),
        EncodeError::HeadersTooLarge {
            len: MAX_HEADERS_LEN + 5,
            max: MAX_HEADERS_LEN
        }
    );
    let big = Bytes::from(vec![0u8; MAX_PAYLOAD_LEN + 1]);
    assert_eq!(
        refused(&Message::new(big.clone())),
        EncodeError::PayloadTooLarge {
            len: MAX_PAYLOAD_LEN + 1,
            max: MAX_PAYLOAD_LEN
        }
    );
    let at_limit = Message::new(big.slice(1..));
    let frame = encode(&at_limit).unwrap();
    assert_eq!(decode_message(frame), Ok(at_limit));
}

#[test]
fn errors_say_what_is_wrong_in_one_sentence() {
    assert_eq!(
        EncodeError::HeaderValueTooLong {
            name: "s".into(),
            len: 40_000
        }
        .to_string(),
        "event stream: the value of header \"s\" is 40000 bytes, more than 32767"
    );
    assert_eq!(
        DecodeError::PreludeChecksum {
            sent: 0xdeadbeef,
            computed: 0x8bb495fb
        }
        .to_string(),
        "event stream: the prelude's CRC32 is 0xdeadbeef but its bytes give 0x8bb495fb: \
         the message lengths are damaged"
    );
}

#[test]
fn frames_are_appended_after_what_is_there() {
    let mut out = BytesMut::from(&b"before"[..]);
    let first = Message::new("one").header("n", 1i32);
    let second = Message::new("two");
    encode_into(&first, &mut out).unwrap();
    encode_into(&second, &mut out).unwrap();
    assert_eq!(&out[..6], b"before");
    assert_eq!(decode_in_chunks(&out[6..], &[5]), Ok(vec![first, second]));
}
