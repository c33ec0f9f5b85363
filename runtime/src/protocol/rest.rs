//! The HTTP bindings of the REST protocols (`rest-json`, and `rest-xml`
//! later): labels, query strings, headers, prefix headers, host prefixes and
//! payloads on the way out; headers, prefix headers and the status on the
//! way back. Generated serializers make one call per bound member.

use super::text::{FromWireText, WireText};
use crate::body::ByteStream;
use crate::error::{BuildError, WireError};
use crate::http::{HttpRequest, HttpResponse, RequestBody};
use crate::timestamp::{self, TimestampFormat};
use crate::uri::PathBuilder;
use crate::DateTime;
use bytes::Bytes;
use std::collections::HashMap;
use std::hash::Hash;

/// A request being built from an operation's input.
#[derive(Debug)]
pub struct RequestBuilder {
    method: &'static str,
    path: PathBuilder,
    /// Query names set by members: a query map's entry of the same name
    /// does not override them.
    explicit_query: Vec<String>,
    headers: Vec<(String, String)>,
    host_prefix: Option<String>,
    body: RequestBody,
}

impl RequestBuilder {
    pub fn new(method: &'static str) -> Self {
        RequestBuilder {
            method,
            path: PathBuilder::new(),
            explicit_query: Vec::new(),
            headers: Vec::new(),
            host_prefix: None,
            body: RequestBody::Empty,
        }
    }

    /// A literal part of the path template.
    pub fn literal(&mut self, text: &str) {
        self.path.literal(text);
    }

    /// A path label; a missing or empty value fails before anything is sent.
    pub fn label<T: WireText + ?Sized>(
        &mut self,
        member: &'static str,
        value: Option<&T>,
        greedy: bool,
    ) -> Result<(), BuildError> {
        let text = value.map(WireText::wire_text);
        self.path.label(member, text.as_deref(), greedy)?;
        Ok(())
    }

    /// A greedy path label whose `.` and `..` segments are sent as they
    /// are: the service reads and signs its path as sent (S3's keys).
    pub fn greedy_label_with_dot_segments<T: WireText + ?Sized>(
        &mut self,
        member: &'static str,
        value: Option<&T>,
    ) -> Result<(), BuildError> {
        let text = value.map(WireText::wire_text);
        self.path
            .greedy_label_with_dot_segments(member, text.as_deref())?;
        Ok(())
    }

    /// A timestamp label, in `format`.
    pub fn label_timestamp(
        &mut self,
        member: &'static str,
        value: Option<&DateTime>,
        format: TimestampFormat,
    ) -> Result<(), BuildError> {
        let text = value.map(|v| timestamp::format(v, format));
        self.path.label(member, text.as_deref(), false)?;
        Ok(())
    }

    /// Query text written in the model's `requestUri`, as it is.
    pub fn query_literal(&mut self, text: &str) {
        self.path.query_literal(text);
    }

    fn query_pair(&mut self, name: &str, value: &str) {
        self.path.query(name, value);
        if !self.explicit_query.iter().any(|n| n == name) {
            self.explicit_query.push(name.to_string());
        }
    }

    pub fn query<T: WireText + ?Sized>(&mut self, name: &str, value: Option<&T>) {
        if let Some(value) = value {
            self.query_pair(name, &value.wire_text());
        }
    }

    /// One parameter per element; an empty list adds nothing.
    pub fn query_list<T: WireText>(&mut self, name: &str, value: Option<&[T]>) {
        for item in value.into_iter().flatten() {
            self.query_pair(name, &item.wire_text());
        }
    }

    pub fn query_timestamp(
        &mut self,
        name: &str,
        value: Option<&DateTime>,
        format: TimestampFormat,
    ) {
        if let Some(value) = value {
            self.query_pair(name, &timestamp::format(value, format));
        }
    }

