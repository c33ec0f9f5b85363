//! Readers from a [`Json`] value to the types of generated shapes.
//!
//! They are as lenient as botocore where a service could drift without
//! meaning harm (a number sent as a string, a timestamp in another format)
//! and strict where a value cannot mean what the model says (a string where
//! an integer belongs, an integer out of range): that is an error naming the
//! member, never a silent zero.

use super::tree::Json;
use crate::blob::{from_base64, Blob};
use crate::document::{Document, Number};
use crate::error::WireError;
use crate::timestamp;
use crate::DateTime;
use std::collections::HashMap;
use std::hash::Hash;

/// A `string` member.
pub fn string(value: Json<'_>) -> Result<String, WireError> {
    match value {
        Json::String(s) => Ok(s.into_owned()),
        other => Err(other.expected("a string")),
    }
}

/// A string enum member: any string, kept even when the model does not
/// know it.
pub fn enumeration<E: for<'s> From<&'s str>>(value: Json<'_>) -> Result<E, WireError> {
    match value {
        Json::String(s) => Ok(E::from(&s)),
        other => Err(other.expected("a string")),
    }
}

/// A `boolean` member: `true`/`false`, or the same as a string.
pub fn boolean(value: Json<'_>) -> Result<bool, WireError> {
    match value {
        Json::Bool(b) => Ok(b),
        Json::String(s) if s == "true" => Ok(true),
        Json::String(s) if s == "false" => Ok(false),
        other => Err(other.expected("a boolean")),
    }
}

/// A 64-bit integer: a JSON integer, a float without a fraction, or the
/// digits as a string.
pub fn long(value: Json<'_>) -> Result<i64, WireError> {
    let out_of_range = || WireError::new("the number does not fit a 64-bit integer");
    match value {
        Json::Number(Number::PosInt(v)) => i64::try_from(v).map_err(|_| out_of_range()),
        Json::Number(Number::NegInt(v)) => Ok(v),
        Json::Number(Number::Float(v)) if v.fract() == 0.0 && v.abs() < 9.2e18 => Ok(v as i64),
        Json::Number(Number::Float(_)) => {
            Err(WireError::new("expected an integer, found a fraction"))
        }
        Json::String(s) => s
            .trim()
            .parse()
            .map_err(|_| WireError::new(format!("expected an integer, found {:?}", shorten(&s)))),
        other => Err(other.expected("an integer")),
    }
}

/// A 32-bit integer (`integer`, and the model's `byte` and `short`).
pub fn integer(value: Json<'_>) -> Result<i32, WireError> {
    let wide = long(value)?;
    i32::try_from(wide).map_err(|_| WireError::new(format!("{wide} does not fit a 32-bit integer")))
}

/// A `double`: any number, or `"NaN"`, `"Infinity"`, `"-Infinity"` (how
/// JSON carries what it has no literal for), or a number as a string.
pub fn double(value: Json<'_>) -> Result<f64, WireError> {
    match value {
        Json::Number(n) => Ok(n.as_f64()),
        Json::String(s) => match &*s {
            "NaN" => Ok(f64::NAN),
            "Infinity" => Ok(f64::INFINITY),
            "-Infinity" => Ok(f64::NEG_INFINITY),
            text => text.trim().parse().map_err(|_| {
                WireError::new(format!("expected a number, found {:?}", shorten(text)))
            }),
        },
        other => Err(other.expected("a number")),
    }
}

/// A `float`, read as [`double`] and narrowed.
pub fn float(value: Json<'_>) -> Result<f32, WireError> {
    double(value).map(|v| v as f32)
}

/// A `blob` member: base64 text.
pub fn blob(value: Json<'_>) -> Result<Blob, WireError> {
    match value {
        Json::String(s) => from_base64(&s)
            .map(Blob::from)
            .map_err(|e| WireError::new(format!("not base64: {e}"))),
        other => Err(other.expected("base64 text")),
    }
}

/// A `timestamp` member, whatever its declared format: epoch seconds as a
/// number or any text form [`timestamp::parse`] reads, so that a service
/// changing its format breaks no deployed client.
pub fn timestamp(value: Json<'_>) -> Result<DateTime, WireError> {
    let parsed = match value {
        Json::Number(Number::PosInt(v)) => {
            let v =
                i64::try_from(v).map_err(|_| WireError::new("the timestamp is out of range"))?;
            timestamp::from_epoch_i64(v)
        }
        Json::Number(Number::NegInt(v)) => timestamp::from_epoch_i64(v),
        Json::Number(Number::Float(v)) => timestamp::from_epoch_f64(v),
        Json::String(s) => timestamp::parse(&s),
        other => return Err(other.expected("a timestamp")),
    };
    parsed.map_err(|e| WireError::new(e.to_string()))
}

