//! Checks a request's SigV4 signature from what arrived on the wire, with
//! the keys the caller knows (the bench's fixed pair, or the soak's
//! rotating instance credentials), so that a client that skips signing, or
//! signs wrongly or with a key it should no longer use, is refused instead
//! of winning. A small copy of the project's test verifier
//! (`tests/src/sigv4_verify.rs`) on ring, which the mock links for TLS
//! already; no code of a client under test is used.

use bench_common::REGION;
use hyper::HeaderMap;
use ring::{digest, hmac};
use std::fmt::Write;

/// What the mock knows of an access key.
#[derive(Clone)]
pub struct Key {
    pub secret: String,
    /// The token that temporary credentials must send with every request
    /// (`X-Amz-Security-Token`); `None` for a long-term key.
    pub session_token: Option<String>,
}

/// The keys the mock accepts now: the key of an access key id, or `None`
/// for one it does not know (or no longer accepts).
pub type Keys<'a> = &'a dyn Fn(&str) -> Option<Key>;

/// Verifies one request: `target` is the path and query as sent,
/// `service` the signing name the request's service must use, and `keys`
/// gives the key of an access key id the mock accepts now.
pub fn verify(
    method: &str,
    target: &str,
    headers: &HeaderMap,
    body: &[u8],
    service: &str,
    keys: Keys<'_>,
) -> Result<(), String> {
    let request = Request {
        method,
        target,
        headers,
        service,
        s3: false,
    };
    // A body left out of the signature says so in a signed header.
    let unsigned = headers
        .get("x-amz-content-sha256")
        .is_some_and(|v| v == "UNSIGNED-PAYLOAD");
    let payload = if unsigned {
        "UNSIGNED-PAYLOAD".to_string()
    } else {
        hex(digest::digest(&digest::SHA256, body).as_ref())
    };
    check(&request, &payload, unsigned, keys)
}

/// Verifies a request to S3 by S3's rules: the path is signed as sent
/// (its segments encoded once, not twice), and the payload hash signed is
/// the `x-amz-content-sha256` header, which every request must send and
/// sign: a SHA-256 in hex, `UNSIGNED-PAYLOAD` or
/// `STREAMING-UNSIGNED-PAYLOAD-TRAILER`. Whether a hex hash is the body's
/// is for the caller, who reads the body as it arrives, to check
/// ([`sha256_hex`]).
pub fn verify_s3(
    method: &str,
    target: &str,
    headers: &HeaderMap,
    keys: Keys<'_>,
) -> Result<(), String> {
    let payload = headers
        .get("x-amz-content-sha256")
        .and_then(|v| v.to_str().ok())
        .ok_or("no x-amz-content-sha256 header, which S3 requires")?;
    let request = Request {
        method,
        target,
        headers,
        service: "s3",
        s3: true,
    };
    check(&request, payload, true, keys)
}

/// The SHA-256 of what a hasher was fed, in lowercase hex, as
/// `x-amz-content-sha256` carries it.
pub fn sha256_hex(hasher: digest::Context) -> String {
    hex(hasher.finish().as_ref())
}

/// What a signature is checked against, besides the payload hash.
struct Request<'a> {
    method: &'a str,
    target: &'a str,
    headers: &'a HeaderMap,
    service: &'a str,
    /// S3's rules: the path encoded once.
    s3: bool,
}

