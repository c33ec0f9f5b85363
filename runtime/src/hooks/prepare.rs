//! An operation's own rules on values: what the client completes in the
//! input before it is serialized, and finishes in the output after it is
//! read. botocore applies such rules as handlers on the parameters and on
//! the parsed response (Route 53's ids, S3 listings' URL encoding). They
//! act on typed values, not on the wire, so they are neither a protocol's
//! nor the orchestrator's.
//!
//! A generated operation whose service has such rules implements
//! [`PrepareCall`], and its builders call it through this module's
//! functions instead of the [`Handle`]'s own: a call, a presigned request,
//! every page of a paginator and every poll of a waiter see the same input.

use crate::error::{BuildError, SdkError};
use crate::operation::Operation;
use crate::presign::{PresignedRequest, PresigningConfig};
use crate::Handle;
use percent_encoding::percent_decode_str;

/// An operation whose input the client completes and whose output it
/// finishes.
pub trait PrepareCall: Operation {
    /// Completes `input` before it is serialized; returns whether the
    /// output is to be [finished](Self::finish).
    fn prepare(input: &mut Self::Input) -> bool;

    /// Finishes the output of a call whose input [`prepare`](Self::prepare)
    /// said so of.
    fn finish(_output: &mut Self::Output) {}
}

/// The input prepared, and whether its output is to be finished.
fn prepared<O: PrepareCall>(
    input: Result<O::Input, BuildError>,
) -> (Result<O::Input, BuildError>, bool) {
    match input {
        Ok(mut input) => {
            let finish = O::prepare(&mut input);
            (Ok(input), finish)
        }
        Err(e) => (Err(e), false),
    }
}

/// [`Handle::call`] of a prepared call.
pub async fn call<O: PrepareCall>(
    handle: &Handle,
    input: Result<O::Input, BuildError>,
) -> Result<O::Output, SdkError<O::Error>> {
    call_with_status::<O>(handle, input)
        .await
        .map(|(output, _)| output)
}

/// [`Handle::call_with_status`] of a prepared call.
pub async fn call_with_status<O: PrepareCall>(
    handle: &Handle,
    input: Result<O::Input, BuildError>,
) -> Result<(O::Output, u16), SdkError<O::Error>> {
    let (input, finish) = prepared::<O>(input);
    let (mut output, status) = handle.call_with_status::<O>(input).await?;
    if finish {
        O::finish(&mut output);
    }
    Ok((output, status))
}

/// [`Handle::call_blocking`] of a prepared call.
#[cfg(feature = "blocking")]
pub fn call_blocking<O: PrepareCall>(
    handle: &Handle,
    input: Result<O::Input, BuildError>,
) -> Result<O::Output, SdkError<O::Error>> {
    let (input, finish) = prepared::<O>(input);
    let mut output = handle.call_blocking::<O>(input)?;
    if finish {
        O::finish(&mut output);
    }
    Ok(output)
}

/// [`Handle::presign`] of a prepared call: the URL asks what the call
/// would ask.
pub async fn presign<O: PrepareCall>(
    handle: &Handle,
    input: Result<O::Input, BuildError>,
    presigning: PresigningConfig,
) -> Result<PresignedRequest, SdkError<O::Error>> {
    handle
        .presign::<O>(prepared::<O>(input).0, presigning)
        .await
}

/// [`Handle::presign_blocking`] of a prepared call.
#[cfg(feature = "blocking")]
pub fn presign_blocking<O: PrepareCall>(
    handle: &Handle,
    input: Result<O::Input, BuildError>,
    presigning: PresigningConfig,
) -> Result<PresignedRequest, SdkError<O::Error>> {
    handle.presign_blocking::<O>(prepared::<O>(input).0, presigning)
}

/// Sets `member` to `value` when the caller left it unset; returns whether
/// it did.
pub fn set_if_unset<T>(member: &mut Option<T>, value: T) -> bool {
    if member.is_some() {
        return false;
    }
    *member = Some(value);
    true
}

/// Keeps the text after the last `/` of a set member: Route 53's
/// `/hostedzone/Z1` is sent as `Z1` (botocore's `fix_route53_ids`, which
/// takes `split('/')[-1]`, so a value ending in `/` becomes empty, and is
/// then refused as an empty label where it is one).
pub fn keep_last_segment(member: &mut Option<String>) {
    if let Some(value) = member {
        if let Some((_, last)) = value.rsplit_once('/') {
            *value = last.to_string();
        }
    }
}

/// Decodes a set member as botocore decodes what S3 URL-encodes
/// (`urllib.parse.unquote_plus`): `+` is a space, `%XX` a byte, the bytes
/// read as UTF-8 with what is not UTF-8 replaced by U+FFFD, and a `%` that
/// two hex digits do not follow kept as it is.
pub fn url_decode(member: &mut Option<String>) {
    if let Some(value) = member {
        if value.contains(['+', '%']) {
            let spaced = value.replace('+', " ");
            *value = percent_decode_str(&spaced).decode_utf8_lossy().into_owned();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(text: &str) -> String {
        let mut value = Some(text.to_string());
        url_decode(&mut value);
        value.unwrap()
    }

    #[test]
    fn url_decoding_is_unquote_plus() {
        // Each expected value is what Python's `unquote_plus` gives.
        let cases = [
            ("photos/2024/a+b.jpg", "photos/2024/a b.jpg"),
            ("a%2Bb", "a+b"),
            ("a%20b+c", "a b c"),
            ("%E6%97%A5%E6%9C%AC", "日本"),
            ("already é", "already é"),
            ("100%", "100%"),
            ("%zz%4", "%zz%4"),
            ("%2", "%2"),
            ("%ff", "\u{FFFD}"),
            ("a%C3", "a\u{FFFD}"),
            ("%C3%28", "\u{FFFD}("),
            ("%F0%9F%98", "\u{FFFD}"),
            ("%0A%00", "\n\0"),
            ("", ""),
        ];
        for (text, expected) in cases {
            assert_eq!(decoded(text), expected, "{text:?}");
        }
        let mut unset = None;
        url_decode(&mut unset);
        assert_eq!(unset, None);
    }

    #[test]
    fn ids_keep_their_last_segment() {
        let cases = [
            ("/hostedzone/Z1D633PJN98FT9", "Z1D633PJN98FT9"),
            ("/change/C2682N5HXP0BZ4", "C2682N5HXP0BZ4"),
            ("/delegationset/N1PA6795SAMPLE", "N1PA6795SAMPLE"),
            ("Z1D633PJN98FT9", "Z1D633PJN98FT9"),
            ("a/b/c", "c"),
            ("ends/", ""),
        ];
        for (text, expected) in cases {
            let mut value = Some(text.to_string());
            keep_last_segment(&mut value);
            assert_eq!(value.as_deref(), Some(expected), "{text:?}");
        }
        let mut unset = None;
        keep_last_segment(&mut unset);
        assert_eq!(unset, None);
    }

    #[test]
    fn only_an_unset_member_takes_the_default() {
        let mut unset: Option<&str> = None;
        assert!(set_if_unset(&mut unset, "url"));
        assert_eq!(unset, Some("url"));
        let mut chosen = Some("other");
        assert!(!set_if_unset(&mut chosen, "url"));
        assert_eq!(chosen, Some("other"));
    }
}
