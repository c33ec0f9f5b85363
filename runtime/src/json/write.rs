//! Writes request bodies as compact JSON.

use crate::blob::to_base64;
use crate::document::{Document, Number};
use crate::timestamp::{self, TimestampFormat};
use crate::DateTime;
use std::io::Write;

/// A JSON document under construction. Generated serializers call it in
/// document order (`begin_object`, `key`, a value, ..., `end_object`); it
/// places the commas.
#[derive(Debug, Default)]
pub struct JsonWriter {
    out: Vec<u8>,
    /// A value was just completed at this level, so the next one needs a comma.
    comma: bool,
}

impl JsonWriter {
    pub fn new() -> Self {
        Self::default()
    }

    fn before_value(&mut self) {
        if self.comma {
            self.out.push(b',');
        }
    }

    fn after_value(&mut self) {
        self.comma = true;
    }

    pub fn begin_object(&mut self) {
        self.before_value();
        self.out.push(b'{');
        self.comma = false;
    }

    pub fn end_object(&mut self) {
        self.out.push(b'}');
        self.after_value();
    }

    pub fn begin_array(&mut self) {
        self.before_value();
        self.out.push(b'[');
        self.comma = false;
    }

    pub fn end_array(&mut self) {
        self.out.push(b']');
        self.after_value();
    }

    /// An object key; its value comes next.
    pub fn key(&mut self, key: &str) {
        self.before_value();
        self.quoted(key);
        self.out.push(b':');
        self.comma = false;
    }

    /// A string, with what JSON requires escaped: `"`, `\\` and the
    /// control characters (as serde_json and Python's `json` escape them).
    fn quoted(&mut self, text: &str) {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        self.out.reserve(text.len() + 2);
        self.out.push(b'"');
        let bytes = text.as_bytes();
        let mut start = 0;
        for (i, &b) in bytes.iter().enumerate() {
            let escape: &[u8] = match b {
                b'"' => b"\\\"",
                b'\\' => b"\\\\",
                b'\n' => b"\\n",
                b'\r' => b"\\r",
                b'\t' => b"\\t",
                0x08 => b"\\b",
                0x0c => b"\\f",
                0x00..=0x1f => {
                    self.out.extend_from_slice(&bytes[start..i]);
                    self.out.extend_from_slice(b"\\u00");
                    self.out.push(HEX[usize::from(b >> 4)]);
                    self.out.push(HEX[usize::from(b & 0xf)]);
                    start = i + 1;
                    continue;
                }
                _ => continue,
            };
            self.out.extend_from_slice(&bytes[start..i]);
            self.out.extend_from_slice(escape);
            start = i + 1;
        }
        self.out.extend_from_slice(&bytes[start..]);
        self.out.push(b'"');
    }

    pub fn string(&mut self, value: &str) {
        self.before_value();
        self.quoted(value);
        self.after_value();
    }

    pub fn null(&mut self) {
        self.before_value();
        self.out.extend_from_slice(b"null");
        self.after_value();
    }

    pub fn boolean(&mut self, value: bool) {
        self.before_value();
        self.out
            .extend_from_slice(if value { b"true" } else { b"false" });
        self.after_value();
    }

    pub fn integer(&mut self, value: i64) {
        self.before_value();
        write!(self.out, "{value}").expect("writing to a Vec cannot fail");
        self.after_value();
    }

    /// A finite number as its shortest exact decimal; NaN and the infinities
    /// as the strings `"NaN"`, `"Infinity"` and `"-Infinity"`.
    pub fn double(&mut self, value: f64) {
        match special_float(value) {
            Some(text) => self.string(text),
            None => {
                self.before_value();
                write!(self.out, "{value}").expect("writing to a Vec cannot fail");
                self.after_value();
            }
        }
    }

    /// As [`double`](Self::double), with the `f32`'s own shortest decimal
    /// (`1.1`, not `1.100000023841858`).
    pub fn float(&mut self, value: f32) {
        match special_float(f64::from(value)) {
            Some(text) => self.string(text),
            None => {
                self.before_value();
                write!(self.out, "{value}").expect("writing to a Vec cannot fail");
                self.after_value();
            }
        }
    }

