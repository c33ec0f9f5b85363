//! serde for the runtime's value types, behind the `serde` feature, so that
//! the generated crates' own `serde` feature can offer a stable JSON form of
//! every shape to their users (the AWS CLI's: model member names, RFC 3339
//! timestamps, base64 blobs). This is not the wire format: the protocols'
//! generated code never uses it.

use crate::blob::{from_base64, to_base64, Blob};
use crate::document::{Document, Number};
use crate::timestamp;
use crate::DateTime;
use serde::de::{self, Deserializer, Visitor};
use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt;

/// RFC 3339 text.
impl Serialize for DateTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&timestamp::format_iso8601(self))
    }
}

/// Any text form [`timestamp::parse`] reads, or epoch seconds as a number.
impl<'de> Deserialize<'de> for DateTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = DateTime;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a timestamp as text or epoch seconds")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<DateTime, E> {
                timestamp::parse(v).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<DateTime, E> {
                timestamp::from_epoch_i64(v).map_err(E::custom)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<DateTime, E> {
                self.visit_i64(i64::try_from(v).map_err(E::custom)?)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<DateTime, E> {
                timestamp::from_epoch_f64(v).map_err(E::custom)
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// Base64 text.
impl Serialize for Blob {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&to_base64(self.as_bytes()))
    }
}

impl<'de> Deserialize<'de> for Blob {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        from_base64(&text)
            .map(Blob::from)
            .map_err(de::Error::custom)
    }
}

/// The value as JSON has it.
impl Serialize for Document {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Document::Null => serializer.serialize_unit(),
            Document::Bool(b) => serializer.serialize_bool(*b),
            Document::Number(Number::PosInt(v)) => serializer.serialize_u64(*v),
            Document::Number(Number::NegInt(v)) => serializer.serialize_i64(*v),
            Document::Number(Number::Float(v)) => serializer.serialize_f64(*v),
            Document::String(s) => serializer.serialize_str(s),
            Document::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Document::Object(members) => {
                let mut map = serializer.serialize_map(Some(members.len()))?;
                for (k, v) in members {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Document {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Document;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_unit<E>(self) -> Result<Document, E> {
                Ok(Document::Null)
            }
            fn visit_none<E>(self) -> Result<Document, E> {
                Ok(Document::Null)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Document, D::Error> {
                Document::deserialize(d)
            }
            fn visit_bool<E>(self, v: bool) -> Result<Document, E> {
                Ok(Document::Bool(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Document, E> {
                Ok(Document::from(v))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Document, E> {
                Ok(Document::from(v))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Document, E> {
                Ok(Document::from(v))
            }
            fn visit_str<E>(self, v: &str) -> Result<Document, E> {
                Ok(Document::from(v))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Document, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Document::Array(items))
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Document, A::Error> {
                let mut members = HashMap::new();
                while let Some((k, v)) = map.next_entry::<String, Document>()? {
                    members.insert(k, v);
                }
                Ok(Document::Object(members))
            }
        }
        deserializer.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_trip_through_json() {
        let t = DateTime::from_millis(1_704_164_645_500);
        let text = serde_json::to_string(&t).unwrap();
        assert_eq!(text, r#""2024-01-02T03:04:05.5Z""#);
        assert_eq!(serde_json::from_str::<DateTime>(&text).unwrap(), t);
        assert_eq!(serde_json::from_str::<DateTime>("1704164645.5").unwrap(), t);
        let blob = Blob::from("value");
        assert_eq!(serde_json::to_string(&blob).unwrap(), r#""dmFsdWU=""#);
        let doc: Document = serde_json::from_str(r#"{"a":[1,-1,1.5,null,"s",true]}"#).unwrap();
        let back: Document = serde_json::from_str(&serde_json::to_string(&doc).unwrap()).unwrap();
        assert_eq!(doc, back);
    }
}
