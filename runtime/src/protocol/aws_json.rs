//! The awsJson protocol (`json` in botocore: DynamoDB, SQS, KMS, ...):
//! every request is a `POST` to the endpoint's path whose body is the
//! input as a JSON object, named by `X-Amz-Target`; responses are JSON, and
//! errors carry their code in `X-Amzn-ErrorType` or the body's `__type`.

use super::json_error;
use super::rest::RequestBuilder;
use crate::error::{BuildError, Fault, SdkError, WireError};
use crate::http::HttpResponse;

/// An error response with its JSON body (empty unless it is an object).
pub type ErrorResponse<'a> = super::ErrorResponse<'a, &'a [u8]>;

/// Where an awsJson error's code may sit in the body (after the
/// `X-Amzn-ErrorType` header): botocore reads `__type`; `code` is what some
/// services send instead.
const CODE_KEYS: &[&str] = &["__type", "code"];

/// The media type of a `jsonVersion` (`1.0`, `1.1`).
pub fn content_type(json_version: &str) -> &'static str {
    match json_version {
        "1.1" => "application/x-amz-json-1.1",
        _ => "application/x-amz-json-1.0",
    }
}

/// What every awsJson request carries besides its body: `X-Amz-Target`
/// (`{targetPrefix}.{Operation}`), and for a service that used to speak
/// awsQuery, `x-amzn-query-mode: true`, which asks it for the query error
/// codes its users match on.
pub fn target(
    request: &mut RequestBuilder,
    operation: &'static str,
    target: &str,
    query_compatible: bool,
) -> Result<(), BuildError> {
    request.header(operation, "X-Amz-Target", Some(target))?;
    if query_compatible {
        request.header(operation, "x-amzn-query-mode", Some("true"))?;
    }
    Ok(())
}

/// Turns a response into the operation's output or its typed error,
/// reading the body once. With `query_compatible`, an error's
/// `x-amzn-query-error` header (`Code;Fault`) gives its code and fault.
pub fn deserialize<O, E>(
    operation: &'static str,
    response: HttpResponse,
    query_compatible: bool,
    error: fn(ErrorResponse<'_>) -> E,
    output: fn(&mut HttpResponse) -> Result<O, WireError>,
) -> Result<O, SdkError<E>> {
    super::deserialize(
        operation,
        response,
        |r| error(read_error(r, query_compatible)),
        output,
    )
}

/// Reads an error response as botocore's JSON parser does.
pub fn read_error(response: &HttpResponse, query_compatible: bool) -> ErrorResponse<'_> {
    let mut error = json_error::read(response, CODE_KEYS);
    if query_compatible {
        if let Some((code, fault)) = response.header("x-amzn-query-error").and_then(query_error) {
            error.shape_code = error.meta.code().map(str::to_owned);
            error.meta.set_code(code.to_string());
            if let Some(fault) = Fault::parse(fault) {
                error.meta = error.meta.with_fault(fault);
            }
        }
    }
    error
}

/// `AWS.SimpleQueueService.NonExistentQueue;Sender` as its code and fault;
/// `None` unless it is two parts with a code (as botocore splits it).
pub(crate) fn query_error(header: &str) -> Option<(&str, &str)> {
    let (code, fault) = header.split_once(';')?;
    (!code.is_empty() && !fault.contains(';')).then_some((code, fault))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::test_response as response;

    #[test]
    fn codes_from_the_header_then_type_then_code() {
        let read = |headers: &[(&str, &str)], body: &str| {
            read_error(&response(400, headers, body), false)
                .meta
                .code()
                .map(str::to_owned)
        };
        let body = r#"{"__type":"aws.protocoltests#FooError:http://x","code":"Other"}"#;
        assert_eq!(read(&[], body).as_deref(), Some("FooError"));
        assert_eq!(
            read(&[("X-Amzn-Errortype", "HeaderError")], body).as_deref(),
            Some("HeaderError")
        );
        assert_eq!(read(&[], r#"{"code":"C"}"#).as_deref(), Some("C"));
    }

    #[test]
    fn query_compatible_errors_take_the_query_code_and_fault() {
        let headers = [(
            "x-amzn-query-error",
            "AWS.SimpleQueueService.NonExistentQueue;Sender",
        )];
        let body = r#"{"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"gone"}"#;
        let sqs = response(400, &headers, body);
        let e = read_error(&sqs, true);
        assert_eq!(
            e.meta.code(),
            Some("AWS.SimpleQueueService.NonExistentQueue")
        );
        assert_eq!(e.meta.fault(), Some(Fault::Sender));
        // The shape is still found by its own name.
        assert_eq!(e.code(), Some("QueueDoesNotExist"));
        assert_eq!(e.meta.message(), Some("gone"));
        // Not asked for, or not two parts with a code: the body's code.
        let plain = read_error(&sqs, false);
        assert_eq!(plain.meta.code(), Some("QueueDoesNotExist"));
        for header in ["NoFault", ";Sender", "A;B;C"] {
            let r = response(400, &[("x-amzn-query-error", header)], body);
            let e = read_error(&r, true);
            assert_eq!(e.meta.code(), Some("QueueDoesNotExist"), "{header}");
            assert_eq!(e.meta.fault(), None);
        }
    }

    #[test]
    fn media_types() {
        assert_eq!(content_type("1.1"), "application/x-amz-json-1.1");
        assert_eq!(content_type("1.0"), "application/x-amz-json-1.0");
    }
}
