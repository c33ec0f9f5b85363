//! Readers from an [`Element`] to the types of generated shapes.
//!
//! Lenient as the JSON readers are where a service could drift without
//! meaning harm (whitespace around a number, a timestamp in another format),
//! strict where a value cannot mean what the model says (`yes` for a
//! boolean, a number out of range): that is an error naming the element.

use super::Element;
use crate::blob::{from_base64, Blob};
use crate::error::WireError;
use crate::timestamp;
use crate::DateTime;
use std::collections::HashMap;
use std::hash::Hash;

/// The members of a structure: `member` is called with the local name of
/// each child element, in document order. An error says which member failed.
pub fn structure<'a, 'i>(
    element: Element<'a, 'i>,
    mut member: impl FnMut(&str, Element<'a, 'i>) -> Result<(), WireError>,
) -> Result<(), WireError> {
    for child in element.children() {
        let name = child.name();
        member(name, child).map_err(|e| e.at(name))?;
    }
    Ok(())
}

/// As [`structure`], for error responses: a member that does not fit its
/// shape is left out instead of failing the whole, so that a malformed
/// member cannot hide the error itself.
pub fn structure_lenient<'a, 'i>(
    element: Element<'a, 'i>,
    mut member: impl FnMut(&str, Element<'a, 'i>) -> Result<(), WireError>,
) {
    for child in element.children() {
        let _ = member(child.name(), child);
    }
}

/// A `string` member: the text as it is (an empty element is `""`).
pub fn string(element: Element<'_, '_>) -> Result<String, WireError> {
    Ok(element.text().into_owned())
}

/// A string enum member: any text, kept even when the model does not
/// know it.
pub fn enumeration<E: for<'s> From<&'s str>>(element: Element<'_, '_>) -> Result<E, WireError> {
    Ok(E::from(element.text().as_ref()))
}

fn trimmed<'a>(element: &Element<'a, '_>) -> std::borrow::Cow<'a, str> {
    match element.text() {
        std::borrow::Cow::Borrowed(text) => text.trim().into(),
        std::borrow::Cow::Owned(text) => text.trim().to_string().into(),
    }
}

/// A `boolean`: `true` or `false`.
pub fn boolean(element: Element<'_, '_>) -> Result<bool, WireError> {
    match &*trimmed(&element) {
        "true" => Ok(true),
        "false" => Ok(false),
        other => Err(WireError::new(format!(
            "expected true or false, found {:?}",
            shorten(other)
        ))),
    }
}

/// A 64-bit integer.
pub fn long(element: Element<'_, '_>) -> Result<i64, WireError> {
    let text = trimmed(&element);
    text.parse()
        .map_err(|_| WireError::new(format!("expected an integer, found {:?}", shorten(&text))))
}

/// A 32-bit integer (`integer`, and the model's `byte` and `short`).
pub fn integer(element: Element<'_, '_>) -> Result<i32, WireError> {
    let wide = long(element)?;
    i32::try_from(wide).map_err(|_| WireError::new(format!("{wide} does not fit a 32-bit integer")))
}

/// A `double`, with `NaN`, `Infinity` and `-Infinity` as the protocols
/// spell them.
pub fn double(element: Element<'_, '_>) -> Result<f64, WireError> {
    match &*trimmed(&element) {
        "NaN" => Ok(f64::NAN),
        "Infinity" => Ok(f64::INFINITY),
        "-Infinity" => Ok(f64::NEG_INFINITY),
        text => text
            .parse()
            .map_err(|_| WireError::new(format!("expected a number, found {:?}", shorten(text)))),
    }
}

/// A `float`, read as [`double`] and narrowed.
pub fn float(element: Element<'_, '_>) -> Result<f32, WireError> {
    double(element).map(|v| v as f32)
}

/// An `xmlAttribute` member: the attribute's text, read as a header's
/// would be; absent without the attribute (or without the element: an
/// empty body).
pub fn attribute<T: crate::protocol::FromWireText>(
    element: Option<Element<'_, '_>>,
    name: &str,
) -> Result<Option<T>, WireError> {
    element
        .and_then(|e| e.attribute(name))
        .map(|text| T::from_wire_text(text).map_err(|e| e.at(name)))
        .transpose()
}

