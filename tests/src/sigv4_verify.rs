//! Checks a received request's SigV4 or SigV4a signature the way AWS
//! does: from what arrived on the wire. Written apart from the runtime's
//! signer, so that a mistake in one is not silently repeated in the other
//! (SigV4a's key is derived here with P-256's scalar arithmetic, where the
//! runtime compares bytes).

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use crate::server::Recorded;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn hmac(key: &[u8], data: &str) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap();
    mac.update(data.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

/// RFC 3986 unreserved characters stay, every other byte becomes `%XX`.
fn encode(text: &str, keep_slash: bool) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        let keep =
            byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) || (keep_slash && byte == b'/');
        if keep {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let hex_value = |b: u8| (b as char).to_digit(16);
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(high), Some(low)) = (hex_value(bytes[i + 1]), hex_value(bytes[i + 2])) {
                out.push((high * 16 + low) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The parts of an `Authorization: AWS4-HMAC-SHA256 ...` header, or of
/// SigV4a's `AWS4-ECDSA-P256-SHA256 ...`.
#[derive(Debug)]
pub struct Authorization {
    /// SigV4a: the scope has no region, the region set is a header.
    pub ecdsa: bool,
    pub access_key: String,
    pub date: String,
    /// Empty for SigV4a.
    pub region: String,
    pub service: String,
    pub signed_headers: Vec<String>,
    pub signature: String,
}

pub fn parse_authorization(value: &str) -> Result<Authorization, String> {
    let (ecdsa, rest) = match value.strip_prefix("AWS4-HMAC-SHA256 ") {
        Some(rest) => (false, rest),
        None => (
            true,
            value
                .strip_prefix("AWS4-ECDSA-P256-SHA256 ")
                .ok_or("neither AWS4-HMAC-SHA256 nor AWS4-ECDSA-P256-SHA256")?,
        ),
    };
    let mut credential = None;
    let mut signed = None;
    let mut signature = None;
    for part in rest.split(", ") {
        match part.split_once('=') {
            Some(("Credential", v)) => credential = Some(v),
            Some(("SignedHeaders", v)) => signed = Some(v),
            Some(("Signature", v)) => signature = Some(v),
            _ => return Err(format!("unexpected part {part:?}")),
        }
    }
    let mut credential: Vec<&str> = credential.ok_or("no Credential")?.split('/').collect();
    if ecdsa && credential.len() == 4 {
        credential.insert(2, "");
    }
    if credential.len() != 5 || credential[4] != "aws4_request" {
        return Err(format!("bad credential scope {credential:?}"));
    }
    Ok(Authorization {
        ecdsa,
        access_key: credential[0].into(),
        date: credential[1].into(),
        region: credential[2].into(),
        service: credential[3].into(),
        signed_headers: signed
            .ok_or("no SignedHeaders")?
            .split(';')
            .map(str::to_string)
            .collect(),
        signature: signature.ok_or("no Signature")?.into(),
    })
}

/// Verifies `request` against `secret_key`; returns the parsed header.
pub fn verify(request: &Recorded, secret_key: &str) -> Result<Authorization, String> {
    verify_as(request, secret_key, false)
}

/// As [`verify`], for S3, which signs the path as it was sent: encoded
/// once, never normalized.
pub fn verify_s3(request: &Recorded, secret_key: &str) -> Result<Authorization, String> {
    verify_as(request, secret_key, true)
}

fn verify_as(request: &Recorded, secret_key: &str, s3: bool) -> Result<Authorization, String> {
    let auth = parse_authorization(
        request
            .header("authorization")
            .ok_or("no Authorization header")?,
    )?;
    let amz_date = request.header("x-amz-date").ok_or("no X-Amz-Date header")?;
    if !amz_date.starts_with(&auth.date) {
        return Err(format!(
            "X-Amz-Date {amz_date} is not on the scope date {}",
            auth.date
        ));
    }
    let required: &[&str] = if auth.ecdsa {
        &["host", "x-amz-date", "x-amz-region-set"]
    } else {
        &["host", "x-amz-date"]
    };
    for required in required {
        if !auth.signed_headers.iter().any(|h| h == required) {
            return Err(format!("{required} is not signed"));
        }
    }
    let (path, query) = request
        .target
        .split_once('?')
        .unwrap_or((&request.target, ""));
    // Services other than S3 sign the wire path URI-encoded once more.
    let canonical_path = if s3 {
        path.to_string()
    } else {
        encode(path, true)
    };
    let mut params: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (encode(&decode(k), false), encode(&decode(v), false))
        })
        .collect();
    params.sort();
    let canonical_query = params
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    let mut canonical_headers = String::new();
    for name in &auth.signed_headers {
        let values: Vec<String> = request
            .headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        if values.is_empty() {
            return Err(format!("signed header {name} did not arrive"));
        }
        canonical_headers.push_str(&format!("{name}:{}\n", values.join(",")));
    }
    // A body left out of the signature says so in a signed header.
    // (and an aws-chunked body with its checksum in the trailer).
    let declared = request.header("x-amz-content-sha256");
    let unsigned = matches!(
        declared,
        Some("UNSIGNED-PAYLOAD" | "STREAMING-UNSIGNED-PAYLOAD-TRAILER")
    );
    if unsigned
        && !auth
            .signed_headers
            .iter()
            .any(|h| h == "x-amz-content-sha256")
    {
        return Err("an unsigned payload without signing x-amz-content-sha256".into());
    }
    let payload_hash = if let (true, Some(declared)) = (unsigned, declared) {
        declared.to_string()
    } else {
        hex(&Sha256::digest(&request.body))
    };
    // S3 wants every request to say its payload's hash, signed.
    if s3 {
        let sent = request
            .header("x-amz-content-sha256")
            .ok_or("no x-amz-content-sha256 header")?;
        if sent != payload_hash {
            return Err(format!(
                "x-amz-content-sha256 {sent} is not the payload's {payload_hash}"
            ));
        }
        if !auth
            .signed_headers
            .iter()
            .any(|h| h == "x-amz-content-sha256")
        {
            return Err("x-amz-content-sha256 is not signed".into());
        }
    }
    let canonical = format!(
        "{}\n{canonical_path}\n{canonical_query}\n{canonical_headers}\n{}\n{payload_hash}",
        request.method,
        auth.signed_headers.join(";"),
    );
    if auth.ecdsa {
        let scope = format!("{}/{}/aws4_request", auth.date, auth.service);
        let string_to_sign = format!(
            "AWS4-ECDSA-P256-SHA256\n{amz_date}\n{scope}\n{}",
            hex(&Sha256::digest(canonical.as_bytes()))
        );
        return verify_ecdsa(&auth, secret_key, &string_to_sign)
            .map(|()| auth)
            .map_err(|e| format!("{e}\ncanonical request:\n{canonical}"));
    }
    let scope = format!(
        "{}/{}/{}/aws4_request",
        auth.date, auth.region, auth.service
    );
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
        hex(&Sha256::digest(canonical.as_bytes()))
    );
    let mut key = format!("AWS4{secret_key}").into_bytes();
    for part in [&auth.date, &auth.region, &auth.service, "aws4_request"] {
        key = hmac(&key, part);
    }
    let expected = hex(&hmac(&key, &string_to_sign));
    if expected != auth.signature {
        return Err(format!(
            "signature mismatch\ncanonical request:\n{canonical}"
        ));
    }
    Ok(auth)
}