    pub fn query_timestamp_list(
        &mut self,
        name: &str,
        value: Option<&[DateTime]>,
        format: TimestampFormat,
    ) {
        for item in value.into_iter().flatten() {
            self.query_pair(name, &timestamp::format(item, format));
        }
    }

    /// A map bound to the query string: one parameter per entry, after the
    /// members' own parameters, which win over an entry of the same name.
    /// Entries go in key order, so that the same input gives the same URI.
    pub fn query_map<K: WireText + Eq + Hash, V: WireText>(
        &mut self,
        value: Option<&HashMap<K, V>>,
    ) {
        let Some(map) = value else { return };
        let mut entries: Vec<_> = map.iter().map(|(k, v)| (k.wire_text(), v)).collect();
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        for (key, value) in entries {
            if !self.explicit_query.iter().any(|n| *n == key) {
                self.path.query(&key, &value.wire_text());
            }
        }
    }

    /// As [`query_map`](Self::query_map), with a list of values per key.
    pub fn query_map_of_lists<K: WireText + Eq + Hash, V: WireText>(
        &mut self,
        value: Option<&HashMap<K, Vec<V>>>,
    ) {
        let Some(map) = value else { return };
        let mut entries: Vec<_> = map.iter().map(|(k, v)| (k.wire_text(), v)).collect();
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        for (key, values) in entries {
            if !self.explicit_query.iter().any(|n| *n == key) {
                for value in values {
                    self.path.query(&key, &value.wire_text());
                }
            }
        }
    }

    fn push_header(
        &mut self,
        member: &'static str,
        name: &str,
        value: String,
    ) -> Result<(), BuildError> {
        check_header_value(member, &value)?;
        self.headers.push((name.to_string(), value));
        Ok(())
    }

    /// A header member; an empty string is sent as an empty header.
    pub fn header<T: WireText + ?Sized>(
        &mut self,
        member: &'static str,
        name: &str,
        value: Option<&T>,
    ) -> Result<(), BuildError> {
        match value {
            Some(value) => self.push_header(member, name, value.wire_text().into_owned()),
            None => Ok(()),
        }
    }

    /// A list in one header: `a, b, c`, with an item quoted when it holds
    /// a comma or a quote.
    pub fn header_list<T: WireText>(
        &mut self,
        member: &'static str,
        name: &str,
        value: Option<&[T]>,
    ) -> Result<(), BuildError> {
        let Some(items) = value else { return Ok(()) };
        let texts: Vec<String> = items
            .iter()
            .map(|item| {
                let text = item.wire_text();
                if T::QUOTED_IN_HEADER_LISTS {
                    quote_list_item(&text)
                } else {
                    text.into_owned()
                }
            })
            .collect();
        self.push_header(member, name, texts.join(", "))
    }

    pub fn header_timestamp(
        &mut self,
        member: &'static str,
        name: &str,
        value: Option<&DateTime>,
        format: TimestampFormat,
    ) -> Result<(), BuildError> {
        match value {
            Some(value) => self.push_header(member, name, timestamp::format(value, format)),
            None => Ok(()),
        }
    }

    /// Timestamps in one header, never quoted: an HTTP-date's own comma is
    /// told apart by position when the list is read back.
    pub fn header_timestamp_list(
        &mut self,
        member: &'static str,
        name: &str,
        value: Option<&[DateTime]>,
        format: TimestampFormat,
    ) -> Result<(), BuildError> {
        let Some(items) = value else { return Ok(()) };
        let texts: Vec<String> = items.iter().map(|t| timestamp::format(t, format)).collect();
        self.push_header(member, name, texts.join(", "))
    }

    /// A `jsonvalue` header: the JSON text, base64-encoded.
    pub fn header_json_value(
        &mut self,
        member: &'static str,
        name: &str,
        value: Option<&str>,
    ) -> Result<(), BuildError> {
        match value {
            Some(json) => self.push_header(member, name, crate::blob::to_base64(json.as_bytes())),
            None => Ok(()),
        }
    }

