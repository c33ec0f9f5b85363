//! Presigned requests: an operation's request signed in its query string
//! (SigV4's `X-Amz-*` parameters), for another program to send without
//! credentials until it expires. Made by a fluent builder's `presigned()`;
//! signed by [`crate::sigv4::sign_query`].
//!
//! A presigned URL is a bearer credential: whoever holds it can make that
//! one request until it expires. So its lifetime is bounded (at most seven
//! days, as SigV4 allows), and `Debug` never shows its signature, session
//! token, access key id or header values.

use std::fmt;
use std::time::{Duration, SystemTime};

/// The longest lifetime SigV4 allows a presigned request: seven days.
pub const MAX_EXPIRES_IN: Duration = Duration::from_secs(7 * 24 * 60 * 60);

/// How long a presigned request is valid, and from when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PresigningConfig {
    expires_in: Duration,
    start_time: Option<SystemTime>,
}

impl PresigningConfig {
    /// Valid for `expires_in` (whole seconds, from one second to seven
    /// days) from the time the request is signed.
    pub fn expires_in(expires_in: Duration) -> Result<PresigningConfig, PresigningConfigError> {
        if expires_in > MAX_EXPIRES_IN {
            return Err(PresigningConfigError::TooLong(expires_in));
        }
        if expires_in.as_secs() == 0 {
            return Err(PresigningConfigError::TooShort(expires_in));
        }
        Ok(PresigningConfig {
            expires_in,
            start_time: None,
        })
    }

    /// Signs as of `start_time` rather than the configuration's
    /// `time_source`: the request is valid from then.
    pub fn start_time(mut self, start_time: SystemTime) -> PresigningConfig {
        self.start_time = Some(start_time);
        self
    }

    /// How long the request is valid.
    pub fn expires(&self) -> Duration {
        self.expires_in
    }

    /// The time to sign with, when one was given.
    pub fn start(&self) -> Option<SystemTime> {
        self.start_time
    }
}

/// Why a [`PresigningConfig`] cannot be made.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PresigningConfigError {
    /// Longer than seven days, which SigV4 refuses.
    TooLong(Duration),
    /// Shorter than a second: `X-Amz-Expires` counts whole seconds.
    TooShort(Duration),
}

impl fmt::Display for PresigningConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PresigningConfigError::TooLong(d) => write!(
                f,
                "a presigned request is valid for at most 7 days (604800 seconds), not {} seconds",
                d.as_secs()
            ),
            PresigningConfigError::TooShort(d) => write!(
                f,
                "a presigned request is valid for at least 1 second, not {d:?}"
            ),
        }
    }
}

impl std::error::Error for PresigningConfigError {}

/// A request signed in its query string: send `method` to `uri` with
/// `headers` (and `body`, for the few requests that sign one) from any
/// HTTP client, without credentials.
///
/// `Debug` shows the URI with its signature, session token and access key
/// id redacted, and the headers' names without their values; the URI
/// itself is a credential until it expires, to be handled like one (not
/// logged).
#[derive(Clone, PartialEq, Eq)]
pub struct PresignedRequest {
    method: &'static str,
    uri: String,
    headers: Vec<(String, String)>,
    body: bytes::Bytes,
}

impl PresignedRequest {
    pub(crate) fn new(
        method: &'static str,
        uri: String,
        headers: Vec<(String, String)>,
        body: bytes::Bytes,
    ) -> Self {
        PresignedRequest {
            method,
            uri,
            headers,
            body,
        }
    }

    /// `GET`, `PUT`, ...
    pub fn method(&self) -> &str {
        self.method
    }

    /// The URL with the signature in its query string.
    pub fn uri(&self) -> &str {
        &self.uri
    }

