//! Properties that must hold for any input, checked with proptest.
#![allow(deprecated)]

use chime_sdk_voice::operation::get_proxy_session::{
    GetProxySession, GetProxySessionInput, GetProxySessionOutput,
};
use chime_sdk_voice::types::{
    Capability, GeoMatchLevel, GeoMatchParams, NumberSelectionBehavior, Participant, ProxySession,
    ProxySessionStatus,
};
use proptest::prelude::*;
use sdkgen_runtime::credentials::Credentials;
use sdkgen_runtime::sigv4::{
    sign_headers, SignablePayload, SignableRequest, SigningParams, SigningSettings,
};
use sdkgen_runtime::{HttpResponse, Operation};
use sdkgen_tests::decoded_segments;

/// Labels: any Unicode, with the awkward cases made likely.
fn label() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(".".to_string()),
        Just("..".to_string()),
        "[./?#% +&=;:@]{1,6}",
        any::<String>().prop_filter("labels must not be empty", |s| !s.is_empty()),
    ]
}

proptest! {
    #[test]
    fn any_label_is_one_segment(connector in label(), session in label()) {
        let input = GetProxySessionInput::builder().voice_connector_id(&connector).proxy_session_id(&session).build().unwrap();
        let request = GetProxySession::serialize(&input, &Default::default()).unwrap();
        prop_assert!(!request.path_and_query.contains(['?', '#']));
        let segments = decoded_segments(&request.path_and_query);
        prop_assert_eq!(segments, vec!["voice-connectors".to_string(), connector, "proxy-sessions".to_string(), session]);
        for raw in request.path_and_query.split('/') {
            prop_assert!(raw != "." && raw != "..");
        }
    }

    #[test]
    fn signing_ignores_header_order_and_name_case(
        headers in proptest::collection::btree_map("[a-z][a-z0-9-]{0,10}", "[ -~]{0,20}", 0..6),
        seed in any::<u64>(),
    ) {
        let credentials = Credentials::new("AKID", "secret", Some("token".into()), None);
        let params = SigningParams {
            credentials: &credentials,
            region: "us-east-1",
            service: "chime",
            time: time::OffsetDateTime::from_unix_timestamp(1_700_000_000).unwrap(),
            settings: SigningSettings::default(), key_cache: None
        };
        let mut ordered: Vec<(String, String)> = headers.into_iter().filter(|(k, _)| !k.starts_with("x-amz-") && k != "authorization").collect();
        ordered.push(("host".into(), "example.com".into()));
        let mut shuffled = ordered.clone();
        // A deterministic shuffle and case change from the seed.
        let mut state = seed;
        for i in (1..shuffled.len()).rev() {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            shuffled.swap(i, (state >> 33) as usize % (i + 1));
        }
        for (i, (name, _)) in shuffled.iter_mut().enumerate() {
            if (seed >> (i % 64)) & 1 == 1 {
                *name = name.to_ascii_uppercase();
            }
        }
        let sign = |headers: Vec<(String, String)>| {
            let headers = headers.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let request = SignableRequest { method: "GET", path: "/a%20b", query: "", headers, payload: SignablePayload::Bytes(b"") };
            sign_headers(&request, &params).signature
        };
        prop_assert_eq!(sign(ordered), sign(shuffled));
    }

    #[test]
    fn any_response_is_ok_or_an_error_never_a_panic(
        status in prop_oneof![Just(200u16), Just(204), Just(400), Just(404), Just(500), 100u16..600],
        body in prop_oneof![
            any::<Vec<u8>>(),
            "\\PC*".prop_map(String::into_bytes),
            "\\{\"ProxySession\": ?\\{(\"[A-Za-z]{1,20}\": ?(\"[^\"\\\\]{0,10}\"|[0-9]{1,12}|true|null|\\[\\]|\\{\\}),? ?){0,5}\\}\\}".prop_map(String::into_bytes),
        ],
        code in proptest::option::of("[A-Za-z#:._/ ]{0,40}"),
    ) {
        let mut headers = vec![("x-amzn-requestid".to_string(), "r".to_string())];
        if let Some(code) = code {
            headers.push(("x-amzn-errortype".to_string(), code));
        }
        let _ = GetProxySession::deserialize(HttpResponse::new(status, headers, body));
    }

    #[test]
    fn any_output_serializes_and_parses_back_equal(output in output()) {
        let json = serde_json::to_vec(&output).unwrap();
        let parsed = GetProxySession::deserialize(HttpResponse::new(200, vec![], json)).unwrap();
        prop_assert_eq!(parsed, output);
    }
}

fn timestamp() -> impl Strategy<Value = chime_sdk_voice::DateTime> {
    (-2_000_000_000i64..4_000_000_000, 0u32..1_000_000_000)
        .prop_map(|(secs, nanos)| chime_sdk_voice::DateTime::from_secs_and_nanos(secs, nanos))
}

fn output() -> impl Strategy<Value = GetProxySessionOutput> {
    let text = || proptest::option::of("\\PC{0,12}");
    let participant = (text(), text()).prop_map(|(phone, proxy)| {
        Participant::builder()
            .set_phone_number(phone)
            .set_proxy_phone_number(proxy)
            .build()
    });
    let geo = proptest::option::of((text(), text()).prop_map(|(country, area)| {
        GeoMatchParams::builder()
            .set_country(country)
            .set_area_code(area)
            .build()
    }));
    let session = (
        (
            text(),
            text(),
            text(),
            proptest::option::of("[A-Za-z]{1,12}"),
            proptest::option::of(any::<i32>()),
        ),
        (
            proptest::option::of(proptest::collection::vec("Voice|SMS|Fax", 0..3)),
            proptest::option::of(timestamp()),
            proptest::option::of(timestamp()),
            proptest::option::of(timestamp()),
        ),
        (
            proptest::option::of(proptest::collection::vec(participant, 0..3)),
            proptest::option::of("[A-Za-z]{1,12}"),
            proptest::option::of("[A-Za-z]{1,12}"),
            geo,
        ),
    )
        .prop_map(
            |(
                (connector, id, name, status, expiry),
                (caps, created, updated, ended),
                (participants, selection, level, geo),
            )| {
                ProxySession::builder()
                    .set_voice_connector_id(connector)
                    .set_proxy_session_id(id)
                    .set_name(name)
                    .set_status(status.map(|s| ProxySessionStatus::from(s.as_str())))
                    .set_expiry_minutes(expiry)
                    .set_capabilities(
                        caps.map(|c| c.iter().map(|v| Capability::from(v.as_str())).collect()),
                    )
                    .set_created_timestamp(created)
                    .set_updated_timestamp(updated)
                    .set_ended_timestamp(ended)
                    .set_participants(participants)
                    .set_number_selection_behavior(
                        selection.map(|s| NumberSelectionBehavior::from(s.as_str())),
                    )
                    .set_geo_match_level(level.map(|s| GeoMatchLevel::from(s.as_str())))
                    .set_geo_match_params(geo)
                    .build()
            },
        );
    proptest::option::of(session).prop_map(|session| {
        GetProxySessionOutput::builder()
            .set_proxy_session(session)
            .build()
    })
}
