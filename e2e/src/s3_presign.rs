//! S3 against moto, the parts a program meets beyond `send()`: presigned
//! URLs sent by a plain HTTP client (reqwest, which knows nothing of
//! SigV4), an expired one, and `HeadBucket`'s bodiless `404`.
//!
//! The URLs are path-style (`http://127.0.0.1:PORT/bucket/key?X-Amz-...`),
//! as the endpoint rules choose for an IP endpoint, and sign
//! `UNSIGNED-PAYLOAD`, as botocore's do.

use crate::ensure;
use crate::s3::with_bucket;
use crate::scenario::{eq, failed, sent, step, unique, Emulator, Outcome, Scenario};
use s3::presigning::{PresignedRequest, PresigningConfig};
use s3::{Client, ProvideErrorMetadata};
use sdkgen_runtime::clock::TimeSource;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

pub const SCENARIOS: &[Scenario] = &[
    Scenario {
        name: "s3: a presigned PutObject then a presigned GetObject, sent by reqwest",
        run: |e| Box::pin(presigned_put_then_get(e)),
    },
    Scenario {
        name: "s3: a presigned GetObject signed by a clock an hour behind, expired by SigV4's rule",
        run: |e| Box::pin(expired(e)),
    },
    Scenario {
        name: "s3: HeadBucket of a missing bucket is_not_found(), code 404",
        run: |e| Box::pin(missing_bucket(e)),
    },
];

/// A key that needs encoding in the URL (space, `+`, non-ASCII).
const KEY: &str = "presigned/hello world+ü.bin";

fn lifetime(seconds: u64) -> Result<PresigningConfig, String> {
    step(
        "PresigningConfig",
        PresigningConfig::expires_in(Duration::from_secs(seconds)),
    )
}

/// Sends a presigned request as any program would: its method, URL and
/// headers, and a body, with no credentials and no SigV4 of its own.
async fn send_plain(request: &PresignedRequest, body: Vec<u8>) -> Result<(u16, Vec<u8>), String> {
    let method = step(
        "the presigned method",
        reqwest::Method::from_bytes(request.method().as_bytes()),
    )?;
    let mut builder = reqwest::Client::new().request(method, request.uri());
    for (name, value) in request.headers() {
        builder = builder.header(name, value);
    }
    // `Debug` of the request: its URL is a credential, never shown whole.
    let response = step(
        &format!("sending {request:?}"),
        builder.body(body).send().await,
    )?;
    let status = response.status().as_u16();
    let read = step("reading the answer", response.bytes().await)?;
    Ok((status, read.to_vec()))
}

async fn presigned_put_then_get(emulator: Emulator) -> Outcome {
    with_bucket(emulator, "presign", |s3, bucket| async move {
        // Not UTF-8, and longer than a line: compared byte for byte.
        let body: Vec<u8> = (0..70_000u32).map(|i| (i * 7 % 256) as u8).collect();
        let put = sent(
            s3.put_object()
                .bucket(&bucket)
                .key(KEY)
                .content_type("application/octet-stream")
                .presigned(lifetime(300)?)
                .await,
        )?;
        eq("the presigned PutObject's method", put.method(), "PUT")?;
        // The content type is signed, so it is a header to send (named
        // as the serializer wrote it; HTTP names have no case).
        let headers: Vec<(String, &str)> = put
            .headers()
            .map(|(name, value)| (name.to_ascii_lowercase(), value))
            .collect();
        eq(
            "the presigned PutObject's headers",
            headers,
            vec![("content-type".to_string(), "application/octet-stream")],
        )?;
        let (status, answer) = send_plain(&put, body.clone()).await?;
        ensure!(
            status == 200,
            "the presigned PUT answered {status}: {}",
            String::from_utf8_lossy(&answer)
        );

        // The object is where the client itself finds it...
        let got = sent(s3.get_object().bucket(&bucket).key(KEY).send().await)?;
        eq(
            "GetObject's Content-Type",
            got.content_type(),
            Some("application/octet-stream"),
        )?;
        let read = step(
            "reading GetObject's body",
            got.body.unwrap_or_default().collect().await,
        )?;
        ensure!(
            read[..] == body[..],
            "GetObject read {} bytes that are not the {} sent by the presigned PUT",
            read.len(),
            body.len()
        );

        // ...and a presigned GET brings the same bytes back.
        let get = sent(
            s3.get_object()
                .bucket(&bucket)
                .key(KEY)
                .presigned(lifetime(300)?)
                .await,
        )?;
        eq("the presigned GetObject's method", get.method(), "GET")?;
        ensure!(
            get.headers().next().is_none(),
            "a presigned GetObject has no header to send: {get:?}"
        );
        let (status, answer) = send_plain(&get, Vec::new()).await?;
        eq("the presigned GET's status", status, 200)?;
        ensure!(
            answer == body,
            "the presigned GET read {} bytes that are not the {} put",
            answer.len(),
            body.len()
        );
        Ok(())
    })
    .await
}

