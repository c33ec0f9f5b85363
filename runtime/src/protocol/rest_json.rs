//! The `rest-json` protocol's framing: JSON bodies, and error responses
//! read the way botocore reads them.

use crate::error::{ErrorMetadata, ResponseError, SdkError};
use crate::http::HttpResponse;
use crate::json::{self, Json, JsonError};

/// The media type of JSON bodies.
pub const CONTENT_TYPE: &str = "application/json";

/// Turns a response into the operation's output or its typed error, reading
/// the body once. `error` types an error response from what
/// [`ErrorResponse::read`] found; `output` reads a success (headers, status,
/// body). A body that does not fit the output is a
/// [`SdkError::Response`] naming the member at fault.
pub fn deserialize<O, E>(
    operation: &'static str,
    mut response: HttpResponse,
    error: fn(ErrorResponse<'_>) -> E,
    output: fn(&mut HttpResponse) -> Result<O, JsonError>,
) -> Result<O, SdkError<E>> {
    if !response.is_success() {
        let source = error(ErrorResponse::read(&response));
        return Err(SdkError::Service { operation, source });
    }
    output(&mut response).map_err(|cause| SdkError::Response {
        operation,
        source: ResponseError::from_response(&response, cause),
    })
}

/// The body as JSON, or `None` for an empty (or all-whitespace) body.
pub fn body(response: &HttpResponse) -> Result<Option<Json<'_>>, JsonError> {
    if response.body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    json::parse(&response.body).map(Some)
}

/// An error response, read once: the metadata the retry policy and the
/// caller see, and the body from which modeled members are read.
#[derive(Debug)]
pub struct ErrorResponse<'a> {
    pub meta: ErrorMetadata,
    /// The body's object; empty when the body is empty or not a JSON object.
    pub body: Json<'a>,
    pub response: &'a HttpResponse,
}

impl<'a> ErrorResponse<'a> {
    /// Reads an error response as botocore does:
    ///
    /// - the code from `X-Amzn-ErrorType`, then the body's `code` or `Code`,
    ///   then its `__type`, without a `namespace#` prefix or `:` suffix;
    /// - the message from `message`, `Message` or `errorMessage`, and empty
    ///   when the body has none;
    /// - a server error with no code and no usable body (empty, or an HTML
    ///   page from something in between) gets the HTTP reason phrase as its
    ///   message; any other body that is not JSON is the message itself.
    pub fn read(response: &'a HttpResponse) -> Self {
        let status = response.status;
        let request_id = response.request_id().map(str::to_owned);
        let text = response.body.trim_ascii();
        let empty = Json::Object(Vec::new());
        let code = header_code(response);
        if code.is_none() && super::unreadable_server_error(status, text) {
            let reason = super::reason_phrase(status);
            return ErrorResponse {
                meta: ErrorMetadata::new(None, Some(reason), status, request_id)
                    .with_raw(response.into()),
                body: empty,
                response,
            };
        }
        let (body, not_json) = match json::parse(&response.body) {
            Ok(object @ Json::Object(_)) => (object, None),
            Ok(_) => (empty, None),
            Err(_) if text.is_empty() => (empty, None),
            Err(_) => (empty, Some(super::body_text(text))),
        };
        let field = |key: &str| body.get(key).and_then(Json::as_str);
        let code = code.or_else(|| {
            field("code")
                .or_else(|| field("Code"))
                .or_else(|| field("__type"))
                .map(sanitize_error_code)
                .filter(|code| !code.is_empty())
                .map(str::to_owned)
        });
        let message = field("message")
            .or_else(|| field("Message"))
            .or_else(|| field("errorMessage"))
            .map(str::to_owned)
            .or(not_json)
            .unwrap_or_default();
        ErrorResponse {
            meta: ErrorMetadata::new(code, Some(message), status, request_id)
                .with_raw(response.into()),
            body,
            response,
        }
    }

    /// The code the error is typed by.
    pub fn code(&self) -> Option<&str> {
        self.meta.code()
    }
}

fn header_code(response: &HttpResponse) -> Option<String> {
    response
        .header("x-amzn-errortype")
        .map(sanitize_error_code)
        .filter(|code| !code.is_empty())
        .map(str::to_owned)
}

