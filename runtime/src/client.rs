//! Sends one operation: sign, send, classify, retry, time out. Generic over
//! [`Operation`]; generated clients hold a [`Handle`] and call it.

use crate::config::Config;
use crate::endpoint::Endpoint;
use crate::endpoint_rules::{BuiltIns, ResolveError};
use crate::error::{
    BuildError, DispatchError, DispatchErrorKind, SdkError, TimeoutError, TimeoutKind,
};
use crate::http::{HttpRequest, HttpResponse};
use crate::json_error::error_metadata;
use crate::operation::Operation;
use crate::retry::{backoff, classify_response, RetryKind, RetryQuota};
use crate::sigv4::{
    sign_headers, SignableRequest, SigningKeyCache, SigningParams, SigningSettings,
};
use crate::transport::{HttpClient, SendError};
use bytes::Bytes;
use http_body_util::Full;
use std::fmt;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, OnceLock};
use time::OffsetDateTime;

/// A service's compiled endpoint rules: the endpoint URL for a
/// configuration, or the rule set's error.
pub type ResolveEndpoint = fn(&BuiltIns<'_>) -> Result<String, ResolveError>;

/// What the runtime needs to know about the service, from the model.
#[derive(Debug, Clone, Copy)]
pub struct ServiceInfo {
    /// `Chime SDK Voice`
    pub service_id: &'static str,
    /// The SigV4 signing name, `chime`.
    pub signing_name: &'static str,
    /// `voice-chime`
    pub endpoint_prefix: &'static str,
    /// The generated crate's version, for the user agent.
    pub crate_version: &'static str,
    /// The service's compiled endpoint rules; without them the regional
    /// endpoint is `https://{endpoint_prefix}.{region}.amazonaws.com`.
    pub resolve_endpoint: Option<ResolveEndpoint>,
}

/// A client's shared state: configuration, transport and retry quota.
/// Cheap to clone; clones share connections and the quota.
#[derive(Clone)]
pub struct Handle {
    inner: Arc<Inner>,
}

struct Inner {
    config: Config,
    service: ServiceInfo,
    http: Result<HttpClient, Arc<DispatchError>>,
    quota: RetryQuota,
    user_agent: String,
    signing_keys: SigningKeyCache,
    /// The endpoint depends on the configuration only: resolved once.
    endpoint: OnceLock<Result<Endpoint, BuildError>>,
}

impl fmt::Debug for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Handle")
            .field("service", &self.inner.service.service_id)
            .field("config", &self.inner.config)
            .finish()
    }
}

impl Handle {
    pub fn new(config: Config, service: ServiceInfo) -> Handle {
        let http = match &config.http_client {
            Some(client) => Ok(client.clone()),
            None => {
                let mut builder = HttpClient::builder()
                    .connect_timeout(config.timeouts.connect())
                    .proxy(config.proxy.clone());
                if let Some(bytes) = config.max_response_bytes {
                    builder = builder.max_response_bytes(bytes);
                }
                builder.build().map_err(Arc::new)
            }
        };
        let user_agent = user_agent(&service, config.app_name.as_deref());
        Handle {
            inner: Arc::new(Inner {
                config,
                service,
                http,
                quota: RetryQuota::default(),
                user_agent,
                signing_keys: SigningKeyCache::default(),
                endpoint: OnceLock::new(),
            }),
        }
    }

    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// Tokens left in the retry quota.
    pub fn retry_quota_available(&self) -> u32 {
        self.inner.quota.available()
    }

    /// Calls operation `O` with `input`.
    pub async fn call<O: Operation>(
        &self,
        input: &O::Input,
    ) -> Result<O::Output, SdkError<O::Error>> {
        let attempts = AtomicU32::new(0);
        let call = self.call_with_retries::<O>(input, &attempts);
        match self.inner.config.timeouts.operation() {
            None => call.await,
            Some(limit) => match tokio::time::timeout(limit, call).await {
                Ok(result) => result,
                Err(_) => {
                    let attempts = attempts.load(Ordering::Relaxed);
                    tracing::debug!(operation = O::NAME, ?limit, attempts, "operation timeout");
                    Err(SdkError::Timeout {
                        operation: O::NAME,
                        source: TimeoutError::new(TimeoutKind::Operation, limit, attempts),
                    })
                }
            },
        }
    }

