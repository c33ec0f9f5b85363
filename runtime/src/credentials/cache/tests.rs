//! The refresh windows, with a clock the tests move and a source whose
//! answers the tests hold back until they release them.

use super::*;
use crate::clock::TimeSource;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::UNIX_EPOCH;
use tokio::sync::Notify;

const MINUTE: Duration = Duration::from_secs(60);
const DEFAULTS: Windows = Windows {
    advisory: ADVISORY_REFRESH_WINDOW,
    mandatory: MANDATORY_REFRESH_WINDOW,
};
/// Long enough that only a caller stuck on the source would reach it.
const NO_WAIT: Duration = Duration::from_secs(5);

#[derive(Debug)]
struct ManualClock(Mutex<SystemTime>);

impl ManualClock {
    fn new() -> Arc<Self> {
        Arc::new(ManualClock(Mutex::new(
            UNIX_EPOCH + Duration::from_secs(1_000_000),
        )))
    }

    fn advance(&self, by: Duration) {
        *self.0.lock().unwrap() += by;
    }
}

impl TimeSource for ManualClock {
    fn now(&self) -> SystemTime {
        *self.0.lock().unwrap()
    }
}

/// One answer of the source: credentials `AKID<call>` valid for `Some(d)`
/// from the time of the call (`None`: no expiry), or an error.
#[derive(Debug, Clone)]
enum Answer {
    ValidFor(Option<Duration>),
    /// Credentials that expired a minute before the call.
    Expired,
    Fail(&'static str),
}

/// Answers as scripted, counting calls; an answer with a gate waits for
/// the test to release it.
#[derive(Debug)]
struct Scripted {
    clock: Arc<ManualClock>,
    calls: AtomicU32,
    script: Mutex<VecDeque<(Answer, Option<Arc<Notify>>)>>,
}

impl Scripted {
    fn new(clock: &Arc<ManualClock>) -> Arc<Self> {
        Arc::new(Scripted {
            clock: clock.clone(),
            calls: AtomicU32::new(0),
            script: Mutex::new(VecDeque::new()),
        })
    }

    fn then(&self, answer: Answer) {
        self.script.lock().unwrap().push_back((answer, None));
    }

    /// An answer given only once the returned gate is released.
    fn then_held(&self, answer: Answer) -> Arc<Notify> {
        let gate = Arc::new(Notify::new());
        self.script
            .lock()
            .unwrap()
            .push_back((answer, Some(gate.clone())));
        gate
    }

    fn calls(&self) -> u32 {
        self.calls.load(Ordering::SeqCst)
    }

    /// Lets spawned callers run until `n` calls have reached the source.
    async fn until_called(&self, n: u32) {
        while self.calls() < n {
            tokio::task::yield_now().await;
        }
    }
}

impl ProvideCredentials for Scripted {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
            let (answer, gate) = self
                .script
                .lock()
                .unwrap()
                .pop_front()
                .expect("the source was asked more often than the test expects");
            if let Some(gate) = gate {
                gate.notified().await;
            }
            let now = self.clock.now();
            let credentials = |expiry| Credentials::new(format!("AKID{n}"), "S", None, expiry);
            match answer {
                Answer::ValidFor(d) => Ok(credentials(d.map(|d| now + d))),
                Answer::Expired => Ok(credentials(Some(now - MINUTE))),
                Answer::Fail(why) => Err(CredentialsError::new(why)),
            }
        })
    }
}

fn cache(clock: &Arc<ManualClock>, source: &Arc<Scripted>) -> Arc<LazyCache> {
    Arc::new(LazyCache::new(source.clone(), clock.clone()))
}

async fn key(cache: &LazyCache) -> Result<String, String> {
    cache
        .provide_credentials()
        .await
        .map(|c| c.access_key_id().to_string())
        .map_err(|e| e.message().to_string())
}

/// `key`, failing the test if the caller waits for anything.
async fn key_at_once(cache: &LazyCache) -> Result<String, String> {
    tokio::time::timeout(NO_WAIT, key(cache))
        .await
        .expect("the caller waited for the refresh")
}

fn spawn_key(cache: &Arc<LazyCache>) -> tokio::task::JoinHandle<Result<String, String>> {
    let cache = cache.clone();
    tokio::spawn(async move { key(&cache).await })
}

