//! The canonical request: the normalized form of a request that is hashed
//! and signed.

use super::SigningSettings;
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

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

/// Builds the canonical request.
pub fn canonical_request(
    method: &str,
    path: &str,
    query: &str,
    headers: &[(String, String)],
    payload_hash: &str,
    settings: &SigningSettings,
) -> CanonicalRequest {
    let headers = canonical_headers(headers, settings);
    let signed_headers = headers
        .iter()
        .map(|(k, _)| k.as_str())
        .collect::<Vec<_>>()
        .join(";");
    // One buffer, pushed in order: this runs for every request.
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
pub fn signed_header_names(headers: &[(String, String)], settings: &SigningSettings) -> String {
    canonical_headers(headers, settings)
        .iter()
        .map(|(k, _)| k.as_str())
        .collect::<Vec<_>>()
        .join(";")
}

fn canonical_path(path: &str, settings: &SigningSettings) -> String {
    let path = if path.is_empty() { "/" } else { path };
    let path = if settings.normalize_path {
        normalize(path)
    } else {
        path.to_string()
    };
    if settings.double_uri_encode {
        utf8_percent_encode(&path, PATH).to_string()
    } else {
        path
    }
}

/// Removes `.` and `..` segments and empty segments, keeping a trailing `/`.
fn normalize(path: &str) -> String {
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
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
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
fn canonical_headers(
    headers: &[(String, String)],
    settings: &SigningSettings,
) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for (name, value) in headers {
        let name = name.to_ascii_lowercase();
        if name == "authorization" || settings.excluded_headers.contains(&name.as_str()) {
            continue;
        }
        let value = collapse_whitespace(value);
        match out.iter_mut().find(|(k, _)| *k == name) {
            Some((_, existing)) => {
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
/// no change and are copied as they are.
fn collapse_whitespace(value: &str) -> String {
    let trimmed = value.trim();
    let clean =
        !trimmed.contains(|c: char| c.is_whitespace() && c != ' ') && !trimmed.contains("  ");
    if clean {
        trimmed.to_string()
    } else {
        trimmed.split_whitespace().collect::<Vec<_>>().join(" ")
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
    fn whitespace_collapses() {
        for (value, expected) in [
            ("a", "a"),
            ("  a b ", "a b"),
            ("a   b", "a b"),
            ("a\n  b\tc", "a b c"),
            ("", ""),
        ] {
            assert_eq!(collapse_whitespace(value), expected, "{value:?}");
        }
    }

    #[test]
    fn already_encoded_paths_are_encoded_again() {
        let settings = SigningSettings::default();
        assert_eq!(canonical_path("/a%2Fb/%2E", &settings), "/a%252Fb/%252E");
        assert_eq!(canonical_path("", &settings), "/");
    }
}