    async fn call_with_retries<O: Operation>(
        &self,
        input: &O::Input,
        attempts: &AtomicU32,
    ) -> Result<O::Output, SdkError<O::Error>> {
        let operation = O::NAME;
        let build = |source: BuildError| SdkError::Build { operation, source };
        let inner = &*self.inner;
        let config = &inner.config;
        let request = O::serialize(input).map_err(build)?;
        // Signing needs a region even when the endpoint URL is given.
        let region = config.region.as_deref().ok_or_else(|| {
            build(BuildError::config(
                "no region: set one with Config::builder().region(..), AWS_REGION or AWS_DEFAULT_REGION",
            ))
        })?;
        let endpoint = self
            .inner
            .endpoint
            .get_or_init(|| self.endpoint(region))
            .clone()
            .map_err(build)?;
        let credentials = config.credentials.as_ref().ok_or_else(|| {
            build(BuildError::config(
                "no credentials: set a credentials provider, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
            ))
        })?;
        let http = inner.http.as_ref().map_err(|e| SdkError::Dispatch {
            operation,
            source: DispatchError::new(DispatchErrorKind::Other, e.to_string(), None),
        })?;
        let max_attempts = config.retry.max_attempts();
        let invocation_id = invocation_id();
        tracing::debug!(operation, endpoint = %endpoint.uri(request.path()), "resolved endpoint");

        let mut last_retry_cost = None;
        for attempt in 1..=max_attempts {
            attempts.store(attempt, Ordering::Relaxed);
            let creds = credentials
                .provide_credentials()
                .await
                .map_err(|e| build(BuildError::config(e.to_string())))?;
            let wire = self
                .prepare(
                    &request,
                    &endpoint,
                    region,
                    &creds,
                    &invocation_id,
                    attempt,
                    max_attempts,
                )
                .map_err(|e| SdkError::Dispatch {
                    operation,
                    source: e,
                })?;
            tracing::debug!(operation, attempt, max_attempts, "sending");
            let sent = match config.timeouts.attempt() {
                None => Ok(http.send(wire).await),
                Some(limit) => tokio::time::timeout(limit, http.send(wire))
                    .await
                    .map_err(|_| limit),
            };
            let (failure, retry_kind, retry_after) = match sent {
                Ok(Ok(response)) => {
                    let request_id = response.request_id().unwrap_or("-");
                    tracing::debug!(
                        operation,
                        attempt,
                        status = response.status,
                        request_id = %request_id,
                        "response"
                    );
                    if response.is_success() {
                        inner.quota.release(last_retry_cost);
                        return O::deserialize(&response);
                    }
                    let meta = error_metadata(&response);
                    let kind = classify_response(response.status, meta.code());
                    let retry_after = response
                        .header("x-amz-retry-after")
                        .and_then(|v| v.trim().parse::<u64>().ok());
                    (Failure::Response(response), kind, retry_after)
                }
                Ok(Err(SendError::ConnectTimeout(limit))) => (
                    Failure::Timeout(TimeoutError::new(TimeoutKind::Connect, limit, attempt)),
                    Some(RetryKind::Transient),
                    None,
                ),
                Ok(Err(SendError::Dispatch(e))) => {
                    let kind = e.is_retryable().then_some(RetryKind::Transient);
                    (Failure::Dispatch(e.with_attempts(attempt)), kind, None)
                }
                Err(limit) => (
                    Failure::Timeout(TimeoutError::new(TimeoutKind::Attempt, limit, attempt)),
                    Some(RetryKind::Transient),
                    None,
                ),
            };
            let retry = match retry_kind {
                None => {
                    tracing::debug!(operation, attempt, "not retryable");
                    None
                }
                Some(_) if attempt == max_attempts => {
                    tracing::debug!(operation, attempt, "no attempts left");
                    None
                }
                Some(kind) => match inner.quota.acquire(kind) {
                    None => {
                        tracing::debug!(operation, attempt, "retry quota exhausted; not retrying");
                        None
                    }
                    Some(cost) => Some((kind, cost)),
                },
            };
            let Some((kind, cost)) = retry else {
                return Err(failure.into_error::<O>(attempt));
            };
            last_retry_cost = Some(cost);
            let delay = backoff(
                kind,
                attempt,
                config.random.random(),
                config.retry.max_backoff(),
                retry_after,
            );
            tracing::debug!(operation, attempt, ?kind, ?delay, reason = %failure.describe(), "retrying");
            config.sleep.sleep(delay).await;
        }
        unreachable!("the last attempt always returns")
    }

    fn endpoint(&self, region: &str) -> Result<Endpoint, BuildError> {
        let config = &self.inner.config;
        match self.inner.service.resolve_endpoint {
            Some(resolve) => {
                let builtins = BuiltIns {
                    region: Some(region),
                    use_fips: config.use_fips,
                    use_dual_stack: config.use_dual_stack,
                    endpoint: config.endpoint_url.as_deref(),
                };
                let url = resolve(&builtins)
                    .map_err(|e| BuildError::config(format!("no endpoint: {e}")))?;
                Endpoint::parse(&url)
            }
            None => match &config.endpoint_url {
                Some(url) => Endpoint::parse(url),
                None => Endpoint::regional(self.inner.service.endpoint_prefix, region),
            },
        }
    }

