//! XML error responses, as the XML protocols (query, rest-xml, ec2) send
//! them: `<ErrorResponse><Error>`, EC2's `<Response><Errors><Error>`, or
//! S3's bare `<Error>`.

use crate::error::{ErrorMetadata, Fault};
use crate::http::HttpResponse;
use crate::xml::{Document, Element};

/// An error response with its `<Error>` element, when it has one.
pub type ErrorResponse<'a, 'i> = super::ErrorResponse<'a, Option<Element<'a, 'i>>>;

/// Reads an error response as botocore does:
/// `<ErrorResponse><Error><Type>Sender</Type><Code>..</Code>
/// <Message>..</Message></Error><RequestId>..</RequestId></ErrorResponse>`,
/// also in EC2's form (`<Response><Errors><Error>`) and bare (`<Error>`).
/// The request id comes from `x-amzn-RequestId`, else from the body. A body
/// that is not such XML is not the protocol's: its code is the HTTP status
/// and its message the body, whole (the reason phrase for a server error
/// with an empty or HTML body).
pub fn read<'a, 'i>(
    response: &'a HttpResponse,
    document: Option<&'a Document<'i>>,
) -> ErrorResponse<'a, 'i> {
    let root = document.map(Document::root);
    let Some(error) = root.and_then(error_element) else {
        let meta = super::generic_error(response)
            .unwrap_or_else(|| super::foreign_error(response, super::body_text(response)));
        return ErrorResponse {
            meta,
            body: None,
            response,
            shape_code: None,
        };
    };
    let text_of = |element: Option<Element<'_, '_>>, name: &str| {
        element
            .and_then(|e| e.child(name))
            .map(|c| c.text().trim().to_string())
            .filter(|t| !t.is_empty())
    };
    let code = text_of(Some(error), "Code").unwrap_or_else(|| response.status.to_string());
    let request_id = response
        .request_id()
        .map(str::to_owned)
        .or_else(|| text_of(root, "RequestId"))
        .or_else(|| text_of(root, "RequestID"));
    let message = error
        .child("Message")
        .map(|m| m.text().into_owned())
        .unwrap_or_default();
    let mut meta = ErrorMetadata::new(Some(code), Some(message), response.status, request_id)
        .with_raw(response.into());
    if let Some(fault) = text_of(Some(error), "Type").and_then(|t| Fault::parse(&t)) {
        meta = meta.with_fault(fault);
    }
    ErrorResponse {
        meta,
        body: Some(error),
        response,
        shape_code: None,
    }
}

/// The `<Error>` element, wherever the service put it.
fn error_element<'a, 'i>(root: Element<'a, 'i>) -> Option<Element<'a, 'i>> {
    match root.name() {
        "Error" => Some(root),
        _ => root
            .child("Error")
            .or_else(|| root.child("Errors").and_then(|e| e.child("Error"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::test_response as response;

    fn meta(status: u16, headers: &[(&str, &str)], body: &str) -> ErrorMetadata {
        let response = response(status, headers, body);
        let document = Document::parse(&response.body).ok();
        read(&response, document.as_ref()).meta
    }

    #[test]
    fn error_responses_in_each_form() {
        let m = meta(
            403,
            &[],
            "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n  <Error>\n    <Type>Sender</Type>\n    <Code>AccessDenied</Code>\n    <Message>not allowed</Message>\n  </Error>\n  <RequestId>r-1</RequestId>\n</ErrorResponse>",
        );
        assert_eq!(m.code(), Some("AccessDenied"));
        assert_eq!(m.message(), Some("not allowed"));
        assert_eq!(m.request_id(), Some("r-1"));
        assert_eq!(m.fault(), Some(Fault::Sender));
        let m = meta(
            400,
            &[("x-amzn-RequestId", "h")],
            "<Response><Errors><Error><Code>Bad</Code></Error></Errors><RequestID>b</RequestID></Response>",
        );
        assert_eq!(
            (m.code(), m.message(), m.request_id()),
            (Some("Bad"), Some(""), Some("h"))
        );
        let m = meta(
            404,
            &[],
            "<Error><Code>NoSuch</Code><Message>m</Message></Error>",
        );
        assert_eq!((m.code(), m.message()), (Some("NoSuch"), Some("m")));
    }

    #[test]
    fn bodies_that_are_not_the_protocol_s() {
        let m = meta(503, &[], "");
        assert_eq!(
            (m.code(), m.message()),
            (Some("503"), Some("Service Unavailable"))
        );
        let m = meta(400, &[], "Bad request, sorry\n");
        assert_eq!(
            (m.code(), m.message()),
            (Some("400"), Some("Bad request, sorry\n"))
        );
        // Well-formed XML that is not an error response is not the
        // protocol's either.
        let page = "<html><body><h1>404 Not Found</h1></body></html>\n";
        let m = meta(404, &[], page);
        assert_eq!((m.code(), m.message()), (Some("404"), Some(page)));
        assert!(m.raw_response().is_some());
    }
}
