//! Scalars as text, as labels, query strings and headers carry them.

use crate::blob::{from_base64, to_base64, Blob};
use crate::error::WireError;
use crate::json::special_float as special;
use std::borrow::Cow;

/// A value written as text in a label, a query string or a header.
pub trait WireText {
    fn wire_text(&self) -> Cow<'_, str>;

    /// Whether a list of such values needs quoting in a header when an item
    /// holds a comma or a quote (strings do; numbers never hold either).
    const QUOTED_IN_HEADER_LISTS: bool = false;
}

impl WireText for String {
    fn wire_text(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
    const QUOTED_IN_HEADER_LISTS: bool = true;
}

impl WireText for str {
    fn wire_text(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
    const QUOTED_IN_HEADER_LISTS: bool = true;
}

impl WireText for bool {
    fn wire_text(&self) -> Cow<'_, str> {
        Cow::Borrowed(if *self { "true" } else { "false" })
    }
}

impl WireText for i32 {
    fn wire_text(&self) -> Cow<'_, str> {
        Cow::Owned(self.to_string())
    }
}

impl WireText for i64 {
    fn wire_text(&self) -> Cow<'_, str> {
        Cow::Owned(self.to_string())
    }
}

impl WireText for f64 {
    fn wire_text(&self) -> Cow<'_, str> {
        match special(*self) {
            Some(text) => Cow::Borrowed(text),
            None => Cow::Owned(self.to_string()),
        }
    }
}

impl WireText for f32 {
    fn wire_text(&self) -> Cow<'_, str> {
        match special(f64::from(*self)) {
            Some(text) => Cow::Borrowed(text),
            None => Cow::Owned(self.to_string()),
        }
    }
}

/// Base64, as blobs travel in headers.
impl WireText for Blob {
    fn wire_text(&self) -> Cow<'_, str> {
        Cow::Owned(to_base64(self.as_bytes()))
    }
}

/// A value read from the text of a header.
pub trait FromWireText: Sized {
    fn from_wire_text(text: &str) -> Result<Self, WireError>;
}

impl FromWireText for String {
    fn from_wire_text(text: &str) -> Result<Self, WireError> {
        Ok(text.to_string())
    }
}

impl FromWireText for bool {
    fn from_wire_text(text: &str) -> Result<Self, WireError> {
        match text.trim() {
            "true" => Ok(true),
            "false" => Ok(false),
            other => Err(WireError::new(format!(
                "expected true or false, found {other:?}"
            ))),
        }
    }
}

fn number<T: std::str::FromStr>(text: &str, what: &str) -> Result<T, WireError> {
    text.trim().parse().map_err(|_| {
        WireError::new(format!(
            "expected {what}, found {:?}",
            text.chars().take(64).collect::<String>()
        ))
    })
}

impl FromWireText for i32 {
    fn from_wire_text(text: &str) -> Result<Self, WireError> {
        number(text, "a 32-bit integer")
    }
}

impl FromWireText for i64 {
    fn from_wire_text(text: &str) -> Result<Self, WireError> {
        number(text, "a 64-bit integer")
    }
}

/// `NaN`, `Infinity` and `-Infinity` as well as decimals.
impl FromWireText for f64 {
    fn from_wire_text(text: &str) -> Result<Self, WireError> {
        number(text, "a number")
    }
}

impl FromWireText for f32 {
    fn from_wire_text(text: &str) -> Result<Self, WireError> {
        number(text, "a number")
    }
}

impl FromWireText for Blob {
    fn from_wire_text(text: &str) -> Result<Self, WireError> {
        from_base64(text.trim())
            .map(Blob::from)
            .map_err(|e| WireError::new(format!("not base64: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_as_text_and_back() {
        assert_eq!(1.1f32.wire_text(), "1.1");
        assert_eq!(f64::NAN.wire_text(), "NaN");
        assert_eq!(f32::NEG_INFINITY.wire_text(), "-Infinity");
        assert_eq!(true.wire_text(), "true");
        assert_eq!(Blob::from("true").wire_text(), "dHJ1ZQ==");
        assert!(f64::from_wire_text("NaN").unwrap().is_nan());
        assert_eq!(f64::from_wire_text("-Infinity").unwrap(), f64::NEG_INFINITY);
        assert_eq!(i32::from_wire_text(" 123 ").unwrap(), 123);
        assert!(i32::from_wire_text("1.5").is_err());
        assert!(bool::from_wire_text("yes").is_err());
    }
}
