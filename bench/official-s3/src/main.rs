//! GetObject and PutObject with the official AWS SDK for Rust (the peer);
//! the contract is `bench_common::s3`'s.

use aws_config::BehaviorVersion;
use aws_sdk_s3::error::ProvideErrorMetadata;
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::Client;
use bench_common::s3::{Got, Put, Sink, BUCKET, KEY};
use bench_common::CallError;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

fn call_error<E: ProvideErrorMetadata + std::fmt::Debug, R: std::fmt::Debug>(
    e: aws_sdk_s3::error::SdkError<E, R>,
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

fn other(message: impl std::fmt::Display) -> CallError {
    CallError {
        code: None,
        message: message.to_string(),
    }
}

async fn make(url: String) -> Client {
    // As the other official programs: region, credentials and settings from
    // the environment and the shared config files the harness sets; only
    // the mock's endpoint and path-style addressing in code.
    let config = aws_config::defaults(BehaviorVersion::latest())
        .endpoint_url(url)
        .load()
        .await;
    let s3 = aws_sdk_s3::config::Builder::from(&config)
        .force_path_style(true)
        .build();
    Client::from_conf(s3)
}

async fn get(client: Arc<Client>, mut sink: Sink) -> Result<Got, CallError> {
    let mut output = client
        .get_object()
        .bucket(BUCKET)
        .key(KEY)
        .send()
        .await
        .map_err(call_error)?;
    while let Some(chunk) = output.body.try_next().await.map_err(other)? {
        sink.take(&chunk);
    }
    Ok(sink.finish())
}

async fn put(client: Arc<Client>, file: PathBuf) -> Result<Put, CallError> {
    let body = ByteStream::from_path(&file)
        .await
        .map_err(|e| other(format!("{}: {e}", file.display())))?;
    let output = client
        .put_object()
        .bucket(BUCKET)
        .key(KEY)
        .body(body)
        .send()
        .await
        .map_err(call_error)?;
    Ok(Put {
        e_tag: output.e_tag,
        checksum_crc32: output.checksum_crc32,
    })
}

fn main() -> ExitCode {
    bench_common::s3::main(make, get, put)
}
