//! The serde_json floor: DynamoDB's GetItem and Query sent unsigned, with
//! the body an SDK writes, over hyper's pooled client, and each answer
//! parsed with `serde_json::from_slice::<serde_json::Value>` and walked as
//! the SDK programs walk their typed values. What no typed client can go
//! below: no signing, no typed output, blobs left as base64 text.

use bench_common::dynamodb::{base64_len, Digest, Operation, GET_ITEM_BODY, QUERY_BODY};
use bench_common::CallError;
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::{connect::HttpConnector, Client};
use hyper_util::rt::TokioExecutor;
use serde_json::{Map, Value};
use std::process::ExitCode;
use std::sync::Arc;

struct Floor {
    client: Client<HttpConnector, Full<Bytes>>,
    uri: hyper::Uri,
}

/// Counts one value of DynamoDB's JSON form (`{"S": "..."}`, ...).
fn walk(value: &Value, digest: &mut Digest) {
    let Some((kind, inner)) = value.as_object().and_then(|o| o.iter().next()) else {
        digest.unknown += 1;
        return;
    };
    match (kind.as_str(), inner) {
        ("S", Value::String(s)) => {
            digest.s += 1;
            digest.text(s);
        }
        ("N", Value::String(n)) => {
            digest.n += 1;
            digest.text(n);
        }
        ("B", Value::String(b)) => {
            digest.b += 1;
            digest.blob(base64_len(b));
        }
        ("BOOL", Value::Bool(_)) => digest.bool += 1,
        ("NULL", Value::Bool(_)) => digest.null += 1,
        ("M", Value::Object(m)) => {
            digest.m += 1;
            walk_map(m, digest);
        }
        ("L", Value::Array(l)) => {
            digest.l += 1;
            l.iter().for_each(|v| walk(v, digest));
        }
        ("SS", Value::Array(set)) => {
            digest.ss += 1;
            set.iter()
                .for_each(|s| digest.text(s.as_str().unwrap_or_default()));
        }
        ("NS", Value::Array(set)) => {
            digest.ns += 1;
            set.iter()
                .for_each(|n| digest.text(n.as_str().unwrap_or_default()));
        }
        ("BS", Value::Array(set)) => {
            digest.bs += 1;
            set.iter()
                .for_each(|b| digest.blob(base64_len(b.as_str().unwrap_or_default())));
        }
        _ => digest.unknown += 1,
    }
}

fn walk_map(map: &Map<String, Value>, digest: &mut Digest) {
    for (name, value) in map {
        digest.text(name);
        walk(value, digest);
    }
}

async fn call(floor: &Floor, operation: Operation, as_json: bool) -> Result<Value, CallError> {
    let err = |e: &dyn std::fmt::Display| CallError {
        code: None,
        message: e.to_string(),
    };
    let body = match operation {
        Operation::GetItem => GET_ITEM_BODY,
        Operation::Query => QUERY_BODY,
    };
    let request = hyper::Request::post(floor.uri.clone())
        .header("content-type", "application/x-amz-json-1.0")
        .header("x-amz-target", operation.target())
        .body(Full::new(Bytes::from_static(body.as_bytes())))
        .map_err(|e| err(&e))?;
    let response = floor.client.request(request).await.map_err(|e| err(&e))?;
    let status = response.status();
    let body = response
        .into_body()
        .collect()
        .await
        .map_err(|e| err(&e))?
        .to_bytes();
    let answer: Value = serde_json::from_slice(&body).map_err(|e| err(&e))?;
    if !status.is_success() {
        let code = answer["__type"]
            .as_str()
            .and_then(|t| t.rsplit('#').next())
            .map(str::to_string);
        return Err(CallError {
            code,
            message: format!("HTTP {status}"),
        });
    }
    let mut digest = Digest::default();
    let items = match operation {
        Operation::GetItem => answer.get("Item").into_iter().collect::<Vec<_>>(),
        Operation::Query => answer["Items"].as_array().into_iter().flatten().collect(),
    };
    for item in items {
        digest.items += 1;
        walk_map(
            item.as_object()
                .ok_or_else(|| err(&"an item is not an object"))?,
            &mut digest,
        );
    }
    if as_json {
        Ok(digest.to_json())
    } else {
        std::hint::black_box(digest);
        Ok(Value::Null)
    }
}

async fn make(url: String) -> Floor {
    Floor {
        client: Client::builder(TokioExecutor::new()).build(HttpConnector::new()),
        uri: url.parse().expect("an endpoint URL"),
    }
}

fn main() -> ExitCode {
    match bench_common::dynamodb::args() {
        Ok((Operation::GetItem, args)) => bench_common::main_with_args(
            args,
            make,
            |floor: Arc<Floor>, _, _, as_json| async move {
                call(&floor, Operation::GetItem, as_json).await
            },
        ),
        Ok((Operation::Query, args)) => bench_common::main_with_args(
            args,
            make,
            |floor: Arc<Floor>, _, _, as_json| async move {
                call(&floor, Operation::Query, as_json).await
            },
        ),
        Err(usage) => {
            eprintln!("{usage}");
            ExitCode::from(2)
        }
    }
}
