//! Headers on the wire: a one-byte name length, the name, a one-byte
//! type, and what that type takes. Writing one header, and reading the
//! headers section of a frame.

use super::error::{DecodeError, EncodeError};
use super::message::Headers;
use super::{route, sign};
use super::{Header, HeaderValue, SharedStr, MAX_HEADER_NAME_LEN, MAX_HEADER_VALUE_LEN};
use crate::DateTime;
use bytes::{BufMut, Bytes, BytesMut};
use std::collections::HashSet;
use std::sync::Arc;

const TYPE_TRUE: u8 = 0;
const TYPE_FALSE: u8 = 1;
const TYPE_BYTE: u8 = 2;
const TYPE_INT16: u8 = 3;
const TYPE_INT32: u8 = 4;
const TYPE_INT64: u8 = 5;
const TYPE_BYTE_ARRAY: u8 = 6;
const TYPE_STRING: u8 = 7;
const TYPE_TIMESTAMP: u8 = 8;
const TYPE_UUID: u8 = 9;

/// Milliseconds since the epoch, rounded down; `None` past what an `i64`
/// of milliseconds holds.
fn millis(time: DateTime) -> Option<i64> {
    i64::try_from(time.as_nanos().div_euclid(1_000_000)).ok()
}

/// The bytes `header` takes on the wire, after checking that it can be
/// written: a name of 1 to 255 bytes, a value the specification allows.
pub(super) fn encoded_len(header: &Header) -> Result<usize, EncodeError> {
    let name = header.name();
    if name.is_empty() {
        return Err(EncodeError::EmptyHeaderName);
    }
    if name.len() > MAX_HEADER_NAME_LEN {
        return Err(EncodeError::HeaderNameTooLong { len: name.len() });
    }
    let value_len = match &header.value() {
        HeaderValue::Bool(_) => 0,
        HeaderValue::Byte(_) => 1,
        HeaderValue::Int16(_) => 2,
        HeaderValue::Int32(_) => 4,
        HeaderValue::Int64(_) => 8,
        HeaderValue::ByteArray(v) => 2 + checked_value_len(name, v.len())?,
        HeaderValue::String(v) => 2 + checked_value_len(name, v.len())?,
        HeaderValue::Timestamp(v) => {
            millis(*v).ok_or_else(|| EncodeError::TimestampOutOfRange {
                name: name.to_string(),
            })?;
            8
        }
        HeaderValue::Uuid(_) => 16,
    };
    Ok(1 + name.len() + 1 + value_len)
}

fn checked_value_len(name: &str, len: usize) -> Result<usize, EncodeError> {
    if len > MAX_HEADER_VALUE_LEN {
        return Err(EncodeError::HeaderValueTooLong {
            name: name.to_string(),
            len,
        });
    }
    Ok(len)
}

/// Writes a header that [`encoded_len`] accepted.
pub(super) fn write(header: &Header, out: &mut BytesMut) {
    let name = header.name().as_bytes();
    out.put_u8(name.len() as u8);
    out.put_slice(name);
    match &header.value() {
        HeaderValue::Bool(true) => out.put_u8(TYPE_TRUE),
        HeaderValue::Bool(false) => out.put_u8(TYPE_FALSE),
        HeaderValue::Byte(v) => {
            out.put_u8(TYPE_BYTE);
            out.put_i8(*v);
        }
        HeaderValue::Int16(v) => {
            out.put_u8(TYPE_INT16);
            out.put_i16(*v);
        }
        HeaderValue::Int32(v) => {
            out.put_u8(TYPE_INT32);
            out.put_i32(*v);
        }
        HeaderValue::Int64(v) => {
            out.put_u8(TYPE_INT64);
            out.put_i64(*v);
        }
        HeaderValue::ByteArray(v) => {
            out.put_u8(TYPE_BYTE_ARRAY);
            out.put_u16(v.len() as u16);
            out.put_slice(v);
        }
        HeaderValue::String(v) => {
            out.put_u8(TYPE_STRING);
            out.put_u16(v.len() as u16);
            out.put_slice(v.as_bytes());
        }
        HeaderValue::Timestamp(v) => {
            out.put_u8(TYPE_TIMESTAMP);
            out.put_i64(millis(*v).unwrap_or_default());
        }
        HeaderValue::Uuid(v) => {
            out.put_u8(TYPE_UUID);
            out.put_slice(v);
        }
    }
}

/// The longest headers section [`HeaderReader`] remembers.
const REMEMBERED_LEN: usize = 512;

