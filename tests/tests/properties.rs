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
use sdkgen_runtime::timestamp::TimestampFormat;
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
            settings: SigningSettings::default(), key_cache: None, algorithm: Default::default()
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

    /// The wire round trip: an output written as the service writes it
    /// (the model's JSON names, ISO 8601 timestamps, enums as their value)
    /// and read by the operation's deserializer is the same output.
    #[test]
    fn any_output_read_from_its_wire_form_is_the_same_output(output in output()) {
        let wire = serde_json::to_vec(&wire_form(&output)).unwrap();
        let parsed = GetProxySession::deserialize(HttpResponse::new(200, vec![], wire)).unwrap();
        prop_assert_eq!(parsed, output);
    }

    /// The user-facing serde form (the crate's `serde` feature, as the AWS
    /// CLI prints shapes) reads back into the same output.
    #[test]
    fn any_output_round_trips_through_its_serde_form(output in output()) {
        let json = serde_json::to_vec(&output).unwrap();
        let parsed: GetProxySessionOutput = serde_json::from_slice(&json).unwrap();
        prop_assert_eq!(parsed, output);
    }
}

/// The body a service sends for `output`, written here by hand from the
/// model (`ProxySession`'s members and their timestamp format), not by the
/// crate: the reader is checked against the wire, not against itself.
fn wire_form(output: &GetProxySessionOutput) -> serde_json::Value {
    use serde_json::{json, Map, Value};
    let Some(s) = output.proxy_session() else {
        return json!({});
    };
    let mut m = Map::new();
    let mut put = |key: &str, value: Option<Value>| {
        if let Some(value) = value {
            m.insert(key.to_string(), value);
        }
    };
    let iso8601 = |t: Option<&chime_sdk_voice::DateTime>| {
        t.map(|t| {
            Value::from(sdkgen_runtime::timestamp::format(
                t,
                TimestampFormat::DateTime,
            ))
        })
    };
    put("VoiceConnectorId", s.voice_connector_id().map(Value::from));
    put("ProxySessionId", s.proxy_session_id().map(Value::from));
    put("Name", s.name().map(Value::from));
    put("Status", s.status().map(|v| Value::from(v.as_str())));
    put("ExpiryMinutes", s.expiry_minutes().map(Value::from));
    put(
        "Capabilities",
        s.capabilities
            .as_ref()
            .map(|c| c.iter().map(|c| Value::from(c.as_str())).collect()),
    );
    put("CreatedTimestamp", iso8601(s.created_timestamp()));
    put("UpdatedTimestamp", iso8601(s.updated_timestamp()));
    put("EndedTimestamp", iso8601(s.ended_timestamp()));
    put(
        "Participants",
        s.participants.as_ref().map(|p| {
            p.iter()
                .map(|p| {
                    let mut o = Map::new();
                    if let Some(v) = p.phone_number() {
                        o.insert("PhoneNumber".into(), v.into());
                    }
                    if let Some(v) = p.proxy_phone_number() {
                        o.insert("ProxyPhoneNumber".into(), v.into());
                    }
                    Value::Object(o)
                })
                .collect()
        }),
    );
    put(
        "NumberSelectionBehavior",
        s.number_selection_behavior()
            .map(|v| Value::from(v.as_str())),
    );
    put(
        "GeoMatchLevel",
        s.geo_match_level().map(|v| Value::from(v.as_str())),
    );
    put(
        "GeoMatchParams",
        s.geo_match_params().map(|g| {
            let mut o = Map::new();
            if let Some(v) = g.country() {
                o.insert("Country".into(), v.into());
            }
            if let Some(v) = g.area_code() {
                o.insert("AreaCode".into(), v.into());
            }
            Value::Object(o)
        }),
    );
    json!({ "ProxySession": m })
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
