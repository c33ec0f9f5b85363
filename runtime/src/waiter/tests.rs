//! The loop alone, with closures for the call and the acceptors: what each
//! verdict does with an output and an error, and the clock it reads.

use super::*;
use crate::clock::{RandomSource, Sleep, TimeSource};
use crate::credentials::BoxFuture;
use crate::error::ErrorMetadata;
use std::cell::Cell;
use std::sync::{Arc, Mutex};

/// A clock that only sleeping moves.
#[derive(Debug, Default)]
struct Fake {
    elapsed: Mutex<Duration>,
    waits: Mutex<Vec<Duration>>,
}

#[derive(Debug, Clone)]
struct FakeHandle(Arc<Fake>);

impl TimeSource for FakeHandle {
    fn now(&self) -> SystemTime {
        SystemTime::UNIX_EPOCH + *self.0.elapsed.lock().unwrap()
    }
}

impl Sleep for FakeHandle {
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        *self.0.elapsed.lock().unwrap() += duration;
        self.0.waits.lock().unwrap().push(duration);
        Box::pin(async {})
    }
}

#[derive(Debug)]
struct Zero;

impl RandomSource for Zero {
    fn random(&self) -> f64 {
        0.0
    }
}

/// A service error type: its metadata is all it has.
#[derive(Debug)]
struct Failed(ErrorMetadata);

impl ProvideErrorMetadata for Failed {
    fn meta(&self) -> &ErrorMetadata {
        &self.0
    }
}

impl fmt::Display for Failed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "failed")
    }
}

impl StdError for Failed {}

fn config() -> (Config, Arc<Fake>) {
    let fake = Arc::new(Fake::default());
    let config = Config::builder()
        .time_source(Arc::new(FakeHandle(fake.clone())))
        .sleep(Arc::new(FakeHandle(fake.clone())))
        .random(Arc::new(Zero))
        .build();
    (config, fake)
}

const WAITER: Waiter = Waiter {
    name: "Probe",
    delays: Delays::new(Duration::from_secs(3)),
};

fn service_error(status: u16) -> SdkError<Failed> {
    SdkError::Service {
        operation: "Describe",
        source: Failed(ErrorMetadata::new(Some("Gone".into()), None, status, None)),
    }
}

type Answer = Result<(u32, u16), SdkError<Failed>>;

/// Runs the loop over `answers` (the last repeats); the acceptors say
/// success on output 3, failure on output 9, retry on status 404.
async fn run(
    answers: Vec<fn() -> Answer>,
    max_wait: u64,
) -> (
    Result<FinalPoll<u32, Failed>, WaiterError<u32, Failed>>,
    usize,
    Vec<Duration>,
) {
    let (config, fake) = config();
    let calls = Cell::new(0);
    let result = wait(
        &config,
        WAITER,
        Duration::from_secs(max_wait),
        || {
            let i = calls.get();
            calls.set(i + 1);
            let answer = answers[i.min(answers.len() - 1)]();
            async move { answer }
        },
        |result, status| match (result, status) {
            (Ok(3), _) => Verdict::Success,
            (Ok(9), _) => Verdict::Failure("path Value == 9"),
            (_, Some(404)) => Verdict::Retry,
            _ => Verdict::NoMatch,
        },
    )
    .await;
    let waits = fake.waits.lock().unwrap().clone();
    (result, calls.get(), waits)
}

#[tokio::test]
async fn retries_what_the_acceptors_retry_and_outputs_none_matches() {
    let (result, calls, waits) = run(
        vec![|| Ok((1, 200)), || Err(service_error(404)), || Ok((3, 200))],
        60,
    )
    .await;
    assert!(matches!(result, Ok(FinalPoll::Output(3))));
    assert_eq!(calls, 3);
    assert_eq!(waits, [Duration::from_secs(3), Duration::from_secs(3)]);
}

#[tokio::test]
async fn an_error_no_acceptor_matches_is_the_call_s_error() {
    let (result, calls, _) = run(vec![|| Ok((1, 200)), || Err(service_error(500))], 60).await;
    let err = result.unwrap_err();
    assert!(matches!(
        &err,
        WaiterError::Call {
            source: SdkError::Service { .. },
            ..
        }
    ));
    assert!(err.source().is_some());
    assert!(err.last_answer().is_none());
    assert_eq!(calls, 2);
}

#[tokio::test]
async fn a_failure_keeps_the_answer_it_matched() {
    let (result, calls, waits) = run(vec![|| Ok((9, 200))], 60).await;
    match result.unwrap_err() {
        WaiterError::Failure {
            waiter,
            acceptor,
            answer,
        } => {
            assert_eq!((waiter, acceptor), ("Probe", "path Value == 9"));
            assert_eq!(answer.output(), Some(&9));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!((calls, waits.len()), (1, 0));
}

#[tokio::test]
async fn time_out_keeps_the_last_answer_and_never_sleeps_past_the_limit() {
    let (result, calls, waits) = run(vec![|| Err(service_error(404))], 10).await;
    let err = result.unwrap_err();
    let WaiterError::TimedOut { attempts, last, .. } = &err else {
        panic!("{err:?}")
    };
    assert!(last.error().is_some());
    // Attempts at 0 s and 3 s, 3 s apart (jitter 0: the minimum); at 6 s
    // 4 s are left, and a 3 s wait would leave less than the minimum, so
    // the wait is 1 s; the attempt at 7 s leaves 3 s, no more than the
    // minimum: the end.
    assert_eq!(*attempts as usize, calls);
    let total: Duration = waits.iter().sum();
    assert!(total <= Duration::from_secs(7), "{waits:?}");
    assert_eq!(
        waits,
        [
            Duration::from_secs(3),
            Duration::from_secs(3),
            Duration::from_secs(1)
        ]
    );
    assert_eq!(calls, 4);
}
