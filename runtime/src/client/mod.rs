//! Sends one operation: sign, send, classify, retry, time out. Generic over
//! [`Operation`]; generated clients hold a [`Handle`] and call it. Nothing
//! here knows a protocol: a response goes to the operation's deserializer
//! once, and the retry policy reads the metadata of the typed error it
//! gives back.

mod presign;
mod scope;
mod session;
mod skew;

pub(crate) use session::{fetch_session, SessionFetch};
mod wire;

use crate::checksum::CallChecksums;
use crate::config::Config;
use crate::credentials::BoxFuture;
use crate::credentials::CredentialsError;
use crate::endpoint::Endpoint;
use crate::endpoint_rules::{BuiltIns, EndpointParam, ResolveError, ResolvedEndpoint};
use crate::error::{
    BuildError, DispatchError, DispatchErrorKind, ErrorMetadata, ProvideErrorMetadata,
    ResponseError, SdkError, TimeoutError, TimeoutKind,
};
use crate::http::{HttpRequest, HttpResponse, RequestBody};
use crate::operation::{Operation, Signing};
use crate::protocol::{uuid_v4, SerializeContext};
use crate::retry::{
    backoff, classify_response, ClientRateLimiter, RetryKind, RetryMode, RetryQuota,
};
use crate::sigv4::{SigningKeyCache, SigningSettings};
use crate::transport::{Http2Policy, HttpClient, SendError, SharedTransport};
use http::header::HeaderValue;
use skew::{ClockSkew, DEFAULT_READ_TIMEOUT};
use std::any::Any;
use std::borrow::Cow;
use std::convert::Infallible;
use std::fmt;
use std::future::Future;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, OnceLock};
use std::task::Poll;
use wire::{exchange, payload_hash, AttemptInfo, CallWire, ReadPolicy};

/// A service's compiled endpoint rules: the endpoint for a configuration
/// and an operation's parameters, or the rule set's error.
pub type ResolveEndpoint =
    fn(&BuiltIns<'_>, &[(&'static str, EndpointParam)]) -> Result<ResolvedEndpoint, ResolveError>;

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
    /// Whether the endpoint rules route by the caller's account
    /// (`AWS::Auth::AccountId`): the credentials, which carry the account
    /// id, are then had before the endpoint is resolved, and the endpoint
    /// is resolved per call.
    pub account_id_endpoints: bool,
    /// Whether the default transport speaks HTTP/2 to the service, from
    /// the model's `metadata.protocolSettings.h2`. A transport given in the
    /// configuration is used as it is.
    pub http2: Http2Policy,
    /// What the service needs beyond its model (S3's signing and its `200`
    /// errors), called at fixed points of every call; `None` for most.
    pub hooks: Option<&'static dyn crate::hooks::ServiceHooks>,
}

/// The built-in the credentials' account id reaches the rules as.
const ACCOUNT_ID: &str = "AWS::Auth::AccountId";
const ACCOUNT_ID_ENDPOINT_MODE: &str = "AWS::Auth::AccountIdEndpointMode";

