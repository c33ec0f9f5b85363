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
use crate::timestamp;
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
        // The float's shortest text, read as JSON's epoch numbers are: the
        // digits the service meant (`.123`), not the binary's tail.
        Kind::Float => timestamp::from_epoch_text(&r.float()?.to_string())
            .map_err(|e| WireError::new(e.to_string())),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cbor::CborWriter;

    /// Reads `bytes` whole with `read`.
    fn c<T>(
        bytes: &[u8],
        read: impl FnOnce(&mut Reader<'_>) -> Result<T, WireError>,
    ) -> Result<T, WireError> {
        let mut r = Reader::new(bytes);
        let value = read(&mut r)?;
        r.finish()?;
        Ok(value)
    }

    #[test]
    fn scalars_widen_but_never_guess() {
        assert_eq!(c(&[0x63, b'a', b'b', b'c'], string).unwrap(), "abc");
        // An indefinite text string, in two chunks.
        let chunks = [0x7f, 0x61, b'a', 0x62, b'b', b'c', 0xff];
        assert_eq!(c(&chunks, string).unwrap(), "abc");
        assert!(c(&[0x01], string).is_err());
        assert_eq!(c(&[0x18, 0x38], integer).unwrap(), 56);
        assert_eq!(c(&[0x38, 0x63], integer).unwrap(), -100);
        assert!(c(&[0x1a, 0x80, 0, 0, 0], integer).is_err());
        assert_eq!(
            c(&[0x1b, 0xff, 0, 0, 0, 0, 0, 0, 0], long)
                .unwrap_err()
                .to_string(),
            "the number does not fit a 64-bit integer"
        );
        // Half precision: 1.5, +infinity.
        assert_eq!(c(&[0xf9, 0x3e, 0x00], double).unwrap(), 1.5);
        assert_eq!(c(&[0xf9, 0x7c, 0x00], float).unwrap(), f32::INFINITY);
        assert!(c(&[0xf9, 0x7e, 0x00], double).unwrap().is_nan());
        assert_eq!(c(&[0x0a], double).unwrap(), 10.0);
        assert!(c(&[0xf5], boolean).unwrap());
        assert!(c(&[0x61, b't'], boolean).is_err());
        assert_eq!(
            c(&[0x43, 1, 2, 3], blob).unwrap(),
            Blob::from(vec![1, 2, 3])
        );
        let err = c(&[0x80], string).unwrap_err();
        assert_eq!(err.to_string(), "expected a text string, found an array");
    }

    #[test]
    fn timestamps_are_epoch_seconds_under_tag_1() {
        assert_eq!(
            c(&[0xc1, 0x1a, 0x53, 0x5f, 0xe8, 0xce], timestamp)
                .unwrap()
                .secs(),
            1398794446
        );
        // 946845296.123 as a double keeps its millisecond digits.
        let mut w = CborWriter::new();
        w.timestamp(
            &DateTime::from_millis(946_845_296_123),
            crate::timestamp::TimestampFormat::EpochSeconds,
        );
        let bytes = w.finish();
        assert_eq!(&bytes[..2], &[0xc1, 0xfb]);
        let t = c(&bytes, timestamp).unwrap();
        assert_eq!((t.secs(), t.subsec_nanos()), (946_845_296, 123_000_000));
        assert!(c(&[0xc2, 0x01], timestamp).is_err());
    }

    #[test]
    fn maps_and_arrays_of_either_length_read_alike() {
        let read = |bytes: &[u8]| {
            c(bytes, |r| {
                let mut got = Vec::new();
                object(r, |k, r| {
                    if k == "a" {
                        got.push(list(r, integer)?);
                    }
                    Ok(())
                })?;
                Ok(got)
            })
        };
        // {"a": [1, 2], "x": {"y": [null]}, "n": null}, definite.
        let definite = [
            0xa3, 0x61, b'a', 0x82, 0x01, 0x02, 0x61, b'x', 0xa1, 0x61, b'y', 0x81, 0xf6, 0x61,
            b'n', 0xf6,
        ];
        // The same, indefinite throughout.
        let indefinite = [
            0xbf, 0x61, b'a', 0x9f, 0x01, 0x02, 0xff, 0x61, b'x', 0xbf, 0x61, b'y', 0x9f, 0xf6,
            0xff, 0xff, 0x61, b'n', 0xf6, 0xff,
        ];
        assert_eq!(read(&definite).unwrap(), [vec![1, 2]]);
        assert_eq!(read(&indefinite).unwrap(), [vec![1, 2]]);
        assert_eq!(read(&[0xbf, 0xff]).unwrap(), Vec::<Vec<i32>>::new());
        assert_eq!(read(&[0xa0]).unwrap(), Vec::<Vec<i32>>::new());
        assert!(read(&[0xbf, 0x61, b'a']).is_err());
        assert!(read(&[0xa0, 0xa0]).is_err());
        let sparse = c(&[0x82, 0xf6, 0x01], |r| sparse_list(r, integer)).unwrap();
        assert_eq!(sparse, [None, Some(1)]);
        let dense = c(&[0xa2, 0x61, b'x', 0x01, 0x61, b'z', 0xf6], |r| {
            map(r, str::to_owned, integer)
        })
        .unwrap();
        assert_eq!(dense.len(), 1);
    }

    #[test]
    fn errors_are_read_leniently_and_bodies_may_be_empty() {
        let mut got = Vec::new();
        // {"a": "x", "c": "kept"}: `a` does not fit an integer.
        let body = [
            0xa2, 0x61, b'a', 0x61, b'x', 0x61, b'c', 0x64, b'k', b'e', b'p', b't',
        ];
        object_lenient(&body, |k, r| {
            match k {
                "a" => got.push(integer(r)?.to_string()),
                "c" => got.push(string(r)?),
                _ => {}
            }
            Ok(())
        });
        assert_eq!(got, ["kept"]);
        object_lenient(b"\xff", |_, _| panic!("no member"));
        assert!(read_object(b"", |_, _| panic!("no member")).is_ok());
        assert_eq!(read_body(b"", string).unwrap(), None);
    }

    #[test]
    fn what_is_written_reads_back() {
        let mut w = CborWriter::new();
        w.begin_object();
        w.key("s");
        w.string("v");
        w.key("l");
        w.begin_array();
        w.integer(-3);
        w.double(2.5);
        w.end_array();
        w.key("b");
        w.blob(b"\x00");
        w.end_object();
        let bytes = w.finish();
        let mut seen = Vec::new();
        read_object(&bytes, |k, r| {
            match k {
                "s" => seen.push(string(r)?),
                "l" => seen.push(format!("{:?}", list(r, double)?)),
                "b" => seen.push(format!("{:?}", blob(r)?.as_bytes())),
                _ => {}
            }
            Ok(())
        })
        .unwrap();
        assert_eq!(seen, ["v", "[-3.0, 2.5]", "[0]"]);
    }
}
