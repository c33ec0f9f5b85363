//! The `rest-json` protocol's response handling, shared by every operation.

use crate::error::{BuildError, ErrorMetadata, ResponseError, SdkError};
use crate::http::HttpResponse;
use crate::json_error::error_metadata;
use serde::de::DeserializeOwned;

/// Turns a response into the operation's output or error.
///
/// Every 2xx status is a success; an empty (or all-whitespace) body is an
/// empty output. Anything else is a service error, typed by `to_error` from
/// the metadata the response carries; its body is passed on so that modeled
/// error members can be read.
pub fn parse_response<O, E>(
    operation: &'static str,
    response: &HttpResponse,
    to_error: fn(ErrorMetadata, &[u8]) -> E,
) -> Result<O, SdkError<E>>
where
    O: DeserializeOwned + Default,
{
    if !response.is_success() {
        let source = to_error(error_metadata(response), &response.body);
        return Err(SdkError::Service { operation, source });
    }
    let unparseable = |cause: Box<dyn std::error::Error + Send + Sync>| SdkError::Response {
        operation,
        source: ResponseError::new(
            response.status,
            response.request_id().map(str::to_owned),
            cause,
        ),
    };
    match response.body.iter().find(|b| !b.is_ascii_whitespace()) {
        None => Ok(O::default()),
        // serde's derive would also read a structure from a JSON array (by
        // position), so a body that is not an object is refused up front.
        Some(b'{') => serde_json::from_slice(&response.body).map_err(|e| unparseable(e.into())),
        Some(_) => Err(unparseable("the body is not a JSON object".into())),
    }
}

/// A request's JSON body, member by member: unset members are left out.
#[derive(Debug, Default)]
pub struct JsonBody {
    map: serde_json::Map<String, serde_json::Value>,
}

impl JsonBody {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a member under its wire name when it is set.
    pub fn member<T: serde::Serialize>(
        &mut self,
        member: &'static str,
        wire_name: &str,
        value: &Option<T>,
    ) -> Result<&mut Self, BuildError> {
        if let Some(value) = value {
            let value = serde_json::to_value(value).map_err(|e| {
                BuildError::invalid(member, format!("cannot be written as JSON: {e}"))
            })?;
            self.map.insert(wire_name.to_string(), value);
        }
        Ok(self)
    }

    /// The body bytes (`{}` when no member is set, as the AWS SDKs send).
    pub fn finish(self) -> Vec<u8> {
        serde_json::to_vec(&serde_json::Value::Object(self.map))
            .expect("a JSON map always serializes")
    }
}

/// Reads the modeled members of an error shape from an error body.
///
/// An error body that does not match its shape still is that error: the
/// members are then left empty rather than the error lost.
pub fn error_members<T: DeserializeOwned + Default>(body: &[u8]) -> T {
    serde_json::from_slice(body).unwrap_or_default()
}

/// serde glue for timestamp members: any form [`crate::timestamp::parse`]
/// accepts, as a JSON string or number; written back as ISO 8601 in UTC.
pub mod timestamp_option {
    use crate::timestamp;
    use crate::DateTime;
    use serde::de::{self, Visitor};
    use serde::{Deserializer, Serializer};
    use std::fmt;

