//! Event-stream signing against the official signer: every vector of
//! `src/event_stream/testdata/signing/vectors.json` (written by `aws-sigv4`
//! through `bench/eventstream-vectors`; its README says how) is signed by
//! `MessageSigner` and compared byte for byte, and `MessageVerifier`
//! accepts the official frames and refuses changed ones.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use bytes::Bytes;
use sdkgen_runtime::credentials::Credentials;
use sdkgen_runtime::event_stream::{
    decode_message, encode, Header, HeaderValue, Message, MessageSigner, MessageVerifier,
    VerifyError,
};
use sdkgen_runtime::sigv4::{
    sign_headers, SignablePayload, SignableRequest, SigningParams, SigningSettings,
};
use sdkgen_runtime::DateTime;
use serde_json::Value;
use std::io::Write;
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

fn vectors() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src/event_stream/testdata/signing/vectors.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("the signing vectors {}: {e}", path.display()));
    serde_json::from_str(&text).expect("the signing vectors are JSON")
}

fn cases() -> Vec<Value> {
    let cases = vectors()["cases"]
        .as_array()
        .expect("the vectors have a list of cases")
        .clone();
    assert!(!cases.is_empty(), "the signing vectors hold no case");
    cases
}

fn case_named(name: &str) -> Value {
    cases()
        .into_iter()
        .find(|c| c["name"].as_str().is_some_and(|n| n.starts_with(name)))
        .unwrap_or_else(|| panic!("no vector named {name:?}"))
}

fn text(value: &Value) -> &str {
    value
        .as_str()
        .unwrap_or_else(|| panic!("{value} is not text"))
}

fn base64(value: &Value) -> Vec<u8> {
    BASE64.decode(text(value)).expect("base64")
}

fn time(value: &Value) -> SystemTime {
    UNIX_EPOCH
        + Duration::new(
            value["secs"].as_u64().unwrap(),
            value["nanos"].as_u64().unwrap() as u32,
        )
}

fn credentials(case: &Value) -> Credentials {
    let c = &case["credentials"];
    Credentials::new(
        text(&c["access_key_id"]),
        text(&c["secret_access_key"]),
        c["session_token"].as_str().map(str::to_string),
        None,
    )
}

fn signer(case: &Value) -> MessageSigner {
    MessageSigner::new(
        credentials(case),
        text(&case["region"]),
        text(&case["service"]),
        text(&case["seed_signature"]),
    )
}

fn verifier(case: &Value) -> MessageVerifier {
    MessageVerifier::new(
        credentials(case),
        text(&case["region"]),
        text(&case["service"]),
        text(&case["seed_signature"]),
    )
}

/// A header value as the vectors write it.
fn header_value(kind: &str, value: &Value) -> HeaderValue {
    match kind {
        "bool" => HeaderValue::Bool(value.as_bool().unwrap()),
        "byte" => HeaderValue::Byte(value.as_i64().unwrap() as i8),
        "int16" => HeaderValue::Int16(value.as_i64().unwrap() as i16),
        "int32" => HeaderValue::Int32(value.as_i64().unwrap() as i32),
        "int64" => HeaderValue::Int64(value.as_i64().unwrap()),
        "byte_array" => HeaderValue::ByteArray(base64(value).into()),
        "string" => HeaderValue::String(text(value).to_string().into()),
        "timestamp" => HeaderValue::Timestamp(DateTime::from_millis(value.as_i64().unwrap())),
        "uuid" => {
            let n = u128::from_str_radix(text(value), 16).unwrap();
            HeaderValue::Uuid(n.to_be_bytes())
        }
        other => panic!("unknown header type {other:?} in the vectors"),
    }
}

fn message(spec: &Value) -> Message {
    let headers = spec["headers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            Header::new(
                text(&h["name"]).to_string(),
                header_value(text(&h["type"]), &h["value"]),
            )
        })
        .collect();
    Message::from_parts(headers, base64(&spec["payload"]).into())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What a case must show: the seed request's signature, each frame's inner
