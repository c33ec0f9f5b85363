//! [`ReqwestTransport`]: requests carried by an application's own
//! `reqwest::Client` (its proxies, roots, middleware and pool).
//!
//! reqwest carries every request in a `url::Url`, which resolves `.` and
//! `..` path segments, also when they are written `%2E`. A label that is
//! exactly `.` or `..` would then reach another resource than the one
//! named, signed for the path we wrote but sent to another. So this
//! transport refuses such a request before anything is sent, saying why;
//! the default transport sends it as written.

use super::{SendError, Transport};
use crate::body::SdkBody;
use crate::credentials::BoxFuture;
use crate::error::{DispatchError, DispatchErrorKind};
use percent_encoding::percent_decode_str;

/// Sends requests with a `reqwest::Client`.
///
/// Build the client with `redirect(reqwest::redirect::Policy::none())`: AWS
/// APIs answer 3xx to be read, not followed, and a followed redirect would
/// carry a signed request elsewhere. This crate turns on no feature of
/// reqwest; HTTPS needs the application's reqwest to have a TLS feature
/// (`rustls`, or its default features).
/// The connect timeout of [`TimeoutConfig`](crate::TimeoutConfig) is the
/// default transport's; set reqwest's own on its builder. Attempt and
/// operation timeouts, retries and the response size cap apply on every
/// transport.
#[derive(Debug, Clone)]
pub struct ReqwestTransport {
    client: reqwest::Client,
}

impl ReqwestTransport {
    /// Carries requests with `client`, sharing its pool and settings.
    pub fn new(client: reqwest::Client) -> Self {
        ReqwestTransport { client }
    }
}

impl From<reqwest::Client> for ReqwestTransport {
    fn from(client: reqwest::Client) -> Self {
        ReqwestTransport::new(client)
    }
}

impl Transport for ReqwestTransport {
    fn send(
        &self,
        request: http::Request<SdkBody>,
    ) -> BoxFuture<'_, Result<http::Response<SdkBody>, SendError>> {
        Box::pin(async move {
            let target = format!("{} {}", request.method(), request.uri());
            if let Some(segment) = dot_segment(request.uri().path()) {
                return Err(SendError::Refused(format!(
                    "{target} has the path segment {segment:?}, which reqwest would resolve \
                     as a dot segment and send to another path; use the default transport for such a label"
                )));
            }
            let request = request.map(reqwest::Body::wrap);
            let request = reqwest::Request::try_from(request).map_err(|e| {
                SendError::Dispatch(DispatchError::new(
                    DispatchErrorKind::Other,
                    format!("reqwest cannot carry {target}"),
                    Some(Box::new(e)),
                ))
            })?;
            let response = self.client.execute(request).await.map_err(|e| {
                let (kind, what) = if e.is_connect() {
                    (DispatchErrorKind::Connect, "cannot connect for")
                } else {
                    (DispatchErrorKind::Io, "connection failed during")
                };
                SendError::Dispatch(DispatchError::new(
                    kind,
                    format!("{what} {target}"),
                    Some(Box::new(e)),
                ))
            })?;
            let response: http::Response<reqwest::Body> = response.into();
            Ok(response.map(SdkBody::from_body))
        })
    }
}

/// The first segment of `path` that is `.` or `..` once percent-decoded,
/// as written.
fn dot_segment(path: &str) -> Option<&str> {
    path.split('/').find(|segment| {
        let decoded = percent_decode_str(segment).collect::<Vec<u8>>();
        decoded == b"." || decoded == b".."
    })
}

#[cfg(test)]
mod tests {
    use super::dot_segment;

    #[test]
    fn dot_segments_are_found_however_written() {
        for path in ["/a/./b", "/a/%2E", "/a/%2e%2E/b", "/..", "/a/%2E%2E"] {
            assert!(dot_segment(path).is_some(), "{path}");
        }
        for path in ["/a/b", "/a/...", "/a/%2E%2E%2E", "/a/.b", "/a/%2Ex", "/"] {
            assert_eq!(dot_segment(path), None, "{path}");
        }
    }
}
