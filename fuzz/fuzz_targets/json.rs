//! The pull JSON reader every JSON protocol response goes through, and the
//! typed readers generated code calls on it. Any bytes must read or fail
//! without a panic, a hang or a stack overflow, through every entry point
//! (nesting stops at 128 for the recursive readers too); and where a
//! property is cheap to state, it is checked:
//!
//! - `skip` accepts exactly the documents `document` accepts (the one is
//!   how unknown members pass, the other how known ones are read: a body
//!   one of them refuses and the other takes would read differently
//!   depending on the model);
//! - a document read, written with `JsonWriter::document` and read back is
//!   the same document (numbers compared as numbers: see [`same`]).
#![no_main]

use libfuzzer_sys::fuzz_target;
use sdkgen_runtime::document::{Document, Number};
use sdkgen_runtime::error::WireError;
use sdkgen_runtime::json::{self, JsonWriter, Reader};
use std::collections::HashMap;

/// How deep the reader lets objects and arrays nest.
const MAX_DEPTH: usize = 128;

fuzz_target!(|data: &[u8]| {
    scalars(data);
    collections(data);
    bodies(data);
    let read = skip_agrees_with_document(data);
    if let Some(doc) = read {
        assert!(depth(&doc) <= MAX_DEPTH, "a document nests deeper than 128");
        round_trip(&doc);
    }
});

/// Reads the whole input with `read`: one value, then only whitespace.
fn whole<'a, T>(
    data: &'a [u8],
    read: impl FnOnce(&mut Reader<'a>) -> Result<T, WireError>,
) -> Result<T, WireError> {
    let mut r = Reader::new(data);
    let value = read(&mut r)?;
    r.finish()?;
    Ok(value)
}

/// Every scalar reader, each on a fresh reader.
fn scalars(data: &[u8]) {
    let _ = whole(data, json::string);
    let _ = whole(data, json::enumeration::<String>);
    let _ = whole(data, json::boolean);
    let _ = whole(data, json::long);
    let _ = whole(data, json::integer);
    let _ = whole(data, json::double);
    let _ = whole(data, json::float);
    let _ = whole(data, json::blob);
    let _ = whole(data, json::timestamp);
}

/// Lists and maps, dense and sparse, of each other and of scalars; and a
/// recursive shape that nests through all of them.
fn collections(data: &[u8]) {
    let _ = whole(data, |r| {
        json::list(r, |r| {
            json::map(r, str::to_owned, |r| json::sparse_list(r, json::boolean))
        })
    });
    let _ = whole(data, |r| {
        json::sparse_map(r, str::to_owned, |r| json::list(r, json::double))
    });
    let _ = whole(data, |r| json::map(r, str::to_owned, json::document));
    let _ = whole(data, |r| json::list(r, json::timestamp));
    let _ = whole(data, |r| json::sparse_list(r, json::blob));
    let _ = whole(data, tree);
    let _ = whole(data, |r| json::object(r, |key, r| member(key, r)));
}

/// The whole-body entry points: an output's members, an error's members
/// read leniently, a payload.
fn bodies(data: &[u8]) {
    let _ = json::read_object(data, |key, r| member(key, r));
    json::object_lenient(data, |key, r| member(key, r).map(drop));
    let _ = json::read_body(data, tree);
    let _ = json::read_body(data, json::document);
}

/// A structure's member reader, chosen by the key's first letter so that
/// the fuzzer can reach each: some members read as a type (which may not
/// fit the value), some read only partly or not at all, and those must be
/// skipped whole.
fn member(key: &str, r: &mut Reader<'_>) -> Result<(), WireError> {
    match key.bytes().next() {
        Some(b'i') => {
            json::integer(r)?;
        }
        Some(b's') => {
            json::string(r)?;
        }
        Some(b'b') => {
            json::blob(r)?;
        }
        Some(b't') => {
            json::timestamp(r)?;
        }
        Some(b'd') => {
            json::document(r)?;
        }
        Some(b'T') => {
            tree(r)?;
        }
        Some(b'o') => json::object(r, |key, r| member(key, r))?,
        // Looks at the value without reading it: the caller skips it.
        Some(b'k') => {
            r.kind()?;
        }
        _ => {}
    }
    Ok(())
}

