//! The signed HTTP message of one attempt, and the exchange that sends it
//! and reads the answer: what runs for every request.

use super::{Answer, Handle};
use crate::body::{ByteStream, CollectError, SdkBody};
use crate::checksum::CallChecksums;
use crate::endpoint::Endpoint;
use crate::error::{BuildError, DispatchError, DispatchErrorKind};
use crate::http::{HttpRequest, HttpResponse, RequestBody};
use crate::operation::Signing;
use crate::sigv4::{
    hex, sign_headers, SignablePayload, SignableRequest, SigningParams, SigningSettings,
    STREAMING_EVENTS_PAYLOAD, STREAMING_UNSIGNED_PAYLOAD_TRAILER, UNSIGNED_PAYLOAD,
};
use crate::transport::SendError;
use http::header::{
    HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, CONTENT_LENGTH, HOST, USER_AGENT,
};
use std::borrow::Cow;
use time::OffsetDateTime;

const X_AMZ_USER_AGENT: HeaderName = HeaderName::from_static("x-amz-user-agent");
const INVOCATION_ID: HeaderName = HeaderName::from_static("amz-sdk-invocation-id");
const SDK_REQUEST: HeaderName = HeaderName::from_static("amz-sdk-request");

/// What `amz-sdk-request` says of one attempt.
pub(super) struct AttemptInfo {
    pub number: u32,
    pub max: u32,
    /// When the client stops waiting, on the service's clock: botocore
    /// sends it once a response of the call has told it the skew.
    pub ttl: Option<String>,
}

impl AttemptInfo {
    /// `ttl=20240102T032505Z; attempt=2; max=3`, in botocore's order.
    /// Written without the formatting machinery: it is made for every
    /// attempt.
    fn header(&self) -> String {
        let mut out = String::with_capacity(48);
        if let Some(ttl) = &self.ttl {
            out.push_str("ttl=");
            out.push_str(ttl);
            out.push_str("; ");
        }
        out.push_str("attempt=");
        crate::sigv4::push_digits(&mut out, self.number, 1);
        out.push_str("; max=");
        crate::sigv4::push_digits(&mut out, self.max, 1);
        out
    }
}

/// A name made without a copy, when it is one `from_static` takes (which
/// would panic on another).
fn static_name(name: &'static str) -> Option<HeaderName> {
    let valid = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    valid.then(|| HeaderName::from_static(name))
}

/// What every attempt of a call is signed and sent with: decided once,
/// before the first.
#[derive(Clone, Copy)]
pub(super) struct CallWire<'a> {
    pub endpoint: &'a Endpoint,
    pub region: &'a str,
    pub bearer: Option<&'a crate::config::Token>,
    pub signing: &'a SigningSettings,
    pub sigv2: bool,
    /// The body's hash, when it was hashed beforehand (a stream, once).
    pub payload_hash: Option<&'a str>,
    pub checksums: &'a CallChecksums,
    pub invocation_id: &'a str,
}

