//! What the DynamoDB programs share, so that only the client differs
//! between them:
//!
//! ```text
//! BIN get-item --endpoint-url URL once | bench N C [--warmup W]
//! BIN query --endpoint-url URL once | bench N C [--warmup W]
//! ```
//!
//! After the operation, the arguments are those of every program (the
//! crate's documentation); the two ids `once` may take are GetProxySession's
//! and are ignored. `query` reads one page of about 1 MB, 200 items of
//! about 5 KB each with every kind of AttributeValue nested three deep (CPU
//! per page); `get-item` reads the first of them alone (load, and CPU per
//! call). Every program walks
//! each value it received into a [`Digest`], so that the compiler cannot
//! drop any of the parse, and `once` prints the digest: the harness checks
//! that every program read the same values.

use serde_json::{json, Value};

/// The table, and the key of the item GetItem reads and of the partition
/// Query reads.
pub const TABLE: &str = "bench-table";
pub const PARTITION_KEY: &str = "user#00000";
pub const SORT_KEY: &str = "order#00000";

/// The `X-Amz-Target` of each operation is this and its name.
pub const TARGET_PREFIX: &str = "DynamoDB_20120810.";

/// The request bodies, as an SDK writes them, for the unsigned floor.
pub const GET_ITEM_BODY: &str =
    r#"{"TableName":"bench-table","Key":{"pk":{"S":"user#00000"},"sk":{"S":"order#00000"}}}"#;
pub const QUERY_BODY: &str = r#"{"TableName":"bench-table","KeyConditionExpression":"pk = :pk","ExpressionAttributeValues":{":pk":{"S":"user#00000"}}}"#;

/// The operation a run calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    GetItem,
    Query,
}

impl Operation {
    /// Its `X-Amz-Target` header.
    pub fn target(self) -> &'static str {
        match self {
            Operation::GetItem => "DynamoDB_20120810.GetItem",
            Operation::Query => "DynamoDB_20120810.Query",
        }
    }
}

/// The operation the first argument names, and the arguments after it, for
/// [`crate::main_with_args`].
pub fn args() -> Result<(Operation, Vec<String>), String> {
    let mut args = std::env::args().skip(1);
    let operation = match args.next().as_deref() {
        Some("get-item") => Operation::GetItem,
        Some("query") => Operation::Query,
        _ => {
            return Err(
                "usage: BIN get-item|query --endpoint-url URL once | bench N C [--warmup W]".into(),
            )
        }
    };
    Ok((operation, args.collect()))
}

/// What a program read, counted the same way by every program whatever its
/// types: values of each kind, and the bytes of their text and blobs.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Digest {
    pub items: u64,
    pub s: u64,
    pub n: u64,
    pub b: u64,
    pub bool: u64,
    pub null: u64,
    pub m: u64,
    pub l: u64,
    pub ss: u64,
    pub ns: u64,
    pub bs: u64,
    /// Values of a kind the program's types do not know.
    pub unknown: u64,
    /// Bytes of every S and N, of every member of SS and NS, and of every
    /// map key (attribute names included).
    pub text_bytes: u64,
    /// Bytes of every B and every member of BS, decoded.
    pub blob_bytes: u64,
}

impl Digest {
    /// Counts a string's bytes.
    pub fn text(&mut self, text: &str) {
        self.text_bytes += text.len() as u64;
    }

    /// Counts a blob's bytes.
    pub fn blob(&mut self, len: usize) {
        self.blob_bytes += len as u64;
    }

    /// The digest as `once` prints it.
    pub fn to_json(&self) -> Value {
        json!({
            "Digest": {
                "items": self.items, "S": self.s, "N": self.n, "B": self.b,
                "BOOL": self.bool, "NULL": self.null, "M": self.m, "L": self.l,
                "SS": self.ss, "NS": self.ns, "BS": self.bs, "unknown": self.unknown,
                "text_bytes": self.text_bytes, "blob_bytes": self.blob_bytes,
            }
        })
    }
}

/// The decoded length of padded base64 text, without decoding it: the
/// serde_json floor keeps a blob as the JSON's text, as its parse leaves it.
pub fn base64_len(text: &str) -> usize {
    let padding = text.bytes().rev().take_while(|b| *b == b'=').count();
    (text.len() / 4 * 3).saturating_sub(padding)
}

#[cfg(test)]
mod tests {
    use super::base64_len;

    #[test]
    fn base64_lengths() {
        for (text, len) in [
            ("", 0),
            ("AA==", 1),
            ("AAA=", 2),
            ("AAAA", 3),
            ("AAAAAA==", 4),
        ] {
            assert_eq!(base64_len(text), len, "{text}");
        }
    }
}
