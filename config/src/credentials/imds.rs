//! Credentials of an EC2 instance's role, from the instance metadata
//! service with IMDSv2 session tokens.

use super::http_source::{self, send, CredentialsDocument};
use super::{BoxFuture, Credentials, CredentialsError, ProvideCredentials};
use sdkgen_runtime::body::SdkBody;
use sdkgen_runtime::env::Env;
use sdkgen_runtime::transport::SharedTransport;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

const DEFAULT_ENDPOINT: &str = "http://169.254.169.254";
const TOKEN_TTL_SECONDS: &str = "21600";
/// Off EC2 nothing answers: one short attempt keeps a program from stalling.
const TIMEOUT: Duration = Duration::from_secs(1);
const ROLE_PATH: &str = "/latest/meta-data/iam/security-credentials/";

/// The instance metadata source. `AWS_EC2_METADATA_DISABLED=true` turns it
/// off; `AWS_EC2_METADATA_SERVICE_ENDPOINT` points it elsewhere.
#[derive(Debug, Clone)]
pub struct ImdsCredentials {
    env: Env,
    client: Arc<OnceLock<Result<SharedTransport, String>>>,
}

impl ImdsCredentials {
    pub fn new(env: Env) -> Self {
        ImdsCredentials {
            env,
            client: Arc::default(),
        }
    }

    fn endpoint(&self) -> String {
        self.env
            .get("AWS_EC2_METADATA_SERVICE_ENDPOINT")
            .map(|e| e.trim().trim_end_matches('/').to_string())
            .filter(|e| !e.is_empty())
            .unwrap_or_else(|| DEFAULT_ENDPOINT.to_string())
    }

    async fn get(
        &self,
        client: &SharedTransport,
        path: &str,
        token: Option<&str>,
    ) -> Result<sdkgen_runtime::http::HttpResponse, CredentialsError> {
        let mut request = http::Request::get(format!("{}{path}", self.endpoint()));
        if let Some(token) = token {
            request = request.header("x-aws-ec2-metadata-token", token);
        }
        let request = request
            .body(SdkBody::empty())
            .map_err(|e| CredentialsError::new(format!("instance metadata endpoint: {e}")))?;
        send(client, request, TIMEOUT)
            .await
            .map_err(|e| CredentialsError::not_loaded(format!("instance metadata service: {e}")))
    }

    /// An IMDSv2 session token; `None` where the service only speaks v1.
    async fn token(&self, client: &SharedTransport) -> Result<Option<String>, CredentialsError> {
        let request = http::Request::put(format!("{}/latest/api/token", self.endpoint()))
            .header("x-aws-ec2-metadata-token-ttl-seconds", TOKEN_TTL_SECONDS)
            .body(SdkBody::empty())
            .map_err(|e| CredentialsError::new(format!("instance metadata endpoint: {e}")))?;
        let response = send(client, request, TIMEOUT)
            .await
            .map_err(|e| CredentialsError::not_loaded(format!("instance metadata service: {e}")))?;
        match response.status {
            200 => Ok(Some(
                String::from_utf8_lossy(&response.body).trim().to_string(),
            )),
            // Older services without tokens.
            404 | 405 => Ok(None),
            403 => Err(CredentialsError::not_loaded(
                "the instance metadata service is disabled (HTTP 403 for a token)",
            )),
            status => Err(CredentialsError::new(format!(
                "the instance metadata service answered HTTP {status} for a token"
            ))),
        }
    }
}

impl ProvideCredentials for ImdsCredentials {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            if self
                .env
                .get("AWS_EC2_METADATA_DISABLED")
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
            {
                return Err(CredentialsError::not_loaded(
                    "AWS_EC2_METADATA_DISABLED is true",
                ));
            }
            let client = http_source::client(&self.client, TIMEOUT)?;
            let token = self.token(client).await?;
            let token = token.as_deref();
            let source = "the instance metadata service";
            let roles = self.get(client, ROLE_PATH, token).await?;
            if roles.status == 404 {
                return Err(CredentialsError::not_loaded("the instance has no IAM role"));
            }
            if !roles.is_success() {
                return Err(CredentialsError::new(format!(
                    "{source} answered HTTP {} for the role name",
                    roles.status
                )));
            }
            let role = String::from_utf8_lossy(&roles.body)
                .lines()
                .next()
                .unwrap_or("")
                .trim()
                .to_string();
            if role.is_empty() || role.contains(['/', '?', '#']) {
                return Err(CredentialsError::new(format!(
                    "{source} returned an unusable role name {role:?}"
                )));
            }
            let response = self
                .get(client, &format!("{ROLE_PATH}{role}"), token)
                .await?;
            if !response.is_success() {
                return Err(CredentialsError::new(format!(
                    "{source} answered HTTP {} for role {role}",
                    response.status
                )));
            }
            CredentialsDocument::parse(&response.body, source)?.into_credentials(source)
        })
    }
}
