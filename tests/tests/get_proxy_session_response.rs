//! Responses become GetProxySession's output or its typed error.
#![allow(deprecated)]

use chime_sdk_voice::operation::get_proxy_session::{
    GetProxySession, GetProxySessionError, GetProxySessionOutput,
};
use chime_sdk_voice::types::{
    Capability, GeoMatchLevel, NumberSelectionBehavior, ProxySessionStatus,
};
use chime_sdk_voice::{ProvideErrorMetadata, SdkError};
use sdkgen_runtime::{timestamp, HttpResponse, Operation};
use sdkgen_tests::response;

/// Every one of the 13 `ProxySession` members, as the service documents them.
const FULL: &str = r#"{
  "ProxySession": {
    "VoiceConnectorId": "abcdef1234567890abcdef",
    "ProxySessionId": "321c2b4a-b0cf-4f4c-9b65-0a2a18c7e1c9",
    "Name": "support-line",
    "Status": "InProgress",
    "ExpiryMinutes": 60,
    "Capabilities": ["Voice", "SMS"],
    "CreatedTimestamp": "2024-01-02T03:04:05.123456789Z",
    "UpdatedTimestamp": "2024-01-02T03:14:05Z",
    "EndedTimestamp": 1704167045.5,
    "Participants": [
      {"PhoneNumber": "+12065550100", "ProxyPhoneNumber": "+12065550199"},
      {"PhoneNumber": "+12065550101", "ProxyPhoneNumber": "+12065550198"}
    ],
    "NumberSelectionBehavior": "PreferSticky",
    "GeoMatchLevel": "AreaCode",
    "GeoMatchParams": {"Country": "US", "AreaCode": "206"}
  }
}"#;

fn parse(resp: HttpResponse) -> Result<GetProxySessionOutput, SdkError<GetProxySessionError>> {
    GetProxySession::deserialize(resp)
}

fn iso(value: Option<&chime_sdk_voice::DateTime>) -> String {
    timestamp::format_iso8601(value.expect("timestamp present"))
}

#[test]
fn the_full_response_has_all_13_members() {
    let out = parse(response(200, &[("x-amzn-RequestId", "r-1")], FULL)).unwrap();
    let s = out.proxy_session().expect("ProxySession");
    assert_eq!(s.voice_connector_id(), Some("abcdef1234567890abcdef"));
    assert_eq!(
        s.proxy_session_id(),
        Some("321c2b4a-b0cf-4f4c-9b65-0a2a18c7e1c9")
    );
    assert_eq!(s.name(), Some("support-line"));
    assert_eq!(s.status(), Some(&ProxySessionStatus::InProgress));
    assert_eq!(s.expiry_minutes(), Some(60));
    assert_eq!(s.capabilities(), [Capability::Voice, Capability::Sms]);
    assert_eq!(iso(s.created_timestamp()), "2024-01-02T03:04:05.123456789Z");
    assert_eq!(iso(s.updated_timestamp()), "2024-01-02T03:14:05Z");
    assert_eq!(iso(s.ended_timestamp()), "2024-01-02T03:44:05.5Z");
    let participants = s.participants();
    assert_eq!(participants.len(), 2);
    assert_eq!(participants[0].phone_number(), Some("+12065550100"));
    assert_eq!(participants[1].proxy_phone_number(), Some("+12065550198"));
    assert_eq!(
        s.number_selection_behavior(),
        Some(&NumberSelectionBehavior::PreferSticky)
    );
    assert_eq!(s.geo_match_level(), Some(&GeoMatchLevel::AreaCode));
    let geo = s.geo_match_params().unwrap();
    assert_eq!((geo.country(), geo.area_code()), (Some("US"), Some("206")));
}

#[test]
fn output_serializes_and_parses_back_equal() {
    let out = parse(response(200, &[], FULL)).unwrap();
    let json = serde_json::to_string(&out).unwrap();
    let again = parse(response(200, &[], &json)).unwrap();
    assert_eq!(out, again);
    // Model member names, ISO 8601 timestamps in UTC.
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        value["ProxySession"]["EndedTimestamp"],
        "2024-01-02T03:44:05.5Z"
    );
    assert_eq!(
        value["ProxySession"]["Capabilities"],
        serde_json::json!(["Voice", "SMS"])
    );
}

#[test]
fn unknown_enum_values_and_extra_fields_are_kept_or_ignored() {
    let body = r#"{
      "ProxySession": {
        "Status": "Paused",
        "Capabilities": ["Voice", "Video"],
        "GeoMatchLevel": "Planet",
        "BrandNewMember": {"nested": [1, 2, 3]},
        "Name": null
      },
      "TopLevelExtra": true
    }"#;
    let out = parse(response(200, &[], body)).unwrap();
    let s = out.proxy_session().unwrap();
    let status = s.status().unwrap();
    assert!(matches!(status, ProxySessionStatus::Unknown(_)));
    assert_eq!(status.as_str(), "Paused");
    assert_eq!(s.capabilities()[1].as_str(), "Video");
    assert_eq!(s.geo_match_level().unwrap().to_string(), "Planet");
    assert_eq!(s.name(), None, "null is absent");
    // Printed back exactly as received.
    let json = serde_json::to_value(&out).unwrap();
    assert_eq!(json["ProxySession"]["Status"], "Paused");
}