/// A `document` member: the value as it is. Of a repeated key, the last
/// wins.
pub fn document(value: Json<'_>) -> Result<Document, WireError> {
    Ok(match value {
        Json::Null => Document::Null,
        Json::Bool(b) => Document::Bool(b),
        Json::Number(n) => Document::Number(n),
        Json::String(s) => Document::String(s.into_owned()),
        Json::Array(items) => {
            Document::Array(items.into_iter().map(document).collect::<Result<_, _>>()?)
        }
        Json::Object(members) => {
            let mut map = HashMap::with_capacity(members.len());
            for (key, value) in members {
                map.insert(key.into_owned(), document(value)?);
            }
            Document::Object(map)
        }
    })
}

/// The members of a structure: `member` is called with each key and value
/// in document order, so the last of a repeated key wins. A `null` value is
/// an absent member and is not passed on. An error says which member failed.
pub fn object<'a>(
    value: Json<'a>,
    mut member: impl FnMut(&str, Json<'a>) -> Result<(), WireError>,
) -> Result<(), WireError> {
    match value {
        Json::Object(members) => {
            for (key, value) in members {
                if matches!(value, Json::Null) {
                    continue;
                }
                member(&key, value).map_err(|e| e.at(&key))?;
            }
            Ok(())
        }
        other => Err(other.expected("an object")),
    }
}

/// As [`object`], for error responses: a member that does not fit its
/// shape is left out instead of failing the whole, so that a malformed
/// member cannot hide the error itself.
pub fn object_lenient<'a>(
    value: Json<'a>,
    mut member: impl FnMut(&str, Json<'a>) -> Result<(), WireError>,
) {
    if let Json::Object(members) = value {
        for (key, value) in members {
            if !matches!(value, Json::Null) {
                let _ = member(&key, value);
            }
        }
    }
}

/// A list whose elements cannot be null: a `null` element is skipped.
pub fn list<'a, T>(
    value: Json<'a>,
    mut element: impl FnMut(Json<'a>) -> Result<T, WireError>,
) -> Result<Vec<T>, WireError> {
    match value {
        Json::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.into_iter().enumerate() {
                if !matches!(item, Json::Null) {
                    out.push(element(item).map_err(|e| e.at_index(i))?);
                }
            }
            Ok(out)
        }
        other => Err(other.expected("an array")),
    }
}

/// A `sparse` list: a `null` element is kept as `None`.
pub fn sparse_list<'a, T>(
    value: Json<'a>,
    mut element: impl FnMut(Json<'a>) -> Result<T, WireError>,
) -> Result<Vec<Option<T>>, WireError> {
    match value {
        Json::Array(items) => items
            .into_iter()
            .enumerate()
            .map(|(i, item)| match item {
                Json::Null => Ok(None),
                item => element(item).map(Some).map_err(|e| e.at_index(i)),
            })
            .collect(),
        other => Err(other.expected("an array")),
    }
}

/// A map whose values cannot be null: an entry with a `null` value is
/// skipped. `key` turns the text of a key into the map's key type.
pub fn map<'a, K: Eq + Hash, T>(
    value: Json<'a>,
    key: impl Fn(&str) -> K,
    mut entry: impl FnMut(Json<'a>) -> Result<T, WireError>,
) -> Result<HashMap<K, T>, WireError> {
    sparse_map(value, key, &mut entry)
        .map(|map| map.into_iter().filter_map(|(k, v)| Some((k, v?))).collect())
}

/// A `sparse` map: an entry with a `null` value is kept as `None`.
pub fn sparse_map<'a, K: Eq + Hash, T>(
    value: Json<'a>,
    key: impl Fn(&str) -> K,
    mut entry: impl FnMut(Json<'a>) -> Result<T, WireError>,
) -> Result<HashMap<K, Option<T>>, WireError> {
    match value {
        Json::Object(members) => {
            let mut out = HashMap::with_capacity(members.len());
            for (k, value) in members {
                let parsed = match value {
                    Json::Null => None,
                    value => Some(entry(value).map_err(|e| e.at(&k))?),
                };
                out.insert(key(&k), parsed);
            }
            Ok(out)
        }
        other => Err(other.expected("an object")),
    }
}

/// A union: an object with exactly one member set (`null` members and a
/// `__type` member do not count). `member` maps the key and value to a
/// variant, and to the union's unknown variant for a key the model does
/// not know.
pub fn union<'a, U>(
    value: Json<'a>,
    member: impl FnOnce(&str, Json<'a>) -> Result<U, WireError>,
) -> Result<U, WireError> {
    let members = match value {
        Json::Object(members) => members,
        other => return Err(other.expected("an object")),
    };
    let mut set = members
        .into_iter()
        .filter(|(k, v)| !matches!(v, Json::Null) && k != "__type");
    let Some((key, value)) = set.next() else {
        return Err(WireError::new(
            "a union must have one member set, it has none",
        ));
    };
    if let Some((other, _)) = set.next() {
        return Err(WireError::new(format!(
            "a union must have one member set, it has `{key}` and `{other}`"
        )));
    }
    member(&key, value).map_err(|e| e.at(&key))
}

