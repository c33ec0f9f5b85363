//! AWS Signature Version 4, as the AWS test suites specify it: header
//! signing (`Authorization`) and query signing (presigned URLs), with
//! HMAC-SHA256 (SigV4) or, behind the `sigv4a` feature, ECDSA P-256
//! (SigV4a, [`v4a`]).
//!
//! Proven by every case of botocore's `aws4_testsuite` and of the
//! `aws-sigv4` crate's `v4` suite (`runtime/tests/sigv4_suites.rs`), and
//! of its `v4a` suite (`runtime/tests/sigv4a_vectors.rs`).

mod canonical;
#[cfg(feature = "sigv4a")]
pub mod v4a;

pub use canonical::{canonical_request, encode_query_component, strict_query, CanonicalRequest};

use crate::credentials::Credentials;
use ring::{digest, hmac};
use std::borrow::Cow;
use time::OffsetDateTime;

const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// How a request is signed. The defaults are what every AWS service but S3
/// expects; S3's hook (`crate::hooks::S3`) changes them for S3.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigningSettings {
    /// Remove `.`/`..` segments and repeated slashes from the canonical path.
    pub normalize_path: bool,
    /// Percent-encode the (already encoded) path once more; S3 is the only
    /// service that does not want this.
    pub double_uri_encode: bool,
    /// Add and sign an `x-amz-content-sha256` header (header signing only).
    pub sign_body_header: bool,
    /// Sign the session token. Some services want it added after signing.
    pub sign_session_token: bool,
    /// The header that carries the session token (a lowercase name):
    /// `x-amz-security-token`, or a session scheme's own
    /// (`x-amz-s3session-token`).
    pub session_token_header: &'static str,
    /// The query parameter that carries it in a presigned URL.
    pub session_token_query: &'static str,
    /// Headers never signed because something between us and AWS may change
    /// them (lowercase names). `authorization` is never signed.
    pub excluded_headers: &'static [&'static str],
    /// A presigned request signs `UNSIGNED-PAYLOAD` rather than its body's
    /// hash: S3's, whose URL is made before the body is known. Other
    /// services sign the body (botocore's `SigV4QueryAuth`).
    pub presign_unsigned_payload: bool,
    /// Over TLS, a body whose checksum a header carries (`Content-MD5`,
    /// `x-amz-checksum-*`) signs `UNSIGNED-PAYLOAD` instead of its hash:
    /// S3's rule (botocore's `S3SigV4Auth`), which spares hashing a large
    /// body twice.
    pub unsigned_payload_with_checksum: bool,
}

/// Headers a proxy or the transport may set or rewrite.
pub const DEFAULT_EXCLUDED_HEADERS: &[&str] = &[
    "user-agent",
    "x-amzn-trace-id",
    "expect",
    "transfer-encoding",
    "connection",
    "content-length",
];

impl Default for SigningSettings {
    fn default() -> Self {
        SigningSettings {
            normalize_path: true,
            double_uri_encode: true,
            sign_body_header: false,
            sign_session_token: true,
            session_token_header: "x-amz-security-token",
            session_token_query: "X-Amz-Security-Token",
            excluded_headers: DEFAULT_EXCLUDED_HEADERS,
            presign_unsigned_payload: false,
            unsigned_payload_with_checksum: false,
        }
    }
}

/// How the string to sign is signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Algorithm {
    /// SigV4: HMAC-SHA256 with a key derived per day, region and service.
    #[default]
    HmacSha256,
    /// SigV4a: ECDSA P-256 with a key derived per credentials; the
    /// signature holds in every region of the set that
    /// [`SigningParams::region`] names (`us-east-1,us-west-2`, or `*`),
    /// which the scope leaves out.
    #[cfg(feature = "sigv4a")]
    EcdsaP256,
}

impl Algorithm {
    /// The name in the `Authorization` header and the string to sign.
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::HmacSha256 => ALGORITHM,
            #[cfg(feature = "sigv4a")]
            Algorithm::EcdsaP256 => v4a::ALGORITHM,
        }
    }

    /// SigV4a: the region is a set, signed as `x-amz-region-set`.
    fn region_set(self) -> bool {
        self != Algorithm::HmacSha256
    }
}

