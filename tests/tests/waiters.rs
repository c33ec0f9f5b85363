//! Waiters as a user's code meets them: `client.wait_until_*()...wait()`
//! against test-double rules, with a clock that the waiter's sleeps move
//! forward, so that no test waits and time running out is exact.
//!
//! `fixture-waiters` (codegen/tests/fixtures/waiters) has a waiter for each
//! matcher and each form of expression botocore's waiters use; DynamoDB's
//! `TableExists` and `TableNotExists` are the real thing.

use fixture_waiters::operation::describe_thing::{
    DescribeThing, DescribeThingError, DescribeThingOutput,
};
use fixture_waiters::operation::list_things::{ListThings, ListThingsOutput};
use fixture_waiters::test_util::{Mocks, Rule};
use fixture_waiters::types::error::{Conflict, NotFound};
use fixture_waiters::types::{Part, PartState, SubPart, Thing, ThingStatus};
use fixture_waiters::waiters::{FinalPoll, WaiterError};
use fixture_waiters::{Client, ProvideErrorMetadata, SdkError};
use sdkgen_runtime::clock::{RandomSource, Sleep, TimeSource};
use sdkgen_runtime::credentials::BoxFuture;
use sdkgen_tests::doubles::FixedRandom;
use std::error::Error as _;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

/// A clock that stands still until something sleeps on it.
#[derive(Debug, Clone)]
struct FakeTime {
    now: Arc<Mutex<SystemTime>>,
    waits: Arc<Mutex<Vec<Duration>>>,
}

impl FakeTime {
    fn new() -> Self {
        FakeTime {
            now: Arc::new(Mutex::new(
                SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000),
            )),
            waits: Arc::default(),
        }
    }

    fn waits(&self) -> Vec<Duration> {
        self.waits.lock().unwrap().clone()
    }
}

impl TimeSource for FakeTime {
    fn now(&self) -> SystemTime {
        *self.now.lock().unwrap()
    }
}

impl Sleep for FakeTime {
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        *self.now.lock().unwrap() += duration;
        self.waits.lock().unwrap().push(duration);
        Box::pin(async {})
    }
}

/// A client answered by `mocks`, on `time`, with jitter `random`.
fn client_on(mocks: Mocks, time: &FakeTime, random: impl RandomSource + 'static) -> Client {
    Client::new(
        mocks
            .config()
            .time_source(Arc::new(time.clone()))
            .sleep(Arc::new(time.clone()))
            .random(Arc::new(random))
            .build(),
    )
}

fn secs(s: u64) -> Duration {
    Duration::from_secs(s)
}

fn thing(status: ThingStatus) -> impl Fn() -> DescribeThingOutput + Send + Sync {
    move || {
        DescribeThingOutput::builder()
            .thing(Thing::builder().name("t").status(status.clone()).build())
            .build()
    }
}

fn with_thing(
    make: impl Fn() -> Thing + Send + Sync,
) -> impl Fn() -> DescribeThingOutput + Send + Sync {
    move || DescribeThingOutput::builder().thing(make()).build()
}

fn part(state: PartState) -> Part {
    Part::builder().state(state).build()
}

fn not_found() -> DescribeThingError {
    DescribeThingError::NotFound(NotFound::builder().build())
}

fn conflict() -> DescribeThingError {
    DescribeThingError::Conflict(Conflict::builder().build())
}

#[tokio::test]
async fn a_path_acceptor_succeeds_after_retries_with_backoff() {
    let rule = Rule::<DescribeThing>::new()
        .when(|input| input.name() == Some("t"))
        .then_output(thing(ThingStatus::Creating))
        .times(2)
        .then_output(thing(ThingStatus::Ready));
    let time = FakeTime::new();
    let client = client_on(Mocks::new().rule(&rule), &time, FixedRandom(0.5));
    let done = client
        .wait_until_thing_ready()
        .name("t")
        .wait(secs(60))
        .await
        .unwrap();
    let status = done
        .output()
        .and_then(|o| o.thing())
        .and_then(|t| t.status());
    assert_eq!(status, Some(&ThingStatus::Ready));
    assert_eq!(rule.calls(), 3);
    // Minimum 2 s; attempt 1 between 2 and 2, attempt 2 between 2 and 4
    // (jitter 0.5: 3).
    assert_eq!(time.waits(), [secs(2), secs(3)]);
}

