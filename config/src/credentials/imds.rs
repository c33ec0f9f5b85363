//! Credentials of an EC2 instance's role, from the instance metadata
//! service with IMDSv2 session tokens.
//!
//! # Retries
//!
//! A fetch (token, role name, credentials) is tried again as a whole, with
//! a fresh token, on an HTTP 5xx or 429, and on a connection failure or a
//! timeout once the service has answered this provider at least once (see
//! [`retry`](super::retry)). Before it ever has, nothing answering means
//! that this is no EC2 instance: one short attempt, so that a program
//! elsewhere does not stall in the default chain (the Rust SDK does not
//! retry IMDS timeouts either, for the same reason).
//!
//! # Static stability
//!
//! EC2 keeps an instance working when the metadata service is down or
//! hands out credentials it has not rotated yet; the AWS SDKs extend the
//! credentials they hold rather than fail. Precisely, here:
//!
//! - Credentials the service answers with that expire within the
//!   *extension* of now (already expired included) are given an expiry of
//!   now plus the extension, with a warning. The extension is
//!   [`ADVISORY_REFRESH_WINDOW`] (15 minutes) plus 2 to 10 minutes of
//!   jitter (whole seconds from 120 to 600, from the injected random
//!   source): botocore's `InstanceMetadataFetcher._evaluate_expiration`
//!   with the window its credential resolver gives it
//!   (`ec2_credential_refresh_window`, its 15-minute advisory refresh
//!   timeout; the 10 minutes in the fetcher are a default the resolver
//!   overrides). A window equal to the cache's advisory window means the
//!   cache asks the service again 2 to 10 minutes later, spread across a
//!   fleet by the jitter; with 10 minutes, an extension under 15 would land
//!   in the advisory window at once and every call would ask again.
//! - A fetch that fails, after its retries, when this provider has had
//!   credentials before, answers with the last ones, extended the same way,
//!   with a warning naming the failure. This is the Rust SDK's "static
//!   stability" (`imds/credentials.rs`: any failure answers with the last
//!   credentials); botocore only extends what the service answers, and
//!   drops its credentials at the mandatory refresh window instead. Any
//!   failure counts, as in the Rust SDK; `AWS_EC2_METADATA_DISABLED` is
//!   checked first and is never covered up.
//! - A failure with no credentials ever fetched stays an error.
//!
//! The credentials cache sees the extended expiry as the expiry and never
//! hands the credentials out past it; an outage of hours thus keeps a
//! program on the last credentials, asking the service every few minutes.
//! Warnings name the failure and the new expiry, never a key or token.

use super::http_source::{self, send, CredentialsDocument, Unanswered};
use super::retry::{with_retries, Clocks, Failed};
use super::{BoxFuture, Credentials, CredentialsError, ProvideCredentials};
use sdkgen_runtime::body::SdkBody;
use sdkgen_runtime::credentials::ADVISORY_REFRESH_WINDOW;
use sdkgen_runtime::env::Env;
use sdkgen_runtime::timestamp::format_iso8601;
use sdkgen_runtime::transport::SharedTransport;
use sdkgen_runtime::DateTime;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, SystemTime};

const DEFAULT_ENDPOINT: &str = "http://169.254.169.254";
const TOKEN_TTL_SECONDS: &str = "21600";
/// Off EC2 nothing answers: one short attempt keeps a program from stalling.
const TIMEOUT: Duration = Duration::from_secs(1);
const ROLE_PATH: &str = "/latest/meta-data/iam/security-credentials/";
const SOURCE: &str = "the instance metadata service";

/// The least and the most jitter added to the extension, in seconds.
const JITTER_SECONDS: (u64, u64) = (120, 600);

/// The instance metadata source. `AWS_EC2_METADATA_DISABLED=true` turns it
/// off; `AWS_EC2_METADATA_SERVICE_ENDPOINT` points it elsewhere.
#[derive(Debug, Clone)]
pub struct ImdsCredentials {
    env: Env,
    client: Arc<OnceLock<Result<SharedTransport, String>>>,
    clocks: Clocks,
    /// Whether the service has ever answered: until it has, a connection
    /// that fails is not tried again.
    answered: Arc<AtomicBool>,
    /// The last credentials the service gave, with the expiry it gave.
    last: Arc<Mutex<Option<Credentials>>>,
}

