//! XML as the XML protocols carry it: awsQuery responses, rest-xml
//! requests and responses.
//!
//! A response body is parsed once by roxmltree, which refuses DTDs (so no
//! entity expansion can blow up) and resolves namespaces; generated
//! deserializers walk its elements by local name with the readers in
//! `read`, and error metadata comes from the same document. Namespaces
//! are ignored, as botocore ignores them: a service that moves an element
//! into another namespace breaks no client.

mod read;
mod write;

pub use read::*;
pub use write::XmlWriter;

use crate::error::WireError;
use std::fmt;

/// An element of a parsed document; generated code reads it with the
/// functions of this module.
#[derive(Clone, Copy)]
pub struct Element<'a, 'input>(roxmltree::Node<'a, 'input>);

impl<'a, 'input> Element<'a, 'input> {
    /// The local name, without a namespace.
    pub fn name(&self) -> &'a str {
        self.0.tag_name().name()
    }

    /// The child elements, in document order.
    pub fn children(&self) -> impl Iterator<Item = Element<'a, 'input>> {
        self.0.children().filter(|n| n.is_element()).map(Element)
    }

    /// An attribute's value by local name (`xsi:type` is found as `type`):
    /// namespaces are ignored here as everywhere in reading.
    pub fn attribute(&self, name: &str) -> Option<&'a str> {
        let local = name.rsplit(':').next().unwrap_or(name);
        self.0
            .attributes()
            .find(|a| a.name() == local)
            .map(|a| a.value())
    }

    /// The first child element with this local name.
    pub fn child(&self, name: &str) -> Option<Element<'a, 'input>> {
        self.children().find(|c| c.name() == name)
    }

    /// The element's own text: every text node directly inside it, joined
    /// (a comment would otherwise cut a value in two); empty for none.
    pub fn text(&self) -> std::borrow::Cow<'a, str> {
        let mut texts = self
            .0
            .children()
            .filter(|n| n.is_text())
            .filter_map(|n| n.text());
        match (texts.next(), texts.next()) {
            (None, _) => "".into(),
            (Some(one), None) => one.into(),
            (Some(first), Some(second)) => {
                let mut all = format!("{first}{second}");
                all.extend(texts);
                all.into()
            }
        }
    }
}

impl fmt::Debug for Element<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{}>", self.name())
    }
}

/// A parsed document. Its elements borrow from it, and it from the text.
pub struct Document<'input>(roxmltree::Document<'input>);

impl fmt::Debug for Document<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Document({:?})", self.root())
    }
}

impl<'input> Document<'input> {
    /// Parses a body; it must be UTF-8 and well-formed, without a DTD.
    pub fn parse(body: &'input [u8]) -> Result<Self, WireError> {
        let text = std::str::from_utf8(body)
            .map_err(|e| WireError::new(format!("the body is not UTF-8: {e}")))?;
        roxmltree::Document::parse(text)
            .map(Document)
            .map_err(|e| WireError::new(format!("the body is not well-formed XML: {e}")))
    }

    /// Parses a body that may be empty (or only whitespace): `None` then,
    /// as every member read from it is absent.
    pub fn parse_non_empty(body: &'input [u8]) -> Result<Option<Self>, WireError> {
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(None);
        }
        Self::parse(body).map(Some)
    }

    /// The root element.
    pub fn root(&self) -> Element<'_, 'input> {
        Element(self.0.root_element())
    }
}
