//! Caches credentials and refreshes them before they expire, one caller at
//! a time.

use super::{BoxFuture, Credentials, CredentialsError, ProvideCredentials};
use crate::clock::SharedTimeSource;
use std::sync::Arc;
use std::time::{Duration, SystemTime};
use tokio::sync::Mutex;

/// Refresh this long before expiry, so a request never carries credentials
/// that expire while it is in flight.
pub const REFRESH_BEFORE_EXPIRY: Duration = Duration::from_secs(5 * 60);
/// How long credentials without an expiry are kept before asking again.
pub const DEFAULT_LIFETIME: Duration = Duration::from_secs(15 * 60);

/// Wraps a source: concurrent callers wait for one refresh and share its
/// result instead of each asking the source.
#[derive(Debug)]
pub struct LazyCache {
    inner: Arc<dyn ProvideCredentials>,
    time: SharedTimeSource,
    cached: Mutex<Option<(Credentials, SystemTime)>>,
}

impl LazyCache {
    pub fn new(inner: Arc<dyn ProvideCredentials>, time: SharedTimeSource) -> Self {
        LazyCache {
            inner,
            time,
            cached: Mutex::new(None),
        }
    }
}

impl ProvideCredentials for LazyCache {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            // Held across the refresh: one caller refreshes, the others wait.
            let mut cached = self.cached.lock().await;
            let now = self.time.now();
            if let Some((credentials, refresh_at)) = cached.as_ref() {
                if now < *refresh_at {
                    return Ok(credentials.clone());
                }
            }
            let credentials = self.inner.provide_credentials().await?;
            let refresh_at = match credentials.expires_at() {
                Some(expiry) => expiry.checked_sub(REFRESH_BEFORE_EXPIRY).unwrap_or(now),
                None => now + DEFAULT_LIFETIME,
            };
            tracing::debug!(?refresh_at, "credentials cached");
            *cached = Some((credentials.clone(), refresh_at));
            Ok(credentials)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::TimeSource;
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::sync::Mutex as StdMutex;
    use std::time::UNIX_EPOCH;

    #[derive(Debug)]
    struct ManualClock(StdMutex<SystemTime>);

    impl TimeSource for ManualClock {
        fn now(&self) -> SystemTime {
            *self.0.lock().unwrap()
        }
    }

    /// Hands out credentials valid for an hour from "now", counting calls.
    #[derive(Debug)]
    struct Counting {
        calls: AtomicU32,
        clock: Arc<ManualClock>,
    }

    impl ProvideCredentials for Counting {
        fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
            let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
            let expiry = self.clock.now() + Duration::from_secs(3600);
            Box::pin(async move {
                tokio::time::sleep(Duration::from_millis(20)).await;
                Ok(Credentials::new(
                    format!("AKID{n}"),
                    "S",
                    Some("T".into()),
                    Some(expiry),
                ))
            })
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn refreshes_before_expiry_once_for_all_callers() {
        let clock = Arc::new(ManualClock(StdMutex::new(
            UNIX_EPOCH + Duration::from_secs(1_000_000),
        )));
        let source = Arc::new(Counting {
            calls: AtomicU32::new(0),
            clock: clock.clone(),
        });
        let cache = Arc::new(LazyCache::new(source.clone(), clock.clone()));
        let callers: Vec<_> = (0..8)
            .map(|_| {
                let cache = cache.clone();
                tokio::spawn(async move { cache.provide_credentials().await.unwrap() })
            })
            .collect();
        for caller in callers {
            assert_eq!(caller.await.unwrap().access_key_id(), "AKID1");
        }
        assert_eq!(
            source.calls.load(Ordering::SeqCst),
            1,
            "one refresh for eight callers"
        );

        // 54 minutes later: still valid (expires in 6 minutes).
        *clock.0.lock().unwrap() += Duration::from_secs(54 * 60);
        assert_eq!(
            cache.provide_credentials().await.unwrap().access_key_id(),
            "AKID1"
        );
        // 56 minutes: within 5 minutes of expiry, so refreshed.
        *clock.0.lock().unwrap() += Duration::from_secs(2 * 60);
        assert_eq!(
            cache.provide_credentials().await.unwrap().access_key_id(),
            "AKID2"
        );
        assert_eq!(source.calls.load(Ordering::SeqCst), 2);
    }
}
