//! Readers from a JSON [`Reader`] to the types of generated shapes.
//!
//! They are as lenient as botocore where a service could drift without
//! meaning harm (a number sent as a string, a timestamp in another format)
//! and strict where a value cannot mean what the model says (a string where
//! an integer belongs, an integer out of range): that is an error naming the
//! member, never a silent zero.

use super::reader::{Kind, Reader};
use crate::blob::{from_base64, Blob};
use crate::document::{Document, Number};
use crate::error::WireError;
use crate::timestamp;
use crate::DateTime;
use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::Hash;

/// A `string` member.
pub fn string(r: &mut Reader<'_>) -> Result<String, WireError> {
    r.str().map(|s| s.into_owned())
}

/// A string enum member: any string, kept even when the model does not
/// know it.
pub fn enumeration<E: for<'s> From<&'s str>>(r: &mut Reader<'_>) -> Result<E, WireError> {
    r.str().map(|s| E::from(&s))
}

/// A `boolean` member: `true`/`false`, or the same as a string.
pub fn boolean(r: &mut Reader<'_>) -> Result<bool, WireError> {
    match r.kind()? {
        Kind::Bool => r.bool(),
        Kind::String => match &*r.str()? {
            "true" => Ok(true),
            "false" => Ok(false),
            _ => Err(WireError::new("expected a boolean, found a string")),
        },
        _ => Err(r.expected("a boolean")),
    }
}

/// A 64-bit integer: a JSON integer, a float without a fraction, or the
/// digits as a string.
pub fn long(r: &mut Reader<'_>) -> Result<i64, WireError> {
    let out_of_range = || WireError::new("the number does not fit a 64-bit integer");
    match r.kind()? {
        Kind::Number => match r.number()? {
            Number::PosInt(v) => i64::try_from(v).map_err(|_| out_of_range()),
            Number::NegInt(v) => Ok(v),
            Number::Float(v) if v.fract() == 0.0 && v.abs() < 9.2e18 => Ok(v as i64),
            Number::Float(v) if v.fract() == 0.0 => Err(out_of_range()),
            Number::Float(_) => Err(WireError::new("expected an integer, found a fraction")),
        },
        Kind::String => {
            let text = r.str()?;
            text.trim().parse().map_err(|_| {
                WireError::new(format!("expected an integer, found {:?}", shorten(&text)))
            })
        }
        _ => Err(r.expected("an integer")),
    }
}

/// A 32-bit integer (`integer`, and the model's `byte` and `short`).
pub fn integer(r: &mut Reader<'_>) -> Result<i32, WireError> {
    let wide = long(r)?;
    i32::try_from(wide).map_err(|_| WireError::new(format!("{wide} does not fit a 32-bit integer")))
}

/// A `double`: any number, or `"NaN"`, `"Infinity"`, `"-Infinity"` (how
/// JSON carries what it has no literal for), or a number as a string.
pub fn double(r: &mut Reader<'_>) -> Result<f64, WireError> {
    match r.kind()? {
        Kind::Number => Ok(r.number()?.as_f64()),
        Kind::String => match &*r.str()? {
            "NaN" => Ok(f64::NAN),
            "Infinity" => Ok(f64::INFINITY),
            "-Infinity" => Ok(f64::NEG_INFINITY),
            text => text.trim().parse().map_err(|_| {
                WireError::new(format!("expected a number, found {:?}", shorten(text)))
            }),
        },
        _ => Err(r.expected("a number")),
    }
}

/// A `float`, read as [`double`] and narrowed.
pub fn float(r: &mut Reader<'_>) -> Result<f32, WireError> {
    double(r).map(|v| v as f32)
}

/// A `blob` member: base64 text.
pub fn blob(r: &mut Reader<'_>) -> Result<Blob, WireError> {
    if r.kind()? != Kind::String {
        return Err(r.expected("base64 text"));
    }
    from_base64(&r.str()?)
        .map(Blob::from)
        .map_err(|e| WireError::new(format!("not base64: {e}")))
}

/// A `timestamp` member, whatever its declared format: epoch seconds as a
/// number or any text form [`timestamp::parse`] reads, so that a service
/// changing its format breaks no deployed client.
pub fn timestamp(r: &mut Reader<'_>) -> Result<DateTime, WireError> {
    let parsed = match r.kind()? {
        // The number's own text: every digit of the fraction kept.
        Kind::Number => timestamp::from_epoch_text(r.number_str()?),
        Kind::String => timestamp::parse(&r.str()?),
        _ => return Err(r.expected("a timestamp")),
    };
    parsed.map_err(|e| WireError::new(e.to_string()))
}

