//! What a service said about an error, and the response it said it in.

use std::fmt;
use std::sync::Arc;

use bytes::Bytes;

/// The header of S3's second request id.
const EXTENDED_REQUEST_ID: &str = "x-amz-id-2";

/// What every service error carries, modeled or not: the code the service
/// sent, its message, the HTTP status and the request id that AWS support
/// asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorMetadata {
    code: Option<String>,
    message: Option<String>,
    status: u16,
    request_id: Option<String>,
    /// Whose fault, where the protocol says it.
    fault: Option<Fault>,
    raw: Option<Arc<RawResponse>>,
}

impl ErrorMetadata {
    /// Metadata from its parts; `code` is expected already sanitized
    /// (see [`crate::protocol::sanitize_error_code`]).
    pub fn new(
        code: Option<String>,
        message: Option<String>,
        status: u16,
        request_id: Option<String>,
    ) -> Self {
        ErrorMetadata {
            code,
            message,
            status,
            request_id,
            fault: None,
            raw: None,
        }
    }

    /// Metadata made piece by piece, for tests that need a service error
    /// without a service.
    pub fn builder() -> ErrorMetadataBuilder {
        ErrorMetadataBuilder::default()
    }

    /// The same metadata, keeping the response it was read from.
    pub fn with_raw(mut self, raw: RawResponse) -> Self {
        self.raw = Some(Arc::new(raw));
        self
    }

    /// The same metadata, saying whose fault the error is, as awsQuery
    /// errors (`<Type>`) and the `x-amzn-query-error` header of
    /// query-compatible services do.
    pub fn with_fault(mut self, fault: Fault) -> Self {
        self.fault = Some(fault);
        self
    }

    /// Replaces the code: a protocol that finds a better one after the
    /// first read (the query error code of a query-compatible service).
    pub(crate) fn set_code(&mut self, code: String) {
        self.code = Some(code);
    }

    /// The error code, such as `NotFoundException`.
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// The human-readable message the service sent.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The HTTP status of the response.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The `x-amzn-RequestId` of the response.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// S3's extended request id (`x-amz-id-2`), which AWS support asks
    /// for with the request id. Read from the response kept with the error
    /// (so that every error stays as small as before).
    pub fn extended_request_id(&self) -> Option<&str> {
        self.raw_response()?.header(EXTENDED_REQUEST_ID)
    }

    /// Whose fault the error is, where the service said so.
    pub fn fault(&self) -> Option<Fault> {
        self.fault
    }

    /// The same metadata, with what a modeled error's service would send
    /// where nothing was set: its code, its HTTP status, its message
    /// member. Used by the builders of error shapes.
    pub fn or_modeled(mut self, code: &str, status: u16, message: Option<&str>) -> Self {
        self.code.get_or_insert_with(|| code.to_string());
        if self.status == 0 {
            self.status = status;
        }
        if self.message.is_none() {
            self.message = message.map(str::to_string);
        }
        self
    }

    /// The response as received (status, headers, body), when the error was
    /// read from one.
    pub fn raw_response(&self) -> Option<&RawResponse> {
        self.raw.as_deref()
    }
}

/// Whose fault an error is, as the awsQuery protocols say it (`Sender`,
/// `Receiver`): the caller's request, or the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Fault {
    /// `Sender`: the request was at fault.
    Sender,
    /// `Receiver`: the service was.
    Receiver,
}

impl Fault {
    /// `Sender` or `Receiver`; `None` for any other word.
    pub fn parse(text: &str) -> Option<Fault> {
        match text.trim() {
            "Sender" => Some(Fault::Sender),
            "Receiver" => Some(Fault::Receiver),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Fault::Sender => "Sender",
            Fault::Receiver => "Receiver",
        }
    }
}

/// Builds an [`ErrorMetadata`]; what is not set stays empty (status 0 unless
/// set, or the raw response's).
#[derive(Debug, Clone, Default)]
pub struct ErrorMetadataBuilder {
    meta: ErrorMetadata,
}

impl ErrorMetadataBuilder {
    pub fn code(mut self, code: impl Into<String>) -> Self {
        self.meta.code = Some(code.into());
        self
    }