    /// A map bound to headers: one header per entry, named prefix + key.
    pub fn prefix_headers<V: WireText>(
        &mut self,
        member: &'static str,
        prefix: &str,
        value: Option<&HashMap<String, V>>,
    ) -> Result<(), BuildError> {
        let Some(map) = value else { return Ok(()) };
        let mut entries: Vec<_> = map.iter().collect();
        entries.sort_by(|a, b| a.0.cmp(b.0));
        for (key, value) in entries {
            let name = format!("{prefix}{key}");
            if !is_token(&name) {
                return Err(BuildError::invalid(
                    member,
                    format!("{name:?} is not a valid header name"),
                ));
            }
            self.push_header(member, &name, value.wire_text().into_owned())?;
        }
        Ok(())
    }

    /// Literal text of the operation's host prefix (`data.`).
    pub fn host_prefix_literal(&mut self, text: &str) {
        self.host_prefix
            .get_or_insert_with(String::new)
            .push_str(text);
    }

    /// A label of the host prefix: it must be one DNS label, so that no
    /// value can send the request to another host.
    pub fn host_label(
        &mut self,
        member: &'static str,
        value: Option<&str>,
    ) -> Result<(), BuildError> {
        let value = value.ok_or_else(|| BuildError::missing(member))?;
        if !is_host_label(value) {
            return Err(BuildError::invalid(
                member,
                "a host label must be 1 to 63 letters, digits or hyphens, not starting or ending with a hyphen",
            ));
        }
        self.host_prefix_literal(value);
        Ok(())
    }

    fn has_header(&self, name: &str) -> bool {
        self.headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case(name))
    }

    fn content_type(&mut self, content_type: &str) {
        if !self.has_header("content-type") {
            self.headers
                .push(("Content-Type".into(), content_type.into()));
        }
    }

    /// A JSON document as the body.
    pub fn json_body(&mut self, bytes: Vec<u8>, content_type: &str) {
        self.content_type(content_type);
        self.body = RequestBody::Bytes(Bytes::from(bytes));
    }

    /// A payload held in memory (a blob or a string), with its content type
    /// unless a member already set one.
    pub fn payload(&mut self, bytes: impl Into<Bytes>, content_type: &str) {
        self.content_type(content_type);
        self.body = RequestBody::Bytes(bytes.into());
    }

    /// An input event stream as the body; `None` when the caller gave no
    /// events (or they were sent already): the stream ends at once.
    pub fn event_stream(&mut self, messages: Option<crate::event_stream::MessageStream>) {
        self.content_type(crate::event_stream::CONTENT_TYPE);
        self.body = RequestBody::Events(std::sync::Mutex::new(messages));
    }

    /// A streaming payload. A response body cannot be sent again: read it
    /// into memory first.
    pub fn stream_payload(
        &mut self,
        member: &'static str,
        stream: &ByteStream,
        content_type: &str,
    ) -> Result<(), BuildError> {
        let copy = stream.share().ok_or_else(|| {
            BuildError::invalid(
                member,
                "a stream read from a response cannot be sent; collect it into bytes first",
            )
        })?;
        self.content_type(content_type);
        self.body = RequestBody::Stream(copy);
        Ok(())
    }

    /// `Content-MD5` of the body, for operations that require a checksum
    /// (the generated crate turns the `md5` feature on for them).
    #[cfg(feature = "md5")]
    pub fn content_md5(&mut self, member: &'static str) -> Result<(), BuildError> {
        use base64::Engine;
        use md5::{Digest, Md5};
        let bytes = self.body.bytes().ok_or_else(|| {
            BuildError::invalid(
                member,
                "a checksum is required, and a file body cannot be hashed before sending",
            )
        })?;
        let digest = Md5::digest(bytes);
        let value = base64::engine::general_purpose::STANDARD.encode(digest);
        self.headers.push(("Content-MD5".into(), value));
        Ok(())
    }

    pub fn finish(self) -> HttpRequest {
        HttpRequest {
            method: self.method,
            path_and_query: self.path.finish(),
            headers: self.headers,
            body: self.body,
            host_prefix: self.host_prefix,
        }
    }
}

