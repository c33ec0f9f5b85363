//! The `rest-xml` protocol's framing (S3, CloudFront, Route 53): XML bodies
//! beside the REST bindings, errors in `<ErrorResponse><Error>` or, from
//! S3, a bare `<Error>`.

use crate::error::{SdkError, WireError};
use crate::http::HttpResponse;
use crate::xml::{Document, Element};

pub use super::xml_error::ErrorResponse;

/// The media type of XML bodies.
pub const CONTENT_TYPE: &str = "application/xml";

/// Turns a response into the operation's output or its typed error, reading
/// the body once; `error` types an error response, `output` reads a
/// success (headers, status, body: see [`document`]).
pub fn deserialize<O, E>(
    operation: &'static str,
    response: HttpResponse,
    error: fn(ErrorResponse<'_, '_>) -> E,
    output: fn(&mut HttpResponse) -> Result<O, WireError>,
) -> Result<O, SdkError<E>> {
    super::deserialize(
        operation,
        response,
        |response| {
            let document = Document::parse(&response.body).ok();
            error(read_error(response, document.as_ref()))
        },
        output,
    )
}

/// The body of a success, parsed; `None` when it is empty (every member
/// read from it is then absent).
pub fn document(body: &[u8]) -> Result<Option<Document<'_>>, WireError> {
    Document::parse_non_empty(body)
}

/// A body read whole by `de` from its root element (an event's payload);
/// `None` when it is empty.
pub fn read_body<T>(
    body: &[u8],
    de: impl FnOnce(Element<'_, '_>) -> Result<T, WireError>,
) -> Result<Option<T>, WireError> {
    match document(body)? {
        Some(document) => de(document.root()).map(Some),
        None => Ok(None),
    }
}

/// Reads an error response as botocore's rest-xml parser does. A response
/// without a body (the answer to a `HEAD`) has its status as the code and
/// the reason phrase as the message: `404`, `Not Found`.
pub fn read_error<'a, 'i>(
    response: &'a HttpResponse,
    document: Option<&'a Document<'i>>,
) -> ErrorResponse<'a, 'i> {
    if response.body.iter().all(u8::is_ascii_whitespace) {
        let meta = super::foreign_error(response, super::reason_phrase(response.status));
        return ErrorResponse {
            meta,
            body: None,
            response,
            shape_code: None,
        };
    }
    super::xml_error::read(response, document)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorMetadata;
    use crate::protocol::test_response as response;

    fn meta(status: u16, headers: &[(&str, &str)], body: &str) -> ErrorMetadata {
        let response = response(status, headers, body);
        let document = Document::parse(&response.body).ok();
        read_error(&response, document.as_ref()).meta
    }

    #[test]
    fn s3_errors_and_their_two_ids() {
        let m = meta(
            404,
            &[("x-amz-request-id", "R1"), ("x-amz-id-2", "ext/2=")],
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>k</Key><RequestId>R1</RequestId><HostId>ext/2=</HostId></Error>",
        );
        assert_eq!(m.code(), Some("NoSuchKey"));
        assert_eq!(m.message(), Some("The specified key does not exist."));
        assert_eq!(m.request_id(), Some("R1"));
        assert_eq!(m.extended_request_id(), Some("ext/2="));
        assert!(m.to_string().contains("extended request id ext/2="), "{m}");
    }

    #[test]
    fn bodiless_errors_say_their_status() {
        let m = meta(404, &[("x-amz-request-id", "R")], "");
        assert_eq!(
            (m.code(), m.message(), m.request_id()),
            (Some("404"), Some("Not Found"), Some("R"))
        );
        let m = meta(403, &[], "");
        assert_eq!((m.code(), m.message()), (Some("403"), Some("Forbidden")));
    }

    #[test]
    fn error_responses_of_other_services() {
        let m = meta(
            400,
            &[("x-amzn-RequestId", "h")],
            "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidInput</Code><Message>bad</Message></Error><RequestId>b</RequestId></ErrorResponse>",
        );
        assert_eq!(
            (m.code(), m.message(), m.request_id()),
            (Some("InvalidInput"), Some("bad"), Some("h"))
        );
    }

    #[test]
    fn empty_successes_have_no_document() {
        assert!(document(b"").unwrap().is_none());
        assert!(document(b" \n").unwrap().is_none());
        assert_eq!(document(b"<A/>").unwrap().unwrap().root().name(), "A");
        assert!(document(b"<A>").is_err());
    }
}
