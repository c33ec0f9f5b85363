//! DynamoDB's GetItem and Query (awsJson 1.0: `POST /`, the operation in
//! `X-Amz-Target`), answered with fixed bodies made once at start: a page
//! of about 1 MB, 200 items of about 5 KB each with every kind of
//! AttributeValue nested three deep, and the first of them alone for
//! GetItem. Each answer carries the CRC32 of its body in `x-amz-crc32`, as
//! DynamoDB's do.

use crate::Reply;
use base64::Engine;
use bench_common::dynamodb::{Operation, PARTITION_KEY, TABLE, TARGET_PREFIX};
use bytes::Bytes;
use serde_json::{json, Map, Value};
use std::sync::LazyLock;

/// Items in the Query page: DynamoDB stops a page at 1 MB.
pub const PAGE_ITEMS: usize = 200;

/// A body and its CRC32.
pub struct Body {
    pub bytes: Bytes,
    crc32: String,
}

impl Body {
    fn new(value: &Value) -> Body {
        let bytes = Bytes::from(serde_json::to_vec(value).expect("JSON"));
        let crc32 = crc32fast::hash(&bytes).to_string();
        Body { bytes, crc32 }
    }
}

pub static GET_ITEM: LazyLock<Body> = LazyLock::new(|| Body::new(&json!({ "Item": item(0) })));

pub static QUERY: LazyLock<Body> = LazyLock::new(|| {
    let items: Vec<Value> = (0..PAGE_ITEMS).map(item).collect();
    Body::new(&json!({
        "Count": PAGE_ITEMS,
        "ScannedCount": PAGE_ITEMS,
        "Items": items,
        "LastEvaluatedKey": key(PAGE_ITEMS - 1),
    }))
});

/// The answer to a request whose `X-Amz-Target` is `target`.
pub fn answer(target: &str, body: &[u8]) -> Reply {
    let operation = match target.strip_prefix(TARGET_PREFIX) {
        Some("GetItem") => Operation::GetItem,
        Some("Query") => Operation::Query,
        _ => return error(400, "UnknownOperationException", "unknown operation"),
    };
    if !body.windows(TABLE.len()).any(|w| w == TABLE.as_bytes()) {
        return error(
            400,
            "ResourceNotFoundException",
            "Requested resource not found",
        );
    }
    let body = match operation {
        Operation::GetItem => &*GET_ITEM,
        Operation::Query => &*QUERY,
    };
    hyper::Response::builder()
        .status(200)
        .header("content-type", "application/x-amz-json-1.0")
        .header("x-amzn-requestid", "mock-request-id")
        .header("x-amz-crc32", &body.crc32)
        .body(body.bytes.clone().into())
        .expect("a valid response")
}

fn error(status: u16, code: &str, message: &str) -> Reply {
    let body =
        json!({ "__type": format!("com.amazonaws.dynamodb.v20120810#{code}"), "message": message });
    hyper::Response::builder()
        .status(status)
        .header("content-type", "application/x-amz-json-1.0")
        .header("x-amzn-requestid", "mock-request-id")
        .body(serde_json::to_vec(&body).expect("JSON").into())
        .expect("a valid response")
}

fn key(i: usize) -> Value {
    json!({ "pk": { "S": PARTITION_KEY }, "sk": { "S": format!("order#{i:05}") } })
}

/// Item `i` of the partition: its key, every scalar and set kind, and maps
/// and lists nested three deep that hold them all again.
fn item(i: usize) -> Value {
    let mut item = key(i).as_object().cloned().unwrap_or_default();
    item.extend(scalars(i, 1));
    item.insert("profile".into(), json!({ "M": level_two(i, 2) }));
    item.insert(
        "history".into(),
        json!({ "L": [
            { "M": level_two(i, 3) },
            { "L": scalars(i, 4).into_iter().map(|(_, v)| v).collect::<Vec<_>>() },
        ] }),
    );
    Value::Object(item)
}

/// A map of every kind, whose `m` and `l` members nest one more level.
fn level_two(i: usize, seed: usize) -> Map<String, Value> {
    let mut map = scalars(i, seed);
    map.insert("m".into(), json!({ "M": scalars(i, seed + 10) }));
    map.insert(
        "l".into(),
        json!({ "L": [
            { "M": scalars(i, seed + 20) },
            { "L": scalars(i, seed + 30).into_iter().map(|(_, v)| v).collect::<Vec<_>>() },
            { "S": text(i, seed + 40, 16) },
        ] }),
    );
    map
}

/// One value of every kind but M and L, derived from `i` and `seed`.
fn scalars(i: usize, seed: usize) -> Map<String, Value> {
    let number = |k: usize| (i * 7919 + seed * 104_729 + k * 31) % 1_000_003;
    let blob = |k: usize, len: usize| {
        let bytes: Vec<u8> = (0..len).map(|j| (number(k) + j * 37) as u8).collect();
        base64::engine::general_purpose::STANDARD.encode(bytes)
    };
    let values = [
        ("name", json!({ "S": text(i, seed, 150) })),
        ("count", json!({ "N": number(1).to_string() })),
        (
            "price",
            json!({ "N": format!("{}.{:02}", number(2), seed % 100) }),
        ),
        ("data", json!({ "B": blob(3, 24) })),
        ("active", json!({ "BOOL": (i + seed).is_multiple_of(2) })),
        ("gone", json!({ "NULL": true })),
        (
            "tags",
            json!({ "SS": [text(i, seed + 1, 12), text(i, seed + 2, 12), text(i, seed + 3, 12)] }),
        ),
        (
            "scores",
            json!({ "NS": [number(4).to_string(), number(5).to_string(), format!("-{}.5", number(6))] }),
        ),
        ("hashes", json!({ "BS": [blob(7, 16), blob(8, 16)] })),
    ];
    values
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
}

/// Deterministic text of `len` letters and spaces.
fn text(i: usize, seed: usize, len: usize) -> String {
    const WORDS: [&str; 8] = [
        "alpha ", "bravo ", "charlie ", "delta ", "echo ", "foxtrot ", "golf ", "hotel ",
    ];
    let mut out = String::with_capacity(len + 8);
    let mut k = i * 3 + seed;
    while out.len() < len {
        out.push_str(WORDS[k % WORDS.len()]);
        // Wrapping, as the release builds that measured these bodies did:
        // a debug build (the soak's, the tests') would panic on overflow.
        k = k.wrapping_mul(5).wrapping_add(1);
    }
    out.truncate(len);
    out
}

#[cfg(test)]
mod tests {
    use super::{GET_ITEM, PAGE_ITEMS, QUERY};
    use serde_json::Value;

    #[test]
    fn the_query_page_is_about_a_megabyte_of_items_of_every_kind() {
        let page: Value = serde_json::from_slice(&QUERY.bytes).unwrap();
        let items = page["Items"].as_array().unwrap();
        assert_eq!(items.len(), PAGE_ITEMS);
        let size = QUERY.bytes.len();
        assert!((900_000..1_100_000).contains(&size), "{size} bytes");
        let text = String::from_utf8_lossy(&QUERY.bytes);
        for kind in ["S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"] {
            assert!(text.contains(&format!("{{\"{kind}\":")), "no {kind}");
        }
        let item: Value = serde_json::from_slice(&GET_ITEM.bytes).unwrap();
        assert_eq!(item["Item"], items[0]);
    }

    #[test]
    fn the_crc32_is_of_the_body() {
        assert_eq!(QUERY.crc32, crc32fast::hash(&QUERY.bytes).to_string());
    }
}
