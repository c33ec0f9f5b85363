//! The `ec2` protocol, which only EC2 speaks: requests are awsQuery's form
//! ([`QueryWriter`](super::query::QueryWriter), with EC2's keys and lists,
//! which the generator decides), responses are XML whose members sit
//! directly under `<OperationResponse>` beside its `<requestId>`, and errors
//! are `<Response><Errors><Error>` with the request id in `<RequestID>`
//! (read by the XML protocols' shared error reader).

use crate::error::{SdkError, WireError};
use crate::http::HttpResponse;
use crate::xml::Element;

pub use super::xml_error::ErrorResponse;

/// Turns a response into the operation's output or its typed error,
/// parsing the body once. `output` gets the root element, or `None` for an
/// empty body (every member then absent); the `<requestId>` beside the
/// members is not one of them (botocore keeps it as the response's
/// metadata, as the error's request id is here).
pub fn deserialize<O, E>(
    operation: &'static str,
    response: HttpResponse,
    error: fn(ErrorResponse<'_, '_>) -> E,
    output: fn(Option<Element<'_, '_>>) -> Result<O, WireError>,
) -> Result<O, SdkError<E>> {
    super::query::deserialize(operation, response, None, error, output)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::test_types::Unhandled;
    use crate::error::ProvideErrorMetadata;
    use crate::protocol::test_response as response;

    /// The reservation ids and the request id's absence from the output.
    fn read(root: Option<Element<'_, '_>>) -> Result<Vec<String>, WireError> {
        let Some(root) = root else {
            return Ok(Vec::new());
        };
        assert!(root.child("requestId").is_some());
        let set = root.child("reservationSet");
        Ok(set
            .into_iter()
            .flat_map(|s| s.children())
            .filter_map(|item| item.child("reservationId"))
            .map(|id| id.text().into_owned())
            .collect())
    }

    fn unhandled(e: ErrorResponse<'_, '_>) -> Unhandled {
        Unhandled::new(e.meta)
    }

    #[test]
    fn outputs_are_read_from_the_root() {
        let body = "<DescribeInstancesResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">\
            <requestId>8f7724cf-496f-496e-8fe3-example</requestId>\
            <reservationSet><item><reservationId>r-1</reservationId></item>\
            <item><reservationId>r-2</reservationId></item></reservationSet>\
            </DescribeInstancesResponse>";
        let out = deserialize(
            "DescribeInstances",
            response(200, &[], body),
            unhandled,
            read,
        );
        assert_eq!(out.unwrap(), ["r-1", "r-2"]);
        let out = deserialize("DescribeInstances", response(200, &[], ""), unhandled, read);
        assert_eq!(out.unwrap(), Vec::<String>::new());
    }

    #[test]
    fn errors_carry_code_message_and_request_id() {
        let body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error>\
            <Code>InvalidInstanceID.NotFound</Code>\
            <Message>The instance ID 'i-1' does not exist</Message></Error></Errors>\
            <RequestID>ea966190-f9aa-478e-9ede-example</RequestID></Response>";
        let err = deserialize(
            "DescribeInstances",
            response(400, &[], body),
            unhandled,
            read,
        )
        .unwrap_err();
        let SdkError::Service { source, .. } = err else {
            panic!("a service error: {err:?}");
        };
        assert_eq!(source.code(), Some("InvalidInstanceID.NotFound"));
        assert_eq!(
            source.message(),
            Some("The instance ID 'i-1' does not exist")
        );
        assert_eq!(source.request_id(), Some("ea966190-f9aa-478e-9ede-example"));
        // `RequestId`, as other XML services spell it, is read too.
        let body = "<Response><Errors><Error><Code>Throttling</Code></Error></Errors>\
            <RequestId>r-2</RequestId></Response>";
        let err = deserialize("Op", response(503, &[], body), unhandled, read).unwrap_err();
        let SdkError::Service { source, .. } = err else {
            panic!("a service error: {err:?}");
        };
        assert_eq!(
            (source.code(), source.request_id()),
            (Some("Throttling"), Some("r-2"))
        );
    }
}
