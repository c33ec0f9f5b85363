//! The event-stream frame decoder (`sdkgen_runtime::event_stream`) on
//! arbitrary bytes, pushed in arbitrary chunks. Layout: the first byte
//! says how many of the next bytes (0 to 15) are chunk sizes (each plus
//! one, cycled); the rest is the stream.
//!
//! Beyond "no panic": the stream cut into those chunks must give exactly
//! what it gives pushed whole (the same messages, then the same error or
//! none), whether the chunks are copied (`push`) or kept (`push_chunk`,
//! with a few event types known as static strings), and every message
//! decoded, written again by the encoder, must be the very bytes it was
//! read from.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sdkgen_runtime::event_stream::{decode_message, encode, DecodeError, Decoder, Message};

fuzz_target!(|data: &[u8]| {
    let Some((&count, rest)) = data.split_first() else {
        return;
    };
    let (sizes, stream) = rest.split_at((count as usize % 16).min(rest.len()));
    let sizes: Vec<usize> = sizes.iter().map(|&s| s as usize + 1).collect();

    let whole = decode(stream, &[stream.len().max(1)], false);
    assert_eq!(
        decode(stream, &[stream.len().max(1)], true),
        whole,
        "keeping the chunk changed the outcome"
    );
    if !sizes.is_empty() {
        assert_eq!(
            decode(stream, &sizes, false),
            whole,
            "chunking changed the outcome"
        );
        assert_eq!(
            decode(stream, &sizes, true),
            whole,
            "chunking, the chunks kept, changed the outcome"
        );
    }

    let (messages, error) = &whole;
    let mut written = Vec::new();
    let mut all_written = true;
    for message in messages {
        let _ = format!("{message:?}");
        match message.route() {
            Ok(routed) => drop(format!("{routed:?}")),
            Err(e) => drop(e.to_string()),
        }
        // The encoder refuses what services would (a string header over
        // 32,767 bytes), which the decoder reads.
        match encode(message) {
            Ok(frame) => {
                assert_eq!(decode_message(frame.clone()).as_ref(), Ok(message));
                written.extend_from_slice(&frame);
            }
            Err(_) => all_written = false,
        }
    }
    if all_written {
        assert!(
            stream.starts_with(&written),
            "re-encoding changed the bytes"
        );
    }
    if let Some(error) = error {
        let _ = error.to_string();
    } else if messages.len() == 1 {
        assert_eq!(
            decode_message(stream.to_vec().into()).as_ref(),
            Ok(&messages[0])
        );
    }
});

/// The messages `stream` gives in chunks of these sizes, copied or kept,
/// and the error that stopped it, if one did.
fn decode(stream: &[u8], sizes: &[usize], kept: bool) -> (Vec<Message>, Option<DecodeError>) {
    let mut decoder = if kept {
        Decoder::new().with_names(&["chunk", "a", "initial-response"])
    } else {
        Decoder::new()
    };
    let mut messages = Vec::new();
    let mut rest = stream;
    let mut sizes = sizes.iter().cycle();
    loop {
        loop {
            match decoder.next_message() {
                Ok(Some(message)) => messages.push(message),
                Ok(None) => break,
                Err(error) => return (messages, Some(error)),
            }
        }
        if rest.is_empty() {
            if decoder.is_ended() {
                return (messages, None);
            }
            decoder.end();
            continue;
        }
        let size = sizes.next().copied().unwrap_or(1).min(rest.len());
        let (chunk, after) = rest.split_at(size);
        if kept {
            decoder.push_chunk(chunk.to_vec().into());
        } else {
            decoder.push(chunk);
        }
        rest = after;
    }
}