/// Printable ASCII and tabs only: anything else could split the header or
/// be rejected on the way.
fn check_header_value(member: &'static str, value: &str) -> Result<(), BuildError> {
    if value
        .bytes()
        .all(|b| b == b'\t' || (b' '..=b'~').contains(&b))
    {
        Ok(())
    } else {
        Err(BuildError::invalid(
            member,
            "a header value must be printable ASCII (no line breaks or control characters)",
        ))
    }
}

/// An HTTP token, as header names must be.
fn is_token(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// One DNS label: 1 to 63 letters, digits and hyphens, no hyphen at the ends.
pub fn is_host_label(value: &str) -> bool {
    (1..=63).contains(&value.len())
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !value.starts_with('-')
        && !value.ends_with('-')
}

/// An item of a header list, quoted when it holds a comma, a quote or
/// surrounding space.
fn quote_list_item(text: &str) -> String {
    if text.contains([',', '"']) || text.trim() != text {
        format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        text.to_string()
    }
}

/// Splits a header list at its commas, honouring quoted items (and their
/// backslash escapes). An empty header is an empty list.
pub fn split_header_list(text: &str) -> Result<Vec<String>, WireError> {
    let mut items = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.next_if(|c| *c == ' ' || *c == '\t').is_some() {}
        if chars.peek().is_none() {
            break;
        }
        let mut item = String::new();
        if chars.next_if_eq(&'"').is_some() {
            loop {
                match chars.next() {
                    Some('\\') => item.extend(chars.next()),
                    Some('"') => break,
                    Some(c) => item.push(c),
                    None => return Err(WireError::new("a quoted item of the list is not closed")),
                }
            }
            while chars.next_if(|c| *c == ' ' || *c == '\t').is_some() {}
            match chars.next() {
                None | Some(',') => {}
                Some(c) => {
                    return Err(WireError::new(format!(
                        "unexpected {c:?} after a quoted item"
                    )))
                }
            }
        } else {
            for c in chars.by_ref() {
                if c == ',' {
                    break;
                }
                item.push(c);
            }
            item.truncate(item.trim_end().len());
        }
        items.push(item);
    }
    Ok(items)
}

/// A header member of a response; absent when the header is.
pub fn header<T: FromWireText>(
    response: &HttpResponse,
    name: &str,
) -> Result<Option<T>, WireError> {
    response
        .header(name)
        .map(|v| T::from_wire_text(v).map_err(|e| e.at(&format!("header {name}"))))
        .transpose()
}

