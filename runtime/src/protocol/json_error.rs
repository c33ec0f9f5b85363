//! Error responses of the JSON protocols (rest-json and awsJson), read as
//! botocore reads them (`BaseJSONParser._do_error_parse` and
//! `RestJSONParser._inject_error_code`); only where the code may sit
//! differs between the two.

use super::{foreign_error, generic_error, ErrorResponse};
use crate::error::ErrorMetadata;
use crate::http::HttpResponse;
use crate::json::{self, Json};

/// Reads an error response:
///
/// - the code from `X-Amzn-ErrorType`, else from the first of `code_keys`
///   in the body that holds a string, without a `namespace#` prefix or a
///   `:` suffix, else the HTTP status (`"404"`), as botocore does;
/// - the message from `message`, `Message` or `errorMessage`, empty when
///   the body has none;
/// - a body that is not JSON is the message, whole (a proxy's page, say);
///   a server error with an empty body or an HTML page says the reason
///   phrase, unless the header gives a code.
pub(crate) fn read<'a>(
    response: &'a HttpResponse,
    code_keys: &[&str],
) -> ErrorResponse<'a, Json<'a>> {
    let empty = || Json::Object(Vec::new());
    let header = header_code(response);
    if header.is_none() {
        if let Some(meta) = generic_error(response) {
            return ErrorResponse {
                meta,
                body: empty(),
                response,
            };
        }
    }
    let body = match json::parse(&response.body) {
        Ok(object @ Json::Object(_)) => object,
        Ok(_) => empty(),
        Err(_) if response.body.trim_ascii().is_empty() => empty(),
        Err(_) => {
            let mut meta = foreign_error(response, super::body_text(response));
            if let Some(code) = header {
                meta.set_code(code);
            }
            return ErrorResponse {
                meta,
                body: empty(),
                response,
            };
        }
    };
    let field = |key: &str| body.get(key).and_then(Json::as_str);
    let code = header
        .or_else(|| {
            code_keys
                .iter()
                .find_map(|key| field(key))
                .map(sanitize_error_code)
                .filter(|code| !code.is_empty())
                .map(str::to_owned)
        })
        .unwrap_or_else(|| response.status.to_string());
    let message = field("message")
        .or_else(|| field("Message"))
        .or_else(|| field("errorMessage"))
        .unwrap_or_default()
        .to_owned();
    let meta = ErrorMetadata::new(
        Some(code),
        Some(message),
        response.status,
        response.request_id().map(str::to_owned),
    )
    .with_raw(response.into());
    ErrorResponse {
        meta,
        body,
        response,
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

    const REST: &[&str] = &["code", "Code", "__type"];

    fn response(status: u16, headers: &[(&str, &str)], body: &str) -> HttpResponse {
        let headers = headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        HttpResponse::new(status, headers, body.to_string())
    }

    fn meta(status: u16, headers: &[(&str, &str)], body: &str) -> ErrorMetadata {
        read(&response(status, headers, body), REST).meta
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
    fn body_keys_in_the_protocol_s_order() {
        for (body, code) in [
            (r#"{"code":"A","Code":"B","__type":"C"}"#, "A"),
            (r#"{"Code":"B","__type":"C"}"#, "B"),
            (r#"{"__type":"ns#C"}"#, "C"),
            (r#"{"code":5,"__type":"C"}"#, "C"),
        ] {
            assert_eq!(meta(400, &[], body).code(), Some(code), "{body}");
        }
        let r = response(400, &[], r#"{"code":"A","__type":"ns#T"}"#);
        let aws_json = read(&r, &["__type", "code"]);
        assert_eq!(aws_json.meta.code(), Some("T"));
        for (body, message) in [
            (r#"{"message":"a","Message":"b","errorMessage":"c"}"#, "a"),
            (r#"{"Message":"b","errorMessage":"c"}"#, "b"),
            (r#"{"errorMessage":"c"}"#, "c"),
        ] {
            assert_eq!(meta(400, &[], body).message(), Some(message), "{body}");
        }
    }

    #[test]
    fn without_a_code_the_status_is_the_code() {
        let m = meta(404, &[], r#"{"message":"gone"}"#);
        assert_eq!((m.code(), m.message()), (Some("404"), Some("gone")));
        for body in ["[1]", "\"s\"", "{}", ""] {
            let m = meta(400, &[("x-amzn-RequestId", "r")], body);
            assert_eq!((m.code(), m.message()), (Some("400"), Some("")), "{body}");
            assert_eq!(m.request_id(), Some("r"));
        }
        let m = meta(404, &[], r#"{"__type":"NotFoundException"}"#);
        assert_eq!(
            (m.code(), m.message()),
            (Some("NotFoundException"), Some(""))
        );
    }

    #[test]
    fn server_errors_without_a_usable_body_get_the_reason_phrase() {
        for body in ["", "  \n", "<html><body>Service Unavailable</body></html>"] {
            let m = meta(503, &[("x-amzn-requestid", "r")], body);
            assert_eq!(m.message(), Some("Service Unavailable"), "{body:?}");
            assert_eq!(m.code(), Some("503"));
            assert_eq!(m.request_id(), Some("r"));
            assert!(m.raw_response().is_some());
        }
        assert_eq!(meta(599, &[], "").message(), Some(""));
        // A code in the header makes it the service's own error.
        let m = meta(500, &[("X-Amzn-Errortype", "FooError")], "");
        assert_eq!((m.code(), m.message()), (Some("FooError"), Some("")));
    }

    #[test]
    fn a_page_that_is_not_json_is_the_message_whole() {
        let page = "<!DOCTYPE html>\n<title>Not Found</title>\n<p>nothing here</p>\n";
        let m = meta(404, &[], page);
        assert_eq!((m.code(), m.message()), (Some("404"), Some(page)));
        assert_eq!(m.raw_response().map(|r| r.body()), Some(page.as_bytes()));
        let long = "x".repeat(5000);
        assert_eq!(meta(400, &[], &long).message().map(str::len), Some(5000));
        let m = meta(502, &[("x-amzn-errortype", "Gateway")], "bad gateway\n");
        assert_eq!(
            (m.code(), m.message()),
            (Some("Gateway"), Some("bad gateway\n"))
        );
    }

    #[test]
    fn the_body_is_kept_for_modeled_members() {
        let r = response(400, &[], r#"{"Reason":"r","Reason":"last"}"#);
        let e = read(&r, REST);
        assert_eq!(e.body.get("Reason").and_then(Json::as_str), Some("last"));
    }
}
