//! ConverseStream with our generated client; the contract is
//! `bench_common::bedrock`'s.

use bedrock_runtime::operation::converse_stream::ConverseStreamError;
use bedrock_runtime::types::{
    ContentBlock, ContentBlockDelta, ContentBlockDeltaEvent, ConversationRole,
    ConverseStreamOutput as Event, Message,
};
use bedrock_runtime::{Client, ProvideErrorMetadata, SdkError};
use bench_common::bedrock::{Tally, MODEL_ID, PROMPT};
use bench_common::CallError;
use std::process::ExitCode;
use std::sync::Arc;

fn call_error(e: SdkError<ConverseStreamError>) -> CallError {
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
    // As the other programs of ours: region, credentials and settings from
    // the environment and the shared config files the harness sets; only
    // the mock's endpoint in code.
    let config = bedrock_runtime::from_env()
        .expect("configuration from the environment and the shared config files")
        .endpoint_url(url);
    Client::new(config.build())
}

async fn read(client: Arc<Client>) -> Result<Tally, CallError> {
    let prompt = Message::builder()
        .role(ConversationRole::User)
        .content(ContentBlock::Text(PROMPT.into()))
        .build();
    let output = client
        .converse_stream()
        .model_id(MODEL_ID)
        .messages(prompt)
        .send()
        .await
        .map_err(call_error)?;
    let mut stream = output.stream.ok_or_else(|| CallError {
        code: None,
        message: "the output has no stream".into(),
    })?;
    let mut tally = Tally::default();
    while let Some(event) = stream.recv().await.map_err(call_error)? {
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
                tally.stop_reason = stop.stop_reason.map(|r| r.as_str().to_string());
            }
            Event::Metadata(metadata) => {
                tally.output_tokens = metadata.usage.and_then(|u| u.output_tokens).map(i64::from);
            }
            _ => {}
        }
    }
    Ok(tally)
}

fn main() -> ExitCode {
    bench_common::bedrock::main(make, read)
}
