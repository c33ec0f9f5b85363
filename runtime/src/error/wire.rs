//! A response body that does not fit the model, whatever its format.

use std::fmt;

/// Why a response does not fit the model, and where: the path of member
/// names and list indexes from the shape being read down to the value at
/// fault. The same for JSON, XML and the text of headers, so that the code
/// shared by the protocols (REST bindings, scalar text) names no format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireError {
    /// Member names and list indexes from the top, innermost first.
    path: Vec<String>,
    message: String,
}

impl WireError {
    pub fn new(message: impl Into<String>) -> Self {
        WireError {
            path: Vec::new(),
            message: message.into(),
        }
    }

    /// The same error, one level further out: inside member `key`.
    pub fn at(mut self, key: &str) -> Self {
        self.path.push(key.to_string());
        self
    }

    /// The same error, inside element `index` of a list.
    pub fn at_index(mut self, index: usize) -> Self {
        self.path.push(format!("[{index}]"));
        self
    }
}

impl fmt::Display for WireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.path.is_empty() {
            for (i, part) in self.path.iter().rev().enumerate() {
                if i > 0 && !part.starts_with('[') {
                    f.write_str(".")?;
                }
                f.write_str(part)?;
            }
            f.write_str(": ")?;
        }
        f.write_str(&self.message)
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
