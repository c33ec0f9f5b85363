//! Plain HTTP request and response values, independent of any transport.
//!
//! A generated operation turns its input into an [`HttpRequest`] and an
//! [`HttpResponse`] into its output or error as pure functions, so bindings
//! are tested without a network and any transport can carry them.

use crate::body::ByteStream;
use bytes::Bytes;

/// A request as the HTTP binding built it, before signing.
#[derive(Debug)]
pub struct HttpRequest {
    /// `GET`, `POST`, ...
    pub method: &'static str,
    /// The percent-encoded path, starting with `/`, and the query string after
    /// `?` if there is one. No label value can add a `/`, `?` or `#` here.
    pub path_and_query: String,
    /// Header names and values in the order they were added.
    pub headers: Vec<(String, String)>,
    pub body: RequestBody,
    /// Put before the endpoint's host (`{AccountId}.` filled in and checked
    /// to be host labels), as the operation's `endpoint.hostPrefix` says.
    pub host_prefix: Option<String>,
}

/// A request's body.
#[derive(Debug, Default)]
pub enum RequestBody {
    #[default]
    Empty,
    /// Held in memory (JSON, a blob payload).
    Bytes(Bytes),
    /// A streaming payload: bytes or a file, sent as it is read.
    Stream(ByteStream),
    /// An input event stream: messages signed one by one as they are sent,
    /// by the one attempt that takes them.
    Events(std::sync::Mutex<Option<crate::event_stream::MessageStream>>),
}

impl RequestBody {
    /// The bytes, for a body held in memory (empty for none).
    pub fn bytes(&self) -> Option<&[u8]> {
        match self {
            RequestBody::Empty => Some(&[]),
            RequestBody::Bytes(bytes) => Some(bytes),
            RequestBody::Stream(stream) => stream.in_memory().map(|b| &b[..]),
            RequestBody::Events(_) => None,
        }
    }

    /// The length, when known before sending.
    pub fn len(&self) -> Option<u64> {
        match self {
            RequestBody::Empty => Some(0),
            RequestBody::Bytes(bytes) => Some(bytes.len() as u64),
            RequestBody::Stream(stream) => stream.content_length(),
            RequestBody::Events(_) => None,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == Some(0)
    }
}

impl HttpRequest {
    /// A request with no headers and no body.
    pub fn new(method: &'static str, path_and_query: String) -> Self {
        HttpRequest {
            method,
            path_and_query,
            headers: Vec::new(),
            body: RequestBody::Empty,
            host_prefix: None,
        }
    }

    /// The path without the query string.
    pub fn path(&self) -> &str {
        self.path_and_query
            .split_once('?')
            .map_or(self.path_and_query.as_str(), |(path, _)| path)
    }

    /// The first value of a header, matched without regard to case.
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

/// A response as the transport received it.
#[derive(Debug)]
pub struct HttpResponse {
    pub status: u16,
    headers: Headers,
    /// The body read whole; empty when it is streamed instead.
    pub body: Bytes,
    /// The body as a stream, for an operation whose output streams it.
    stream: Option<ByteStream>,
}

impl HttpResponse {
    /// A response with the given status, headers and body.
    pub fn new(status: u16, headers: Vec<(String, String)>, body: impl Into<Bytes>) -> Self {
        HttpResponse {
            status,
            headers: Headers::Pairs(headers),
            body: body.into(),
            stream: None,
        }
    }

    /// A response with the headers as the transport gave them.
    pub fn from_map(status: u16, headers: http::HeaderMap, body: impl Into<Bytes>) -> Self {
        HttpResponse {
            status,
            headers: Headers::from_map(headers),
            body: body.into(),
            stream: None,
        }
    }

    /// A response whose body is read by the caller as it arrives.
    pub fn streaming(status: u16, headers: http::HeaderMap, body: ByteStream) -> Self {
        HttpResponse {
            status,
            headers: Headers::from_map(headers),
            body: Bytes::new(),
            stream: Some(body),
        }
    }

    /// Every header, names as received (hyper gives them in lowercase).
    pub fn headers(&self) -> impl Iterator<Item = (&str, &str)> {
        self.headers.iter()
    }

    /// The first value of a header, matched without regard to case, as HTTP
    /// header names are.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)
    }

    /// Every value of a header, joined as one list (`a, b`), as HTTP allows a
    /// list to be split over several header lines.
    pub fn header_list(&self, name: &str) -> Option<String> {
        let mut values = self
            .headers()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v);
        let first = values.next()?;
        Some(values.fold(first.to_string(), |mut all, v| {
            all.push_str(", ");
            all.push_str(v);
            all
        }))
    }