    /// Headers the signature covers, which the request must carry with
    /// these values (`host` aside: the URI says it). Most presigned
    /// requests have none; an S3 `PutObject` with a content type has
    /// `content-type`.
    pub fn headers(&self) -> impl Iterator<Item = (&str, &str)> {
        self.headers.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// The body the signature covers, to send as it is: empty for S3
    /// (whose presigned requests sign `UNSIGNED-PAYLOAD`, so any body may be
    /// sent) and for the query protocol (whose parameters move to the URL).
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The request as an [`http::Request`] with this body, for hyper and
    /// the clients built on the `http` crate.
    pub fn to_http_request<B>(&self, body: B) -> Result<http::Request<B>, http::Error> {
        let mut builder = http::Request::builder()
            .method(self.method)
            .uri(self.uri.as_str());
        for (name, value) in &self.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        builder.body(body)
    }
}

/// The query parameters whose values make a URL a credential.
/// (`X-Amz-S3session-Token` is an S3 Express session's token.)
const SECRET_PARAMS: &[&str] = &[
    "X-Amz-Signature",
    "X-Amz-Security-Token",
    "X-Amz-S3session-Token",
];

/// The parameter whose value starts with the access key id, then the
/// signing scope (`AKID%2F20260115%2Fus-east-1%2Fs3%2Faws4_request`).
const CREDENTIAL_PARAM: &str = "X-Amz-Credential";

/// Shows the request without what makes it usable: the signature, the
/// session token and the access key id are redacted from the URI (the
/// scope, date and lifetime stay, which are what a reader debugging an
/// expired or refused URL needs), and headers show their names only,
/// since a signed header may carry a secret of its own (an SSE-C key).
impl fmt::Debug for PresignedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let header_names: Vec<&str> = self.headers.iter().map(|(k, _)| k.as_str()).collect();
        f.debug_struct("PresignedRequest")
            .field("method", &self.method)
            .field("uri", &redacted_uri(&self.uri))
            .field("headers", &header_names)
            .field("body_len", &self.body.len())
            .finish()
    }
}