    pub fn serialize<S: Serializer>(
        value: &Option<DateTime>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(value) => serializer.serialize_str(&timestamp::format_iso8601(value)),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<DateTime>, D::Error> {
        deserializer.deserialize_any(TimestampVisitor)
    }

    struct TimestampVisitor;

    impl<'de> Visitor<'de> for TimestampVisitor {
        type Value = Option<DateTime>;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a timestamp as a string or as epoch seconds")
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(self)
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            timestamp::parse(v).map(Some).map_err(E::custom)
        }

        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            timestamp::from_epoch_i64(v).map(Some).map_err(E::custom)
        }

        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            let v = i64::try_from(v).map_err(E::custom)?;
            self.visit_i64(v)
        }

        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            timestamp::from_epoch_f64(v).map(Some).map_err(E::custom)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::UnhandledError;
    use serde::{Deserialize, Serialize};

    #[derive(Debug, Default, Deserialize, Serialize, PartialEq)]
    struct Out {
        #[serde(rename = "Name")]
        name: Option<String>,
        #[serde(
            rename = "At",
            default,
            with = "timestamp_option",
            skip_serializing_if = "Option::is_none"
        )]
        at: Option<crate::DateTime>,
    }

    fn parse(status: u16, body: &str) -> Result<Out, SdkError<UnhandledError>> {
        parse_response(
            "GetThing",
            &HttpResponse::new(status, vec![], body),
            |meta, _| UnhandledError::new(meta),
        )
    }

    #[test]
    fn any_2xx_is_success_and_empty_is_default() {
        assert_eq!(
            parse(200, r#"{"Name":"n"}"#).unwrap().name.as_deref(),
            Some("n")
        );
        assert_eq!(
            parse(201, r#"{"Name":"n"}"#).unwrap().name.as_deref(),
            Some("n")
        );
        assert_eq!(parse(204, "").unwrap(), Out::default());
        assert_eq!(parse(200, " \n").unwrap(), Out::default());
    }

    #[test]
    fn timestamps_in_every_json_form() {
        for body in [
            r#"{"At":"2024-01-02T03:04:05Z"}"#,
            r#"{"At":1704164645}"#,
            r#"{"At":1704164645.0}"#,
            r#"{"At":"1704164645"}"#,
        ] {
            let at = parse(200, body).unwrap().at.unwrap();
            assert_eq!(
                crate::timestamp::format_iso8601(&at),
                "2024-01-02T03:04:05Z",
                "{body}"
            );
        }
        assert_eq!(parse(200, r#"{"At":null}"#).unwrap().at, None);
        assert!(matches!(
            parse(200, r#"{"At":"yesterday"}"#),
            Err(SdkError::Response { .. })
        ));
        assert!(matches!(
            parse(200, r#"{"At":true}"#),
            Err(SdkError::Response { .. })
        ));
    }

    #[test]
    fn timestamps_serialize_as_iso8601() {
        let out = parse(200, r#"{"At":1704164645.5}"#).unwrap();
        assert_eq!(
            serde_json::to_string(&out).unwrap(),
            r#"{"Name":null,"At":"2024-01-02T03:04:05.5Z"}"#
        );
    }

    #[test]
    fn malformed_json_is_a_response_error() {
        for body in ["{not json", "[]", "null", "\"s\"", "5"] {
            match parse(200, body) {
                Err(SdkError::Response { source, .. }) => assert_eq!(source.status(), 200),
                other => panic!("{body}: expected a response error, got {other:?}"),
            }
        }
    }

    #[test]
    fn errors_are_typed_by_the_callback() {
        match parse(404, r#"{"code":"NotFoundException"}"#) {
            Err(SdkError::Service { source: e, .. }) => {
                use crate::error::ProvideErrorMetadata;
                assert_eq!(e.code(), Some("NotFoundException"));
                assert_eq!(e.status(), 404);
            }
            other => panic!("expected a service error, got {other:?}"),
        }
    }

    #[test]
    fn json_bodies_leave_unset_members_out() {
        let mut body = JsonBody::new();
        body.member("Name", "Name", &Some("n")).unwrap();
        body.member("Count", "count", &None::<i32>).unwrap();
        body.member("Tags", "Tags", &Some(vec!["a", "b"])).unwrap();
        assert_eq!(body.finish(), br#"{"Name":"n","Tags":["a","b"]}"#);
        assert_eq!(JsonBody::new().finish(), b"{}");
    }

    #[test]
    fn error_members_tolerate_any_body() {
        #[derive(Default, Deserialize)]
        struct Members {
            #[serde(rename = "Reason")]
            reason: Option<String>,
        }
        assert_eq!(
            error_members::<Members>(br#"{"Reason":"r"}"#)
                .reason
                .as_deref(),
            Some("r")
        );
        assert_eq!(error_members::<Members>(b"<html>").reason, None);
        assert_eq!(error_members::<Members>(br#"{"Reason":5}"#).reason, None);
    }
}
