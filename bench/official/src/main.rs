//! GetProxySession with the official AWS SDK for Rust (the peer).

use aws_config::BehaviorVersion;
use aws_sdk_chimesdkvoice::error::ProvideErrorMetadata;
use aws_sdk_chimesdkvoice::primitives::DateTimeFormat;
use aws_sdk_chimesdkvoice::Client;
use bench_common::CallError;
use serde_json::{json, Map, Value};
use std::process::ExitCode;
use std::sync::Arc;

/// The official SDK's types do not serialize; print the model's names.
fn to_json(
    output: &aws_sdk_chimesdkvoice::operation::get_proxy_session::GetProxySessionOutput,
) -> Value {
    let Some(s) = output.proxy_session() else {
        return json!({});
    };
    let mut m = Map::new();
    let mut put = |k: &str, v: Option<Value>| {
        if let Some(v) = v {
            m.insert(k.to_string(), v);
        }
    };
    let time = |t: Option<&aws_sdk_chimesdkvoice::primitives::DateTime>| {
        t.and_then(|t| t.fmt(DateTimeFormat::DateTime).ok())
            .map(Value::from)
    };
    put("VoiceConnectorId", s.voice_connector_id().map(Value::from));
    put("ProxySessionId", s.proxy_session_id().map(Value::from));
    put("Name", s.name().map(Value::from));
    put("Status", s.status().map(|v| Value::from(v.as_str())));
    put("ExpiryMinutes", s.expiry_minutes().map(Value::from));
    put(
        "Capabilities",
        Some(Value::from(
            s.capabilities()
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>(),
        )),
    );
    put("CreatedTimestamp", time(s.created_timestamp()));
    put("UpdatedTimestamp", time(s.updated_timestamp()));
    put("EndedTimestamp", time(s.ended_timestamp()));
    put(
        "Participants",
        Some(Value::from(
            s.participants()
                .iter()
                .map(|p| json!({"PhoneNumber": p.phone_number(), "ProxyPhoneNumber": p.proxy_phone_number()}))
                .collect::<Vec<_>>(),
        )),
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
            // Region, credentials and settings from the environment and the
            // shared config files, which the harness sets alike for this
            // program and `ours`; only the mock's endpoint is given in code.
            let config = aws_config::defaults(BehaviorVersion::latest())
                .endpoint_url(url)
                .load()
                .await;
            Client::new(&config)
        },
        |client: Arc<Client>, connector: String, session: String, as_json: bool| async move {
            #[allow(deprecated)]
            let result = client
                .get_proxy_session()
                .voice_connector_id(connector)
                .proxy_session_id(session)
                .send()
                .await;
            match result {
                Ok(output) if as_json => Ok(to_json(&output)),
                Ok(_) => Ok(Value::Null),
                Err(e) => {
                    let service = e.as_service_error();
                    Err(CallError {
                        code: service.and_then(|s| s.code()).map(str::to_string),
                        message: format!("{e:?}"),
                    })
                }
            }
        },
    )
}
