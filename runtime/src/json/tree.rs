//! The parsed form of a JSON document, and the error of reading one.

use crate::document::Number;
use crate::error::WireError;
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;
use std::fmt;

/// A JSON value whose strings borrow from the parsed bytes where they can.
///
/// Objects keep their members in document order, duplicates included;
/// readers take the last of a repeated key, as botocore does.
#[derive(Debug, Clone, PartialEq)]
pub enum Json<'a> {
    Null,
    Bool(bool),
    Number(Number),
    String(Cow<'a, str>),
    Array(Vec<Json<'a>>),
    Object(Vec<(Cow<'a, str>, Json<'a>)>),
}

impl Json<'_> {
    /// What kind of value this is, for error messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "a boolean",
            Json::Number(_) => "a number",
            Json::String(_) => "a string",
            Json::Array(_) => "an array",
            Json::Object(_) => "an object",
        }
    }

    /// The value of `key` in an object (the last one, if it repeats).
    pub fn get(&self, key: &str) -> Option<&Json<'_>> {
        match self {
            Json::Object(members) => members.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The error for a value that is not the `expected` kind.
    pub fn expected(&self, expected: &str) -> WireError {
        WireError::new(format!("expected {expected}, found {}", self.kind()))
    }

    /// The string, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }
}

/// A response body as JSON, or `None` for an empty (or all-whitespace)
/// body, which JSON protocols send for an output without members.
pub fn body(bytes: &[u8]) -> Result<Option<Json<'_>>, WireError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    parse(bytes).map(Some)
}

/// Parses a whole JSON document. Nesting deeper than serde_json's limit
/// (128) is an error, not a stack overflow.
pub fn parse(bytes: &[u8]) -> Result<Json<'_>, WireError> {
    serde_json::from_slice(bytes).map_err(|e| WireError::new(e.to_string()))
}

impl<'de> Deserialize<'de> for Json<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(JsonVisitor)
    }
}

struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Json<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E>(self) -> Result<Json<'de>, E> {
        Ok(Json::Null)
    }

    fn visit_none<E>(self) -> Result<Json<'de>, E> {
        Ok(Json::Null)
    }

    fn visit_bool<E>(self, v: bool) -> Result<Json<'de>, E> {
        Ok(Json::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Json<'de>, E> {
        Ok(Json::Number(if v < 0 {
            Number::NegInt(v)
        } else {
            Number::PosInt(v as u64)
        }))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Json<'de>, E> {
        Ok(Json::Number(Number::PosInt(v)))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Json<'de>, E> {
        Ok(Json::Number(Number::Float(v)))
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Json<'de>, E> {
        Ok(Json::String(Cow::Borrowed(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Json<'de>, E> {
        Ok(Json::String(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E>(self, v: String) -> Result<Json<'de>, E> {
        Ok(Json::String(Cow::Owned(v)))
    }

    // serde_json gives no size hints: a first capacity that most AWS
    // objects and lists fit in saves the reallocations of growing from 0.
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json<'de>, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(4).min(64));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Json::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json<'de>, A::Error> {
        let mut members = Vec::with_capacity(map.size_hint().unwrap_or(16).min(64));
        while let Some((key, value)) = map.next_entry::<Key<'de>, Json<'de>>()? {
            members.push((key.0, value));
        }
        Ok(Json::Object(members))
    }
}

/// An object key, borrowed unless it had escapes.
struct Key<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object key")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_kind_and_borrows_plain_strings() {
        let text = br#"{"a":[1,-2,2.5,true,null],"b\n":"x\"y","c":"plain"}"#;
        let json = parse(text).unwrap();
        let Json::Object(members) = &json else {
            panic!("{json:?}")
        };
        assert_eq!(members.len(), 3);
        assert_eq!(
            members[0].1,
            Json::Array(vec![
                Json::Number(Number::PosInt(1)),
                Json::Number(Number::NegInt(-2)),
                Json::Number(Number::Float(2.5)),
                Json::Bool(true),
                Json::Null,
            ])
        );
        assert_eq!(members[1].0, "b\n");
        assert_eq!(members[1].1, Json::String("x\"y".into()));
        assert!(matches!(
            &members[2].1,
            Json::String(Cow::Borrowed("plain"))
        ));
    }

    #[test]
    fn repeated_keys_are_kept_and_get_takes_the_last() {
        let json = parse(br#"{"Name":"a","Name":"last"}"#).unwrap();
        assert_eq!(json.get("Name").and_then(Json::as_str), Some("last"));
    }

    #[test]
    fn malformed_and_too_deep_documents_are_errors() {
        for bad in [&b"{"[..], b"[1,]", b"{} x", b"\xff", b""] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
        let deep = "[".repeat(10_000) + &"]".repeat(10_000);
        assert!(parse(deep.as_bytes()).is_err());
    }
}
