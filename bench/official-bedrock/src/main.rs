//! ConverseStream with the official AWS SDK for Rust (the peer); the
//! contract is `bench_common::bedrock`'s.

use aws_config::BehaviorVersion;
use aws_sdk_bedrockruntime::error::ProvideErrorMetadata;
use aws_sdk_bedrockruntime::types::{
    ContentBlock, ContentBlockDelta, ContentBlockDeltaEvent, ConversationRole,
    ConverseStreamOutput as Event, Message,
};
use aws_sdk_bedrockruntime::Client;
use bench_common::bedrock::{Tally, MODEL_ID, PROMPT};
use bench_common::CallError;
use std::process::ExitCode;
use std::sync::Arc;

fn call_error<E: ProvideErrorMetadata + std::fmt::Debug, R: std::fmt::Debug>(
    e: aws_sdk_bedrockruntime::error::SdkError<E, R>,
) -> CallError {
    let code = e
        .as_service_error()
        .and_then(|s| s.code())
        .map(str::to_string);
    CallError {
        code,
        message: format!("{e:?}"),
    }
}

async fn make(url: String) -> Client {
    // As the other official programs: region, credentials and settings from
    // the environment and the shared config files the harness sets; only
    // the mock's endpoint in code.
    let config = aws_config::defaults(BehaviorVersion::latest())
        .endpoint_url(url)
        .load()
        .await;
    Client::new(&config)
}

async fn read(client: Arc<Client>) -> Result<Tally, CallError> {
    let prompt = Message::builder()
        .role(ConversationRole::User)
        .content(ContentBlock::Text(PROMPT.into()))
        .build()
        .map_err(|e| CallError {
            code: None,
            message: e.to_string(),
        })?;
    let mut output = client
        .converse_stream()
        .model_id(MODEL_ID)
        .messages(prompt)
        .send()
        .await
        .map_err(call_error)?;
    let mut tally = Tally::default();
    while let Some(event) = output.stream.recv().await.map_err(call_error)? {
        tally.events += 1;
        match event {
            Event::ContentBlockDelta(ContentBlockDeltaEvent {
                delta: Some(ContentBlockDelta::Text(text)),
                ..
            }) => {
                tally.deltas += 1;
                tally.text_bytes += text.len() as u64;
            }
            Event::MessageStop(stop) => {
                tally.stop_reason = Some(stop.stop_reason.as_str().to_string());
            }
            Event::Metadata(metadata) => {
                tally.output_tokens = metadata.usage.map(|u| i64::from(u.output_tokens));
            }
            _ => {}
        }
    }
    Ok(tally)
}

fn main() -> ExitCode {
    bench_common::bedrock::main(make, read)
}