    /// Base64 text.
    pub fn blob(&mut self, value: &[u8]) {
        self.string(&to_base64(value));
    }

    /// Epoch seconds as a number; the other formats as strings.
    pub fn timestamp(&mut self, value: &DateTime, format: TimestampFormat) {
        let text = timestamp::format(value, format);
        match format {
            TimestampFormat::EpochSeconds => {
                self.before_value();
                self.out.extend_from_slice(text.as_bytes());
                self.after_value();
            }
            _ => self.string(&text),
        }
    }

    pub fn document(&mut self, value: &Document) {
        match value {
            Document::Null => self.null(),
            Document::Bool(b) => self.boolean(*b),
            Document::Number(Number::PosInt(v)) => {
                self.before_value();
                write!(self.out, "{v}").expect("writing to a Vec cannot fail");
                self.after_value();
            }
            Document::Number(Number::NegInt(v)) => self.integer(*v),
            Document::Number(Number::Float(v)) => self.double(*v),
            Document::String(s) => self.string(s),
            Document::Array(items) => {
                self.begin_array();
                for item in items {
                    self.document(item);
                }
                self.end_array();
            }
            Document::Object(members) => {
                self.begin_object();
                for (key, value) in members {
                    self.key(key);
                    self.document(value);
                }
                self.end_object();
            }
        }
    }

    /// The document's bytes.
    pub fn finish(self) -> Vec<u8> {
        self.out
    }
}

/// How the AWS protocols spell what JSON numbers cannot hold.
pub fn special_float(value: f64) -> Option<&'static str> {
    if value.is_nan() {
        Some("NaN")
    } else if value == f64::INFINITY {
        Some("Infinity")
    } else if value == f64::NEG_INFINITY {
        Some("-Infinity")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commas_go_between_members_and_elements() {
        let mut w = JsonWriter::new();
        w.begin_object();
        w.key("a");
        w.begin_array();
        w.integer(1);
        w.begin_object();
        w.end_object();
        w.string("x\"y");
        w.end_array();
        w.key("b");
        w.boolean(false);
        w.key("c");
        w.begin_object();
        w.key("d");
        w.null();
        w.end_object();
        w.end_object();
        assert_eq!(
            String::from_utf8(w.finish()).unwrap(),
            r#"{"a":[1,{},"x\"y"],"b":false,"c":{"d":null}}"#
        );
    }

    #[test]
    fn strings_escape_what_json_requires() {
        let mut w = JsonWriter::new();
        w.string("q\"b\\n\nr\rt\tb\u{8}f\u{c}\u{1}\u{1f} /é😀");
        let text = String::from_utf8(w.finish()).unwrap();
        assert_eq!(text, r#""q\"b\\n\nr\rt\tb\bf\f\u0001\u001f /é😀""#);
        let mut r = crate::json::Reader::new(text.as_bytes());
        assert_eq!(
            r.str().unwrap(),
            "q\"b\\n\nr\rt\tb\u{8}f\u{c}\u{1}\u{1f} /é😀"
        );
    }

    #[test]
    fn numbers_keep_their_shortest_form() {
        let mut w = JsonWriter::new();
        w.begin_array();
        w.float(1.1);
        w.double(1.1);
        w.double(5.0);
        w.float(f32::NAN);
        w.double(f64::NEG_INFINITY);
        w.blob(b"value");
        w.end_array();
        assert_eq!(
            String::from_utf8(w.finish()).unwrap(),
            r#"[1.1,1.1,5,"NaN","-Infinity","dmFsdWU="]"#
        );
    }

    #[test]
    fn timestamps_in_each_format() {
        let t = DateTime::from_secs(1398796238);
        let mut w = JsonWriter::new();
        w.begin_array();
        w.timestamp(&t, TimestampFormat::EpochSeconds);
        w.timestamp(&t, TimestampFormat::DateTime);
        w.timestamp(&t, TimestampFormat::HttpDate);
        w.end_array();
        assert_eq!(
            String::from_utf8(w.finish()).unwrap(),
            r#"[1398796238,"2014-04-29T18:30:38Z","Tue, 29 Apr 2014 18:30:38 GMT"]"#
        );
    }
}
