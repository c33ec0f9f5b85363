//! However the body is cut into chunks, the same messages come out.

use super::*;

#[test]
fn a_stream_cut_at_every_byte_boundary_decodes_the_same() {
    let (expected, stream) = three_messages();
    assert_eq!(
        decode_in_chunks(&stream, &[stream.len()]),
        Ok(expected.clone())
    );
    for cut in 0..=stream.len() {
        let sizes = [cut.max(1), stream.len()];
        let decoded = decode_in_chunks(&stream, &sizes);
        assert_eq!(decoded.as_ref(), Ok(&expected), "cut at {cut}");
    }
}

#[test]
fn a_message_cut_at_every_pair_of_boundaries_decodes_the_same() {
    let message = Message::new("{\"text\":\"Hello\"}")
        .header(":message-type", "event")
        .header(":event-type", "chunk");
    let frame = encode(&message).unwrap();
    for first in 0..=frame.len() {
        for second in first..=frame.len() {
            let mut decoder = Decoder::new();
            let mut out = Vec::new();
            for piece in [&frame[..first], &frame[first..second], &frame[second..]] {
                decoder.push(piece);
                out.extend(decoder.next_message().unwrap());
            }
            decoder.end();
            assert_eq!(decoder.next_message(), Ok(None));
            assert_eq!(
                out,
                std::slice::from_ref(&message),
                "cuts at {first} and {second}"
            );
        }
    }
}

#[test]
fn byte_by_byte_and_in_uneven_chunks_decodes_the_same() {
    let (expected, stream) = three_messages();
    for sizes in [&[1][..], &[2, 3], &[7, 1, 13], &[11, 12, 13], &[100, 1]] {
        assert_eq!(
            decode_in_chunks(&stream, sizes).as_ref(),
            Ok(&expected),
            "{sizes:?}"
        );
    }
}

#[test]
fn a_message_is_given_only_once_it_is_whole() {
    let (expected, stream) = three_messages();
    let first_len = encode(&expected[0]).unwrap().len();
    let mut decoder = Decoder::new();
    decoder.push(&stream[..first_len - 1]);
    assert_eq!(decoder.next_message(), Ok(None));
    decoder.push(&stream[first_len - 1..first_len + 3]);
    assert_eq!(decoder.next_message(), Ok(Some(expected[0].clone())));
    assert_eq!(decoder.next_message(), Ok(None));
    assert!(!decoder.is_ended());
    decoder.push(&stream[first_len + 3..]);
    decoder.end();
    assert!(decoder.is_ended());
    assert_eq!(decoder.next_message(), Ok(Some(expected[1].clone())));
    assert_eq!(decoder.next_message(), Ok(Some(expected[2].clone())));
    assert_eq!(decoder.next_message(), Ok(None));
    assert_eq!(decoder.next_message(), Ok(None));
}

#[test]
fn an_empty_stream_is_no_messages() {
    let mut decoder = Decoder::new();
    assert_eq!(decoder.next_message(), Ok(None));
    decoder.push(b"");
    decoder.end();
    assert_eq!(decoder.next_message(), Ok(None));
}

#[test]
fn messages_a_chunk_holds_whole_are_slices_of_it_and_the_rest_is_gathered() {
    let (expected, stream) = three_messages();
    let first_len = encode(&expected[0]).unwrap().len();
    // The first message whole, and the start of the second.
    let chunk = Bytes::copy_from_slice(&stream[..first_len + 5]);
    let within = |payload: &Bytes| {
        let range = chunk.as_ptr_range();
        !payload.is_empty() && range.contains(&payload.as_ptr())
    };
    let mut decoder = Decoder::new();
    decoder.push_chunk(chunk.clone());
    let first = decoder.next_message().unwrap().unwrap();
    assert_eq!(first, expected[0]);
    assert!(within(first.payload()), "not copied out of the chunk");
    assert_eq!(decoder.next_message(), Ok(None));
    // The second message spans two chunks: it is gathered, so it is not a
    // slice of the first one.
    decoder.push_chunk(Bytes::copy_from_slice(&stream[first_len + 5..]));
    let second = decoder.next_message().unwrap().unwrap();
    assert_eq!(second, expected[1]);
    assert!(!within(second.payload()));
    assert_eq!(decoder.next_message(), Ok(Some(expected[2].clone())));
    decoder.end();
    assert_eq!(decoder.next_message(), Ok(None));
}

#[test]
fn repeated_header_sections_read_as_each_message_says() {
    let event = |kind: &str, content_type: &'static str, n: u8| {
        Message::new(format!("{{\"n\":{n}}}"))
            .header(":message-type", "event")
            .header(":event-type", kind.to_string())
            .header(":content-type", content_type)
    };
    let json = "application/json";
    // Sections of the same length that differ in one byte ("delta" and
    // "other"), with types the model names (static strings: remembered)
    // and one it does not (a share of the frame: not remembered), in
    // turns.
    let messages = [
        event("delta", json, 1),
        event("delta", json, 2),
        event("other", json, 3),
        event("delta", json, 4),
        event("delta", "text/plain", 5),
        event("unknown-type", json, 6),
        event("unknown-type", json, 7),
        event("delta", json, 8),
        Message::default(),
        event("delta", json, 9),
    ];
    let mut decoder = Decoder::new().with_names(&["delta", "other"]);
    let mut decoded = Vec::new();
    for message in &messages {
        decoder.push_chunk(encode(message).unwrap());
        decoded.extend(decoder.next_message().unwrap());
    }
    assert_eq!(decoded, messages);
}

#[test]
fn messages_sharing_headers_are_still_each_their_own() {
    let message = Message::new("{}")
        .header(":message-type", "event")
        .header(":event-type", "delta");
    let mut decoder = Decoder::new().with_names(&["delta"]);
    let mut next = || {
        decoder.push_chunk(encode(&message).unwrap());
        decoder.next_message().unwrap().unwrap()
    };
    let (mut first, second) = (next(), next());
    first.push_header(Header::new(":content-type", "application/json"));
    assert_eq!(first.headers().len(), 3);
    assert_eq!(second, message);
    assert_eq!(next(), message);
    let (headers, payload) = second.into_parts();
    assert_eq!(
        (&headers[..], &payload[..]),
        (message.headers(), &b"{}"[..])
    );
}
