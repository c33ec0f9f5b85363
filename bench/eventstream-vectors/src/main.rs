//! Writes event-stream signing vectors with the official signer
//! (`aws_sigv4::event_stream`), for the runtime's tests to check ours
//! against: `cargo run -p eventstream-vectors > vectors.json`.
//!
//! Each case is a chain: a seed signature, then messages each signed with
//! the signature of the one before, and (in most cases) the empty frame
//! that ends a stream. The JSON holds every input (credentials, region,
//! signing name, time, the message's headers and payload) and every output
//! (the inner frame, the signature, the outer frame), so that the test
//! needs nothing from this program but the file.

use aws_credential_types::Credentials;
use aws_sigv4::event_stream::{sign_empty_message, sign_message, SigningParams};
use aws_sigv4::http_request::{
    sign, PayloadChecksumKind, SignableBody, SignableRequest, SigningParams as HttpSigningParams,
    SigningSettings,
};
use aws_sigv4::sign::v4;
use aws_smithy_eventstream::frame::write_message_to;
use aws_smithy_runtime_api::client::identity::Identity;
use aws_smithy_types::event_stream::{Header, HeaderValue, Message};
use aws_smithy_types::DateTime;
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use serde_json::{json, Value};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The crates that made the vectors, as `Cargo.lock` pins them; the
/// README next to the vectors says how to make them again.
const SOURCE: &str = "aws-sigv4 1.6.4 (feature sign-eventstream): \
    aws_sigv4::event_stream::sign_message and sign_empty_message; inner frames by \
    aws-smithy-eventstream 0.61.6 (frame::write_message_to); seed requests by \
    aws_sigv4::http_request::sign. Written by bench/eventstream-vectors.";

const ACCESS_KEY: &str = "AKIDEXAMPLE";
const SECRET_KEY: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const SESSION_TOKEN: &str = "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";

/// A header value as the vectors write it: its type's name in the
/// specification and a JSON value (bytes in base64, a timestamp in
/// milliseconds, a UUID as 32 hex digits).
#[derive(Clone)]
enum Spec {
    Bool(bool),
    Byte(i8),
    Int16(i16),
    Int32(i32),
    Int64(i64),
    Bytes(Vec<u8>),
    String(&'static str),
    TimestampMillis(i64),
    Uuid(u128),
}

impl Spec {
    fn official(&self) -> HeaderValue {
        match self {
            Spec::Bool(v) => HeaderValue::Bool(*v),
            Spec::Byte(v) => HeaderValue::Byte(*v),
            Spec::Int16(v) => HeaderValue::Int16(*v),
            Spec::Int32(v) => HeaderValue::Int32(*v),
            Spec::Int64(v) => HeaderValue::Int64(*v),
            Spec::Bytes(v) => HeaderValue::ByteArray(v.clone().into()),
            Spec::String(v) => HeaderValue::String((*v).into()),
            Spec::TimestampMillis(v) => HeaderValue::Timestamp(DateTime::from_millis(*v)),
            Spec::Uuid(v) => HeaderValue::Uuid(*v),
        }
    }

    fn json(&self) -> (&'static str, Value) {
        match self {
            Spec::Bool(v) => ("bool", json!(v)),
            Spec::Byte(v) => ("byte", json!(v)),
            Spec::Int16(v) => ("int16", json!(v)),
            Spec::Int32(v) => ("int32", json!(v)),
            Spec::Int64(v) => ("int64", json!(v)),
            Spec::Bytes(v) => ("byte_array", json!(BASE64.encode(v))),
            Spec::String(v) => ("string", json!(v)),
            Spec::TimestampMillis(v) => ("timestamp", json!(v)),
            Spec::Uuid(v) => ("uuid", json!(format!("{v:032x}"))),
        }
    }
}

/// A message to sign, as data.
#[derive(Clone)]
struct MessageSpec {
    headers: Vec<(&'static str, Spec)>,
    payload: Vec<u8>,
}

impl MessageSpec {
    fn official(&self) -> Message {
        let headers = self
            .headers
            .iter()
            .map(|(name, value)| Header::new(*name, value.official()))
            .collect();
        Message::new_from_parts(headers, self.payload.clone())
    }

