//! Every kind of damaged or hostile input gives its own error, whole or in
//! chunks, and the decoder stays failed after it.

use super::*;

/// What decoding `bytes` gives, whole and byte by byte: both must agree.
fn decode_error(bytes: &[u8]) -> DecodeError {
    let whole = decode_in_chunks(bytes, &[bytes.len().max(1)]).unwrap_err();
    let bytewise = decode_in_chunks(bytes, &[1]).unwrap_err();
    assert_eq!(whole, bytewise);
    whole
}

fn string_header(name: &[u8], value: &[u8]) -> Vec<u8> {
    let mut bytes = vec![name.len() as u8];
    bytes.extend_from_slice(name);
    bytes.push(7);
    bytes.extend_from_slice(&(value.len() as u16).to_be_bytes());
    bytes.extend_from_slice(value);
    bytes
}

#[test]
fn a_damaged_prelude_is_caught_before_its_lengths_are_used() {
    let good = encode(&every_type()).unwrap().to_vec();
    let sent = u32::from_be_bytes(good[8..12].try_into().unwrap());
    for (at, bit) in [(0, 0x80), (3, 0x01), (5, 0x10), (7, 0x01)] {
        let mut bad = good.clone();
        bad[at] ^= bit;
        let computed = crc32fast::hash(&bad[..8]);
        assert_eq!(
            decode_error(&bad),
            DecodeError::PreludeChecksum { sent, computed },
            "byte {at}"
        );
    }
    let mut bad = good.clone();
    bad[10] ^= 0x04;
    assert!(matches!(
        decode_error(&bad),
        DecodeError::PreludeChecksum { .. }
    ));
    // The error comes with the twelfth byte, not once the announced
    // length (here 2 GiB more) has arrived.
    let mut decoder = Decoder::new();
    let mut huge = good.clone();
    huge[0] = 0x80;
    decoder.push(&huge[..11]);
    assert_eq!(decoder.next_message(), Ok(None));
    decoder.push(&huge[11..12]);
    assert!(decoder.next_message().is_err());
}

#[test]
fn a_damaged_message_is_caught_by_its_checksum() {
    let good = encode(&every_type()).unwrap().to_vec();
    let sent = u32::from_be_bytes(good[good.len() - 4..].try_into().unwrap());
    // A header name, a header value, the payload.
    for at in [13, 40, good.len() - 5] {
        let mut bad = good.clone();
        bad[at] ^= 0x20;
        let computed = crc32fast::hash(&bad[..bad.len() - 4]);
        assert_eq!(
            decode_error(&bad),
            DecodeError::MessageChecksum { sent, computed },
            "byte {at}"
        );
    }
    let mut bad = good.clone();
    let last = bad.len() - 1;
    bad[last] ^= 1;
    assert!(matches!(
        decode_error(&bad),
        DecodeError::MessageChecksum { .. }
    ));
}

#[test]
fn a_stream_that_ends_inside_a_message_is_truncated_wherever_it_ends() {
    let (_, stream) = three_messages();
    let first_len = encode(&three_messages().0[0]).unwrap().len();
    for end in 1..first_len {
        let mut decoder = Decoder::new();
        decoder.push(&stream[..end]);
        assert_eq!(decoder.next_message(), Ok(None), "end at {end}");
        decoder.end();
        let expected = DecodeError::Truncated {
            buffered: end,
            total_length: (end >= 12).then_some(first_len as u32),
        };
        assert_eq!(
            decoder.next_message(),
            Err(expected.clone()),
            "end at {end}"
        );
        assert_eq!(
            decode_message(Bytes::copy_from_slice(&stream[..end])),
            Err(expected)
        );
    }
    // Messages before the cut are still given, then the error.
    let mut decoder = Decoder::new();
    decoder.push(&stream[..first_len + 20]);
    decoder.end();
    assert!(decoder.next_message().unwrap().is_some());
    assert_eq!(
        decoder.next_message(),
        Err(DecodeError::Truncated {
            buffered: 20,
            total_length: Some((stream.len() - first_len - 16) as u32),
        })
    );
    assert_eq!(
        DecodeError::Truncated {
            buffered: 20,
            total_length: Some(300)
        }
        .to_string(),
        "event stream: the stream ended 20 bytes into a message of 300 bytes"
    );
}