fn redacted_uri(uri: &str) -> String {
    let Some((base, query)) = uri.split_once('?') else {
        return uri.to_string();
    };
    let is = |name: &str, param: &str| name.eq_ignore_ascii_case(param);
    let pairs: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, _)) if SECRET_PARAMS.iter().any(|p| is(name, p)) => {
                format!("{name}=** redacted **")
            }
            Some((name, value)) if is(name, CREDENTIAL_PARAM) => {
                // The scope follows the first `/`, percent-encoded or not.
                let scope = ["%2F", "%2f", "/"]
                    .iter()
                    .filter_map(|slash| value.find(slash))
                    .min()
                    .map_or("", |at| &value[at..]);
                format!("{name}=** redacted **{scope}")
            }
            _ => pair.to_string(),
        })
        .collect();
    format!("{base}?{}", pairs.join("&"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifetimes_are_one_second_to_seven_days() {
        for secs in [1, 60, 604_800] {
            let config = PresigningConfig::expires_in(Duration::from_secs(secs)).unwrap();
            assert_eq!(config.expires(), Duration::from_secs(secs));
            assert_eq!(config.start(), None);
        }
        let long = PresigningConfig::expires_in(Duration::from_secs(604_801)).unwrap_err();
        assert_eq!(
            long,
            PresigningConfigError::TooLong(Duration::from_secs(604_801))
        );
        assert!(long.to_string().contains("at most 7 days"), "{long}");
        for short in [Duration::ZERO, Duration::from_millis(999)] {
            let err = PresigningConfig::expires_in(short).unwrap_err();
            assert_eq!(err, PresigningConfigError::TooShort(short));
        }
        let at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let config = PresigningConfig::expires_in(Duration::from_secs(60))
            .unwrap()
            .start_time(at);
        assert_eq!(config.start(), Some(at));
    }

    #[test]
    fn debug_hides_the_signature_the_token_and_the_key_id() {
        let request = PresignedRequest::new(
            "GET",
            "https://b.s3.us-west-2.amazonaws.com/k?x-id=GetObject&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDSECRETID%2F20260115%2Fus-west-2%2Fs3%2Faws4_request&X-Amz-Date=20260115T123456Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host%3Brange&X-Amz-Security-Token=SECRETTOKEN&X-Amz-Signature=abcdef0123".into(),
            vec![("range".into(), "bytes=0-1".into())],
            bytes::Bytes::new(),
        );
        let shown = format!("{request:?}");
        for secret in ["SECRETTOKEN", "abcdef0123", "AKIDSECRETID"] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
        assert!(shown.contains("X-Amz-Signature=** redacted **"), "{shown}");
        assert!(
            shown.contains("X-Amz-Security-Token=** redacted **"),
            "{shown}"
        );
        assert!(
            shown.contains(
                "X-Amz-Credential=** redacted **%2F20260115%2Fus-west-2%2Fs3%2Faws4_request"
            ),
            "{shown}"
        );
        for kept in [
            "x-id=GetObject",
            "X-Amz-Expires=900",
            "X-Amz-Date=20260115T123456Z",
        ] {
            assert!(shown.contains(kept), "{kept} not in {shown}");
        }
        assert!(shown.contains("\"range\""), "{shown}");
        assert!(!shown.contains("bytes=0-1"), "{shown}");
        assert_eq!(request.uri().matches("abcdef0123").count(), 1);
    }

    #[test]
    fn debug_hides_an_s3_express_session_token() {
        let request = PresignedRequest::new(
            "GET",
            "https://b--usw2-az1--x-s3.s3express-usw2-az1.us-west-2.amazonaws.com/k?X-Amz-Credential=ASIASESSION%2F20260115%2Fus-west-2%2Fs3express%2Faws4_request&X-Amz-SignedHeaders=host&X-Amz-S3session-Token=SESSIONTOKEN&X-Amz-Signature=abcdef0123".into(),
            Vec::new(),
            bytes::Bytes::new(),
        );
        let shown = format!("{request:?}");
        for secret in ["SESSIONTOKEN", "abcdef0123", "ASIASESSION"] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
        assert!(
            shown.contains("X-Amz-S3session-Token=** redacted **"),
            "{shown}"
        );
    }

    #[test]
    fn debug_shows_no_header_value() {
        // A presigned PutObject with a customer-provided key (SSE-C) must be
        // sent with the key in a signed header.
        let request = PresignedRequest::new(
            "PUT",
            "https://b.s3.amazonaws.com/k?X-Amz-Credential=AKID/20260115/us-east-1/s3/aws4_request&x-amz-signature=f00d".into(),
            vec![(
                "x-amz-server-side-encryption-customer-key".into(),
                "c2VjcmV0IGtleSBvZiAzMiBieXRlcyEhISEhISEhISE=".into(),
            )],
            bytes::Bytes::new(),
        );
        let shown = format!("{request:?}");
        assert!(!shown.contains("c2VjcmV0"), "{shown}");
        assert!(
            shown.contains("x-amz-server-side-encryption-customer-key"),
            "{shown}"
        );
        // Names in another case, a scope after a plain `/`.
        assert!(!shown.contains("f00d"), "{shown}");
        assert!(
            shown.contains("X-Amz-Credential=** redacted **/20260115/us-east-1/s3/aws4_request"),
            "{shown}"
        );
        assert!(!shown.contains("AKID/"), "{shown}");
    }

    #[test]
    fn a_credential_without_a_scope_is_redacted_whole() {
        let shown = redacted_uri("https://h/?X-Amz-Credential=AKIDONLY&a=b");
        assert_eq!(shown, "https://h/?X-Amz-Credential=** redacted **&a=b");
        assert_eq!(redacted_uri("https://h/k"), "https://h/k");
    }

    #[test]
    fn http_requests_carry_the_method_uri_and_headers() {
        let request = PresignedRequest::new(
            "PUT",
            "https://h.example/k?X-Amz-Signature=00".into(),
            vec![("content-type".into(), "text/plain".into())],
            bytes::Bytes::new(),
        );
        let http = request.to_http_request(()).unwrap();
        assert_eq!(http.method(), http::Method::PUT);
        assert_eq!(http.uri(), "https://h.example/k?X-Amz-Signature=00");
        assert_eq!(http.headers()["content-type"], "text/plain");
    }
}
