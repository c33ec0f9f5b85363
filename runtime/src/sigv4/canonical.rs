//! The canonical request: the normalized form of a request that is hashed
//! and signed.

use super::SigningSettings;
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use std::borrow::Cow;

/// Everything but the unreserved characters `A-Z a-z 0-9 - . _ ~`.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');
/// As [`UNRESERVED`], keeping `/` between path segments.
const PATH: &AsciiSet = &UNRESERVED.remove(b'/');

/// A canonical request and the list of the headers it signs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CanonicalRequest {
    pub text: String,
    /// `host;x-amz-date`
    pub signed_headers: String,
}

/// Builds the canonical request from every header to sign (`host`
/// included), in any order and case.
///
/// This runs for every request, so what is already canonical (lowercase
/// names, clean values, a normalized path) is borrowed, not copied.
pub fn canonical_request<'h>(
    method: &str,
    path: &str,
    query: &str,
    headers: impl IntoIterator<Item = (&'h str, &'h str)>,
    payload_hash: &str,
    settings: &SigningSettings,
) -> CanonicalRequest {
    let headers = canonical_headers(headers, settings);
    let signed_headers = join_names(&headers);
    let path = canonical_path(path, settings);
    let query = canonical_query(query);
    let mut text = String::with_capacity(256 + path.len() + query.len());
    for part in [method, "\n", &path, "\n", &query, "\n"] {
        text.push_str(part);
    }
    for (name, value) in &headers {
        text.push_str(name);
        text.push(':');
        text.push_str(value);
        text.push('\n');
    }
    for part in ["\n", &signed_headers, "\n", payload_hash] {
        text.push_str(part);
    }
    CanonicalRequest {
        text,
        signed_headers,
    }
}

/// The `;`-separated names of the headers that are signed.
pub fn signed_header_names<'h>(
    headers: impl IntoIterator<Item = (&'h str, &'h str)>,
    settings: &SigningSettings,
) -> String {
    join_names(&canonical_headers(headers, settings))
}

fn join_names(headers: &[(Cow<'_, str>, Cow<'_, str>)]) -> String {
    let mut out = String::with_capacity(headers.iter().map(|(k, _)| k.len() + 1).sum());
    for (i, (name, _)) in headers.iter().enumerate() {
        if i > 0 {
            out.push(';');
        }
        out.push_str(name);
    }
    out
}

fn canonical_path<'p>(path: &'p str, settings: &SigningSettings) -> Cow<'p, str> {
    let path = if path.is_empty() { "/" } else { path };
    let path = if settings.normalize_path {
        normalize(path)
    } else {
        Cow::Borrowed(path)
    };
    if !settings.double_uri_encode {
        return path;
    }
    // Most paths need nothing encoded (an encoded one has `%`, which is
    // encoded again): the encoder's first run is then the whole path, and
    // a path normalizing made owned is kept without another copy.
    if utf8_percent_encode(&path, PATH)
        .next()
        .is_none_or(|run| run.len() == path.len())
    {
        return path;
    }
    match path {
        Cow::Borrowed(path) => utf8_percent_encode(path, PATH).into(),
        Cow::Owned(path) => Cow::Owned(utf8_percent_encode(&path, PATH).to_string()),
    }
}

/// Removes `.` and `..` segments and empty segments, keeping a trailing `/`.
fn normalize(path: &str) -> Cow<'_, str> {
    if is_normal(path) {
        Cow::Borrowed(path)
    } else {
        Cow::Owned(rebuild(path))
    }
}

fn rebuild(path: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    let mut out = format!("/{}", segments.join("/"));
    if path.ends_with('/') && !segments.is_empty() {
        out.push('/');
    }
    out
}

/// Whether [`normalize`] would give the path back unchanged: it starts
/// with `/`, and has no `.`, `..` or empty segment but a trailing one.
fn is_normal(path: &str) -> bool {
    let Some(rest) = path.strip_prefix('/') else {
        return false;
    };
    if rest.is_empty() {
        return true;
    }
    let mut segments = rest.split('/').peekable();
    while let Some(segment) = segments.next() {
        let last = segments.peek().is_none();
        if matches!(segment, "." | "..") || (segment.is_empty() && !last) {
            return false;
        }
    }
    true
}

/// Parameters decoded, re-encoded strictly, and sorted by name then value.
fn canonical_query(query: &str) -> String {
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (reencode(k), reencode(v))
        })
        .collect();
    pairs.sort();
    let mut out = String::new();
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(k);
        out.push('=');
        out.push_str(v);
    }
    out
}

/// A query string (or a form body) as botocore writes it into a
/// presigned URL: each name and value decoded, with `+` as a space as
/// Python's `parse_qs` reads it, and encoded again strictly; the order
/// kept, and a name without a value written `name=`.
pub fn strict_query(query: &str) -> String {
    let mut out = String::with_capacity(query.len());
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(&reencode_form(k));
        out.push('=');
        out.push_str(&reencode_form(v));
    }
    out
}

fn reencode_form(component: &str) -> String {
    let spaced = component.replace('+', " ");
    reencode(&spaced)
}

fn reencode(component: &str) -> String {
    let decoded = percent_decode_str(component).decode_utf8_lossy();
    encode_query_component(&decoded)
}

