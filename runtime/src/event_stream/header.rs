//! Headers: a name and a typed value.

use super::SharedStr;
use crate::DateTime;
use bytes::Bytes;

/// One header of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    name: SharedStr,
    value: HeaderValue,
}

impl Header {
    /// A header; the name is checked (1 to 255 bytes) when the message is
    /// encoded.
    pub fn new(name: impl Into<SharedStr>, value: impl Into<HeaderValue>) -> Self {
        Header {
            name: name.into(),
            value: value.into(),
        }
    }

    pub fn name(&self) -> &str {
        self.name.as_str()
    }

    /// The name's bytes: what lookups and checks compare, so that a
    /// name's UTF-8 (checked once, when it was decoded) is not checked
    /// again on every comparison.
    pub fn name_bytes(&self) -> &[u8] {
        self.name.as_bytes()
    }

    pub fn value(&self) -> &HeaderValue {
        &self.value
    }

    /// Whether the header holds no share of a frame's buffer: its name and
    /// any string value static, no byte array.
    pub(super) fn is_detached(&self) -> bool {
        self.name.is_static()
            && match &self.value {
                HeaderValue::ByteArray(_) => false,
                HeaderValue::String(text) => text.is_static(),
                _ => true,
            }
    }

    pub fn into_parts(self) -> (SharedStr, HeaderValue) {
        (self.name, self.value)
    }
}

/// A header's value: one of the format's ten types (two of which are the
/// booleans). Integers are signed, as in Smithy. The specification closes
/// the set of types, so the enum is exhaustive: code can match all of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderValue {
    /// Types 0 (`true`) and 1 (`false`): no value bytes.
    Bool(bool),
    /// Type 2.
    Byte(i8),
    /// Type 3.
    Int16(i16),
    /// Type 4.
    Int32(i32),
    /// Type 5.
    Int64(i64),
    /// Type 6: a blob, with a 16-bit length.
    ByteArray(Bytes),
    /// Type 7: UTF-8 text, with a 16-bit length.
    String(SharedStr),
    /// Type 8: milliseconds since the Unix epoch. A finer instant is
    /// written rounded down to the millisecond.
    Timestamp(DateTime),
    /// Type 9: 16 bytes.
    Uuid([u8; 16]),
}

impl HeaderValue {
    /// The type's name in the specification, for error messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            HeaderValue::Bool(_) => "boolean",
            HeaderValue::Byte(_) => "byte",
            HeaderValue::Int16(_) => "short",
            HeaderValue::Int32(_) => "integer",
            HeaderValue::Int64(_) => "long",
            HeaderValue::ByteArray(_) => "byte_array",
            HeaderValue::String(_) => "string",
            HeaderValue::Timestamp(_) => "timestamp",
            HeaderValue::Uuid(_) => "uuid",
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            HeaderValue::Bool(v) => Some(*v),
            _ => None,
        }
    }

    pub fn as_byte(&self) -> Option<i8> {
        match self {
            HeaderValue::Byte(v) => Some(*v),
            _ => None,
        }
    }

    pub fn as_int16(&self) -> Option<i16> {
        match self {
            HeaderValue::Int16(v) => Some(*v),
            _ => None,
        }
    }

    pub fn as_int32(&self) -> Option<i32> {
        match self {
            HeaderValue::Int32(v) => Some(*v),
            _ => None,
        }
    }

    pub fn as_int64(&self) -> Option<i64> {
        match self {
            HeaderValue::Int64(v) => Some(*v),
            _ => None,
        }
    }

    pub fn as_byte_array(&self) -> Option<&Bytes> {
        match self {
            HeaderValue::ByteArray(v) => Some(v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            HeaderValue::String(v) => Some(v.as_str()),
            _ => None,
        }
    }

    pub fn as_timestamp(&self) -> Option<DateTime> {
        match self {
            HeaderValue::Timestamp(v) => Some(*v),
            _ => None,
        }
    }

    pub fn as_uuid(&self) -> Option<&[u8; 16]> {
        match self {
            HeaderValue::Uuid(v) => Some(v),
            _ => None,
        }
    }
}

impl From<bool> for HeaderValue {
    fn from(v: bool) -> Self {
        HeaderValue::Bool(v)
    }
}

impl From<i8> for HeaderValue {
    fn from(v: i8) -> Self {
        HeaderValue::Byte(v)
    }
}

impl From<i16> for HeaderValue {
    fn from(v: i16) -> Self {
        HeaderValue::Int16(v)
    }
}

impl From<i32> for HeaderValue {
    fn from(v: i32) -> Self {
        HeaderValue::Int32(v)
    }
}

impl From<i64> for HeaderValue {
    fn from(v: i64) -> Self {
        HeaderValue::Int64(v)
    }
}

impl From<Bytes> for HeaderValue {
    fn from(v: Bytes) -> Self {
        HeaderValue::ByteArray(v)
    }
}

impl From<SharedStr> for HeaderValue {
    fn from(v: SharedStr) -> Self {
        HeaderValue::String(v)
    }
}

impl From<&'static str> for HeaderValue {
    fn from(v: &'static str) -> Self {
        HeaderValue::String(SharedStr::from_static(v))
    }
}

impl From<String> for HeaderValue {
    fn from(v: String) -> Self {
        HeaderValue::String(v.into())
    }
}

impl From<DateTime> for HeaderValue {
    fn from(v: DateTime) -> Self {
        HeaderValue::Timestamp(v)
    }
}