/// and outer bytes and signature, and the verifier's acceptance. The first
/// difference, described.
fn check_case(case: &Value) -> Result<(), String> {
    if !case["seed_request"].is_null() {
        check_seed_request(case)?;
    }
    let frames = case["frames"].as_array().unwrap();
    let mut signer = Some(signer(case));
    let mut verifier = verifier(case);
    for (i, frame) in frames.iter().enumerate() {
        let at = |what: &str| format!("frame {}: {what}", i + 1);
        let now = time(&frame["time"]);
        let expected_outer = base64(&frame["outer"]);
        let ours = if frame["message"].is_null() {
            let last = signer
                .take()
                .ok_or_else(|| at("a frame after the end frame"))?;
            last.sign_empty(now)
        } else {
            let message = message(&frame["message"]);
            let inner = encode(&message).map_err(|e| at(&e.to_string()))?;
            if inner[..] != base64(&frame["inner"])[..] {
                return Err(at("our inner frame differs from theirs"));
            }
            let signer = signer
                .as_mut()
                .ok_or_else(|| at("a frame after the end frame"))?;
            signer.sign(&message, now)
        }
        .map_err(|e| at(&e.to_string()))?;
        let signature = ours
            .get(":chunk-signature")
            .and_then(HeaderValue::as_byte_array)
            .map(|s| hex(s))
            .ok_or_else(|| at("no :chunk-signature"))?;
        if signature != text(&frame["signature"]) {
            return Err(at(&format!(
                "signature {signature} where they have {}",
                text(&frame["signature"])
            )));
        }
        let ours = encode(&ours).map_err(|e| at(&e.to_string()))?;
        if ours[..] != expected_outer[..] {
            return Err(at(&format!(
                "our signed frame differs from theirs:\n  ours   {}\n  theirs {}",
                BASE64.encode(&ours),
                text(&frame["outer"])
            )));
        }
        let official =
            decode_message(Bytes::from(expected_outer)).map_err(|e| at(&e.to_string()))?;
        let inner = verifier
            .verify(&official, now)
            .map_err(|e| at(&format!("the verifier refuses their frame: {e}")))?;
        let expected = (!frame["message"].is_null()).then(|| message(&frame["message"]));
        if inner != expected {
            return Err(at("the verifier gives another message than was signed"));
        }
        if verifier.prior_signature() != text(&frame["signature"]) {
            return Err(at("the verifier moved to another signature"));
        }
    }
    Ok(())
}

