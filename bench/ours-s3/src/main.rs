//! GetObject and PutObject with our generated client; the contract is
//! `bench_common::s3`'s.

use bench_common::s3::{Got, Put, Sink, BUCKET, KEY};
use bench_common::CallError;
use s3::{ByteStream, Client, ProvideErrorMetadata, SdkError};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

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

fn other(message: impl std::fmt::Display) -> CallError {
    CallError {
        code: None,
        message: message.to_string(),
    }
}

async fn make(url: String) -> Client {
    // As the other programs of ours: region, credentials and settings from
    // the environment and the shared config files the harness sets; only
    // the mock's endpoint and path-style addressing in code.
    let config = s3::from_env()
        .expect("configuration from the environment and the shared config files")
        .endpoint_url(url)
        .force_path_style(true);
    Client::new(config.build())
}

async fn get(client: Arc<Client>, mut sink: Sink) -> Result<Got, CallError> {
    let output = client
        .get_object()
        .bucket(BUCKET)
        .key(KEY)
        .send()
        .await
        .map_err(call_error)?;
    let mut body = output.body.ok_or_else(|| other("the output has no body"))?;
    while let Some(chunk) = body.next().await {
        sink.take(&chunk.map_err(other)?);
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
