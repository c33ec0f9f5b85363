//! Caches credentials and refreshes them before they expire, with the two
//! windows botocore's `RefreshableCredentials` has.
//!
//! - More than [`ADVISORY_REFRESH_WINDOW`] before expiry the cached
//!   credentials are handed out as they are.
//! - In the advisory window one caller refreshes; every other caller keeps
//!   the cached credentials and does not wait for it. A failed refresh
//!   there is a warning, and the cached credentials stay in use.
//! - In the mandatory window ([`MANDATORY_REFRESH_WINDOW`] before expiry,
//!   or once they have expired) callers wait for one refresh and share its
//!   outcome: a failure there fails their calls.
//! - Credentials are never handed out at or after their expiry, not even
//!   when a source answers with such credentials.
//!
//! Credentials without an expiry (long-term keys, a `credential_process`
//! that names none) never expire, so they never reach the mandatory
//! window: the source is asked again [`DEFAULT_LIFETIME`] after it
//! answered, as an advisory refresh, so that rotated keys are picked up
//! and a source that fails meanwhile costs nothing. botocore never asks
//! again for such credentials; failing calls because of a refresh it would
//! not have made is the one difference that would matter, and there is
//! none.

use super::{BoxFuture, Credentials, CredentialsError, ProvideCredentials};
use crate::clock::SharedTimeSource;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime};

/// From this long before expiry one caller refreshes, while the others go
/// on with the cached credentials; a failure keeps them.
pub const ADVISORY_REFRESH_WINDOW: Duration = Duration::from_secs(15 * 60);
/// From this long before expiry every caller waits for a refresh, and a
/// failure fails the call: a request must not carry credentials that could
/// expire while it is retried.
pub const MANDATORY_REFRESH_WINDOW: Duration = Duration::from_secs(10 * 60);
/// How long credentials without an expiry are kept before asking again.
pub const DEFAULT_LIFETIME: Duration = Duration::from_secs(15 * 60);

/// Wraps a source: callers share one refresh instead of each asking the
/// source, and only wait for it when the cached credentials are too close
/// to their expiry to be used.
#[derive(Debug)]
pub struct LazyCache {
    inner: Arc<dyn ProvideCredentials>,
    time: SharedTimeSource,
    windows: Windows,
    /// Held only for a look or an update, never across an await.
    state: Mutex<State>,
    /// Held by the one caller that refreshes, across the source's call.
    refreshing: tokio::sync::Mutex<()>,
}

#[derive(Debug, Default)]
struct State {
    cached: Option<Cached>,
    /// Refreshes ended so far, successful or not: a caller that waited for
    /// the lock sees from it that one ended meanwhile, and takes its
    /// outcome instead of asking the source again.
    refreshes: u64,
    /// Why the last refresh failed, until one succeeds.
    failure: Option<CredentialsError>,
}

/// How long before expiry each window opens.
#[derive(Debug, Clone, Copy)]
struct Windows {
    advisory: Duration,
    mandatory: Duration,
}

#[derive(Debug, Clone)]
struct Cached {
    credentials: Credentials,
    fetched_at: SystemTime,
}

/// Where cached credentials stand at a given time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Window {
    Fresh,
    Advisory,
    Mandatory,
    /// Expired, or nothing cached.
    Unusable,
}

impl Cached {
    fn window(&self, now: SystemTime, windows: Windows) -> Window {
        let Some(expiry) = self.credentials.expires_at() else {
            let age = now.duration_since(self.fetched_at).unwrap_or_default();
            return if age < DEFAULT_LIFETIME {
                Window::Fresh
            } else {
                Window::Advisory
            };
        };
        match expiry.duration_since(now) {
            Ok(left) if left >= windows.advisory => Window::Fresh,
            Ok(left) if left >= windows.mandatory => Window::Advisory,
            Ok(left) if !left.is_zero() => Window::Mandatory,
            _ => Window::Unusable,
        }
    }
}

impl State {
    fn window(&self, now: SystemTime, windows: Windows) -> Window {
        self.cached
            .as_ref()
            .map_or(Window::Unusable, |c| c.window(now, windows))
    }

    fn credentials(&self) -> Option<Credentials> {
        self.cached.as_ref().map(|c| c.credentials.clone())
    }
}

