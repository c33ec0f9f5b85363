//! Credentials from the container credentials endpoint (ECS, EKS Pod
//! Identity, or any loopback server speaking the protocol).

use super::http_source::{self, send, CredentialsDocument, Unanswered};
use super::retry::{with_retries, Clocks, Failed};
use super::{BoxFuture, Credentials, CredentialsError, ProvideCredentials};
use sdkgen_runtime::body::SdkBody;
use sdkgen_runtime::env::Env;
use sdkgen_runtime::transport::SharedTransport;
use std::net::IpAddr;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

const ECS_HOST: &str = "http://169.254.170.2";
const TIMEOUT: Duration = Duration::from_secs(5);
const SOURCE: &str = "the container credentials endpoint";

/// `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` (on the ECS agent's address) or
/// `AWS_CONTAINER_CREDENTIALS_FULL_URI` (HTTPS, or HTTP to loopback or the
/// ECS and EKS agents only: credentials must not cross a network in clear),
/// with `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` or
/// `AWS_CONTAINER_AUTHORIZATION_TOKEN` as the `Authorization` header.
/// A connection failure, a timeout, HTTP 5xx or 429 is tried again, within
/// [`FETCH_ATTEMPTS`](super::FETCH_ATTEMPTS).
#[derive(Debug, Clone)]
pub struct ContainerCredentials {
    env: Env,
    client: Arc<OnceLock<Result<SharedTransport, String>>>,
    clocks: Clocks,
}

impl ContainerCredentials {
    pub fn new(env: Env) -> Self {
        ContainerCredentials {
            env,
            client: Arc::default(),
            clocks: Clocks::default(),
        }
    }

    /// The clock, waits and randomness to use instead of the system's.
    pub fn with_clocks(mut self, clocks: Clocks) -> Self {
        self.clocks = clocks;
        self
    }

    fn uri(&self) -> Result<String, CredentialsError> {
        let get = |name: &str| self.env.non_empty(name);
        if let Some(relative) = get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
            let relative = relative.trim();
            if !relative.starts_with('/') {
                return Err(CredentialsError::new(format!(
                    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI must start with `/`: {relative:?}"
                )));
            }
            return Ok(format!("{ECS_HOST}{relative}"));
        }
        let full = get("AWS_CONTAINER_CREDENTIALS_FULL_URI").ok_or_else(|| {
            CredentialsError::not_loaded("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set")
        })?;
        let full = full.trim().to_string();
        let uri: http::Uri = full.parse().map_err(|_| {
            CredentialsError::new(format!(
                "AWS_CONTAINER_CREDENTIALS_FULL_URI is not a URL: {full:?}"
            ))
        })?;
        let allowed = match uri.scheme_str() {
            Some("https") => true,
            Some("http") => uri.host().is_some_and(allowed_http_host),
            _ => false,
        };
        if !allowed {
            return Err(CredentialsError::new(format!(
                "AWS_CONTAINER_CREDENTIALS_FULL_URI must be https, or http to a loopback address or the ECS/EKS agent: {full:?}"
            )));
        }
        Ok(full)
    }

    fn token(&self) -> Result<Option<String>, CredentialsError> {
        let get = |name: &str| self.env.non_empty(name);
        let token = match get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") {
            Some(path) => Some(std::fs::read_to_string(path.trim()).map_err(|e| {
                CredentialsError::new(format!(
                    "cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE {path:?}: {e}"
                ))
            })?),
            None => get("AWS_CONTAINER_AUTHORIZATION_TOKEN"),
        };
        let token = token.map(|t| t.trim().to_string());
        if token.as_deref().is_some_and(|t| t.contains(['\r', '\n'])) {
            return Err(CredentialsError::new(
                "the container authorization token contains a line break",
            ));
        }
        Ok(token)
    }
}

/// Loopback (any of 127.0.0.0/8, `::1`, `localhost`) or the ECS and EKS
/// agents' link-local addresses.
fn allowed_http_host(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    match host.parse::<IpAddr>() {
        Ok(ip) if ip.is_loopback() => true,
        Ok(ip) => ["169.254.170.2", "169.254.170.23", "fd00:ec2::23"]
            .iter()
            .any(|agent| agent.parse::<IpAddr>().ok() == Some(ip)),
        Err(_) => false,
    }
}

impl ContainerCredentials {
    /// One attempt at `uri`.
    async fn fetch(
        &self,
        client: &SharedTransport,
        uri: &str,
        token: Option<&str>,
    ) -> Result<Credentials, Failed> {
        let mut request = http::Request::get(uri).header("accept", "application/json");
        if let Some(token) = token {
            request = request.header("authorization", token);
        }
        let request = request.body(SdkBody::empty()).map_err(|e| {
            CredentialsError::new(format!("container credentials URI {uri:?}: {e}"))
        })?;
        let response =
            send(client, request, TIMEOUT)
                .await
                .map_err(|Unanswered { message, transient }| {
                    let error = CredentialsError::new(format!("{SOURCE} ({uri}): {message}"));
                    if transient {
                        Failed::transient(error)
                    } else {
                        Failed::fatal(error)
                    }
                })?;
        if !response.is_success() {
            return Err(Failed::status(
                response.status,
                CredentialsError::new(format!(
                    "{SOURCE} ({uri}) answered HTTP {}",
                    response.status
                )),
            ));
        }
        Ok(CredentialsDocument::parse(&response.body, SOURCE)?.into_credentials(SOURCE)?)
    }
}

impl ProvideCredentials for ContainerCredentials {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            let uri = self.uri()?;
            let token = self.token()?;
            let client = http_source::client(&self.client, Duration::from_secs(2))?;
            with_retries(&self.clocks, SOURCE, || {
                self.fetch(client, &uri, token.as_deref())
            })
            .await
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn provider(vars: &'static [(&'static str, &'static str)]) -> ContainerCredentials {
        ContainerCredentials::new(Env::from_pairs(vars.iter().copied()))
    }

    #[test]
    fn which_uris_are_allowed() {
        assert_eq!(
            provider(&[("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/creds")])
                .uri()
                .unwrap(),
            "http://169.254.170.2/v2/creds"
        );
        for ok in [
            "http://127.0.0.1:8080/x",
            "http://127.1.2.3/x",
            "http://localhost/x",
            "http://[::1]:1/x",
            "https://example.com/x",
            "http://169.254.170.23/v1",
        ] {
            let vars: &'static [(&str, &str)] =
                Box::leak(Box::new([("AWS_CONTAINER_CREDENTIALS_FULL_URI", ok)]));
            assert!(provider(vars).uri().is_ok(), "{ok}");
        }
        for bad in [
            "http://example.com/x",
            "http://10.0.0.1/x",
            "ftp://127.0.0.1/x",
            "not a url",
        ] {
            let vars: &'static [(&str, &str)] =
                Box::leak(Box::new([("AWS_CONTAINER_CREDENTIALS_FULL_URI", bad)]));
            let err = provider(vars).uri().unwrap_err();
            assert!(!err.is_not_loaded(), "{bad}");
        }
        assert!(provider(&[]).uri().unwrap_err().is_not_loaded());
    }
}