impl Handle {
    /// The signed HTTP message of one attempt, with its credentials (each
    /// attempt asks for them: they may have been refreshed).
    pub(super) fn prepare(
        &self,
        request: &HttpRequest,
        call: &CallWire<'_>,
        credentials: Option<&crate::credentials::Credentials>,
        attempt: &AttemptInfo,
    ) -> Result<http::Request<SdkBody>, DispatchError> {
        let CallWire {
            endpoint,
            region,
            bearer,
            signing,
            sigv2,
            payload_hash,
            checksums,
            invocation_id,
        } = *call;
        let inner = &*self.inner;
        let invalid = |e: Box<dyn std::error::Error + Send + Sync>| {
            DispatchError::new(
                DispatchErrorKind::Other,
                "the request is not a valid HTTP message",
                Some(e),
            )
        };
        let value = |v: &str| HeaderValue::from_str(v).map_err(|e| invalid(Box::new(e)));
        let name = |n: &str| HeaderName::from_bytes(n.as_bytes()).map_err(|e| invalid(Box::new(e)));
        // Built once, in the map hyper writes from: signing reads it, and
        // adds its own headers to it.
        let mut headers =
            HeaderMap::with_capacity(9 + endpoint.headers.len() + request.headers.len());
        headers.insert(HOST, value(endpoint.host())?);
        headers.insert(USER_AGENT, inner.user_agent.clone());
        headers.insert(X_AMZ_USER_AGENT, inner.user_agent.clone());
        headers.insert(INVOCATION_ID, value(invocation_id)?);
        headers.insert(SDK_REQUEST, value(&attempt.header())?);
        for (k, v) in endpoint.headers.iter().chain(&request.headers) {
            headers.append(name(k)?, value(v)?);
        }
        // SigV2 signs the form's parameters and adds its own: the body
        // sent is the signed form, made anew for each attempt's time.
        let sigv2_body = match credentials {
            Some(credentials) if sigv2 => Some(self.sign_v2(request, endpoint, credentials)?),
            _ => None,
        };
        let body_len = match &sigv2_body {
            Some(body) => Some(body.len() as u64),
            None => request.body.len(),
        };
        let trailer = checksums.in_trailer();
        match checksums.wire_length(body_len) {
            Some(0) => {}
            Some(len) => {
                headers.append(CONTENT_LENGTH, HeaderValue::from(len));
            }
            // Sent as it is written: HTTP/2 data frames, or chunks (an
            // aws-chunked body ends with its trailer, whatever its length).
            None if trailer || matches!(request.body, RequestBody::Events(_)) => {}
            None => {
                return Err(DispatchError::new(
                    DispatchErrorKind::Other,
                    "a body of unknown length cannot be sent",
                    None,
                ))
            }
        }
        // The signature the events' signatures chain from.
        let mut seed_signature = None;
        if let Some(token) = bearer {
            // Marked sensitive so that nothing that prints headers shows
            // it; the error names no value.
            let mut value = HeaderValue::try_from(format!("Bearer {}", token.as_str()))
                .map_err(|_| {
                    DispatchError::new(
                        DispatchErrorKind::Other,
                        "the bearer token cannot be sent: it has characters an HTTP header cannot carry",
                        None,
                    )
                })?;
            value.set_sensitive(true);
            headers.insert(AUTHORIZATION, value);
        } else if let (Some(credentials), false) = (credentials, sigv2) {
            let (path, query) = request
                .path_and_query
                .split_once('?')
                .unwrap_or((&request.path_and_query, ""));
            let full_path = signed_path(endpoint, path);
            let now = OffsetDateTime::from(self.signing_time());
            let settings = SigningSettings {
                sign_body_header: signing.sign_body_header
                    || matches!(
                        payload_hash,
                        Some(
                            UNSIGNED_PAYLOAD
                                | STREAMING_EVENTS_PAYLOAD
                                | STREAMING_UNSIGNED_PAYLOAD_TRAILER
                        )
                    ),
                ..signing.clone()
            };
            let scope = super::scope::signing_scope(
                endpoint.auth.as_ref(),
                region,
                inner.service.signing_name,
                inner.config.sigv4a_signing_region_set.as_deref(),
            );
            let params = SigningParams {
                credentials,
                region: &scope.region,
                service: scope.service,
                time: now,
                settings,
                key_cache: Some(&inner.signing_keys),
                algorithm: scope.algorithm,
            };
            let payload = match (payload_hash, request.body.bytes()) {
                (Some(hash), _) => SignablePayload::Precomputed(hash),
                (None, Some(bytes)) => SignablePayload::Bytes(bytes),
                (None, None) => unreachable!("bodies not in memory are hashed beforehand"),
            };
            // Values were made from `&str` above, so they are UTF-8.
            let signable = SignableRequest {
                method: request.method,
                path: &full_path,
                query,
                headers: headers
                    .iter()
                    .map(|(k, v)| (k.as_str(), std::str::from_utf8(v.as_bytes()).unwrap_or("")))
                    .collect(),
                payload,
            };
            // Events are signed with HMAC chained from the request's
            // signature; no model streams events to a SigV4a endpoint.
            if scope.algorithm != crate::sigv4::Algorithm::HmacSha256
                && matches!(request.body, RequestBody::Events(_))
            {
                return Err(DispatchError::new(
                    DispatchErrorKind::Other,
                    "an input event stream cannot be signed with SigV4a",
                    None,
                ));
            }
            let signature = sign_headers(&signable, &params);
            // The signer's names: its constants (`x-amz-date`,
            // `x-amz-content-sha256`, `authorization`) and the session
            // token's header, which a session scheme names.
            for (k, v) in signature.headers {
                // Only an input event stream chains from it: not worth
                // three strings on every other request.
                if k == "authorization" && matches!(request.body, RequestBody::Events(_)) {
                    seed_signature = v.rsplit_once("Signature=").map(|(_, s)| {
                        (
                            s.to_string(),
                            params.region.to_string(),
                            params.service.to_string(),
                        )
                    });
                }
                let mut value = HeaderValue::try_from(v).map_err(|e| invalid(Box::new(e)))?;
                // The token and the signature are marked sensitive, as the
                // bearer token is, so that nothing printing headers shows them.
                let secret = k == "authorization" || k == signing.session_token_header;
                value.set_sensitive(secret);
                headers.insert(static_name(k).map_or_else(|| name(k), Ok)?, value);
            }
        }
        if trailer && !headers.contains_key("x-amz-content-sha256") {
            // Unsigned, the service still needs to know how to read the body.
            headers.insert(
                HeaderName::from_static("x-amz-content-sha256"),
                HeaderValue::from_static(STREAMING_UNSIGNED_PAYLOAD_TRAILER),
            );
        }
        let uri = http::Uri::try_from(endpoint.uri(&request.path_and_query))
            .map_err(|e| invalid(Box::new(e)))?;
        let method = http::Method::from_bytes(request.method.as_bytes())
            .map_err(|e| invalid(Box::new(e)))?;
        let body = match (&request.body, sigv2_body) {
            (_, Some(signed)) => SdkBody::from_bytes(signed),
            (RequestBody::Empty, None) => SdkBody::empty(),
            (RequestBody::Bytes(bytes), None) => SdkBody::from_bytes(bytes.clone()),
            (RequestBody::Stream(stream), None) => checksums.wrap_request(
                stream
                    .to_sdk_body()
                    .ok_or_else(|| invalid("a response stream cannot be sent".into()))?
                    .map_err(|e| {
                        DispatchError::new(
                            DispatchErrorKind::Other,
                            "cannot open the request body",
                            Some(Box::new(e)),
                        )
                    })?,
                request.body.len(),
            ),
            (RequestBody::Events(events), None) => {
                let messages = events
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .take()
                    .ok_or_else(|| {
                        invalid("the input event stream was sent by an earlier attempt".into())
                    })?;
                let signer = match (credentials, seed_signature) {
                    (Some(credentials), Some((seed, region, service))) => {
                        Some(crate::event_stream::MessageSigner::new(
                            credentials.clone(),
                            region,
                            service,
                            seed,
                        ))
                    }
                    _ => None,
                };
                let handle = self.clone();
                let now = Box::new(move || handle.signing_time());
                messages.into_sdk_body(signer, now)
            }
        };
        let mut wire = http::Request::new(body);
        *wire.method_mut() = method;
        *wire.uri_mut() = uri;
        *wire.headers_mut() = headers;
        Ok(wire)
    }
}

