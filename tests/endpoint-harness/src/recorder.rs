//! A transport that records the request it is asked to send and answers
//! `200` with no body: what an endpoint case checks is the request. An S3
//! Express session's request (`?session`) gets a session, and is not the
//! request recorded.

use sdkgen_runtime::body::SdkBody;
use sdkgen_runtime::credentials::BoxFuture;
use sdkgen_runtime::transport::{SendError, Transport};
use std::sync::{Arc, Mutex, PoisonError};

/// What the transport was asked to send.
#[derive(Debug, Clone)]
pub struct Sent {
    pub uri: http::Uri,
    pub headers: Vec<(String, String)>,
}

impl Sent {
    /// A header's value, by name in any case.
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    }

    /// The region and service of the SigV4 credential scope
    /// (`Credential=AKID/DATE/REGION/SERVICE/aws4_request`); SigV4a's has
    /// no region (`AKID/DATE/SERVICE/aws4_request`), which is then empty.
    pub fn credential_scope(&self) -> Option<(String, String)> {
        let auth = self.header("authorization")?;
        let ecdsa = auth.starts_with("AWS4-ECDSA-P256-SHA256 ");
        let scope = auth.split("Credential=").nth(1)?.split(',').next()?;
        let parts: Vec<&str> = scope.split('/').collect();
        match (ecdsa, parts.as_slice()) {
            (false, [_, _, region, service, "aws4_request"]) => {
                Some((region.to_string(), service.to_string()))
            }
            (true, [_, _, service, "aws4_request"]) => Some((String::new(), service.to_string())),
            _ => None,
        }
    }
}

/// `CreateSession`'s answer: a session that outlives any run.
const SESSION: &str = "<CreateSessionResult><Credentials><SessionToken>TOKEN</SessionToken><SecretAccessKey>SESSIONSECRET</SecretAccessKey><AccessKeyId>ASIASESSION</AccessKeyId><Expiration>2100-01-01T00:00:00Z</Expiration></Credentials></CreateSessionResult>";

/// The session's access key id, which signs the calls made with it.
pub const SESSION_KEY_ID: &str = "ASIASESSION";

#[derive(Debug, Clone, Default)]
pub struct Recorder(Arc<Slots>);

#[derive(Debug, Default)]
struct Slots {
    call: Mutex<Option<Sent>>,
    session: Mutex<Option<Sent>>,
}

impl Recorder {
    /// The request sent, if one was.
    pub fn take(&self) -> Option<Sent> {
        self.0
            .call
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
    }

    /// The S3 Express session's request, if one was sent.
    pub fn take_session(&self) -> Option<Sent> {
        self.0
            .session
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
    }
}

impl Transport for Recorder {
    fn send(
        &self,
        request: http::Request<SdkBody>,
    ) -> BoxFuture<'_, Result<http::Response<SdkBody>, SendError>> {
        Box::pin(async move {
            let (parts, _) = request.into_parts();
            let headers = parts
                .headers
                .iter()
                .map(|(k, v)| (k.to_string(), String::from_utf8_lossy(v.as_bytes()).into()))
                .collect();
            let session = parts.uri.query() == Some("session");
            let sent = Sent {
                uri: parts.uri,
                headers,
            };
            let (slot, body) = match session {
                true => (&self.0.session, SdkBody::from_bytes(SESSION)),
                false => (&self.0.call, SdkBody::empty()),
            };
            *slot.lock().unwrap_or_else(PoisonError::into_inner) = Some(sent);
            Ok(http::Response::new(body))
        })
    }
}