/// A `document` member: the value as it is. Of a repeated key, the last
/// wins.
pub fn document(r: &mut Reader<'_>) -> Result<Document, WireError> {
    Ok(match r.kind()? {
        Kind::Null => {
            r.take_null()?;
            Document::Null
        }
        Kind::Bool => Document::Bool(r.bool()?),
        Kind::Number => Document::Number(r.number()?),
        Kind::String => Document::String(r.str()?.into_owned()),
        Kind::Array => {
            let mut items = Vec::new();
            if r.enter_array()? {
                loop {
                    items.push(document(r).map_err(|e| e.at_index(items.len()))?);
                    if !r.more_elements()? {
                        break;
                    }
                }
            }
            Document::Array(items)
        }
        Kind::Object => {
            let mut map = HashMap::new();
            if r.enter_object()? {
                loop {
                    let key = r.key()?;
                    let value = document(r).map_err(|e| e.at(&key))?;
                    map.insert(key.into_owned(), value);
                    if !r.more_members()? {
                        break;
                    }
                }
            }
            Document::Object(map)
        }
    })
}

/// The members of a structure: `member` is called with each key in
/// document order and reads its value, so the last of a repeated key wins.
/// A `null` value is an absent member and is not passed on; a member
/// `member` leaves unread (one the model does not know) is skipped. An
/// error says which member failed.
pub fn object<'a>(
    r: &mut Reader<'a>,
    mut member: impl FnMut(&str, &mut Reader<'a>) -> Result<(), WireError>,
) -> Result<(), WireError> {
    if !r.enter_object()? {
        return Ok(());
    }
    loop {
        let key = r.key()?;
        if !r.take_null()? {
            let start = r.checkpoint();
            member(&key, r).map_err(|e| e.at(&key))?;
            if !r.moved(start) {
                r.skip().map_err(|e| e.at(&key))?;
            }
        }
        if !r.more_members()? {
            return Ok(());
        }
    }
}

/// The members of the object a whole response body holds, as [`object`]
/// reads them; an empty body has none (the JSON protocols send one for an
/// output without members).
pub fn read_object<'a>(
    body: &'a [u8],
    member: impl FnMut(&str, &mut Reader<'a>) -> Result<(), WireError>,
) -> Result<(), WireError> {
    if blank(body) {
        return Ok(());
    }
    let mut r = Reader::new(body);
    object(&mut r, member)?;
    r.finish()
}

/// The value a whole response body holds (a payload), or `None` for an
/// empty body.
pub fn read_body<'a, T>(
    body: &'a [u8],
    value: impl FnOnce(&mut Reader<'a>) -> Result<T, WireError>,
) -> Result<Option<T>, WireError> {
    if blank(body) {
        return Ok(None);
    }
    let mut r = Reader::new(body);
    let value = value(&mut r)?;
    r.finish()?;
    Ok(Some(value))
}

/// As [`read_object`], for error responses: a member that does not fit its
/// shape is left out instead of failing the whole, so that a malformed
/// member cannot hide the error itself; a body that is not an object has
/// no members.
pub fn object_lenient<'a>(
    body: &'a [u8],
    mut member: impl FnMut(&str, &mut Reader<'a>) -> Result<(), WireError>,
) {
    let mut r = Reader::new(body);
    let _ = object(&mut r, |key, r| {
        let start = r.checkpoint();
        if member(key, r).is_err() {
            r.restore(start);
            r.skip()?;
        }
        Ok(())
    });
}

/// A list whose elements cannot be null: a `null` element is skipped.
pub fn list<'a, T>(
    r: &mut Reader<'a>,
    mut element: impl FnMut(&mut Reader<'a>) -> Result<T, WireError>,
) -> Result<Vec<T>, WireError> {
    let mut out = Vec::new();
    if !r.enter_array()? {
        return Ok(out);
    }
    let mut index = 0;
    loop {
        if !r.take_null()? {
            out.push(element(r).map_err(|e| e.at_index(index))?);
        }
        index += 1;
        if !r.more_elements()? {
            return Ok(out);
        }
    }
}

/// A `sparse` list: a `null` element is kept as `None`.
pub fn sparse_list<'a, T>(
    r: &mut Reader<'a>,
    mut element: impl FnMut(&mut Reader<'a>) -> Result<T, WireError>,
) -> Result<Vec<Option<T>>, WireError> {
    let mut out = Vec::new();
    if !r.enter_array()? {
        return Ok(out);
    }
    loop {
        let item = if r.take_null()? {
            None
        } else {
            let index = out.len();
            Some(element(r).map_err(|e| e.at_index(index))?)
        };
        out.push(item);
        if !r.more_elements()? {
            return Ok(out);
        }
    }
}

