//! The Chime SDK Voice endpoint of the run: the bench mock's answers, with
//! every signature checked against the keys the loopback IMDS issued,
//! behind the fault mix. Each attempt that the mock answers well, before
//! a fault spoils it or not, is written to the ledger under its call id
//! (the proxy session id is `soak-<call>`) and attempt number before
//! anything goes back; a refused signature goes back as it is, unwritten,
//! and no fault explains it.

use crate::faults::{Attempt, Fault, Ledger};
use crate::imds::Imds;
use crate::server::Reset;
use bytes::Bytes;
use http_body_util::{BodyExt, Either, Full};
use hyper::body::{Body, Frame, Incoming};
use hyper::{Request, Response};
use mock::Reply;
use std::convert::Infallible;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

/// A whole answer, or one cut short.
pub type AnswerBody = Either<Full<Bytes>, Cut>;

/// The faulty endpoint.
pub struct Service {
    pub ledger: Arc<Ledger>,
    pub imds: Arc<Imds>,
    /// How long a stalled answer waits: past the client's attempt timeout.
    pub stall: Duration,
}

impl Service {
    pub async fn answer(&self, request: Request<Incoming>, reset: Reset) -> Response<AnswerBody> {
        let call = call_id(request.uri().path());
        let number = attempt_number(request.headers());
        let (parts, body) = request.into_parts();
        // A body that does not arrive whole fails the signature check.
        let body = body
            .collect()
            .await
            .map(|b| b.to_bytes())
            .unwrap_or_default();
        let keys = |access_key: &str| self.imds.key(access_key);
        let reply = mock::answer(&parts, &body, Some(&keys));
        // Only what the mock would answer well is spoiled: a refused
        // signature reaches the client as it is, and no fault explains it.
        let fault = match call {
            Some(call) if reply.status().is_success() => {
                let fault = Fault::for_roll(fastrand::u32(..1000));
                self.ledger.record(call, Attempt { number, fault });
                fault
            }
            _ => None,
        };
        let error = |status, code| mock::chime::error(status, code, "injected by the soak");
        match fault {
            None => reply.map(Either::Left),
            Some(Fault::ServerError) => error(500, "ServiceFailureException").map(Either::Left),
            Some(Fault::Unavailable) => error(503, "ServiceUnavailableException").map(Either::Left),
            Some(Fault::Throttle) => error(429, "ThrottledClientException").map(Either::Left),
            Some(Fault::Stall) => {
                tokio::time::sleep(self.stall).await;
                reply.map(Either::Left)
            }
            Some(Fault::Reset) => {
                reset.now();
                std::future::pending().await
            }
            Some(Fault::Truncate) => cut(reply).await,
        }
    }
}

/// The call of a `GET /voice-connectors/{id}/proxy-sessions/soak-{call}`.
fn call_id(path: &str) -> Option<u64> {
    path.rsplit('/').next()?.strip_prefix("soak-")?.parse().ok()
}

/// `N` of `amz-sdk-request: attempt=N; max=M`, 0 without it.
fn attempt_number(headers: &hyper::HeaderMap) -> u32 {
    headers
        .get("amz-sdk-request")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.split(';')
                .find_map(|part| part.trim().strip_prefix("attempt="))
        })
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// The answer with its whole length in `Content-Length` and half its
/// body: hyper sends that half, finds the body ended early, and closes the
/// connection.
async fn cut(reply: Reply) -> Response<AnswerBody> {
    let (mut parts, body) = reply.into_parts();
    let whole = match body.collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(never) => match never {},
    };
    parts
        .headers
        .insert(hyper::header::CONTENT_LENGTH, whole.len().into());
    let half = whole.slice(..whole.len() / 2);
    Response::from_parts(parts, Either::Right(Cut(Some(half))))
}

/// A body of one chunk and no stated length, so that hyper goes by the
/// `Content-Length` header (a body that states its length would have
/// hyper trust the body, or assert in a debug build).
pub struct Cut(Option<Bytes>);

impl Body for Cut {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        Poll::Ready(self.0.take().map(|chunk| Ok(Frame::data(chunk))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_names_its_call_and_attempt() {
        assert_eq!(
            call_id("/voice-connectors/vc-soak/proxy-sessions/soak-42"),
            Some(42)
        );
        assert_eq!(call_id("/voice-connectors/vc/proxy-sessions/other"), None);
        let mut headers = hyper::HeaderMap::new();
        assert_eq!(attempt_number(&headers), 0);
        headers.insert("amz-sdk-request", "attempt=2; max=3".parse().unwrap());
        assert_eq!(attempt_number(&headers), 2);
    }
}
