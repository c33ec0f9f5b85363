//! The `query` protocol (awsQuery, which STS, IAM, SNS and others speak):
//! requests are `POST`s of a form (`Action`, `Version`, then the input's
//! members flattened into dotted keys), responses and errors are XML.
//!
//! Keys and values are written as botocore writes them, so that a request
//! signs and reads the same whichever SDK sent it.

use super::text::WireText;
use crate::error::{SdkError, WireError};
use crate::http::HttpResponse;
use crate::timestamp::{self, TimestampFormat};
use crate::xml::{Document, Element};
use crate::DateTime;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use std::collections::HashMap;

/// The media type of a query request's body.
pub const CONTENT_TYPE: &str = "application/x-www-form-urlencoded";

/// What Python's `urlencode` leaves as it is: letters, digits and `-_.~`
/// (a space becomes `+`).
const FORM: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// The form body of a query request, written key by key in input order.
#[derive(Debug)]
pub struct QueryWriter {
    body: String,
}

impl QueryWriter {
    /// A form that starts with the operation's name and the API version.
    pub fn new(action: &str, version: &str) -> Self {
        let mut writer = QueryWriter {
            body: String::with_capacity(128),
        };
        writer.value("Action", action);
        writer.value("Version", version);
        writer
    }

    fn pair(&mut self, key: &str, value: &str) {
        if !self.body.is_empty() {
            self.body.push('&');
        }
        encode_into(&mut self.body, key);
        self.body.push('=');
        encode_into(&mut self.body, value);
    }

    /// A scalar: its text as labels and headers carry it (floats as
    /// `NaN`, `Infinity`, `-Infinity` when they are those, blobs as base64).
    pub fn value<T: WireText + ?Sized>(&mut self, key: &str, value: &T) {
        self.pair(key, &value.wire_text());
    }

    /// A timestamp in `format` (the protocol's default is ISO 8601).
    pub fn timestamp(&mut self, key: &str, value: &DateTime, format: TimestampFormat) {
        self.pair(key, &timestamp::format(value, format));
    }

    /// An empty list: the key with an empty value, so that the service
    /// sees the list set and empty.
    pub fn empty(&mut self, key: &str) {
        self.pair(key, "");
    }

    pub fn finish(self) -> Vec<u8> {
        self.body.into_bytes()
    }
}

fn encode_into(out: &mut String, text: &str) {
    for chunk in utf8_percent_encode(text, FORM) {
        if chunk == "%20" {
            out.push('+');
        } else {
            out.push_str(chunk);
        }
    }
}

/// The key of a member: `Name` at the top, `Outer.Name` inside a structure.
pub fn member(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        let mut key = String::with_capacity(prefix.len() + 1 + name.len());
        key.push_str(prefix);
        key.push('.');
        key.push_str(name);
        key
    }
}

/// The key of a list's item, counted from 1: `List.member.1` for a wrapped
/// list (`member` or the model's name), `List.1` for a flattened one.
pub fn item(list: &str, member_name: Option<&str>, index: usize) -> String {
    match member_name {
        Some(name) => format!("{list}.{name}.{}", index + 1),
        None => format!("{list}.{}", index + 1),
    }
}

/// A map's entries in the order of their keys' text: the form, and so the
/// signature, is the same every time for the same map.
pub fn entries<K, V>(map: &HashMap<K, V>, text: impl Fn(&K) -> &str) -> Vec<(&K, &V)> {
    let mut entries: Vec<(&K, &V)> = map.iter().collect();
    entries.sort_by(|a, b| text(a.0).cmp(text(b.0)));
    entries
}

pub use super::xml_error::ErrorResponse;

/// Turns a response into the operation's output or its typed error, parsing
/// the body once. `wrapper` is the element that holds the output
/// (`<GetCallerIdentityResult>`); `output` gets it, or `None` when the
/// body is empty or has no such element (every member then absent).
pub fn deserialize<O, E>(
    operation: &'static str,
    response: HttpResponse,
    wrapper: Option<&str>,
    error: fn(ErrorResponse<'_, '_>) -> E,
    output: fn(Option<Element<'_, '_>>) -> Result<O, WireError>,
) -> Result<O, SdkError<E>> {
    super::deserialize(
        operation,
        response,
        |response| {
            let document = Document::parse(&response.body).ok();
            error(read_error(response, document.as_ref()))
        },
        |response| {
            let Some(document) = Document::parse_non_empty(&response.body)? else {
                return output(None);
            };
            let root = document.root();
            let start = match wrapper {
                Some(name) => root.child(name),
                None => Some(root),
            };
            output(start)
        },
    )
}

/// Reads an error response as botocore's query parser does: the XML
/// protocols' shared reader of `<ErrorResponse>`, `<Errors>` and `<Error>`.
pub fn read_error<'a, 'i>(
    response: &'a HttpResponse,
    document: Option<&'a Document<'i>>,
) -> ErrorResponse<'a, 'i> {
    super::xml_error::read(response, document)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::test_response as response;

    #[test]
    fn forms_are_encoded_as_botocore_encodes_them() {
        let mut w = QueryWriter::new("AssumeRole", "2011-06-15");
        w.value("RoleArn", "arn:aws:iam::123456789012:role/a b");
        w.value("Tilde~", "x+y/z&=ü");
        w.empty(&item("List", Some("member"), 0));
        w.timestamp(
            "When",
            &DateTime::from_secs(1422172800),
            TimestampFormat::DateTime,
        );
        assert_eq!(
            String::from_utf8(w.finish()).unwrap(),
            "Action=AssumeRole&Version=2011-06-15\
             &RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fa+b\
             &Tilde~=x%2By%2Fz%26%3D%C3%BC&List.member.1=&When=2015-01-25T08%3A00%3A00Z"
        );
    }

    #[test]
    fn keys() {
        assert_eq!(member("", "Name"), "Name");
        assert_eq!(member("Outer.member.1", "Name"), "Outer.member.1.Name");
        assert_eq!(item("L", None, 1), "L.2");
        let map: HashMap<String, i32> = [("b".into(), 2), ("a".into(), 1)].into();
        let sorted: Vec<_> = entries(&map, String::as_str)
            .into_iter()
            .map(|(k, _)| k.as_str())
            .collect();
        assert_eq!(sorted, ["a", "b"]);
    }

    #[test]
    fn outputs_come_from_their_wrapper() {
        fn read(root: Option<Element<'_, '_>>) -> Result<Option<String>, WireError> {
            Ok(root
                .and_then(|r| r.child("Arn"))
                .map(|a| a.text().into_owned()))
        }
        fn no_error(e: ErrorResponse<'_, '_>) -> crate::error::test_types::Unhandled {
            crate::error::test_types::Unhandled::new(e.meta)
        }
        let body = "<GetCallerIdentityResponse xmlns=\"x\"><GetCallerIdentityResult><Arn>a</Arn></GetCallerIdentityResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetCallerIdentityResponse>";
        let out = deserialize(
            "Op",
            response(200, &[], body),
            Some("GetCallerIdentityResult"),
            no_error,
            read,
        );
        assert_eq!(out.unwrap(), Some("a".to_string()));
        let out = deserialize(
            "Op",
            response(200, &[], ""),
            Some("GetCallerIdentityResult"),
            no_error,
            read,
        );
        assert_eq!(out.unwrap(), None);
        let err =
            deserialize("Op", response(200, &[], "<oops"), Some("X"), no_error, read).unwrap_err();
        assert!(err.to_string().contains("not well-formed XML"), "{err}");
    }
}