/// `aws.chime#NotFoundException:http://internal.amazon.com/...` becomes
/// `NotFoundException`.
pub fn sanitize_error_code(raw: &str) -> &str {
    let code = raw.split_once(':').map_or(raw, |(code, _)| code);
    let code = code.rsplit_once('#').map_or(code, |(_, code)| code);
    code.trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, headers: &[(&str, &str)], body: &str) -> HttpResponse {
        let headers = headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        HttpResponse::new(status, headers, body.to_string())
    }

    fn meta(status: u16, headers: &[(&str, &str)], body: &str) -> ErrorMetadata {
        ErrorResponse::read(&response(status, headers, body)).meta
    }

    #[test]
    fn codes_are_sanitized() {
        assert_eq!(sanitize_error_code("FooError"), "FooError");
        assert_eq!(
            sanitize_error_code("FooError:http://internal.amazon.com/coral/"),
            "FooError"
        );
        assert_eq!(
            sanitize_error_code("aws.protocoltests.restjson#FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/"),
            "FooError"
        );
    }

    #[test]
    fn header_wins_over_the_body() {
        let m = meta(
            404,
            &[
                ("X-AMZN-ERRORTYPE", "HeaderCode:http://x"),
                ("x-amzn-requestid", "r1"),
            ],
            r#"{"code":"BodyCode","message":"m"}"#,
        );
        assert_eq!(m.code(), Some("HeaderCode"));
        assert_eq!(m.message(), Some("m"));
        assert_eq!(m.request_id(), Some("r1"));
        assert_eq!(m.status(), 404);
    }

    #[test]
    fn body_placements_in_order() {
        for (body, code) in [
            (r#"{"code":"A","Code":"B","__type":"C"}"#, "A"),
            (r#"{"Code":"B","__type":"C"}"#, "B"),
            (r#"{"__type":"ns#C"}"#, "C"),
        ] {
            assert_eq!(meta(400, &[], body).code(), Some(code), "{body}");
        }
        for (body, message) in [
            (r#"{"message":"a","Message":"b","errorMessage":"c"}"#, "a"),
            (r#"{"Message":"b","errorMessage":"c"}"#, "b"),
            (r#"{"errorMessage":"c"}"#, "c"),
        ] {
            assert_eq!(meta(400, &[], body).message(), Some(message), "{body}");
        }
    }

    #[test]
    fn a_code_without_a_message_has_an_empty_message() {
        let m = meta(404, &[], r#"{"__type":"NotFoundException"}"#);
        assert_eq!(m.code(), Some("NotFoundException"));
        assert_eq!(m.message(), Some(""));
    }

    #[test]
    fn server_errors_without_a_usable_body_get_the_reason_phrase() {
        for body in ["", "  \n", "<html><body>Service Unavailable</body></html>"] {
            let m = meta(503, &[("x-amzn-requestid", "r")], body);
            assert_eq!(m.message(), Some("Service Unavailable"), "{body:?}");
            assert_eq!(m.code(), None);
            assert_eq!(m.request_id(), Some("r"));
        }
        assert_eq!(meta(500, &[], "").message(), Some("Internal Server Error"));
        assert_eq!(meta(599, &[], "").message(), Some(""));
        // A code in the header makes it the service's own error.
        let m = meta(500, &[("X-Amzn-Errortype", "FooError")], "");
        assert_eq!((m.code(), m.message()), (Some("FooError"), Some("")));
    }

    #[test]
    fn other_bodies_that_are_not_json_are_the_message() {
        assert_eq!(
            meta(400, &[], "<html>Bad</html>\n").message(),
            Some("<html>Bad</html>")
        );
        assert_eq!(
            meta(400, &[], &"x".repeat(2000)).message().map(str::len),
            Some(515)
        );
        assert_eq!(meta(400, &[], "").message(), Some(""));
        for body in ["[1]", "\"s\"", "{\"code\": 5}"] {
            let m = meta(400, &[("x-amzn-RequestId", "r")], body);
            assert_eq!(m.code(), None, "{body}");
            assert_eq!(m.message(), Some(""), "{body}");
            assert_eq!(m.request_id(), Some("r"));
        }
    }

    #[test]
    fn the_body_is_kept_for_modeled_members() {
        let r = response(400, &[], r#"{"Reason":"r","Reason":"last"}"#);
        let e = ErrorResponse::read(&r);
        assert_eq!(e.body.get("Reason").and_then(Json::as_str), Some("last"));
    }
}