/// Who signs, for what, and when.
#[derive(Debug, Clone)]
pub struct SigningParams<'a> {
    pub credentials: &'a Credentials,
    /// The signing region; for SigV4a, the region set.
    pub region: &'a str,
    /// The signing name, such as `chime`.
    pub service: &'a str,
    pub time: OffsetDateTime,
    pub settings: SigningSettings,
    /// Reuses the derived key while date, region, service and secret stay
    /// the same (four HMACs saved per request), and SigV4a's while the
    /// credentials do (a P-256 key, derived with a scalar multiplication).
    pub key_cache: Option<&'a SigningKeyCache>,
    pub algorithm: Algorithm,
}

impl SigningParams<'_> {
    /// `20150830T123600Z`
    pub fn amz_date(&self) -> String {
        basic_timestamp(self.time)
    }

    /// `20150830/us-east-1/service/aws4_request`; SigV4a's has no region:
    /// `20150830/service/aws4_request`.
    pub fn scope(&self) -> String {
        self.scope_on(&self.amz_date()[..8])
    }

    fn scope_on(&self, date: &str) -> String {
        let mut out =
            String::with_capacity(date.len() + self.region.len() + self.service.len() + 15);
        out.push_str(date);
        out.push('/');
        if !self.algorithm.region_set() {
            out.push_str(self.region);
            out.push('/');
        }
        out.push_str(self.service);
        out.push_str("/aws4_request");
        out
    }
}

/// `value` in decimal, zero-padded to at least `width` digits (the signing
/// time is formatted for every request: this is `{:0width$}` without the
/// formatting machinery).
pub(crate) fn push_digits(out: &mut String, value: u32, width: usize) {
    let mut digits = [b'0'; 10];
    let mut start = digits.len();
    let mut rest = value;
    while rest > 0 {
        start -= 1;
        digits[start] = b'0' + (rest % 10) as u8;
        rest /= 10;
    }
    for &d in &digits[start.min(digits.len().saturating_sub(width))..] {
        out.push(char::from(d));
    }
}

/// A request to sign: what is on the wire, before signing.
#[derive(Debug, Clone)]
pub struct SignableRequest<'a> {
    pub method: &'a str,
    /// The path as sent (already percent-encoded by the binding).
    pub path: &'a str,
    /// The query string as sent, without `?`; empty for none.
    pub query: &'a str,
    /// Every header, `host` included, in any order and case.
    pub headers: Vec<(&'a str, &'a str)>,
    pub payload: SignablePayload<'a>,
}

