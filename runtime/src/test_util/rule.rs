//! [`Rule`] and [`Mocks`]: typed answers to one operation's calls.

use std::any::Any;
use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;

use crate::client::Answer;
use crate::clock::Sleep;
use crate::config::ConfigBuilder;
use crate::credentials::{BoxFuture, Credentials};
use crate::error::{DispatchError, DispatchErrorKind, ErrorMetadata};
use crate::http::HttpResponse;
use crate::operation::Operation;
use crate::transport::SendError;

use super::lock;

type Matcher<I> = Box<dyn Fn(&I) -> bool + Send + Sync>;

/// Answers the calls of operation `O` whose input matches.
///
/// Each `then_*` adds an answer; attempts get them in order and the last
/// one repeats. `O` is the operation's type in the generated crate (such
/// as `operation::get_proxy_session::GetProxySession`). A `Rule` is a
/// handle: keep a clone to ask how many attempts it answered.
pub struct Rule<O: Operation> {
    state: Arc<State<O>>,
}

struct State<O: Operation> {
    matcher: Mutex<Matcher<O::Input>>,
    answers: Mutex<Vec<Arc<Step<O>>>>,
    calls: AtomicUsize,
}

enum Step<O: Operation> {
    Output(Box<dyn Fn() -> O::Output + Send + Sync>),
    Error(Box<dyn Fn() -> O::Error + Send + Sync>),
    Unmodeled(ErrorMetadata),
    Http {
        status: u16,
        headers: Vec<(String, String)>,
        body: Bytes,
    },
    ConnectionRefused,
    NoAnswer,
}

impl<O: Operation> Clone for Rule<O> {
    fn clone(&self) -> Self {
        Rule {
            state: Arc::clone(&self.state),
        }
    }
}

impl<O: Operation> Default for Rule<O> {
    fn default() -> Self {
        Rule::new()
    }
}

impl<O: Operation> fmt::Debug for Rule<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Rule")
            .field("operation", &O::NAME)
            .field("calls", &self.calls())
            .finish()
    }
}

impl<O: Operation> Rule<O> {
    /// A rule for every input of `O`, with no answer yet.
    pub fn new() -> Self {
        Rule {
            state: Arc::new(State {
                matcher: Mutex::new(Box::new(|_| true)),
                answers: Mutex::new(Vec::new()),
                calls: AtomicUsize::new(0),
            }),
        }
    }

    /// Answers only the inputs for which `matches` is true.
    pub fn when(self, matches: impl Fn(&O::Input) -> bool + Send + Sync + 'static) -> Self {
        *lock(&self.state.matcher) = Box::new(matches);
        self
    }

    /// Answers with the output `make` returns.
    pub fn then_output(self, make: impl Fn() -> O::Output + Send + Sync + 'static) -> Self {
        self.then(Step::Output(Box::new(make)))
    }

    /// Answers with the modeled error `make` returns (build one with its
    /// shape's `builder()`); the retry policy reads its code and status.
    pub fn then_error(self, make: impl Fn() -> O::Error + Send + Sync + 'static) -> Self {
        self.then(Step::Error(Box::new(make)))
    }

    /// Answers with an error the model does not name, carrying `meta`.
    pub fn then_unmodeled(self, meta: ErrorMetadata) -> Self {
        self.then(Step::Unmodeled(meta))
    }

    /// Answers with this HTTP response, read by the operation's own wire
    /// code as a service's would be.
    pub fn then_http(self, status: u16, headers: &[(&str, &str)], body: impl Into<Bytes>) -> Self {
        let headers = headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        self.then(Step::Http {
            status,
            headers,
            body: body.into(),
        })
    }

    /// The connection is refused, as by a host that is down (retried).
    pub fn then_connection_refused(self) -> Self {
        self.then(Step::ConnectionRefused)
    }

    /// No answer ever comes: the attempt or operation timeout decides.
    pub fn then_no_answer(self) -> Self {
        self.then(Step::NoAnswer)
    }

    /// The last answer given `n` times in all (at least once).
    pub fn times(self, n: usize) -> Self {
        {
            let mut answers = lock(&self.state.answers);
            if let Some(last) = answers.last().cloned() {
                for _ in 1..n.max(1) {
                    answers.push(Arc::clone(&last));
                }
            }
        }
        self
    }

