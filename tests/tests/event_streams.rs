//! Output event streams end to end, on the generated Bedrock Runtime and
//! Lambda crates, against a loopback server that frames events as AWS
//! does: replies cut at arbitrary byte boundaries, modeled exceptions and
//! `error` messages mid-stream, damaged frames, a connection dropped
//! mid-frame, a server gone silent, and a receiver dropped early.

use bedrock_runtime::error::{DispatchErrorKind, TimeoutKind};
use bedrock_runtime::operation::converse_stream::{
    ConverseStream, ConverseStreamError, ConverseStreamOutput,
};
use bedrock_runtime::test_util::{Mocks, Rule};
use bedrock_runtime::types::{
    ContentBlockDelta, ContentBlockDeltaEvent, ConverseStreamOutput as Event, StopReason,
};
use bedrock_runtime::{Client, EventReceiver, ProvideErrorMetadata, SdkError, TimeoutConfig};
use sdkgen_runtime::clock::Sleep;
use sdkgen_runtime::credentials::BoxFuture;
use sdkgen_runtime::event_stream::{HeaderValue, Message};
use sdkgen_tests::event_server::{
    binary_event, error, event, exception, frame, EventServer, Script, Step,
};
use sdkgen_tests::sigv4_verify::verify;
use sdkgen_tests::{test_config, SECRET_KEY};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

fn client(url: &str) -> Client {
    Client::new(test_config(url).0.build())
}

/// A reply as Bedrock streams one: a start, text deltas (with the padding
/// field `p` Bedrock adds), a stop and the metadata.
fn reply(deltas: &[&str]) -> Vec<Vec<u8>> {
    let mut frames = vec![event(
        "messageStart",
        r#"{"p":"abcdefgh","role":"assistant"}"#,
    )];
    for text in deltas {
        let json = serde_json::json!({"contentBlockIndex": 0, "delta": {"text": text}, "p": "abc"});
        frames.push(event("contentBlockDelta", &json.to_string()));
    }
    frames.push(event(
        "contentBlockStop",
        r#"{"contentBlockIndex":0,"p":"ab"}"#,
    ));
    frames.push(event(
        "messageStop",
        r#"{"stopReason":"end_turn","p":"abcd"}"#,
    ));
    frames.push(event(
        "metadata",
        r#"{"usage":{"inputTokens":12,"outputTokens":7,"totalTokens":19},"metrics":{"latencyMs":321},"p":"a"}"#,
    ));
    frames
}

async fn converse(client: &Client) -> EventReceiver<Event, ConverseStreamError> {
    let output = client
        .converse_stream()
        .model_id("anthropic.claude-3-haiku")
        .send()
        .await
        .expect("the stream starts");
    output.stream.expect("a stream")
}

/// Every event until the end or the first error.
async fn drain(
    stream: &mut EventReceiver<Event, ConverseStreamError>,
) -> (Vec<Event>, Option<SdkError<ConverseStreamError>>) {
    let mut events = Vec::new();
    loop {
        match stream.recv().await {
            Ok(Some(e)) => events.push(e),
            Ok(None) => return (events, None),
            Err(e) => return (events, Some(e)),
        }
    }
}