/// Reads the headers sections of one stream's messages. A stream's messages
/// mostly repeat their headers (each text delta of a Bedrock reply carries
/// the same three), so the last section whose headers share nothing with
/// their frame is kept: a repeat of it is a comparison, and its messages
/// share the headers, not parsed again.
#[derive(Default)]
pub(super) struct HeaderReader {
    names: &'static [&'static str],
    /// The last such section's bytes, and its headers.
    last: Option<(Vec<u8>, Arc<[Header]>)>,
}

impl HeaderReader {
    /// A reader taking `names` as static strings (see [`read_all`]).
    pub(super) fn new(names: &'static [&'static str]) -> Self {
        HeaderReader { names, last: None }
    }

    /// The headers of `frame[offset..][..len]`, as [`read_all`] reads them;
    /// a repeat of the last section shares its headers.
    pub(super) fn read(
        &mut self,
        frame: &Bytes,
        (offset, len): (usize, usize),
    ) -> Result<Headers, DecodeError> {
        let read = Section::of(frame, (offset, len));
        if let Some((section, headers)) = &self.last {
            if section[..] == *read.bytes {
                return Ok(Headers::shared(headers.clone()));
            }
        }
        let headers = read_all(read, self.names)?;
        if len > REMEMBERED_LEN || !headers.iter().all(Header::is_detached) {
            return Ok(Headers::own(headers));
        }
        let headers: Arc<[Header]> = headers.into();
        // The buffer of the section it replaces is reused.
        let mut section = self
            .last
            .take()
            .map(|(section, _)| section)
            .unwrap_or_default();
        section.clear();
        section.extend_from_slice(read.bytes);
        self.last = Some((section, headers.clone()));
        Ok(Headers::shared(headers))
    }
}

/// Reads a headers section whose bytes the message CRC has vouched for.
/// Every length is checked against what is left of the section. A string
/// that is one of [`COMMON`] or of `names` is taken as that static string.
/// Values that are not static share the frame's buffer, and offsets in
/// errors count from the section's start.
fn read_all(
    section: Section<'_>,
    names: &'static [&'static str],
) -> Result<Vec<Header>, DecodeError> {
    // Room for the headers a message usually has.
    let mut headers = Vec::with_capacity(4);
    let mut at = 0;
    while at < section.bytes.len() {
        let (header, next) = read_one(section, names, at)?;
        headers.push(header);
        at = next;
    }
    if let Some(name) = first_duplicate(headers.iter().map(Header::name_bytes)) {
        return Err(DecodeError::DuplicateHeader {
            name: String::from_utf8_lossy(name).into_owned(),
        });
    }
    Ok(headers)
}

/// The header at `start`, and where the next one begins.
fn read_one(
    section: Section<'_>,
    names: &'static [&'static str],
    start: usize,
) -> Result<(Header, usize), DecodeError> {
    let mut cursor = Cursor {
        section,
        names,
        at: start,
    };
    let name_out_of_bounds = |_| DecodeError::HeaderOutOfBounds {
        offset: start,
        name: None,
    };
    let [name_len] = cursor.array().map_err(name_out_of_bounds)?;
    if name_len == 0 {
        return Err(DecodeError::EmptyHeaderName { offset: start });
    }
    let name = cursor
        .text(name_len as usize)
        .map_err(name_out_of_bounds)?
        .map_err(|_| DecodeError::HeaderNameNotUtf8 { offset: start })?;
    let value = read_value(&mut cursor).map_err(|error| {
        let name = name.to_string();
        match error {
            ValueError::OutOfBounds => DecodeError::HeaderOutOfBounds {
                offset: start,
                name: Some(name),
            },
            ValueError::NotUtf8 => DecodeError::HeaderStringNotUtf8 { name },
            ValueError::UnknownType(type_code) => {
                DecodeError::UnknownHeaderType { name, type_code }
            }
        }
    })?;
    Ok((Header::new(name, value), cursor.at))
}

/// What can be wrong with a value, before the header's name is added.
enum ValueError {
    OutOfBounds,
    NotUtf8,
    UnknownType(u8),
}

impl From<OutOfBounds> for ValueError {
    fn from(_: OutOfBounds) -> Self {
        ValueError::OutOfBounds
    }
}

/// A value: its type byte, then what that type takes.
fn read_value(cursor: &mut Cursor<'_>) -> Result<HeaderValue, ValueError> {
    let [type_code] = cursor.array()?;
    Ok(match type_code {
        TYPE_TRUE => HeaderValue::Bool(true),
        TYPE_FALSE => HeaderValue::Bool(false),
        TYPE_BYTE => HeaderValue::Byte(i8::from_be_bytes(cursor.array()?)),
        TYPE_INT16 => HeaderValue::Int16(i16::from_be_bytes(cursor.array()?)),
        TYPE_INT32 => HeaderValue::Int32(i32::from_be_bytes(cursor.array()?)),
        TYPE_INT64 => HeaderValue::Int64(i64::from_be_bytes(cursor.array()?)),
        TYPE_BYTE_ARRAY => {
            let len = u16::from_be_bytes(cursor.array()?);
            HeaderValue::ByteArray(cursor.slice(len as usize)?)
        }
        TYPE_STRING => {
            let len = u16::from_be_bytes(cursor.array()?);
            HeaderValue::String(
                cursor
                    .text(len as usize)?
                    .map_err(|_| ValueError::NotUtf8)?,
            )
        }
        TYPE_TIMESTAMP => {
            HeaderValue::Timestamp(DateTime::from_millis(i64::from_be_bytes(cursor.array()?)))
        }
        TYPE_UUID => HeaderValue::Uuid(cursor.array()?),
        other => return Err(ValueError::UnknownType(other)),
    })
}

