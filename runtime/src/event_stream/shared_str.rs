//! [`SharedStr`]: header names and string values that borrow the frame's
//! buffer instead of each taking an allocation of their own.

use bytes::Bytes;
use std::fmt;
use std::ops::Deref;

/// A UTF-8 string held in [`Bytes`] or in the program itself. A decoded
/// message's header names and string values are slices of the one buffer
/// the frame arrived in, so reading an event's routing headers allocates
/// nothing; the names and values nearly every message carries, and an
/// encoded message's names from generated code, are `&'static str`, which
/// cost no reference count and no UTF-8 check when read.
#[derive(Clone)]
pub struct SharedStr(Repr);

#[derive(Clone)]
enum Repr {
    Static(&'static str),
    /// Checked to be UTF-8 when made.
    Shared(Bytes),
}

impl SharedStr {
    /// A string from a literal, without copying it.
    pub const fn from_static(text: &'static str) -> Self {
        SharedStr(Repr::Static(text))
    }

    /// Takes `bytes` if they are UTF-8.
    pub fn from_utf8(bytes: Bytes) -> Result<Self, std::str::Utf8Error> {
        std::str::from_utf8(&bytes)?;
        Ok(SharedStr(Repr::Shared(bytes)))
    }

    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Static(text) => text,
            // Checked when made; checking again costs a pass over a short
            // string, and keeps the crate free of `unsafe`. The fallback
            // cannot happen.
            Repr::Shared(bytes) => std::str::from_utf8(bytes).unwrap_or_default(),
        }
    }

    /// Whether the text is the program's own, not a share of a buffer.
    pub(crate) fn is_static(&self) -> bool {
        matches!(self.0, Repr::Static(_))
    }

    /// The UTF-8 bytes, without a second check.
    pub fn as_bytes(&self) -> &[u8] {
        match &self.0 {
            Repr::Static(text) => text.as_bytes(),
            Repr::Shared(bytes) => bytes,
        }
    }
}

impl Default for SharedStr {
    fn default() -> Self {
        SharedStr::from_static("")
    }
}

/// Equal, ordered and hashed as the text, however it is held.
impl PartialEq for SharedStr {
    fn eq(&self, other: &Self) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl Eq for SharedStr {}

impl std::hash::Hash for SharedStr {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_bytes().hash(state);
    }
}

impl PartialOrd for SharedStr {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for SharedStr {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_bytes().cmp(other.as_bytes())
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
        SharedStr(Repr::Shared(Bytes::from(text)))
    }
}

impl PartialEq<str> for SharedStr {
    fn eq(&self, other: &str) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl PartialEq<&str> for SharedStr {
    fn eq(&self, other: &&str) -> bool {
        self.as_bytes() == other.as_bytes()
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
