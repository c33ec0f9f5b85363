//! A decoder of the `aws-chunked` content encoding as S3 takes it with
//! `x-amz-content-sha256: STREAMING-UNSIGNED-PAYLOAD-TRAILER`: chunks of
//! `HEX-SIZE CRLF DATA CRLF`, a last chunk of size 0, then trailer lines
//! `name:value CRLF` and an empty line. It decodes as the bytes arrive,
//! holding no more than one line, so that a body of any size passes
//! through in constant memory; anything else (a chunk extension, such as
//! a signed chunk's `chunk-signature`, a missing CRLF, bytes after the end)
//! is an error that names it.
//!
//! Written from the format's description in the S3 documentation, not
//! from any client's encoder: the mock shares no code with a client under
//! test.

/// Trailer lines as they came: name and value.
pub type Trailers = Vec<(String, String)>;

/// The longest size or trailer line taken.
const MAX_LINE: usize = 4096;

/// The most trailer lines taken.
const MAX_TRAILERS: usize = 16;

/// Where the decoder is in the encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Reading a chunk's size line.
    Size,
    /// Inside a chunk's data, with this many bytes to go.
    Data(u64),
    /// After a chunk's data, with this many bytes of its CRLF seen.
    DataEnd(usize),
    /// Reading trailer lines, after the last chunk.
    Trailers,
    /// After the empty line that ends the trailers.
    Done,
}

/// Decodes one body.
#[derive(Debug)]
pub struct Decoder {
    state: State,
    line: Vec<u8>,
    trailers: Trailers,
}

impl Default for Decoder {
    fn default() -> Self {
        Decoder {
            state: State::Size,
            line: Vec::new(),
            trailers: Vec::new(),
        }
    }
}

impl Decoder {
    /// Decodes the next bytes of the body, handing each run of decoded
    /// data to `data` (which may refuse it with an error of its own).
    pub fn feed(
        &mut self,
        mut input: &[u8],
        data: &mut impl FnMut(&[u8]) -> Result<(), String>,
    ) -> Result<(), String> {
        while !input.is_empty() {
            match self.state {
                State::Size | State::Trailers => {
                    let Some(line) = self.take_line(&mut input)? else {
                        return Ok(());
                    };
                    self.state = match self.state {
                        State::Size => match chunk_size(&line)? {
                            0 => State::Trailers,
                            n => State::Data(n),
                        },
                        _ if line.is_empty() => State::Done,
                        _ => {
                            self.trailer(&line)?;
                            State::Trailers
                        }
                    };
                }
                State::Data(left) => {
                    let n = input.len().min(usize::try_from(left).unwrap_or(usize::MAX));
                    data(&input[..n])?;
                    input = &input[n..];
                    self.state = match left - n as u64 {
                        0 => State::DataEnd(0),
                        left => State::Data(left),
                    };
                }
                State::DataEnd(seen) => {
                    if input[0] != b"\r\n"[seen] {
                        return Err("a chunk's data is not followed by CRLF".into());
                    }
                    input = &input[1..];
                    self.state = match seen {
                        0 => State::DataEnd(1),
                        _ => State::Size,
                    };
                }
                State::Done => {
                    return Err(format!(
                        "{} bytes after the end of the aws-chunked body",
                        input.len()
                    ))
                }
            }
        }
        Ok(())
    }

    /// The trailers, once the whole body has been fed; an error if it
    /// ended before its last chunk and the empty line after the trailers.
    pub fn finish(self) -> Result<Trailers, String> {
        match self.state {
            State::Done => Ok(self.trailers),
            State::Trailers => Err("the body ended inside its trailers".into()),
            _ => Err("the body ended before its last chunk (size 0)".into()),
        }
    }

    /// The next whole line without its CRLF, or `None` if the input ends
    /// first (what was read is kept for the next call).
    fn take_line(&mut self, input: &mut &[u8]) -> Result<Option<Vec<u8>>, String> {
        let end = input.iter().position(|&b| b == b'\n');
        let taken = end.map_or(input.len(), |i| i + 1);
        if self.line.len() + taken > MAX_LINE {
            return Err(format!("a line longer than {MAX_LINE} bytes"));
        }
        self.line.extend_from_slice(&input[..taken]);
        *input = &input[taken..];
        if end.is_none() {
            return Ok(None);
        }
        let mut line = std::mem::take(&mut self.line);
        if line.pop() != Some(b'\n') || line.pop() != Some(b'\r') {
            return Err("a line that does not end with CRLF".into());
        }
        Ok(Some(line))
    }

