//! `document` members: untyped JSON-like data inside a typed shape.

use std::collections::HashMap;

/// A value of a `document` member: whatever the service put there, as the
/// JSON data model has it.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Document {
    #[default]
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    Array(Vec<Document>),
    Object(HashMap<String, Document>),
}

/// A number in a [`Document`]: integers keep every digit, whatever their
/// size within 64 bits.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    /// A non-negative integer.
    PosInt(u64),
    /// A negative integer.
    NegInt(i64),
    Float(f64),
}

impl Number {
    /// The value as an `f64`, rounded for integers beyond 2^53.
    pub fn as_f64(self) -> f64 {
        match self {
            Number::PosInt(v) => v as f64,
            Number::NegInt(v) => v as f64,
            Number::Float(v) => v,
        }
    }
}

impl Document {
    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Document::String(s) => Some(s),
            _ => None,
        }
    }

    /// The object's members, if this is an object.
    pub fn as_object(&self) -> Option<&HashMap<String, Document>> {
        match self {
            Document::Object(map) => Some(map),
            _ => None,
        }
    }

    /// The array's elements, if this is an array.
    pub fn as_array(&self) -> Option<&[Document]> {
        match self {
            Document::Array(items) => Some(items),
            _ => None,
        }
    }
}

impl From<bool> for Document {
    fn from(value: bool) -> Self {
        Document::Bool(value)
    }
}

impl From<&str> for Document {
    fn from(value: &str) -> Self {
        Document::String(value.to_string())
    }
}

impl From<String> for Document {
    fn from(value: String) -> Self {
        Document::String(value)
    }
}

impl From<i64> for Document {
    fn from(value: i64) -> Self {
        Document::Number(if value < 0 {
            Number::NegInt(value)
        } else {
            Number::PosInt(value as u64)
        })
    }
}

impl From<i32> for Document {
    fn from(value: i32) -> Self {
        Document::from(i64::from(value))
    }
}

impl From<u64> for Document {
    fn from(value: u64) -> Self {
        Document::Number(Number::PosInt(value))
    }
}

impl From<f64> for Document {
    fn from(value: f64) -> Self {
        Document::Number(Number::Float(value))
    }
}

impl From<Vec<Document>> for Document {
    fn from(value: Vec<Document>) -> Self {
        Document::Array(value)
    }
}

impl From<HashMap<String, Document>> for Document {
    fn from(value: HashMap<String, Document>) -> Self {
        Document::Object(value)
    }
}