/// What the signature says of the body.
#[derive(Debug, Clone, Copy)]
pub enum SignablePayload<'a> {
    /// The body's bytes, hashed here.
    Bytes(&'a [u8]),
    /// A hash computed beforehand (of a file, say), or `UNSIGNED-PAYLOAD`
    /// for operations whose body is not signed.
    Precomputed(&'a str),
}

/// The payload hash of operations that do not sign their body.
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";

/// The payload hash of an aws-chunked body whose checksum is in its
/// trailer, the chunks themselves unsigned.
pub const STREAMING_UNSIGNED_PAYLOAD_TRAILER: &str = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";

/// The payload hash of a request whose body is an input event stream:
/// each event is signed on its own, chained from the request's signature.
pub const STREAMING_EVENTS_PAYLOAD: &str = "STREAMING-AWS4-HMAC-SHA256-EVENTS";

/// What header signing adds to the request.
#[derive(Debug, Clone)]
pub struct HeaderSignature {
    /// Headers to set, replacing any of the same name: `x-amz-date`,
    /// `x-amz-security-token`, `x-amz-content-sha256`, `authorization`.
    pub headers: Vec<(&'static str, String)>,
    pub canonical_request: String,
    pub string_to_sign: String,
    pub signature: String,
}

/// What query signing adds: parameters to append to the query string.
///
/// `Debug` shows neither the signature nor the session token (which the
/// canonical request holds too): with them the URL is a credential.
#[derive(Clone)]
pub struct QuerySignature {
    /// Already percent-encoded `(name, value)` pairs, in the order to append
    /// (botocore's: `X-Amz-Algorithm`, `-Credential`, `-Date`, `-Expires`,
    /// `-SignedHeaders`, `-Security-Token`, `-Signature`).
    pub params: Vec<(&'static str, String)>,
    pub canonical_request: String,
    pub string_to_sign: String,
    pub signature: String,
}

/// Signs with an `Authorization` header.
pub fn sign_headers(request: &SignableRequest, params: &SigningParams) -> HeaderSignature {
    let amz_date = params.amz_date();
    let token = params.credentials.session_token();
    let payload_hash = payload_hash(request.payload);
    let mut added: Vec<(&'static str, String)> = Vec::with_capacity(5);
    added.push(("x-amz-date", amz_date));
    if params.algorithm.region_set() {
        added.push(("x-amz-region-set", params.region.to_string()));
    }
    if let (Some(token), true) = (token, params.settings.sign_session_token) {
        added.push((params.settings.session_token_header, token.to_string()));
    }
    if params.settings.sign_body_header {
        added.push(("x-amz-content-sha256", payload_hash.to_string()));
    }
    // The request's own headers of the names added here are replaced.
    let headers = request
        .headers
        .iter()
        .copied()
        .filter(|(name, _)| !added.iter().any(|(a, _)| name.eq_ignore_ascii_case(a)))
        .chain(added.iter().map(|(k, v)| (*k, v.as_str())));
    let canonical = canonical_request(
        request.method,
        request.path,
        request.query,
        headers,
        &payload_hash,
        &params.settings,
    );
    let amz_date = &added[0].1;
    let scope = params.scope_on(&amz_date[..8]);
    let algorithm = params.algorithm.name();
    let string_to_sign = string_to_sign_with(algorithm, &canonical.text, amz_date, &scope);
    let signature = signature_with(&string_to_sign, params, &amz_date[..8]);
    let access_key = params.credentials.access_key_id();
    let mut authorization = String::with_capacity(
        algorithm.len() + access_key.len() + scope.len() + canonical.signed_headers.len() + 150,
    );
    for part in [
        algorithm,
        " Credential=",
        access_key,
        "/",
        &scope,
        ", SignedHeaders=",
        &canonical.signed_headers,
        ", Signature=",
        &signature,
    ] {
        authorization.push_str(part);
    }
    if let (Some(token), false) = (token, params.settings.sign_session_token) {
        added.push((params.settings.session_token_header, token.to_string()));
    }
    added.push(("authorization", authorization));
    HeaderSignature {
        headers: added,
        canonical_request: canonical.text,
        string_to_sign,
        signature,
    }
}

impl std::fmt::Debug for QuerySignature {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.params.iter().map(|(name, _)| *name).collect();
        f.debug_struct("QuerySignature")
            .field("params", &names)
            .field("string_to_sign", &self.string_to_sign)
            .finish_non_exhaustive()
    }
}

/// Signs with query parameters (a presigned request valid for
/// `expires_in_seconds`). The parameters follow the request's own query,
/// in botocore's order, so that the URL reads as botocore writes it.
pub fn sign_query(
    request: &SignableRequest,
    params: &SigningParams,
    expires_in_seconds: u64,
) -> QuerySignature {
    let payload_hash = payload_hash(request.payload);
    let headers = &request.headers;
    let signed_headers = canonical::signed_header_names(headers.iter().copied(), &params.settings);
    let credential = format!("{}/{}", params.credentials.access_key_id(), params.scope());
    let mut added: Vec<(&'static str, String)> = vec![
        ("X-Amz-Algorithm", params.algorithm.name().to_string()),
        (
            "X-Amz-Credential",
            canonical::encode_query_component(&credential),
        ),
        ("X-Amz-Date", params.amz_date()),
        ("X-Amz-Expires", expires_in_seconds.to_string()),
    ];
    if params.algorithm.region_set() {
        added.push((
            "X-Amz-Region-Set",
            canonical::encode_query_component(params.region),
        ));
    }
    added.push((
        "X-Amz-SignedHeaders",
        canonical::encode_query_component(&signed_headers),
    ));
    let token = params
        .credentials
        .session_token()
        .map(canonical::encode_query_component);
    if let (Some(token), true) = (&token, params.settings.sign_session_token) {
        added.push((params.settings.session_token_query, token.clone()));
    }
    let mut query = request.query.to_string();
    for (name, value) in &added {
        if !query.is_empty() {
            query.push('&');
        }
        query.push_str(name);
        query.push('=');
        query.push_str(value);
    }
    let canonical = canonical_request(
        request.method,
        request.path,
        &query,
        headers.iter().copied(),
        &payload_hash,
        &params.settings,
    );
    let string_to_sign = string_to_sign(&canonical.text, params);
    let signature = signature(&string_to_sign, params);
    if let (Some(token), false) = (token, params.settings.sign_session_token) {
        added.push((params.settings.session_token_query, token));
    }
    added.push(("X-Amz-Signature", signature.clone()));
    QuerySignature {
        params: added,
        canonical_request: canonical.text,
        string_to_sign,
        signature,
    }
}

/// The string to sign for a canonical request.
pub fn string_to_sign(canonical_request: &str, params: &SigningParams) -> String {
    string_to_sign_with(
        params.algorithm.name(),
        canonical_request,
        &params.amz_date(),
        &params.scope(),
    )
}

/// An instant in UTC as SigV4 writes it, `20150830T123600Z`: the
/// `x-amz-date` of a signature, and the `ttl` of `amz-sdk-request`.
pub(crate) fn basic_timestamp(at: OffsetDateTime) -> String {
    let t = at.to_offset(time::UtcOffset::UTC);
    let mut out = String::with_capacity(16);
    push_digits(&mut out, t.year().unsigned_abs(), 4);
    push_digits(&mut out, u8::from(t.month()).into(), 2);
    push_digits(&mut out, t.day().into(), 2);
    out.push('T');
    push_digits(&mut out, t.hour().into(), 2);
    push_digits(&mut out, t.minute().into(), 2);
    push_digits(&mut out, t.second().into(), 2);
    out.push('Z');
    out
}

fn string_to_sign_with(
    algorithm: &str,
    canonical_request: &str,
    amz_date: &str,
    scope: &str,
) -> String {
    let mut out = String::with_capacity(algorithm.len() + amz_date.len() + scope.len() + 67);
    for part in [algorithm, "\n", amz_date, "\n", scope, "\n"] {
        out.push_str(part);
    }
    push_hex(&mut out, sha256(canonical_request.as_bytes()).as_ref());
    out
}

/// The hex signature of a string to sign.
pub fn signature(string_to_sign: &str, params: &SigningParams) -> String {
    signature_with(string_to_sign, params, &params.amz_date()[..8])
}

fn signature_with(string_to_sign: &str, params: &SigningParams, date: &str) -> String {
    let secret = params.credentials.secret_access_key();
    #[cfg(feature = "sigv4a")]
    if params.algorithm == Algorithm::EcdsaP256 {
        let access_key = params.credentials.access_key_id();
        return match params.key_cache {
            Some(cache) => v4a::sign(&cache.get_v4a(access_key, secret), string_to_sign),
            None => v4a::sign(&v4a::derive_key(access_key, secret), string_to_sign),
        };
    }
    let key = match params.key_cache {
        Some(cache) => cache.get(secret, date, params.region, params.service),
        None => hmac::Key::new(
            hmac::HMAC_SHA256,
            &signing_key(secret, date, params.region, params.service),
        ),
    };
    hex(hmac::sign(&key, string_to_sign.as_bytes()).as_ref())
}

/// The key derived from the secret for one day, region and service.
pub fn signing_key(secret: &str, date: &str, region: &str, service: &str) -> Vec<u8> {
    [date, region, service, "aws4_request"].iter().fold(
        format!("AWS4{secret}").into_bytes(),
        |key, part| {
            let key = hmac::Key::new(hmac::HMAC_SHA256, &key);
            hmac::sign(&key, part.as_bytes()).as_ref().to_vec()
        },
    )
}

/// The last derived signing keys, for a client that signs many requests
/// with the same credentials. A few are kept, not one: S3 Express signs
/// each bucket's requests with that bucket's session, and a program that
/// alternates between buckets (or between S3 Express and other S3
/// buckets) would otherwise derive a key, four HMACs, for every request.
/// `Debug` shows nothing of them.
#[derive(Default)]
pub struct SigningKeyCache {
    /// Most recently used first; at most [`KEYS_KEPT`].
    keys: std::sync::Mutex<Vec<CachedKey>>,
    /// SigV4a's key and the access key and secret it was derived from.
    #[cfg(feature = "sigv4a")]
    v4a: std::sync::Mutex<Option<(String, String, std::sync::Arc<p256::ecdsa::SigningKey>)>>,
}

/// How many derived keys a [`SigningKeyCache`] keeps.
const KEYS_KEPT: usize = 8;

/// A derived key, ready to sign with (its HMAC pads computed once), and
/// what it was derived from.
struct CachedKey {
    secret: String,
    date: String,
    region: String,
    service: String,
    key: hmac::Key,
}

impl std::fmt::Debug for SigningKeyCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SigningKeyCache")
    }
}

impl SigningKeyCache {
    /// The key for these inputs, derived again only when none kept
    /// matches.
    pub fn get(&self, secret: &str, date: &str, region: &str, service: &str) -> hmac::Key {
        let mut keys = self.keys.lock().unwrap_or_else(|e| e.into_inner());
        let found = keys.iter().position(|c| {
            c.secret == secret && c.date == date && c.region == region && c.service == service
        });
        if let Some(i) = found {
            keys[..=i].rotate_right(1);
            return keys[0].key.clone();
        }
        let key = hmac::Key::new(
            hmac::HMAC_SHA256,
            &signing_key(secret, date, region, service),
        );
        // A key of another day is not used again (the date is part of the
        // scope), so it is dropped rather than kept with its secret.
        keys.retain(|c| c.date == date);
        keys.truncate(KEYS_KEPT - 1);
        keys.insert(
            0,
            CachedKey {
                secret: secret.to_string(),
                date: date.to_string(),
                region: region.to_string(),
                service: service.to_string(),
                key: key.clone(),
            },
        );
        key
    }

    /// SigV4a's key for these credentials, derived again only when they
    /// change.
    #[cfg(feature = "sigv4a")]
    pub fn get_v4a(
        &self,
        access_key_id: &str,
        secret: &str,
    ) -> std::sync::Arc<p256::ecdsa::SigningKey> {
        let mut last = self.v4a.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((id, s, key)) = last.as_ref() {
            if id == access_key_id && s == secret {
                return key.clone();
            }
        }
        let key = std::sync::Arc::new(v4a::derive_key(access_key_id, secret));
        *last = Some((access_key_id.to_string(), secret.to_string(), key.clone()));
        key
    }
}

/// SHA-256 with ring, the library TLS already links.
pub fn sha256(data: &[u8]) -> digest::Digest {
    digest::digest(&digest::SHA256, data)
}

/// The hex SHA-256 of a body; most requests have none, so that one is a
/// constant.
fn payload_hash(payload: SignablePayload<'_>) -> Cow<'_, str> {
    const EMPTY: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    match payload {
        SignablePayload::Bytes([]) => Cow::Borrowed(EMPTY),
        SignablePayload::Bytes(body) => Cow::Owned(hex(sha256(body).as_ref())),
        SignablePayload::Precomputed(hash) => Cow::Borrowed(hash),
    }
}

/// Lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    push_hex(&mut out, bytes);
    out
}

fn push_hex(out: &mut String, bytes: &[u8]) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for b in bytes {
        out.push(DIGITS[(b >> 4) as usize] as char);
        out.push(DIGITS[(b & 15) as usize] as char);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_as_format_would() {
        let credentials = Credentials::new("AKID", "secret", None, None);
        for seconds in [0, 1_440_938_160, 1_700_000_000, 253_402_300_799] {
            let t = OffsetDateTime::from_unix_timestamp(seconds).unwrap();
            let params = SigningParams {
                credentials: &credentials,
                region: "us-east-1",
                service: "chime",
                time: t,
                settings: SigningSettings::default(),
                key_cache: None,
                algorithm: Algorithm::HmacSha256,
            };
            let expected = format!(
                "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
                t.year(),
                u8::from(t.month()),
                t.day(),
                t.hour(),
                t.minute(),
                t.second()
            );
            assert_eq!(params.amz_date(), expected);
            assert_eq!(
                params.scope(),
                format!("{}/us-east-1/chime/aws4_request", &expected[..8])
            );
        }
    }

    #[test]
    fn the_key_cache_gives_the_same_signatures() {
        let credentials = Credentials::new("AKID", "secret", None, None);
        let cache = SigningKeyCache::default();
        let request = SignableRequest {
            method: "GET",
            path: "/",
            query: "",
            headers: vec![("host", "h")],
            payload: SignablePayload::Bytes(b""),
        };
        for (day, region) in [
            (1_700_000_000, "us-east-1"),
            (1_700_000_000, "eu-west-1"),
            (1_700_100_000, "eu-west-1"),
        ] {
            let time = OffsetDateTime::from_unix_timestamp(day).unwrap();
            let params = |key_cache| SigningParams {
                credentials: &credentials,
                region,
                service: "chime",
                time,
                settings: SigningSettings::default(),
                key_cache,
                algorithm: Algorithm::HmacSha256,
            };
            let cached = sign_headers(&request, &params(Some(&cache))).signature;
            let fresh = sign_headers(&request, &params(None)).signature;
            assert_eq!(cached, fresh, "{day} {region}");
        }
    }

    #[test]
    fn the_key_cache_keeps_several_keys_and_drops_the_least_recent() {
        let cache = SigningKeyCache::default();
        let derived = |secret: &str| {
            let key = hmac::Key::new(
                hmac::HMAC_SHA256,
                &signing_key(secret, "20240102", "us-east-1", "s3express"),
            );
            hmac::sign(&key, b"x").as_ref().to_vec()
        };
        let cached = |secret: &str| {
            let key = cache.get(secret, "20240102", "us-east-1", "s3express");
            hmac::sign(&key, b"x").as_ref().to_vec()
        };
        let secrets: Vec<String> = (0..=KEYS_KEPT).map(|i| format!("secret-{i}")).collect();
        for secret in &secrets[..KEYS_KEPT] {
            assert_eq!(cached(secret), derived(secret));
        }
        // A kept key is found again (the same key, moved to the front).
        let kept = |cache: &SigningKeyCache| -> Vec<String> {
            let keys = cache.keys.lock().unwrap();
            keys.iter().map(|c| c.secret.clone()).collect()
        };
        assert_eq!(kept(&cache).len(), KEYS_KEPT);
        assert_eq!(cached(&secrets[0]), derived(&secrets[0]));
        assert_eq!(
            kept(&cache)[0],
            secrets[0],
            "the key used moves to the front"
        );
        // A ninth key drops the least recently used (secret-1 now).
        assert_eq!(cached(&secrets[KEYS_KEPT]), derived(&secrets[KEYS_KEPT]));
        let now = kept(&cache);
        assert_eq!(now.len(), KEYS_KEPT);
        assert!(!now.contains(&secrets[1]), "{now:?}");
        assert!(now.contains(&secrets[0]), "{now:?}");
        // A new day's key drops the keys of other days.
        cache.get(&secrets[0], "20240103", "us-east-1", "s3express");
        assert_eq!(kept(&cache), [secrets[0].clone()]);
    }
}
