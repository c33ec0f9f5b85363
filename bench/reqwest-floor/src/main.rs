//! The floor: an unsigned GET of the same path with reqwest, the body read
//! and parsed as JSON.

use bench_common::CallError;
use std::process::ExitCode;
use std::sync::Arc;

struct Floor {
    client: reqwest::Client,
    url: String,
}

fn main() -> ExitCode {
    bench_common::main(
        |url| async move {
            Floor {
                client: reqwest::Client::new(),
                url,
            }
        },
        |floor: Arc<Floor>, connector: String, session: String, _as_json: bool| async move {
            let url = format!(
                "{}/voice-connectors/{connector}/proxy-sessions/{session}",
                floor.url
            );
            let response = floor.client.get(url).send().await.map_err(|e| CallError {
                code: None,
                message: e.to_string(),
            })?;
            let status = response.status();
            let code = response
                .headers()
                .get("x-amzn-errortype")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            let body = response.bytes().await.map_err(|e| CallError {
                code: None,
                message: e.to_string(),
            })?;
            if !status.is_success() {
                return Err(CallError {
                    code,
                    message: format!("HTTP {status}"),
                });
            }
            serde_json::from_slice(&body).map_err(|e| CallError {
                code: None,
                message: e.to_string(),
            })
        },
    )
}