    pub fn message(mut self, message: impl Into<String>) -> Self {
        self.meta.message = Some(message.into());
        self
    }

    pub fn status(mut self, status: u16) -> Self {
        self.meta.status = status;
        self
    }

    pub fn request_id(mut self, request_id: impl Into<String>) -> Self {
        self.meta.request_id = Some(request_id.into());
        self
    }

    pub fn fault(mut self, fault: Fault) -> Self {
        self.meta.fault = Some(fault);
        self
    }

    /// The response the error came in; its status becomes the error's
    /// unless one was set.
    pub fn raw_response(mut self, raw: RawResponse) -> Self {
        if self.meta.status == 0 {
            self.meta.status = raw.status;
        }
        self.meta.raw = Some(Arc::new(raw));
        self
    }

    pub fn build(self) -> ErrorMetadata {
        self.meta
    }
}

/// An HTTP response as it arrived, kept with the error read from it so that
/// a caller can look at what the client could not make sense of.
///
/// `Debug` shows the status, the header names and the body's length, not
/// header values or the body, which may hold what a log must not.
#[derive(Clone, PartialEq, Eq)]
pub struct RawResponse {
    status: u16,
    headers: Vec<(String, String)>,
    body: Bytes,
}

impl RawResponse {
    pub fn new(status: u16, headers: Vec<(String, String)>, body: impl Into<Bytes>) -> Self {
        RawResponse {
            status,
            headers,
            body: body.into(),
        }
    }

    pub fn status(&self) -> u16 {
        self.status
    }

    /// Header names and values in the order received.
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// The first value of a header, its name matched without regard to case.
    pub fn header(&self, name: &str) -> Option<&str> {
        crate::http::find_header(&self.headers, name)
    }

    /// The body as read (empty for a body that was streamed to the caller).
    pub fn body(&self) -> &[u8] {
        &self.body
    }
}

impl From<&crate::http::HttpResponse> for RawResponse {
    fn from(response: &crate::http::HttpResponse) -> Self {
        RawResponse {
            status: response.status,
            headers: response
                .headers()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            body: response.body.clone(),
        }
    }
}

impl fmt::Debug for RawResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(k, _)| k.as_str()).collect();
        f.debug_struct("RawResponse")
            .field("status", &self.status)
            .field("headers", &names)
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// One line: code, message, status and request id, so a log line says all
/// that is needed to report the failure.
impl fmt::Display for ErrorMetadata {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code().unwrap_or("unknown error"))?;
        if let Some(message) = self.message().filter(|m| !m.trim().is_empty()) {
            write!(f, ": {}", one_line(message))?;
        }
        write!(f, " (HTTP {}", self.status)?;
        if let Some(id) = self.request_id() {
            write!(f, ", request id {id}")?;
        }
        if let Some(id) = self.extended_request_id() {
            write!(f, ", extended request id {id}")?;
        }
        f.write_str(")")
    }
}

/// Keeps a `Display` to one line whatever a server put in a message, and
/// to a length a log takes: a proxy's page is the message of its error,
/// whole (`message()`), but a log line shows its start.
fn one_line(text: &str) -> String {
    const MAX: usize = 512;
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match line.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}...", &line[..cut]),
        None => line,
    }
}

/// Gives access to the [`ErrorMetadata`] of any service error.
pub trait ProvideErrorMetadata {
    fn meta(&self) -> &ErrorMetadata;

    fn code(&self) -> Option<&str> {
        self.meta().code()
    }
    fn message(&self) -> Option<&str> {
        self.meta().message()
    }
    fn status(&self) -> u16 {
        self.meta().status()
    }
    fn request_id(&self) -> Option<&str> {
        self.meta().request_id()
    }
    fn extended_request_id(&self) -> Option<&str> {
        self.meta().extended_request_id()
    }
    /// Whether the service said the resource does not exist: an HTTP
    /// `404`, whatever the code. One question for every way of saying it:
    /// S3's modeled `NoSuchKey` and `NoSuchBucket`, and the bodiless `404`
    /// that answers a `HeadObject` or `HeadBucket` (code `404`, message
    /// `Not Found`, as botocore reports it).
    fn is_not_found(&self) -> bool {
        self.meta().status() == 404
    }
}