impl LazyCache {
    pub fn new(inner: Arc<dyn ProvideCredentials>, time: SharedTimeSource) -> Self {
        LazyCache::with_windows(
            inner,
            time,
            ADVISORY_REFRESH_WINDOW,
            MANDATORY_REFRESH_WINDOW,
        )
    }

    /// A cache whose windows open `advisory` and `mandatory` before expiry:
    /// for credentials that live minutes, not hours (S3 Express sessions
    /// live five minutes; botocore refreshes them 45 and 10 seconds ahead).
    pub fn with_windows(
        inner: Arc<dyn ProvideCredentials>,
        time: SharedTimeSource,
        advisory: Duration,
        mandatory: Duration,
    ) -> Self {
        LazyCache {
            inner,
            time,
            windows: Windows {
                advisory,
                mandatory,
            },
            state: Mutex::new(State::default()),
            refreshing: tokio::sync::Mutex::new(()),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // The state is whole after every update: a panic elsewhere while
        // it was held leaves nothing half-written.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    async fn get(&self) -> Result<Credentials, CredentialsError> {
        let (window, credentials, seen) = {
            let state = self.state();
            (
                state.window(self.time.now(), self.windows),
                state.credentials(),
                state.refreshes,
            )
        };
        match (window, credentials) {
            (Window::Fresh, Some(credentials)) => Ok(credentials),
            (Window::Advisory, Some(credentials)) => match self.refreshing.try_lock() {
                Ok(_refreshing) => self.refresh(seen).await,
                // Someone is refreshing: these are still good.
                Err(_) => Ok(credentials),
            },
            _ => {
                let _refreshing = self.refreshing.lock().await;
                self.refresh(seen).await
            }
        }
    }

    /// Refreshes, holding the refresh lock; `seen` is the count of
    /// refreshes the caller saw before it took the lock.
    async fn refresh(&self, seen: u64) -> Result<Credentials, CredentialsError> {
        let window = {
            let state = self.state();
            let now = self.time.now();
            let window = state.window(now, self.windows);
            if state.refreshes != seen {
                // One ended while this caller waited: its outcome is theirs.
                match (window, state.credentials(), &state.failure) {
                    (Window::Fresh | Window::Advisory, Some(credentials), _) => {
                        return Ok(credentials)
                    }
                    // Refreshed just now: the source has nothing fresher.
                    (Window::Mandatory, Some(credentials), None) => return Ok(credentials),
                    (Window::Mandatory | Window::Unusable, _, Some(failure)) => {
                        return Err(failure.clone())
                    }
                    _ => {}
                }
            } else if let (Window::Fresh, Some(credentials)) = (window, state.credentials()) {
                return Ok(credentials);
            }
            window
        };
        let mandatory = window != Window::Advisory;
        let answer = self.inner.provide_credentials().await;
        let now = self.time.now();
        let answer = answer.and_then(|credentials| match credentials.expires_at() {
            Some(expiry) if expiry <= now => Err(CredentialsError::new(format!(
                "the credentials source answered with credentials that expired at {}",
                crate::timestamp::format_iso8601(&crate::DateTime::from(expiry))
            ))),
            _ => Ok(credentials),
        });
        let mut state = self.state();
        state.refreshes += 1;
        match answer {
            Ok(credentials) => {
                tracing::debug!(expires_at = ?credentials.expires_at(), "credentials cached");
                state.cached = Some(Cached {
                    credentials: credentials.clone(),
                    fetched_at: now,
                });
                state.failure = None;
                Ok(credentials)
            }
            Err(error) => {
                state.failure = Some(error.clone());
                // The clock may have moved on while the source was asked.
                match (
                    mandatory,
                    state.window(now, self.windows),
                    state.credentials(),
                ) {
                    (false, Window::Fresh | Window::Advisory, Some(credentials)) => {
                        tracing::warn!(
                            %error,
                            expires_at = ?credentials.expires_at(),
                            "refreshing credentials failed in the advisory window; the cached credentials stay in use"
                        );
                        Ok(credentials)
                    }
                    _ => {
                        tracing::warn!(%error, "refreshing credentials failed");
                        Err(error)
                    }
                }
            }
        }
    }
}

impl ProvideCredentials for LazyCache {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.get())
    }
}

#[cfg(test)]
mod tests;