    fn trailer(&mut self, line: &[u8]) -> Result<(), String> {
        let text = std::str::from_utf8(line).map_err(|_| "a trailer that is not UTF-8")?;
        let (name, value) = text
            .split_once(':')
            .ok_or_else(|| format!("a trailer without a colon: {text:?}"))?;
        let valid_name = !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !valid_name {
            return Err(format!(
                "a trailer name that is not a lowercase token: {name:?}"
            ));
        }
        if self.trailers.len() == MAX_TRAILERS {
            return Err(format!("more than {MAX_TRAILERS} trailers"));
        }
        self.trailers
            .push((name.to_string(), value.trim().to_string()));
        Ok(())
    }
}

/// A size line: hexadecimal digits and nothing else (an extension such as
/// `;chunk-signature=...` belongs to the signed encodings, not this one).
fn chunk_size(line: &[u8]) -> Result<u64, String> {
    let text = String::from_utf8_lossy(line);
    if line.contains(&b';') {
        return Err(format!(
            "a chunk extension ({text:?}): STREAMING-UNSIGNED-PAYLOAD-TRAILER chunks have none"
        ));
    }
    if line.is_empty() || line.len() > 16 || !line.iter().all(u8::is_ascii_hexdigit) {
        return Err(format!("a chunk size that is not hexadecimal: {text:?}"));
    }
    u64::from_str_radix(&text, 16).map_err(|e| format!("chunk size {text:?}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Decodes `body` fed in pieces of `step` bytes: the data and the
    /// trailers.
    fn decode(body: &[u8], step: usize) -> Result<(Vec<u8>, Trailers), String> {
        let mut decoder = Decoder::default();
        let mut out = Vec::new();
        for piece in body.chunks(step) {
            decoder.feed(piece, &mut |d| {
                out.extend_from_slice(d);
                Ok(())
            })?;
        }
        Ok((out, decoder.finish()?))
    }

    /// Two chunks, then the trailer with the CRC32 of `hello, world`
    /// (as Python's `zlib.crc32` computes it, base64 of its big-endian
    /// bytes).
    const BODY: &[u8] = b"5\r\nhello\r\n7\r\n, world\r\n0\r\nx-amz-checksum-crc32:/6tyOg==\r\n\r\n";

    #[test]
    fn a_body_decodes_however_it_is_split() {
        for step in [1, 2, 3, 7, BODY.len()] {
            let (data, trailers) = decode(BODY, step).unwrap();
            assert_eq!(data, b"hello, world", "step {step}");
            assert_eq!(
                trailers,
                [("x-amz-checksum-crc32".to_string(), "/6tyOg==".to_string())]
            );
        }
        // Upper-case hex, and no trailers at all.
        let (data, trailers) = decode(b"A\r\n0123456789\r\n0\r\n\r\n", 4).unwrap();
        assert_eq!((data.len(), trailers.len()), (10, 0));
    }

    #[test]
    fn bad_framing_is_named() {
        let cases: [(&[u8], &str); 9] = [
            (b"5\r\nhello\n0\r\n\r\n", "not followed by CRLF"),
            (b"5\r\nhelloXX0\r\n\r\n", "not followed by CRLF"),
            (
                b"5;chunk-signature=ab\r\nhello\r\n0\r\n\r\n",
                "chunk extension",
            ),
            (b"x5\r\nhello\r\n0\r\n\r\n", "not hexadecimal"),
            (b"\r\n", "not hexadecimal"),
            (b"5\nhello\r\n0\r\n\r\n", "does not end with CRLF"),
            (b"5\r\nhello\r\n", "before its last chunk"),
            (
                b"0\r\nx-amz-checksum-crc32:AAAAAA==\r\n",
                "inside its trailers",
            ),
            (b"0\r\n\r\nextra", "after the end"),
        ];
        for (body, error) in cases {
            let got = decode(body, 3).unwrap_err();
            assert!(got.contains(error), "{body:?}: {got}");
        }
        let long = [b'1'; MAX_LINE + 1];
        assert!(decode(&long, 1000).unwrap_err().contains("longer than"));
        assert!(decode(b"0\r\nNoColon\r\n\r\n", 5)
            .unwrap_err()
            .contains("without a colon"));
        assert!(decode(b"0\r\nX-Amz:1\r\n\r\n", 5)
            .unwrap_err()
            .contains("lowercase token"));
    }

    #[test]
    fn the_data_callback_may_refuse() {
        let mut decoder = Decoder::default();
        let refused = decoder.feed(BODY, &mut |_| Err("not the object".into()));
        assert_eq!(refused, Err("not the object".into()));
    }
}