/// A map whose values cannot be null: an entry with a `null` value is
/// skipped. `key` turns the text of a key into the map's key type.
pub fn map<'a, K: Eq + Hash, T>(
    r: &mut Reader<'a>,
    key: impl Fn(&str) -> K,
    mut entry: impl FnMut(&mut Reader<'a>) -> Result<T, WireError>,
) -> Result<HashMap<K, T>, WireError> {
    let mut out = HashMap::new();
    if !r.enter_object()? {
        return Ok(out);
    }
    loop {
        let k = r.key()?;
        if !r.take_null()? {
            let value = entry(r).map_err(|e| e.at(&k))?;
            out.insert(key(&k), value);
        }
        if !r.more_members()? {
            return Ok(out);
        }
    }
}

/// A `sparse` map: an entry with a `null` value is kept as `None`.
pub fn sparse_map<'a, K: Eq + Hash, T>(
    r: &mut Reader<'a>,
    key: impl Fn(&str) -> K,
    mut entry: impl FnMut(&mut Reader<'a>) -> Result<T, WireError>,
) -> Result<HashMap<K, Option<T>>, WireError> {
    let mut out = HashMap::new();
    if !r.enter_object()? {
        return Ok(out);
    }
    loop {
        let k = r.key()?;
        let value = if r.take_null()? {
            None
        } else {
            Some(entry(r).map_err(|e| e.at(&k))?)
        };
        out.insert(key(&k), value);
        if !r.more_members()? {
            return Ok(out);
        }
    }
}

/// A union: an object with exactly one member set (`null` members and a
/// `__type` member do not count). `member` maps the key to a variant,
/// reading its value, and to the union's unknown variant for a key the
/// model does not know (whose value is then skipped).
pub fn union<'a, U>(
    r: &mut Reader<'a>,
    mut member: impl FnMut(&str, &mut Reader<'a>) -> Result<U, WireError>,
) -> Result<U, WireError> {
    // The value found, and its key for the error a second member would be
    // (borrowed from the document unless it had escapes). Kept apart, so
    // that the value is not moved into a pair and out again.
    let mut found: Option<U> = None;
    let mut found_key: Cow<'a, str> = Cow::Borrowed("");
    if r.enter_object()? {
        loop {
            let key = r.key()?;
            if r.take_null()? {
            } else if key == "__type" {
                r.skip()?;
            } else if found.is_some() {
                return Err(WireError::new(format!(
                    "a union must have one member set, it has `{found_key}` and `{key}`"
                )));
            } else {
                let start = r.checkpoint();
                found = Some(member(&key, r).map_err(|e| e.at(&key))?);
                if !r.moved(start) {
                    r.skip().map_err(|e| e.at(&key))?;
                }
                found_key = key;
            }
            if !r.more_members()? {
                break;
            }
        }
    }
    found.ok_or_else(|| WireError::new("a union must have one member set, it has none"))
}

/// Whether a body is empty or only whitespace.
fn blank(body: &[u8]) -> bool {
    body.iter().all(u8::is_ascii_whitespace)
}

