//! A pull reader over the bytes of a JSON document: generated readers walk
//! it once, straight into the typed output, with no tree in between.
//!
//! Strings without escapes are borrowed from the bytes; nothing is
//! allocated for structure. Nesting is limited (a deep document is an
//! error, not a stack overflow in the recursive generated readers), and
//! skipping an unknown member does not recurse at all.

use crate::document::Number;
use crate::error::WireError;
use std::borrow::Cow;

/// How deep objects and arrays may nest, as serde_json's default limit.
const MAX_DEPTH: u32 = 128;

/// What the next value is, from its first byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Null,
    Bool,
    Number,
    String,
    Array,
    Object,
}

impl Kind {
    /// For error messages: `a string`, `an object`, ...
    pub fn name(self) -> &'static str {
        match self {
            Kind::Null => "null",
            Kind::Bool => "a boolean",
            Kind::Number => "a number",
            Kind::String => "a string",
            Kind::Array => "an array",
            Kind::Object => "an object",
        }
    }
}

/// A position to come back to: where a value starts.
#[derive(Debug, Clone, Copy)]
pub struct Checkpoint {
    pos: usize,
    depth: u32,
}

/// Reads one JSON document from `bytes`, value by value.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    bytes: &'a [u8],
    /// The longest prefix of `bytes` that is UTF-8, checked once: a string
    /// is a slice of it (a string reaching past it is not text).
    text: &'a str,
    pos: usize,
    depth: u32,
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        let text = match std::str::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default(),
        };
        Reader {
            bytes,
            text,
            pos: 0,
            depth: 0,
        }
    }

    /// The error for the document's syntax at the current position.
    fn syntax(&self, what: &str) -> WireError {
        WireError::new(format!("not valid JSON at byte {}: {what}", self.pos))
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    /// The next byte after whitespace, not consumed.
    fn peek_byte(&mut self) -> Result<u8, WireError> {
        self.skip_whitespace();
        self.bytes
            .get(self.pos)
            .copied()
            .ok_or_else(|| self.syntax("the document ends too soon"))
    }

    /// What the next value is.
    pub fn kind(&mut self) -> Result<Kind, WireError> {
        Ok(match self.peek_byte()? {
            b'{' => Kind::Object,
            b'[' => Kind::Array,
            b'"' => Kind::String,
            b't' | b'f' => Kind::Bool,
            b'n' => Kind::Null,
            b'-' | b'0'..=b'9' => Kind::Number,
            _ => return Err(self.syntax("expected a value")),
        })
    }

    /// The error for a value that is not the `expected` kind.
    pub fn expected(&mut self, expected: &str) -> WireError {
        match self.kind() {
            Ok(kind) => WireError::new(format!("expected {expected}, found {}", kind.name())),
            Err(e) => e,
        }
    }

    /// Where the next value starts, to come back to it.
    pub fn checkpoint(&mut self) -> Checkpoint {
        self.skip_whitespace();
        Checkpoint {
            pos: self.pos,
            depth: self.depth,
        }
    }

    /// Back to a checkpoint.
    pub fn restore(&mut self, at: Checkpoint) {
        self.pos = at.pos;
        self.depth = at.depth;
    }

    /// Whether the reader moved past `at`: a value was read from there.
    pub fn moved(&self, at: Checkpoint) -> bool {
        self.pos != at.pos
    }

    /// After the top value: only whitespace may follow.
    pub fn finish(&mut self) -> Result<(), WireError> {
        self.skip_whitespace();
        if self.pos == self.bytes.len() {
            Ok(())
        } else {
            Err(self.syntax("more after the document"))
        }
    }

    fn literal(&mut self, word: &'static [u8]) -> Result<(), WireError> {
        if self.bytes[self.pos..].starts_with(word) {
            self.pos += word.len();
            Ok(())
        } else {
            Err(self.syntax("expected a value"))
        }
    }

    /// Consumes a `null` if that is what comes next.
    pub fn take_null(&mut self) -> Result<bool, WireError> {
        if self.peek_byte()? == b'n' {
            self.literal(b"null")?;
            Ok(true)
        } else {
            Ok(false)
        }
    }

    /// A `true` or `false`.
    pub fn bool(&mut self) -> Result<bool, WireError> {
        match self.peek_byte()? {
            b't' => self.literal(b"true").map(|()| true),
            b'f' => self.literal(b"false").map(|()| false),
            _ => Err(self.expected("a boolean")),
        }
    }

    fn descend(&mut self) -> Result<(), WireError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.syntax("objects and arrays nest more than 128 deep"));
        }
        Ok(())
    }

    /// Enters an object (`{`); `true` if it has a member, whose key
    /// [`key`](Self::key) reads next.
    pub fn enter_object(&mut self) -> Result<bool, WireError> {
        if self.peek_byte()? != b'{' {
            return Err(self.expected("an object"));
        }
        self.pos += 1;
        self.descend()?;
        if self.peek_byte()? == b'}' {
            self.pos += 1;
            self.depth -= 1;
            return Ok(false);
        }
        Ok(true)
    }

    /// A member's key and the `:` after it; its value comes next.
    pub fn key(&mut self) -> Result<Cow<'a, str>, WireError> {
        if self.peek_byte()? != b'"' {
            return Err(self.syntax("expected a member name"));
        }
        let key = self.string_token()?;
        if self.peek_byte()? != b':' {
            return Err(self.syntax("expected `:`"));
        }
        self.pos += 1;
        Ok(key)
    }

    /// After a member's value: `true` if another member follows (its key
    /// next), `false` at the end of the object.
    pub fn more_members(&mut self) -> Result<bool, WireError> {
        match self.peek_byte()? {
            b',' => {
                self.pos += 1;
                Ok(true)
            }
            b'}' => {
                self.pos += 1;
                self.depth -= 1;
                Ok(false)
            }
            _ => Err(self.syntax("expected `,` or `}`")),
        }
    }

    /// Enters an array (`[`); `true` if it has an element, which comes next.
    pub fn enter_array(&mut self) -> Result<bool, WireError> {
        if self.peek_byte()? != b'[' {
            return Err(self.expected("an array"));
        }
        self.pos += 1;
        self.descend()?;
        if self.peek_byte()? == b']' {
            self.pos += 1;
            self.depth -= 1;
            return Ok(false);
        }
        Ok(true)
    }

    /// After an element: `true` if another follows, `false` at the end of
    /// the array.
    pub fn more_elements(&mut self) -> Result<bool, WireError> {
        match self.peek_byte()? {
            b',' => {
                self.pos += 1;
                Ok(true)
            }
            b']' => {
                self.pos += 1;
                self.depth -= 1;
                Ok(false)
            }
            _ => Err(self.syntax("expected `,` or `]`")),
        }
    }

    /// A string value.
    pub fn str(&mut self) -> Result<Cow<'a, str>, WireError> {
        if self.peek_byte()? != b'"' {
            return Err(self.expected("a string"));
        }
        self.string_token()
    }

    /// The string starting at the current `"`: borrowed unless it has
    /// escapes.
    fn string_token(&mut self) -> Result<Cow<'a, str>, WireError> {
        let start = self.pos + 1;
        let mut i = start;
        let bytes = self.bytes;
        // The common case: no escape, so the text is a slice. Plain bytes
        // are passed over by table, a byte at a time but with one test.
        i = plain_run(bytes, i);
        match bytes.get(i) {
            None => {
                self.pos = i;
                return Err(self.syntax("a string is not closed"));
            }
            Some(b'"') => {
                // `"` is ASCII, so both ends are character boundaries of
                // the checked text, if the string lies within it.
                let text = self.text.get(start..i).ok_or_else(|| {
                    self.pos = start;
                    self.syntax("a string is not UTF-8")
                })?;
                self.pos = i + 1;
                return Ok(Cow::Borrowed(text));
            }
            Some(b'\\') => {}
            Some(_) => {
                self.pos = i;
                return Err(self.syntax("a control character in a string"));
            }
        }
        let mut out: Vec<u8> = Vec::with_capacity(i - start + 16);
        out.extend_from_slice(&bytes[start..i]);
        loop {
            match bytes.get(i) {
                None => {
                    self.pos = i;
                    return Err(self.syntax("a string is not closed"));
                }
                Some(b'"') => {
                    self.pos = i + 1;
                    return String::from_utf8(out).map(Cow::Owned).map_err(|_| {
                        self.pos = start;
                        self.syntax("a string is not UTF-8")
                    });
                }
                Some(b'\\') => {
                    self.pos = i;
                    let escaped = *bytes
                        .get(i + 1)
                        .ok_or_else(|| self.syntax("a string is not closed"))?;
                    i += 2;
                    let simple = match escaped {
                        b'"' => b'"',
                        b'\\' => b'\\',
                        b'/' => b'/',
                        b'b' => 0x08,
                        b'f' => 0x0c,
                        b'n' => b'\n',
                        b'r' => b'\r',
                        b't' => b'\t',
                        b'u' => {
                            let c = self.unicode_escape(&mut i)?;
                            let mut buf = [0; 4];
                            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                            continue;
                        }
                        _ => return Err(self.syntax("an unknown escape in a string")),
                    };
                    out.push(simple);
                }
                Some(&b) if b < 0x20 => {
                    self.pos = i;
                    return Err(self.syntax("a control character in a string"));
                }
                Some(&b) => {
                    out.push(b);
                    i += 1;
                }
            }
        }
    }

    /// The character of a `\uXXXX` escape whose hex digits start at `*i`,
    /// a surrogate pair taking the `\uXXXX` after it.
    fn unicode_escape(&mut self, i: &mut usize) -> Result<char, WireError> {
        let first = self.hex4(*i)?;
        *i += 4;
        let code = match first {
            0xD800..=0xDBFF => {
                if self.bytes.get(*i..*i + 2) != Some(b"\\u") {
                    return Err(self.syntax("an unpaired surrogate in a string"));
                }
                let second = self.hex4(*i + 2)?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return Err(self.syntax("an unpaired surrogate in a string"));
                }
                *i += 6;
                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            }
            0xDC00..=0xDFFF => return Err(self.syntax("an unpaired surrogate in a string")),
            code => code,
        };
        char::from_u32(code).ok_or_else(|| self.syntax("an invalid \\u escape"))
    }

    fn hex4(&self, at: usize) -> Result<u32, WireError> {
        let digits = self
            .bytes
            .get(at..at + 4)
            .ok_or_else(|| self.syntax("a \\u escape is cut short"))?;
        let mut value = 0;
        for &d in digits {
            let v = match d {
                b'0'..=b'9' => d - b'0',
                b'a'..=b'f' => d - b'a' + 10,
                b'A'..=b'F' => d - b'A' + 10,
                _ => return Err(self.syntax("a \\u escape with a digit that is not hex")),
            };
            value = value * 16 + u32::from(v);
        }
        Ok(value)
    }

    /// A number's text, checked against JSON's grammar.
    fn number_text(&mut self) -> Result<(&'a str, bool), WireError> {
        let bytes = self.bytes;
        let start = self.pos;
        let mut i = start;
        let digits = |i: &mut usize| {
            let from = *i;
            while bytes.get(*i).is_some_and(u8::is_ascii_digit) {
                *i += 1;
            }
            *i > from
        };
        if bytes.get(i) == Some(&b'-') {
            i += 1;
        }
        let int_start = i;
        if !digits(&mut i) {
            self.pos = i;
            return Err(self.syntax("a number without digits"));
        }
        if bytes[int_start] == b'0' && i - int_start > 1 {
            self.pos = int_start;
            return Err(self.syntax("a number with a leading zero"));
        }
        let mut integer = true;
        if bytes.get(i) == Some(&b'.') {
            integer = false;
            i += 1;
            if !digits(&mut i) {
                self.pos = i;
                return Err(self.syntax("a number without digits after `.`"));
            }
        }
        if let Some(b'e' | b'E') = bytes.get(i) {
            integer = false;
            i += 1;
            if let Some(b'+' | b'-') = bytes.get(i) {
                i += 1;
            }
            if !digits(&mut i) {
                self.pos = i;
                return Err(self.syntax("a number without exponent digits"));
            }
        }
        self.pos = i;
        // Only ASCII digits and signs were taken: a slice of the checked
        // text, unless the document stopped being UTF-8 before them.
        let text = self
            .text
            .get(start..i)
            .ok_or_else(|| self.syntax("a number"))?;
        Ok((text, integer))
    }

    /// A number value's text, checked against JSON's grammar.
    pub fn number_str(&mut self) -> Result<&'a str, WireError> {
        if self.kind()? != Kind::Number {
            return Err(self.expected("a number"));
        }
        self.number_text().map(|(text, _)| text)
    }

    /// A number value.
    pub fn number(&mut self) -> Result<Number, WireError> {
        if self.kind()? != Kind::Number {
            return Err(self.expected("a number"));
        }
        let (text, integer) = self.number_text()?;
        if integer {
            if let Some(digits) = text.strip_prefix('-') {
                // `-0` is not a negative integer but the float -0.0 (as
                // serde_json reads it), which is also what the writer
                // writes -0.0 as: `NegInt(0)` would come back as 0.
                let negative = parse_u64(digits).filter(|v| *v != 0);
                if let Some(v) = negative.and_then(|v| 0i64.checked_sub_unsigned(v)) {
                    return Ok(Number::NegInt(v));
                }
            } else if let Some(v) = parse_u64(text) {
                return Ok(Number::PosInt(v));
            }
        }
        // A fraction, an exponent, `-0`, or an integer beyond 64 bits.
        text.parse::<f64>()
            .map(Number::Float)
            .map_err(|_| self.syntax("a number out of range"))
    }

    /// Skips the next value, whatever it is, without recursion.
    pub fn skip(&mut self) -> Result<(), WireError> {
        // The containers entered here, innermost in the lowest bit: 1 for
        // an object. Nesting is limited to 128, so 128 bits hold them all.
        let mut objects: u128 = 0;
        let mut open = 0u32;
        loop {
            match self.kind()? {
                Kind::Null => self.literal(b"null")?,
                Kind::Bool => {
                    self.bool()?;
                }
                Kind::Number => {
                    self.number_text()?;
                }
                Kind::String => self.skip_string()?,
                Kind::Object => {
                    if self.enter_object()? {
                        objects = objects << 1 | 1;
                        open += 1;
                        self.key_for_skip()?;
                        continue;
                    }
                }
                Kind::Array => {
                    if self.enter_array()? {
                        objects <<= 1;
                        open += 1;
                        continue;
                    }
                }
            }
            // A value ended: close the containers that end with it.
            loop {
                if open == 0 {
                    return Ok(());
                }
                let in_object = objects & 1 == 1;
                let more = if in_object {
                    self.more_members()?
                } else {
                    self.more_elements()?
                };
                if more {
                    if in_object {
                        self.key_for_skip()?;
                    }
                    break;
                }
                objects >>= 1;
                open -= 1;
            }
        }
    }

    fn key_for_skip(&mut self) -> Result<(), WireError> {
        if self.peek_byte()? != b'"' {
            return Err(self.syntax("expected a member name"));
        }
        self.skip_string()?;
        if self.peek_byte()? != b':' {
            return Err(self.syntax("expected `:`"));
        }
        self.pos += 1;
        Ok(())
    }

    /// Passes over a string, checking it as [`str`](Self::str) would.
    fn skip_string(&mut self) -> Result<(), WireError> {
        self.string_token().map(drop)
    }
}