/// A recursive shape in the manner of DynamoDB's `AttributeValue`: a union
/// whose members are lists, maps and structures of itself, so that deep
/// input nests through every typed reader, not only through `document`.
#[derive(Debug)]
#[allow(dead_code)]
enum Tree {
    S(String),
    L(Vec<Tree>),
    SparseL(Vec<Option<Tree>>),
    M(HashMap<String, Tree>),
    SparseM(HashMap<String, Option<Tree>>),
    /// A structure's members named `T...`; others are skipped.
    O(Vec<Tree>),
    /// A member the model does not know: left unread, skipped by `union`.
    Unknown,
}

fn tree(r: &mut Reader<'_>) -> Result<Tree, WireError> {
    json::union(r, |key, r| {
        Ok(match key {
            "S" => Tree::S(json::string(r)?),
            "L" => Tree::L(json::list(r, tree)?),
            "l" => Tree::SparseL(json::sparse_list(r, tree)?),
            "M" => Tree::M(json::map(r, str::to_owned, tree)?),
            "m" => Tree::SparseM(json::sparse_map(r, str::to_owned, tree)?),
            "O" => {
                let mut members = Vec::new();
                json::object(r, |key, r| {
                    if key.starts_with('T') {
                        members.push(tree(r)?);
                    }
                    Ok(())
                })?;
                Tree::O(members)
            }
            _ => Tree::Unknown,
        })
    })
}

/// Skips the input, goes back, and reads it as a document: both must
/// accept it or both refuse it. The document, if read.
fn skip_agrees_with_document(data: &[u8]) -> Option<Document> {
    let mut r = Reader::new(data);
    let start = r.checkpoint();
    let skipped = r.skip().and_then(|()| r.finish());
    r.restore(start);
    let read = json::document(&mut r).and_then(|doc| r.finish().map(|()| doc));
    assert_eq!(
        skipped.is_ok(),
        read.is_ok(),
        "skip: {skipped:?}, document: {read:?}"
    );
    read.ok()
}

/// How deep a document's arrays and objects nest.
fn depth(doc: &Document) -> usize {
    match doc {
        Document::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
        Document::Object(members) => 1 + members.values().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}

/// Writes the document and reads it back: the writer's JSON must read, as
/// the same document.
fn round_trip(doc: &Document) {
    let mut w = JsonWriter::new();
    w.document(doc);
    let text = w.finish();
    let back = whole(&text, json::document).unwrap_or_else(|e| {
        panic!("{doc:?} wrote {:?}, which reads as {e}", String::from_utf8_lossy(&text))
    });
    assert!(
        same(doc, &back),
        "{doc:?} wrote {:?}, which reads as {back:?}",
        String::from_utf8_lossy(&text)
    );
}

/// Whether `back`, read from what `doc` was written as, is the same value.
/// Exactly, but for two things the writer decides: a float is written as
/// its shortest exact decimal, which reads back as an integer when it has
/// no fraction (`5.0` as `5`), so it must read back as the same `f64`, sign
/// of zero included; and the infinities are written as the strings the AWS
/// protocols use for them. Integers keep their variant and every digit.
fn same(doc: &Document, back: &Document) -> bool {
    match (doc, back) {
        (Document::Number(Number::Float(f)), Document::String(s)) if f.is_infinite() => {
            s == if *f > 0.0 { "Infinity" } else { "-Infinity" }
        }
        (Document::Number(Number::Float(f)), Document::Number(n)) => {
            f.is_finite() && n.as_f64().to_bits() == f.to_bits()
        }
        (Document::Number(a), Document::Number(b)) => a == b,
        (Document::Array(a), Document::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same(a, b))
        }
        (Document::Object(a), Document::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .all(|(key, a)| b.get(key).is_some_and(|b| same(a, b)))
        }
        (a, b) => a == b,
    }
}