impl Handle {
    /// The time a signature is made at: the clock's, corrected by the skew
    /// the service's answers have shown.
    fn signing_time(&self) -> std::time::SystemTime {
        let inner = &*self.inner;
        inner.skew.signing_time(inner.config.time_source.now())
    }

    /// The form body of a SigV2 request, signed at this attempt's time.
    fn sign_v2(
        &self,
        request: &HttpRequest,
        endpoint: &Endpoint,
        credentials: &crate::credentials::Credentials,
    ) -> Result<bytes::Bytes, DispatchError> {
        let form = request.body.bytes().ok_or_else(|| {
            DispatchError::new(
                DispatchErrorKind::Other,
                "SigV2 signs a form body held in memory, and this request's body is a stream",
                None,
            )
        })?;
        let path = request
            .path_and_query
            .split_once('?')
            .map_or(request.path_and_query.as_str(), |(p, _)| p);
        let now = OffsetDateTime::from(self.signing_time());
        crate::sigv2::sign_form(
            request.method,
            endpoint.host(),
            &signed_path(endpoint, path),
            form,
            credentials,
            now,
        )
        .map(bytes::Bytes::from)
        .map_err(|e| DispatchError::new(DispatchErrorKind::Other, e.to_string(), None))
    }
}

/// The path a request is signed for: the endpoint's base path and the
/// operation's. A request whose path is all the endpoint's (S3's bucket
/// operations, virtual-hosted) is signed for `/`.
pub(super) fn signed_path<'a>(endpoint: &Endpoint, path: &'a str) -> Cow<'a, str> {
    match (endpoint.base_path.is_empty(), path.is_empty()) {
        (true, true) => Cow::Borrowed("/"),
        (true, false) => Cow::Borrowed(path),
        (false, _) => Cow::Owned(format!("{}{path}", endpoint.base_path)),
    }
}