/// The seed is the signature that `sigv4::sign_headers` gives the request
/// that opens the stream, signed as the official SDK signs it.
fn check_seed_request(case: &Value) -> Result<(), String> {
    let request = &case["seed_request"];
    let uri = text(&request["uri"]);
    let path_and_query = uri
        .splitn(4, '/')
        .nth(3)
        .map(|rest| format!("/{rest}"))
        .unwrap_or_else(|| "/".to_string());
    let (path, query) = path_and_query
        .split_once('?')
        .unwrap_or((&path_and_query, ""));
    let headers: Vec<(&str, &str)> = request["headers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|pair| (text(&pair[0]), text(&pair[1])))
        .collect();
    let credentials = credentials(case);
    let params = SigningParams {
        credentials: &credentials,
        region: text(&case["region"]),
        service: text(&case["service"]),
        time: time(&request["time"]).into(),
        settings: SigningSettings {
            sign_body_header: true,
            ..SigningSettings::default()
        },
        key_cache: None,
        algorithm: Default::default(),
    };
    let signature = sign_headers(
        &SignableRequest {
            method: text(&request["method"]),
            path,
            query,
            headers,
            payload: SignablePayload::Precomputed(text(&request["payload_hash"])),
        },
        &params,
    );
    if signature.signature != text(&request["signature"]) {
        return Err(format!(
            "the seed request: signature {} where they have {}",
            signature.signature,
            text(&request["signature"])
        ));
    }
    for pair in request["added_headers"].as_array().unwrap() {
        let (name, value) = (text(&pair[0]), text(&pair[1]));
        if !signature
            .headers
            .iter()
            .any(|(n, v)| *n == name && v == value)
        {
            return Err(format!("the seed request: no {name} header as theirs"));
        }
    }
    if text(&case["seed_signature"]) != signature.signature {
        return Err("the seed is not the seed request's signature".into());
    }
    Ok(())
}

/// Prints past the test harness's capture, so that the count always
/// shows.
fn report(line: &str) {
    let _ = writeln!(std::io::stderr(), "\n{line}");
}

#[test]
fn every_vector_of_the_official_signer_signs_and_verifies_as_theirs() {
    let cases = cases();
    let mut failures = Vec::new();
    for case in &cases {
        if let Err(why) = check_case(case) {
            failures.push(format!("{}: {why}", text(&case["name"])));
        }
    }
    let ran = cases.len();
    report(&format!(
        "event-stream signing vectors: {ran} cases ran, {} passed",
        ran - failures.len()
    ));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_vectors_cover_tokens_chains_seed_requests_and_every_header_type() {
    let cases = cases();
    let has = |f: &dyn Fn(&Value) -> bool| cases.iter().any(f);
    let frames = |c: &Value| c["frames"].as_array().unwrap().clone();
    assert!(has(&|c| c["credentials"]["session_token"].is_null()));
    assert!(has(&|c| !c["credentials"]["session_token"].is_null()));
    assert!(has(
        &|c| frames(c).len() >= 4 && frames(c).last().unwrap()["message"].is_null()
    ));
    assert!(has(&|c| !c["seed_request"].is_null()));
    let types: std::collections::BTreeSet<String> = cases
        .iter()
        .flat_map(frames)
        .filter(|f| !f["message"].is_null())
        .flat_map(|f| f["message"]["headers"].as_array().unwrap().clone())
        .map(|h| text(&h["type"]).to_string())
        .collect();
    assert_eq!(types.len(), 9, "every header type: {types:?}");
}

/// The official frames of the chain of three events and its end frame,
/// decoded, with their times.
fn official_chain() -> (Value, Vec<(Message, SystemTime)>) {
    let case = case_named("a chain of three events");
    let frames = case["frames"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let outer = decode_message(Bytes::from(base64(&f["outer"]))).unwrap();
            (outer, time(&f["time"]))
        })
        .collect();
    (case, frames)
}

/// `frame` with its payload (the inner frame) or `:date` replaced, and its
/// signature kept: well framed, CRCs right, signature wrong.
fn with_payload(frame: &Message, payload: Bytes) -> Message {
    Message::from_parts(frame.headers().to_vec(), payload)
}

fn with_date(frame: &Message, date: DateTime) -> Message {
    let headers = frame
        .headers()
        .iter()
        .map(|h| match h.name() {
            ":date" => Header::new(":date", date),
            _ => h.clone(),
        })
        .collect();
    Message::from_parts(headers, frame.payload().clone())
}

fn assert_bad_signature(result: Result<Option<Message>, VerifyError>, frame: u64) {
    let error = result.expect_err("the verifier accepts a frame it must refuse");
    assert_eq!(error, VerifyError::BadSignature { frame });
    let text = error.to_string();
    assert!(
        text.contains(&format!("signature of frame {frame} does not match")),
        "{text}"
    );
}

#[test]
fn a_tampered_frame_is_refused() {
    let (case, frames) = official_chain();
    let (second, at) = &frames[1];
    // One byte of the inner event's payload changed, the inner CRC made
    // right again: a frame a careless checker would take.
    let inner = decode_message(second.payload().clone()).unwrap();
    let mut payload = inner.payload().to_vec();
    payload[2] ^= 1;
    let changed = Message::from_parts(inner.headers().to_vec(), payload.into());
    let tampered = with_payload(second, encode(&changed).unwrap());
    let mut verifier = verifier(&case);
    verifier.verify(&frames[0].0, frames[0].1).unwrap();
    assert_bad_signature(verifier.verify(&tampered, *at), 2);
    // An inner header changed, and the payload cut off entirely (which
    // would turn the frame into an end frame).
    let renamed = Message::from_parts(
        vec![Header::new(":message-type", "exception")],
        inner.payload().clone(),
    );
    assert_bad_signature(
        verifier.verify(&with_payload(second, encode(&renamed).unwrap()), *at),
        3,
    );
    assert_bad_signature(verifier.verify(&with_payload(second, Bytes::new()), *at), 4);
    assert!(!verifier.is_ended());
    // Refused frames left the chain where it was: the genuine frame goes.
    assert_eq!(verifier.verify(second, *at).unwrap(), Some(inner));
}

#[test]
fn a_wrong_prior_signature_is_refused() {
    let (case, frames) = official_chain();
    let (first, at) = &frames[0];
    // Another seed: the frame follows some other request.
    let mut other_seed = MessageVerifier::new(
        credentials(&case),
        text(&case["region"]),
        text(&case["service"]),
        "0".repeat(64),
    );
    assert_bad_signature(other_seed.verify(first, *at), 1);
    // A frame skipped, a frame replayed: each breaks the chain.
    let mut skipped = verifier(&case);
    skipped.verify(first, *at).unwrap();
    assert_bad_signature(skipped.verify(&frames[2].0, frames[2].1), 2);
    let mut replayed = verifier(&case);
    replayed.verify(first, *at).unwrap();
    assert_bad_signature(replayed.verify(first, *at), 2);
    // Signed for another region: the key differs.
    let mut elsewhere = MessageVerifier::new(
        credentials(&case),
        "eu-west-1",
        text(&case["service"]),
        text(&case["seed_signature"]),
    );
    assert_bad_signature(elsewhere.verify(first, *at), 1);
}

#[test]
fn a_wrong_date_is_refused() {
    let (case, frames) = official_chain();
    let (first, at) = &frames[0];
    let date = first.get(":date").unwrap().as_timestamp().unwrap();
    // The date moved by a second, a millisecond, and a day: the signature
    // covers the date and the key is the day's.
    for moved in [
        DateTime::from_secs(date.secs() + 1),
        DateTime::from_millis(date.secs() * 1000 + 1),
        DateTime::from_secs(date.secs() - 86_400),
    ] {
        let mut verifier = verifier(&case);
        assert_bad_signature(verifier.verify(&with_date(first, moved), *at), 1);
    }
    // The genuine frame, an hour after it was signed: too old.
    let mut late = verifier(&case);
    let error = late
        .verify(first, *at + Duration::from_secs(3600))
        .unwrap_err();
    assert!(
        matches!(error, VerifyError::DateSkewed { frame: 1, .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("more than 900 s"), "{error}");
    // The date of a type other than timestamp.
    let headers = first
        .headers()
        .iter()
        .map(|h| match h.name() {
            ":date" => Header::new(":date", date.secs()),
            _ => h.clone(),
        })
        .collect();
    let error = verifier(&case)
        .verify(&Message::from_parts(headers, first.payload().clone()), *at)
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "event stream: the :date header of signed frame 1 is of type long, not timestamp"
    );
}

#[test]
fn a_chain_signed_here_verifies_with_the_official_frames_interleaved() {
    // Our signer continues a chain the official signer began: the first
    // frame theirs, the next ours, both accepted.
    let (case, frames) = official_chain();
    let first_signature = hex(frames[0]
        .0
        .get(":chunk-signature")
        .unwrap()
        .as_byte_array()
        .unwrap());
    let mut ours = MessageSigner::new(
        credentials(&case),
        text(&case["region"]),
        text(&case["service"]),
        first_signature,
    );
    let second = message(&case["frames"][1]["message"]);
    let signed = ours.sign(&second, frames[1].1).unwrap();
    assert_eq!(signed, frames[1].0);
    let mut verifier = verifier(&case);
    verifier.verify(&frames[0].0, frames[0].1).unwrap();
    assert_eq!(verifier.verify(&signed, frames[1].1).unwrap(), Some(second));
}
