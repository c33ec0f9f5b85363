//! Input event streams end to end: Bedrock's
//! `InvokeModelWithBidirectionalStream` over HTTP/2 and TLS, against a
//! loopback server that checks every event's signature with the runtime's
//! verifier (chained from the request's own signature, as AWS checks
//! them) and answers each event as it arrives, before the client has
//! finished sending.

use bedrock_runtime::config::HttpClient;
use bedrock_runtime::types::{
    BidirectionalInputPayloadPart, InvokeModelWithBidirectionalStreamInput as In,
    InvokeModelWithBidirectionalStreamOutput as Out,
};
use bedrock_runtime::{Blob, Client};
use bytes::Bytes;
use futures_core::Stream;
use http_body_util::BodyExt;
use sdkgen_runtime::event_stream::{Decoder, EventSender, Message, MessageVerifier};
use sdkgen_runtime::transport::Http2Policy;
use sdkgen_runtime::Credentials;
use sdkgen_tests::event_server::event;
use sdkgen_tests::h2_server::{streaming, H2Server, TestCertificate};
use sdkgen_tests::{test_config, ACCESS_KEY, SECRET_KEY};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, SystemTime};
use tokio::sync::mpsc;

/// A channel's receiving end as a `Stream`: how a program feeds events
/// as it makes them.
struct Channel(mpsc::Receiver<In>);

impl Stream for Channel {
    type Item = Result<In, std::convert::Infallible>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().0.poll_recv(cx).map(|e| e.map(Ok))
    }
}

fn chunk(text: &str) -> In {
    In::Chunk(
        BidirectionalInputPayloadPart::builder()
            .bytes(Blob::new(text.as_bytes().to_vec()))
            .build(),
    )
}

/// What the server saw: the HTTP version, each verified event's payload
/// JSON, and whether the stream ended with a valid end frame.
#[derive(Debug, Default)]
struct Seen {
    version: Option<http::Version>,
    events: Vec<serde_json::Value>,
    content_sha256: Option<String>,
    event_types: Vec<String>,
    ended: bool,
    refused: Vec<String>,
}

/// A Bedrock server: each `chunk` answered with one echoing its bytes
/// upper-cased.
async fn server(certificate: &TestCertificate) -> (H2Server, Arc<Mutex<Seen>>) {
    serve(certificate, "bedrock", bedrock_reply).await
}

fn bedrock_reply(json: &serde_json::Value) -> Vec<u8> {
    let bytes = sdkgen_runtime::blob::from_base64(json["bytes"].as_str().unwrap()).unwrap();
    let reply = String::from_utf8(bytes).unwrap().to_uppercase();
    let reply = serde_json::json!({"bytes": sdkgen_runtime::blob::to_base64(reply.as_bytes())});
    event("chunk", &reply.to_string())
}

/// A server that verifies every frame as the service `service` would, and
/// answers each event with the frame `reply` makes of its JSON.
async fn serve(
    certificate: &TestCertificate,
    service: &'static str,
    reply: fn(&serde_json::Value) -> Vec<u8>,
) -> (H2Server, Arc<Mutex<Seen>>) {
    let seen = Arc::new(Mutex::new(Seen::default()));
    let state = seen.clone();
    let server = H2Server::tls(
        certificate,
        &[b"h2"],
        move |request: hyper::Request<hyper::body::Incoming>, _| {
            let state = state.clone();
            async move {
                let auth = request.headers()["authorization"]
                    .to_str()
                    .unwrap()
                    .to_string();
                let seed = auth.rsplit_once("Signature=").unwrap().1.to_string();
                {
                    let mut seen = state.lock().unwrap();
                    seen.version = Some(request.version());
                    seen.content_sha256 = request
                        .headers()
                        .get("x-amz-content-sha256")
                        .map(|v| v.to_str().unwrap().to_string());
                }
                let credentials = Credentials::new(ACCESS_KEY, SECRET_KEY, None, None);
                let mut verifier = MessageVerifier::new(credentials, "us-east-1", service, seed);
                let (mut sender, body) = streaming();
                let mut incoming = request.into_body();
                tokio::spawn(async move {
                    let mut decoder = Decoder::new();
                    while let Some(Ok(frame)) = incoming.frame().await {
                        let Ok(data) = frame.into_data() else {
                            continue;
                        };
                        decoder.push(&data);
                        while let Ok(Some(outer)) = decoder.next_message() {
                            match verifier.verify(&outer, SystemTime::now()) {
                                Ok(Some(inner)) => {
                                    let json: serde_json::Value =
                                        serde_json::from_slice(inner.payload()).unwrap();
                                    let frame = reply(&json);
                                    let event_type = inner.get(":event-type").cloned();
                                    {
                                        let mut seen = state.lock().unwrap();
                                        seen.events.push(json);
                                        seen.event_types.push(format!("{event_type:?}"));
                                    }
                                    sender.send_data(Bytes::from(frame)).await.unwrap();
                                }
                                Ok(None) => state.lock().unwrap().ended = true,
                                Err(e) => state.lock().unwrap().refused.push(e.to_string()),
                            }
                        }
                    }
                    // The request ended: so does the answer (dropping `sender`).
                });
                hyper::Response::builder()
                    .header("content-type", "application/vnd.amazon.eventstream")
                    .header("x-amzn-requestid", "bidi-1")
                    .body(body)
                    .unwrap()
            }
        },
    )
    .await;
    (server, seen)
}