/// The payload hash to sign when it is not the in-memory body's, decided
/// once per call:
/// - an input event stream's, or an aws-chunked body's with its checksum
///   in the trailer;
/// - `UNSIGNED-PAYLOAD` for operations that do not sign their body, and,
///   where the service's signing settings say so (S3), over TLS for a body
///   whose checksum a header carries;
/// - the SHA-256 of a streamed file, read once, in chunks; the same read
///   computes a checksum header still to compute for it.
///
/// `signs`: the request is signed (otherwise only a pending checksum is
/// computed).
pub(super) async fn payload_hash(
    signing: Signing,
    settings: &SigningSettings,
    tls: bool,
    request: &mut HttpRequest,
    checksums: &mut CallChecksums,
    signs: bool,
) -> Result<Option<String>, BuildError> {
    if matches!(request.body, RequestBody::Events(_)) {
        return Ok(Some(STREAMING_EVENTS_PAYLOAD.to_string()));
    }
    if checksums.in_trailer() {
        return Ok(Some(STREAMING_UNSIGNED_PAYLOAD_TRAILER.to_string()));
    }
    let unsigned = signing == Signing::SigV4UnsignedPayload
        || (settings.unsigned_payload_with_checksum && tls && {
            // botocore's check: the header of the checksum planned for the
            // call (computed below for a file), else `Content-MD5`.
            let planned = checksums.header_name();
            planned.is_some() || request.header("content-md5").is_some()
        });
    let sha256 = signs && !unsigned;
    let hashes = read_ahead(&request.body, sha256, checksums).await?;
    #[cfg(feature = "checksums")]
    if let Some(checksum) = hashes.checksum {
        checksums.computed(request, checksum);
    }
    Ok(match (unsigned, hashes.sha256) {
        (true, _) => Some(UNSIGNED_PAYLOAD.to_string()),
        (false, sha256) => sha256,
    })
}

/// What one read of a streamed file computes before sending.
struct ReadAhead {
    sha256: Option<String>,
    #[cfg(feature = "checksums")]
    checksum: Option<crate::checksum::Checksummer>,
}

/// Reads a body not in memory once, for its SHA-256 (when `sha256`) and
/// the checksum header still pending; nothing for a body in memory,
/// hashed where it is signed.
async fn read_ahead(
    body: &RequestBody,
    sha256: bool,
    checksums: &CallChecksums,
) -> Result<ReadAhead, BuildError> {
    #[cfg(feature = "checksums")]
    let mut checksum = checksums.pending();
    #[cfg(not(feature = "checksums"))]
    let _ = checksums;
    #[cfg(feature = "checksums")]
    let wanted = sha256 || checksum.is_some();
    #[cfg(not(feature = "checksums"))]
    let wanted = sha256;
    let stream = match body {
        RequestBody::Stream(stream) if wanted && stream.in_memory().is_none() => stream,
        _ => {
            return Ok(ReadAhead {
                sha256: None,
                #[cfg(feature = "checksums")]
                checksum: None,
            })
        }
    };
    let mut copy: ByteStream = stream.try_clone().ok_or_else(|| {
        BuildError::config(
            "a stream that can be read only once cannot be hashed before it is sent, as this \
             request's signature or checksum needs: send it over HTTPS with the checksum in a \
             trailer (S3's default), or give bytes or a file",
        )
    })?;
    let mut hasher = sha256.then(|| ring::digest::Context::new(&ring::digest::SHA256));
    while let Some(chunk) = copy.next().await {
        let chunk =
            chunk.map_err(|e| BuildError::config_with_source("cannot read the request body", e))?;
        if let Some(h) = &mut hasher {
            h.update(&chunk);
        }
        #[cfg(feature = "checksums")]
        if let Some(c) = &mut checksum {
            c.update(&chunk);
        }
    }
    Ok(ReadAhead {
        sha256: hasher.map(|h| hex(h.finish().as_ref())),
        #[cfg(feature = "checksums")]
        checksum,
    })
}

/// How an exchange reads the response body.
pub(super) struct ReadPolicy<'a> {
    /// A success is the output's stream, handed on as it arrives.
    pub streaming: bool,
    /// The response checksums the call checks.
    pub checksums: &'a CallChecksums,
    /// The cap on a body read whole.
    pub limit: usize,
    /// The longest silence of a streamed body, measured with `sleep`.
    pub read_timeout: Option<std::time::Duration>,
    pub sleep: crate::clock::SharedSleep,
}

