//! DynamoDB's GetItem and Query with our generated client; the contract is
//! `bench_common::dynamodb`'s.

use bench_common::dynamodb::{Digest, Operation, PARTITION_KEY, SORT_KEY, TABLE};
use bench_common::CallError;
use dynamodb::types::AttributeValue;
use dynamodb::{Client, ProvideErrorMetadata, SdkError};
use serde_json::Value;
use std::collections::HashMap;
use std::process::ExitCode;
use std::sync::Arc;

/// Counts every value, as every DynamoDB program does. `AttributeValue`
/// is the union the service sends (botocore's model does not say so; the
/// generator's DynamoDB customization does), so this is the official
/// program's match.
fn walk(value: &AttributeValue, digest: &mut Digest) {
    match value {
        AttributeValue::S(s) => {
            digest.s += 1;
            digest.text(s);
        }
        AttributeValue::N(n) => {
            digest.n += 1;
            digest.text(n);
        }
        AttributeValue::B(b) => {
            digest.b += 1;
            digest.blob(b.len());
        }
        AttributeValue::Bool(_) => digest.bool += 1,
        AttributeValue::Null(_) => digest.null += 1,
        AttributeValue::M(m) => {
            digest.m += 1;
            walk_map(m, digest);
        }
        AttributeValue::L(l) => {
            digest.l += 1;
            l.iter().for_each(|v| walk(v, digest));
        }
        AttributeValue::Ss(set) => {
            digest.ss += 1;
            set.iter().for_each(|s| digest.text(s));
        }
        AttributeValue::Ns(set) => {
            digest.ns += 1;
            set.iter().for_each(|n| digest.text(n));
        }
        AttributeValue::Bs(set) => {
            digest.bs += 1;
            set.iter().for_each(|b| digest.blob(b.len()));
        }
        _ => digest.unknown += 1,
    }
}

fn walk_map(map: &HashMap<String, AttributeValue>, digest: &mut Digest) {
    for (name, value) in map {
        digest.text(name);
        walk(value, digest);
    }
}

/// The digest of what a call read: printed by `once`, and otherwise only
/// kept from the optimizer, so that the load runs measure the whole read.
fn finish(digest: Digest, as_json: bool) -> Value {
    if as_json {
        digest.to_json()
    } else {
        std::hint::black_box(digest);
        Value::Null
    }
}

fn call_error<E: ProvideErrorMetadata + std::error::Error + 'static>(e: SdkError<E>) -> CallError {
    match e {
        SdkError::Service { source, .. } => CallError {
            code: source.code().map(str::to_string),
            message: source.to_string(),
        },
        other => CallError {
            code: None,
            message: other.to_string(),
        },
    }
}

async fn make(url: String) -> Client {
    // As `ours` for Chime: region, credentials and settings from the
    // environment and the shared config files the harness sets; only the
    // mock's endpoint in code.
    let config = dynamodb::from_env()
        .expect("configuration from the environment and the shared config files")
        .endpoint_url(url);
    Client::new(config.build())
}

async fn get_item(
    client: Arc<Client>,
    _: String,
    _: String,
    as_json: bool,
) -> Result<Value, CallError> {
    let output = client
        .get_item()
        .table_name(TABLE)
        .key("pk", AttributeValue::S(PARTITION_KEY.into()))
        .key("sk", AttributeValue::S(SORT_KEY.into()))
        .send()
        .await
        .map_err(call_error)?;
    let mut digest = Digest::default();
    if let Some(item) = output.item() {
        digest.items = 1;
        walk_map(item, &mut digest);
    }
    Ok(finish(digest, as_json))
}

async fn query(
    client: Arc<Client>,
    _: String,
    _: String,
    as_json: bool,
) -> Result<Value, CallError> {
    let output = client
        .query()
        .table_name(TABLE)
        .key_condition_expression("pk = :pk")
        .expression_attribute_values(":pk", AttributeValue::S(PARTITION_KEY.into()))
        .send()
        .await
        .map_err(call_error)?;
    let mut digest = Digest::default();
    for item in output.items() {
        digest.items += 1;
        walk_map(item, &mut digest);
    }
    Ok(finish(digest, as_json))
}

fn main() -> ExitCode {
    match bench_common::dynamodb::args() {
        Ok((Operation::GetItem, args)) => bench_common::main_with_args(args, make, get_item),
        Ok((Operation::Query, args)) => bench_common::main_with_args(args, make, query),
        Err(usage) => {
            eprintln!("{usage}");
            ExitCode::from(2)
        }
    }
}