    /// Whether the status is 2xx: every 2xx is a success, not only the code
    /// the model names.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The AWS request id, from `x-amzn-RequestId` (or S3's
    /// `x-amz-request-id`).
    pub fn request_id(&self) -> Option<&str> {
        self.header("x-amzn-requestid")
            .or_else(|| self.header("x-amz-request-id"))
    }

    /// The body as a stream: the streamed body, or the bytes read whole.
    pub fn take_stream(&mut self) -> ByteStream {
        self.stream
            .take()
            .unwrap_or_else(|| ByteStream::new(std::mem::take(&mut self.body)))
    }
}

/// A response's headers: the transport's map as it came (copying every
/// name and value on every response cost more than the lookups save), or
/// pairs, for a response made by hand and for the rare map with a value
/// that is not UTF-8 (kept as lossy text, so nothing is dropped).
#[derive(Debug)]
enum Headers {
    Map(http::HeaderMap),
    Pairs(Vec<(String, String)>),
}

impl Headers {
    fn from_map(map: http::HeaderMap) -> Headers {
        if map
            .values()
            .all(|v| std::str::from_utf8(v.as_bytes()).is_ok())
        {
            Headers::Map(map)
        } else {
            Headers::Pairs(header_pairs(&map))
        }
    }

    fn get(&self, name: &str) -> Option<&str> {
        match self {
            Headers::Map(map) => map.get(name).map(utf8),
            Headers::Pairs(pairs) => find_header(pairs, name),
        }
    }

    fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        let (map, pairs) = match self {
            Headers::Map(map) => (Some(map.iter().map(|(k, v)| (k.as_str(), utf8(v)))), None),
            Headers::Pairs(pairs) => (
                None,
                Some(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))),
            ),
        };
        map.into_iter().flatten().chain(pairs.into_iter().flatten())
    }
}

/// A value of a map that [`Headers::from_map`] kept: UTF-8 by then.
fn utf8(value: &http::HeaderValue) -> &str {
    std::str::from_utf8(value.as_bytes()).unwrap_or_default()
}

/// Header names and values as owned text.
fn header_pairs(headers: &http::HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect()
}

/// The first value of header `name`, matched without regard to case.
pub(crate) fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn response_headers_from_the_transport_read_as_pairs_do() {
        let mut map = http::HeaderMap::new();
        map.append("x-amzn-requestid", "r1".parse().unwrap());
        map.append("x-list", "a".parse().unwrap());
        map.append("x-list", "b".parse().unwrap());
        let response = HttpResponse::from_map(200, map.clone(), "");
        let pairs = HttpResponse::new(200, header_pairs(&map), "");
        for r in [&response, &pairs] {
            assert_eq!(r.header("X-Amzn-RequestId"), Some("r1"));
            assert_eq!(r.request_id(), Some("r1"));
            assert_eq!(r.header_list("x-list").as_deref(), Some("a, b"));
            assert_eq!(r.header("x-missing"), None);
        }
        assert!(response.headers().eq(pairs.headers()));
    }

    #[test]
    fn a_value_that_is_not_utf8_is_kept_as_lossy_text() {
        let mut map = http::HeaderMap::new();
        map.append("x-ok", "fine".parse().unwrap());
        map.append("x-bytes", http::HeaderValue::from_bytes(b"a\xffb").unwrap());
        let response = HttpResponse::from_map(200, map, "");
        assert_eq!(response.header("x-bytes"), Some("a\u{fffd}b"));
        assert_eq!(response.header("x-ok"), Some("fine"));
    }

    #[test]
    fn headers_match_without_case() {
        let resp = HttpResponse::new(200, vec![("X-Amzn-RequestId".into(), "abc".into())], "");
        assert_eq!(resp.request_id(), Some("abc"));
        assert_eq!(resp.header("X-AMZN-REQUESTID"), Some("abc"));
        assert_eq!(resp.header("missing"), None);
    }

    #[test]
    fn repeated_headers_form_one_list() {
        let resp = HttpResponse::new(
            200,
            vec![("x-l".into(), "a, b".into()), ("X-L".into(), "c".into())],
            "",
        );
        assert_eq!(resp.header_list("x-l").as_deref(), Some("a, b, c"));
        assert_eq!(resp.header_list("x-m"), None);
    }

    #[test]
    fn every_2xx_is_success() {
        for status in [200, 201, 204, 299] {
            assert!(HttpResponse::new(status, vec![], "").is_success());
        }
        for status in [100, 199, 300, 404, 500] {
            assert!(!HttpResponse::new(status, vec![], "").is_success());
        }
    }

    #[test]
    fn path_stops_at_the_query() {
        assert_eq!(HttpRequest::new("GET", "/a/b?x=1".into()).path(), "/a/b");
        assert_eq!(HttpRequest::new("GET", "/a%3Fb".into()).path(), "/a%3Fb");
    }
}
