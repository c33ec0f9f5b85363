//! AWS Signature Version 2, for the two services whose models still name
//! it (`signatureVersion: v2`: SimpleDB and Import/Export), which refuse
//! SigV4. Their requests are query-protocol forms: the signature is
//! computed over the form's parameters and sent as one more of them, as
//! botocore's `SigV2Auth` does.
//!
//! Proven against vectors that botocore's own signer made
//! (`runtime/tests/sigv2_vectors.rs`).

use crate::credentials::Credentials;
use crate::datetime::DateTime;
use crate::sigv4::encode_query_component;
use crate::timestamp::format_iso8601;
use base64::Engine;
use percent_encoding::percent_decode;
use ring::hmac;
use time::OffsetDateTime;

/// A form body that cannot be read as `name=value` pairs of UTF-8.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormError;

impl std::fmt::Display for FormError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the request's form body is not percent-encoded UTF-8, so SigV2 cannot sign it")
    }
}

impl std::error::Error for FormError {}

/// The form `body` of a request to `host` (as the `Host` header names it,
/// port included) and `path`, with SigV2's parameters and the signature
/// added: the body to send instead. Every parameter is written as the
/// signature read it (sorted, RFC 3986 encoding), so the service reads the
/// same values back.
pub fn sign_form(
    method: &str,
    host: &str,
    path: &str,
    body: &[u8],
    credentials: &Credentials,
    time: OffsetDateTime,
) -> Result<Vec<u8>, FormError> {
    let mut params = decode_form(body)?;
    // A parameter of these names from an earlier signature (a retry)
    // is replaced, as botocore's dict assignment replaces it.
    // botocore's `ISO8601`: whole seconds in UTC.
    let timestamp = format_iso8601(&DateTime::from_secs(time.unix_timestamp()));
    let mut set = |name: &str, value: &str| {
        params.retain(|(n, _)| n != name);
        params.push((name.to_string(), value.to_string()));
    };
    set("AWSAccessKeyId", credentials.access_key_id());
    set("SignatureVersion", "2");
    set("SignatureMethod", "HmacSHA256");
    set("Timestamp", &timestamp);
    if let Some(token) = credentials.session_token() {
        set("SecurityToken", token);
    }
    params.retain(|(n, _)| n != "Signature");
    params.sort_by(|a, b| a.0.cmp(&b.0));
    let query = params
        .iter()
        .map(|(n, v)| {
            format!(
                "{}={}",
                encode_query_component(n),
                encode_query_component(v)
            )
        })
        .collect::<Vec<_>>()
        .join("&");
    let path = if path.is_empty() { "/" } else { path };
    let string_to_sign = format!("{method}\n{host}\n{path}\n{query}");
    let key = hmac::Key::new(
        hmac::HMAC_SHA256,
        credentials.secret_access_key().as_bytes(),
    );
    let signature = base64::engine::general_purpose::STANDARD
        .encode(hmac::sign(&key, string_to_sign.as_bytes()).as_ref());
    let mut out = query.into_bytes();
    out.extend_from_slice(b"&Signature=");
    out.extend_from_slice(encode_query_component(&signature).as_bytes());
    Ok(out)
}

/// `a=1&b=x%20y` as pairs, `+` read as a space as forms write it.
fn decode_form(body: &[u8]) -> Result<Vec<(String, String)>, FormError> {
    let decode = |s: &[u8]| -> Result<String, FormError> {
        let spaced: Vec<u8> = s
            .iter()
            .map(|&b| if b == b'+' { b' ' } else { b })
            .collect();
        percent_decode(&spaced)
            .decode_utf8()
            .map(|c| c.into_owned())
            .map_err(|_| FormError)
    };
    body.split(|&b| b == b'&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = match pair.iter().position(|&b| b == b'=') {
                Some(i) => (&pair[..i], &pair[i + 1..]),
                None => (pair, &b""[..]),
            };
            Ok((decode(name)?, decode(value)?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn credentials(token: Option<&str>) -> Credentials {
        Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            token.map(str::to_string),
            None,
        )
    }

    #[test]
    fn a_retry_replaces_the_earlier_signature_and_time() {
        let first = sign_form(
            "POST",
            "sdb.amazonaws.com",
            "/",
            b"Action=ListDomains&Version=2009-04-15",
            &credentials(None),
            OffsetDateTime::from_unix_timestamp(1_700_000_000).unwrap(),
        )
        .unwrap();
        let again = sign_form(
            "POST",
            "sdb.amazonaws.com",
            "/",
            &first,
            &credentials(None),
            OffsetDateTime::from_unix_timestamp(1_700_000_060).unwrap(),
        )
        .unwrap();
        let text = String::from_utf8(again).unwrap();
        assert_eq!(text.matches("Signature=").count(), 1, "{text}");
        assert_eq!(text.matches("Timestamp=").count(), 1, "{text}");
        assert!(
            text.contains("Timestamp=2023-11-14T22%3A14%3A20Z"),
            "{text}"
        );
    }

    #[test]
    fn a_body_that_is_not_utf8_is_refused() {
        let error = sign_form(
            "POST",
            "h",
            "/",
            b"Action=%FF",
            &credentials(None),
            OffsetDateTime::UNIX_EPOCH,
        )
        .unwrap_err();
        assert_eq!(error, FormError);
    }
}