    /// The signed HTTP message of one attempt.
    #[allow(clippy::too_many_arguments)]
    fn prepare(
        &self,
        request: &HttpRequest,
        endpoint: &Endpoint,
        region: &str,
        credentials: &crate::credentials::Credentials,
        invocation_id: &str,
        attempt: u32,
        max_attempts: u32,
    ) -> Result<http::Request<Full<Bytes>>, DispatchError> {
        let inner = &*self.inner;
        let mut headers: Vec<(String, String)> = vec![
            ("host".into(), endpoint.host().to_string()),
            ("user-agent".into(), inner.user_agent.clone()),
            ("x-amz-user-agent".into(), inner.user_agent.clone()),
            ("amz-sdk-invocation-id".into(), invocation_id.to_string()),
            (
                "amz-sdk-request".into(),
                format!("attempt={attempt}; max={max_attempts}"),
            ),
        ];
        headers.extend(request.headers.iter().cloned());
        if !request.body.is_empty() {
            headers.push(("content-length".into(), request.body.len().to_string()));
        }
        let (path, query) = request
            .path_and_query
            .split_once('?')
            .unwrap_or((&request.path_and_query, ""));
        let full_path = format!("{}{path}", endpoint.base_path);
        let now = OffsetDateTime::from(inner.config.time_source.now());
        let params = SigningParams {
            credentials,
            region,
            service: inner.service.signing_name,
            time: now,
            settings: SigningSettings::default(),
            key_cache: Some(&inner.signing_keys),
        };
        let signable = SignableRequest {
            method: request.method,
            path: &full_path,
            query,
            headers: headers.clone(),
            body: &request.body,
        };
        let signature = sign_headers(&signable, &params);
        let mut builder = http::Request::builder()
            .method(request.method)
            .uri(endpoint.uri(&request.path_and_query));
        for (name, value) in headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .chain(signature.headers.iter().map(|(k, v)| (*k, v.as_str())))
        {
            builder = builder.header(name, value);
        }
        builder
            .body(Full::new(Bytes::from(request.body.clone())))
            .map_err(|e| {
                DispatchError::new(
                    DispatchErrorKind::Other,
                    "the request is not a valid HTTP message",
                    Some(Box::new(e)),
                )
            })
    }
}

/// A failed attempt, kept until we know whether it is retried.
enum Failure {
    Response(HttpResponse),
    Timeout(TimeoutError),
    Dispatch(DispatchError),
}

impl Failure {
    fn describe(&self) -> String {
        match self {
            Failure::Response(r) => format!("HTTP {}", r.status),
            Failure::Timeout(t) => t.to_string(),
            Failure::Dispatch(d) => d.to_string(),
        }
    }

    fn into_error<O: Operation>(self, attempts: u32) -> SdkError<O::Error> {
        let operation = O::NAME;
        match self {
            Failure::Response(response) => match O::deserialize(&response) {
                Err(e) => e,
                // A non-2xx response that parses as output cannot happen with
                // the rest-json binding; report it rather than pretend.
                Ok(_) => SdkError::Dispatch {
                    operation,
                    source: DispatchError::new(
                        DispatchErrorKind::Other,
                        format!("unexpected HTTP {}", response.status),
                        None,
                    )
                    .with_attempts(attempts),
                },
            },
            Failure::Timeout(source) => SdkError::Timeout { operation, source },
            Failure::Dispatch(source) => SdkError::Dispatch { operation, source },
        }
    }
}

/// A random UUID v4, the same for every attempt of one call.
fn invocation_id() -> String {
    let bits = fastrand::u128(..);
    let bits = (bits & !(0xf << 76) | (0x4 << 76)) & !(0x3 << 62) | (0x2 << 62);
    let hex = format!("{bits:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// `sdkgen-rust/0.1.0 ua/2.1 api/chime-sdk-voice#0.1.0 os/linux lang/rust`,
/// in the AWS SDKs' user-agent convention.
fn user_agent(service: &ServiceInfo, app_name: Option<&str>) -> String {
    let api = service.service_id.to_ascii_lowercase().replace(' ', "-");
    let mut ua = format!(
        "sdkgen-rust/{} ua/2.1 api/{api}#{} os/{} lang/rust",
        env!("CARGO_PKG_VERSION"),
        service.crate_version,
        std::env::consts::OS
    );
    if let Some(app) = app_name {
        let app: String = app.chars().filter(|c| c.is_ascii_graphic()).collect();
        ua.push_str(&format!(" app/{app}"));
    }
    ua
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invocation_ids_are_uuid_v4() {
        let id = invocation_id();
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4");
        assert!(matches!(&id[19..20], "8" | "9" | "a" | "b"), "{id}");
        assert_ne!(invocation_id(), id);
    }

    #[test]
    fn user_agent_follows_the_convention() {
        let service = ServiceInfo {
            service_id: "Chime SDK Voice",
            signing_name: "chime",
            endpoint_prefix: "voice-chime",
            crate_version: "0.1.0",
            resolve_endpoint: None,
        };
        let ua = user_agent(&service, Some("my app"));
        assert!(ua.starts_with("sdkgen-rust/"), "{ua}");
        assert!(ua.contains(" ua/2.1 api/chime-sdk-voice#0.1.0 os/"), "{ua}");
        assert!(ua.ends_with(" lang/rust app/myapp"), "{ua}");
    }
}