/// The configuration's built-ins, with the credentials' account id and the
/// SDKs' default mode (`preferred`) where the configuration sets neither.
fn account_built_ins(
    configured: &[(&'static str, EndpointParam)],
    account_id: Option<&str>,
) -> Vec<(&'static str, EndpointParam)> {
    let set = |name: &str| configured.iter().any(|(n, _)| *n == name);
    let mut built_ins = configured.to_vec();
    if let (Some(id), false) = (account_id, set(ACCOUNT_ID)) {
        built_ins.push((ACCOUNT_ID, EndpointParam::String(id.to_string())));
    }
    if !set(ACCOUNT_ID_ENDPOINT_MODE) {
        built_ins.push((
            ACCOUNT_ID_ENDPOINT_MODE,
            EndpointParam::String(crate::config::AccountIdEndpointMode::Preferred.to_string()),
        ));
    }
    built_ins
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
    transport: Result<SharedTransport, Arc<DispatchError>>,
    quota: RetryQuota,
    skew: ClockSkew,
    /// Adaptive retry mode's rate limiter; `None` in standard mode.
    rate_limiter: Option<ClientRateLimiter>,
    /// Made once: every request sends it twice.
    user_agent: HeaderValue,
    signing_keys: SigningKeyCache,
    /// Sessions of the endpoints whose scheme signs with one (S3 Express).
    sessions: session::Sessions,
    serialize: SerializeContext,
    /// The endpoint depends on the configuration only: resolved once.
    endpoint: OnceLock<Result<Endpoint, BuildError>>,
    /// The blocking client's runtime, started by its first call.
    #[cfg(feature = "blocking")]
    runtime: OnceLock<Result<crate::blocking::Runtime, Arc<std::io::Error>>>,
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
        let transport = match &config.transport {
            Some(transport) => Ok(transport.clone()),
            None => HttpClient::builder()
                .connect_timeout(config.timeouts.connect())
                .proxy(config.proxy.clone())
                .pool_idle_timeout(config.pool_idle_timeout)
                .pool_max_idle_per_host(config.pool_max_idle_per_host)
                .http2(service.http2)
                .build_shared()
                .map_err(Arc::new),
        };
        // Printable ASCII by construction, so never the fallback.
        let user_agent = HeaderValue::try_from(user_agent(&service, config.app_name.as_deref()))
            .unwrap_or(HeaderValue::from_static("sdkgen-rust"));
        let serialize = SerializeContext::new(config.idempotency_tokens.clone());
        let rate_limiter = (config.retry.mode() == RetryMode::Adaptive)
            .then(|| ClientRateLimiter::new(config.time_source.now()));
        Handle {
            inner: Arc::new(Inner {
                config,
                service,
                transport,
                quota: RetryQuota::default(),
                skew: ClockSkew::default(),
                rate_limiter,
                user_agent,
                signing_keys: SigningKeyCache::default(),
                sessions: session::Sessions::default(),
                serialize,
                endpoint: OnceLock::new(),
                #[cfg(feature = "blocking")]
                runtime: OnceLock::new(),
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

    /// Calls operation `O` with `input`, as its builder built it: a build
    /// failure becomes the operation's `SdkError::Build` here, once, not in
    /// every generated `send()`.
    ///
    /// Only this function is generic: it serializes the input, hands the
    /// request to the one retry loop the crate has (`Handle::send`), and
    /// gives it a closure that reads responses into `O`'s output or error.
    /// So a crate of ninety operations compiles the loop once, not ninety
    /// times.
    pub async fn call<O: Operation>(
        &self,
        input: Result<O::Input, BuildError>,
    ) -> Result<O::Output, SdkError<O::Error>> {
        self.call_with_status::<O>(input)
            .await
            .map(|(output, _)| output)
    }

    /// [`call`](Self::call), with the HTTP status of the successful
    /// response (200 for a test double's output), which a waiter's
    /// `status` acceptor reads.
    pub async fn call_with_status<O: Operation>(
        &self,
        input: Result<O::Input, BuildError>,
    ) -> Result<(O::Output, u16), SdkError<O::Error>> {
        let operation = O::NAME;
        let input = &input.map_err(|source| SdkError::Build { operation, source })?;
        let request = O::serialize(input, &self.inner.serialize)
            .map_err(|source| SdkError::Build { operation, source })?;
        let params = O::endpoint_params(input);
        let mut output = None;
        let mut status = 200;
        let mut read = |answer: Answer| {
            let read = match answer {
                Answer::Http(response) => {
                    status = response.status;
                    O::deserialize(response)
                }
                #[cfg(feature = "test-util")]
                Answer::Mocked(value) => match value.downcast::<Result<O::Output, O::Error>>() {
                    Ok(result) => {
                        (*result).map_err(|source| SdkError::Service { operation, source })
                    }
                    Err(_) => Err(internal(operation)),
                },
            };
            match read {
                Ok(o) => {
                    output = Some(o);
                    Ok(())
                }
                Err(e) => Err(match e.into_service() {
                    Ok(source) => Read::Service(ServiceFailure {
                        meta: source.meta().clone(),
                        error: Box::new(source),
                    }),
                    Err(other) => Read::Unreadable(Box::new(other)),
                }),
            }
        };
        let meta = OperationMeta {
            name: operation,
            signing: O::SIGNING,
            streaming_response: O::STREAMING_RESPONSE,
            request_compression: O::REQUEST_COMPRESSION,
            checksum: O::HTTP_CHECKSUM,
        };
        let sent = self.send(meta, input, request, params, &mut read).await;
        match (sent, output) {
            (Ok(()), Some(mut output)) if O::INITIAL_RESPONSE => {
                O::read_initial_response(&mut output).await?;
                Ok((output, status))
            }
            (Ok(()), Some(output)) => Ok((output, status)),
            (Ok(()), None) => Err(internal(operation)),
            // A failure that is not the operation's own (the refusal of
            // the session it needed) is its unmodeled error.
            (Err(e), _) => Err(e
                .retype(|failure| {
                    Some(match failure.error.downcast::<O::Error>() {
                        Ok(error) => *error,
                        Err(_) => O::unhandled(failure.meta),
                    })
                })
                .unwrap_or_else(|| internal(operation))),
        }
    }

    /// Calls operation `O` with `input` and waits for the result, on the
    /// runtime the handle owns (started by the first call). Refused inside
    /// an async runtime, whose thread it would stall.
    #[cfg(feature = "blocking")]
    pub fn call_blocking<O: Operation>(
        &self,
        input: Result<O::Input, BuildError>,
    ) -> Result<O::Output, SdkError<O::Error>> {
        self.block_on(O::NAME, self.call::<O>(input))
    }

    /// Waits for `future`, a call of `operation`, on the handle's runtime.
    #[cfg(feature = "blocking")]
    fn block_on<T, E>(
        &self,
        operation: &'static str,
        future: impl std::future::Future<Output = Result<T, SdkError<E>>>,
    ) -> Result<T, SdkError<E>> {
        if tokio::runtime::Handle::try_current().is_ok() {
            return Err(SdkError::Build {
                operation,
                source: BuildError::config(
                    "the blocking client was called inside an async runtime, whose thread it would stall; \
                     use the async Client and `send().await` there",
                ),
            });
        }
        let runtime = self
            .inner
            .runtime
            .get_or_init(|| crate::blocking::Runtime::start().map_err(Arc::new))
            .as_ref()
            .map_err(|e| SdkError::Build {
                operation,
                source: BuildError::config_with_source(
                    "the blocking client cannot start its runtime",
                    Arc::clone(e),
                ),
            })?;
        runtime
            .block_on(future)
            .unwrap_or_else(|| Err(internal(operation)))
    }

    /// The retry loop, under the operation timeout: the same code for every
    /// operation of every service.
    ///
    /// Boxed, and made here: a crate that calls an operation then polls the
    /// loop through a pointer instead of compiling its own copy of it and
    /// of the HTTP stack under it (in release builds each crate
    /// instantiates the generic code it reaches, and a state machine
    /// awaited directly is reached). One allocation per call buys a
    /// smaller binary and a faster build of every crate downstream.
    #[inline(never)]
    fn send<'a>(
        &'a self,
        op: OperationMeta,
        input: &'a (dyn Any + Sync),
        request: HttpRequest,
        params: Vec<(&'static str, EndpointParam)>,
        read: &'a mut ReadResponse<'_>,
    ) -> BoxFuture<'a, Result<(), SdkError<ServiceFailure>>> {
        Box::pin(async move {
            let attempts = AtomicU32::new(0);
            let limit = self.inner.config.timeouts.operation();
            // One place polls the loop, with or without a limit: two (the
            // loop awaited, or under `tokio::time::timeout`) had the
            // compiler emit the loop's state machine twice.
            let mut call =
                std::pin::pin!(self.call_with_retries(op, input, request, params, read, &attempts));
            let mut deadline = std::pin::pin!(limit.map(tokio::time::sleep));
            std::future::poll_fn(|cx| {
                if let Poll::Ready(result) = call.as_mut().poll(cx) {
                    return Poll::Ready(result);
                }
                let expired = deadline
                    .as_mut()
                    .as_pin_mut()
                    .is_some_and(|sleep| sleep.poll(cx).is_ready());
                match limit {
                    Some(limit) if expired => {
                        let attempts = attempts.load(Ordering::Relaxed);
                        tracing::debug!(operation = op.name, ?limit, attempts, "operation timeout");
                        Poll::Ready(Err(SdkError::Timeout {
                            operation: op.name,
                            source: TimeoutError::new(TimeoutKind::Operation, limit, attempts),
                        }))
                    }
                    _ => Poll::Pending,
                }
            })
            .await
        })
    }

    async fn call_with_retries(
        &self,
        op: OperationMeta,
        #[cfg_attr(not(feature = "test-util"), allow(unused_variables))] input: &(dyn Any + Sync),
        mut request: HttpRequest,
        params: Vec<(&'static str, EndpointParam)>,
        read: &mut ReadResponse<'_>,
        attempts: &AtomicU32,
    ) -> Result<(), SdkError<ServiceFailure>> {
        let operation = op.name;
        let build = |source: BuildError| SdkError::Build { operation, source };
        let inner = &*self.inner;
        let config = &inner.config;
        if op.request_compression && !config.disable_request_compression {
            crate::compression::compress(&mut request, config.request_min_compression_size_bytes);
        }
        let region = self.region().map_err(build)?;
        // A token wins where the operation accepts one, as in botocore
        // (which prefers it unless a signature version was chosen in code:
        // here, `ConfigBuilder::clear_bearer_token`).
        let bearer = match op.signing {
            Signing::Bearer | Signing::SigV4OrBearer if config.bearer_token.is_some() => {
                config.bearer_token.clone()
            }
            // Only where a token is the one way in: a provider's token
            // (an SSO session's) never displaces SigV4.
            Signing::Bearer => match &config.bearer_token_provider {
                Some(provider) => Some(provider.provide_token().await.map_err(|source| {
                    SdkError::Credentials {
                        operation,
                        source,
                        attempts: 0,
                    }
                })?),
                None => None,
            },
            _ => None,
        };
        let signs = bearer.is_none() && op.signing != Signing::Anonymous;
        let account_id = match (&config.credentials, signs) {
            (Some(provider), true) if inner.service.account_id_endpoints => provider
                .provide_credentials()
                .await
                .map_err(|source| SdkError::Credentials {
                    operation,
                    source,
                    attempts: 0,
                })?
                .account_id()
                .map(str::to_string),
            _ => None,
        };
        let endpoint = self
            .operation_endpoint(
                region,
                &params,
                account_id.as_deref(),
                request.host_prefix.as_deref(),
            )
            .map_err(build)?;
        // A SigV2 service's rules name SigV4 (or nothing): the model's
        // signature version decides.
        let session = match signs && op.signing != Signing::SigV2 {
            true => self
                .signing_session(&endpoint, operation, "this client does")
                .map_err(build)?,
            false => None,
        };
        let credentials = match op.signing {
            _ if !signs => None,
            Signing::Bearer => {
                return Err(build(BuildError::config(format!(
                    "{operation} authenticates with a bearer token only: set one with Config::builder().bearer_token(..)"
                ))))
            }
            _ => Some(config.credentials.as_ref().ok_or_else(|| SdkError::Credentials {
                operation,
                source: CredentialsError::not_loaded(if op.signing == Signing::SigV4OrBearer {
                    "set a credentials provider, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or a bearer token"
                } else {
                    "set a credentials provider, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
                }),
                attempts: 0,
            })?),
        };
        let call = crate::hooks::CallInfo {
            operation,
            streaming_response: op.streaming_response,
        };
        let tls = endpoint.scheme == "https";
        let mut checksums =
            CallChecksums::plan(op.checksum.as_ref(), &mut request, config, tls).map_err(build)?;
        let mut signing = SigningSettings::default();
        if let Some(hooks) = inner.service.hooks {
            hooks.before_signing(&call, &mut request, &mut signing);
        }
        if let Some(scheme) = session {
            session::token_names(&mut signing, scheme.auth);
        }
        let transport = inner.transport.as_ref().map_err(|e| SdkError::Dispatch {
            operation,
            source: DispatchError::new(DispatchErrorKind::Other, e.to_string(), None),
        })?;
        // A streamed file is hashed once for the signature, not once per attempt.
        let payload_hash = payload_hash(
            op.signing,
            &signing,
            tls,
            &mut request,
            &mut checksums,
            credentials.is_some(),
        )
        .await
        .map_err(build)?;
        // An input event stream, or a caller's stream, is read as it is
        // sent: once.
        let sends_events = matches!(request.body, RequestBody::Events(_));
        let sends_once =
            matches!(&request.body, RequestBody::Stream(stream) if !stream.is_replayable());
        let mut max_attempts = if sends_events || sends_once {
            1
        } else {
            config.retry.max_attempts()
        };
        let invocation_id = uuid_v4(fastrand::u128(..));
        tracing::debug!(operation, endpoint = %endpoint.uri(request.path()), "resolved endpoint");

        let call_wire = CallWire {
            endpoint: &endpoint,
            region,
            bearer: bearer.as_ref(),
            signing: &signing,
            sigv2: op.signing == Signing::SigV2,
            payload_hash: payload_hash.as_deref(),
            checksums: &checksums,
            invocation_id: &invocation_id,
        };
        let mut last_retry_cost = None;
        let mut attempt = 0;
        // Whether a response of this call has told the skew (botocore's
        // condition for a `ttl`), and whether its one retry for a
        // signature refused because of time is spent.
        let (mut skew_known, mut skew_retried) = (false, false);
        loop {
            attempt += 1;
            attempts.store(attempt, Ordering::Relaxed);
            self.wait_for_send_token(operation, attempt).await;
            let creds = match (credentials, session) {
                (Some(_), Some(scheme)) => Some(
                    (scheme.fetch)(self, scheme.auth, &endpoint, &params)
                        .await
                        .map_err(|e| e.into_error(scheme.auth, operation, attempt - 1))?,
                ),
                (Some(provider), None) => {
                    Some(provider.provide_credentials().await.map_err(|source| {
                        SdkError::Credentials {
                            operation,
                            source,
                            attempts: attempt - 1,
                        }
                    })?)
                }
                (None, _) => None,
            };
            // botocore leaves it out for a streamed body too.
            let ttl = (skew_known
                && !matches!(
                    request.body,
                    RequestBody::Stream(_) | RequestBody::Events(_)
                ))
            .then(|| {
                let read_timeout = config.timeouts.attempt().unwrap_or(DEFAULT_READ_TIMEOUT);
                inner.skew.ttl(config.time_source.now(), read_timeout)
            })
            .flatten();
            let signed_with_ms = inner.skew.applied_ms();
            let info = AttemptInfo {
                number: attempt,
                max: max_attempts,
                ttl,
            };
            let wire = self
                .prepare(&request, &call_wire, creds.as_ref(), &info)
                .map_err(|e| SdkError::Dispatch {
                    operation,
                    source: e,
                })?;
            tracing::debug!(operation, attempt, max_attempts, "sending");
            let policy = ReadPolicy {
                streaming: op.streaming_response,
                checksums: &checksums,
                limit: config.max_response_bytes,
                read_timeout: config.timeouts.read(),
                sleep: config.sleep.clone(),
            };
            let exchange = exchange(transport.as_ref(), wire, policy);
            #[cfg(feature = "test-util")]
            let exchange = mocked_or(config.mocks.as_deref(), operation, input, exchange);
            let sent = match config.timeouts.attempt() {
                None => Ok(exchange.await),
                Some(limit) => tokio::time::timeout(limit, exchange)
                    .await
                    .map_err(|_| limit),
            };
            let sent = match (sent, inner.service.hooks) {
                (Ok(Ok(Answer::Http(mut response))), Some(hooks)) => {
                    Ok(match hooks.check_response(&call, &mut response) {
                        Ok(()) => Ok(Answer::Http(response)),
                        Err(e) => Err(SendError::Dispatch(e)),
                    })
                }
                (sent, _) => sent,
            };
            let (failure, retry_kind, retry_after) = match sent {
                Ok(Ok(answer)) => {
                    let (retry_after, observed_skew) = match &answer {
                        Answer::Http(response) => {
                            tracing::debug!(
                                operation,
                                attempt,
                                status = response.status,
                                request_id = %response.request_id().unwrap_or("-"),
                                "response"
                            );
                            let retry_after = response
                                .header("x-amz-retry-after")
                                .and_then(|v| v.trim().parse::<u64>().ok());
                            let skew = inner
                                .skew
                                .observe(response.header("date"), config.time_source.now());
                            (retry_after, skew)
                        }
                        #[cfg(feature = "test-util")]
                        Answer::Mocked(_) => (None, None),
                    };
                    skew_known |= observed_skew.is_some();
                    match read(answer) {
                        Ok(()) => {
                            inner.quota.release(last_retry_cost);
                            self.attempt_ended(false);
                            return Ok(());
                        }
                        Err(Read::Service(source))
                            if !skew_retried
                                && !sends_events
                                && !sends_once
                                && inner.skew.refused_for_time(
                                    source.meta.code(),
                                    observed_skew,
                                    signed_with_ms,
                                ) =>
                        {
                            // Not the service failing: our clock. Signed
                            // again at once with the service's time; the
                            // retry costs no quota, and takes an attempt
                            // of its own if this was the last.
                            skew_retried = true;
                            max_attempts = max_attempts.max(attempt + 1);
                            self.attempt_ended(false);
                            tracing::warn!(
                                operation,
                                attempt,
                                skew_ms = observed_skew,
                                code = source.meta.code(),
                                "the service refused the signature's time; signing with its clock from now on"
                            );
                            continue;
                        }
                        Err(Read::Service(source)) => {
                            let kind = classify_response(source.meta.status(), source.meta.code());
                            (Failure::Service(source), kind, retry_after)
                        }
                        // A success that cannot be read: sending it again
                        // would give the same answer.
                        Err(Read::Unreadable(other)) => {
                            self.attempt_ended(false);
                            return Err((*other)
                                .retype(|never| match never {})
                                .unwrap_or_else(|| internal(operation)));
                        }
                    }
                }
                Ok(Err(SendError::ConnectTimeout(limit))) => (
                    Failure::Timeout(TimeoutError::new(TimeoutKind::Connect, limit, attempt)),
                    Some(RetryKind::Transient),
                    None,
                ),
                Ok(Err(SendError::Refused(reason))) => {
                    return Err(build(BuildError::config(reason)));
                }
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
            self.attempt_ended(retry_kind == Some(RetryKind::Throttling));
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
                return Err(failure.into_error(operation));
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
    }

    /// Adaptive mode: takes a token from the client's rate limiter before
    /// an attempt, waiting with the injected sleep when there is none.
    /// botocore takes it just before sending; here it is taken before the
    /// request is signed, so that a long wait never ages the signature.
    async fn wait_for_send_token(&self, operation: &'static str, attempt: u32) {
        let Some(limiter) = &self.inner.rate_limiter else {
            return;
        };
        let config = &self.inner.config;
        let wait = limiter.before_attempt(config.time_source.now());
        if !wait.is_zero() {
            tracing::debug!(
                operation,
                attempt,
                ?wait,
                "adaptive retry mode: waiting to send"
            );
            config.sleep.sleep(wait).await;
        }
    }

    /// Adaptive mode: tells the client's rate limiter how an attempt ended.
    fn attempt_ended(&self, throttled: bool) {
        if let Some(limiter) = &self.inner.rate_limiter {
            limiter.after_attempt(self.inner.config.time_source.now(), throttled);
        }
    }

    /// The region to sign for: needed even when the endpoint URL is given.
    fn region(&self) -> Result<&str, BuildError> {
        self.inner.config.region.as_deref().ok_or_else(|| {
            BuildError::config(
                "no region: set one with Config::builder().region(..), AWS_REGION or AWS_DEFAULT_REGION",
            )
        })
    }

    /// Where an operation's request goes: the endpoint for its rule
    /// parameters, with its host prefix. Most operations give the rules
    /// nothing of their own: their endpoint is the client's, resolved once.
    fn operation_endpoint(
        &self,
        region: &str,
        params: &[(&'static str, EndpointParam)],
        account_id: Option<&str>,
        host_prefix: Option<&str>,
    ) -> Result<Cow<'_, Endpoint>, BuildError> {
        let endpoint: Cow<'_, Endpoint> =
            if params.is_empty() && !self.inner.service.account_id_endpoints {
                match self
                    .inner
                    .endpoint
                    .get_or_init(|| self.endpoint(region, &[], None))
                {
                    Ok(endpoint) => Cow::Borrowed(endpoint),
                    Err(e) => return Err(e.clone()),
                }
            } else {
                Cow::Owned(self.endpoint(region, params, account_id)?)
            };
        Ok(match host_prefix {
            Some(prefix) => Cow::Owned(endpoint.with_host_prefix(prefix)),
            None => endpoint,
        })
    }

    /// The endpoint for the configuration, an operation's parameters and
    /// the account id of the credentials (for rules that route by it; one
    /// set in the configuration by name wins).
    fn endpoint(
        &self,
        region: &str,
        params: &[(&'static str, EndpointParam)],
        account_id: Option<&str>,
    ) -> Result<Endpoint, BuildError> {
        let config = &self.inner.config;
        match self.inner.service.resolve_endpoint {
            Some(resolve) => {
                let with_account;
                let other = if self.inner.service.account_id_endpoints {
                    with_account = account_built_ins(&config.endpoint_built_ins, account_id);
                    &with_account[..]
                } else {
                    &config.endpoint_built_ins[..]
                };
                let builtins = BuiltIns {
                    region: Some(region),
                    use_fips: config.use_fips,
                    use_dual_stack: config.use_dual_stack,
                    endpoint: config.endpoint_url.as_deref(),
                    other,
                };
                let resolved = resolve(&builtins, params)
                    .map_err(|e| BuildError::config_with_source("no endpoint", e))?;
                Endpoint::resolved(resolved)
            }
            None => match &config.endpoint_url {
                Some(url) => Endpoint::parse(url),
                None => Endpoint::regional(self.inner.service.endpoint_prefix, region),
            },
        }
    }
}

/// The test doubles' answer when there are any, else the transport's: the
/// request was built and signed as for the wire either way. A function of
/// its own so that a build without `test-util` has no extra future layer.
#[cfg(feature = "test-util")]
async fn mocked_or(
    mocks: Option<&crate::test_util::Mocks>,
    operation: &'static str,
    input: &(dyn Any + Sync),
    exchange: impl std::future::Future<Output = Result<Answer, SendError>>,
) -> Result<Answer, SendError> {
    match mocks {
        Some(mocks) => mocks.answer(operation, input).await,
        None => exchange.await,
    }
}

/// A failed attempt, kept until we know whether it is retried.
enum Failure {
    Service(ServiceFailure),
    Timeout(TimeoutError),
    Dispatch(DispatchError),
}

impl Failure {
    fn describe(&self) -> String {
        match self {
            Failure::Service(e) => e.meta.to_string(),
            Failure::Timeout(t) => t.to_string(),
            Failure::Dispatch(d) => d.to_string(),
        }
    }

    fn into_error(self, operation: &'static str) -> SdkError<ServiceFailure> {
        match self {
            Failure::Service(source) => SdkError::Service { operation, source },
            Failure::Timeout(source) => SdkError::Timeout { operation, source },
            Failure::Dispatch(source) => SdkError::Dispatch { operation, source },
        }
    }
}

/// What the retry loop needs to know of an operation, without its types.
#[derive(Debug, Clone, Copy)]
struct OperationMeta {
    name: &'static str,
    signing: Signing,
    streaming_response: bool,
    request_compression: bool,
    checksum: Option<crate::checksum::HttpChecksum>,
}

/// An operation's typed error with the type erased, beside the metadata the
/// retry policy reads; [`Handle::call`] restores the type.
struct ServiceFailure {
    meta: ErrorMetadata,
    error: Box<dyn Any + Send>,
}

/// Why a response was not the output.
enum Read {
    /// The service's error, typed by the operation.
    Service(ServiceFailure),
    /// A response that cannot be read; never retried.
    Unreadable(Box<SdkError<Infallible>>),
}

/// Reads a response into the caller's output (`Ok`) or says why not.
type ReadResponse<'a> = dyn FnMut(Answer) -> Result<(), Read> + Send + 'a;

/// What came back for one attempt.
// The second variant exists only with `test-util`; boxing the response to
// even the sizes out would cost every real call an allocation.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Answer {
    /// A response, from the transport or a test double.
    Http(HttpResponse),
    /// A test double's `Result<O::Output, O::Error>` for the operation
    /// called, boxed.
    #[cfg(feature = "test-util")]
    Mocked(Box<dyn Any + Send>),
}

/// An error that cannot happen: the typed error or output that the reading
/// closure stored is not there.
fn internal<E>(operation: &'static str) -> SdkError<E> {
    SdkError::Response {
        operation,
        source: ResponseError::new(
            0,
            None,
            "internal error: the response was read but its result was lost",
        ),
    }
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
    fn the_account_built_ins_add_what_the_configuration_leaves_unset() {
        let string = |s: &str| EndpointParam::String(s.into());
        assert_eq!(
            account_built_ins(&[], Some("111122223333")),
            [
                (ACCOUNT_ID, string("111122223333")),
                (ACCOUNT_ID_ENDPOINT_MODE, string("preferred")),
            ]
        );
        assert_eq!(
            account_built_ins(&[], None),
            [(ACCOUNT_ID_ENDPOINT_MODE, string("preferred"))]
        );
        // Set by name in the configuration: kept.
        let configured = [
            (ACCOUNT_ID_ENDPOINT_MODE, string("disabled")),
            (ACCOUNT_ID, string("999988887777")),
        ];
        assert_eq!(
            account_built_ins(&configured, Some("111122223333")),
            configured
        );
    }

    #[test]
    fn user_agent_follows_the_convention() {
        let service = ServiceInfo {
            service_id: "Chime SDK Voice",
            signing_name: "chime",
            endpoint_prefix: "voice-chime",
            crate_version: "0.1.0",
            resolve_endpoint: None,
            account_id_endpoints: false,
            http2: Http2Policy::Http1Only,
            hooks: None,
        };
        let ua = user_agent(&service, Some("my app"));
        assert!(ua.starts_with("sdkgen-rust/"), "{ua}");
        assert!(ua.contains(" ua/2.1 api/chime-sdk-voice#0.1.0 os/"), "{ua}");
        assert!(ua.ends_with(" lang/rust app/myapp"), "{ua}");
    }
}