/// At most 64 characters of response text, for an error message.
fn shorten(text: &str) -> String {
    text.chars().take(64).collect()
}

#[cfg(test)]
mod tests {
    use super::super::parse;
    use super::*;

    fn j(text: &str) -> Json<'_> {
        parse(text.as_bytes()).unwrap()
    }

    #[test]
    fn scalars_read_leniently_but_never_guess() {
        assert_eq!(string(j(r#""a""#)).unwrap(), "a");
        assert!(string(j("1")).is_err());
        assert!(boolean(j(r#""true""#)).unwrap());
        assert!(boolean(j("1")).is_err());
        assert_eq!(integer(j("60")).unwrap(), 60);
        assert_eq!(integer(j("60.0")).unwrap(), 60);
        assert_eq!(integer(j(r#""-7""#)).unwrap(), -7);
        assert!(integer(j("60.5")).is_err());
        assert!(integer(j("2147483648")).is_err());
        assert_eq!(long(j("9223372036854775807")).unwrap(), i64::MAX);
        assert!(long(j("9223372036854775808")).is_err());
        assert!(double(j(r#""NaN""#)).unwrap().is_nan());
        assert_eq!(double(j(r#""-Infinity""#)).unwrap(), f64::NEG_INFINITY);
        assert_eq!(float(j("5.5")).unwrap(), 5.5);
        assert_eq!(blob(j(r#""dmFsdWU=""#)).unwrap(), Blob::from("value"));
        assert!(blob(j(r#""%%%""#)).is_err());
    }

    #[test]
    fn timestamps_in_every_form() {
        for text in [
            "1398796238",
            "1398796238.0",
            r#""2014-04-29T18:30:38Z""#,
            r#""Tue, 29 Apr 2014 18:30:38 GMT""#,
            r#""1398796238""#,
        ] {
            let t = timestamp(j(text)).unwrap();
            assert_eq!(t.secs(), 1398796238, "{text}");
        }
        assert!(timestamp(j("true")).is_err());
    }

    #[test]
    fn objects_skip_nulls_and_keep_the_last_of_a_repeated_key() {
        let mut seen = Vec::new();
        object(j(r#"{"a":1,"b":null,"a":2}"#), |k, v| {
            seen.push((k.to_string(), integer(v)?));
            Ok(())
        })
        .unwrap();
        assert_eq!(seen, [("a".to_string(), 1), ("a".to_string(), 2)]);
        let err = object(j(r#"{"n":"x"}"#), |_, v| integer(v).map(drop)).unwrap_err();
        assert_eq!(err.to_string(), r#"n: expected an integer, found "x""#);
    }

    #[test]
    fn dense_collections_skip_nulls_sparse_ones_keep_them() {
        assert_eq!(list(j(r#"["a",null,"b"]"#), string).unwrap(), ["a", "b"]);
        assert_eq!(
            sparse_list(j(r#"["a",null]"#), string).unwrap(),
            [Some("a".to_string()), None]
        );
        let dense = map(j(r#"{"x":1,"z":null}"#), str::to_owned, integer).unwrap();
        assert_eq!(dense.len(), 1);
        let sparse = sparse_map(j(r#"{"x":1,"z":null}"#), str::to_owned, integer).unwrap();
        assert_eq!(sparse.get("z"), Some(&None));
        let err = list(j(r#"["a",2]"#), string).unwrap_err();
        assert_eq!(err.to_string(), "[1]: expected a string, found a number");
    }

    #[test]
    fn unions_have_exactly_one_member() {
        let read = |text| union(j(text), |k, v| Ok((k.to_string(), string(v)?)));
        assert_eq!(read(r#"{"__type":"T","a":"x","b":null}"#).unwrap().0, "a");
        assert!(read("{}").is_err());
        assert!(read(r#"{"a":"x","b":"y"}"#).is_err());
        assert!(read("[]").is_err());
    }

    #[test]
    fn documents_keep_every_value() {
        let doc = document(j(r#"{"a":[true,null,-1,2.5,"s"]}"#)).unwrap();
        let items = doc.as_object().unwrap()["a"].as_array().unwrap();
        assert_eq!(items[2], Document::Number(Number::NegInt(-1)));
        assert_eq!(items[4].as_str(), Some("s"));
    }
}
