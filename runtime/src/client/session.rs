//! Session credentials per endpoint, for the schemes that sign with them
//! (S3 Express One Zone's directory buckets; see [`SessionAuth`]): asked
//! for with one call of the service, kept while they live, refreshed as
//! the credentials cache refreshes any temporary credentials, within the
//! scheme's shorter windows.
//!
//! The session's call goes through [`Handle::send`] like any other: signed
//! with the client's credentials, retried and timed out as they are.

use super::{Answer, Handle, Inner, OperationMeta, Read, ServiceFailure};
use crate::clock::{SharedTimeSource, TimeSource};
use crate::credentials::{BoxFuture, Credentials, CredentialsError, LazyCache, ProvideCredentials};
use crate::endpoint::Endpoint;
use crate::endpoint_rules::EndpointParam;
use crate::error::{BuildError, ErrorMetadata, SdkError};
use crate::hooks::session::{SessionAuth, SessionScheme};
use crate::operation::Signing;
use crate::sigv4::SigningSettings;
use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, Weak};
use std::time::SystemTime;

/// At most this many endpoints' sessions are kept (botocore's LRU of 100
/// buckets); past it, the least recently used is dropped.
const MAX_SESSIONS: usize = 100;

/// The client's sessions, by endpoint.
#[derive(Default)]
pub(super) struct Sessions {
    entries: Mutex<Entries>,
}

#[derive(Default)]
struct Entries {
    by_endpoint: HashMap<String, (Arc<LazyCache>, u64)>,
    /// Counts uses, to tell the least recent.
    uses: u64,
}

impl Handle {
    /// The session a signed request of `operation` to `endpoint` signs
    /// with, when the endpoint's scheme is one whose credentials the
    /// service gives out (S3 Express's; the service's hooks say how to ask
    /// for them); otherwise the scheme is checked as one the signer knows
    /// (`what` names the signer in a refusal). Never for the call that
    /// asks (it would wait for itself): rules that named the scheme there
    /// get it refused by name. Test doubles answer without a session (a
    /// call under them is signed with the client's credentials, and
    /// nothing is sent).
    pub(super) fn signing_session(
        &self,
        endpoint: &Endpoint,
        operation: &'static str,
        what: &str,
    ) -> Result<Option<SessionScheme>, BuildError> {
        let session = match (endpoint.auth.as_ref(), self.inner.service.hooks) {
            (Some(scheme), Some(hooks)) => hooks
                .session_auth(scheme)
                .filter(|s| s.auth.operation() != operation),
            _ => None,
        };
        if session.is_none() {
            super::scope::check_scheme(endpoint.auth.as_ref(), operation, what)?;
        }
        #[cfg(feature = "test-util")]
        if self.inner.config.mocks.is_some() {
            return Ok(None);
        }
        Ok(session)
    }

    /// The session for a call to `endpoint`, whose endpoint parameters are
    /// `params`: the cached one, or one asked for now.
    async fn session_credentials(
        &self,
        auth: &'static dyn SessionAuth,
        endpoint: &Endpoint,
        params: &[(&'static str, EndpointParam)],
    ) -> Result<Credentials, SessionFailure> {
        let key = endpoint.uri("");
        let cache = {
            let mut entries = self
                .inner
                .sessions
                .entries
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            entries.uses += 1;
            let now = entries.uses;
            match entries.by_endpoint.get_mut(&key) {
                Some((cache, used)) => {
                    *used = now;
                    Arc::clone(cache)
                }
                None => {
                    if entries.by_endpoint.len() >= MAX_SESSIONS {
                        let oldest = entries
                            .by_endpoint
                            .iter()
                            .min_by_key(|(_, (_, used))| *used)
                            .map(|(k, _)| k.clone());
                        if let Some(oldest) = oldest {
                            entries.by_endpoint.remove(&oldest);
                        }
                    }
                    let source = SessionSource {
                        handle: Arc::downgrade(&self.inner),
                        auth,
                        params: params.to_vec(),
                    };
                    let (advisory, mandatory) = auth.refresh_windows();
                    let time = ServerTime {
                        local: self.inner.config.time_source.clone(),
                        handle: Arc::downgrade(&self.inner),
                    };
                    let cache = Arc::new(LazyCache::with_windows(
                        Arc::new(source),
                        Arc::new(time),
                        advisory,
                        mandatory,
                    ));
                    entries.by_endpoint.insert(key, (Arc::clone(&cache), now));
                    cache
                }
            }
        };
        cache
            .provide_credentials()
            .await
            .map_err(SessionFailure::from)
    }
}

/// How the client has a session: [`Handle::session_credentials`] behind a
/// pointer that only a [`SessionScheme`] holds.
pub(crate) type SessionFetch = for<'a> fn(
    &'a Handle,
    &'static dyn SessionAuth,
    &'a Endpoint,
    &'a [(&'static str, EndpointParam)],
) -> BoxFuture<'a, Result<Credentials, SessionFailure>>;

/// The [`SessionFetch`] of every scheme.
pub(crate) fn fetch_session<'a>(
    handle: &'a Handle,
    auth: &'static dyn SessionAuth,
    endpoint: &'a Endpoint,
    params: &'a [(&'static str, EndpointParam)],
) -> BoxFuture<'a, Result<Credentials, SessionFailure>> {
    Box::pin(handle.session_credentials(auth, endpoint, params))
}

