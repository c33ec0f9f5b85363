//! awsJson response parsing, by the generated deserializers of operations
//! that stress it: DynamoDB `Query` and `GetItem` (`AttributeValue`, a
//! union nested in maps and lists as deep as the input goes), SQS
//! `GetQueueUrl` (query-compatible: the `x-amzn-query-error` header's code
//! and fault beside the body's `__type`) and KMS `Decrypt` (base64 blobs).
//! Layout, as in `response`: 2 bytes of status, then `name:value` header
//! lines up to an empty line, then the body.
#![no_main]

use dynamodb::operation::get_item::GetItem;
use dynamodb::operation::query::Query;
use kms::operation::decrypt::Decrypt;
use libfuzzer_sys::fuzz_target;
use sdkgen_runtime::{HttpResponse, Operation};
use sqs::operation::get_queue_url::GetQueueUrl;
use std::fmt;

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let status = 100 + u16::from_le_bytes([data[0], data[1]]) % 500;
    let rest = &data[2..];
    let split = rest.windows(2).position(|w| w == b"\n\n").unwrap_or(rest.len());
    let head = String::from_utf8_lossy(&rest[..split]);
    let body = rest.get(split + 2..).unwrap_or_default();
    let headers: Vec<(String, String)> = head
        .lines()
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let response = || HttpResponse::new(status, headers.clone(), body.to_vec());
    show(Query::deserialize(response()));
    show(GetItem::deserialize(response()));
    show(GetQueueUrl::deserialize(response()));
    show(Decrypt::deserialize(response()));
});

/// Formats an outcome, which runs the `Debug` of outputs (with the
/// redaction of sensitive members such as `Plaintext`) and the `Display`
/// of errors: code that reads what the deserializer kept.
fn show<O: fmt::Debug, E: fmt::Display + fmt::Debug>(outcome: Result<O, E>) {
    let _ = match outcome {
        Ok(out) => format!("{out:?}"),
        Err(e) => format!("{e} {e:?}"),
    };
}
