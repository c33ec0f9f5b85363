//! Test doubles for code that calls a generated client, so that it can be
//! tested without a network (the generated crates' `test-util` feature).
//!
//! - [`Rule`]: answers one operation's calls whose input matches, with an
//!   output, a modeled error, an unmodeled error, a raw HTTP response, a
//!   refused connection or no answer at all, in sequence (the last answer
//!   repeats), and counts the attempts it answered. [`Mocks`] holds the
//!   rules of a client. The request is built and signed as for the wire,
//!   and retries, backoff and timeouts apply to the answers as they would
//!   to a service's: a throttling error is retried, then the success that
//!   follows it is returned.
//! - [`ReplayTransport`]: a transport that answers recorded responses in
//!   order and keeps the requests the code made, to compare with the
//!   expected ones (method, path, query, the expected headers, the body).

mod replay;
mod rule;

pub use replay::{ReplayEvent, ReplayTransport};
pub use rule::{Mocks, Rule};

/// A poisoned lock means a test's closure panicked; the data is still what
/// it was, and the panic is reported by the test itself.
fn lock<T>(mutex: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
