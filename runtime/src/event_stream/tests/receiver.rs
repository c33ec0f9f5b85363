//! `EventReceiver` over a body held in memory, with readers that stand for
//! generated ones: events by type, exceptions and `error` messages as the
//! operation's error, the `initial-response` of the RPC protocols.

use super::super::{encode, EventReaders, EventReceiver, Message};
use crate::body::ByteStream;
use crate::error::{ErrorMetadata, SdkError, WireError};
use crate::http::HttpResponse;
use std::future::Future;
use std::task::{Context, Poll, Waker};

/// The "operation error" of these tests: what the readers were given.
#[derive(Debug, PartialEq)]
enum Failed {
    Exception {
        kind: String,
        body: String,
        content_type: Option<String>,
        request_id: Option<String>,
    },
    Unmodeled {
        code: Option<String>,
        message: Option<String>,
        status: u16,
    },
}

impl std::fmt::Display for Failed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}

impl std::error::Error for Failed {}

fn event(event_type: &str, message: &Message) -> Result<String, WireError> {
    let text = std::str::from_utf8(message.payload()).map_err(|_| WireError::new("not text"))?;
    if text == "bad" {
        return Err(WireError::new("a member does not fit"));
    }
    Ok(format!("{event_type}:{text}"))
}

fn exception(kind: &str, response: &HttpResponse) -> Failed {
    Failed::Exception {
        kind: kind.to_string(),
        body: String::from_utf8_lossy(&response.body).into_owned(),
        content_type: response.header("content-type").map(str::to_owned),
        request_id: response.request_id().map(str::to_owned),
    }
}

fn unhandled(meta: ErrorMetadata) -> Failed {
    Failed::Unmodeled {
        code: meta.code().map(str::to_owned),
        message: meta.message().map(str::to_owned),
        status: meta.status(),
    }
}

const REST: EventReaders<String, Failed> = EventReaders {
    operation: "Stream",
    event,
    // One type the tests send, one they do not: the others are decoded
    // as slices of the frame, and read the same.
    names: &["a", "never-sent"],
    exception,
    unhandled,
    initial_response: false,
};

const RPC: EventReaders<String, Failed> = EventReaders {
    initial_response: true,
    ..REST
};

fn ev(kind: &str, text: &str) -> Vec<u8> {
    let message = Message::new(text.to_string())
        .header(":message-type", "event")
        .header(":event-type", kind.to_string());
    encode(&message).unwrap().to_vec()
}

fn receiver(
    frames: &[Vec<u8>],
    readers: &EventReaders<String, Failed>,
) -> EventReceiver<String, Failed> {
    let head = [(
        http::HeaderName::from_static("x-amzn-requestid"),
        http::HeaderValue::from_static("req-1"),
    )];
    let body = ByteStream::new(frames.concat());
    let mut response = HttpResponse::streaming(200, head.into_iter().collect(), body);
    EventReceiver::from_response(&mut response, readers)
}

/// A future over memory never waits.
fn now<F: Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(value) => value,
        Poll::Pending => panic!("a body in memory made the reader wait"),
    }
}

fn all(mut stream: EventReceiver<String, Failed>) -> (Vec<String>, Option<SdkError<Failed>>) {
    let mut events = Vec::new();
    loop {
        match now(stream.recv()) {
            Ok(Some(e)) => events.push(e),
            Ok(None) => return (events, None),
            Err(e) => {
                assert!(
                    matches!(now(stream.recv()), Ok(None)),
                    "over after an error"
                );
                return (events, Some(e));
            }
        }
    }
}

#[test]
fn events_are_read_in_order_and_the_end_is_sticky() {
    let (events, failure) = all(receiver(&[ev("a", "1"), ev("b", "2")], &REST));
    assert_eq!(events, ["a:1", "b:2"]);
    assert!(failure.is_none());
}

#[test]
fn the_rpc_initial_response_is_passed_over_or_read_once() {
    let frames = [ev("initial-response", "{}"), ev("a", "1")];
    // REST streams have none: a message of that type is an event.
    let (events, _) = all(receiver(&frames, &REST));
    assert_eq!(events, ["initial-response:{}", "a:1"]);
    let (events, _) = all(receiver(&frames, &RPC));
    assert_eq!(events, ["a:1"]);

    let mut stream = receiver(&frames, &RPC);
    let initial = now(stream.initial_response())
        .unwrap()
        .expect("the initial response");
    assert_eq!(&initial.payload()[..], b"{}");
    assert!(
        now(stream.initial_response()).unwrap().is_none(),
        "only once"
    );
    assert_eq!(all(stream).0, ["a:1"]);

    // A stream that opens with an event keeps it for `recv`.
    let mut stream = receiver(&[ev("a", "1")], &RPC);
    assert!(now(stream.initial_response()).unwrap().is_none());
    assert_eq!(all(stream).0, ["a:1"]);
    // Only the first message can be the initial response.
    let (events, _) = all(receiver(
        &[ev("a", "1"), ev("initial-response", "{}")],
        &RPC,
    ));
    assert_eq!(events, ["a:1", "initial-response:{}"]);
}

#[test]
fn exceptions_and_errors_become_the_operations_error() {
    let thrown = Message::new("{\"message\":\"slow\"}")
        .header(":message-type", "exception")
        .header(":exception-type", "throttlingException")
        .header(":content-type", "application/json");
    let (events, failure) = all(receiver(
        &[ev("a", "1"), encode(&thrown).unwrap().to_vec()],
        &REST,
    ));
    assert_eq!(events, ["a:1"]);
    match failure {
        Some(SdkError::Service { source, operation }) => {
            assert_eq!(operation, "Stream");
            assert_eq!(
                source,
                Failed::Exception {
                    kind: "throttlingException".into(),
                    body: "{\"message\":\"slow\"}".into(),
                    content_type: Some("application/json".into()),
                    request_id: Some("req-1".into()),
                }
            );
        }
        other => panic!("{other:?}"),
    }
    let error = Message::new("")
        .header(":message-type", "error")
        .header(":error-code", "InternalFailure")
        .header(":error-message", "boom");
    let (_, failure) = all(receiver(&[encode(&error).unwrap().to_vec()], &REST));
    match failure {
        Some(SdkError::Service { source, .. }) => assert_eq!(
            source,
            Failed::Unmodeled {
                code: Some("InternalFailure".into()),
                message: Some("boom".into()),
                status: 200,
            }
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn unreadable_messages_and_events_are_response_errors() {
    let (_, failure) = all(receiver(&[ev("a", "bad")], &REST));
    let failure = failure.unwrap();
    assert!(matches!(failure, SdkError::Response { .. }), "{failure:?}");
    let report = crate::error::report(&failure);
    assert!(
        report.contains("the `a` event: a member does not fit"),
        "{report}"
    );
    let unrouted = encode(&Message::new("x").header(":message-type", "ping"))
        .unwrap()
        .to_vec();
    let (_, failure) = all(receiver(&[unrouted], &REST));
    assert!(crate::error::report(&failure.unwrap()).contains("unknown message type"));
}

#[test]
fn given_events_end_after_the_first_error_and_default_is_over() {
    let stream = EventReceiver::from_events([
        Ok("x".to_string()),
        Err(Failed::Unmodeled {
            code: None,
            message: None,
            status: 0,
        }),
        Ok("never".to_string()),
    ]);
    let (events, failure) = all(stream);
    assert_eq!(events, ["x"]);
    assert!(matches!(failure, Some(SdkError::Service { .. })));
    assert_eq!(all(EventReceiver::default()).0, Vec::<String>::new());
}