    /// How many attempts this rule answered.
    pub fn calls(&self) -> usize {
        self.state.calls.load(Ordering::SeqCst)
    }

    fn then(self, step: Step<O>) -> Self {
        lock(&self.state.answers).push(Arc::new(step));
        self
    }
}

/// What a rule answers one attempt with.
// A test double's answer, made once per mocked call: its size is no cost.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Reply {
    Now(Result<Answer, SendError>),
    Never,
}

/// A rule, its operation type erased.
trait AnyRule: Send + Sync {
    fn reply(&self, operation: &'static str, input: &(dyn Any + Sync)) -> Option<Reply>;
}

impl<O: Operation + 'static> AnyRule for Rule<O> {
    fn reply(&self, operation: &'static str, input: &(dyn Any + Sync)) -> Option<Reply> {
        if operation != O::NAME {
            return None;
        }
        let input: &dyn Any = input;
        let input = input.downcast_ref::<O::Input>()?;
        if !(lock(&self.state.matcher))(input) {
            return None;
        }
        let step = {
            let answers = lock(&self.state.answers);
            let index = self.state.calls.load(Ordering::SeqCst);
            answers.get(index).or(answers.last()).cloned()?
        };
        self.state.calls.fetch_add(1, Ordering::SeqCst);
        let mocked =
            |result: Result<O::Output, O::Error>| Reply::Now(Ok(Answer::Mocked(Box::new(result))));
        Some(match &*step {
            Step::Output(make) => mocked(Ok(make())),
            Step::Error(make) => mocked(Err(make())),
            Step::Unmodeled(meta) => mocked(Err(O::unhandled(meta.clone()))),
            Step::Http {
                status,
                headers,
                body,
            } => Reply::Now(Ok(Answer::Http(HttpResponse::new(
                *status,
                headers.clone(),
                body.clone(),
            )))),
            Step::ConnectionRefused => Reply::Now(Err(SendError::Dispatch(DispatchError::new(
                DispatchErrorKind::Connect,
                format!("cannot connect for {operation} (test double: connection refused)"),
                None,
            )))),
            Step::NoAnswer => Reply::Never,
        })
    }
}

/// The rules of a client; the first rule that matches a call answers it.
#[derive(Default)]
pub struct Mocks {
    rules: Vec<Arc<dyn AnyRule>>,
}

impl fmt::Debug for Mocks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mocks")
            .field("rules", &self.rules.len())
            .finish()
    }
}

impl Mocks {
    pub fn new() -> Self {
        Mocks::default()
    }

    /// Adds a rule (a handle to it: the caller's clone still counts calls).
    pub fn rule<O: Operation + 'static>(mut self, rule: &Rule<O>) -> Self {
        self.rules.push(Arc::new(rule.clone()));
        self
    }

    /// A configuration that answers with these rules: region `us-east-1`,
    /// test credentials, and waits between retries that take no time. Set
    /// retries and timeouts on it as for a real client.
    pub fn config(self) -> ConfigBuilder {
        ConfigBuilder::default()
            .region("us-east-1")
            .credentials_provider(Credentials::new(
                "AKIDTESTDOUBLE",
                "test-double-secret",
                None,
                None,
            ))
            .sleep(Arc::new(NoWait))
            .mocks(self)
    }

    /// The answer to one attempt of `operation` with `input`. A call that
    /// no rule answers is refused before sending, naming the operation.
    pub(crate) async fn answer(
        &self,
        operation: &'static str,
        input: &(dyn Any + Sync),
    ) -> Result<Answer, SendError> {
        let reply = self
            .rules
            .iter()
            .find_map(|rule| rule.reply(operation, input));
        match reply {
            Some(Reply::Now(answer)) => answer,
            Some(Reply::Never) => std::future::pending().await,
            None => Err(SendError::Refused(format!(
                "no test double answers this {operation} call: add a Rule for it (or one whose `when` matches this input)"
            ))),
        }
    }
}

/// Waits between retries that end at once: tests do not sleep.
#[derive(Debug)]
struct NoWait;

impl Sleep for NoWait {
    fn sleep(&self, _duration: Duration) -> BoxFuture<'static, ()> {
        Box::pin(std::future::ready(()))
    }
}
