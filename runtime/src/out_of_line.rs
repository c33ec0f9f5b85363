//! A future polled by a function the compiler may not inline.
//!
//! The retry loop's state machine is about 19 KB of code. Inlined into the
//! futures that await it, it was copied four times into a one-operation
//! program (82 KB of its stripped binary); polled through this wrapper it
//! is there once. Unlike boxing the future, this costs no allocation and no
//! dynamic call.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

pin_project_lite::pin_project! {
    pub(crate) struct OutOfLine<F> {
        #[pin]
        future: F,
    }
}

impl<F> OutOfLine<F> {
    pub(crate) fn new(future: F) -> Self {
        OutOfLine { future }
    }
}

impl<F: Future> Future for OutOfLine<F> {
    type Output = F::Output;

    #[inline(never)]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        self.project().future.poll(cx)
    }
}