/// A clock that says what it was told: an hour ago, for a URL that
/// expired before it was made.
#[derive(Debug)]
struct Stopped(SystemTime);

impl TimeSource for Stopped {
    fn now(&self) -> SystemTime {
        self.0
    }
}

/// The value of the query parameter `name` of a URL, as it is written.
fn query_param<'u>(url: &'u str, name: &str) -> Option<&'u str> {
    let query = url.split_once('?')?.1;
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix(name)?.strip_prefix('='))
}

async fn expired(emulator: Emulator) -> Outcome {
    let hour_ago = SystemTime::now() - Duration::from_secs(3600);
    let config = emulator.config().time_source(Arc::new(Stopped(hour_ago)));
    let late = Client::new(config.build());
    with_bucket(emulator, "expired", |s3, bucket| async move {
        let object = b"not for late readers".to_vec();
        sent(
            s3.put_object()
                .bucket(&bucket)
                .key(KEY)
                .body(object.clone())
                .send()
                .await,
        )?;
        let get = sent(
            late.get_object()
                .bucket(&bucket)
                .key(KEY)
                .presigned(lifetime(60)?)
                .await,
        )?;
        // Signed at the configuration's time, for 60 seconds: by SigV4's
        // rule (X-Amz-Date + X-Amz-Expires) it expired 59 minutes ago.
        let uri = get.uri();
        let signed_at =
            query_param(uri, "X-Amz-Date").ok_or_else(|| format!("no X-Amz-Date in {get:?}"))?;
        let signed_at = step("X-Amz-Date", sdkgen_runtime::timestamp::parse(signed_at))?;
        let hour_ago = sdkgen_runtime::DateTime::from(hour_ago);
        eq("X-Amz-Date", signed_at.secs(), hour_ago.secs())?;
        eq(
            "X-Amz-Expires",
            query_param(uri, "X-Amz-Expires"),
            Some("60"),
        )?;

        // AWS refuses it: 403 `AccessDenied`, "Request has expired".
        // moto 5.2.5 checks no presigned URL's lifetime (its
        // `S3Response._key_response`, s3/responses.py, looks only for
        // `Signature=` in the URL), and serves the object. Either answer
        // shows the URL was well formed and named the object; the refusal
        // itself is checked by a loopback server that checks lifetimes
        // (`tests/tests/presign.rs`, `an_expired_presigned_request_is_refused`).
        let (status, answer) = send_plain(&get, Vec::new()).await?;
        let text = String::from_utf8_lossy(&answer);
        let refused = status == 403 && text.contains("Request has expired");
        let served = status == 200 && answer == object;
        ensure!(
            refused || served,
            "the expired URL was neither refused as expired nor served the object: {status} {text}"
        );
        Ok(())
    })
    .await
}

async fn missing_bucket(emulator: Emulator) -> Outcome {
    let s3 = Client::new(emulator.config().build());
    let name = unique("never-made").to_lowercase();
    let head = failed(
        "HeadBucket of a missing bucket",
        s3.head_bucket().bucket(&name).send().await,
    )?;
    let service = head
        .as_service_error()
        .ok_or_else(|| format!("not a service error: {head}"))?;
    ensure!(
        service.is_not_found(),
        "HeadBucket's error is not not-found: {service:?}"
    );
    // A HEAD answer has no body: the status is the code and its reason
    // phrase the message, as botocore reports them.
    eq(
        "HeadBucket's error",
        (service.code(), service.message(), service.meta().status()),
        (Some("404"), Some("Not Found"), 404),
    )?;
    Ok(())
}
