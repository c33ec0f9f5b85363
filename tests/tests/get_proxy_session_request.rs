//! GetProxySession's input becomes exactly one request path, whatever the
//! label values hold.
#![allow(deprecated)]

use chime_sdk_voice::operation::get_proxy_session::{GetProxySession, GetProxySessionInput};
use sdkgen_runtime::Operation;
use sdkgen_tests::decoded_segments;

fn request(connector: &str, session: &str) -> sdkgen_runtime::HttpRequest {
    let input = GetProxySessionInput::builder()
        .voice_connector_id(connector)
        .proxy_session_id(session)
        .build()
        .expect("both labels are set");
    GetProxySession::serialize(&input, &Default::default()).expect("non-empty labels serialize")
}

#[test]
fn method_path_and_nothing_else() {
    let req = request("abcdef1234567890abcdef", "session-1");
    assert_eq!(req.method, "GET");
    assert_eq!(
        req.path_and_query,
        "/voice-connectors/abcdef1234567890abcdef/proxy-sessions/session-1"
    );
    assert!(req.headers.is_empty());
    assert!(req.body.is_empty());
}

#[test]
fn adversarial_labels_stay_one_segment_and_decode_back() {
    let labels = [
        "a/b",
        "../../admin",
        ".",
        "..",
        "...",
        "a b",
        "100%",
        "%2F",
        "a+b",
        "a?x=1",
        "a#frag",
        "日本語",
        "é\u{0301}",
        "emoji 🎉",
        "line\nbreak",
        "tab\there",
        "-",
        "--",
        "~_.-",
        "\\",
        "a;b=c",
        "@:!$&'()*,",
    ];
    for label in labels {
        let req = request(label, label);
        let path = req.path();
        assert!(
            !path.contains(['?', '#', ' ']),
            "{label:?} leaked into {path}"
        );
        assert_eq!(path, req.path_and_query, "{label:?} created a query");
        let segments = decoded_segments(path);
        assert_eq!(
            segments.len(),
            4,
            "{label:?} changed the segment count: {path}"
        );
        assert_eq!(segments[0], "voice-connectors");
        assert_eq!(segments[1], label, "{path}");
        assert_eq!(segments[2], "proxy-sessions");
        assert_eq!(segments[3], label, "{path}");
        // No segment may be a dot segment on the wire, or HTTP stacks would
        // resolve it away.
        for raw in path.split('/') {
            assert!(raw != "." && raw != "..", "dot segment in {path}");
        }
    }
}

#[test]
fn dot_labels_are_encoded() {
    assert_eq!(
        request(".", "..").path(),
        "/voice-connectors/%2E/proxy-sessions/%2E%2E"
    );
}

#[test]
fn missing_labels_fail_in_the_builder() {
    let err = GetProxySessionInput::builder()
        .proxy_session_id("s")
        .build()
        .unwrap_err();
    assert_eq!(err.member(), Some("VoiceConnectorId"));
    assert_eq!(
        err.to_string(),
        "VoiceConnectorId is required but was not set"
    );
    let err = GetProxySessionInput::builder()
        .voice_connector_id("v")
        .build()
        .unwrap_err();
    assert_eq!(err.member(), Some("ProxySessionId"));
}

#[test]
fn empty_labels_fail_before_a_request_exists() {
    // VoiceConnectorId has no model minimum: the binding refuses it.
    let input = GetProxySessionInput::builder()
        .voice_connector_id("")
        .proxy_session_id("s")
        .build()
        .unwrap();
    let err = GetProxySession::serialize(&input, &Default::default()).unwrap_err();
    assert_eq!(err.member(), Some("VoiceConnectorId"));
    assert_eq!(
        err.to_string(),
        "VoiceConnectorId is invalid: a URI label must not be empty"
    );
    // ProxySessionId has `min: 1`: the builder refuses it, as botocore would.
    let err = GetProxySessionInput::builder()
        .voice_connector_id("v")
        .proxy_session_id("")
        .build()
        .unwrap_err();
    assert_eq!(err.member(), Some("ProxySessionId"));
    assert_eq!(
        err.to_string(),
        "ProxySessionId is invalid: length 0 is less than the minimum length 1"
    );
}

#[test]
fn the_builder_reads_back_what_was_set() {
    let builder = GetProxySessionInput::builder().voice_connector_id("v");
    assert_eq!(builder.get_voice_connector_id().as_deref(), Some("v"));
    let input = builder
        .set_proxy_session_id(Some("s".into()))
        .build()
        .unwrap();
    assert_eq!(input.voice_connector_id(), Some("v"));
    assert_eq!(input.proxy_session_id(), Some("s"));
}
