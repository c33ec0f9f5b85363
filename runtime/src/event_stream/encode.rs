//! Messages to bytes, for input streams.

use super::error::EncodeError;
use super::header_wire::{self, first_duplicate};
use super::{Header, Message, MAX_HEADERS_LEN, MAX_PAYLOAD_LEN, OVERHEAD_LEN};
use bytes::{BufMut, Bytes, BytesMut};

/// `message` as one frame.
pub fn encode(message: &Message) -> Result<Bytes, EncodeError> {
    let mut out = BytesMut::new();
    encode_into(message, &mut out)?;
    Ok(out.freeze())
}

/// Appends `message` as one frame to `out`; on an error `out` is as it
/// was. Everything is checked before a byte is written: header names
/// (1 to 255 bytes, each once), value lengths, the 128 KiB of headers and
/// 24 MiB of payload that services accept.
pub fn encode_into(message: &Message, out: &mut BytesMut) -> Result<(), EncodeError> {
    let headers_len = checked_headers_len(message.headers())?;
    let payload = message.payload();
    if payload.len() > MAX_PAYLOAD_LEN {
        return Err(EncodeError::PayloadTooLarge {
            len: payload.len(),
            max: MAX_PAYLOAD_LEN,
        });
    }
    // Both limits keep the total far below u32::MAX.
    let total_len = OVERHEAD_LEN + headers_len + payload.len();
    out.reserve(total_len);
    let start = out.len();
    out.put_u32(total_len as u32);
    out.put_u32(headers_len as u32);
    let prelude_crc = crc32fast::hash(&out[start..]);
    out.put_u32(prelude_crc);
    for header in message.headers() {
        header_wire::write(header, out);
    }
    out.put_slice(payload);
    let message_crc = crc32fast::hash(&out[start..]);
    out.put_u32(message_crc);
    Ok(())
}

/// The headers section alone, as it appears in a frame of them. Event
/// signing hashes these bytes of the `:date` header; the same checks as
/// [`encode_into`] apply.
pub fn encode_headers(headers: &[Header], out: &mut BytesMut) -> Result<(), EncodeError> {
    let len = checked_headers_len(headers)?;
    out.reserve(len);
    for header in headers {
        header_wire::write(header, out);
    }
    Ok(())
}

/// The length of the headers section, once every header is known to be
/// writable.
fn checked_headers_len(headers: &[Header]) -> Result<usize, EncodeError> {
    let mut len = 0usize;
    for header in headers {
        len = len.saturating_add(header_wire::encoded_len(header)?);
    }
    if len > MAX_HEADERS_LEN {
        return Err(EncodeError::HeadersTooLarge {
            len,
            max: MAX_HEADERS_LEN,
        });
    }
    if let Some(name) = first_duplicate(headers.iter().map(Header::name_bytes)) {
        return Err(EncodeError::DuplicateHeader {
            name: String::from_utf8_lossy(name).into_owned(),
        });
    }
    Ok(len)
}
