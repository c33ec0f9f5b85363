//! The generated readers of output event streams, on arbitrary bodies:
//! Bedrock `ConverseStream` and `InvokeModelWithResponseStream`, Lambda
//! `InvokeWithResponseStream` and Kinesis `SubscribeToShard` (awsJson,
//! with its `initial-response`). The first byte picks the operation; the
//! rest is the response body, read through the operation's public
//! deserializer and `EventReceiver`, as a program reads a stream.
//!
//! Beyond "no panic": a stream ends (every read is ready, since the body
//! is in memory), after an error nothing more is read, and every event and
//! error can be printed.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sdkgen_runtime::{ByteStream, EventReceiver, HttpResponse, Operation, SdkError};
use std::fmt::Debug;
use std::task::{Context, Poll, Waker};

fuzz_target!(|data: &[u8]| {
    let Some((&which, body)) = data.split_first() else {
        return;
    };
    match which % 4 {
        0 => read::<bedrock_runtime::operation::converse_stream::ConverseStream, _, _>(body, |o| {
            o.stream
        }),
        1 => read::<
            bedrock_runtime::operation::invoke_model_with_response_stream::InvokeModelWithResponseStream,
            _,
            _,
        >(body, |o| o.body),
        2 => read::<lambda::operation::invoke_with_response_stream::InvokeWithResponseStream, _, _>(
            body,
            |o| o.event_stream,
        ),
        _ => read::<kinesis::operation::subscribe_to_shard::SubscribeToShard, _, _>(body, |o| {
            o.event_stream
        }),
    }
});

fn read<O, T, E>(body: &[u8], stream: impl FnOnce(O::Output) -> Option<EventReceiver<T, E>>)
where
    O: Operation<Error = E>,
    T: Debug,
    E: Debug + std::error::Error + Send + Sync + 'static,
{
    let headers = [("content-type", "application/vnd.amazon.eventstream")]
        .iter()
        .map(|(k, v)| (http::HeaderName::from_static(k), http::HeaderValue::from_static(v)))
        .collect();
    let response = HttpResponse::streaming(200, headers, ByteStream::new(body.to_vec()));
    let output = O::deserialize(response).expect("a 200 streaming answer always deserializes");
    let mut receiver = stream(output).expect("the output holds its stream");
    let mut cx = Context::from_waker(Waker::noop());
    // Each message takes at least 16 bytes: more reads than that is a loop.
    for _ in 0..=body.len() / 16 + 2 {
        match receiver.poll_recv(&mut cx) {
            Poll::Pending => panic!("a body in memory is never pending"),
            Poll::Ready(Ok(Some(event))) => drop(format!("{event:?}")),
            Poll::Ready(Ok(None)) => return,
            Poll::Ready(Err(e)) => {
                let _ = (e.to_string(), format!("{e:?}"), sdk_error_kind(&e));
                assert!(
                    matches!(receiver.poll_recv(&mut cx), Poll::Ready(Ok(None))),
                    "a stream is over after an error"
                );
                return;
            }
        }
    }
    panic!("the stream did not end");
}

fn sdk_error_kind<E>(e: &SdkError<E>) -> &'static str {
    match e {
        SdkError::Service { .. } => "service",
        SdkError::Response { .. } => "response",
        SdkError::Dispatch { .. } => "dispatch",
        SdkError::Timeout { .. } => "timeout",
        _ => "other",
    }
}