/// One exchange: send, then read the body whole (up to `limit`), or hand
/// it on as a stream for a successful response of a streaming operation.
pub(super) async fn exchange(
    transport: &dyn crate::transport::Transport,
    request: http::Request<SdkBody>,
    policy: ReadPolicy<'_>,
) -> Result<Answer, SendError> {
    let ReadPolicy {
        streaming,
        checksums,
        limit,
        read_timeout,
        sleep,
    } = policy;
    // Kept to name the request in an error; formatted only then.
    let (method, uri) = (request.method().clone(), request.uri().clone());
    let response = transport.send(request).await?;
    let (parts, body) = response.into_parts();
    let status = parts.status.as_u16();
    if streaming && parts.status.is_success() {
        let body = checksums.wrap_response(&parts.headers, body);
        return Ok(Answer::Http(HttpResponse::streaming(
            status,
            parts.headers,
            ByteStream::from_body(body).with_read_timeout(read_timeout, sleep),
        )));
    }
    let body = body.collect_limited(limit).await.map_err(|e| {
        SendError::Dispatch(match e {
            CollectError::TooLarge => DispatchError::new(
                DispatchErrorKind::BodyTooLarge,
                format!("the response to {method} {uri} is larger than the {limit} byte limit"),
                None,
            ),
            CollectError::Io(e) => DispatchError::new(
                DispatchErrorKind::Io,
                format!("the response to {method} {uri} was cut off"),
                Some(e),
            ),
        })
    })?;
    let checked = if parts.status.is_success() {
        check_crc32(&parts.headers, &body)
            .and_then(|()| checksums.check_response(&parts.headers, &body))
    } else {
        check_crc32(&parts.headers, &body)
    };
    checked.map_err(|message| {
        SendError::Dispatch(DispatchError::new(
            DispatchErrorKind::Checksum,
            format!("the response to {method} {uri} is damaged: {message}"),
            None,
        ))
    })?;
    Ok(Answer::Http(HttpResponse::from_map(
        status,
        parts.headers,
        body,
    )))
}

/// Checks a body against the CRC32 its service sent in `x-amz-crc32`
/// (DynamoDB does, on every response), as botocore's `crc32` retry check
/// does: a mismatch is a damaged response, retried like a broken
/// connection. A response without the header is not checked. Unlike
/// botocore, whose standard retry mode returns the damaged response once
/// the attempts run out, the last mismatch is an error: a body known to
/// be wrong is not handed on as the answer.
fn check_crc32(headers: &HeaderMap, body: &[u8]) -> Result<(), String> {
    let Some(sent) = headers.get("x-amz-crc32") else {
        return Ok(());
    };
    let sent = sent
        .to_str()
        .ok()
        .and_then(|v| v.trim().parse::<u32>().ok());
    let actual = crc32fast::hash(body);
    match sent {
        Some(sent) if sent == actual => Ok(()),
        Some(sent) => Err(format!(
            "its CRC32 is {actual}, and x-amz-crc32 says {sent}"
        )),
        None => Err("its x-amz-crc32 header is not a CRC32".to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_is_checked_when_sent() {
        let headers = |v: &str| {
            let mut h = HeaderMap::new();
            h.insert("x-amz-crc32", HeaderValue::from_str(v).unwrap());
            h
        };
        let body = br#"{"Item":{"id":{"S":"1"}}}"#;
        let crc = crc32fast::hash(body).to_string();
        assert!(check_crc32(&headers(&crc), body).is_ok());
        assert!(check_crc32(&HeaderMap::new(), body).is_ok());
        let err = check_crc32(&headers("1"), body).unwrap_err();
        assert!(err.contains("x-amz-crc32 says 1"), "{err}");
        assert!(check_crc32(&headers("abc"), body).is_err());
        // The well-known check value of CRC-32 (IEEE).
        assert_eq!(crc32fast::hash(b"123456789"), 0xCBF4_3926);
    }

    #[test]
    fn the_attempt_header_is_written_as_format_would() {
        for (number, max, ttl) in [
            (1, 3, None),
            (10, 10, None),
            (0, u32::MAX, Some("20240102T032505Z")),
        ] {
            let info = AttemptInfo {
                number,
                max,
                ttl: ttl.map(str::to_string),
            };
            let expected = match ttl {
                Some(ttl) => format!("ttl={ttl}; attempt={number}; max={max}"),
                None => format!("attempt={number}; max={max}"),
            };
            assert_eq!(info.header(), expected);
        }
    }
}