fn client(url: &str, certificate: &TestCertificate) -> Client {
    let http = HttpClient::builder()
        .http2(Http2Policy::Optional)
        .root_certificates([certificate.der.clone()])
        .build()
        .unwrap();
    Client::new(test_config(url).0.http_client(http).build())
}

fn text(event: &Out) -> String {
    match event {
        Out::Chunk(part) => {
            String::from_utf8(part.bytes.as_ref().unwrap().as_bytes().to_vec()).unwrap()
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn events_go_both_ways_signed_over_http2() {
    let certificate = TestCertificate::new();
    let (server, seen) = server(&certificate).await;
    let (tx, rx) = mpsc::channel(4);
    let output = tokio::time::timeout(
        Duration::from_secs(20),
        client(&server.url(), &certificate)
            .invoke_model_with_bidirectional_stream()
            .model_id("amazon.nova-sonic-v1:0")
            .body(EventSender::new(Channel(rx)))
            .send(),
    )
    .await
    .expect("the stream opens")
    .unwrap();
    let mut replies = output.body.unwrap();
    // One event out, its answer back, while the request is still open.
    for word in ["hello", "streaming", "world"] {
        tx.send(chunk(word)).await.unwrap();
        let reply = tokio::time::timeout(Duration::from_secs(20), replies.recv())
            .await
            .expect("an answer to each event before the next is sent")
            .unwrap()
            .unwrap();
        assert_eq!(text(&reply), word.to_uppercase());
    }
    drop(tx);
    let end = tokio::time::timeout(Duration::from_secs(20), replies.recv())
        .await
        .expect("the answer ends once the events do")
        .unwrap();
    assert!(end.is_none());
    let seen = seen.lock().unwrap();
    assert!(seen.refused.is_empty(), "{:?}", seen.refused);
    assert_eq!(seen.version, Some(http::Version::HTTP_2));
    assert_eq!(
        seen.content_sha256.as_deref(),
        Some("STREAMING-AWS4-HMAC-SHA256-EVENTS")
    );
    assert_eq!(seen.events.len(), 3);
    assert!(seen.ended, "the signed empty frame ends the stream");
}

#[tokio::test]
async fn a_list_of_events_is_sent_and_ended() {
    let certificate = TestCertificate::new();
    let (server, seen) = server(&certificate).await;
    let output = client(&server.url(), &certificate)
        .invoke_model_with_bidirectional_stream()
        .model_id("m")
        .body(EventSender::from_events([chunk("a"), chunk("b")]))
        .send()
        .await
        .unwrap();
    let mut replies = output.body.unwrap();
    let mut texts = Vec::new();
    while let Some(reply) = replies.recv().await.unwrap() {
        texts.push(text(&reply));
    }
    assert_eq!(texts, ["A", "B"]);
    let seen = seen.lock().unwrap();
    assert!(seen.refused.is_empty(), "{:?}", seen.refused);
    assert!(seen.ended);
}

#[tokio::test]
async fn an_unknown_event_cannot_be_sent() {
    // The frame writer refuses it; the request body fails, and the call
    // or the stream says why.
    let certificate = TestCertificate::new();
    let (server, seen) = server(&certificate).await;
    let result = client(&server.url(), &certificate)
        .invoke_model_with_bidirectional_stream()
        .model_id("m")
        .body(EventSender::from_events([In::Unknown]))
        .send()
        .await;
    let failure = match result {
        Err(e) => sdkgen_runtime::error::report(&e),
        Ok(output) => match output.body.unwrap().recv().await {
            Err(e) => sdkgen_runtime::error::report(&e),
            Ok(other) => panic!("{other:?}"),
        },
    };
    // The writer's refusal ends the request body; HTTP/2 resets the
    // stream, and the call fails without a single event sent (the reason
    // is logged as a warning: hyper does not carry it to the caller).
    assert!(failure.contains("stream error"), "{failure}");
    assert!(seen.lock().unwrap().events.is_empty());
}

#[test]
fn the_sender_says_whether_it_was_sent_and_nothing_else() {
    let sender = EventSender::from_events([chunk("secret words")]);
    let debug = format!("{sender:?}");
    assert!(!debug.contains("secret"), "{debug}");
    let framed = sender.take_framed(|_| Ok(Message::new("")));
    assert!(framed.is_some());
    assert!(
        sender.take_framed(|_| Ok(Message::new(""))).is_none(),
        "sent once"
    );
}

/// Lex V2 requires HTTP/2 (`protocolSettings.h2` is `eventstream`): the
/// generated client offers only `h2`, and a conversation goes both ways.
#[tokio::test]
async fn a_lex_conversation_runs_over_required_http2() {
    use lex_runtime_v2::types::{
        StartConversationRequestEventStream as Req, StartConversationResponseEventStream as Resp,
        TextInputEvent,
    };
    fn lex_reply(json: &serde_json::Value) -> Vec<u8> {
        let text = json["text"].as_str().unwrap_or("").to_string();
        let answer = serde_json::json!({
            "eventId": json["eventId"],
            "messages": [{"content": format!("you said: {text}"), "contentType": "PlainText"}]
        });
        event("TextResponseEvent", &answer.to_string())
    }
    let certificate = TestCertificate::new();
    let (server, seen) = serve(&certificate, "lex", lex_reply).await;
    // The crate's own policy (Required), on a client that trusts the test's root.
    let http = HttpClient::builder()
        .http2(Http2Policy::Required)
        .root_certificates([certificate.der.clone()])
        .build()
        .unwrap();
    let config = test_config(&server.url()).0.http_client(http).build();
    let say = |id: &str, text: &str| {
        Req::TextInputEvent(TextInputEvent::builder().event_id(id).text(text).build())
    };
    let output = lex_runtime_v2::Client::new(config)
        .start_conversation()
        .bot_id("BOT1234567")
        .bot_alias_id("TSTALIASID")
        .locale_id("en_US")
        .session_id("session-1")
        .request_event_stream(EventSender::from_events([
            say("1", "hello"),
            say("2", "book a room"),
        ]))
        .send()
        .await
        .unwrap();
    let mut replies = output.response_event_stream.unwrap();
    let mut said = Vec::new();
    while let Some(reply) = replies.recv().await.unwrap() {
        let Resp::TextResponseEvent(text) = reply else {
            panic!("{reply:?}")
        };
        let messages = text.messages.unwrap();
        said.push(messages[0].content.clone().unwrap());
    }
    assert_eq!(said, ["you said: hello", "you said: book a room"]);
    let seen = seen.lock().unwrap();
    assert!(seen.refused.is_empty(), "{:?}", seen.refused);
    assert_eq!(seen.version, Some(http::Version::HTTP_2));
    assert!(
        seen.event_types
            .iter()
            .all(|t| t.contains("TextInputEvent")),
        "{:?}",
        seen.event_types
    );
    assert!(seen.ended);
}

#[tokio::test]
async fn a_required_stream_must_be_given() {
    let error = lex_runtime_v2::Client::new(test_config("http://127.0.0.1:9").0.build())
        .start_conversation()
        .bot_id("BOT1234567")
        .bot_alias_id("TSTALIASID")
        .locale_id("en_US")
        .session_id("s")
        .send()
        .await
        .unwrap_err();
    let report = sdkgen_runtime::error::report(&error);
    assert!(report.contains("requestEventStream"), "{report}");
}