#[test]
fn omitted_members_stay_absent_even_when_required() {
    // GeoMatchParams marks Country and AreaCode required; the service decides.
    let out = parse(response(
        200,
        &[],
        r#"{"ProxySession": {"GeoMatchParams": {}}}"#,
    ))
    .unwrap();
    let geo = out.proxy_session().unwrap().geo_match_params().unwrap();
    assert_eq!(geo.country(), None);
    assert_eq!(
        serde_json::to_string(&out).unwrap(),
        r#"{"ProxySession":{"GeoMatchParams":{}}}"#
    );
}

#[test]
fn any_2xx_is_success_and_an_empty_body_is_an_empty_output() {
    assert_eq!(
        parse(response(204, &[], "")).unwrap(),
        GetProxySessionOutput::default()
    );
    assert_eq!(parse(response(200, &[], "")).unwrap().proxy_session(), None);
    assert!(parse(response(202, &[], FULL))
        .unwrap()
        .proxy_session()
        .is_some());
    assert_eq!(
        parse(response(200, &[], "{}")).unwrap(),
        GetProxySessionOutput::default()
    );
}

#[test]
fn malformed_json_is_an_error_not_a_panic() {
    let bodies = [
        "{",
        "not json",
        "[]",
        "null",
        "\"text\"",
        r#"{"ProxySession": 5}"#,
        r#"{"ProxySession": {"ExpiryMinutes": "sixty"}}"#,
        r#"{"ProxySession": {"ExpiryMinutes": 99999999999}}"#,
        r#"{"ProxySession": {"CreatedTimestamp": "yesterday"}}"#,
        r#"{"ProxySession": {"Capabilities": "Voice"}}"#,
        "\u{0}\u{1}",
    ];
    for body in bodies {
        match parse(response(200, &[("x-amzn-RequestId", "r-9")], body)) {
            Err(SdkError::Response { source: e, .. }) => {
                assert_eq!(e.status(), 200);
                assert_eq!(e.request_id(), Some("r-9"));
                assert!(
                    std::error::Error::source(&e).is_some(),
                    "{body:?} keeps its cause"
                );
            }
            other => panic!("{body:?}: expected a response error, got {other:?}"),
        }
    }
}

/// The 7 modeled errors, with their statuses.
const ERRORS: [(&str, u16); 7] = [
    ("UnauthorizedClientException", 401),
    ("NotFoundException", 404),
    ("ForbiddenException", 403),
    ("BadRequestException", 400),
    ("ThrottledClientException", 429),
    ("ServiceUnavailableException", 503),
    ("ServiceFailureException", 500),
];

