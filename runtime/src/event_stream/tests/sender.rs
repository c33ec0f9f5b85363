//! The body of a request that sends events: each one signed in the chain
//! of the request's signature, checked here by the verifier; the end
//! frame; the same stream unsigned; a stream sent only once.

use super::super::{Decoder, EventSender, Message, MessageSigner, MessageVerifier, SignedEvents};
use crate::credentials::Credentials;
use http_body::Body;
use std::task::{Context, Poll, Waker};
use std::time::{Duration, SystemTime};

fn credentials() -> Credentials {
    Credentials::new(
        "AKIDEXAMPLE",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        None,
        None,
    )
}

const SEED: &str = "7b3ad4f2a3c1e0d9b8a7f6e5d4c3b2a1908f7e6d5c4b3a29180f7e6d5c4b3a29";

fn at() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000)
}

// The writer's type is `fn(&T)`, with `T` the events' type: `String` here.
#[allow(clippy::ptr_arg)]
fn framed(text: &String) -> Result<Message, crate::body::BoxError> {
    Ok(Message::new(text.clone()).header(":event-type", "chunk"))
}

/// Every frame of the body, decoded.
fn frames(mut body: SignedEvents) -> Vec<Message> {
    let mut cx = Context::from_waker(Waker::noop());
    let mut decoder = Decoder::new();
    let mut out = Vec::new();
    loop {
        match std::pin::Pin::new(&mut body).poll_frame(&mut cx) {
            Poll::Ready(Some(Ok(frame))) => decoder.push(frame.data_ref().unwrap()),
            Poll::Ready(None) => break,
            other => panic!("{other:?}"),
        }
        while let Some(message) = decoder.next_message().unwrap() {
            out.push(message);
        }
    }
    out
}

#[test]
fn each_event_is_signed_in_the_chain_and_the_stream_ends_signed() {
    let sender = EventSender::from_events(["one".to_string(), "two".to_string()]);
    let messages = sender.take_framed(framed).unwrap();
    let signer = MessageSigner::new(credentials(), "us-east-1", "bedrock", SEED);
    let body = messages.into_body(Some(signer), Box::new(at));
    let outer = frames(body);
    assert_eq!(outer.len(), 3, "two events and the end frame");
    let mut verifier = MessageVerifier::new(credentials(), "us-east-1", "bedrock", SEED);
    let first = verifier.verify(&outer[0], at()).unwrap().unwrap();
    assert_eq!(&first.payload()[..], b"one");
    let second = verifier.verify(&outer[1], at()).unwrap().unwrap();
    assert_eq!(&second.payload()[..], b"two");
    assert!(
        verifier.verify(&outer[2], at()).unwrap().is_none(),
        "the end"
    );
    // Out of order, a frame fails the chain.
    let mut verifier = MessageVerifier::new(credentials(), "us-east-1", "bedrock", SEED);
    assert!(verifier.verify(&outer[1], at()).is_err());
}

#[test]
fn unsigned_events_are_plain_frames_without_an_end_frame() {
    let sender = EventSender::from_events(["one".to_string()]);
    let body = sender
        .take_framed(framed)
        .unwrap()
        .into_body(None, Box::new(at));
    let messages = frames(body);
    assert_eq!(messages.len(), 1);
    assert_eq!(&messages[0].payload()[..], b"one");
    assert!(messages[0].get(":chunk-signature").is_none());
}

#[test]
fn a_sender_is_taken_once_and_a_default_one_sends_nothing() {
    let sender = EventSender::from_events(["x".to_string()]);
    assert!(sender.take_framed(framed).is_some());
    assert!(sender.take_framed(framed).is_none());
    assert!(EventSender::<String>::default()
        .take_framed(framed)
        .is_none());
}

#[test]
fn a_writer_error_ends_the_body_with_it() {
    let sender = EventSender::from_events(["x".to_string()]);
    let refuse =
        |_: &String| -> Result<Message, crate::body::BoxError> { Err("cannot be sent".into()) };
    let mut body = sender
        .take_framed(refuse)
        .unwrap()
        .into_body(None, Box::new(at));
    let mut cx = Context::from_waker(Waker::noop());
    match std::pin::Pin::new(&mut body).poll_frame(&mut cx) {
        Poll::Ready(Some(Err(e))) => assert_eq!(e.to_string(), "cannot be sent"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        std::pin::Pin::new(&mut body).poll_frame(&mut cx),
        Poll::Ready(None)
    ));
}