    fn json(&self) -> Value {
        let headers: Vec<Value> = self
            .headers
            .iter()
            .map(|(name, value)| {
                let (kind, value) = value.json();
                json!({ "name": name, "type": kind, "value": value })
            })
            .collect();
        json!({ "headers": headers, "payload": BASE64.encode(&self.payload) })
    }
}

/// An event as services expect one: the three routing headers and a JSON
/// payload.
fn event(event_type: &'static str, payload: &str) -> MessageSpec {
    MessageSpec {
        headers: vec![
            (":message-type", Spec::String("event")),
            (":event-type", Spec::String(event_type)),
            (":content-type", Spec::String("application/json")),
        ],
        payload: payload.as_bytes().to_vec(),
    }
}

/// The HTTP request whose signature seeds a chain: a bidirectional stream
/// opened with the streaming payload hash.
struct SeedRequest {
    method: &'static str,
    uri: &'static str,
    headers: Vec<(&'static str, &'static str)>,
    payload_hash: &'static str,
}

struct Case {
    name: &'static str,
    session_token: Option<&'static str>,
    region: &'static str,
    service: &'static str,
    seed: Seed,
    /// Each frame's signing time and message; `None` is the end frame.
    frames: Vec<(SystemTime, Option<MessageSpec>)>,
}

enum Seed {
    Given(&'static str),
    Request(SeedRequest),
}

fn at(secs: u64, nanos: u32) -> SystemTime {
    UNIX_EPOCH + Duration::new(secs, nanos)
}

/// 2026-01-02T03:04:05Z
const T0: u64 = 1_767_323_045;
/// 2026-03-31T23:59:59Z, one second before a new signing day.
const BEFORE_MIDNIGHT: u64 = 1_775_001_599;

const SEED: &str = "6a2fd9e2d8bfc0ad1b16a43fc6c7b4a5bbd6d5e0e3e7f37b0d8d6c0c8f1f3e21";

fn cases() -> Vec<Case> {
    let every_type = MessageSpec {
        headers: vec![
            ("bool-true", Spec::Bool(true)),
            ("bool-false", Spec::Bool(false)),
            ("byte", Spec::Byte(-7)),
            ("int16", Spec::Int16(-12_345)),
            ("int32", Spec::Int32(2_000_000_001)),
            ("int64", Spec::Int64(-9_000_000_000_000_000_001)),
            ("byte-array", Spec::Bytes(vec![0, 1, 2, 0xfe, 0xff])),
            ("string", Spec::String("héllo, wörld")),
            ("timestamp", Spec::TimestampMillis(1_767_323_045_678)),
            (
                "uuid",
                Spec::Uuid(0x0123_4567_89ab_cdef_fedc_ba98_7654_3210),
            ),
        ],
        payload: b"every header type".to_vec(),
    };
    let binary = MessageSpec {
        headers: vec![
            (":message-type", Spec::String("event")),
            (":event-type", Spec::String("AudioEvent")),
            (":content-type", Spec::String("application/octet-stream")),
        ],
        payload: (0..=255u8).cycle().take(1024).collect(),
    };
    let empty = MessageSpec {
        headers: vec![],
        payload: vec![],
    };
    let large = MessageSpec {
        headers: vec![
            (":message-type", Spec::String("event")),
            (":event-type", Spec::String("chunk")),
        ],
        payload: (0..5_000u32).map(|i| (i * 31 % 251) as u8).collect(),
    };
    vec![
        Case {
            name: "one text event, then the end frame",
            session_token: None,
            region: "us-east-1",
            service: "transcribe",
            seed: Seed::Given(SEED),
            frames: vec![
                (at(T0, 0), Some(event("AudioEvent", r#"{"text":"hello"}"#))),
                (at(T0, 0), None),
            ],
        },
        Case {
            name: "the same with a session token: it does not enter frame signatures",
            session_token: Some(SESSION_TOKEN),
            region: "us-east-1",
            service: "transcribe",
            seed: Seed::Given(SEED),
            frames: vec![
                (at(T0, 0), Some(event("AudioEvent", r#"{"text":"hello"}"#))),
                (at(T0, 0), None),
            ],
        },
        Case {
            name: "an empty message: no headers, no payload",
            session_token: None,
            region: "eu-west-1",
            service: "lex",
            seed: Seed::Given(SEED),
            frames: vec![(at(T0, 0), Some(empty))],
        },
        Case {
            name: "a binary payload",
            session_token: None,
            region: "ap-southeast-2",
            service: "transcribe",
            seed: Seed::Given(SEED),
            frames: vec![(at(T0, 0), Some(binary))],
        },
        Case {
            name: "a header of every type",
            session_token: Some(SESSION_TOKEN),
            region: "us-west-2",
            service: "bedrock",
            seed: Seed::Given(SEED),
            frames: vec![(at(T0, 0), Some(every_type))],
        },
        Case {
            name: "a chain of three events, then the end frame, the clock moving on",
            session_token: Some(SESSION_TOKEN),
            region: "us-east-1",
            service: "bedrock",
            seed: Seed::Given(SEED),
            frames: vec![
                (at(T0, 0), Some(event("chunk", r#"{"bytes":"eyJhIjoxfQ=="}"#))),
                (at(T0 + 1, 0), Some(event("chunk", r#"{"bytes":"eyJiIjoyfQ=="}"#))),
                (at(T0 + 3, 0), Some(event("chunk", r#"{"bytes":"eyJjIjozfQ=="}"#))),
                (at(T0 + 4, 0), None),
            ],
        },
        Case {
            name: "signing times with fractions of a second, which the signer drops",
            session_token: None,
            region: "us-east-1",
            service: "transcribe",
            seed: Seed::Given(SEED),
            frames: vec![
                (
                    at(T0, 999_999_999),
                    Some(event("AudioEvent", r#"{"text":"one"}"#)),
                ),
                (at(T0 + 1, 500_000_000), None),
            ],
        },
        Case {
            name: "a chain across midnight UTC: the signing key changes with the day",
            session_token: None,
            region: "us-east-1",
            service: "lex",
            seed: Seed::Given(SEED),
            frames: vec![
                (
                    at(BEFORE_MIDNIGHT, 250_000_000),
                    Some(event("TextInputEvent", r#"{"text":"before"}"#)),
                ),
                (
                    at(BEFORE_MIDNIGHT + 1, 0),
                    Some(event("TextInputEvent", r#"{"text":"after"}"#)),
                ),
                (at(BEFORE_MIDNIGHT + 2, 0), None),
            ],
        },
        Case {
            name: "a payload of 5,000 bytes",
            session_token: None,
            region: "us-east-1",
            service: "kinesis",
            seed: Seed::Given(SEED),
            frames: vec![(at(T0, 0), Some(large))],
        },
        Case {
            name: "only the end frame",
            session_token: None,
            region: "us-east-1",
            service: "transcribe",
            seed: Seed::Given(SEED),
            frames: vec![(at(T0, 0), None)],
        },
        Case {
            name: "seeded by the signature of the request that opens the stream",
            session_token: Some(SESSION_TOKEN),
            region: "us-east-1",
            service: "bedrock",
            seed: Seed::Request(SeedRequest {
                method: "POST",
                uri: "https://bedrock-runtime.us-east-1.amazonaws.com/model/amazon.nova-sonic-v1%3A0/invoke-with-bidirectional-stream",
                headers: vec![
                    ("host", "bedrock-runtime.us-east-1.amazonaws.com"),
                    ("content-type", "application/vnd.amazon.eventstream"),
                ],
                payload_hash: "STREAMING-AWS4-HMAC-SHA256-EVENTS",
            }),
            frames: vec![
                (
                    at(T0, 0),
                    Some(event("chunk", r#"{"bytes":"eyJldmVudCI6e319"}"#)),
                ),
                (at(T0 + 1, 0), Some(event("chunk", r#"{"bytes":"e30="}"#))),
                (at(T0 + 2, 0), None),
            ],
        },
    ]
}

fn time_json(time: SystemTime) -> Value {
    let since = time.duration_since(UNIX_EPOCH).expect("after 1970");
    json!({ "secs": since.as_secs(), "nanos": since.subsec_nanos() })
}

fn frame(message: &Message) -> Vec<u8> {
    let mut out = Vec::new();
    write_message_to(message, &mut out).expect("the vectors' messages encode");
    out
}

/// The seed request signed as the official SDK signs a request that opens
/// an input event stream: the streaming payload hash, sent in
/// `x-amz-content-sha256`.
fn sign_seed(request: &SeedRequest, identity: &Identity, case: &Case, time: SystemTime) -> Value {
    let mut settings = SigningSettings::default();
    settings.payload_checksum_kind = PayloadChecksumKind::XAmzSha256;
    let params: HttpSigningParams<'_> = v4::SigningParams::builder()
        .identity(identity)
        .region(case.region)
        .name(case.service)
        .time(time)
        .settings(settings)
        .build()
        .expect("complete signing params")
        .into();
    let signable = SignableRequest::new(
        request.method,
        request.uri,
        request.headers.iter().copied(),
        SignableBody::Precomputed(request.payload_hash.to_string()),
    )
    .expect("a valid request");
    let (instructions, signature) = sign(signable, &params)
        .expect("the seed request signs")
        .into_parts();
    let added: Vec<Value> = instructions
        .headers()
        .map(|(name, value)| json!([name, value]))
        .collect();
    json!({
        "method": request.method,
        "uri": request.uri,
        "headers": request.headers.iter().map(|(n, v)| json!([n, v])).collect::<Vec<_>>(),
        "payload_hash": request.payload_hash,
        "time": time_json(time),
        "added_headers": added,
        "signature": signature,
    })
}

fn run(case: &Case) -> Value {
    let identity: Identity = Credentials::new(
        ACCESS_KEY,
        SECRET_KEY,
        case.session_token.map(str::to_string),
        None,
        "vectors",
    )
    .into();
    let (mut prior, seed_request) = match &case.seed {
        Seed::Given(seed) => (seed.to_string(), Value::Null),
        Seed::Request(request) => {
            let seed = sign_seed(request, &identity, case, case.frames[0].0);
            (seed["signature"].as_str().unwrap().to_string(), seed)
        }
    };
    let seed_signature = prior.clone();
    let mut frames = Vec::new();
    for (time, message) in &case.frames {
        let params: SigningParams<'_> = v4::SigningParams::builder()
            .identity(&identity)
            .region(case.region)
            .name(case.service)
            .time(*time)
            .settings(())
            .build()
            .expect("complete signing params");
        let official = message.as_ref().map(MessageSpec::official);
        let signed = match &official {
            Some(message) => sign_message(message, &prior, &params),
            None => sign_empty_message(&prior, &params),
        }
        .expect("the vectors' messages sign");
        let (outer, signature) = signed.into_parts();
        frames.push(json!({
            "time": time_json(*time),
            "message": message.as_ref().map(MessageSpec::json),
            "inner": official.as_ref().map(|m| BASE64.encode(frame(m))),
            "signature": signature,
            "outer": BASE64.encode(frame(&outer)),
        }));
        prior = signature;
    }
    json!({
        "name": case.name,
        "credentials": {
            "access_key_id": ACCESS_KEY,
            "secret_access_key": SECRET_KEY,
            "session_token": case.session_token,
        },
        "region": case.region,
        "service": case.service,
        "seed_signature": seed_signature,
        "seed_request": seed_request,
        "frames": frames,
    })
}

fn main() {
    let cases: Vec<Value> = cases().iter().map(run).collect();
    let out = json!({ "source": SOURCE, "cases": cases });
    println!(
        "{}",
        serde_json::to_string_pretty(&out).expect("JSON serializes")
    );
}