/// Each way a service places the code: header (in any case), `code`,
/// `Code`, `__type`, with the decorations that must be stripped.
fn placements(code: &str) -> Vec<(Vec<(String, String)>, String)> {
    let body = |json: String| json;
    vec![
        (
            vec![("X-Amzn-ErrorType".into(), code.into())],
            body(r#"{"message":"m"}"#.into()),
        ),
        (
            vec![(
                "x-amzn-errortype".into(),
                format!("{code}:http://internal.amazon.com/coral/com.amazon.coral.validate/"),
            )],
            body(r#"{"Message":"m"}"#.into()),
        ),
        (
            vec![],
            body(format!(r#"{{"code":"{code}","message":"m"}}"#)),
        ),
        (
            vec![],
            body(format!(r#"{{"Code":"{code}","Message":"m"}}"#)),
        ),
        (
            vec![],
            body(format!(r#"{{"__type":"{code}","errorMessage":"m"}}"#)),
        ),
        (
            vec![],
            body(format!(
                r#"{{"__type":"com.amazonaws.chimesdkvoice#{code}","message":"m"}}"#
            )),
        ),
        (
            vec![],
            body(format!(
                r#"{{"__type":"aws.chime#{code}:http://internal.amazon.com/","message":"m"}}"#
            )),
        ),
    ]
}

#[test]
fn each_modeled_error_in_each_placement() {
    for (code, status) in ERRORS {
        for (headers, body) in placements(code) {
            let mut headers = headers;
            headers.push(("X-Amzn-RequestId".into(), "req-42".into()));
            let resp = HttpResponse::new(status, headers.clone(), body.clone());
            let err = match parse(resp) {
                Err(SdkError::Service { source: e, .. }) => e,
                other => {
                    panic!("{code} {headers:?} {body}: expected a service error, got {other:?}")
                }
            };
            let variant_matches = match &err {
                GetProxySessionError::UnauthorizedClientException(_) => {
                    code == "UnauthorizedClientException"
                }
                GetProxySessionError::NotFoundException(_) => code == "NotFoundException",
                GetProxySessionError::ForbiddenException(_) => code == "ForbiddenException",
                GetProxySessionError::BadRequestException(_) => code == "BadRequestException",
                GetProxySessionError::ThrottledClientException(_) => {
                    code == "ThrottledClientException"
                }
                GetProxySessionError::ServiceUnavailableException(_) => {
                    code == "ServiceUnavailableException"
                }
                GetProxySessionError::ServiceFailureException(_) => {
                    code == "ServiceFailureException"
                }
                other => panic!("{code} {headers:?} {body}: became {other:?}"),
            };
            assert!(variant_matches, "{code} became {err:?}");
            assert_eq!(err.code(), Some(code));
            assert_eq!(err.message(), Some("m"));
            assert_eq!(err.status(), status);
            assert_eq!(err.request_id(), Some("req-42"));
            assert_eq!(
                err.to_string(),
                format!("{code}: m (HTTP {status}, request id req-42)")
            );
            // The variant is the error, not its cause: said once.
            assert!(std::error::Error::source(&err).is_none());
            let raw = err.meta().raw_response().expect("the response is kept");
            assert_eq!((raw.status(), raw.body()), (status, body.as_bytes()));
        }
    }
}

#[test]
fn predicates_name_the_variant() {
    let err = parse(response(404, &[], r#"{"code":"NotFoundException"}"#)).unwrap_err();
    let err = err.into_service_error().unwrap();
    assert!(err.is_not_found_exception());
    assert!(!err.is_throttled_client_exception());
}

#[test]
fn the_header_code_wins_over_the_body() {
    let resp = response(
        400,
        &[("X-Amzn-ErrorType", "ForbiddenException")],
        r#"{"code":"BadRequestException"}"#,
    );
    let err = parse(resp).unwrap_err().into_service_error().unwrap();
    assert!(err.is_forbidden_exception(), "{err:?}");
}

#[test]
fn errors_the_model_does_not_name_are_kept_whole() {
    let resp = response(
        409,
        &[("x-amzn-RequestId", "req-7")],
        r#"{"__type":"ConflictException","message":"already exists"}"#,
    );
    let err = parse(resp).unwrap_err().into_service_error().unwrap();
    assert!(matches!(err, GetProxySessionError::Unhandled(_)), "{err:?}");
    assert_eq!(err.code(), Some("ConflictException"));
    assert_eq!(err.message(), Some("already exists"));
    assert_eq!(err.status(), 409);
    assert_eq!(
        err.to_string(),
        "ConflictException: already exists (HTTP 409, request id req-7)"
    );

    // No code at all, and a body that is not JSON (a proxy's page): still
    // an error, with its status as the code and the whole body, line
    // breaks included, as its message, as botocore reports it.
    let page = "<!DOCTYPE html>\n<p>Bad request</p>\n";
    let err = parse(response(400, &[], page))
        .unwrap_err()
        .into_service_error()
        .unwrap();
    assert!(matches!(err, GetProxySessionError::Unhandled(_)));
    assert_eq!((err.code(), err.status()), (Some("400"), 400));
    assert_eq!(err.message(), Some(page));
    assert_eq!(
        err.meta().raw_response().map(|r| r.body()),
        Some(page.as_bytes())
    );
    assert_eq!(
        err.to_string(),
        "400: <!DOCTYPE html> <p>Bad request</p> (HTTP 400)"
    );
}

/// What botocore (and so the AWS CLI) makes of the same responses.
#[test]
fn botocore_oracle_findings() {
    // A repeated key keeps its last value.
    let body = r#"{"ProxySession":{"Name":"a","ExpiryMinutes":5,"Name":"last"}}"#;
    let out = parse(response(200, &[], body)).unwrap();
    assert_eq!(out.proxy_session().unwrap().name(), Some("last"));

    // A code without a message: the message is empty, not missing.
    let err = parse(response(404, &[], r#"{"__type":"NotFoundException"}"#))
        .unwrap_err()
        .into_service_error()
        .unwrap();
    assert!(err.is_not_found_exception());
    assert_eq!(err.message(), Some(""));
    assert_eq!(err.to_string(), "NotFoundException (HTTP 404)");

    // A server error without a usable body: the status as the code, the
    // HTTP reason phrase as the message.
    for body in ["", "<html>Bad Gateway</html>"] {
        let err = parse(response(502, &[], body))
            .unwrap_err()
            .into_service_error()
            .unwrap();
        assert_eq!((err.code(), err.status()), (Some("502"), 502));
        assert_eq!(err.message(), Some("Bad Gateway"), "{body:?}");
        assert_eq!(err.to_string(), "502: Bad Gateway (HTTP 502)");
    }
    let err = parse(response(500, &[], ""))
        .unwrap_err()
        .into_service_error()
        .unwrap();
    assert_eq!(err.message(), Some("Internal Server Error"));
}

#[test]
fn debug_redacts_phone_numbers() {
    let out = parse(response(200, &[], FULL)).unwrap();
    let debug = format!("{out:?}");
    assert!(!debug.contains("+1206555"), "{debug}");
    assert!(
        debug.contains("phone_number: Some(*** Sensitive Data Redacted ***)"),
        "{debug}"
    );
    assert!(
        debug.contains("support-line"),
        "non-sensitive members still show: {debug}"
    );
    let pretty = format!("{out:#?}");
    assert!(!pretty.contains("+1206555"));
}
