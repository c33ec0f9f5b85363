//! Plain HTTP request and response values, independent of any transport.
//!
//! A generated operation turns its input into an [`HttpRequest`] and an
//! [`HttpResponse`] into its output or error as pure functions, so bindings
//! are tested without a network and any transport can carry them.

/// A request as the HTTP binding built it, before signing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// `GET`, `POST`, ...
    pub method: &'static str,
    /// The percent-encoded path, starting with `/`, and the query string after
    /// `?` if there is one. No label value can add a `/`, `?` or `#` here.
    pub path_and_query: String,
    /// Header names and values in the order they were added.
    pub headers: Vec<(String, String)>,
    /// The body; empty for operations without one.
    pub body: Vec<u8>,
}

impl HttpRequest {
    /// A request with no headers and no body.
    pub fn new(method: &'static str, path_and_query: String) -> Self {
        HttpRequest {
            method,
            path_and_query,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// Sets a JSON body and its `Content-Type`.
    pub fn with_json_body(mut self, body: Vec<u8>) -> Self {
        self.headers
            .push(("content-type".into(), "application/json".into()));
        self.body = body;
        self
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

/// A response as the transport received it, the body read whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// A response with the given status, headers and body.
    pub fn new(status: u16, headers: Vec<(String, String)>, body: impl Into<Vec<u8>>) -> Self {
        HttpResponse {
            status,
            headers,
            body: body.into(),
        }
    }

    /// The first value of a header, matched without regard to case, as HTTP
    /// header names are.
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// Whether the status is 2xx: every 2xx is a success, not only the code
    /// the model names.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The AWS request id, from `x-amzn-RequestId`.
    pub fn request_id(&self) -> Option<&str> {
        self.header("x-amzn-requestid")
    }
}

fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_without_case() {
        let resp = HttpResponse::new(200, vec![("X-Amzn-RequestId".into(), "abc".into())], "");
        assert_eq!(resp.request_id(), Some("abc"));
        assert_eq!(resp.header("X-AMZN-REQUESTID"), Some("abc"));
        assert_eq!(resp.header("missing"), None);
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
