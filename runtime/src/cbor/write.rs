//! [`CborWriter`]: request bodies, with the methods of the JSON writer.

use crate::document::{Document, Number};
use crate::timestamp::TimestampFormat;
use crate::DateTime;
use minicbor::encode::Encoder;

/// Writes one CBOR item: maps and arrays of indefinite length, closed by
/// their `end_*`; integers in their shortest form.
#[derive(Debug)]
pub struct CborWriter {
    out: Encoder<Vec<u8>>,
}

impl Default for CborWriter {
    fn default() -> Self {
        CborWriter::new()
    }
}

// Writing to a `Vec` cannot fail (its error type is `Infallible`), so the
// results of the encoder's calls are dropped.
impl CborWriter {
    pub fn new() -> Self {
        CborWriter {
            out: Encoder::new(Vec::new()),
        }
    }

    pub fn begin_object(&mut self) {
        let _ = self.out.begin_map();
    }

    pub fn end_object(&mut self) {
        let _ = self.out.end();
    }

    pub fn begin_array(&mut self) {
        let _ = self.out.begin_array();
    }

    pub fn end_array(&mut self) {
        let _ = self.out.end();
    }

    /// A map's key.
    pub fn key(&mut self, key: &str) {
        self.string(key);
    }

    pub fn string(&mut self, value: &str) {
        let _ = self.out.str(value);
    }

    pub fn null(&mut self) {
        let _ = self.out.null();
    }

    pub fn boolean(&mut self, value: bool) {
        let _ = self.out.bool(value);
    }

    pub fn integer(&mut self, value: i64) {
        let _ = self.out.i64(value);
    }

    pub fn double(&mut self, value: f64) {
        let _ = self.out.f64(value);
    }

    pub fn float(&mut self, value: f32) {
        let _ = self.out.f32(value);
    }

    /// A byte string.
    pub fn blob(&mut self, value: &[u8]) {
        let _ = self.out.bytes(value);
    }

    /// Epoch seconds under tag 1, whatever the model's format (the
    /// protocol has one), as a double, as botocore writes them.
    pub fn timestamp(&mut self, value: &DateTime, _format: TimestampFormat) {
        let _ = self
            .out
            .tag(minicbor::data::Tag::new(super::read::EPOCH_TAG));
        self.double(value.secs() as f64 + f64::from(value.subsec_nanos()) / 1e9);
    }

    pub fn document(&mut self, value: &Document) {
        match value {
            Document::Null => self.null(),
            Document::Bool(b) => self.boolean(*b),
            Document::Number(Number::PosInt(v)) => {
                let _ = self.out.u64(*v);
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

    /// The item's bytes.
    pub fn finish(self) -> Vec<u8> {
        self.out.into_writer()
    }
}