impl ImdsCredentials {
    pub fn new(env: Env) -> Self {
        ImdsCredentials {
            env,
            client: Arc::default(),
            clocks: Clocks::default(),
            answered: Arc::default(),
            last: Arc::default(),
        }
    }

    /// The clock, waits and randomness to use instead of the system's.
    pub fn with_clocks(mut self, clocks: Clocks) -> Self {
        self.clocks = clocks;
        self
    }

    fn endpoint(&self) -> String {
        self.env
            .get("AWS_EC2_METADATA_SERVICE_ENDPOINT")
            .map(|e| e.trim().trim_end_matches('/').to_string())
            .filter(|e| !e.is_empty())
            .unwrap_or_else(|| DEFAULT_ENDPOINT.to_string())
    }

    async fn send(
        &self,
        client: &SharedTransport,
        request: http::Request<SdkBody>,
    ) -> Result<sdkgen_runtime::http::HttpResponse, Failed> {
        match send(client, request, TIMEOUT).await {
            Ok(response) => {
                self.answered.store(true, Ordering::Relaxed);
                Ok(response)
            }
            Err(Unanswered { message, transient }) => {
                let error = CredentialsError::not_loaded(format!("{SOURCE}: {message}"));
                if transient && self.answered.load(Ordering::Relaxed) {
                    Err(Failed::transient(error))
                } else {
                    Err(Failed::fatal(error))
                }
            }
        }
    }

    async fn get(
        &self,
        client: &SharedTransport,
        path: &str,
        token: Option<&str>,
    ) -> Result<sdkgen_runtime::http::HttpResponse, Failed> {
        let mut request = http::Request::get(format!("{}{path}", self.endpoint()));
        if let Some(token) = token {
            request = request.header("x-aws-ec2-metadata-token", token);
        }
        let request = request
            .body(SdkBody::empty())
            .map_err(|e| CredentialsError::new(format!("instance metadata endpoint: {e}")))?;
        self.send(client, request).await
    }

    /// An IMDSv2 session token; `None` where the service only speaks v1.
    async fn token(&self, client: &SharedTransport) -> Result<Option<String>, Failed> {
        let request = http::Request::put(format!("{}/latest/api/token", self.endpoint()))
            .header("x-aws-ec2-metadata-token-ttl-seconds", TOKEN_TTL_SECONDS)
            .body(SdkBody::empty())
            .map_err(|e| CredentialsError::new(format!("instance metadata endpoint: {e}")))?;
        let response = self.send(client, request).await?;
        match response.status {
            200 => Ok(Some(
                String::from_utf8_lossy(&response.body).trim().to_string(),
            )),
            // Older services without tokens.
            404 | 405 => Ok(None),
            403 => Err(Failed::fatal(CredentialsError::not_loaded(
                "the instance metadata service is disabled (HTTP 403 for a token)",
            ))),
            status => Err(Failed::status(
                status,
                CredentialsError::new(format!("{SOURCE} answered HTTP {status} for a token")),
            )),
        }
    }

    /// One attempt: a token, the role's name, its credentials.
    async fn fetch(&self, client: &SharedTransport) -> Result<Credentials, Failed> {
        let token = self.token(client).await?;
        let token = token.as_deref();
        let roles = self.get(client, ROLE_PATH, token).await?;
        if roles.status == 404 {
            return Err(Failed::fatal(CredentialsError::not_loaded(
                "the instance has no IAM role",
            )));
        }
        if !roles.is_success() {
            return Err(Failed::status(
                roles.status,
                CredentialsError::new(format!(
                    "{SOURCE} answered HTTP {} for the role name",
                    roles.status
                )),
            ));
        }
        let role = String::from_utf8_lossy(&roles.body)
            .lines()
            .next()
            .unwrap_or("")
            .trim()
            .to_string();
        if role.is_empty() || role.contains(['/', '?', '#']) {
            return Err(Failed::fatal(CredentialsError::new(format!(
                "{SOURCE} returned an unusable role name {role:?}"
            ))));
        }
        let response = self
            .get(client, &format!("{ROLE_PATH}{role}"), token)
            .await?;
        if !response.is_success() {
            return Err(Failed::status(
                response.status,
                CredentialsError::new(format!(
                    "{SOURCE} answered HTTP {} for role {role}",
                    response.status
                )),
            ));
        }
        Ok(CredentialsDocument::parse(&response.body, SOURCE)?.into_credentials(SOURCE)?)
    }

