//! Responses that cannot be read.

use std::error::Error as StdError;
use std::fmt;

use super::RawResponse;

/// A response that could not be read as the operation's output: malformed
/// JSON or XML, or a document of the wrong shape. Keeps the response, so the
/// failure can still be reported to AWS with its request id.
#[derive(Debug)]
pub struct ResponseError {
    status: u16,
    request_id: Option<String>,
    raw: Option<Box<RawResponse>>,
    source: Box<dyn StdError + Send + Sync>,
}

impl ResponseError {
    pub fn new(
        status: u16,
        request_id: Option<String>,
        source: impl Into<Box<dyn StdError + Send + Sync>>,
    ) -> Self {
        ResponseError {
            status,
            request_id,
            raw: None,
            source: source.into(),
        }
    }

    /// The error about `response`, which is kept.
    pub fn from_response(
        response: &crate::http::HttpResponse,
        source: impl Into<Box<dyn StdError + Send + Sync>>,
    ) -> Self {
        ResponseError {
            status: response.status,
            request_id: response.request_id().map(str::to_owned),
            raw: Some(Box::new(RawResponse::from(response))),
            source: source.into(),
        }
    }

    pub fn status(&self) -> u16 {
        self.status
    }

    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The response that could not be read, when there was one.
    pub fn raw_response(&self) -> Option<&RawResponse> {
        self.raw.as_deref()
    }
}

/// What could not be read is the [`source`](StdError::source), not part of
/// this sentence, so that a chain of errors says it once.
impl fmt::Display for ResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the response could not be parsed (HTTP {}", self.status)?;
        if let Some(id) = &self.request_id {
            write!(f, ", request id {id}")?;
        }
        f.write_str(")")
    }
}

impl StdError for ResponseError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(&*self.source)
    }
}