/// A `blob`: base64 text (an empty element is an empty blob).
pub fn blob(element: Element<'_, '_>) -> Result<Blob, WireError> {
    from_base64(trimmed(&element).as_ref())
        .map(Blob::from)
        .map_err(|e| WireError::new(format!("not base64: {e}")))
}

/// A `timestamp`, whatever its declared format: any form
/// [`timestamp::parse`] reads (RFC 3339, HTTP-date, epoch seconds), so that
/// a service changing its format breaks no deployed client.
pub fn timestamp(element: Element<'_, '_>) -> Result<DateTime, WireError> {
    timestamp::parse(trimmed(&element).as_ref()).map_err(|e| WireError::new(e.to_string()))
}

/// A wrapped list: each child element is an item, whatever its name
/// (`member` by default, or the model's name for it).
pub fn list<'a, 'i, T>(
    element: Element<'a, 'i>,
    mut item: impl FnMut(Element<'a, 'i>) -> Result<T, WireError>,
) -> Result<Vec<T>, WireError> {
    element
        .children()
        .enumerate()
        .map(|(i, child)| item(child).map_err(|e| e.at_index(i)))
        .collect()
}

/// One item of a flattened list (the member's element repeated in its
/// structure), appended to the list read so far.
pub fn push<T>(list: &mut Option<Vec<T>>, item: Result<T, WireError>) -> Result<(), WireError> {
    let items = list.get_or_insert_with(Vec::new);
    items.push(item.map_err(|e| e.at_index(items.len()))?);
    Ok(())
}

/// A wrapped map: each child element (`entry`) holds a key element and a
/// value element, named `key_name` and `value_name`.
pub fn map<'a, 'i, K: Eq + Hash, V>(
    element: Element<'a, 'i>,
    names: (&str, &str),
    mut key: impl FnMut(Element<'a, 'i>) -> Result<K, WireError>,
    mut value: impl FnMut(Element<'a, 'i>) -> Result<V, WireError>,
) -> Result<HashMap<K, V>, WireError> {
    let mut out = HashMap::new();
    for (i, entry) in element.children().enumerate() {
        let (k, v) = map_entry(entry, names, &mut key, &mut value).map_err(|e| e.at_index(i))?;
        out.insert(k, v);
    }
    Ok(out)
}

/// One entry of a map: its key element and its value element. Of a
/// repeated key, the last entry wins.
pub fn map_entry<'a, 'i, K, V>(
    entry: Element<'a, 'i>,
    (key_name, value_name): (&str, &str),
    mut key: impl FnMut(Element<'a, 'i>) -> Result<K, WireError>,
    mut value: impl FnMut(Element<'a, 'i>) -> Result<V, WireError>,
) -> Result<(K, V), WireError> {
    let mut k = None;
    let mut v = None;
    for child in entry.children() {
        let name = child.name();
        if name == key_name {
            k = Some(key(child).map_err(|e| e.at(name))?);
        } else if name == value_name {
            v = Some(value(child).map_err(|e| e.at(name))?);
        }
    }
    match (k, v) {
        (Some(k), Some(v)) => Ok((k, v)),
        (None, _) => Err(WireError::new(format!("an entry without a <{key_name}>"))),
        (_, None) => Err(WireError::new(format!("an entry without a <{value_name}>"))),
    }
}

/// One entry of a flattened map (the member's element repeated in its
/// structure), added to the map read so far.
pub fn insert<K: Eq + Hash, V>(
    map: &mut Option<HashMap<K, V>>,
    entry: Result<(K, V), WireError>,
) -> Result<(), WireError> {
    let map = map.get_or_insert_with(HashMap::new);
    let (k, v) = entry.map_err(|e| e.at_index(map.len()))?;
    map.insert(k, v);
    Ok(())
}

