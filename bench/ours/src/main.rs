//! GetProxySession with our generated client.
#![allow(deprecated)] // the model deprecates GetProxySession

use bench_common::CallError;
use chime_sdk_voice::operation::get_proxy_session::GetProxySessionOutput;
use chime_sdk_voice::{Client, DateTime, ProvideErrorMetadata, SdkError};
use serde_json::{json, Map, Value};
use std::process::ExitCode;
use std::sync::Arc;

/// The model's names, from the accessors, as the official program does it
/// (the crate's `serde` feature would do it too, but would be in the
/// binary whose size is measured).
fn to_json(output: &GetProxySessionOutput) -> Value {
    let Some(s) = output.proxy_session() else {
        return json!({});
    };
    let mut m = Map::new();
    let mut put = |k: &str, v: Option<Value>| {
        if let Some(v) = v {
            m.insert(k.to_string(), v);
        }
    };
    let time = |t: Option<&DateTime>| t.map(|t| Value::from(t.to_string()));
    put("VoiceConnectorId", s.voice_connector_id().map(Value::from));
    put("ProxySessionId", s.proxy_session_id().map(Value::from));
    put("Name", s.name().map(Value::from));
    put("Status", s.status().map(|v| Value::from(v.as_str())));
    put("ExpiryMinutes", s.expiry_minutes().map(Value::from));
    put(
        "Capabilities",
        s.capabilities
            .as_ref()
            .map(|c| Value::from(c.iter().map(|c| c.as_str()).collect::<Vec<_>>())),
    );
    put("CreatedTimestamp", time(s.created_timestamp()));
    put("UpdatedTimestamp", time(s.updated_timestamp()));
    put("EndedTimestamp", time(s.ended_timestamp()));
    put(
        "Participants",
        s.participants.as_ref().map(|p| {
            Value::from(
                p.iter()
                    .map(|p| json!({"PhoneNumber": p.phone_number(), "ProxyPhoneNumber": p.proxy_phone_number()}))
                    .collect::<Vec<_>>(),
            )
        }),
    );
    put(
        "NumberSelectionBehavior",
        s.number_selection_behavior()
            .map(|v| Value::from(v.as_str())),
    );
    put(
        "GeoMatchLevel",
        s.geo_match_level().map(|v| Value::from(v.as_str())),
    );
    put(
        "GeoMatchParams",
        s.geo_match_params()
            .map(|g| json!({"Country": g.country(), "AreaCode": g.area_code()})),
    );
    json!({ "ProxySession": m })
}

fn main() -> ExitCode {
    bench_common::main(
        |url| async move {
            // As a real program loads it, and as the official program's
            // `aws_config::defaults(..).load()` does: region, credentials and
            // settings from the environment and the shared config files, which
            // the harness sets alike for both. Only the mock's endpoint is
            // given in code, in both programs.
            let config = chime_sdk_voice::from_env()
                .expect("configuration from the environment and the shared config files")
                .endpoint_url(url);
            // `ours-reqwest`: the same program on the reqwest transport.
            #[cfg(feature = "reqwest")]
            let config = config.transport(chime_sdk_voice::transport::ReqwestTransport::new(
                reqwest::Client::builder()
                    .redirect(reqwest::redirect::Policy::none())
                    .build()
                    .expect("a reqwest client"),
            ));
            Client::new(config.build())
        },
        |client: Arc<Client>, connector: String, session: String, as_json: bool| async move {
            match client
                .get_proxy_session()
                .voice_connector_id(connector)
                .proxy_session_id(session)
                .send()
                .await
            {
                Ok(output) if as_json => Ok(to_json(&output)),
                Ok(_) => Ok(serde_json::Value::Null),
                Err(SdkError::Service { source, .. }) => Err(CallError {
                    code: source.code().map(str::to_string),
                    message: source.to_string(),
                }),
                Err(other) => Err(CallError {
                    code: None,
                    message: other.to_string(),
                }),
            }
        },
    )
}