#[test]
fn windows_start_where_botocore_starts_them() {
    let now = UNIX_EPOCH + Duration::from_secs(1_000_000);
    let with_left = |left: Duration| Cached {
        credentials: Credentials::new("A", "S", None, Some(now + left)),
        fetched_at: now,
    };
    for (left, window) in [
        (60 * MINUTE, Window::Fresh),
        (15 * MINUTE, Window::Fresh),
        (15 * MINUTE - Duration::from_secs(1), Window::Advisory),
        (10 * MINUTE, Window::Advisory),
        (10 * MINUTE - Duration::from_secs(1), Window::Mandatory),
        (Duration::from_secs(1), Window::Mandatory),
        (Duration::ZERO, Window::Unusable),
    ] {
        assert_eq!(
            with_left(left).window(now, DEFAULTS),
            window,
            "{left:?} left"
        );
    }
    // A session's windows: seconds, not minutes.
    let short = Windows {
        advisory: Duration::from_secs(45),
        mandatory: Duration::from_secs(10),
    };
    for (left, window) in [
        (5 * MINUTE, Window::Fresh),
        (Duration::from_secs(45), Window::Fresh),
        (Duration::from_secs(44), Window::Advisory),
        (Duration::from_secs(10), Window::Advisory),
        (Duration::from_secs(9), Window::Mandatory),
        (Duration::ZERO, Window::Unusable),
    ] {
        assert_eq!(with_left(left).window(now, short), window, "{left:?} left");
    }
    let past = Cached {
        credentials: Credentials::new("A", "S", None, Some(now - MINUTE)),
        fetched_at: now - 2 * MINUTE,
    };
    assert_eq!(past.window(now, DEFAULTS), Window::Unusable);
    let lasting = Cached {
        credentials: Credentials::new("A", "S", None, None),
        fetched_at: now,
    };
    assert_eq!(lasting.window(now + 14 * MINUTE, DEFAULTS), Window::Fresh);
    assert_eq!(
        lasting.window(now + 15 * MINUTE, DEFAULTS),
        Window::Advisory
    );
    assert_eq!(
        lasting.window(now + 1000 * MINUTE, DEFAULTS),
        Window::Advisory
    );
}

#[tokio::test]
async fn the_first_fetch_is_shared_by_every_caller() {
    let clock = ManualClock::new();
    let source = Scripted::new(&clock);
    let gate = source.then_held(Answer::ValidFor(Some(60 * MINUTE)));
    let cache = cache(&clock, &source);
    let callers: Vec<_> = (0..8).map(|_| spawn_key(&cache)).collect();
    source.until_called(1).await;
    for _ in 0..10 {
        tokio::task::yield_now().await;
    }
    assert!(
        callers.iter().all(|c| !c.is_finished()),
        "nothing to hand out yet"
    );
    gate.notify_one();
    for caller in callers {
        assert_eq!(caller.await.unwrap().unwrap(), "AKID1");
    }
    assert_eq!(source.calls(), 1, "one fetch for eight callers");
    // Fresh until 15 minutes before expiry: not asked again.
    clock.advance(45 * MINUTE);
    assert_eq!(key(&cache).await.unwrap(), "AKID1");
    assert_eq!(source.calls(), 1);
}

#[tokio::test]
async fn in_the_advisory_window_one_refreshes_and_the_others_do_not_wait() {
    let clock = ManualClock::new();
    let source = Scripted::new(&clock);
    source.then(Answer::ValidFor(Some(60 * MINUTE)));
    let cache = cache(&clock, &source);
    assert_eq!(key(&cache).await.unwrap(), "AKID1");

    // 14 minutes left: advisory.
    clock.advance(46 * MINUTE);
    let gate = source.then_held(Answer::ValidFor(Some(60 * MINUTE)));
    let refresher = spawn_key(&cache);
    source.until_called(2).await;
    // The refresh is stuck in the source until the gate opens; these
    // callers get the cached credentials meanwhile.
    for _ in 0..5 {
        assert_eq!(key_at_once(&cache).await.unwrap(), "AKID1");
    }
    assert_eq!(source.calls(), 2, "one refresh, however many callers");
    assert!(!refresher.is_finished());
    gate.notify_one();
    assert_eq!(refresher.await.unwrap().unwrap(), "AKID2");
    assert_eq!(key(&cache).await.unwrap(), "AKID2");
    assert_eq!(source.calls(), 2);
}

#[tokio::test]
async fn an_advisory_failure_keeps_the_cached_credentials() {
    let clock = ManualClock::new();
    let source = Scripted::new(&clock);
    source.then(Answer::ValidFor(Some(60 * MINUTE)));
    let cache = cache(&clock, &source);
    key(&cache).await.unwrap();

    clock.advance(46 * MINUTE);
    source.then(Answer::Fail("the endpoint is down"));
    assert_eq!(key(&cache).await.unwrap(), "AKID1");
    // Still advisory: the next caller tries again, and keeps them again.
    source.then(Answer::Expired);
    assert_eq!(key(&cache).await.unwrap(), "AKID1");
    assert_eq!(source.calls(), 3);

    // 9 minutes left: mandatory, and a failure is the caller's.
    clock.advance(5 * MINUTE);
    source.then(Answer::Fail("the endpoint is still down"));
    assert_eq!(key(&cache).await.unwrap_err(), "the endpoint is still down");
    source.then(Answer::ValidFor(Some(60 * MINUTE)));
    assert_eq!(key(&cache).await.unwrap(), "AKID5");
}

