//! GetProxySession with our generated client.
#![allow(deprecated)] // the model deprecates GetProxySession

use bench_common::{CallError, ACCESS_KEY, REGION, SECRET_KEY};
use chime_sdk_voice::{Client, Config, Credentials, ProvideErrorMetadata, SdkError};
use std::process::ExitCode;
use std::sync::Arc;

fn main() -> ExitCode {
    bench_common::main(
        |url| async move {
            let config = Config::builder()
                .region(REGION)
                .endpoint_url(url)
                .credentials_provider(Credentials::new(ACCESS_KEY, SECRET_KEY, None, None))
                .build();
            Client::new(config)
        },
        |client: Arc<Client>, connector: String, session: String, as_json: bool| async move {
            match client.get_proxy_session().voice_connector_id(connector).proxy_session_id(session).send().await {
                Ok(output) if as_json => Ok(serde_json::to_value(&output).expect("serializable")),
                Ok(_) => Ok(serde_json::Value::Null),
                Err(SdkError::Service { source, .. }) => Err(CallError {
                    code: source.code().map(str::to_string),
                    message: source.to_string(),
                }),
                Err(other) => Err(CallError { code: None, message: other.to_string() }),
            }
        },
    )
}
