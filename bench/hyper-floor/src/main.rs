//! The floor: an unsigned GET of the same path with hyper's pooled client,
//! the body read and parsed as JSON.

use bench_common::CallError;
use bytes::Bytes;
use http_body_util::{BodyExt, Empty};
use hyper_util::client::legacy::{connect::HttpConnector, Client};
use hyper_util::rt::TokioExecutor;
use std::process::ExitCode;
use std::sync::Arc;

struct Floor {
    client: Client<HttpConnector, Empty<Bytes>>,
    url: String,
}

fn main() -> ExitCode {
    bench_common::main(
        |url| async move {
            Floor {
                client: Client::builder(TokioExecutor::new()).build(HttpConnector::new()),
                url,
            }
        },
        |floor: Arc<Floor>, connector: String, session: String, _as_json: bool| async move {
            let err = |e: &dyn std::fmt::Display| CallError {
                code: None,
                message: e.to_string(),
            };
            let uri: hyper::Uri = format!(
                "{}/voice-connectors/{connector}/proxy-sessions/{session}",
                floor.url
            )
            .parse()
            .map_err(|e| err(&e))?;
            let response = floor.client.get(uri).await.map_err(|e| err(&e))?;
            let status = response.status();
            let code = response
                .headers()
                .get("x-amzn-errortype")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            let body = response
                .into_body()
                .collect()
                .await
                .map_err(|e| err(&e))?
                .to_bytes();
            if !status.is_success() {
                return Err(CallError {
                    code,
                    message: format!("HTTP {status}"),
                });
            }
            serde_json::from_slice(&body).map_err(|e| err(&e))
        },
    )
}