#[tokio::test]
async fn in_the_mandatory_window_callers_wait_for_one_refresh_and_share_its_failure() {
    let clock = ManualClock::new();
    let source = Scripted::new(&clock);
    source.then(Answer::ValidFor(Some(60 * MINUTE)));
    let cache = cache(&clock, &source);
    key(&cache).await.unwrap();

    // 9 minutes left: mandatory.
    clock.advance(51 * MINUTE);
    let gate = source.then_held(Answer::Fail("STS is down"));
    let callers: Vec<_> = (0..4).map(|_| spawn_key(&cache)).collect();
    source.until_called(2).await;
    for _ in 0..10 {
        tokio::task::yield_now().await;
    }
    assert!(
        callers.iter().all(|c| !c.is_finished()),
        "callers wait in the mandatory window"
    );
    gate.notify_one();
    for caller in callers {
        assert_eq!(caller.await.unwrap().unwrap_err(), "STS is down");
    }
    assert_eq!(source.calls(), 2, "the waiting callers shared one refresh");

    // The next round waits too, and shares a success.
    let gate = source.then_held(Answer::ValidFor(Some(60 * MINUTE)));
    let callers: Vec<_> = (0..4).map(|_| spawn_key(&cache)).collect();
    source.until_called(3).await;
    for _ in 0..10 {
        tokio::task::yield_now().await;
    }
    assert!(callers.iter().all(|c| !c.is_finished()));
    gate.notify_one();
    for caller in callers {
        assert_eq!(caller.await.unwrap().unwrap(), "AKID3");
    }
    assert_eq!(source.calls(), 3);
}

#[tokio::test]
async fn credentials_inside_the_mandatory_window_are_handed_out_once_per_refresh() {
    // A source whose credentials last 2 minutes: each call refreshes (as
    // botocore does), and gets what the source answered.
    let clock = ManualClock::new();
    let source = Scripted::new(&clock);
    let cache = cache(&clock, &source);
    for n in 1..=3 {
        source.then(Answer::ValidFor(Some(2 * MINUTE)));
        assert_eq!(key(&cache).await.unwrap(), format!("AKID{n}"));
    }
    assert_eq!(source.calls(), 3);
}

#[tokio::test]
async fn expired_credentials_are_never_handed_out() {
    let clock = ManualClock::new();
    let source = Scripted::new(&clock);
    source.then(Answer::ValidFor(Some(60 * MINUTE)));
    let cache = cache(&clock, &source);
    key(&cache).await.unwrap();

    clock.advance(61 * MINUTE);
    source.then(Answer::Fail("the endpoint is down"));
    assert_eq!(key(&cache).await.unwrap_err(), "the endpoint is down");
    // A source that answers with expired credentials has failed.
    source.then(Answer::Expired);
    let err = key(&cache).await.unwrap_err();
    assert!(
        err.starts_with("the credentials source answered with credentials that expired at "),
        "{err}"
    );
    // From an empty cache too; the next caller asks again.
    let empty = self::cache(&clock, &source);
    source.then(Answer::Expired);
    assert!(key(&empty).await.is_err());
    source.then(Answer::ValidFor(Some(60 * MINUTE)));
    assert_eq!(key(&empty).await.unwrap(), "AKID5");
    source.then(Answer::ValidFor(Some(60 * MINUTE)));
    assert_eq!(key(&cache).await.unwrap(), "AKID6");
}

#[tokio::test]
async fn credentials_without_expiry_are_asked_again_as_an_advisory_refresh() {
    let clock = ManualClock::new();
    let source = Scripted::new(&clock);
    source.then(Answer::ValidFor(None));
    let cache = cache(&clock, &source);
    assert_eq!(key(&cache).await.unwrap(), "AKID1");
    clock.advance(14 * MINUTE);
    assert_eq!(key(&cache).await.unwrap(), "AKID1");
    assert_eq!(source.calls(), 1);

    clock.advance(MINUTE);
    source.then(Answer::Fail("the process failed"));
    assert_eq!(key(&cache).await.unwrap(), "AKID1", "they never expire");
    // Days later, still.
    clock.advance(3 * 24 * 60 * MINUTE);
    source.then(Answer::Fail("the process failed"));
    assert_eq!(key(&cache).await.unwrap(), "AKID1");
    source.then(Answer::ValidFor(None));
    assert_eq!(key(&cache).await.unwrap(), "AKID4");
    assert_eq!(key(&cache).await.unwrap(), "AKID4");
    assert_eq!(source.calls(), 4);
}

#[tokio::test]
async fn a_refresh_given_up_by_its_caller_leaves_the_next_one_to_refresh() {
    let clock = ManualClock::new();
    let source = Scripted::new(&clock);
    let _never = source.then_held(Answer::ValidFor(Some(60 * MINUTE)));
    let cache = cache(&clock, &source);
    let abandoned = spawn_key(&cache);
    source.until_called(1).await;
    abandoned.abort();
    assert!(abandoned.await.unwrap_err().is_cancelled());
    source.then(Answer::ValidFor(Some(60 * MINUTE)));
    assert_eq!(key_at_once(&cache).await.unwrap(), "AKID2");
}