/// Digits to a `u64`; `None` if they overflow.
fn parse_u64(digits: &str) -> Option<u64> {
    let mut value: u64 = 0;
    for d in digits.bytes() {
        value = value.checked_mul(10)?.checked_add(u64::from(d - b'0'))?;
    }
    Some(value)
}

/// Where the plain run of a string that starts at `i` ends: at the first
/// `"`, `\\` or control character. Eight bytes are tested at a time (a
/// response is mostly string bytes); the last few of the document one by
/// one.
fn plain_run(bytes: &[u8], mut i: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    // Whether some byte of `v` is zero: exact (the classic bit trick).
    let zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGHS;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let Ok(word) = <[u8; 8]>::try_from(chunk) else {
            break;
        };
        let word = u64::from_le_bytes(word);
        let quote = zero(word ^ (ONES * u64::from(b'"')));
        let backslash = zero(word ^ (ONES * u64::from(b'\\')));
        // Some byte below 0x20 (exact for a bound up to 0x80).
        let control = word.wrapping_sub(ONES * 0x20) & !word & HIGHS;
        let special = quote | backslash | control;
        if special != 0 {
            // A borrow only runs upward from a flagged byte, so the lowest
            // flag is the first special byte exactly.
            return i + (special.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while bytes.get(i).is_some_and(|&b| !SPECIAL[usize::from(b)]) {
        i += 1;
    }
    i
}

/// The bytes that end the plain run of a string: `"`, `\\` and the
/// control characters.
static SPECIAL: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = true;
        b += 1;
    }
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table
};

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<Kind> {
        let mut r = Reader::new(text.as_bytes());
        let mut out = Vec::new();
        assert!(r.enter_array().unwrap());
        loop {
            out.push(r.kind().unwrap());
            r.skip().unwrap();
            if !r.more_elements().unwrap() {
                break;
            }
        }
        r.finish().unwrap();
        out
    }

    #[test]
    fn every_kind_and_skipping_nested_values() {
        assert_eq!(
            kinds(r#" [null, true, -1.5e3, "s", [1, [2]], {"a": {"b": [3, {}]}, "c": "d"}] "#),
            [
                Kind::Null,
                Kind::Bool,
                Kind::Number,
                Kind::String,
                Kind::Array,
                Kind::Object
            ]
        );
    }

    #[test]
    fn a_plain_run_ends_at_the_first_special_byte_wherever_it_is() {
        for len in 0..40 {
            for special in [b'"', b'\\', 0x00, 0x1f, b'\n'] {
                for at in 0..=len {
                    let mut bytes = vec![b'a'; len];
                    // Bytes above 0x7f and 0x20 never end a run.
                    for (k, b) in bytes.iter_mut().enumerate() {
                        *b = [b'a', 0xc3, 0x20, 0x7f, 0xff][k % 5];
                    }
                    if at < len {
                        bytes[at] = special;
                    }
                    assert_eq!(plain_run(&bytes, 0), at.min(len), "{len} {special} {at}");
                }
            }
        }
    }

    #[test]
    fn every_byte_value_ends_a_run_or_not_as_json_says() {
        for b in 0..=255u8 {
            for at in 0..12 {
                let mut bytes = *b"abcdefghijklmno\"";
                bytes[at] = b;
                let special = b < 0x20 || b == b'"' || b == b'\\';
                let end = if special { at } else { 15 };
                assert_eq!(plain_run(&bytes, 0), end, "{b:#04x} at {at}");
            }
        }
    }

    #[test]
    fn strings_borrow_unless_escaped() {
        let mut r = Reader::new(br#""plain""#);
        assert!(matches!(r.str().unwrap(), Cow::Borrowed("plain")));
        let mut r = Reader::new(br#""a\"b\\c\/\n\t\u00e9\ud83d\ude00""#);
        assert_eq!(r.str().unwrap(), "a\"b\\c/\n\té😀");
        for bad in [
            &br#""\ud83d""#[..],
            br#""\ude00""#,
            br#""\x""#,
            b"\"a\nb\"",
            b"\"\xff\"",
            br#""open"#,
            br#""\u12""#,
        ] {
            assert!(Reader::new(bad).str().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn numbers_keep_integers_exact() {
        let number = |text: &str| Reader::new(text.as_bytes()).number();
        assert_eq!(number("0").unwrap(), Number::PosInt(0));
        assert_eq!(
            number("18446744073709551615").unwrap(),
            Number::PosInt(u64::MAX)
        );
        assert_eq!(
            number("-9223372036854775808").unwrap(),
            Number::NegInt(i64::MIN)
        );
        assert_eq!(
            number("18446744073709551616").unwrap(),
            Number::Float(1.8446744073709552e19)
        );
        assert_eq!(number("2.5").unwrap(), Number::Float(2.5));
        assert_eq!(number("-1E-2").unwrap(), Number::Float(-0.01));
        for bad in ["01", "-", "1.", ".5", "1e", "+1", "--1"] {
            assert!(number(bad).is_err(), "{bad}");
        }
    }

    /// Found by the `json` fuzz target: `-0` was read as `NegInt(0)`, which
    /// the writer writes as `0`, and -0.0 (written `-0`) came back as that
    /// same `NegInt(0)`, losing its sign.
    #[test]
    fn negative_zero_is_a_float_and_keeps_its_sign() {
        for text in ["-0", "-0.0", "-0e5"] {
            match Reader::new(text.as_bytes()).number().unwrap() {
                Number::Float(v) => assert!(v == 0.0 && v.is_sign_negative(), "{text}"),
                other => panic!("{text} read as {other:?}"),
            }
        }
        assert_eq!(Reader::new(b"0").number().unwrap(), Number::PosInt(0));
        let mut w = crate::json::JsonWriter::new();
        w.document(&crate::Document::Number(Number::Float(-0.0)));
        let text = w.finish();
        let back = Reader::new(&text).number().unwrap();
        assert_eq!(back.as_f64().to_bits(), (-0.0f64).to_bits(), "{text:?}");
    }

    #[test]
    fn objects_are_walked_member_by_member() {
        let mut r = Reader::new(br#"{"a": 1, "b\u0021": [true], "c": {}}"#);
        let mut keys = Vec::new();
        assert!(r.enter_object().unwrap());
        loop {
            keys.push(r.key().unwrap().into_owned());
            r.skip().unwrap();
            if !r.more_members().unwrap() {
                break;
            }
        }
        r.finish().unwrap();
        assert_eq!(keys, ["a", "b!", "c"]);
        assert!(!Reader::new(b"{ }").enter_object().unwrap());
        let mut r = Reader::new(b"{\"a\" 1}");
        r.enter_object().unwrap();
        assert!(r.key().is_err());
    }

    #[test]
    fn malformed_documents_are_errors_not_panics() {
        for bad in [
            &b""[..],
            b"{",
            b"[\"a\":1]",
            b"[1,]",
            b"[1 2]",
            b"{\"a\":1,}",
            b"{1:2}",
            b"tru",
            b"nul",
            b"[}",
            b"{]",
        ] {
            let mut r = Reader::new(bad);
            assert!(r.skip().and_then(|()| r.finish()).is_err(), "{bad:?}");
        }
        assert!(Reader::new(b"{} x").skip().is_ok());
        let mut r = Reader::new(b"{} x");
        r.skip().unwrap();
        assert!(r.finish().is_err());
    }

    #[test]
    fn nesting_is_limited_without_recursion() {
        let deep = "[".repeat(100_000) + &"]".repeat(100_000);
        let err = Reader::new(deep.as_bytes()).skip().unwrap_err();
        assert!(err.to_string().contains("128 deep"), "{err}");
        let fine = "[".repeat(128) + &"]".repeat(128);
        let mut r = Reader::new(fine.as_bytes());
        r.skip().unwrap();
        r.finish().unwrap();
    }

    #[test]
    fn a_checkpoint_goes_back_to_a_value() {
        let mut r = Reader::new(br#"{"a": [1, 2], "b": 3}"#);
        r.enter_object().unwrap();
        r.key().unwrap();
        let at = r.checkpoint();
        assert!(r.enter_array().unwrap());
        assert!(r.moved(at));
        r.restore(at);
        r.skip().unwrap();
        assert!(r.more_members().unwrap());
        assert_eq!(r.key().unwrap(), "b");
    }
}
