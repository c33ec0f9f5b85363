//! What the container and instance-metadata sources share: a short-timeout
//! HTTP GET on loopback or link-local addresses, and the JSON document both
//! answer with.

use super::{Credentials, CredentialsError};
use crate::http::HttpResponse;
use crate::timestamp;
use crate::transport::{HttpClient, SendError};
use bytes::Bytes;
use http_body_util::Full;
use serde::Deserialize;
use std::sync::OnceLock;
use std::time::{Duration, SystemTime};

/// The source's HTTP client, built on first use with `connect_timeout`.
pub fn client(
    cell: &OnceLock<Result<HttpClient, String>>,
    connect_timeout: Duration,
) -> Result<&HttpClient, CredentialsError> {
    cell.get_or_init(|| {
        HttpClient::builder()
            .connect_timeout(Some(connect_timeout))
            .build()
            .map_err(|e| e.to_string())
    })
    .as_ref()
    .map_err(|e| CredentialsError::new(e.clone()))
}

/// Sends one request within `timeout`; `None` when nothing answered (the
/// endpoint is not there), so the chain can move on quickly.
pub async fn send(
    client: &HttpClient,
    request: http::Request<Full<Bytes>>,
    timeout: Duration,
) -> Result<HttpResponse, String> {
    match tokio::time::timeout(timeout, client.send(request)).await {
        Err(_) => Err(format!("no answer within {timeout:?}")),
        Ok(Err(SendError::ConnectTimeout(limit))) => Err(format!("no connection within {limit:?}")),
        Ok(Err(SendError::Dispatch(e))) => Err(e.to_string()),
        Ok(Ok(response)) => Ok(response),
    }
}

/// `{"AccessKeyId": .., "SecretAccessKey": .., "Token": .., "Expiration": ..}`,
/// the document of the container and instance-metadata endpoints (and,
/// with `SessionToken`, of `credential_process`).
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CredentialsDocument {
    #[serde(default)]
    pub version: Option<u32>,
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub message: Option<String>,
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<String>,
    #[serde(default, alias = "SessionToken")]
    pub token: Option<String>,
    #[serde(default)]
    pub expiration: Option<String>,
}

impl CredentialsDocument {
    /// Parses the document, naming what is wrong with it (never echoing a
    /// secret).
    pub fn parse(body: &[u8], source: &str) -> Result<CredentialsDocument, CredentialsError> {
        serde_json::from_slice(body).map_err(|e| {
            CredentialsError::new(format!("{source} returned a malformed document: {e}"))
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
            Some(text) => Some(SystemTime::from(timestamp::parse(&text).map_err(|e| {
                CredentialsError::new(format!("{source} returned an Expiration that is {e}"))
            })?)),
        };
        Ok(Credentials::new(
            access_key,
            secret,
            self.token.filter(|t| !t.is_empty()),
            expires_at,
        ))
    }
}
