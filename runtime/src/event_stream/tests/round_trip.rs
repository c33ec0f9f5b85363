//! Encoding then decoding gives the message back, for every header type
//! and the edges of each.

use super::*;

#[test]
fn every_header_type_round_trips() {
    let message = every_type();
    let frame = encode(&message).unwrap();
    let decoded = decode_message(frame.clone()).unwrap();
    assert_eq!(decoded, message);
    let get = |name| decoded.get(name).unwrap();
    assert_eq!(get("true").as_bool(), Some(true));
    assert_eq!(get("false").as_bool(), Some(false));
    assert_eq!(get("byte").as_byte(), Some(i8::MIN));
    assert_eq!(get("short").as_int16(), Some(i16::MAX));
    assert_eq!(get("int").as_int32(), Some(-123_456_789));
    assert_eq!(get("long").as_int64(), Some(i64::MIN));
    assert_eq!(
        get("bytes").as_byte_array().map(|b| &b[..]),
        Some(&b"\x00\xffraw"[..])
    );
    assert_eq!(get("string").as_str(), Some("déjà vu 🦀"));
    assert_eq!(
        get("timestamp").as_timestamp(),
        Some(DateTime::from_millis(1_422_172_800_123))
    );
    assert_eq!(get("uuid").as_uuid().unwrap()[15], 0x10);
    // A value is only what its type says: no conversions between types.
    assert_eq!(get("short").as_int32(), None);
    assert_eq!(get("string").as_byte_array(), None);
    // The encoding is the canonical one: decoding and encoding again gives
    // the same bytes.
    assert_eq!(encode(&decoded).unwrap(), frame);
}

#[test]
fn each_type_alone_round_trips_at_its_limits() {
    let values = [
        HeaderValue::Bool(true),
        HeaderValue::Bool(false),
        HeaderValue::Byte(i8::MAX),
        HeaderValue::Byte(-1),
        HeaderValue::Int16(i16::MIN),
        HeaderValue::Int32(i32::MAX),
        HeaderValue::Int32(i32::MIN),
        HeaderValue::Int64(i64::MAX),
        HeaderValue::ByteArray(Bytes::new()),
        HeaderValue::ByteArray(Bytes::from(vec![0xab; MAX_HEADER_VALUE_LEN])),
        HeaderValue::String(SharedStr::from_static("")),
        HeaderValue::String(SharedStr::from("é".repeat(MAX_HEADER_VALUE_LEN / 2))),
        HeaderValue::Timestamp(DateTime::from_millis(-1)),
        HeaderValue::Timestamp(DateTime::from_millis(i64::MAX)),
        HeaderValue::Timestamp(DateTime::from_millis(i64::MIN)),
        HeaderValue::Uuid([0xff; 16]),
    ];
    for value in values {
        let name = "n".repeat(MAX_HEADER_NAME_LEN);
        let message = Message::new("p").header(name, value.clone());
        let decoded = decode_message(encode(&message).unwrap()).unwrap();
        assert_eq!(decoded, message, "{}", value.type_name());
    }
}

#[test]
fn a_timestamp_finer_than_a_millisecond_is_rounded_down() {
    let cases = [
        (DateTime::from_secs_and_nanos(1, 999_999_999), 1_999),
        (DateTime::from_secs_and_nanos(-1, 500_000), -1_000),
        (DateTime::from_secs_and_nanos(0, 1), 0),
    ];
    for (time, millis) in cases {
        let frame = encode(&Message::new("").header("t", time)).unwrap();
        let decoded = decode_message(frame).unwrap();
        assert_eq!(
            decoded.get("t").unwrap().as_timestamp(),
            Some(DateTime::from_millis(millis)),
            "{time:?}"
        );
    }
}

#[test]
fn the_wire_layout_is_the_specifications() {
    // One string header and a payload, laid out by hand from the Smithy
    // specification's struct: total, headers length, prelude CRC, then
    // name length, name, type 7, value length, value, payload, CRC.
    let message = Message::new("{}").header(":event-type", "x");
    let frame = encode(&message).unwrap();
    let headers: &[u8] = b"\x0b:event-type\x07\x00\x01x";
    assert_eq!(frame, Bytes::from(raw_frame(headers, b"{}")));
    assert_eq!(&frame[..4], &(16 + 16 + 2u32).to_be_bytes());
    assert_eq!(&frame[4..8], &16u32.to_be_bytes());
    assert_eq!(&frame[8..12], &crc32fast::hash(&frame[..8]).to_be_bytes());
    // The header bytes alone, as event signing hashes them.
    let mut alone = bytes::BytesMut::new();
    encode_headers(message.headers(), &mut alone).unwrap();
    assert_eq!(&alone[..], headers);
}

#[test]
fn payloads_share_the_buffer_the_frame_arrived_in() {
    let frame = encode(&every_type()).unwrap();
    let decoded = decode_message(frame.clone()).unwrap();
    let range = frame.as_ptr_range();
    assert!(range.contains(&decoded.payload().as_ptr()));
    let name = decoded.headers()[0].name();
    assert!(range.contains(&name.as_ptr()));
}

#[test]
fn debug_shows_headers_but_not_the_payload() {
    let message = Message::new("secret reply").header(":event-type", "chunk");
    let shown = format!("{message:?}");
    assert!(
        shown.contains(":event-type") && shown.contains("chunk"),
        "{shown}"
    );
    assert!(shown.contains("12 bytes"), "{shown}");
    assert!(!shown.contains("secret"), "{shown}");
    // A decoder holding all but the last byte of it.
    let frame = encode(&message).unwrap();
    let mut decoder = Decoder::new();
    decoder.push(&frame[..frame.len() - 1]);
    assert_eq!(decoder.next_message(), Ok(None));
    let shown = format!("{decoder:?}");
    assert!(shown.contains("buffered: 47"), "{shown}");
    assert!(
        !shown.contains("secret") && !shown.contains("115, 101, 99"),
        "{shown}"
    );
}

#[test]
fn common_names_and_values_are_not_slices_of_the_frame() {
    let message = Message::new("{}")
        .header(":message-type", "event")
        .header(":event-type", "contentBlockDelta")
        .header(":content-type", "application/json");
    let frame = encode(&message).unwrap();
    let decoded = decode_message(frame.clone()).unwrap();
    assert_eq!(decoded, message);
    let within = |bytes: &[u8]| frame.as_ptr_range().contains(&bytes.as_ptr());
    let strings: Vec<(&[u8], &[u8])> = decoded
        .headers()
        .iter()
        .map(|h| (h.name_bytes(), h.value().as_str().unwrap().as_bytes()))
        .collect();
    // The three names and two of the values are static strings; the event
    // type, particular to a service, shares the frame's buffer.
    assert!(strings.iter().all(|(name, _)| !within(name)));
    assert!(!within(strings[0].1) && !within(strings[2].1));
    assert!(within(strings[1].1));
    // Unless the model names it: then it is static too.
    let mut decoder = Decoder::new().with_names(&["messageStop", "contentBlockDelta"]);
    decoder.push_chunk(frame.clone());
    let named = decoder.next_message().unwrap().unwrap();
    assert_eq!(named, message);
    let event_type = named.get(":event-type").unwrap().as_str().unwrap();
    assert!(!within(event_type.as_bytes()));
}
