//! A resolver's answer against a case's `expect`: the endpoint as botocore's
//! runner compares it (URL, every property, headers), or the error's
//! message, word for word.

use sdkgen_runtime::endpoint_rules::{
    AuthScheme, EndpointParam, Property, ResolveError, ResolvedEndpoint,
};
use serde_json::{json, Map, Value};

/// A case's parameters as the resolver takes them, by the JSON type of
/// each value; whether the rule set has each, with that type, is the
/// resolver's to say (`Params::set`).
pub fn params(given: &Value) -> Result<Vec<(String, EndpointParam)>, String> {
    let mut out = Vec::new();
    for (name, value) in given.as_object().into_iter().flatten() {
        let param = match value {
            Value::String(s) => EndpointParam::String(s.clone()),
            Value::Bool(b) => EndpointParam::Bool(*b),
            Value::Array(items) => EndpointParam::StringArray(
                items
                    .iter()
                    .map(|i| {
                        i.as_str()
                            .map(str::to_string)
                            .ok_or_else(|| format!("{name}: {i} is not a string"))
                    })
                    .collect::<Result<_, _>>()?,
            ),
            other => return Err(format!("{name} = {other} has no rules type")),
        };
        out.push((name.clone(), param));
    }
    Ok(out)
}

/// Whether `got` is what `expect` says: `Ok` or why not.
pub fn resolution(
    got: &Result<ResolvedEndpoint, ResolveError>,
    expect: &Value,
) -> Result<(), String> {
    match (&expect["endpoint"], expect["error"].as_str(), got) {
        (Value::Object(endpoint), None, Ok(got)) => {
            let want = normalized(endpoint);
            let have = as_json(got);
            if want == have {
                Ok(())
            } else {
                Err(format!("expected {want}, got {have}"))
            }
        }
        (Value::Null, Some(error), Err(got)) if error == got.message() => Ok(()),
        (Value::Null, Some(error), Err(got)) => Err(format!(
            "expected the error {error:?}, got {:?}",
            got.message()
        )),
        (Value::Null, Some(error), Ok(got)) => Err(format!(
            "expected the error {error:?}, got {}",
            as_json(got)
        )),
        (Value::Object(_), None, Err(got)) => Err(format!(
            "expected {}, got the error {:?}",
            expect["endpoint"],
            got.message()
        )),
        _ => Err(format!(
            "an expectation neither endpoint nor error: {expect}"
        )),
    }
}

/// An expected endpoint with empty `properties` and `headers` left out,
/// as a resolved endpoint without any prints.
fn normalized(endpoint: &Map<String, Value>) -> Value {
    let mut out = Map::new();
    for (key, value) in endpoint {
        let empty = value.as_object().is_some_and(Map::is_empty);
        if !empty {
            out.insert(key.clone(), value.clone());
        }
    }
    Value::Object(out)
}

/// A resolved endpoint in the form the tests write one.
pub fn as_json(endpoint: &ResolvedEndpoint) -> Value {
    let mut out = Map::new();
    out.insert("url".into(), Value::String(endpoint.url.clone()));
    let mut properties = Map::new();
    if !endpoint.auth_schemes.is_empty() {
        let schemes = endpoint.auth_schemes.iter().map(scheme).collect();
        properties.insert("authSchemes".into(), Value::Array(schemes));
    }
    for (name, value) in &endpoint.properties {
        properties.insert(name.clone(), property(value));
    }
    if !properties.is_empty() {
        out.insert("properties".into(), Value::Object(properties));
    }
    let mut headers = Map::new();
    for (name, value) in &endpoint.headers {
        let values = headers
            .entry(name.clone())
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(values) = values {
            values.push(Value::String(value.clone()));
        }
    }
    if !headers.is_empty() {
        out.insert("headers".into(), Value::Object(headers));
    }
    Value::Object(out)
}

/// An `authSchemes` entry; what the scheme leaves unset is left out.
fn scheme(auth: &AuthScheme) -> Value {
    let mut out = Map::new();
    out.insert("name".into(), json!(auth.name));
    if let Some(name) = &auth.signing_name {
        out.insert("signingName".into(), json!(name));
    }
    if let Some(region) = &auth.signing_region {
        out.insert("signingRegion".into(), json!(region));
    }
    if !auth.signing_region_set.is_empty() {
        out.insert("signingRegionSet".into(), json!(auth.signing_region_set));
    }
    if auth.disable_double_encoding {
        out.insert("disableDoubleEncoding".into(), json!(true));
    }
    Value::Object(out)
}

fn property(value: &Property) -> Value {
    match value {
        Property::String(s) => json!(s),
        Property::Bool(b) => json!(b),
        Property::List(items) => Value::Array(items.iter().map(property).collect()),
        Property::Map(entries) => Value::Object(
            entries
                .iter()
                .map(|(k, v)| (k.clone(), property(v)))
                .collect(),
        ),
    }
}