/// SigV4a's public key for an access key and secret: the first HMAC output
/// `k` of the counter-mode KDF that is a scalar below `n - 1`, plus one,
/// times the generator.
pub fn v4a_public_key(access_key: &str, secret_key: &str) -> p256::ecdsa::VerifyingKey {
    use p256::elliptic_curve::{Field, PrimeField};
    use p256::{ProjectivePoint, Scalar};
    for counter in 1..=255u8 {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(format!("AWS4A{secret_key}").as_bytes()).unwrap();
        mac.update(&1u32.to_be_bytes());
        mac.update(b"AWS4-ECDSA-P256-SHA256\0");
        mac.update(access_key.as_bytes());
        mac.update(&[counter]);
        mac.update(&256u32.to_be_bytes());
        let k: [u8; 32] = mac.finalize().into_bytes().into();
        let Some(scalar) = Option::<Scalar>::from(Scalar::from_repr(k.into())) else {
            continue;
        };
        let d = scalar + Scalar::ONE;
        if bool::from(d.is_zero()) {
            continue;
        }
        let point = (ProjectivePoint::GENERATOR * d).to_affine();
        return p256::ecdsa::VerifyingKey::from_affine(point).unwrap();
    }
    unreachable!("no key in 255 candidates")
}

fn verify_ecdsa(
    auth: &Authorization,
    secret_key: &str,
    string_to_sign: &str,
) -> Result<(), String> {
    use p256::ecdsa::signature::Verifier;
    let der: Vec<u8> = (0..auth.signature.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(auth.signature.get(i..i + 2).unwrap_or("zz"), 16))
        .collect::<Result<_, _>>()
        .map_err(|_| "the signature is not hex".to_string())?;
    let signature = p256::ecdsa::DerSignature::from_bytes(&der)
        .map_err(|e| format!("the signature is not DER: {e}"))?;
    v4a_public_key(&auth.access_key, secret_key)
        .verify(string_to_sign.as_bytes(), &signature)
        .map_err(|_| "ECDSA signature mismatch".to_string())
}

