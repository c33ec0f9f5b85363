//! Readers from a CBOR [`Reader`] to the types of generated shapes, with
//! the names and forms of the JSON ones (`crate::json`), so that generated
//! readers differ only in the module they call.
//!
//! CBOR has a type for every value, so they are strict where JSON's are
//! lenient: a number is never read from text. They still widen what
//! loses nothing (a half-precision float for a double, a small integer
//! for a long), as the protocol asks of clients.

use super::reader::{Kind, Reader};
use crate::blob::Blob;
use crate::document::Document;
use crate::error::WireError;
use crate::DateTime;
use std::collections::HashMap;
use std::hash::Hash;

/// CBOR's tag of a date-time as epoch seconds (RFC 8949, 3.4.2).
pub const EPOCH_TAG: u64 = 1;

/// A `string` member.
pub fn string(r: &mut Reader<'_>) -> Result<String, WireError> {
    r.str().map(|s| s.into_owned())
}

/// A string enum member: any string, kept even when the model does not
/// know it.
pub fn enumeration<E: for<'s> From<&'s str>>(r: &mut Reader<'_>) -> Result<E, WireError> {
    r.str().map(|s| E::from(&s))
}

/// A `boolean` member.
pub fn boolean(r: &mut Reader<'_>) -> Result<bool, WireError> {
    r.bool()
}

/// A 64-bit integer: an integer item, or a float without a fraction.
pub fn long(r: &mut Reader<'_>) -> Result<i64, WireError> {
    match r.kind()? {
        Kind::Integer => r.integer(),
        Kind::Float => {
            let v = r.float()?;
            if v.fract() == 0.0 && v.abs() < 9.2e18 {
                Ok(v as i64)
            } else {
                Err(WireError::new(format!("expected an integer, found {v}")))
            }
        }
        _ => Err(r.expected("an integer")),
    }
}

/// A 32-bit integer (`integer`, and the model's `byte` and `short`).
pub fn integer(r: &mut Reader<'_>) -> Result<i32, WireError> {
    let wide = long(r)?;
    i32::try_from(wide).map_err(|_| WireError::new(format!("{wide} does not fit a 32-bit integer")))
}

/// A `double`: a float of any width, or an integer.
pub fn double(r: &mut Reader<'_>) -> Result<f64, WireError> {
    match r.kind()? {
        Kind::Float => r.float(),
        Kind::Integer => r.integer().map(|v| v as f64),
        _ => Err(r.expected("a number")),
    }
}

/// A `float`, read as [`double`] and narrowed.
pub fn float(r: &mut Reader<'_>) -> Result<f32, WireError> {
    double(r).map(|v| v as f32)
}

/// A `blob` member: a byte string.
pub fn blob(r: &mut Reader<'_>) -> Result<Blob, WireError> {
    r.bytes().map(Blob::from)
}

/// A `timestamp` member: epoch seconds, integer or float, under tag 1 (an
/// untagged number is read the same).
pub fn timestamp(r: &mut Reader<'_>) -> Result<DateTime, WireError> {
    if r.kind()? == Kind::Tag {
        let tag = r.tag()?;
        if tag != EPOCH_TAG {
            return Err(WireError::new(format!(
                "expected a timestamp (tag 1), found tag {tag}"
            )));
        }
    }
    match r.kind()? {
        Kind::Integer => Ok(DateTime::from_secs(r.integer()?)),
        Kind::Float => {
            let secs = r.float()?;
            let nanos = (secs * 1e9).round();
            if !nanos.is_finite() || nanos.abs() > 9.2e27 {
                return Err(WireError::new(format!("the timestamp {secs} is out of range")));
            }
            DateTime::from_nanos(nanos as i128)
                .ok_or_else(|| WireError::new(format!("the timestamp {secs} is out of range")))
        }
        _ => Err(r.expected("a timestamp")),
    }
}

/// A `document` member: the item as the JSON data model holds it (byte
/// strings as arrays of numbers are not in that model, so they are an
/// error; a tag's item is read without it).
pub fn document(r: &mut Reader<'_>) -> Result<Document, WireError> {
    Ok(match r.kind()? {
        Kind::Null => {
            r.take_null()?;
            Document::Null
        }
        Kind::Bool => Document::Bool(r.bool()?),
        Kind::Integer | Kind::Float => Document::Number(r.number()?),
        Kind::Text => Document::String(r.str()?.into_owned()),
        Kind::Tag => {
            r.tag()?;
            document(r)?
        }
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
        Kind::Map => {
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
        Kind::Bytes | Kind::Other => return Err(r.expected("a document")),
    })
}

/// The members of a structure: `member` is called with each key in order
/// and reads its value, so the last of a repeated key wins. A null value
/// is an absent member and is not passed on; a member `member` leaves
/// unread (one the model does not know) is skipped. An error says which
/// member failed.
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

/// The members of the map a whole response body holds, as [`object`]
/// reads them; an empty body has none (the protocol allows one for an
/// output without members).
pub fn read_object<'a>(
    body: &'a [u8],
    member: impl FnMut(&str, &mut Reader<'a>) -> Result<(), WireError>,
) -> Result<(), WireError> {
    if body.is_empty() {
        return Ok(());
    }
    let mut r = Reader::new(body);
    object(&mut r, member)?;
    r.finish()
}

/// The value a whole response body holds, or `None` for an empty body.
pub fn read_body<'a, T>(
    body: &'a [u8],
    value: impl FnOnce(&mut Reader<'a>) -> Result<T, WireError>,
) -> Result<Option<T>, WireError> {
    if body.is_empty() {
        return Ok(None);
    }
    let mut r = Reader::new(body);
    let value = value(&mut r)?;
    r.finish()?;
    Ok(Some(value))
}

/// As [`read_object`], for error responses: a member that does not fit its
/// shape is left out instead of failing the whole, so that a malformed
/// member cannot hide the error itself; a body that is not a map has no
/// members.
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

/// A list whose elements cannot be null: a null element is skipped.
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

/// A `sparse` list: a null element is kept as `None`.
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

/// A map whose values cannot be null: an entry with a null value is
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

/// A `sparse` map: an entry with a null value is kept as `None`.
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

/// A union: a map with exactly one member set (null members and a
/// `__type` member do not count). `member` maps the key to a variant,
/// reading its value, and to the union's unknown variant for a key the
/// model does not know (whose value is then skipped).
pub fn union<'a, U>(
    r: &mut Reader<'a>,
    mut member: impl FnMut(&str, &mut Reader<'a>) -> Result<U, WireError>,
) -> Result<U, WireError> {
    let mut found: Option<(String, U)> = None;
    if r.enter_object()? {
        loop {
            let key = r.key()?;
            if r.take_null()? {
            } else if key == "__type" {
                r.skip()?;
            } else if let Some((first, _)) = &found {
                return Err(WireError::new(format!(
                    "a union must have one member set, it has `{first}` and `{key}`"
                )));
            } else {
                let start = r.checkpoint();
                let value = member(&key, r).map_err(|e| e.at(&key))?;
                if !r.moved(start) {
                    r.skip().map_err(|e| e.at(&key))?;
                }
                found = Some((key.into_owned(), value));
            }
            if !r.more_members()? {
                break;
            }
        }
    }
    found
        .map(|(_, value)| value)
        .ok_or_else(|| WireError::new("a union must have one member set, it has none"))
}
