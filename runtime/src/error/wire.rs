//! A response body that does not fit the model, whatever its format.

use std::fmt;

/// Why a response does not fit the model, and where: the path of member
/// names and list indexes from the shape being read down to the value at
/// fault. The same for JSON, XML and the text of headers, so that the code
/// shared by the protocols (REST bindings, scalar text) names no format.
///
/// One pointer wide: every reader returns it in a `Result`, and a large
/// error would make every successful read carry its size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireError(Box<Inner>);

#[derive(Debug, Clone, PartialEq, Eq)]
struct Inner {
    /// Member names and list indexes from the top, innermost first.
    path: Vec<String>,
    message: String,
}

impl WireError {
    #[cold]
    pub fn new(message: impl Into<String>) -> Self {
        WireError(Box::new(Inner {
            path: Vec::new(),
            message: message.into(),
        }))
    }

    /// The same error, one level further out: inside member `key`.
    #[cold]
    pub fn at(mut self, key: &str) -> Self {
        self.0.path.push(key.to_string());
        self
    }

    /// The same error, inside element `index` of a list.
    #[cold]
    pub fn at_index(mut self, index: usize) -> Self {
        self.0.path.push(format!("[{index}]"));
        self
    }
}

impl fmt::Display for WireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.0.path.is_empty() {
            for (i, part) in self.0.path.iter().rev().enumerate() {
                if i > 0 && !part.starts_with('[') {
                    f.write_str(".")?;
                }
                f.write_str(part)?;
            }
            f.write_str(": ")?;
        }
        f.write_str(&self.0.message)
    }
}

impl std::error::Error for WireError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_their_path() {
        let e = WireError::new("expected a string, found a number")
            .at("PhoneNumber")
            .at_index(1)
            .at("Participants")
            .at("ProxySession");
        assert_eq!(
            e.to_string(),
            "ProxySession.Participants[1].PhoneNumber: expected a string, found a number"
        );
        assert_eq!(WireError::new("bare").to_string(), "bare");
    }
}
