//! The floor: GetObject and PutObject of the same object as unsigned
//! requests with hyper's pooled client: the GET body read frame by frame
//! and dropped, the PUT body the file read in 256 KiB chunks and sent with
//! its `Content-Length`, no checksum. What an SDK should come close to on
//! this machine: the bytes moved over the same kind of connection, and
//! nothing else. The contract is `bench_common::s3`'s.

use bench_common::s3::{Got, Put, Sink, PATH};
use bench_common::CallError;
use bytes::Bytes;
use futures_util::TryStreamExt;
use http_body_util::{combinators::BoxBody, BodyExt, Empty, StreamBody};
use hyper::body::Frame;
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::{connect::HttpConnector, Client};
use hyper_util::rt::TokioExecutor;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use tokio_util::io::ReaderStream;

/// The file's chunks. Each read of a `tokio::fs::File` is a trip to
/// tokio's blocking pool: in 64 KiB chunks the floor put about 590 MiB/s
/// over TLS here, in 256 KiB chunks about 1,200 (and in 1 MiB chunks no
/// more), so the floor reads 256 KiB at a time.
const CHUNK: usize = 256 * 1024;

type Body = BoxBody<Bytes, std::io::Error>;

struct Floor {
    client: Client<HttpsConnector<HttpConnector>, Body>,
    uri: hyper::Uri,
}

fn other(message: impl std::fmt::Display) -> CallError {
    CallError {
        code: None,
        message: message.to_string(),
    }
}

/// An error status, named by the code of S3's XML error body.
async fn failed(response: hyper::Response<hyper::body::Incoming>) -> CallError {
    let status = response.status();
    let body = response
        .into_body()
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let text = String::from_utf8_lossy(&body);
    let code = text
        .split_once("<Code>")
        .and_then(|(_, rest)| rest.split_once("</Code>"))
        .map(|(code, _)| code.to_string());
    CallError {
        code,
        message: format!("HTTP {status}: {text}"),
    }
}

async fn make(url: String) -> Floor {
    let connector = hyper_rustls::HttpsConnectorBuilder::new()
        .with_native_roots()
        .expect("the roots SSL_CERT_FILE names")
        .https_or_http()
        .enable_http1()
        .build();
    Floor {
        client: Client::builder(TokioExecutor::new()).build(connector),
        uri: format!("{url}{PATH}").parse().expect("a URI"),
    }
}

async fn get(floor: Arc<Floor>, mut sink: Sink) -> Result<Got, CallError> {
    let request = hyper::Request::get(floor.uri.clone())
        .body(Empty::new().map_err(|never| match never {}).boxed())
        .map_err(other)?;
    let response = floor.client.request(request).await.map_err(other)?;
    if !response.status().is_success() {
        return Err(failed(response).await);
    }
    let mut body = response.into_body();
    while let Some(frame) = body.frame().await {
        if let Ok(data) = frame.map_err(other)?.into_data() {
            sink.take(&data);
        }
    }
    Ok(sink.finish())
}

async fn put(floor: Arc<Floor>, file: PathBuf) -> Result<Put, CallError> {
    let opened = tokio::fs::File::open(&file)
        .await
        .map_err(|e| other(format!("{}: {e}", file.display())))?;
    let length = opened.metadata().await.map_err(other)?.len();
    let chunks = ReaderStream::with_capacity(opened, CHUNK).map_ok(Frame::data);
    let request = hyper::Request::put(floor.uri.clone())
        .header(hyper::header::CONTENT_LENGTH, length)
        .body(BodyExt::boxed(StreamBody::new(chunks)))
        .map_err(other)?;
    let response = floor.client.request(request).await.map_err(other)?;
    if !response.status().is_success() {
        return Err(failed(response).await);
    }
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let put = Put {
        e_tag: header("etag"),
        checksum_crc32: header("x-amz-checksum-crc32"),
    };
    // The (empty) body, so that the connection goes back to the pool.
    response.into_body().collect().await.map_err(other)?;
    Ok(put)
}

fn main() -> ExitCode {
    bench_common::s3::main(make, get, put)
}
