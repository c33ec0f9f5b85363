//! An event's members that its message carries outside the payload's
//! body: `eventheader` members in headers, an `eventpayload` member as the
//! whole payload. Generated event readers call these.

use super::{HeaderValue, Message};
use crate::blob::Blob;
use crate::datetime::DateTime;
use crate::error::WireError;

/// A member type an event header can carry.
pub trait FromHeaderValue: Sized {
    /// The value, or `None` when the header is of another type.
    fn from_header_value(value: &HeaderValue) -> Option<Self>;
}

impl FromHeaderValue for String {
    fn from_header_value(value: &HeaderValue) -> Option<Self> {
        match value {
            HeaderValue::String(text) => Some(text.as_str().to_owned()),
            _ => None,
        }
    }
}

impl FromHeaderValue for bool {
    fn from_header_value(value: &HeaderValue) -> Option<Self> {
        match value {
            HeaderValue::Bool(b) => Some(*b),
            _ => None,
        }
    }
}

/// Any of the integer types that fit: a service may send a small number
/// in a narrower type than the model's.
impl FromHeaderValue for i32 {
    fn from_header_value(value: &HeaderValue) -> Option<Self> {
        match value {
            HeaderValue::Byte(n) => Some((*n).into()),
            HeaderValue::Int16(n) => Some((*n).into()),
            HeaderValue::Int32(n) => Some(*n),
            _ => None,
        }
    }
}

impl FromHeaderValue for i64 {
    fn from_header_value(value: &HeaderValue) -> Option<Self> {
        match value {
            HeaderValue::Int64(n) => Some(*n),
            other => i32::from_header_value(other).map(i64::from),
        }
    }
}

impl FromHeaderValue for Blob {
    fn from_header_value(value: &HeaderValue) -> Option<Self> {
        match value {
            HeaderValue::ByteArray(bytes) => Some(Blob::new(bytes.to_vec())),
            _ => None,
        }
    }
}

impl FromHeaderValue for DateTime {
    fn from_header_value(value: &HeaderValue) -> Option<Self> {
        match value {
            HeaderValue::Timestamp(t) => Some(*t),
            _ => None,
        }
    }
}

/// The `eventheader` member `name`: `None` when the message has no such
/// header, an error when it has one of another type.
pub fn header<V: FromHeaderValue>(message: &Message, name: &str) -> Result<Option<V>, WireError> {
    match message.get(name) {
        None => Ok(None),
        Some(value) => V::from_header_value(value).map(Some).ok_or_else(|| {
            WireError::new(format!(
                "the header is of type {}, which the member cannot hold",
                value.type_name()
            ))
            .at(name)
        }),
    }
}

/// A blob `eventpayload` member: the payload as it came.
pub fn payload_blob(message: &Message) -> Blob {
    Blob::new(message.payload().to_vec())
}

/// A string `eventpayload` member: the payload, which must be UTF-8.
pub fn payload_text(message: &Message) -> Result<String, WireError> {
    std::str::from_utf8(message.payload())
        .map(str::to_owned)
        .map_err(|_| WireError::new("the payload is not UTF-8 text"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_read_into_the_member_types() {
        let at = DateTime::from_nanos(1_700_000_000_123_000_000).unwrap();
        let message = Message::new("x")
            .header("s", "text")
            .header("b", true)
            .header("small", 7i8)
            .header("int", 70_000i32)
            .header("long", 5_000_000_000i64)
            .header("bytes", bytes::Bytes::from_static(b"\x00\x01"))
            .header("when", at);
        assert_eq!(header::<String>(&message, "s"), Ok(Some("text".into())));
        assert_eq!(header::<bool>(&message, "b"), Ok(Some(true)));
        assert_eq!(header::<i32>(&message, "small"), Ok(Some(7)));
        assert_eq!(header::<i32>(&message, "int"), Ok(Some(70_000)));
        assert_eq!(header::<i64>(&message, "int"), Ok(Some(70_000)));
        assert_eq!(header::<i64>(&message, "long"), Ok(Some(5_000_000_000)));
        assert_eq!(
            header::<Blob>(&message, "bytes"),
            Ok(Some(Blob::new(vec![0, 1])))
        );
        assert_eq!(header::<DateTime>(&message, "when"), Ok(Some(at)));
        assert_eq!(header::<String>(&message, "absent"), Ok(None));
        let wrong = header::<i32>(&message, "long").unwrap_err().to_string();
        assert!(
            wrong.contains("long") && wrong.contains("cannot hold"),
            "{wrong}"
        );
        assert!(header::<String>(&message, "b").is_err());
    }

    #[test]
    fn payload_members_read_the_whole_payload() {
        let message = Message::new(&b"caf\xc3\xa9"[..]);
        assert_eq!(payload_text(&message).unwrap(), "café");
        assert_eq!(payload_blob(&message), Blob::new(b"caf\xc3\xa9".to_vec()));
        let binary = Message::new(&b"\xff\xfe"[..]);
        assert!(payload_text(&binary).is_err());
    }
}