/// The schemes the client signs with (the harness builds the runtime with
/// its `sigv4a` feature): S3 Express's with a session that S3's hooks ask
/// `CreateSession` for, which the recording transport gives out.
pub const SIGNED_SCHEMES: &[&str] = &["sigv4", "sigv4a", "sigv4-s3express"];

/// The scheme the client takes, as botocore with its CRT does: the first
/// listed that it signs with, else the first listed (which it then
/// refuses).
pub fn chosen_scheme(schemes: &[Value]) -> Option<&Value> {
    schemes
        .iter()
        .find(|s| SIGNED_SCHEMES.iter().any(|name| s["name"] == *name))
        .or(schemes.first())
}

/// Whether the scheme the resolver chose to sign with is the one
/// [`chosen_scheme`] picks from the expectation.
pub fn chosen(got: &ResolvedEndpoint, expect: &Value) -> Result<(), String> {
    let schemes: &[Value] = expect["endpoint"]["properties"]["authSchemes"]
        .as_array()
        .map_or(&[], Vec::as_slice);
    let want = chosen_scheme(schemes);
    let have = got.auth.as_ref().map(scheme);
    if want == have.as_ref() {
        Ok(())
    } else {
        Err(format!("expected to sign with {want:?}, chose {have:?}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sdkgen_runtime::endpoint_rules::AuthScheme;

    fn endpoint() -> ResolvedEndpoint {
        let scheme = AuthScheme {
            name: "sigv4".into(),
            signing_name: Some("s3".into()),
            signing_region: Some("us-east-1".into()),
            signing_region_set: Vec::new(),
            disable_double_encoding: true,
        };
        ResolvedEndpoint::new(
            "https://b.s3.amazonaws.com".into(),
            vec![scheme],
            vec![("x-a".into(), "1".into()), ("x-a".into(), "2".into())],
        )
        .with_properties(vec![(
            "backend".into(),
            Property::String("S3Express".into()),
        )])
    }

    #[test]
    fn an_endpoint_matches_only_when_url_properties_and_headers_all_do() {
        let expect = json!({"endpoint": {
            "url": "https://b.s3.amazonaws.com",
            "properties": {
                "backend": "S3Express",
                "authSchemes": [{"name": "sigv4", "signingName": "s3",
                    "signingRegion": "us-east-1", "disableDoubleEncoding": true}]
            },
            "headers": {"x-a": ["1", "2"]}
        }});
        assert_eq!(resolution(&Ok(endpoint()), &expect), Ok(()));
        assert_eq!(chosen(&endpoint(), &expect), Ok(()));
        for (pointer, value) in [
            ("/endpoint/url", json!("https://c.s3.amazonaws.com")),
            ("/endpoint/properties/backend", json!("S3")),
            (
                "/endpoint/properties/authSchemes/0/signingRegion",
                json!("us-west-2"),
            ),
            ("/endpoint/headers/x-a", json!(["2", "1"])),
        ] {
            let mut wrong = expect.clone();
            *wrong.pointer_mut(pointer).unwrap() = value;
            assert!(resolution(&Ok(endpoint()), &wrong).is_err(), "{pointer}");
        }
        let mut missing = expect.clone();
        missing["endpoint"]["properties"]
            .as_object_mut()
            .unwrap()
            .remove("backend");
        assert!(resolution(&Ok(endpoint()), &missing).is_err());
    }

    #[test]
    fn an_error_matches_word_for_word() {
        let expect = json!({"error": "Invalid region: region was not a valid DNS name."});
        let got = Err(ResolveError::new(
            "Invalid region: region was not a valid DNS name.",
        ));
        assert_eq!(resolution(&got, &expect), Ok(()));
        let other = Err(ResolveError::new("Invalid region"));
        assert!(resolution(&other, &expect).is_err());
        assert!(resolution(&Ok(endpoint()), &expect).is_err());
        let expect = json!({"endpoint": {"url": "https://b.s3.amazonaws.com"}});
        assert!(resolution(&got, &expect).is_err());
    }

    #[test]
    fn parameters_keep_their_json_types() {
        let given = json!({"Region": "us-east-1", "UseFIPS": true, "List": ["a", "b"]});
        let mut got = params(&given).unwrap();
        got.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(
            got,
            [
                (
                    "List".to_string(),
                    EndpointParam::StringArray(vec!["a".into(), "b".into()])
                ),
                (
                    "Region".to_string(),
                    EndpointParam::String("us-east-1".into())
                ),
                ("UseFIPS".to_string(), EndpointParam::Bool(true)),
            ]
        );
        assert!(params(&json!({"N": 1})).is_err());
        assert!(params(&json!({"L": [1]})).is_err());
    }
}
