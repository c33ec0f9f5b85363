//! botocore's protocol suites hold event-stream bodies framed by another
//! implementation, with the events botocore reads from them: the
//! `legacy/output` cases of json (an `initial-response` and two events)
//! and rest-xml (events whose members are bound to headers of five types).
//! The suites are vendored once, for the generator's conformance tests, in
//! `codegen/tests/data/botocore-protocols` (botocore 1.44.5, Apache-2.0);
//! they are read from there.

use super::*;
use serde_json::Value;
use std::path::Path;

fn suite(file: &str) -> Vec<Value> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../codegen/tests/data/botocore-protocols/legacy/output")
        .join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    serde_json::from_str(&text).unwrap()
}

/// What was checked, so that a suite that stopped matching anything fails.
#[derive(Default, Debug)]
struct Checked {
    bodies: usize,
    events: usize,
    headers: usize,
    payloads: usize,
}

#[test]
fn botocore_event_stream_bodies_decode_to_botocore_events() {
    let mut checked = Checked::default();
    for (file, protocol) in [("json.json", "json"), ("rest-xml.json", "rest-xml")] {
        for group in suite(file) {
            let shapes = &group["shapes"];
            let Some(stream_member) = stream_member(shapes) else {
                continue;
            };
            for case in group["cases"].as_array().unwrap() {
                check_case(case, shapes, &stream_member, protocol, &mut checked);
            }
        }
    }
    // json: 1 body, 2 events; rest-xml: 2 bodies (and an empty one), 3.
    assert_eq!(checked.bodies, 4, "{checked:?}");
    assert_eq!(checked.events, 5, "{checked:?}");
    assert_eq!(checked.headers, 5, "{checked:?}");
    assert_eq!(checked.payloads, 5 + 1, "{checked:?}");
}

/// The output member that is the stream, if the group has one.
fn stream_member(shapes: &Value) -> Option<String> {
    let output = shapes["OutputShape"]["members"].as_object()?;
    output
        .iter()
        .find(|(_, member)| shapes[member["shape"].as_str().unwrap()]["eventstream"] == true)
        .map(|(name, _)| name.clone())
}

fn check_case(case: &Value, shapes: &Value, member: &str, protocol: &str, checked: &mut Checked) {
    use base64::Engine;
    let body = base64::engine::general_purpose::STANDARD
        .decode(case["response"]["body"].as_str().unwrap())
        .unwrap();
    let messages = decode_in_chunks(&body, &[3, 17, 64]).unwrap();
    checked.bodies += 1;
    // Written again, the messages are the same bytes: the encoder frames
    // exactly as the other implementation did.
    let mut again = Vec::new();
    for message in &messages {
        again.extend_from_slice(&encode(message).unwrap());
    }
    assert_eq!(again, body);

    let result = &case["result"];
    let mut messages = messages.iter().peekable();
    if let Some(first) = messages.peek() {
        if let Ok(Routed::Event {
            event_type: "initial-response",
            ..
        }) = first.route()
        {
            // The output's other members, as the RPC protocols send them.
            let payload: Value = serde_json::from_slice(first.payload()).unwrap();
            let mut expected = result.clone();
            expected.as_object_mut().unwrap().remove(member);
            assert_eq!(payload, expected);
            checked.payloads += 1;
            messages.next();
        }
    }
    let events = result[member].as_array().unwrap();
    assert_eq!(messages.len(), events.len());
    for (message, event) in messages.zip(events) {
        let (name, members) = event.as_object().unwrap().iter().next().unwrap();
        let Ok(Routed::Event { event_type, .. }) = message.route() else {
            panic!("not an event: {message:?}");
        };
        assert_eq!(event_type, name);
        checked.events += 1;
        let shape = &shapes[shapes["EventStream"]["members"][name]["shape"]
            .as_str()
            .unwrap()];
        for (member_name, expected) in members.as_object().unwrap() {
            let binding = &shape["members"][member_name];
            let kind = shapes[binding["shape"].as_str().unwrap()]["type"]
                .as_str()
                .unwrap();
            if binding["eventheader"] == true {
                check_header(message.get(member_name).unwrap(), kind, expected);
                checked.headers += 1;
            } else if binding["eventpayload"] == true {
                check_payload(message.payload(), kind, expected, protocol);
                checked.payloads += 1;
            } else {
                panic!("{member_name}: neither a header nor the payload");
            }
        }
    }
}

fn check_header(value: &HeaderValue, kind: &str, expected: &Value) {
    match kind {
        "boolean" => assert_eq!(value.as_bool(), expected.as_bool()),
        "integer" => assert_eq!(value.as_int32().map(i64::from), expected.as_i64()),
        "blob" => assert_eq!(
            value.as_byte_array().map(|b| &b[..]),
            expected.as_str().map(str::as_bytes)
        ),
        "string" => assert_eq!(value.as_str(), expected.as_str()),
        "timestamp" => assert_eq!(
            value.as_timestamp(),
            Some(DateTime::from_secs(expected.as_i64().unwrap()))
        ),
        other => panic!("no check for a {other} header"),
    }
}

fn check_payload(payload: &Bytes, kind: &str, expected: &Value, protocol: &str) {
    match (kind, protocol) {
        ("blob", _) => assert_eq!(&payload[..], expected.as_str().unwrap().as_bytes()),
        ("structure", "json") => {
            assert_eq!(serde_json::from_slice::<Value>(payload).unwrap(), *expected)
        }
        ("structure", "rest-xml") => {
            let text = std::str::from_utf8(payload).unwrap();
            for (field, value) in expected.as_object().unwrap() {
                let value = value.as_str().map_or(value.to_string(), str::to_string);
                assert!(
                    text.contains(&format!("<{field}>{value}</{field}>")),
                    "{text}"
                );
            }
        }
        other => panic!("no check for a {other:?} payload"),
    }
}
