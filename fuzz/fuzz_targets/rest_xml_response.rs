//! rest-xml response reading, by the generated S3 crate and the runtime:
//!
//! - the deserializers of outputs that stress the XML reader:
//!   `ListObjectsV2` (flattened lists, nested structures, timestamps),
//!   `GetBucketLocation` (a bare `<LocationConstraint>` root),
//!   `CompleteMultipartUpload` (a body beside header members),
//!   `GetObjectAcl` (the grantee's `xsi:type` attribute),
//!   `DeleteObjects` (two flattened lists) and `HeadObject` (headers
//!   only: prefix headers, the lenient `Expires`, a bodiless error);
//! - the rest-xml error reader alone (`<ErrorResponse><Error>`, S3's bare
//!   `<Error>`, an empty body), whose metadata is then displayed;
//! - whole calls through the client, on a transport that answers the
//!   fuzzer's response: `CompleteMultipartUpload` (whose `200` holding an
//!   `<Error>` S3's `check_response` hook turns into the `500` it means,
//!   retried) and `GetObject` (a streamed body, read to its end).
//!
//! Layout, as in `response`: 2 bytes of status, then `name:value` header
//! lines up to an empty line, then the body.
//!
//! The aws-chunked encoder's framing gets its own target, `aws_chunked`,
//! beside this one once the encoder lands in the runtime.
#![no_main]

use libfuzzer_sys::fuzz_target;
use s3::operation::complete_multipart_upload::CompleteMultipartUpload;
use s3::operation::delete_objects::DeleteObjects;
use s3::operation::get_bucket_location::GetBucketLocation;
use s3::operation::get_object_acl::GetObjectAcl;
use s3::operation::head_object::HeadObject;
use s3::operation::list_objects_v2::ListObjectsV2;
use sdkgen_runtime::body::SdkBody;
use sdkgen_runtime::clock::Sleep;
use sdkgen_runtime::credentials::BoxFuture;
use sdkgen_runtime::protocol::rest_xml;
use sdkgen_runtime::transport::{SendError, Transport};
use sdkgen_runtime::xml::Document;
use sdkgen_runtime::{Credentials, HttpResponse, Operation};
use std::fmt;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let status = 100 + u16::from_le_bytes([data[0], data[1]]) % 500;
    let rest = &data[2..];
    let split = rest
        .windows(2)
        .position(|w| w == b"\n\n")
        .unwrap_or(rest.len());
    let head = String::from_utf8_lossy(&rest[..split]);
    let body = rest.get(split + 2..).unwrap_or_default();
    let headers: Vec<(String, String)> = head
        .lines()
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let response = || HttpResponse::new(status, headers.clone(), body.to_vec());

    show(ListObjectsV2::deserialize(response()));
    show(GetBucketLocation::deserialize(response()));
    show(CompleteMultipartUpload::deserialize(response()));
    show(GetObjectAcl::deserialize(response()));
    show(DeleteObjects::deserialize(response()));
    show(HeadObject::deserialize(response()));

    let whole = response();
    let document = Document::parse(&whole.body).ok();
    let error = rest_xml::read_error(&whole, document.as_ref());
    let _ = format!("{} {:?}", error.meta, error.meta);

    through_the_client(Answer {
        status,
        headers,
        body: bytes::Bytes::copy_from_slice(body),
    });
});

/// Formats an outcome, which runs the `Debug` of outputs and the
/// `Display` of errors: code that reads what the deserializer kept.
fn show<O: fmt::Debug, E: fmt::Display + fmt::Debug>(outcome: Result<O, E>) {
    let _ = match outcome {
        Ok(out) => format!("{out:?}"),
        Err(e) => format!("{e} {e:?}"),
    };
}

/// The fuzzer's response, given for every request.
#[derive(Debug, Clone)]
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: bytes::Bytes,
}

/// A transport that answers the current input's response; one client is
/// made for the whole run, as a program makes one.
#[derive(Debug, Clone, Default)]
struct Answering(Arc<Mutex<Option<Answer>>>);

impl Transport for Answering {
    fn send(
        &self,
        _request: http::Request<SdkBody>,
    ) -> BoxFuture<'_, Result<http::Response<SdkBody>, SendError>> {
        let answer = self.0.lock().ok().and_then(|a| a.clone());
        Box::pin(async move {
            let answer = answer.expect("an answer is set before every call");
            let mut response = http::Response::new(SdkBody::from_bytes(answer.body));
            *response.status_mut() =
                http::StatusCode::from_u16(answer.status).unwrap_or(http::StatusCode::OK);
            // What HTTP cannot carry does not arrive: hyper refuses such a
            // header before a client sees it.
            for (name, value) in &answer.headers {
                let name = http::HeaderName::from_bytes(name.trim().as_bytes());
                let value = http::HeaderValue::from_str(value.trim());
                if let (Ok(name), Ok(value)) = (name, value) {
                    response.headers_mut().append(name, value);
                }
            }
            Ok(response)
        })
    }
}

/// Retries' backoff without waiting, so that a retried answer costs no
/// time.
#[derive(Debug)]
struct NoWait;

impl Sleep for NoWait {
    fn sleep(&self, _duration: Duration) -> BoxFuture<'static, ()> {
        Box::pin(async {})
    }
}

struct Harness {
    runtime: tokio::runtime::Runtime,
    answer: Answering,
    client: s3::Client,
}

fn through_the_client(answer: Answer) {
    static HARNESS: OnceLock<Harness> = OnceLock::new();
    let harness = HARNESS.get_or_init(|| {
        let answering = Answering::default();
        let config = s3::Config::builder()
            .region("us-east-1")
            .credentials_provider(Credentials::new("AKIDFUZZ", "fuzz-secret", None, None))
            .sleep(Arc::new(NoWait))
            .transport(answering.clone())
            .build();
        Harness {
            runtime: tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a tokio runtime"),
            answer: answering,
            client: s3::Client::new(config),
        }
    });
    if let Ok(mut current) = harness.answer.0.lock() {
        *current = Some(answer);
    }
    let client = &harness.client;
    harness.runtime.block_on(async {
        show(
            client
                .complete_multipart_upload()
                .bucket("bucket")
                .key("key")
                .upload_id("upload")
                .send()
                .await,
        );
        if let Ok(output) = client.get_object().bucket("bucket").key("key").send().await {
            let read = output.body.unwrap_or_default().collect().await;
            let _ = read.map(|bytes| bytes.len());
        }
    });
}
