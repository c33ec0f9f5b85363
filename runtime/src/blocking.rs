//! Sending from programs without an async runtime (the generated crates'
//! `blocking` feature).
//!
//! A fluent builder's type says how its `send()` sends: `Async` (the
//! default) returns a future; `Blocking`, made by a generated crate's
//! `blocking::Client`, waits on a runtime that the client owns. The setters
//! are the same.

/// The fluent builders of the async client: `send()` is `async`.
#[derive(Debug, Clone, Copy)]
pub enum Async {}

/// The fluent builders of the blocking client: `send()` blocks.
#[derive(Debug, Clone, Copy)]
pub enum Blocking {}

/// The runtime a blocking client owns: one worker thread drives the
/// connections, the calling threads wait on their own calls, so that
/// several threads can call at once.
#[cfg(feature = "blocking")]
pub(crate) struct Runtime(Option<tokio::runtime::Runtime>);

#[cfg(feature = "blocking")]
impl Runtime {
    pub(crate) fn start() -> std::io::Result<Runtime> {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("sdkgen-blocking")
            .enable_all()
            .build()
            .map(|runtime| Runtime(Some(runtime)))
    }

    pub(crate) fn block_on<F: std::future::Future>(&self, future: F) -> Option<F::Output> {
        self.0.as_ref().map(|runtime| runtime.block_on(future))
    }
}

/// Dropped without waiting for its tasks: a client may be dropped
/// anywhere, even inside an async runtime, where waiting would panic.
#[cfg(feature = "blocking")]
impl Drop for Runtime {
    fn drop(&mut self) {
        if let Some(runtime) = self.0.take() {
            runtime.shutdown_background();
        }
    }
}
