//! Binary values: `blob` members held in memory.

use std::fmt;

/// The bytes of a `blob` member. On the JSON protocols they travel as
/// base64; in a header as base64; as a payload, as they are.
#[derive(Clone, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Blob(Vec<u8>);

impl Blob {
    /// A blob of these bytes.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Blob(bytes.into())
    }

    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The bytes, owned.
    pub fn into_inner(self) -> Vec<u8> {
        self.0
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl AsRef<[u8]> for Blob {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl From<Vec<u8>> for Blob {
    fn from(bytes: Vec<u8>) -> Self {
        Blob(bytes)
    }
}

impl From<&[u8]> for Blob {
    fn from(bytes: &[u8]) -> Self {
        Blob(bytes.to_vec())
    }
}

impl<const N: usize> From<&[u8; N]> for Blob {
    fn from(bytes: &[u8; N]) -> Self {
        Blob(bytes.to_vec())
    }
}

impl From<&str> for Blob {
    fn from(text: &str) -> Self {
        Blob(text.as_bytes().to_vec())
    }
}

impl From<String> for Blob {
    fn from(text: String) -> Self {
        Blob(text.into_bytes())
    }
}

/// Shows the bytes as a byte string literal would (`b"ab\x00"`), so a
/// value can be read in a log or a failed assertion.
impl fmt::Debug for Blob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Blob(b\"{}\")", self.0.escape_ascii())
    }
}

/// Standard base64 with padding, as every AWS protocol writes blobs.
pub fn to_base64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Decodes base64 as services send it: standard alphabet, padding optional,
/// whitespace not allowed.
pub fn from_base64(text: &str) -> Result<Vec<u8>, base64::DecodeError> {
    use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
    use base64::Engine;
    const LENIENT: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
    );
    LENIENT.decode(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips_and_tolerates_missing_padding() {
        assert_eq!(to_base64(b"value"), "dmFsdWU=");
        assert_eq!(from_base64("dmFsdWU=").unwrap(), b"value");
        assert_eq!(from_base64("dmFsdWU").unwrap(), b"value");
        assert_eq!(from_base64("").unwrap(), b"");
        assert!(from_base64("not base64!").is_err());
    }

    #[test]
    fn debug_shows_the_bytes() {
        assert_eq!(format!("{:?}", Blob::from("a\0")), "Blob(b\"a\\x00\")");
    }
}
