//! [`SharedStr`]: header names and string values that borrow the frame's
//! buffer instead of each taking an allocation of their own.

use bytes::Bytes;
use std::fmt;
use std::ops::Deref;

/// A UTF-8 string held in [`Bytes`]. A decoded message's header names and
/// string values are slices of the one buffer the frame arrived in, so
/// reading an event's three routing headers allocates nothing; an encoded
/// one's are usually `&'static str` names from generated code.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct SharedStr(Bytes);

impl SharedStr {
    /// A string from a literal, without copying it.
    pub const fn from_static(text: &'static str) -> Self {
        SharedStr(Bytes::from_static(text.as_bytes()))
    }

    /// Takes `bytes` if they are UTF-8.
    pub fn from_utf8(bytes: Bytes) -> Result<Self, std::str::Utf8Error> {
        std::str::from_utf8(&bytes)?;
        Ok(SharedStr(bytes))
    }

    pub fn as_str(&self) -> &str {
        // Checked when made; checking again costs a pass over a short
        // string, and keeps the crate free of `unsafe`. The fallback
        // cannot happen.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// The UTF-8 bytes, sharing the buffer.
    pub fn as_bytes(&self) -> &Bytes {
        &self.0
    }
}

impl Deref for SharedStr {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for SharedStr {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl From<&'static str> for SharedStr {
    fn from(text: &'static str) -> Self {
        SharedStr::from_static(text)
    }
}

impl From<String> for SharedStr {
    fn from(text: String) -> Self {
        SharedStr(Bytes::from(text))
    }
}

impl PartialEq<str> for SharedStr {
    fn eq(&self, other: &str) -> bool {
        self.0 == other.as_bytes()
    }
}

impl PartialEq<&str> for SharedStr {
    fn eq(&self, other: &&str) -> bool {
        self.0 == other.as_bytes()
    }
}

impl fmt::Debug for SharedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for SharedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_utf8_is_taken_and_it_reads_back() {
        let text = SharedStr::from_utf8(Bytes::from_static("délta".as_bytes())).unwrap();
        assert_eq!(text.as_str(), "délta");
        assert_eq!(text, "délta");
        assert_eq!(format!("{text} {text:?}"), "délta \"délta\"");
        assert!(SharedStr::from_utf8(Bytes::from_static(b"\xff\xfe")).is_err());
        assert_eq!(
            SharedStr::from(String::from("a")),
            SharedStr::from_static("a")
        );
    }
}