    /// `credentials` with their expiry extended if it is too near; `why`
    /// says for the warning what happened.
    fn extended(&self, credentials: Credentials, why: &str) -> Credentials {
        let now = self.clocks.time.now();
        let Some(expiry) =
            extended_expiry(credentials.expires_at(), now, self.clocks.random.random())
        else {
            return credentials;
        };
        tracing::warn!(
            "{why}; its credentials are used until {} and the service is asked again before then (static stability)",
            format_iso8601(&DateTime::from(expiry)),
        );
        Credentials::new(
            credentials.access_key_id(),
            credentials.secret_access_key(),
            credentials.session_token().map(str::to_string),
            Some(expiry),
        )
    }
}

/// The expiry that credentials expiring at `expiry` get at `now`, if it
/// must change: now plus the extension (the advisory refresh window and a
/// jitter drawn from `random`, in `[0, 1)`) when they expire before that.
fn extended_expiry(expiry: Option<SystemTime>, now: SystemTime, random: f64) -> Option<SystemTime> {
    let (least, most) = JITTER_SECONDS;
    let span = (most - least + 1) as f64;
    let jitter = least + ((random.clamp(0.0, 1.0) * span) as u64).min(most - least);
    let extended = now + ADVISORY_REFRESH_WINDOW + Duration::from_secs(jitter);
    // Credentials without an expiry have nothing to extend.
    expiry.filter(|expiry| *expiry < extended).map(|_| extended)
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
            let fetched = with_retries(&self.clocks, SOURCE, || self.fetch(client)).await;
            let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
            match fetched {
                Ok(credentials) => {
                    *last = Some(credentials.clone());
                    Ok(self.extended(
                        credentials,
                        "the instance metadata service answered with credentials about to expire",
                    ))
                }
                Err(error) => match last.clone() {
                    Some(credentials) => Ok(self.extended(
                        credentials,
                        &format!(
                            "{SOURCE} failed ({}); the last credentials it gave stay in use",
                            error.message()
                        ),
                    )),
                    None => Err(error),
                },
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

    const MINUTE: Duration = Duration::from_secs(60);

    #[test]
    fn the_extension_is_the_advisory_window_and_2_to_10_minutes_of_jitter() {
        let now = UNIX_EPOCH + Duration::from_secs(1_000_000);
        let expired = Some(now - MINUTE);
        let at = |random| extended_expiry(expired, now, random).unwrap();
        assert_eq!(at(0.0), now + 17 * MINUTE);
        assert_eq!(at(0.5), now + 15 * MINUTE + Duration::from_secs(120 + 240));
        assert_eq!(at(0.999_999), now + 25 * MINUTE);
        // Out of range numbers stay within the bounds.
        assert_eq!(at(1.0), now + 25 * MINUTE);
        assert_eq!(at(-3.0), now + 17 * MINUTE);

        // botocore's rule: extended when they expire before the extension
        // would end, however valid they still are.
        assert_eq!(
            extended_expiry(Some(now + 16 * MINUTE), now, 0.0),
            Some(now + 17 * MINUTE)
        );
        assert_eq!(
            extended_expiry(Some(now + 16 * MINUTE), now, 0.5),
            Some(now + 21 * MINUTE)
        );
        assert_eq!(extended_expiry(Some(now + 20 * MINUTE), now, 0.0), None);
        assert_eq!(
            extended_expiry(Some(now + 6 * 60 * MINUTE), now, 0.999),
            None
        );
        assert_eq!(extended_expiry(None, now, 0.0), None);
    }
}
