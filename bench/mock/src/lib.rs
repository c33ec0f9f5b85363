//! The mock's answers and its signature check, as a library: the `mock`
//! binary serves them to the benchmark programs, and the soak program
//! (`soak/` in the main workspace) serves them in-process behind its
//! faults. Nothing here listens or knows of faults: a request in, an answer
//! out.
//!
//! - [`chime`]: Chime SDK Voice's GetProxySession and its errors;
//! - [`dynamodb`]: DynamoDB's GetItem and Query, for a request with an
//!   `X-Amz-Target`;
//! - [`bedrock`]: Bedrock Runtime's ConverseStream, an event stream that
//!   the `mock` binary sends chunked ([`refusal`] is its signature check);
//! - [`s3`]: S3's GetObject and PutObject of one large object, streamed
//!   both ways and checked as it arrives;
//! - [`sigv4`]: the SigV4 check, against whatever keys the caller knows,
//!   for [`REGION`].

pub mod bedrock;
pub mod chime;
pub mod dynamodb;
pub mod s3;
pub mod sigv4;

pub use bench_common::REGION;
pub use sigv4::{Key, Keys};

use bytes::Bytes;
use http_body_util::Full;
use hyper::http::request::Parts;

/// A response of the mock.
pub type Reply = hyper::Response<Full<Bytes>>;

/// The answer to a request whose body has been read. With `keys`, its
/// signature is checked first (`keys` gives the secret of an access key id
/// it knows) and a bad or missing one gets a 403, so that a client cannot
/// win by not signing; without, nothing is checked.
pub fn answer(parts: &Parts, body: &[u8], keys: Option<Keys<'_>>) -> Reply {
    if let Some(keys) = keys {
        if let Some(refused) = refusal(parts, body, keys) {
            return refused;
        }
    }
    match amz_target(parts) {
        Some(amz_target) => dynamodb::answer(amz_target, body),
        None => chime::answer(parts.uri.path()),
    }
}

/// Checks a request's signature for the service its path or
/// `X-Amz-Target` names: the 403 to send for a bad or missing one, or
/// `None` for a good one.
pub fn refusal(parts: &Parts, body: &[u8], keys: Keys<'_>) -> Option<Reply> {
    let target = parts.uri.path_and_query().map_or("/", |p| p.as_str());
    let service = if amz_target(parts).is_some() {
        "dynamodb"
    } else if bedrock::is_converse_stream(&parts.method, parts.uri.path()) {
        "bedrock"
    } else {
        "chime"
    };
    sigv4::verify(
        parts.method.as_str(),
        target,
        &parts.headers,
        body,
        service,
        keys,
    )
    .err()
    .map(|why| {
        eprintln!("mock: refused {} {target}: {why}", parts.method);
        refuse()
    })
}

fn amz_target(parts: &Parts) -> Option<&str> {
    parts
        .headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
}

/// The 403 AWS sends for a bad signature, with the error code in the
/// places both JSON protocols read it.
fn refuse() -> Reply {
    hyper::Response::builder()
        .status(403)
        .header("content-type", "application/json")
        .header("x-amzn-errortype", "InvalidSignatureException")
        .header("x-amzn-requestid", "mock-request-id")
        .body(
            br#"{"__type":"InvalidSignatureException","message":"The request signature we calculated does not match the signature you provided."}"#
                .as_slice()
                .into(),
        )
        .expect("a valid response")
}
