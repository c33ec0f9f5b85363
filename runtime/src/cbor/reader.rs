//! A pull reader of CBOR items, tracking the maps and arrays it is in.

use crate::error::WireError;
use minicbor::data::Type;
use minicbor::decode::Decoder;
use std::borrow::Cow;

/// The kind of the next item, as far as a shape reader cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Null,
    Bool,
    Integer,
    Float,
    Text,
    Bytes,
    Array,
    Map,
    Tag,
    /// Anything else: a simple value, a stray break, a reserved byte.
    Other,
}

impl Kind {
    /// Its name in an error message.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Null => "null",
            Kind::Bool => "a boolean",
            Kind::Integer => "an integer",
            Kind::Float => "a float",
            Kind::Text => "a text string",
            Kind::Bytes => "a byte string",
            Kind::Array => "an array",
            Kind::Map => "a map",
            Kind::Tag => "a tagged item",
            Kind::Other => "an unexpected item",
        }
    }
}

/// Where a reader was, to return to it.
#[derive(Debug, Clone, Copy)]
pub struct Checkpoint {
    position: usize,
    depth: usize,
}

/// A reader over a whole CBOR body. Each open map or array is a frame:
/// `Some(n)` items of a definite one left after the current, `None` for
/// an indefinite one, which ends at a break.
#[derive(Debug)]
pub struct Reader<'a> {
    decoder: Decoder<'a>,
    frames: Vec<Option<u64>>,
}

