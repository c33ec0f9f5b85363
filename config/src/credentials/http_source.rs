//! What the container and instance-metadata sources share: a short-timeout
//! HTTP GET on loopback or link-local addresses, and the JSON document both
//! answer with.

use super::{Credentials, CredentialsError};
use sdkgen_runtime::body::{CollectError, SdkBody};
use sdkgen_runtime::document::Number;
use sdkgen_runtime::http::HttpResponse;
use sdkgen_runtime::json::{self, Kind, Reader};
use sdkgen_runtime::timestamp;
use sdkgen_runtime::transport::{HttpClient, SendError, SharedTransport};
use std::sync::OnceLock;
use std::time::{Duration, SystemTime};

/// The source's HTTP client, built on first use with `connect_timeout`.
pub fn client(
    cell: &OnceLock<Result<SharedTransport, String>>,
    connect_timeout: Duration,
) -> Result<&SharedTransport, CredentialsError> {
    cell.get_or_init(|| {
        HttpClient::builder()
            .connect_timeout(Some(connect_timeout))
            .build_shared()
            .map_err(|e| e.to_string())
    })
    .as_ref()
    .map_err(|e| CredentialsError::new(e.clone()))
}

/// The largest document a credentials endpoint may answer with.
const MAX_BODY: usize = 64 * 1024;

/// Why no answer came: what happened, and whether trying again may help
/// (the connection failed or was cut, or the time ran out).
#[derive(Debug)]
pub struct Unanswered {
    pub message: String,
    pub transient: bool,
}

/// Sends one request and reads its answer within `timeout`, so that the
/// chain can move on quickly when the endpoint is not there.
pub async fn send(
    client: &SharedTransport,
    request: http::Request<SdkBody>,
    timeout: Duration,
) -> Result<HttpResponse, Unanswered> {
    let exchange = async {
        let response = client.send(request).await.map_err(|e| Unanswered {
            transient: match &e {
                SendError::ConnectTimeout(_) => true,
                SendError::Dispatch(e) => e.is_retryable(),
                // Refused: nothing was sent, and nothing would be.
                _ => false,
            },
            message: sdkgen_runtime::error::report(&e),
        })?;
        let (parts, body) = response.into_parts();
        let body = body.collect_limited(MAX_BODY).await.map_err(|e| match e {
            CollectError::TooLarge => Unanswered {
                message: format!("the answer is larger than {MAX_BODY} bytes"),
                transient: false,
            },
            CollectError::Io(e) => Unanswered {
                message: format!("the answer was cut off: {e}"),
                transient: true,
            },
        })?;
        Ok(HttpResponse::from_map(
            parts.status.as_u16(),
            parts.headers,
            body,
        ))
    };
    match tokio::time::timeout(timeout, exchange).await {
        Err(_) => Err(Unanswered {
            message: format!("no answer within {timeout:?}"),
            transient: true,
        }),
        Ok(result) => result,
    }
}

/// `{"AccessKeyId": .., "SecretAccessKey": .., "Token": .., "Expiration": ..}`,
/// the document of the container and instance-metadata endpoints (and,
/// with `SessionToken`, of `credential_process`).
pub struct CredentialsDocument {
    pub version: Option<u64>,
    pub code: Option<String>,
    pub message: Option<String>,
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<String>,
    pub token: Option<String>,
    pub expiration: Option<String>,
    /// The account the credentials belong to, where the source says.
    pub account_id: Option<String>,
}

impl CredentialsDocument {
    /// Parses the document, naming what is wrong with it (never echoing a
    /// secret). Read with the runtime's JSON reader: a derive would put a
    /// proc-macro on every build's critical path for this one struct.
    pub fn parse(body: &[u8], source: &str) -> Result<CredentialsDocument, CredentialsError> {
        let malformed = |why: String| {
            CredentialsError::new(format!("{source} returned a malformed document: {why}"))
        };
        let mut r = Reader::new(body);
        let kind = r.kind().map_err(|e| malformed(e.to_string()))?;
        if kind != Kind::Object {
            return Err(malformed(format!("{} instead of an object", kind.name())));
        }
        // Each member as it came (the last of a repeated key wins): its
        // text, or the kind of value it is when that is not text.
        let mut members: Vec<(String, Result<String, Kind>)> = Vec::new();
        let mut version: Option<Result<u64, Kind>> = None;
        json::object(&mut r, |key, r| {
            let kind = r.kind()?;
            if key == "Version" {
                version = Some(match r.number() {
                    Ok(Number::PosInt(v)) => Ok(v),
                    _ => Err(kind),
                });
            } else if kind == Kind::String {
                members.push((key.to_string(), Ok(json::string(r)?)));
            } else {
                members.push((key.to_string(), Err(kind)));
            }
            Ok(())
        })
        .and_then(|()| r.finish())
        .map_err(|e| malformed(e.to_string()))?;
        let text = |key: &str| match members.iter().rev().find(|(k, _)| k == key) {
            None => Ok(None),
            Some((_, Ok(value))) => Ok(Some(value.clone())),
            Some((_, Err(kind))) => Err(malformed(format!(
                "{key} is {} instead of a string",
                kind.name()
            ))),
        };
        let version = match version {
            None => None,
            Some(Ok(v)) => Some(v),
            Some(Err(kind)) => {
                return Err(malformed(format!(
                    "Version is {} instead of a whole number",
                    kind.name()
                )))
            }
        };
        let token = match text("Token")? {
            Some(token) => Some(token),
            None => text("SessionToken")?,
        };
        Ok(CredentialsDocument {
            version,
            code: text("Code")?,
            message: text("Message")?,
            access_key_id: text("AccessKeyId")?,
            secret_access_key: text("SecretAccessKey")?,
            token,
            expiration: text("Expiration")?,
            account_id: text("AccountId")?,
        })
    }

    pub fn into_credentials(self, source: &str) -> Result<Credentials, CredentialsError> {
        if let Some(code) = self.code.filter(|c| c != "Success") {
            let message = self.message.unwrap_or_default();
            return Err(CredentialsError::new(format!(
                "{source} answered {code}: {message}"
            )));
        }
        let missing = |field: &str| CredentialsError::new(format!("{source} returned no {field}"));
        let access_key = self
            .access_key_id
            .filter(|v| !v.is_empty())
            .ok_or_else(|| missing("AccessKeyId"))?;
        let secret = self
            .secret_access_key
            .filter(|v| !v.is_empty())
            .ok_or_else(|| missing("SecretAccessKey"))?;
        let expires_at = match self.expiration {
            None => None,
            Some(text) => Some(
                timestamp::parse(&text)
                    .and_then(SystemTime::try_from)
                    .map_err(|e| {
                        CredentialsError::new(format!(
                            "{source} returned an Expiration that is {e}"
                        ))
                    })?,
            ),
        };
        let credentials = Credentials::new(
            access_key,
            secret,
            self.token.filter(|t| !t.is_empty()),
            expires_at,
        );
        Ok(match self.account_id.filter(|a| !a.is_empty()) {
            Some(account) => credentials.with_account_id(account),
            None => credentials,
        })
    }
}
