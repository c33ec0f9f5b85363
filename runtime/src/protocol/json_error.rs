//! Error responses of the JSON protocols (rest-json and awsJson), read as
//! botocore reads them (`BaseJSONParser._do_error_parse` and
//! `RestJSONParser._inject_error_code`); only where the code may sit
//! differs between the two.

use super::{foreign_error, generic_error, ErrorResponse};
use crate::error::{ErrorMetadata, WireError};
use crate::http::HttpResponse;
use crate::json::{Kind, Reader};
use std::borrow::Cow;

/// Where the message may sit, in botocore's order (`errorMessage` is
/// Lambda's).
const MESSAGE_KEYS: &[&str] = &["message", "Message", "errorMessage"];

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
///
/// The body (`&[u8]`) is kept for the error shape's modeled members when it
/// is a JSON object, and empty otherwise.
pub(crate) fn read<'a>(
    response: &'a HttpResponse,
    code_keys: &[&str],
) -> ErrorResponse<'a, &'a [u8]> {
    let header = header_code(response);
    if header.is_none() {
        if let Some(meta) = generic_error(response) {
            return ErrorResponse {
                meta,
                body: &[],
                response,
                shape_code: None,
            };
        }
    }
    let bytes: &'a [u8] = &response.body;
    let (fields, body) = if bytes.trim_ascii().is_empty() {
        (Vec::new(), &[][..])
    } else {
        match top_level_strings(bytes, code_keys) {
            Ok(Some(fields)) => (fields, bytes),
            Ok(None) => (Vec::new(), &[][..]),
            Err(_) => {
                let mut meta = foreign_error(response, super::body_text(response));
                if let Some(code) = header {
                    meta.set_code(code);
                }
                return ErrorResponse {
                    meta,
                    body: &[],
                    response,
                    shape_code: None,
                };
            }
        }
    };
    // Of a repeated key, the last wins, as in botocore's dict.
    let field = |key: &str| {
        fields
            .iter()
            .rev()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.as_ref())
    };
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
    let message = MESSAGE_KEYS
        .iter()
        .find_map(|key| field(key))
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
        shape_code: None,
    }
}

/// Members of an error body, by the key they were found under.
type Fields<'a, 'k> = Vec<(&'k str, Cow<'a, str>)>;

/// The string members of a JSON object named in `code_keys` or
/// [`MESSAGE_KEYS`], in document order; `None` for a document that is JSON
/// but not an object; an error for one that is not JSON.
fn top_level_strings<'a, 'k>(
    bytes: &'a [u8],
    code_keys: &[&'k str],
) -> Result<Option<Fields<'a, 'k>>, WireError> {
    let mut r = Reader::new(bytes);
    if r.kind()? != Kind::Object {
        r.skip()?;
        r.finish()?;
        return Ok(None);
    }
    let mut fields = Vec::new();
    if r.enter_object()? {
        loop {
            let key = r.key()?;
            let wanted = code_keys
                .iter()
                .chain(MESSAGE_KEYS)
                .find(|k| **k == key.as_ref());
            match wanted {
                Some(k) if r.kind()? == Kind::String => fields.push((*k, r.str()?)),
                _ => r.skip()?,
            }
            if !r.more_members()? {
                break;
            }
        }
    }
    r.finish()?;
    Ok(Some(fields))
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
    use crate::protocol::test_response as response;

    const REST: &[&str] = &["code", "Code", "__type"];

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
    fn the_body_is_kept_for_modeled_members_when_it_is_an_object() {
        let r = response(400, &[], r#"{"Reason":"r","Reason":"last"}"#);
        let mut reason = None;
        crate::json::object_lenient(read(&r, REST).body, |key, r| {
            if key == "Reason" {
                reason = Some(crate::json::string(r)?);
            }
            Ok(())
        });
        assert_eq!(reason.as_deref(), Some("last"));
        for body in ["[1]", "not json", ""] {
            assert!(read(&response(400, &[], body), REST).body.is_empty());
        }
        let m = meta(400, &[], r#"{"message":"first","message":"last"}"#);
        assert_eq!(m.message(), Some("last"));
    }
}