fn shorten(text: &str) -> &str {
    match text.char_indices().nth(64) {
        Some((cut, _)) => &text[..cut],
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xml::Document;

    fn with<T>(xml: &str, read: impl FnOnce(Element<'_, '_>) -> T) -> T {
        let doc = Document::parse(xml.as_bytes()).unwrap();
        read(doc.root())
    }

    #[test]
    fn scalars() {
        assert_eq!(with("<a> 42 </a>", integer), Ok(42));
        assert_eq!(with("<a>-7</a>", long), Ok(-7));
        assert!(with("<a>4000000000</a>", integer).is_err());
        assert!(with("<a>4.5</a>", integer).is_err());
        assert_eq!(with("<a>true</a>", boolean), Ok(true));
        assert!(with("<a>yes</a>", boolean).is_err());
        assert_eq!(with("<a>5.5</a>", double), Ok(5.5));
        assert!(with("<a>NaN</a>", double).unwrap().is_nan());
        assert_eq!(with("<a>-Infinity</a>", float), Ok(f32::NEG_INFINITY));
        assert_eq!(with("<a/>", string).unwrap(), "");
        assert_eq!(
            with("<a> x &amp; <![CDATA[<y>]]></a>", string).unwrap(),
            " x & <y>"
        );
        assert_eq!(with("<a>x<!-- c -->y</a>", string).unwrap(), "xy");
        assert_eq!(with("<a>dmFsdWU=</a>", blob).unwrap().as_bytes(), b"value");
        assert_eq!(with("<a></a>", blob).unwrap().as_bytes(), b"");
        let t = with("<a>2014-04-29T18:30:38Z</a>", timestamp).unwrap();
        assert_eq!(t.secs(), 1398796238);
        let t = with("<a>1398796238</a>", timestamp).unwrap();
        assert_eq!(t.secs(), 1398796238);
    }

    #[test]
    fn namespaces_are_ignored() {
        let names = with(
            r#"<r xmlns="https://a"><x:b xmlns:x="https://x">1</x:b><c xmlns="https://c"/></r>"#,
            |root| {
                root.children()
                    .map(|c| c.name().to_string())
                    .collect::<Vec<_>>()
            },
        );
        assert_eq!(names, ["b", "c"]);
    }

    #[test]
    fn lists_and_maps() {
        let items = with("<l><member>a</member><item>b</item></l>", |l| {
            list(l, string)
        });
        assert_eq!(items.unwrap(), ["a", "b"]);
        assert_eq!(
            with("<l/>", |l| list(l, string)).unwrap(),
            Vec::<String>::new()
        );
        let entries = with(
            "<m><entry><key>a</key><value>1</value></entry><entry><value>2</value><key>b</key></entry></m>",
            |m| map(m, ("key", "value"), string, integer),
        )
        .unwrap();
        assert_eq!(entries.len(), 2);
        assert_eq!((entries["a"], entries["b"]), (1, 2));
        let err = with("<m><entry><key>a</key></entry></m>", |m| {
            map(m, ("key", "value"), string, integer)
        });
        assert_eq!(
            err.unwrap_err().to_string(),
            "[0]: an entry without a <value>"
        );
    }

    #[test]
    fn errors_name_the_path() {
        let err = with(
            "<s><Items><member>1</member><member>x</member></Items></s>",
            |s| {
                let mut out = None;
                structure(s, |name, child| {
                    if name == "Items" {
                        out = Some(list(child, integer)?);
                    }
                    Ok(())
                })
            },
        );
        assert_eq!(
            err.unwrap_err().to_string(),
            "Items[1]: expected an integer, found \"x\""
        );
    }

    #[test]
    fn flattened_items_accumulate() {
        let mut items = None;
        push(&mut items, Ok(1)).unwrap();
        push(&mut items, Ok(2)).unwrap();
        assert_eq!(items, Some(vec![1, 2]));
        let err = push(&mut items, Err::<i32, _>(WireError::new("bad"))).unwrap_err();
        assert_eq!(err.to_string(), "[2]: bad");
        let mut entries = None;
        insert(&mut entries, Ok(("a", 1))).unwrap();
        insert(&mut entries, Ok(("a", 2))).unwrap();
        assert_eq!(entries.unwrap()["a"], 2);
    }

    #[test]
    fn documents_with_a_dtd_are_refused() {
        let bomb = r#"<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><l>&b;</l>"#;
        assert!(Document::parse(bomb.as_bytes()).is_err());
        assert!(Document::parse(b"<a>").is_err());
        assert!(Document::parse(b"\xff<a/>").is_err());
    }
}