/// Percent-encodes a query name or value as SigV4 wants it.
pub fn encode_query_component(value: &str) -> String {
    utf8_percent_encode(value, UNRESERVED).to_string()
}

/// Lowercase names, sorted; values trimmed with inner whitespace runs
/// collapsed; repeated headers joined with `,` in their order.
fn canonical_headers<'h>(
    headers: impl IntoIterator<Item = (&'h str, &'h str)>,
    settings: &SigningSettings,
) -> Vec<(Cow<'h, str>, Cow<'h, str>)> {
    let headers = headers.into_iter();
    let (low, high) = headers.size_hint();
    let mut out: Vec<(Cow<'h, str>, Cow<'h, str>)> = Vec::with_capacity(high.unwrap_or(low));
    for (name, value) in headers {
        let name = if name.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(name.to_ascii_lowercase())
        } else {
            Cow::Borrowed(name)
        };
        if name == "authorization" || settings.excluded_headers.contains(&&*name) {
            continue;
        }
        let value = collapse_whitespace(value);
        match out.iter_mut().find(|(k, _)| *k == name) {
            Some((_, existing)) => {
                let existing = existing.to_mut();
                existing.push(',');
                existing.push_str(&value);
            }
            None => out.push((name, value)),
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Trimmed, with every run of whitespace as one space; most values need
/// no change and are borrowed as they are.
fn collapse_whitespace(value: &str) -> Cow<'_, str> {
    let trimmed = value.trim();
    // For the usual ASCII value, one loop over its bytes; other text is
    // checked character by character, as `split_whitespace` sees it.
    let clean = if trimmed.is_ascii() {
        let mut after_space = false;
        trimmed.bytes().all(|b| {
            let kept = match b {
                b' ' => !after_space,
                b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r' => false,
                _ => true,
            };
            after_space = b == b' ';
            kept
        })
    } else {
        !trimmed.contains(|c: char| c.is_whitespace() && c != ' ') && !trimmed.contains("  ")
    };
    if clean {
        Cow::Borrowed(trimmed)
    } else {
        Cow::Owned(trimmed.split_whitespace().collect::<Vec<_>>().join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalization() {
        let cases = [
            ("/", "/"),
            ("//", "/"),
            ("//example//", "/example/"),
            ("/./example", "/example"),
            ("/example/..", "/"),
            ("/example1/example2/../..", "/"),
            ("/a/b/../c/", "/a/c/"),
            ("/a/%2E/b", "/a/%2E/b"),
        ];
        for (path, expected) in cases {
            assert_eq!(normalize(path), expected, "{path}");
        }
    }

    #[test]
    fn paths_are_encoded_a_second_time_only_where_needed() {
        let settings = SigningSettings::default();
        for (path, expected) in [
            ("/a-b/c.d_e~f/", "/a-b/c.d_e~f/"),
            ("/a%20b", "/a%2520b"),
            ("/a b", "/a%20b"),
            ("", "/"),
        ] {
            assert_eq!(canonical_path(path, &settings), expected, "{path:?}");
        }
        // A path that normalizing rewrote, with nothing to encode.
        assert_eq!(canonical_path("/a//b/./c", &settings), "/a/b/c");
    }

    #[test]
    fn paths_already_normal_are_recognised() {
        for path in [
            "/", "//", "/a", "/a/", "/a//", "//a", "/a/./b", "/a/../b", "/.", "/..", "/a/.",
            "/a/..", "/.a", "/..a/b/", "a", "", "/a/b/c/", "/a b/%2E",
        ] {
            assert_eq!(is_normal(path), rebuild(path) == path, "{path:?}");
        }
    }

    #[test]
    fn whitespace_collapses() {
        for (value, expected) in [
            ("a", "a"),
            ("  a b ", "a b"),
            ("a   b", "a b"),
            ("a\n  b\tc", "a b c"),
            ("a\x0bb\x0cc\rd", "a b c d"),
            ("é  è", "é è"),
            ("é\u{a0}è", "é è"),
            ("é è", "é è"),
            ("a b  c", "a b c"),
            ("a\x01 b", "a\x01 b"),
            ("", ""),
        ] {
            assert_eq!(collapse_whitespace(value), expected, "{value:?}");
        }
    }

    #[test]
    fn strict_queries_read_as_botocore_writes_them() {
        for (query, expected) in [
            ("", ""),
            ("uploads", "uploads="),
            ("list-type=2&prefix=a%2Fb", "list-type=2&prefix=a%2Fb"),
            ("prefix=a/b c&x=", "prefix=a%2Fb%20c&x="),
            ("Action=Get&Name=a+b%2Bc", "Action=Get&Name=a%20b%2Bc"),
            ("k=%C3%BC~*", "k=%C3%BC~%2A"),
            ("b=2&a=1&&", "b=2&a=1"),
        ] {
            assert_eq!(strict_query(query), expected, "{query:?}");
        }
    }

    #[test]
    fn already_encoded_paths_are_encoded_again() {
        let settings = SigningSettings::default();
        assert_eq!(canonical_path("/a%2Fb/%2E", &settings), "/a%252Fb/%252E");
        assert_eq!(canonical_path("", &settings), "/");
    }
}
