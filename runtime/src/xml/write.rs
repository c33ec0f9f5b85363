//! XML bodies, written: rest-xml requests and payloads.
//!
//! Generated serializers drive one [`XmlWriter`] element by element, so a
//! body is one string grown in place, with no tree in between. A start tag
//! stays open until its first child or text, so that attributes (a
//! namespace, an `xmlAttribute` member) may still be added to it.

use crate::protocol::WireText;
use crate::timestamp::{self, TimestampFormat};
use crate::DateTime;

/// The body of an XML request, written in document order.
#[derive(Debug, Default)]
pub struct XmlWriter {
    out: String,
    /// The last start tag is not closed yet (`<Name` written, `>` not).
    open: bool,
}

impl XmlWriter {
    pub fn new() -> Self {
        XmlWriter {
            out: String::with_capacity(256),
            open: false,
        }
    }

    fn close_tag(&mut self) {
        if self.open {
            self.out.push('>');
            self.open = false;
        }
    }

    /// Starts an element; its attributes may follow until its content.
    pub fn start(&mut self, name: &str) {
        self.close_tag();
        self.out.push('<');
        self.out.push_str(name);
        self.open = true;
    }

    /// Declares a namespace on the element just started: `xmlns="uri"`, or
    /// `xmlns:prefix="uri"`.
    pub fn namespace(&mut self, prefix: Option<&str>, uri: &str) {
        match prefix {
            Some(prefix) => {
                let name = format!("xmlns:{prefix}");
                self.attribute(&name, uri);
            }
            None => self.attribute("xmlns", uri),
        }
    }

    /// An attribute of the element just started. Ignored after its content
    /// began (generated code writes attributes first).
    pub fn attribute<T: WireText + ?Sized>(&mut self, name: &str, value: &T) {
        if !self.open {
            debug_assert!(false, "attribute `{name}` after the element's content");
            return;
        }
        self.out.push(' ');
        self.out.push_str(name);
        self.out.push_str("=\"");
        escape_into(&mut self.out, &value.wire_text(), true);
        self.out.push('"');
    }

    /// Text content of the element just started.
    pub fn text<T: WireText + ?Sized>(&mut self, value: &T) {
        self.close_tag();
        escape_into(&mut self.out, &value.wire_text(), false);
    }

    /// A timestamp as text content, in `format`.
    pub fn timestamp_text(&mut self, value: &DateTime, format: TimestampFormat) {
        self.close_tag();
        let text = timestamp::format(value, format);
        escape_into(&mut self.out, &text, false);
    }

    /// Ends the element `name` (the one started last and not yet ended).
    pub fn end(&mut self, name: &str) {
        if self.open {
            self.out.push_str("/>");
            self.open = false;
            return;
        }
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
    }

    /// `<name>value</name>`, with a namespace when one is given.
    pub fn element<T: WireText + ?Sized>(
        &mut self,
        name: &str,
        namespace: Option<(Option<&str>, &str)>,
        value: &T,
    ) {
        self.start(name);
        if let Some((prefix, uri)) = namespace {
            self.namespace(prefix, uri);
        }
        self.text(value);
        self.end(name);
    }

    /// `<name>timestamp</name>`, in `format`.
    pub fn timestamp(
        &mut self,
        name: &str,
        namespace: Option<(Option<&str>, &str)>,
        value: &DateTime,
        format: TimestampFormat,
    ) {
        self.start(name);
        if let Some((prefix, uri)) = namespace {
            self.namespace(prefix, uri);
        }
        self.timestamp_text(value, format);
        self.end(name);
    }

    pub fn finish(mut self) -> Vec<u8> {
        self.close_tag();
        self.out.into_bytes()
    }
}

/// Escapes what XML text (or, with `attribute`, a quoted attribute value)
/// cannot hold as it is. Carriage returns, and in attributes tabs and
/// newlines, are written as references, which a parser does not normalize
/// away.
fn escape_into(out: &mut String, text: &str, attribute: bool) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#xD;"),
            '"' if attribute => out.push_str("&quot;"),
            '\n' if attribute => out.push_str("&#xA;"),
            '\t' if attribute => out.push_str("&#x9;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xml::Document;

    #[test]
    fn elements_attributes_and_namespaces() {
        let mut w = XmlWriter::new();
        w.start("Grant");
        w.namespace(None, "http://s3.amazonaws.com/doc/2006-03-01/");
        w.start("Grantee");
        w.namespace(Some("xsi"), "http://www.w3.org/2001/XMLSchema-instance");
        w.attribute("xsi:type", "CanonicalUser");
        w.element("ID", None, "a<b & \"c\"");
        w.end("Grantee");
        w.start("Empty");
        w.end("Empty");
        w.element("N", Some((None, "urn:n")), &1.5f64);
        w.end("Grant");
        let body = String::from_utf8(w.finish()).unwrap();
        assert_eq!(
            body,
            "<Grant xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\
             <Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"CanonicalUser\">\
             <ID>a&lt;b &amp; \"c\"</ID></Grantee><Empty/><N xmlns=\"urn:n\">1.5</N></Grant>"
        );
    }

    #[test]
    fn any_text_reads_back_as_written() {
        for text in ["", "plain", "<&>\"'", "a\r\nb\tc", "\u{1F600} ü", "]]>"] {
            let mut w = XmlWriter::new();
            w.start("E");
            w.attribute("a", text);
            w.text(text);
            w.end("E");
            let body = w.finish();
            let doc = Document::parse(&body).unwrap();
            let root = doc.root();
            assert_eq!(root.text(), text, "{}", String::from_utf8_lossy(&body));
            assert_eq!(root.attribute("a"), Some(text));
        }
    }

    #[test]
    fn timestamps_in_each_format() {
        let mut w = XmlWriter::new();
        let t = DateTime::from_secs(1_576_540_098);
        w.start("T");
        w.timestamp("A", None, &t, TimestampFormat::DateTime);
        w.timestamp("B", None, &t, TimestampFormat::EpochSeconds);
        w.timestamp("C", None, &t, TimestampFormat::HttpDate);
        w.end("T");
        assert_eq!(
            String::from_utf8(w.finish()).unwrap(),
            "<T><A>2019-12-16T23:48:18Z</A><B>1576540098</B><C>Mon, 16 Dec 2019 23:48:18 GMT</C></T>"
        );
    }
}