/// A length that runs past the end of the headers section.
struct OutOfBounds;

/// A headers section, and the frame it is part of.
#[derive(Clone, Copy)]
struct Section<'a> {
    bytes: &'a [u8],
    frame: &'a Bytes,
    /// Where `bytes` start in `frame`.
    offset: usize,
}

impl<'a> Section<'a> {
    /// `frame[offset..][..len]` (empty if it is not within the frame: the
    /// decoder has checked the lengths against the frame before).
    fn of(frame: &'a Bytes, (offset, len): (usize, usize)) -> Self {
        Section {
            bytes: frame.get(offset..offset + len).unwrap_or_default(),
            frame,
            offset,
        }
    }

    /// `section[range]`, sharing the frame's buffer.
    fn share(&self, start: usize, end: usize) -> Bytes {
        self.frame.slice(self.offset + start..self.offset + end)
    }
}

/// Reads forward through a headers section, never past its end.
struct Cursor<'a> {
    section: Section<'a>,
    names: &'static [&'static str],
    at: usize,
}

impl Cursor<'_> {
    fn take(&mut self, len: usize) -> Result<&[u8], OutOfBounds> {
        let end = self.at.checked_add(len).ok_or(OutOfBounds)?;
        let bytes = self.section.bytes.get(self.at..end).ok_or(OutOfBounds)?;
        self.at = end;
        Ok(bytes)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], OutOfBounds> {
        self.take(N)?.try_into().map_err(|_| OutOfBounds)
    }

    /// `len` bytes sharing the section's buffer.
    fn slice(&mut self, len: usize) -> Result<Bytes, OutOfBounds> {
        let start = self.at;
        self.take(len)?;
        Ok(self.section.share(start, self.at))
    }

    /// `len` bytes of text: one of [`COMMON`] or of the model's names as a
    /// static string, anything else sharing the section's buffer once its
    /// UTF-8 is checked.
    fn text(&mut self, len: usize) -> Result<Result<SharedStr, std::str::Utf8Error>, OutOfBounds> {
        let (start, names) = (self.at, self.names);
        let bytes = self.take(len)?;
        let known = |list: &'static [&'static str]| list.iter().find(|c| c.as_bytes() == bytes);
        if let Some(text) = known(COMMON).or_else(|| known(names)) {
            return Ok(Ok(SharedStr::from_static(text)));
        }
        Ok(SharedStr::from_utf8(self.section.share(start, self.at)))
    }
}

/// Header names and values that nearly every message carries. Taken as
/// static strings, they cost a decoded message no reference to the frame's
/// buffer (two atomic operations each, one to share and one to drop) and
/// no second UTF-8 check: of a Bedrock event's six header strings, only
/// its event type is left to share.
const COMMON: &[&str] = &[
    route::MESSAGE_TYPE,
    route::EVENT_TYPE,
    route::CONTENT_TYPE,
    route::EXCEPTION_TYPE,
    route::ERROR_CODE,
    route::ERROR_MESSAGE,
    sign::DATE,
    sign::CHUNK_SIGNATURE,
    "event",
    "exception",
    "error",
    "application/json",
    "application/octet-stream",
    "text/plain",
];

/// The first name seen twice. A message names a header at most once (the
/// specification says so, and botocore refuses a repeat): two
/// `:event-type`s would leave it to chance which one routes the message.
/// Pairwise for the few headers of a real message; a set for the many of
/// a hostile one, which would otherwise cost the square of their count.
pub(super) fn first_duplicate<'a>(
    names: impl Iterator<Item = &'a [u8]> + Clone,
) -> Option<&'a [u8]> {
    const PAIRWISE_UP_TO: usize = 16;
    if names.clone().count() <= PAIRWISE_UP_TO {
        let mut rest = names;
        while let Some(name) = rest.next() {
            if rest.clone().any(|other| other == name) {
                return Some(name);
            }
        }
        return None;
    }
    let mut seen = HashSet::new();
    names.into_iter().find(|name| !seen.insert(*name))
}