#[tokio::test]
async fn a_failure_acceptor_ends_the_wait_and_is_named() {
    let rule = Rule::<DescribeThing>::new().then_output(thing(ThingStatus::Broken));
    let time = FakeTime::new();
    let client = client_on(Mocks::new().rule(&rule), &time, FixedRandom(0.0));
    let err = client
        .wait_until_thing_ready()
        .name("t")
        .wait(secs(60))
        .await
        .unwrap_err();
    match &err {
        WaiterError::Failure {
            waiter,
            acceptor,
            answer,
            ..
        } => {
            assert_eq!(*waiter, "ThingReady");
            assert_eq!(*acceptor, r#"path Thing.Status == "BROKEN""#);
            assert!(answer.output().is_some());
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        err.to_string(),
        r#"waiter ThingReady failed: the failure acceptor `path Thing.Status == "BROKEN"` matched"#
    );
    assert!(err.source().is_none());
    assert_eq!(rule.calls(), 1);
    assert!(time.waits().is_empty());
}

#[tokio::test]
async fn an_error_acceptor_retries_on_its_code() {
    let rule = Rule::<DescribeThing>::new()
        .then_error(not_found)
        .then_output(thing(ThingStatus::Ready));
    let time = FakeTime::new();
    let client = client_on(Mocks::new().rule(&rule), &time, FixedRandom(0.0));
    let done = client
        .wait_until_thing_ready()
        .name("t")
        .wait(secs(60))
        .await;
    assert!(done.unwrap().output().is_some());
    assert_eq!(rule.calls(), 2);
    assert_eq!(time.waits(), [secs(2)]);
}

#[tokio::test]
async fn an_error_no_acceptor_expects_ends_the_wait_with_the_call_error() {
    let rule = Rule::<DescribeThing>::new().then_error(conflict);
    let time = FakeTime::new();
    let client = client_on(Mocks::new().rule(&rule), &time, FixedRandom(0.0));
    let err = client
        .wait_until_thing_ready()
        .name("t")
        .wait(secs(60))
        .await
        .unwrap_err();
    let WaiterError::Call { waiter, source } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(*waiter, "ThingReady");
    assert!(matches!(
        source.as_service_error(),
        Some(DescribeThingError::Conflict(_))
    ));
    assert_eq!(err.to_string(), "waiter ThingReady: DescribeThing failed");
    // The call's error is the source, said once.
    let cause = err
        .source()
        .unwrap()
        .downcast_ref::<SdkError<DescribeThingError>>();
    assert!(cause.is_some());
    assert_eq!(rule.calls(), 1);
}

#[tokio::test]
async fn a_connection_that_fails_ends_the_wait_after_the_call_s_own_retries() {
    let rule = Rule::<DescribeThing>::new().then_connection_refused();
    let time = FakeTime::new();
    let client = client_on(Mocks::new().rule(&rule), &time, FixedRandom(0.0));
    let err = client
        .wait_until_thing_ready()
        .name("t")
        .wait(secs(600))
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err,
            WaiterError::Call {
                source: SdkError::Dispatch { .. },
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        rule.calls(),
        3,
        "the standard retry policy's three attempts"
    );
}

#[tokio::test]
async fn time_runs_out_with_the_last_answer_and_the_last_attempt_at_the_end() {
    let rule = Rule::<DescribeThing>::new().then_output(thing(ThingStatus::Creating));
    let time = FakeTime::new();
    let client = client_on(Mocks::new().rule(&rule), &time, FixedRandom(0.0));
    let err = client
        .wait_until_thing_ready()
        .name("t")
        .wait(secs(10))
        .await
        .unwrap_err();
    let WaiterError::TimedOut {
        waiter,
        max_wait,
        attempts,
        last,
        ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!((*waiter, *max_wait, *attempts), ("ThingReady", secs(10), 5));
    assert!(last.output().is_some());
    // 2 s apart; the last wait leaves the 2 s minimum for the last
    // attempt, after which less than the minimum remains.
    assert_eq!(time.waits(), [secs(2), secs(2), secs(2), secs(2)]);
    assert_eq!(rule.calls(), 5);
    assert_eq!(
        err.to_string(),
        "waiter ThingReady timed out: no success after 5 attempt(s) in 10s"
    );
}

#[tokio::test]
async fn the_delay_doubles_up_to_the_maximum() {
    let rule = Rule::<DescribeThing>::new().then_output(thing(ThingStatus::Creating));
    let time = FakeTime::new();
    // Jitter as close to 1 as a draw gets: the ceiling of each attempt.
    let client = client_on(
        Mocks::new().rule(&rule),
        &time,
        FixedRandom(0.999_999_999_999),
    );
    let _ = client
        .wait_until_thing_ready()
        .name("t")
        .wait(secs(1000))
        .await;
    let waits: Vec<u64> = time
        .waits()
        .iter()
        .map(|d| d.as_secs_f64().round() as u64)
        .collect();
    assert_eq!(&waits[..8], [2, 4, 8, 16, 32, 64, 120, 120]);
    let total: Duration = time.waits().iter().sum();
    assert!(total <= secs(1000) - secs(2), "{total:?}");
}

#[tokio::test]
async fn path_all_needs_every_element_and_path_any_one() {
    let all_up = || {
        Thing::builder()
            .parts(part(PartState::Up))
            .parts(part(PartState::Up))
            .build()
    };
    let one_starting = || {
        Thing::builder()
            .parts(part(PartState::Up))
            .parts(part(PartState::Starting))
            .build()
    };
    let rule = Rule::<DescribeThing>::new()
        // No parts: `pathAll` of nothing is not a match.
        .then_output(with_thing(|| Thing::builder().build()))
        .then_output(with_thing(one_starting))
        .then_output(with_thing(all_up));
    let time = FakeTime::new();
    let client = client_on(Mocks::new().rule(&rule), &time, FixedRandom(0.0));
    let done = client.wait_until_parts_up().name("t").wait(secs(60)).await;
    assert!(done.is_ok(), "{done:?}");
    assert_eq!(rule.calls(), 3);

    for (thing, acceptor) in [
        (
            Thing::builder()
                .parts(part(PartState::Up))
                .parts(part(PartState::Down))
                .build(),
            r#"pathAny Thing.Parts[].State == "DOWN""#,
        ),
        (
            // Nested flatten: the sub-parts of every part.
            Thing::builder()
                .parts(
                    Part::builder()
                        .subs(SubPart::builder().code("E1").build())
                        .build(),
                )
                .parts(
                    Part::builder()
                        .subs(SubPart::builder().code("E7").build())
                        .subs(SubPart::builder().code("E42").build())
                        .build(),
                )
                .build(),
            r#"pathAny Thing.Parts[].Subs[].Code == "E42""#,
        ),
        (
            // A map's values.
            Thing::builder()
                .tags("a", "fine")
                .tags("b", "blocked")
                .build(),
            r#"pathAny Thing.Tags.* == "blocked""#,
        ),
    ] {
        let rule = Rule::<DescribeThing>::new().then_output(with_thing(move || thing.clone()));
        let client = client_on(Mocks::new().rule(&rule), &FakeTime::new(), FixedRandom(0.0));
        let err = client
            .wait_until_parts_up()
            .name("t")
            .wait(secs(60))
            .await
            .unwrap_err();
        assert!(
            matches!(&err, WaiterError::Failure { acceptor: a, .. } if a == &acceptor),
            "{acceptor}: {err:?}"
        );
    }
}

#[tokio::test]
async fn error_acceptors_succeed_on_a_code_and_status_acceptors_read_the_status() {
    // ThingGone: 409 (Conflict's status) is retried, a DELETING thing too,
    // then NotFound is the success, and the answer is that error.
    let rule = Rule::<DescribeThing>::new()
        .then_error(conflict)
        .then_output(thing(ThingStatus::Deleting))
        .then_error(not_found);
    let time = FakeTime::new();
    let client = client_on(Mocks::new().rule(&rule), &time, FixedRandom(0.0));
    let done = client
        .wait_until_thing_gone()
        .name("t")
        .wait(secs(60))
        .await
        .unwrap();
    let FinalPoll::Error(error) = &done else {
        panic!("{done:?}")
    };
    assert_eq!(
        error.as_service_error().and_then(|e| e.code()),
        Some("NotFound")
    );
    assert_eq!(rule.calls(), 3);

    // ThingAnswered: `status == 200`, from the HTTP response the wire code
    // read, and from a test double's output (which stands for a 200).
    let rule = Rule::<DescribeThing>::new()
        .then_http(500, &[], "")
        .then_http(
            200,
            &[("content-type", "application/json")],
            r#"{"Thing":{"Name":"t"}}"#,
        );
    let client = client_on(Mocks::new().rule(&rule), &FakeTime::new(), FixedRandom(0.0));
    let done = client
        .wait_until_thing_answered()
        .name("t")
        .wait(secs(60))
        .await
        .unwrap();
    assert_eq!(
        done.output().and_then(|o| o.thing()).and_then(|t| t.name()),
        Some("t")
    );
    assert_eq!(rule.calls(), 2, "the 500 was retried by the call itself");

    // A 201 matches no acceptor and is asked again.
    let rule = Rule::<DescribeThing>::new()
        .then_http(201, &[("content-type", "application/json")], "{}")
        .then_output(thing(ThingStatus::Ready));
    let time = FakeTime::new();
    let client = client_on(Mocks::new().rule(&rule), &time, FixedRandom(0.0));
    let done = client
        .wait_until_thing_answered()
        .name("t")
        .wait(secs(60))
        .await;
    assert!(done.is_ok(), "{done:?}");
    assert_eq!((rule.calls(), time.waits()), (2, vec![secs(1)]));
}

#[tokio::test]
async fn error_true_and_false() {
    // ThingExists: `error == false` succeeds on an output, `NotFound`
    // retries, any other service error (`error == true`) fails.
    let rule = Rule::<DescribeThing>::new()
        .then_error(not_found)
        .then_output(thing(ThingStatus::Creating));
    let client1 = client_on(Mocks::new().rule(&rule), &FakeTime::new(), FixedRandom(0.0));
    let done = client1
        .wait_until_thing_exists()
        .name("t")
        .wait(secs(60))
        .await;
    assert!(done.unwrap().output().is_some());
    assert_eq!(rule.calls(), 2);

    let rule = Rule::<DescribeThing>::new().then_error(conflict);
    let client2 = client_on(Mocks::new().rule(&rule), &FakeTime::new(), FixedRandom(0.0));
    let err = client2
        .wait_until_thing_exists()
        .name("t")
        .wait(secs(60))
        .await
        .unwrap_err();
    match err {
        WaiterError::Failure {
            acceptor, answer, ..
        } => {
            assert_eq!(acceptor, "error == true");
            assert!(answer.error().is_some());
        }
        other => panic!("{other:?}"),
    }
}

/// Runs ThingSettled on one answer: the failure acceptor that matched, or
/// "no decision" when a retry acceptor or none matched (the limit is
/// shorter than the delay: one attempt).
async fn settled(thing: Thing) -> Result<(), String> {
    let rule = Rule::<DescribeThing>::new().then_output(with_thing(move || thing.clone()));
    let client = client_on(Mocks::new().rule(&rule), &FakeTime::new(), FixedRandom(0.0));
    match client
        .wait_until_thing_settled()
        .name("t")
        .wait(secs(1))
        .await
    {
        Ok(_) => Ok(()),
        Err(WaiterError::Failure { acceptor, .. }) => Err(acceptor.to_string()),
        Err(WaiterError::TimedOut { .. }) => Err("no decision".into()),
        Err(other) => Err(format!("{other:?}")),
    }
}

#[tokio::test]
async fn filters_lengths_comparisons_and_logic() {
    let running = |state, running: i32, desired: i32| {
        Part::builder()
            .state(state)
            .running(running)
            .desired(desired)
            .subs(SubPart::builder().build())
            .build()
    };
    // `length(Parts[?State == 'UP' || State == 'STARTING']) > 1 && Count >= 2`
    let two_up = Thing::builder()
        .parts(running(PartState::Up, 1, 1))
        .parts(running(PartState::Starting, 1, 1))
        .parts(running(PartState::Down, 1, 1))
        .count(2)
        .ready(true)
        .tags("k", "v")
        .build();
    assert_eq!(settled(two_up.clone()).await, Ok(()));
    // Count 1 fails `>= 2`; then the retry acceptor: a part with sub-parts
    // whose running count is not the desired one makes the filter's
    // length non-zero (`!(length(Subs) == 0 || Running == Desired)`).
    let mut behind = two_up.clone();
    behind.count = Some(1);
    behind.parts = Some(vec![running(PartState::Up, 1, 2)]);
    // (Not ready either: were the retry acceptor not to match, the
    // failure acceptor after it would.)
    behind.ready = Some(false);
    assert_eq!(settled(behind).await, Err("no decision".into()));
    // All parts at their desired count: no retry; `Ready == false` fails.
    let mut not_ready = two_up.clone();
    not_ready.count = Some(1);
    not_ready.ready = Some(false);
    assert_eq!(
        settled(not_ready).await,
        Err("path Thing.Ready == false".into())
    );
    // An absent `Ready` is null, not false: the next acceptor decides.
    let mut untagged = two_up.clone();
    untagged.count = None;
    untagged.ready = None;
    untagged.tags = Some(Default::default());
    untagged.status = Some(ThingStatus::Ready);
    assert_eq!(
        settled(untagged.clone()).await,
        Err("path length(Thing.Tags) < `1` && Thing.Status != 'CREATING' == true".into())
    );
    // `!=` of CREATING is false, and `length` of an absent map is null
    // (`null < 1` is false): nothing matches.
    untagged.status = Some(ThingStatus::Creating);
    assert_eq!(settled(untagged.clone()).await, Err("no decision".into()));
    untagged.status = None;
    untagged.tags = None;
    assert_eq!(settled(untagged).await, Err("no decision".into()));
}

#[tokio::test]
async fn text_choices_numbers_and_sparse_lists() {
    let listed = |make: fn() -> ListThingsOutput| async move {
        let rule = Rule::<ListThings>::new().then_output(make);
        let time = FakeTime::new();
        let client = client_on(Mocks::new().rule(&rule), &time, FixedRandom(0.0));
        let result = client.wait_until_things_listed().wait(secs(4)).await;
        (result.map(|_| ()).map_err(|e| e.to_string()), rule.calls())
    };
    // `length(Output || '') > 0`
    assert_eq!(
        listed(|| ListThingsOutput::builder().output("x").build()).await,
        (Ok(()), 1)
    );
    // An empty `Output` falls to `''`; every listed thing READY succeeds,
    // the null element of the sparse list left out.
    assert_eq!(
        listed(|| {
            let mut out = ListThingsOutput::builder().output("").build();
            out.things = Some(vec![
                Some(
                    Thing::builder()
                        .name("a")
                        .status(ThingStatus::Ready)
                        .build(),
                ),
                None,
            ]);
            out
        })
        .await,
        (Ok(()), 1)
    );
    // `Total <= 3` retries until the time is out (attempts at 0 s and 1 s
    // with a 3 s minimum delay: 1 s is cut to leave 3 s).
    let (result, calls) = listed(|| ListThingsOutput::builder().total(3).build()).await;
    assert!(result.unwrap_err().contains("timed out"));
    assert_eq!(calls, 2);
    // `Ratio == 0.5` (a double) fails.
    let (result, _) = listed(|| ListThingsOutput::builder().total(4).ratio(0.5).build()).await;
    assert!(result.unwrap_err().contains("path Ratio == 0.5"));
    // `length(Things[].Name) == 0` with no things: retry.
    let (result, calls) = listed(|| ListThingsOutput::builder().total(4).build()).await;
    assert!(result.unwrap_err().contains("timed out"));
    assert_eq!(calls, 2);
}

#[tokio::test]
async fn dynamodb_table_exists_and_not_exists() {
    use dynamodb::operation::describe_table::{
        DescribeTable, DescribeTableError, DescribeTableOutput,
    };
    use dynamodb::types::error::ResourceNotFoundException;
    use dynamodb::types::{TableDescription, TableStatus};

    let missing = || {
        DescribeTableError::ResourceNotFoundException(ResourceNotFoundException::builder().build())
    };
    let table = |status: TableStatus| {
        move || {
            DescribeTableOutput::builder()
                .table(
                    TableDescription::builder()
                        .table_name("t")
                        .table_status(status.clone())
                        .build(),
                )
                .build()
        }
    };
    let rule = Rule::<DescribeTable>::new()
        .when(|input| input.table_name() == Some("t"))
        .then_error(missing)
        .then_output(table(TableStatus::Creating))
        .then_output(table(TableStatus::Active));
    let time = FakeTime::new();
    let config = dynamodb::test_util::Mocks::new()
        .rule(&rule)
        .config()
        .time_source(Arc::new(time.clone()))
        .sleep(Arc::new(time.clone()))
        .random(Arc::new(FixedRandom(0.0)))
        .build();
    let client = dynamodb::Client::new(config);
    let done = client
        .wait_until_table_exists()
        .table_name("t")
        .wait(secs(300))
        .await
        .unwrap();
    let status = done
        .output()
        .and_then(|o| o.table())
        .and_then(|t| t.table_status());
    assert_eq!(status, Some(&TableStatus::Active));
    // DynamoDB's delay is 20 s.
    assert_eq!((rule.calls(), time.waits()), (3, vec![secs(20), secs(20)]));

    let gone = Rule::<DescribeTable>::new()
        .then_output(table(TableStatus::Deleting))
        .then_error(missing);
    let config = dynamodb::test_util::Mocks::new()
        .rule(&gone)
        .config()
        .time_source(Arc::new(time.clone()))
        .sleep(Arc::new(time.clone()))
        .build();
    let done = dynamodb::Client::new(config)
        .wait_until_table_not_exists()
        .table_name("t")
        .wait(secs(300))
        .await
        .unwrap();
    assert!(done.error().is_some_and(|e| e
        .as_service_error()
        .is_some_and(DescribeTableError::is_resource_not_found_exception)));
}