/// Why a call has no session.
pub(crate) enum SessionFailure {
    /// The service refused it, with this code and message: the call fails
    /// with that error, as the session's operation's (botocore raises the
    /// `CreateSession` error).
    Refused(ErrorMetadata),
    /// It could not be had (the network, an unreadable answer).
    Credentials(CredentialsError),
}

impl From<CredentialsError> for SessionFailure {
    fn from(error: CredentialsError) -> Self {
        let refused = std::error::Error::source(&error)
            .and_then(|e| e.downcast_ref::<SdkError<Refused>>())
            .and_then(|e| match e {
                SdkError::Service { source, .. } => Some(source.0.clone()),
                _ => None,
            });
        match refused {
            Some(meta) => SessionFailure::Refused(meta),
            None => SessionFailure::Credentials(error),
        }
    }
}

impl SessionFailure {
    /// The call's error: the service's refusal as the session operation's
    /// error (its code and message, typed by the call as unmodeled), or
    /// the credentials error.
    pub(super) fn into_error(
        self,
        auth: &dyn SessionAuth,
        operation: &'static str,
        attempts: u32,
    ) -> SdkError<ServiceFailure> {
        match self {
            SessionFailure::Refused(meta) => SdkError::Service {
                operation: auth.operation(),
                source: ServiceFailure {
                    meta,
                    error: Box::new(()),
                },
            },
            SessionFailure::Credentials(source) => SdkError::Credentials {
                operation,
                source,
                attempts,
            },
        }
    }

    /// As a credentials error, where no service error can be returned (a
    /// presigned request).
    pub(super) fn into_credentials_error(self, auth: &dyn SessionAuth) -> CredentialsError {
        match self {
            SessionFailure::Refused(meta) => {
                CredentialsError::new(format!("{} refused the session: {meta}", auth.operation()))
            }
            SessionFailure::Credentials(error) => error,
        }
    }
}

/// The service's time, for a session's expiry: the client's clock moved by
/// the skew its responses' `Date` showed.
#[derive(Debug)]
struct ServerTime {
    local: SharedTimeSource,
    handle: Weak<Inner>,
}

impl TimeSource for ServerTime {
    fn now(&self) -> SystemTime {
        let local = self.local.now();
        match self.handle.upgrade() {
            Some(inner) => inner.skew.server_time(local),
            None => local,
        }
    }
}

/// Signs with a session: its token in the scheme's own header (signed) and
/// query parameter, and `x-amz-security-token` not sent.
pub(super) fn token_names(settings: &mut SigningSettings, auth: &dyn SessionAuth) {
    settings.session_token_header = auth.token_header();
    settings.session_token_query = auth.token_query();
}

/// Asks the service for a session: the credentials source of one
/// endpoint's cache. It holds the client weakly, as the client holds it.
struct SessionSource {
    handle: Weak<Inner>,
    auth: &'static dyn SessionAuth,
    /// The endpoint parameters of the call that first needed the session.
    params: Vec<(&'static str, EndpointParam)>,
}

impl fmt::Debug for SessionSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SessionSource")
            .field("operation", &self.auth.operation())
            .finish()
    }
}

/// The session call's error answer, as the service gave it.
#[derive(Debug)]
struct Refused(ErrorMetadata);

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl std::error::Error for Refused {}

impl ProvideCredentials for SessionSource {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            let operation = self.auth.operation();
            let handle = Handle {
                inner: self
                    .handle
                    .upgrade()
                    .ok_or_else(|| CredentialsError::new("the client was dropped"))?,
            };
            let mut params = self.params.clone();
            self.auth.endpoint_params(&mut params);
            let mut credentials = None;
            let mut read = |answer: Answer| match answer {
                Answer::Http(response) if (200..300).contains(&response.status) => {
                    match self.auth.read(&response) {
                        Ok(read) => {
                            credentials = Some(read);
                            Ok(())
                        }
                        // Not kept whole: the body may hold the secret.
                        Err(why) => Err(Read::Unreadable(Box::new(SdkError::Response {
                            operation,
                            source: crate::error::ResponseError::new(
                                response.status,
                                response.request_id().map(str::to_owned),
                                format!("the {operation} answer cannot be read: {why}"),
                            ),
                        }))),
                    }
                }
                Answer::Http(response) => {
                    let meta = self.auth.read_error(&response);
                    Err(Read::Service(ServiceFailure {
                        error: Box::new(Refused(meta.clone())),
                        meta,
                    }))
                }
                #[cfg(feature = "test-util")]
                Answer::Mocked(_) => Err(Read::Unreadable(Box::new(super::internal(operation)))),
            };
            let meta = OperationMeta {
                name: operation,
                signing: Signing::SigV4,
                streaming_response: false,
                request_compression: false,
                checksum: None,
            };
            let sent = handle
                .send(meta, &(), self.auth.request(), params, &mut read)
                .await;
            let failed = |source: SdkError<Refused>| {
                CredentialsError::with_source(
                    format!("{operation} did not give a session for the endpoint"),
                    source,
                )
            };
            match (sent, credentials) {
                (Ok(()), Some(credentials)) => Ok(credentials),
                (Ok(()), None) => Err(failed(super::internal(operation))),
                (Err(e), _) => Err(failed(
                    e.retype(|failure| failure.error.downcast::<Refused>().map(|e| *e).ok())
                        .unwrap_or_else(|| super::internal(operation)),
                )),
            }
        })
    }
}