/// At most 64 characters of response text, for an error message.
fn shorten(text: &str) -> String {
    text.chars().take(64).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads `text` whole with `read`.
    fn j<T>(
        text: &str,
        read: impl FnOnce(&mut Reader<'_>) -> Result<T, WireError>,
    ) -> Result<T, WireError> {
        let mut r = Reader::new(text.as_bytes());
        let value = read(&mut r)?;
        r.finish()?;
        Ok(value)
    }

    #[test]
    fn scalars_read_leniently_but_never_guess() {
        assert_eq!(j(r#""a""#, string).unwrap(), "a");
        assert!(j("1", string).is_err());
        assert!(j(r#""true""#, boolean).unwrap());
        assert!(j("1", boolean).is_err());
        assert_eq!(j("60", integer).unwrap(), 60);
        assert_eq!(j("60.0", integer).unwrap(), 60);
        assert_eq!(j(r#""-7""#, integer).unwrap(), -7);
        assert!(j("60.5", integer).is_err());
        assert!(j("2147483648", integer).is_err());
        assert_eq!(j("9223372036854775807", long).unwrap(), i64::MAX);
        assert!(j("9223372036854775808", long).is_err());
        assert!(j("1e300", long).is_err());
        assert!(j(r#""NaN""#, double).unwrap().is_nan());
        assert_eq!(j(r#""-Infinity""#, double).unwrap(), f64::NEG_INFINITY);
        assert_eq!(j("5.5", float).unwrap(), 5.5);
        assert_eq!(j(r#""dmFsdWU=""#, blob).unwrap(), Blob::from("value"));
        assert!(j(r#""%%%""#, blob).is_err());
        let err = j("[1]", string).unwrap_err();
        assert_eq!(err.to_string(), "expected a string, found an array");
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
            let t = j(text, timestamp).unwrap();
            assert_eq!(t.secs(), 1398796238, "{text}");
        }
        assert!(j("true", timestamp).is_err());
    }

    #[test]
    fn objects_skip_nulls_and_unknown_members_and_keep_the_last_of_a_repeated_key() {
        let mut seen = Vec::new();
        j(r#"{"a":1,"b":null,"skip":{"x":[1,{"y":2}]},"a":2}"#, |r| {
            object(r, |k, r| {
                if k == "a" {
                    seen.push((k.to_string(), integer(r)?));
                }
                Ok(())
            })
        })
        .unwrap();
        assert_eq!(seen, [("a".to_string(), 1), ("a".to_string(), 2)]);
        let err = j(r#"{"n":"x"}"#, |r| object(r, |_, r| integer(r).map(drop))).unwrap_err();
        assert_eq!(err.to_string(), r#"n: expected an integer, found "x""#);
    }

    #[test]
    fn bodies_empty_or_whole() {
        let mut count = 0;
        read_object(b"  \n", |_, _| {
            count += 1;
            Ok(())
        })
        .unwrap();
        assert_eq!(count, 0);
        assert!(read_object(b"{} {}", |_, _| Ok(())).is_err());
        assert_eq!(read_body(b"", string).unwrap(), None);
        assert_eq!(
            read_body(br#" "s" "#, string).unwrap().as_deref(),
            Some("s")
        );
    }

    #[test]
    fn errors_are_read_leniently() {
        let mut got = Vec::new();
        object_lenient(br#"{"a":"x","b":[1,2],"c":"kept","a":5}"#, |k, r| {
            match k {
                "a" => got.push(("a", integer(r)?.to_string())),
                "c" => got.push(("c", string(r)?)),
                _ => {}
            }
            Ok(())
        });
        assert_eq!(got, [("c", "kept".to_string()), ("a", "5".to_string())]);
        object_lenient(b"not json", |_, _| panic!("no member"));
        object_lenient(b"[1]", |_, _| panic!("no member"));
    }

    #[test]
    fn dense_collections_skip_nulls_sparse_ones_keep_them() {
        assert_eq!(
            j(r#"["a",null,"b"]"#, |r| list(r, string)).unwrap(),
            ["a", "b"]
        );
        assert_eq!(
            j(r#"["a",null]"#, |r| sparse_list(r, string)).unwrap(),
            [Some("a".to_string()), None]
        );
        let dense = j(r#"{"x":1,"z":null}"#, |r| map(r, str::to_owned, integer)).unwrap();
        assert_eq!(dense.len(), 1);
        let sparse = j(r#"{"x":1,"z":null}"#, |r| {
            sparse_map(r, str::to_owned, integer)
        })
        .unwrap();
        assert_eq!(sparse.get("z"), Some(&None));
        let err = j(r#"["a",2]"#, |r| list(r, string)).unwrap_err();
        assert_eq!(err.to_string(), "[1]: expected a string, found a number");
        let nested = j(r#"{"k":[[1],[2,3]]}"#, |r| {
            map(r, str::to_owned, |r| list(r, |r| list(r, integer)))
        })
        .unwrap();
        assert_eq!(nested["k"], [vec![1], vec![2, 3]]);
    }

    #[test]
    fn unions_have_exactly_one_member() {
        let read = |text: &str| {
            j(text, |r| {
                union(r, |k, r| {
                    Ok(match k {
                        "a" | "b" => (k.to_string(), Some(string(r)?)),
                        _ => (k.to_string(), None),
                    })
                })
            })
        };
        assert_eq!(read(r#"{"__type":"T","a":"x","b":null}"#).unwrap().0, "a");
        assert_eq!(
            read(r#"{"new":{"x":1}}"#).unwrap(),
            ("new".to_string(), None)
        );
        assert!(read("{}").is_err());
        assert!(read(r#"{"a":"x","b":"y"}"#).is_err());
        assert!(read("[]").is_err());
    }

    #[test]
    fn documents_keep_every_value() {
        let doc = j(r#"{"a":[true,null,-1,2.5,"s"],"a2":{}}"#, document).unwrap();
        let items = doc.as_object().unwrap()["a"].as_array().unwrap();
        assert_eq!(items[2], Document::Number(Number::NegInt(-1)));
        assert_eq!(items[4].as_str(), Some("s"));
        let deep = "[".repeat(10_000) + &"]".repeat(10_000);
        assert!(j(&deep, document).is_err());
    }
}