/// A list in a header (several header lines are one list).
pub fn header_list<T: FromWireText>(
    response: &HttpResponse,
    name: &str,
) -> Result<Option<Vec<T>>, WireError> {
    let at = |e: WireError| e.at(&format!("header {name}"));
    let Some(text) = response.header_list(name) else {
        return Ok(None);
    };
    let items = split_header_list(&text).map_err(at)?;
    items
        .iter()
        .map(|item| T::from_wire_text(item).map_err(at))
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

/// A timestamp header, in whatever form it comes.
pub fn header_timestamp(
    response: &HttpResponse,
    name: &str,
) -> Result<Option<DateTime>, WireError> {
    response
        .header(name)
        .map(|v| {
            timestamp::parse(v)
                .map_err(|e| WireError::new(e.to_string()).at(&format!("header {name}")))
        })
        .transpose()
}

/// Timestamps in one header: HTTP-dates hold a comma each, so in that
/// format the items are every second comma apart.
pub fn header_timestamp_list(
    response: &HttpResponse,
    name: &str,
    format: TimestampFormat,
) -> Result<Option<Vec<DateTime>>, WireError> {
    let at = |e: WireError| e.at(&format!("header {name}"));
    let Some(text) = response.header_list(name) else {
        return Ok(None);
    };
    let parts: Vec<&str> = text
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let items: Vec<String> = match format {
        TimestampFormat::HttpDate => parts.chunks(2).map(|pair| pair.join(", ")).collect(),
        _ => parts.iter().map(|p| p.to_string()).collect(),
    };
    items
        .iter()
        .map(|item| timestamp::parse(item).map_err(|e| at(WireError::new(e.to_string()))))
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

/// A `jsonvalue` header: base64 of JSON text, given back as the text.
pub fn header_json_value(response: &HttpResponse, name: &str) -> Result<Option<String>, WireError> {
    let at = |e: WireError| e.at(&format!("header {name}"));
    let Some(text) = response.header(name) else {
        return Ok(None);
    };
    let bytes = crate::blob::from_base64(text.trim())
        .map_err(|e| at(WireError::new(format!("not base64: {e}"))))?;
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| at(WireError::new("the decoded value is not UTF-8 text")))
}

/// A blob payload: the body's bytes; absent when the body is empty.
pub fn blob_payload(response: &HttpResponse) -> Option<crate::Blob> {
    (!response.body.is_empty()).then(|| crate::Blob::new(response.body.to_vec()))
}

/// A string payload: the body as UTF-8 text; absent when the body is empty.
pub fn text_payload(response: &HttpResponse) -> Result<Option<String>, WireError> {
    if response.body.is_empty() {
        return Ok(None);
    }
    String::from_utf8(response.body.to_vec())
        .map(Some)
        .map_err(|_| WireError::new("the body is not UTF-8 text"))
}

/// Every header whose name starts with `prefix` (without regard to case),
/// keyed by the rest of its name; an empty map when none does, as botocore
/// reads it (S3's user metadata is `{}`, not absent).
pub fn prefix_headers<V: FromWireText>(
    response: &HttpResponse,
    prefix: &str,
) -> Result<Option<HashMap<String, V>>, WireError> {
    let mut map = HashMap::new();
    for (name, value) in response.headers() {
        let matches = name.len() >= prefix.len()
            && name.is_char_boundary(prefix.len())
            && name[..prefix.len()].eq_ignore_ascii_case(prefix);
        if matches {
            let value = V::from_wire_text(value).map_err(|e| e.at(&format!("header {name}")))?;
            map.insert(name[prefix.len()..].to_string(), value);
        }
    }
    Ok(Some(map))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(headers: &[(&str, &str)]) -> HttpResponse {
        let headers = headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        HttpResponse::new(200, headers, "")
    }

    #[test]
    fn header_lists_quote_what_needs_it_and_read_back() {
        let mut b = RequestBuilder::new("POST");
        let items = vec!["b,c".to_string(), "\"def\"".to_string(), "a".to_string()];
        b.header_list("L", "X-List", Some(&items[..])).unwrap();
        b.header_list("N", "X-Ints", Some(&[1, 2, 3][..])).unwrap();
        b.header_list("E", "X-Empty", Some(&Vec::<String>::new()[..]))
            .unwrap();
        let req = b.finish();
        assert_eq!(req.header("x-list"), Some(r#""b,c", "\"def\"", a"#));
        assert_eq!(req.header("x-ints"), Some("1, 2, 3"));
        assert_eq!(req.header("x-empty"), Some(""));
        assert_eq!(split_header_list(r#""b,c", "\"def\"", a"#).unwrap(), items);
        assert_eq!(split_header_list("a, b ,c").unwrap(), ["a", "b", "c"]);
        assert!(split_header_list("").unwrap().is_empty());
        assert!(split_header_list("\"open").is_err());
    }

    #[test]
    fn timestamp_lists_in_http_date_split_by_pairs() {
        let r = response(&[(
            "X-T",
            "Mon, 16 Dec 2019 23:48:18 GMT, Mon, 16 Dec 2019 23:48:19 GMT",
        )]);
        let list = header_timestamp_list(&r, "x-t", TimestampFormat::HttpDate)
            .unwrap()
            .unwrap();
        assert_eq!(list[1].secs(), 1576540099);
        let r = response(&[("X-T", "2019-12-16T23:48:18Z,2019-12-16T23:48:19Z")]);
        let list = header_timestamp_list(&r, "x-t", TimestampFormat::DateTime)
            .unwrap()
            .unwrap();
        assert_eq!(list.len(), 2);
    }

    #[test]
    fn header_values_that_could_split_a_request_are_refused() {
        let mut b = RequestBuilder::new("GET");
        let err = b
            .header("Name", "X-Name", Some("a\r\nInjected: 1"))
            .unwrap_err();
        assert!(err.to_string().contains("printable ASCII"), "{err}");
        let mut map = HashMap::new();
        map.insert("bad name".to_string(), "v".to_string());
        assert!(b.prefix_headers("Meta", "x-meta-", Some(&map)).is_err());
    }

    #[test]
    fn host_labels_are_one_dns_label() {
        for good in ["a", "bar", "a-b", "A1"] {
            assert!(is_host_label(good), "{good}");
        }
        for bad in ["", "-a", "a-", "a.b", "a/b", "é", &"a".repeat(64)] {
            assert!(!is_host_label(bad), "{bad}");
        }
        let mut b = RequestBuilder::new("POST");
        b.host_prefix_literal("foo.");
        b.host_label("Label", Some("bar")).unwrap();
        b.host_prefix_literal(".");
        assert_eq!(b.finish().host_prefix.as_deref(), Some("foo.bar."));
        let mut b = RequestBuilder::new("POST");
        assert!(b.host_label("Label", Some("evil.com/")).is_err());
        assert!(b.host_label("Label", None).is_err());
    }

    #[test]
    fn members_win_over_query_map_entries() {
        let mut b = RequestBuilder::new("GET");
        b.literal("/q");
        b.query("bar", Some("named"));
        let mut map = HashMap::new();
        map.insert("bar".to_string(), "fromMap".to_string());
        map.insert("qux".to_string(), "alsoFromMap".to_string());
        b.query_map(Some(&map));
        assert_eq!(b.finish().path_and_query, "/q?bar=named&qux=alsoFromMap");
    }

    #[test]
    fn prefix_headers_read_back_without_their_prefix() {
        let r = response(&[("x-foo-abc", "A"), ("X-Foo-Def", "D"), ("x-bar", "B")]);
        let map: HashMap<String, String> = prefix_headers(&r, "x-foo-").unwrap().unwrap();
        assert_eq!(map.len(), 2);
        assert_eq!(map["abc"], "A");
        assert_eq!(map["Def"], "D");
        assert_eq!(
            prefix_headers::<String>(&r, "x-none-").unwrap(),
            Some(HashMap::new())
        );
    }

    #[test]
    fn checksums_and_json_value_headers() {
        let mut b = RequestBuilder::new("POST");
        b.json_body(
            br#"{"foo":"base64 encoded md5 checksum"}"#.to_vec(),
            "application/json",
        );
        #[cfg(feature = "md5")]
        b.content_md5("Body").unwrap();
        b.header_json_value("Json", "X-Json", Some("true")).unwrap();
        let req = b.finish();
        #[cfg(feature = "md5")]
        assert_eq!(req.header("content-md5"), Some("iB0/3YSo7maijL0IGOgA9g=="));
        assert_eq!(req.header("x-json"), Some("dHJ1ZQ=="));
        let r = response(&[("X-Json", "dHJ1ZQ==")]);
        assert_eq!(
            header_json_value(&r, "x-json").unwrap().as_deref(),
            Some("true")
        );
    }
}