/// minicbor's error, as the wire error of a response.
fn wire(e: minicbor::decode::Error) -> WireError {
    WireError::new(format!("not CBOR: {e}"))
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Reader {
            decoder: Decoder::new(bytes),
            frames: Vec::new(),
        }
    }

    /// The kind of the next item.
    pub fn kind(&mut self) -> Result<Kind, WireError> {
        Ok(match self.decoder.datatype().map_err(wire)? {
            Type::Null | Type::Undefined => Kind::Null,
            Type::Bool => Kind::Bool,
            Type::U8
            | Type::U16
            | Type::U32
            | Type::U64
            | Type::I8
            | Type::I16
            | Type::I32
            | Type::I64
            | Type::Int => Kind::Integer,
            Type::F16 | Type::F32 | Type::F64 => Kind::Float,
            Type::String | Type::StringIndef => Kind::Text,
            Type::Bytes | Type::BytesIndef => Kind::Bytes,
            Type::Array | Type::ArrayIndef => Kind::Array,
            Type::Map | Type::MapIndef => Kind::Map,
            Type::Tag => Kind::Tag,
            _ => Kind::Other,
        })
    }

    /// An error saying what was expected and what the next item is.
    pub fn expected(&mut self, expected: &str) -> WireError {
        match self.kind() {
            Ok(kind) => WireError::new(format!("expected {expected}, found {}", kind.name())),
            Err(e) => e,
        }
    }

    pub fn checkpoint(&mut self) -> Checkpoint {
        Checkpoint {
            position: self.decoder.position(),
            depth: self.frames.len(),
        }
    }

    /// Returns to `at`, in the same map or array.
    pub fn restore(&mut self, at: Checkpoint) {
        self.decoder.set_position(at.position);
        self.frames.truncate(at.depth);
    }

    /// Whether anything was read since `at`.
    pub fn moved(&self, at: Checkpoint) -> bool {
        self.decoder.position() != at.position
    }

    /// Checks that the body holds nothing more.
    pub fn finish(&mut self) -> Result<(), WireError> {
        if self.decoder.position() < self.decoder.input().len() {
            return Err(WireError::new("trailing bytes after the CBOR item"));
        }
        Ok(())
    }

    /// Reads a null (or undefined), if that is next.
    pub fn take_null(&mut self) -> Result<bool, WireError> {
        match self.decoder.datatype().map_err(wire)? {
            Type::Null => self.decoder.null().map_err(wire)?,
            Type::Undefined => self.decoder.undefined().map_err(wire)?,
            _ => return Ok(false),
        }
        Ok(true)
    }

    pub fn bool(&mut self) -> Result<bool, WireError> {
        if self.kind()? != Kind::Bool {
            return Err(self.expected("a boolean"));
        }
        self.decoder.bool().map_err(wire)
    }

    /// An integer, within 64 signed bits.
    pub fn integer(&mut self) -> Result<i64, WireError> {
        if self.kind()? != Kind::Integer {
            return Err(self.expected("an integer"));
        }
        let value = self.decoder.int().map_err(wire)?;
        i64::try_from(value).map_err(|_| WireError::new("the number does not fit a 64-bit integer"))
    }

    /// An integer as a document holds it: every digit of a non-negative
    /// one within 64 unsigned bits.
    pub fn number(&mut self) -> Result<crate::document::Number, WireError> {
        use crate::document::Number;
        if self.kind()? == Kind::Float {
            return self.float().map(Number::Float);
        }
        if self.kind()? != Kind::Integer {
            return Err(self.expected("a number"));
        }
        let value = i128::from(self.decoder.int().map_err(wire)?);
        if let Ok(v) = u64::try_from(value) {
            Ok(Number::PosInt(v))
        } else if let Ok(v) = i64::try_from(value) {
            Ok(Number::NegInt(v))
        } else {
            Err(WireError::new("the number does not fit 64 bits"))
        }
    }

    /// A float of any width (half, single or double).
    pub fn float(&mut self) -> Result<f64, WireError> {
        if self.kind()? != Kind::Float {
            return Err(self.expected("a float"));
        }
        self.decoder.f64().map_err(wire)
    }

    /// A tag's number.
    pub fn tag(&mut self) -> Result<u64, WireError> {
        self.decoder.tag().map(|t| t.as_u64()).map_err(wire)
    }

    /// A text string, definite or in chunks; borrowed when definite.
    pub fn str(&mut self) -> Result<Cow<'a, str>, WireError> {
        match self.decoder.datatype().map_err(wire)? {
            Type::String => self.decoder.str().map(Cow::Borrowed).map_err(wire),
            Type::StringIndef => {
                let mut out = String::new();
                for chunk in self.decoder.str_iter().map_err(wire)? {
                    out.push_str(chunk.map_err(wire)?);
                }
                Ok(Cow::Owned(out))
            }
            _ => Err(self.expected("a text string")),
        }
    }

    /// A byte string, definite or in chunks.
    pub fn bytes(&mut self) -> Result<Vec<u8>, WireError> {
        match self.decoder.datatype().map_err(wire)? {
            Type::Bytes => self.decoder.bytes().map(<[u8]>::to_vec).map_err(wire),
            Type::BytesIndef => {
                let mut out = Vec::new();
                for chunk in self.decoder.bytes_iter().map_err(wire)? {
                    out.extend_from_slice(chunk.map_err(wire)?);
                }
                Ok(out)
            }
            _ => Err(self.expected("a byte string")),
        }
    }

    /// Opens a map: `true` if it has an entry, whose key is next.
    pub fn enter_object(&mut self) -> Result<bool, WireError> {
        if self.kind()? != Kind::Map {
            return Err(self.expected("a map"));
        }
        let len = self.decoder.map().map_err(wire)?;
        self.open(len)
    }

    /// A map's key: text (a key of another kind is an error).
    pub fn key(&mut self) -> Result<Cow<'a, str>, WireError> {
        self.str()
    }

    /// After an entry: `true` if another follows (its key next), else the
    /// map is closed.
    pub fn more_members(&mut self) -> Result<bool, WireError> {
        self.next_item()
    }

    /// Opens an array: `true` if it has an element, which is next.
    pub fn enter_array(&mut self) -> Result<bool, WireError> {
        if self.kind()? != Kind::Array {
            return Err(self.expected("an array"));
        }
        let len = self.decoder.array().map_err(wire)?;
        self.open(len)
    }

    /// After an element: `true` if another follows, else the array is
    /// closed.
    pub fn more_elements(&mut self) -> Result<bool, WireError> {
        self.next_item()
    }

    /// Skips the next item, whatever it holds.
    pub fn skip(&mut self) -> Result<(), WireError> {
        self.decoder.skip().map_err(wire)
    }

    /// Pushes the frame of a container of `len` items (`None`:
    /// indefinite); `false`, and no frame, when it is empty.
    fn open(&mut self, len: Option<u64>) -> Result<bool, WireError> {
        match len {
            Some(0) => Ok(false),
            Some(n) => {
                self.frames.push(Some(n - 1));
                Ok(true)
            }
            None if self.at_break()? => Ok(false),
            None => {
                self.frames.push(None);
                Ok(true)
            }
        }
    }

    /// Moves past the current item of the innermost container: `true` if
    /// another follows, else the frame is popped.
    fn next_item(&mut self) -> Result<bool, WireError> {
        let more = match self.frames.last_mut() {
            Some(Some(0)) => false,
            Some(Some(n)) => {
                *n -= 1;
                true
            }
            Some(None) => !self.at_break()?,
            None => return Err(WireError::new("no map or array is open")),
        };
        if !more {
            self.frames.pop();
        }
        Ok(more)
    }

    /// Consumes a break, if it is next.
    fn at_break(&mut self) -> Result<bool, WireError> {
        if self.decoder.datatype().map_err(wire)? == Type::Break {
            self.decoder.set_position(self.decoder.position() + 1);
            return Ok(true);
        }
        Ok(false)
    }
}
