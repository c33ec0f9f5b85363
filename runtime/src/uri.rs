//! Builds a request path from a URI template's literals and labels.
//!
//! Smithy's rule: a label value is percent-encoded so that it is exactly one
//! path segment (a greedy label may span segments, so it keeps `/`). Only
//! RFC 3986 unreserved characters stay as they are. A label that is `.` or
//! `..` would be collapsed as a dot segment by HTTP stacks (reqwest's URL type
//! included), so its dots are encoded as `%2E`.

use crate::error::BuildError;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Everything but `A-Z a-z 0-9 - . _ ~`.
const LABEL: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');
/// As [`LABEL`], but `/` separates the segments of a greedy label.
const GREEDY_LABEL: &AsciiSet = &LABEL.remove(b'/');

/// Accumulates a percent-encoded path, then its query string.
#[derive(Debug, Default)]
pub struct PathBuilder {
    path: String,
    has_query: bool,
}

impl PathBuilder {
    /// Room for a typical path, so that it is not grown piece by piece.
    pub fn new() -> Self {
        PathBuilder {
            path: String::with_capacity(128),
            has_query: false,
        }
    }

    /// Appends a literal part of the template, as written in the model.
    pub fn literal(&mut self, text: &str) -> &mut Self {
        self.path.push_str(text);
        self
    }

    /// Appends a label. `member` names the input member for the error when the
    /// value is missing or empty: such a request could only reach another
    /// resource, so it is refused before it is built.
    pub fn label(
        &mut self,
        member: &'static str,
        value: Option<&str>,
        greedy: bool,
    ) -> Result<&mut Self, BuildError> {
        let value = value.ok_or_else(|| BuildError::missing(member))?;
        if value.is_empty() {
            return Err(BuildError::invalid(member, "a URI label must not be empty"));
        }
        if greedy {
            if value.split('/').any(|s| s == "." || s == "..") {
                return Err(BuildError::invalid(
                    member,
                    "a greedy URI label must not contain `.` or `..` segments",
                ));
            }
            self.path.extend(utf8_percent_encode(value, GREEDY_LABEL));
        } else if value == "." || value == ".." {
            for _ in 0..value.len() {
                self.path.push_str("%2E");
            }
        } else {
            self.path.extend(utf8_percent_encode(value, LABEL));
        }
        Ok(self)
    }

    /// Appends a greedy label whose `.` and `..` segments are sent as they
    /// are, for a service that reads and signs its path as sent (S3, whose
    /// keys may hold them). The default transport keeps them; one that
    /// would resolve them refuses the request (`ReqwestTransport`).
    pub fn greedy_label_with_dot_segments(
        &mut self,
        member: &'static str,
        value: Option<&str>,
    ) -> Result<&mut Self, BuildError> {
        let value = value.ok_or_else(|| BuildError::missing(member))?;
        if value.is_empty() {
            return Err(BuildError::invalid(member, "a URI label must not be empty"));
        }
        self.path.extend(utf8_percent_encode(value, GREEDY_LABEL));
        Ok(self)
    }

    /// Query text written in the model's `requestUri` (`versions`, `a=b`),
    /// appended as it is.
    pub fn query_literal(&mut self, text: &str) -> &mut Self {
        self.separator();
        self.path.push_str(text);
        self
    }

    /// A query parameter; name and value are percent-encoded (unreserved
    /// characters only stay), so no value can add a parameter.
    pub fn query(&mut self, name: &str, value: &str) -> &mut Self {
        self.separator();
        self.path.extend(utf8_percent_encode(name, LABEL));
        self.path.push('=');
        self.path.extend(utf8_percent_encode(value, LABEL));
        self
    }

    fn separator(&mut self) {
        self.path.push(if self.has_query { '&' } else { '?' });
        self.has_query = true;
    }

    /// The finished path and query.
    pub fn finish(self) -> String {
        self.path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(value: &str) -> String {
        let mut path = PathBuilder::new();
        path.literal("/a/").label("Id", Some(value), false).unwrap();
        path.finish()
    }

    #[test]
    fn labels_are_one_segment() {
        let cases = [
            ("abc-123_~.x", "/a/abc-123_~.x"),
            ("a/b", "/a/a%2Fb"),
            ("a b", "/a/a%20b"),
            ("100%", "/a/100%25"),
            ("a?b#c", "/a/a%3Fb%23c"),
            ("a+b", "/a/a%2Bb"),
            ("é", "/a/%C3%A9"),
            ("日本", "/a/%E6%97%A5%E6%9C%AC"),
            (".", "/a/%2E"),
            ("..", "/a/%2E%2E"),
            ("...", "/a/..."),
            ("./", "/a/.%2F"),
        ];
        for (value, expected) in cases {
            assert_eq!(encode(value), expected, "label {value:?}");
        }
    }

    #[test]
    fn missing_and_empty_labels_are_errors() {
        let mut path = PathBuilder::new();
        let err = path.label("VoiceConnectorId", None, false).unwrap_err();
        assert_eq!(
            err.to_string(),
            "VoiceConnectorId is required but was not set"
        );
        let err = path.label("VoiceConnectorId", Some(""), false).unwrap_err();
        assert_eq!(
            err.to_string(),
            "VoiceConnectorId is invalid: a URI label must not be empty"
        );
    }

    #[test]
    fn query_parameters_are_encoded_and_separated() {
        let mut path = PathBuilder::new();
        path.literal("/x")
            .query_literal("versions")
            .query("max-results", "10")
            .query("next token", "a&b=c/d");
        assert_eq!(
            path.finish(),
            "/x?versions&max-results=10&next%20token=a%26b%3Dc%2Fd"
        );
        let mut path = PathBuilder::new();
        path.literal("/x").query("a", "");
        assert_eq!(path.finish(), "/x?a=");
    }

    #[test]
    fn greedy_labels_keep_slashes_but_not_dot_segments() {
        let mut path = PathBuilder::new();
        path.literal("/k/")
            .label("Key", Some("a b/c"), true)
            .unwrap();
        assert_eq!(path.finish(), "/k/a%20b/c");
        let mut path = PathBuilder::new();
        assert!(path.label("Key", Some("a/../b"), true).is_err());
    }

    #[test]
    fn a_greedy_label_may_keep_its_dot_segments_when_asked() {
        let mut path = PathBuilder::new();
        path.literal("/")
            .greedy_label_with_dot_segments("Key", Some("a/../b/./c d/.."))
            .unwrap();
        assert_eq!(path.finish(), "/a/../b/./c%20d/..");
        let mut path = PathBuilder::new();
        let err = path
            .greedy_label_with_dot_segments("Key", Some(""))
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "Key is invalid: a URI label must not be empty"
        );
        let err = path
            .greedy_label_with_dot_segments("Key", None)
            .unwrap_err();
        assert_eq!(err.to_string(), "Key is required but was not set");
    }
}