fn text(events: &[Event]) -> String {
    events
        .iter()
        .filter_map(|e| match e {
            Event::ContentBlockDelta(ContentBlockDeltaEvent {
                delta: Some(ContentBlockDelta::Text(t)),
                ..
            }) => Some(t.as_str()),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn a_reply_cut_at_any_byte_boundary_reads_the_same() {
    let deltas = ["Hel", "lo, ", "wor", "ld! ", "ünïcödé ", "🦀"];
    for seed in 1..=12u64 {
        let server = EventServer::start(move |_| Script::cut(&reply(&deltas), seed)).await;
        let mut stream = converse(&client(&server.url())).await;
        let (events, failure) = drain(&mut stream).await;
        assert!(failure.is_none(), "seed {seed}: {failure:?}");
        assert_eq!(text(&events), "Hello, world! ünïcödé 🦀", "seed {seed}");
        assert_eq!(events.len(), 4 + deltas.len(), "seed {seed}");
        assert_eq!(
            events[0]
                .as_message_start()
                .unwrap()
                .role
                .as_ref()
                .map(|r| r.as_str()),
            Some("assistant")
        );
        let stop = events[events.len() - 2].as_message_stop().unwrap();
        assert_eq!(stop.stop_reason, Some(StopReason::EndTurn));
        let meta = events.last().unwrap().as_metadata().unwrap();
        let usage = meta.usage.as_ref().unwrap();
        assert_eq!(
            (usage.input_tokens, usage.output_tokens),
            (Some(12), Some(7))
        );
        assert_eq!(meta.metrics.as_ref().unwrap().latency_ms, Some(321));
        // The end is sticky.
        assert!(matches!(stream.recv().await, Ok(None)));
    }
}

#[tokio::test]
async fn the_request_is_signed_and_names_the_model() {
    let server = EventServer::start(|_| Script::cut(&reply(&["x"]), 7)).await;
    let mut stream = converse(&client(&server.url())).await;
    drain(&mut stream).await;
    let request = &server.requests()[0];
    assert_eq!(request.method, "POST");
    assert_eq!(
        request.target,
        "/model/anthropic.claude-3-haiku/converse-stream"
    );
    verify(request, SECRET_KEY).unwrap_or_else(|e| panic!("{e}"));
}

#[tokio::test]
async fn events_come_as_they_arrive_not_when_the_body_ends() {
    let mut frames = reply(&["first", "second"]);
    let rest = frames.split_off(2);
    let mut steps: Vec<Step> = frames.into_iter().map(Step::Send).collect();
    steps.push(Step::Pause);
    steps.extend(rest.into_iter().map(Step::Send));
    let server = EventServer::start(move |_| Script::stream(steps.clone())).await;
    let mut stream = converse(&client(&server.url())).await;
    assert!(stream.recv().await.unwrap().unwrap().is_message_start());
    // The server holds the rest back until the client has read this one.
    let delta = stream.recv().await.unwrap().unwrap();
    assert_eq!(text(&[delta]), "first");
    server.resume();
    let (events, failure) = drain(&mut stream).await;
    assert!(failure.is_none(), "{failure:?}");
    assert_eq!(text(&events), "second");
}

#[tokio::test]
async fn a_modeled_exception_mid_stream_is_the_operations_error() {
    let cases = [
        (
            "throttlingException",
            "Too many tokens, please wait.",
            "ThrottlingException",
        ),
        (
            "modelStreamErrorException",
            "The model failed mid-stream.",
            "ModelStreamErrorException",
        ),
    ];
    for (kind, message, code) in cases {
        let mut frames = reply(&["partial "]);
        frames.truncate(2);
        frames.push(exception(
            kind,
            &format!(r#"{{"message":"{message}","originalStatusCode":500}}"#),
        ));
        let server = EventServer::start(move |_| Script::cut(&frames, 3)).await;
        let mut stream = converse(&client(&server.url())).await;
        let (events, failure) = drain(&mut stream).await;
        assert_eq!(text(&events), "partial ");
        let failure = failure.expect("the exception ends the stream");
        assert_eq!(failure.operation(), "ConverseStream");
        let error = failure.as_service_error().expect("a service error");
        assert_eq!(error.code(), Some(code), "{error}");
        assert_eq!(error.message(), Some(message));
        assert_eq!(error.request_id(), Some("event-request-1"));
        match (kind, error) {
            ("throttlingException", ConverseStreamError::ThrottlingException(e)) => {
                assert_eq!(e.message(), Some(message));
            }
            ("modelStreamErrorException", ConverseStreamError::ModelStreamErrorException(e)) => {
                assert_eq!(e.original_status_code(), Some(500));
            }
            other => panic!("{kind} read as {other:?}"),
        }
        assert!(
            matches!(stream.recv().await, Ok(None)),
            "the stream is over"
        );
    }
}

#[tokio::test]
async fn an_error_message_is_an_unmodeled_error_with_its_code() {
    let mut frames = reply(&["a"]);
    frames.truncate(2);
    frames.push(error("InternalFailure", "An internal error occurred."));
    let server = EventServer::start(move |_| Script::cut(&frames, 5)).await;
    let mut stream = converse(&client(&server.url())).await;
    let (events, failure) = drain(&mut stream).await;
    assert_eq!(events.len(), 2);
    let failure = failure.unwrap();
    let error = failure.as_service_error().unwrap();
    #[allow(deprecated)]
    let unhandled = matches!(error, ConverseStreamError::Unhandled(_));
    assert!(unhandled, "{error:?}");
    assert_eq!(error.code(), Some("InternalFailure"));
    assert_eq!(error.message(), Some("An internal error occurred."));
}

#[tokio::test]
async fn an_event_type_the_model_does_not_know_is_unknown_and_the_stream_goes_on() {
    let mut frames = reply(&["a", "b"]);
    frames.insert(
        2,
        event("reasoningSummary", r#"{"text":"new in a later model"}"#),
    );
    let server = EventServer::start(move |_| Script::cut(&frames, 9)).await;
    let mut stream = converse(&client(&server.url())).await;
    let (events, failure) = drain(&mut stream).await;
    assert!(failure.is_none(), "{failure:?}");
    assert!(events[2].is_unknown());
    assert_eq!(text(&events), "ab");
}

#[tokio::test]
async fn damaged_frames_give_clear_errors_not_panics() {
    let good = event(
        "contentBlockDelta",
        r#"{"contentBlockIndex":0,"delta":{"text":"ok"}}"#,
    );
    let mut bad_crc = good.clone();
    let last = bad_crc.len() - 1;
    bad_crc[last] ^= 0xff;
    let mut lying_length = good.clone();
    lying_length[3] = lying_length[3].wrapping_add(1);
    // A header of type 12, which the format does not have, behind valid
    // CRCs: the decoder must refuse the header, not the checksum.
    let unknown_type = {
        let mut headers = vec![11u8];
        headers.extend_from_slice(b":event-type");
        headers.push(12);
        let total = 12 + headers.len() + 4;
        let mut bytes = Vec::new();
        bytes.extend_from_slice(&(total as u32).to_be_bytes());
        bytes.extend_from_slice(&(headers.len() as u32).to_be_bytes());
        let prelude_crc = crc32(&bytes);
        bytes.extend_from_slice(&prelude_crc.to_be_bytes());
        bytes.extend_from_slice(&headers);
        let crc = crc32(&bytes);
        bytes.extend_from_slice(&crc.to_be_bytes());
        bytes
    };
    let bad_json = event("contentBlockDelta", r#"{"contentBlockIndex":"zero"}"#);
    let cases: [(Vec<u8>, &str); 4] = [
        (bad_crc, "CRC32"),
        (lying_length, "CRC32"),
        (unknown_type, "type 12"),
        (bad_json, "contentBlockDelta"),
    ];
    for (damaged, expected) in cases {
        let frames = vec![good.clone(), damaged];
        let server = EventServer::start(move |_| Script::cut(&frames, 11)).await;
        let mut stream = converse(&client(&server.url())).await;
        let (events, failure) = drain(&mut stream).await;
        assert_eq!(events.len(), 1, "the good frame before the damage is read");
        let failure = failure.expect("an error");
        let report = sdkgen_runtime::error::report(&failure);
        assert!(report.contains(expected), "{expected}: {report}");
        match (expected, &failure) {
            ("CRC32", SdkError::Dispatch { source, .. }) => {
                assert_eq!(source.kind(), DispatchErrorKind::Checksum)
            }
            (_, SdkError::Response { source, .. }) => assert_eq!(source.status(), 200),
            other => panic!("{expected}: {other:?}"),
        }
    }
}

/// CRC-32 (IEEE), written out here so the test does not trust the
/// runtime's framing to build its bad input.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[tokio::test]
async fn a_connection_dropped_mid_frame_is_a_dispatch_error() {
    let frames = reply(&["one", "two"]);
    let first_two: Vec<u8> = frames[..2].concat();
    let third = &frames[2];
    let steps = vec![
        Step::Send(first_two),
        Step::Send(third[..third.len() / 2].to_vec()),
        Step::Drop,
    ];
    let server = EventServer::start(move |_| Script::stream(steps.clone())).await;
    let mut stream = converse(&client(&server.url())).await;
    let (events, failure) = drain(&mut stream).await;
    assert_eq!(text(&events), "one");
    match failure.expect("an error") {
        SdkError::Dispatch { source, .. } => assert_eq!(source.kind(), DispatchErrorKind::Io),
        other => panic!("{other:?}"),
    }
}

/// A sleep that ends when the test says so: the read timeout fires on cue.
#[derive(Debug, Clone, Default)]
struct GatedSleep(Arc<Notify>);

impl Sleep for GatedSleep {
    fn sleep(&self, _duration: Duration) -> BoxFuture<'static, ()> {
        let gate = self.0.clone();
        Box::pin(async move { gate.notified().await })
    }
}

#[tokio::test]
async fn silence_longer_than_the_read_timeout_ends_the_stream() {
    let frames = reply(&["a"]);
    let steps = vec![Step::Send(frames[0].clone()), Step::Pause];
    let server = EventServer::start(move |_| Script::stream(steps.clone())).await;
    let gate = GatedSleep::default();
    let config = test_config(&server.url())
        .0
        .sleep(Arc::new(gate.clone()))
        .timeout_config(TimeoutConfig::default().with_read(Some(Duration::from_secs(30))))
        .build();
    let mut stream = converse(&Client::new(config)).await;
    assert!(stream.recv().await.unwrap().unwrap().is_message_start());
    // The server says nothing more; the read timeout runs out.
    gate.0.notify_one();
    match stream.recv().await {
        Err(SdkError::Timeout { source, .. }) => {
            assert_eq!(source.kind(), TimeoutKind::Read);
            assert_eq!(source.limit(), Duration::from_secs(30));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn dropping_the_receiver_closes_the_connection() {
    let frames = reply(&["a"]);
    let steps = vec![Step::Send(frames[0].clone()), Step::Pause];
    let server = EventServer::start(move |_| Script::stream(steps.clone())).await;
    let mut stream = converse(&client(&server.url())).await;
    assert!(stream.recv().await.unwrap().is_some());
    drop(stream);
    tokio::time::timeout(Duration::from_secs(10), server.client_closed())
        .await
        .expect("the client closes the connection");
}

#[tokio::test]
async fn an_error_before_the_stream_is_the_call_error() {
    let server = EventServer::start(|_| Script {
        status: 429,
        headers: vec![
            ("content-type".into(), "application/json".into()),
            ("x-amzn-errortype".into(), "ThrottlingException".into()),
        ],
        steps: vec![Step::Send(br#"{"message":"slow down"}"#.to_vec())],
    })
    .await;
    let config = test_config(&server.url()).0.build();
    let failure = Client::new(config)
        .converse_stream()
        .model_id("m")
        .send()
        .await
        .unwrap_err();
    let error = failure.as_service_error().unwrap();
    assert!(error.is_throttling_exception(), "{error:?}");
    assert_eq!(error.message(), Some("slow down"));
    assert_eq!(server.requests().len(), 3, "retried as any throttled call");
}

#[tokio::test]
async fn receivers_are_streams_too() {
    use std::future::poll_fn;
    use std::pin::Pin;
    let server = EventServer::start(|_| Script::cut(&reply(&["x", "y"]), 2)).await;
    let mut stream = converse(&client(&server.url())).await;
    let mut count = 0;
    while let Some(item) =
        poll_fn(|cx| futures_core::Stream::poll_next(Pin::new(&mut stream), cx)).await
    {
        item.unwrap();
        count += 1;
    }
    assert_eq!(count, 6);
}

#[tokio::test]
#[allow(clippy::result_large_err)] // the operation's error, as a stream yields it
async fn a_test_double_answers_with_a_list_of_events() {
    let rule = Rule::<ConverseStream>::new().then_output(|| {
        let delta = |t: &str| {
            Ok(Event::ContentBlockDelta(
                ContentBlockDeltaEvent::builder()
                    .content_block_index(0)
                    .delta(ContentBlockDelta::Text(t.to_string()))
                    .build(),
            ))
        };
        ConverseStreamOutput::builder()
            .stream(EventReceiver::from_events(vec![
                delta("from "),
                delta("a double"),
                Err(ConverseStreamError::ThrottlingException(
                    bedrock_runtime::types::error::ThrottlingException::builder()
                        .message("mocked")
                        .build(),
                )),
            ]))
            .build()
    });
    let client = Client::new(Mocks::new().rule(&rule).config().build());
    let mut stream = converse(&client).await;
    let (events, failure) = drain(&mut stream).await;
    assert_eq!(text(&events), "from a double");
    assert!(failure
        .unwrap()
        .as_service_error()
        .unwrap()
        .is_throttling_exception());
}

#[tokio::test]
async fn lambda_streams_payload_chunks_then_completes() {
    let frames = vec![
        binary_event("PayloadChunk", b"{\"partial\":"),
        binary_event("PayloadChunk", b"\x00\xffbinary"),
        event("InvokeComplete", r#"{"LogResult":"bG9ncw=="}"#),
    ];
    let server = EventServer::start(move |_| {
        Script::cut(&frames, 13)
            .with_header("X-Amz-Executed-Version", "7")
            .with_header("Content-Type", "application/vnd.amazon.eventstream")
    })
    .await;
    let config = test_config(&server.url()).0.build();
    let output = lambda::Client::new(config)
        .invoke_with_response_stream()
        .function_name("my-function")
        .payload(lambda::Blob::new(b"{}".to_vec()))
        .send()
        .await
        .unwrap();
    assert_eq!(output.executed_version(), Some("7"));
    assert_eq!(output.status_code(), Some(200));
    let mut stream = output.event_stream.unwrap();
    let mut chunks = Vec::new();
    let mut complete = None;
    while let Some(event) = stream.recv().await.unwrap() {
        use lambda::types::InvokeWithResponseStreamResponseEvent as E;
        match event {
            E::PayloadChunk(chunk) => chunks.extend(chunk.payload.unwrap().into_inner()),
            E::InvokeComplete(done) => complete = Some(done),
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(chunks, b"{\"partial\":\x00\xffbinary");
    assert_eq!(complete.unwrap().log_result(), Some("bG9ncw=="));
    let request = &server.requests()[0];
    assert_eq!(
        request.target,
        "/2021-11-15/functions/my-function/response-streaming-invocations"
    );
}

#[test]
fn the_test_frames_are_valid_messages() {
    // The helpers build what the decoder reads back.
    let bytes = frame(Message::new("x").header(":message-type", "event"));
    let message = sdkgen_runtime::event_stream::decode_message(bytes.into()).unwrap();
    assert_eq!(
        message.get(":message-type"),
        Some(&HeaderValue::String("event".into()))
    );
}

/// Kinesis speaks awsJson and asks for HTTP/2 (`protocolSettings.h2` is
/// `eventstream`): over plain `http://` the client speaks h2c, and the
/// stream opens with the `initial-response` event, which is not an event
/// of the union.
#[tokio::test]
async fn kinesis_subscribe_to_shard_streams_over_http2_after_its_initial_response() {
    use http_body_util::BodyExt;
    use kinesis::types::SubscribeToShardEventStream as Shard;
    use sdkgen_tests::h2_server::{streaming, H2Server};

    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let record = seen.clone();
    let server = H2Server::plain(move |request: hyper::Request<hyper::body::Incoming>, _| {
        let record = record.clone();
        async move {
            let version = request.version();
            let target = request.headers()["x-amz-target"].to_str().unwrap().to_string();
            let body = request.into_body().collect().await.unwrap().to_bytes();
            record.lock().unwrap().push((version, target, body));
            let (mut sender, body) = streaming();
            tokio::spawn(async move {
                let records = r#"{"Records":[{"Data":"aGVsbG8=","PartitionKey":"pk","SequenceNumber":"1","ApproximateArrivalTimestamp":1.7e9}],"ContinuationSequenceNumber":"2","MillisBehindLatest":0}"#;
                let frames = [
                    event("initial-response", "{}"),
                    event("SubscribeToShardEvent", records),
                    exception("ResourceInUseException", r#"{"message":"another consumer"}"#),
                ];
                for frame in frames {
                    sender.send_data(frame.into()).await.unwrap();
                }
            });
            hyper::Response::builder()
                .header("content-type", "application/vnd.amazon.eventstream")
                .body(body)
                .unwrap()
        }
    })
    .await;
    let config = test_config(&server.url()).0.build();
    let output = kinesis::Client::new(config)
        .subscribe_to_shard()
        .consumer_arn("arn:aws:kinesis:us-east-1:123456789012:stream/s/consumer/c:1")
        .shard_id("shardId-000000000000")
        .starting_position(
            kinesis::types::StartingPosition::builder()
                .r#type(kinesis::types::ShardIteratorType::TrimHorizon)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let mut stream = output.event_stream.unwrap();
    let first = stream.recv().await.unwrap().expect("an event");
    let Shard::SubscribeToShardEvent(shard) = first else {
        panic!("{first:?}");
    };
    let records = shard.records.as_ref().unwrap();
    assert_eq!(records[0].data.as_ref().unwrap().as_bytes(), b"hello");
    assert_eq!(shard.continuation_sequence_number.as_deref(), Some("2"));
    let failure = stream.recv().await.unwrap_err();
    let error = failure.as_service_error().unwrap();
    assert!(error.is_resource_in_use_exception(), "{error:?}");
    assert_eq!(error.message(), Some("another consumer"));
    let (version, target, body) = seen.lock().unwrap()[0].clone();
    assert_eq!(version, http::Version::HTTP_2);
    assert_eq!(target, "Kinesis_20131202.SubscribeToShard");
    let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(body["ShardId"], "shardId-000000000000");
    assert_eq!(body["StartingPosition"]["Type"], "TRIM_HORIZON");
}
