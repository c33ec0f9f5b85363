//! The smithy-rpc-v2-cbor protocol: every request is a `POST` to
//! `/service/{service}/operation/{operation}` whose body, when the
//! operation has an input, is the input as a CBOR map; responses are CBOR,
//! and an error's code is the body's `__type`, or for a query-compatible
//! service the `x-amzn-query-error` header's.

use super::rest::RequestBuilder;
use super::{foreign_error, generic_error, sanitize_error_code};
use crate::cbor::{Kind, Reader};
use crate::error::{BuildError, ErrorMetadata, Fault, SdkError, WireError};
use crate::http::HttpResponse;

/// An error response with its CBOR body (empty unless it is a map).
pub type ErrorResponse<'a> = super::ErrorResponse<'a, &'a [u8]>;

/// The media type of every body, both ways.
pub const CONTENT_TYPE: &str = "application/cbor";

/// Where the message may sit, in botocore's order.
const MESSAGE_KEYS: &[&str] = &["message", "Message"];

/// The path and headers of every request: `/service/{service}/operation/
/// {operation}` (`service` the model's `targetPrefix`, as botocore names
/// it), `smithy-protocol: rpc-v2-cbor`, `Accept`, and for a service that
/// used to speak awsQuery, `x-amzn-query-mode: true`.
pub fn frame(
    request: &mut RequestBuilder,
    operation: &'static str,
    service: &str,
    wire_name: &str,
    query_compatible: bool,
) -> Result<(), BuildError> {
    request.literal("/service/");
    request.label("targetPrefix", Some(service), false)?;
    request.literal("/operation/");
    request.label("operation", Some(wire_name), false)?;
    request.header(operation, "smithy-protocol", Some("rpc-v2-cbor"))?;
    request.header(operation, "Accept", Some(CONTENT_TYPE))?;
    if query_compatible {
        request.header(operation, "x-amzn-query-mode", Some("true"))?;
    }
    Ok(())
}

/// The request's body: the input's CBOR map.
pub fn body(request: &mut RequestBuilder, bytes: Vec<u8>) {
    request.payload(bytes, CONTENT_TYPE);
}

/// Turns a response into the operation's output or its typed error,
/// reading the body once.
pub fn deserialize<O, E>(
    operation: &'static str,
    response: HttpResponse,
    error: fn(ErrorResponse<'_>) -> E,
    output: fn(&mut HttpResponse) -> Result<O, WireError>,
) -> Result<O, SdkError<E>> {
    super::deserialize(operation, response, |r| error(read_error(r)), output)
}

/// Reads an error response as botocore's RPC v2 CBOR parser does: the
/// code from `__type` without its namespace, else the HTTP status; the
/// message from `message` or `Message`, empty when there is none; an
/// `x-amzn-query-error` header of two parts (`Code;Fault`) gives the code
/// users see and the fault, the `__type` still naming the shape. A body
/// that is not CBOR is the message, whole.
pub fn read_error(response: &HttpResponse) -> ErrorResponse<'_> {
    if let Some(meta) = generic_error(response) {
        return ErrorResponse {
            meta,
            body: &[],
            response,
            shape_code: None,
        };
    }
    let bytes: &[u8] = &response.body;
    let (fields, body) = if bytes.is_empty() {
        (Vec::new(), &[][..])
    } else {
        match top_level_strings(bytes) {
            Ok(Some(fields)) => (fields, bytes),
            Ok(None) => (Vec::new(), &[][..]),
            Err(_) => {
                let meta = foreign_error(response, super::body_text(response));
                return ErrorResponse {
                    meta,
                    body: &[],
                    response,
                    shape_code: None,
                };
            }
        }
    };
    let field = |key: &str| {
        fields
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };
    let code = field("__type")
        .map(sanitize_error_code)
        .filter(|code| !code.is_empty())
        .map(str::to_owned)
        .unwrap_or_else(|| response.status.to_string());
    let message = MESSAGE_KEYS
        .iter()
        .find_map(|key| field(key))
        .unwrap_or_default()
        .to_owned();
    let mut meta = ErrorMetadata::new(
        Some(code.clone()),
        Some(message),
        response.status,
        response.request_id().map(str::to_owned),
    )
    .with_raw(response.into());
    let mut shape_code = None;
    if let Some((query_code, fault)) = response
        .header("x-amzn-query-error")
        .and_then(super::aws_json::query_error)
    {
        shape_code = Some(code);
        meta.set_code(query_code.to_string());
        if let Some(fault) = Fault::parse(fault) {
            meta = meta.with_fault(fault);
        }
    }
    ErrorResponse {
        meta,
        body,
        response,
        shape_code,
    }
}

/// The text members of a CBOR map that name the code or the message, in
/// order; `None` for a body that is CBOR but not a map; an error for one
/// that is not CBOR.
fn top_level_strings(bytes: &[u8]) -> Result<Option<Vec<(String, String)>>, WireError> {
    let mut r = Reader::new(bytes);
    if r.kind()? != Kind::Map {
        r.skip()?;
        r.finish()?;
        return Ok(None);
    }
    let mut fields = Vec::new();
    if r.enter_object()? {
        loop {
            let key = r.key()?;
            let wanted = key == "__type" || MESSAGE_KEYS.contains(&key.as_ref());
            if wanted && r.kind()? == Kind::Text {
                fields.push((key.into_owned(), r.str()?.into_owned()));
            } else {
                r.skip()?;
            }
            if !r.more_members()? {
                break;
            }
        }
    }
    r.finish()?;
    Ok(Some(fields))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cbor::CborWriter;
    use crate::protocol::test_response;

    fn error_body(members: &[(&str, &str)]) -> Vec<u8> {
        let mut w = CborWriter::new();
        w.begin_object();
        for (k, v) in members {
            w.key(k);
            w.string(v);
        }
        w.end_object();
        w.finish()
    }

    fn response(status: u16, headers: &[(&str, &str)], body: Vec<u8>) -> HttpResponse {
        let mut r = test_response(status, headers, "");
        r.body = body.into();
        r
    }

    #[test]
    fn codes_from_type_without_namespace_else_the_status() {
        let body = error_body(&[
            ("__type", "smithy.protocoltests.rpcv2Cbor#InvalidGreeting"),
            ("Message", "Hi"),
        ]);
        let r = response(400, &[("x-amzn-requestid", "req-1")], body);
        let e = read_error(&r);
        assert_eq!(e.code(), Some("InvalidGreeting"));
        assert_eq!(e.meta.message(), Some("Hi"));
        assert_eq!(e.meta.request_id(), Some("req-1"));
        let r = response(404, &[], error_body(&[("other", "x")]));
        assert_eq!(read_error(&r).code(), Some("404"));
    }

    #[test]
    fn query_compatible_errors_take_the_header_code_and_keep_the_shape() {
        let body = error_body(&[("__type", "aws.protocoltests#CustomCodeError")]);
        let r = response(400, &[("x-amzn-query-error", "Customized;Sender")], body);
        let e = read_error(&r);
        assert_eq!(e.meta.code(), Some("Customized"));
        assert_eq!(e.meta.fault(), Some(Fault::Sender));
        assert_eq!(e.code(), Some("CustomCodeError"));
        assert_eq!(e.meta.message(), Some(""));
    }

    #[test]
    fn a_body_that_is_not_cbor_is_the_message() {
        let r = response(400, &[], b"\xff\xff".to_vec());
        let e = read_error(&r);
        assert_eq!(e.meta.code(), Some("400"));
        assert!(e.body.is_empty());
    }
}