#[test]
fn lengths_that_lie_are_refused_once_the_prelude_checks() {
    // Shorter than the framing itself.
    for total in [0, 1, 12, 15] {
        let mut bytes = prelude(total, 0);
        bytes.extend_from_slice(&[0; 8]);
        assert_eq!(
            decode_error(&bytes),
            DecodeError::TotalLengthTooShort {
                total_length: total
            }
        );
    }
    // Headers longer than the message.
    let mut bytes = prelude(20, 5);
    bytes.extend_from_slice(&[0; 8]);
    assert_eq!(
        decode_error(&bytes),
        DecodeError::HeadersLengthTooLong {
            headers_length: 5,
            total_length: 20
        }
    );
    let mut bytes = prelude(16, u32::MAX);
    bytes.extend_from_slice(&[0; 4]);
    assert!(matches!(
        decode_error(&bytes),
        DecodeError::HeadersLengthTooLong { .. }
    ));
    // Over the limits, refused before the body is waited for.
    let headers = (MAX_HEADERS_LEN + 1) as u32;
    assert_eq!(
        decode_error(&prelude(headers + 16, headers)),
        DecodeError::HeadersTooLarge {
            headers_length: headers,
            max: MAX_HEADERS_LEN
        }
    );
    assert_eq!(
        decode_error(&prelude(u32::MAX, 0)),
        DecodeError::PayloadTooLarge {
            payload_length: u32::MAX - 16,
            max: MAX_PAYLOAD_LEN
        }
    );
    // At the limit, a prelude is accepted and the decoder waits.
    let mut decoder = Decoder::new();
    decoder.push(&prelude(
        (16 + MAX_HEADERS_LEN + MAX_PAYLOAD_LEN) as u32,
        MAX_HEADERS_LEN as u32,
    ));
    assert_eq!(decoder.next_message(), Ok(None));
}

#[test]
fn the_payload_limit_can_be_set() {
    let frame = encode(&Message::new("12345")).unwrap();
    let mut decoder = Decoder::new().with_max_payload_len(4);
    decoder.push(&frame);
    assert_eq!(
        decoder.next_message(),
        Err(DecodeError::PayloadTooLarge {
            payload_length: 5,
            max: 4
        })
    );
    let mut decoder = Decoder::new().with_max_payload_len(5);
    decoder.push(&frame);
    assert!(decoder.next_message().unwrap().is_some());
}

#[test]
fn an_unknown_header_type_is_named() {
    for type_code in [10u8, 0x60, 0xff] {
        let headers = [&[4][..], b"kind", &[type_code], b"\x00\x01"].concat();
        assert_eq!(
            decode_error(&raw_frame(&headers, b"")),
            DecodeError::UnknownHeaderType {
                name: "kind".into(),
                type_code
            }
        );
    }
    let error = DecodeError::UnknownHeaderType {
        name: "kind".into(),
        type_code: 10,
    };
    assert_eq!(
        error.to_string(),
        "event stream: header \"kind\" has the unknown value type 10 (the types are 0 to 9)"
    );
}

#[test]
fn names_and_strings_must_be_utf8() {
    let headers = string_header(b"ok", b"fine")
        .into_iter()
        .chain(string_header(b"n\xffo", b"x"))
        .collect::<Vec<_>>();
    assert_eq!(
        decode_error(&raw_frame(&headers, b"")),
        DecodeError::HeaderNameNotUtf8 { offset: 10 }
    );
    let headers = string_header(b"text", b"caf\xe9");
    assert_eq!(
        decode_error(&raw_frame(&headers, b"")),
        DecodeError::HeaderStringNotUtf8 {
            name: "text".into()
        }
    );
    // Byte arrays are not text: any bytes will do.
    let mut headers = string_header(b"blob", b"caf\xe9");
    headers[5] = 6;
    let message = decode_message(raw_frame(&headers, b"").into()).unwrap();
    assert_eq!(
        message.get("blob").unwrap().as_byte_array().map(|b| &b[..]),
        Some(&b"caf\xe9"[..])
    );
}