/// An access key pair that a presigned request must be signed with.
#[derive(Debug, Clone, Copy)]
pub struct Key<'a> {
    pub access_key: &'a str,
    pub secret_key: &'a str,
}

/// Checks a query-signed (presigned) request as AWS does, at time `now`:
/// its path signed as sent, its payload hash `payload`
/// (`UNSIGNED-PAYLOAD` for S3), signed by `key`; `Err` says why it is
/// refused.
pub fn verify_presigned(
    method: &str,
    path: &str,
    query: &str,
    headers: &hyper::HeaderMap,
    now: time::OffsetDateTime,
    payload: &str,
    key: Key<'_>,
) -> Result<(), String> {
    let params: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect();
    let get = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .ok_or(format!("no {name}"))
    };
    if get("X-Amz-Algorithm")? != "AWS4-HMAC-SHA256" {
        return Err("algorithm".into());
    }
    let credential = get("X-Amz-Credential")?;
    let parts: Vec<&str> = credential.split('/').collect();
    let [access_key, date, region, service, "aws4_request"] = parts[..] else {
        return Err(format!("credential {credential}"));
    };
    if access_key != key.access_key {
        return Err("unknown access key".into());
    }
    let amz_date = get("X-Amz-Date")?;
    let signed_at = basic_time(&amz_date).ok_or(format!("X-Amz-Date {amz_date}"))?;
    let expires: i64 = get("X-Amz-Expires")?.parse().map_err(|_| "expires")?;
    if !(1..=604_800).contains(&expires) {
        return Err("expires out of range".into());
    }
    if now < signed_at || now > signed_at + time::Duration::seconds(expires) {
        return Err("expired".into());
    }
    let signed_headers = get("X-Amz-SignedHeaders")?;
    let mut canonical_query: Vec<(String, String)> = params
        .iter()
        .filter(|(k, _)| k != "X-Amz-Signature")
        .map(|(k, v)| (encode(k, false), encode(v, false)))
        .collect();
    canonical_query.sort();
    let canonical_query: Vec<String> = canonical_query
        .into_iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    let mut canonical_headers = String::new();
    for name in signed_headers.split(';') {
        let value = headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .ok_or(format!("signed header {name} missing"))?;
        canonical_headers.push_str(&format!("{name}:{}\n", value.trim()));
    }
    let canonical = format!(
        "{method}\n{path}\n{}\n{canonical_headers}\n{signed_headers}\n{payload}",
        canonical_query.join("&")
    );
    let scope = format!("{date}/{region}/{service}/aws4_request");
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
        hex(&Sha256::digest(canonical.as_bytes()))
    );
    let mut k = format!("AWS4{}", key.secret_key).into_bytes();
    for part in [date, region, service, "aws4_request"] {
        k = hmac(&k, part);
    }
    let expected = hex(&hmac(&k, &string_to_sign));
    if get("X-Amz-Signature")? != expected {
        return Err("signature does not match".into());
    }
    Ok(())
}

/// `20260115T123456Z`
fn basic_time(text: &str) -> Option<time::OffsetDateTime> {
    let n = |range: std::ops::Range<usize>| text.get(range)?.parse::<u32>().ok();
    if text.len() != 16 || &text[8..9] != "T" || !text.ends_with('Z') {
        return None;
    }
    let month = time::Month::try_from(n(4..6)? as u8).ok()?;
    let date = time::Date::from_calendar_date(n(0..4)? as i32, month, n(6..8)? as u8).ok()?;
    let at = time::Time::from_hms(n(9..11)? as u8, n(11..13)? as u8, n(13..15)? as u8).ok()?;
    Some(time::PrimitiveDateTime::new(date, at).assume_utc())
}
