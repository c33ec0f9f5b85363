//! Reads the error code, message and request id of a JSON protocol error.
//!
//! Services put the code in different places, and sometimes decorate it:
//! the `X-Amzn-ErrorType` header first, then the body's `code` or `Code`,
//! then its `__type`; a `:`-suffix (`Foo:http://internal...`) and a
//! `namespace#` prefix (`aws.chime#Foo`) are not part of the code.

use crate::error::ErrorMetadata;
use crate::http::HttpResponse;
use serde_json::{Map, Value};

/// The metadata of an error response. Never fails: a body that is not JSON
/// yields what the headers and status say.
pub fn error_metadata(response: &HttpResponse) -> ErrorMetadata {
    let body = match serde_json::from_slice::<Value>(&response.body) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    };
    let string = |key: &str| body.get(key).and_then(Value::as_str);
    let code = response
        .header("x-amzn-errortype")
        .or_else(|| string("code"))
        .or_else(|| string("Code"))
        .or_else(|| string("__type"))
        .map(sanitize_error_code)
        .filter(|code| !code.is_empty())
        .map(str::to_owned);
    let message = string("message")
        .or_else(|| string("Message"))
        .or_else(|| string("errorMessage"))
        .map(str::to_owned)
        .or_else(|| body_text(response));
    ErrorMetadata::new(
        code,
        message,
        response.status,
        response.request_id().map(str::to_owned),
    )
}

/// The text of a body that is not JSON (a proxy's or load balancer's HTML
/// page, say), as botocore reports it: capped, since it goes into messages.
fn body_text(response: &HttpResponse) -> Option<String> {
    const MAX: usize = 512;
    if serde_json::from_slice::<Value>(&response.body).is_ok() {
        return None;
    }
    let text = String::from_utf8_lossy(&response.body);
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    Some(match text.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text.to_string(),
    })
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

    fn response(headers: &[(&str, &str)], body: &str) -> HttpResponse {
        let headers = headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        HttpResponse::new(404, headers, body)
    }

    #[test]
    fn codes_are_sanitized() {
        assert_eq!(sanitize_error_code("FooError"), "FooError");
        assert_eq!(
            sanitize_error_code("FooError:http://internal.amazon.com/coral/"),
            "FooError"
        );
        assert_eq!(
            sanitize_error_code("aws.protocoltests.restjson#FooError"),
            "FooError"
        );
        assert_eq!(
            sanitize_error_code("aws.protocoltests.restjson#FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/"),
            "FooError"
        );
    }

    #[test]
    fn header_wins_over_the_body() {
        let meta = error_metadata(&response(
            &[
                ("X-AMZN-ERRORTYPE", "HeaderCode:http://x"),
                ("x-amzn-requestid", "r1"),
            ],
            r#"{"code":"BodyCode","message":"m"}"#,
        ));
        assert_eq!(meta.code(), Some("HeaderCode"));
        assert_eq!(meta.message(), Some("m"));
        assert_eq!(meta.request_id(), Some("r1"));
        assert_eq!(meta.status(), 404);
    }

    #[test]
    fn body_placements_in_order() {
        let cases = [
            (r#"{"code":"A","Code":"B","__type":"C"}"#, "A"),
            (r#"{"Code":"B","__type":"C"}"#, "B"),
            (r#"{"__type":"ns#C"}"#, "C"),
        ];
        for (body, code) in cases {
            assert_eq!(
                error_metadata(&response(&[], body)).code(),
                Some(code),
                "{body}"
            );
        }
    }

    #[test]
    fn message_placements_in_order() {
        let cases = [
            (r#"{"message":"a","Message":"b","errorMessage":"c"}"#, "a"),
            (r#"{"Message":"b","errorMessage":"c"}"#, "b"),
            (r#"{"errorMessage":"c"}"#, "c"),
        ];
        for (body, message) in cases {
            assert_eq!(
                error_metadata(&response(&[], body)).message(),
                Some(message),
                "{body}"
            );
        }
    }

    #[test]
    fn a_body_that_is_not_json_is_the_message() {
        let meta = error_metadata(&response(&[], "<html>Bad Gateway</html>\n"));
        assert_eq!(meta.message(), Some("<html>Bad Gateway</html>"));
        let long = "x".repeat(2000);
        let meta = error_metadata(&response(&[], &long));
        assert_eq!(meta.message().map(str::len), Some(515));
        assert_eq!(error_metadata(&response(&[], "  ")).message(), None);
        assert_eq!(error_metadata(&response(&[], "[1]")).message(), None);
    }

    #[test]
    fn bodies_that_are_not_json_objects_give_what_the_headers_say() {
        for body in ["", "<html>", "[1]", "\"s\"", "{\"code\": 5}", "\u{0}"] {
            let meta = error_metadata(&response(&[("x-amzn-RequestId", "r")], body));
            assert_eq!(meta.code(), None, "{body:?}");
            assert_eq!(meta.request_id(), Some("r"));
        }
    }
}