#[test]
fn a_length_that_points_outside_the_headers_is_refused() {
    // A string's length runs past the section (into the payload, which
    // must not be read as a header value).
    let mut headers = string_header(b"s", b"abc");
    headers[3..5].copy_from_slice(&0xffffu16.to_be_bytes());
    assert_eq!(
        decode_error(&raw_frame(&headers, b"payload")),
        DecodeError::HeaderOutOfBounds {
            offset: 0,
            name: Some("s".into())
        }
    );
    // So does a name's.
    let headers = [&b"\x02ok\x00"[..], b"\x40short"].concat();
    assert_eq!(
        decode_error(&raw_frame(&headers, b"")),
        DecodeError::HeaderOutOfBounds {
            offset: 4,
            name: None
        }
    );
    // A fixed-size value cut by the end of the section, for each size.
    for (type_code, size) in [(2u8, 1usize), (3, 2), (4, 4), (5, 8), (8, 8), (9, 16)] {
        let mut headers = vec![1, b'v', type_code];
        headers.extend(std::iter::repeat_n(0, size - 1));
        assert_eq!(
            decode_error(&raw_frame(&headers, b"more")),
            DecodeError::HeaderOutOfBounds {
                offset: 0,
                name: Some("v".into())
            },
            "type {type_code}"
        );
    }
    // A type byte missing, and a length prefix cut in half.
    for headers in [&b"\x01v"[..], b"\x01v\x07\x00"] {
        assert!(matches!(
            decode_error(&raw_frame(headers, b"")),
            DecodeError::HeaderOutOfBounds { .. }
        ));
    }
}

#[test]
fn an_empty_or_repeated_header_name_is_refused() {
    assert_eq!(
        decode_error(&raw_frame(b"\x00\x00", b"")),
        DecodeError::EmptyHeaderName { offset: 0 }
    );
    let headers = [
        string_header(b":event-type", b"a"),
        string_header(b":message-type", b"event"),
        string_header(b":event-type", b"b"),
    ]
    .concat();
    assert_eq!(
        decode_error(&raw_frame(&headers, b"")),
        DecodeError::DuplicateHeader {
            name: ":event-type".into()
        }
    );
    // Many headers, found through the set rather than pairwise.
    let mut headers: Vec<u8> = (0..400u16)
        .flat_map(|i| [&[5][..], format!("h{i:04}").as_bytes(), &[0]].concat())
        .collect();
    headers.extend_from_slice(b"\x05h0399\x01");
    assert_eq!(
        decode_error(&raw_frame(&headers, b"")),
        DecodeError::DuplicateHeader {
            name: "h0399".into()
        }
    );
}

#[test]
fn one_message_is_exactly_one() {
    let mut bytes = encode(&every_type()).unwrap().to_vec();
    bytes.extend_from_slice(b"xyz");
    assert_eq!(
        decode_message(bytes.into()),
        Err(DecodeError::TrailingBytes { count: 3 })
    );
}

#[test]
fn after_an_error_the_decoder_stays_failed() {
    let mut bad = encode(&every_type()).unwrap().to_vec();
    bad[20] ^= 1;
    let good = encode(&Message::new("fine")).unwrap();
    let mut decoder = Decoder::new();
    decoder.push(&bad);
    let error = decoder.next_message().unwrap_err();
    assert!(matches!(error, DecodeError::MessageChecksum { .. }));
    decoder.push(&good);
    assert_eq!(decoder.next_message(), Err(error.clone()));
    decoder.end();
    assert_eq!(decoder.next_message(), Err(error));
}