/// Checks the signature of `request` whose payload hash is `payload`;
/// `hash_header_signed` says that `x-amz-content-sha256` must be among
/// the signed headers.
fn check(
    request: &Request<'_>,
    payload: &str,
    hash_header_signed: bool,
    keys: Keys<'_>,
) -> Result<(), String> {
    let Request {
        method,
        target,
        headers,
        service,
        s3,
    } = *request;
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let authorization = header("authorization").ok_or("no Authorization header")?;
    let rest = authorization
        .strip_prefix("AWS4-HMAC-SHA256 ")
        .ok_or("not AWS4-HMAC-SHA256")?;
    let (mut credential, mut signed, mut signature) = (None, None, None);
    for part in rest.split(',').map(str::trim) {
        match part.split_once('=') {
            Some(("Credential", v)) => credential = Some(v),
            Some(("SignedHeaders", v)) => signed = Some(v),
            Some(("Signature", v)) => signature = Some(v),
            _ => return Err(format!("unexpected part {part:?}")),
        }
    }
    let credential = credential.ok_or("no Credential")?;
    let (signed, signature) = (
        signed.ok_or("no SignedHeaders")?,
        signature.ok_or("no Signature")?,
    );
    let [key_id, date, region, scope_service, "aws4_request"] =
        credential.split('/').collect::<Vec<_>>()[..]
    else {
        return Err(format!("bad credential {credential:?}"));
    };
    if region != REGION || scope_service != service {
        return Err(format!(
            "credential {credential:?} is not for {REGION}/{service}"
        ));
    }
    let key = keys(key_id).ok_or_else(|| format!("access key {key_id} is not accepted"))?;
    if key.session_token.as_deref() != header("x-amz-security-token") {
        return Err(format!(
            "the session token of {key_id} is missing or not the one issued with it"
        ));
    }
    let amz_date = header("x-amz-date").ok_or("no X-Amz-Date header")?;
    if !amz_date.starts_with(date) {
        return Err(format!(
            "X-Amz-Date {amz_date} is not on the scope date {date}"
        ));
    }
    let names: Vec<&str> = signed.split(';').collect();
    if !names.contains(&"host") || !names.contains(&"x-amz-date") {
        return Err(format!(
            "host and x-amz-date must be signed, not only {signed}"
        ));
    }

    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    // Services other than S3 sign the path as sent, URI-encoded once more;
    // S3 signs each segment encoded once.
    let path = if s3 {
        encode(&decode(path), true)
    } else {
        encode(path, true)
    };
    let mut canonical = format!("{method}\n{path}\n");
    let mut params: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (encode(&decode(k), false), encode(&decode(v), false))
        })
        .collect();
    params.sort();
    let query: Vec<String> = params.iter().map(|(k, v)| format!("{k}={v}")).collect();
    canonical.push_str(&query.join("&"));
    canonical.push('\n');
    for name in &names {
        let values: Vec<String> = headers
            .get_all(*name)
            .iter()
            .map(|v| {
                String::from_utf8_lossy(v.as_bytes())
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        if values.is_empty() {
            return Err(format!("signed header {name} did not arrive"));
        }
        let _ = writeln!(canonical, "{name}:{}", values.join(","));
    }
    if hash_header_signed && !names.contains(&"x-amz-content-sha256") {
        return Err(format!("{payload} without signing x-amz-content-sha256"));
    }
    let _ = write!(canonical, "\n{signed}\n{payload}");

    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{date}/{region}/{service}/aws4_request\n{}",
        hex(digest::digest(&digest::SHA256, canonical.as_bytes()).as_ref())
    );
    let mut key = format!("AWS4{}", key.secret).into_bytes();
    for part in [date, region, service, "aws4_request"] {
        key = sign(&key, part).as_ref().to_vec();
    }
    if hex(sign(&key, &string_to_sign).as_ref()) == signature {
        Ok(())
    } else {
        Err(format!(
            "signature mismatch; canonical request:\n{canonical}"
        ))
    }
}

fn sign(key: &[u8], data: &str) -> hmac::Tag {
    hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, key), data.as_bytes())
}

fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// RFC 3986 unreserved characters stay, every other byte becomes `%XX`.
fn encode(text: &str, keep_slash: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) || (keep_slash && byte == b'/') {
            out.push(byte as char);
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex_pair = bytes
            .get(i + 1..i + 3)
            .and_then(|h| u8::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok());
        match hex_pair {
            Some(byte) if bytes[i] == b'%' => {
                out.push(byte);
                i += 3;
            }
            _ => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    //! Requests signed by the AWS SigV4 test suite (the project vendors it
    //! in `runtime/tests/data/sigv4/`), whose credentials are the bench's:
    //! evidence from outside this project that the check accepts what AWS
    //! accepts, and refuses a signature one byte off.

    use super::{verify, Key};
    use hyper::HeaderMap;

    /// The suite's key pair, which is also the bench's.
    fn suite_key(access_key: &str) -> Option<Key> {
        (access_key == "AKIDEXAMPLE").then(|| Key {
            secret: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY".into(),
            session_token: None,
        })
    }

    const DATE: &str = "20150830T123600Z";
    const SCOPE: &str = "Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request";

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(k, v)| (k.parse().unwrap(), v.parse().unwrap()))
            .collect()
    }

    /// `get-vanilla-query-order-key-case`: the query is sorted.
    fn get(signature: &str, service: &str) -> Result<(), String> {
        get_with(signature, service, &suite_key)
    }

    fn get_with(signature: &str, service: &str, keys: super::Keys<'_>) -> Result<(), String> {
        let authorization = format!(
            "AWS4-HMAC-SHA256 {SCOPE}, SignedHeaders=host;x-amz-date, Signature={signature}"
        );
        let headers = headers(&[
            ("host", "example.amazonaws.com"),
            ("x-amz-date", DATE),
            ("authorization", &authorization),
        ]);
        verify(
            "GET",
            "/?Param2=value2&Param1=value1",
            &headers,
            b"",
            service,
            keys,
        )
    }

    /// `post-x-www-form-urlencoded`: the body's hash is signed.
    fn post(body: &[u8]) -> Result<(), String> {
        let authorization = format!(
            "AWS4-HMAC-SHA256 {SCOPE}, SignedHeaders=content-length;content-type;host;x-amz-content-sha256;x-amz-date, Signature=d3875051da38690788ef43de4db0d8f280229d82040bfac253562e56c3f20e0b"
        );
        let headers = headers(&[
            ("content-type", "application/x-www-form-urlencoded"),
            ("host", "example.amazonaws.com"),
            ("content-length", "13"),
            ("x-amz-date", DATE),
            (
                "x-amz-content-sha256",
                "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e",
            ),
            ("authorization", &authorization),
        ]);
        verify("POST", "/", &headers, body, "service", &suite_key)
    }

    const GET_SIGNATURE: &str = "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500";

    #[test]
    fn a_correctly_signed_request_passes() {
        assert_eq!(get(GET_SIGNATURE, "service"), Ok(()));
        assert_eq!(post(b"Param1=value1"), Ok(()));
    }

    #[test]
    fn one_byte_off_is_refused() {
        let mut wrong = GET_SIGNATURE.to_string();
        wrong.replace_range(10..11, "0"); // `9` becomes `0`
        assert!(get(&wrong, "service")
            .unwrap_err()
            .starts_with("signature mismatch"));
        assert!(post(b"Param1=value2")
            .unwrap_err()
            .starts_with("signature mismatch"));
    }

    #[test]
    fn no_signature_or_another_scope_is_refused() {
        let unsigned = headers(&[("host", "example.amazonaws.com"), ("x-amz-date", DATE)]);
        assert_eq!(
            verify("GET", "/", &unsigned, b"", "service", &suite_key),
            Err("no Authorization header".into())
        );
        // The suite's own request, arriving at a service it was not signed for.
        assert!(get(GET_SIGNATURE, "dynamodb")
            .unwrap_err()
            .contains("is not for us-east-1/dynamodb"));
        // Signed right, with a key the mock no longer accepts.
        assert_eq!(
            get_with(GET_SIGNATURE, "service", &|_| None),
            Err("access key AKIDEXAMPLE is not accepted".into())
        );
    }

    #[test]
    fn temporary_credentials_must_send_their_token() {
        let with_token = |access_key: &str| {
            suite_key(access_key).map(|key| Key {
                session_token: Some("issued-token".into()),
                ..key
            })
        };
        // The suite's request carries no token.
        assert!(get_with(GET_SIGNATURE, "service", &with_token)
            .unwrap_err()
            .contains("session token of AKIDEXAMPLE is missing"));
    }

    /// The example requests of the S3 API reference's "Signature
    /// calculations for the Authorization header" (transferring the
    /// payload in a single chunk), with its documented keys and
    /// signatures: S3's rules, from outside this project.
    mod s3 {
        use super::super::{verify_s3, Key};
        use super::headers;

        fn doc_key(access_key: &str) -> Option<Key> {
            (access_key == "AKIAIOSFODNN7EXAMPLE").then(|| Key {
                secret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".into(),
                session_token: None,
            })
        }

        const EMPTY_SHA256: &str =
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        const GET: &str = "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41";
        const PUT: &str = "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd";

        fn authorization(signed: &str, signature: &str) -> String {
            format!("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders={signed},Signature={signature}")
        }

        /// "Example: GET Object": the first ten bytes of `test.txt`.
        fn get(signature: &str, payload: &str) -> Result<(), String> {
            let authorization =
                authorization("host;range;x-amz-content-sha256;x-amz-date", signature);
            let headers = headers(&[
                ("host", "examplebucket.s3.amazonaws.com"),
                ("range", "bytes=0-9"),
                ("x-amz-content-sha256", payload),
                ("x-amz-date", "20130524T000000Z"),
                ("authorization", &authorization),
            ]);
            verify_s3("GET", "/test.txt", &headers, &doc_key)
        }

        /// "Example: PUT Object": `test$file.text`, whose `$` is encoded
        /// once in the path and signed so.
        fn put(path: &str) -> Result<(), String> {
            let authorization = authorization(
                "date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class",
                PUT,
            );
            let headers = headers(&[
                ("host", "examplebucket.s3.amazonaws.com"),
                ("date", "Fri, 24 May 2013 00:00:00 GMT"),
                ("x-amz-date", "20130524T000000Z"),
                ("x-amz-storage-class", "REDUCED_REDUNDANCY"),
                (
                    "x-amz-content-sha256",
                    "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072",
                ),
                ("authorization", &authorization),
            ]);
            verify_s3("PUT", path, &headers, &doc_key)
        }

        #[test]
        fn the_documented_requests_pass() {
            assert_eq!(get(GET, EMPTY_SHA256), Ok(()));
            assert_eq!(put("/test%24file.text"), Ok(()));
        }

        #[test]
        fn s3_signs_the_header_hash_and_the_path_encoded_once() {
            // The payload hash signed is the header's: another value, the
            // same signature, is refused.
            assert!(get(GET, "UNSIGNED-PAYLOAD")
                .unwrap_err()
                .starts_with("signature mismatch"));
            // The documented signature covers the path encoded once: the
            // path encoded twice (as other services sign it) is another
            // key's, and refused.
            let double = super::super::encode("/test%24file.text", true);
            assert_eq!(double, "/test%2524file.text");
            assert!(put(&double).unwrap_err().starts_with("signature mismatch"));
            // Without the header S3 requires, nothing is checked further.
            let bare = headers(&[("host", "examplebucket.s3.amazonaws.com")]);
            assert_eq!(
                verify_s3("GET", "/test.txt", &bare, &doc_key),
                Err("no x-amz-content-sha256 header, which S3 requires".into())
            );
        }
    }
}
