//! An event stream's body read ahead of its receiver, by a task beside the
//! connection.
//!
//! Why: hyper hands a response body over a channel that holds one chunk,
//! and a service sends each event in a chunk of its own. Read directly,
//! every event cost a wake-up of the connection's task and one of the
//! receiver's, and the receiver is often not a task of the runtime at all
//! (`block_on`) or runs on another thread: a system call or two per event.
//! Here a task spawned on the runtime takes the chunks as they come (it and
//! the connection's task wake each other on one thread, without the
//! reactor) and queues them; the receiver is woken once for what arrived
//! while it was away, and drains it without waiting.
//!
//! The queue is bounded ([`LIMIT`]): when it is full the task stops reading,
//! hyper stops reading the socket, and TCP holds the server back, as when
//! the receiver itself was slow. The task waits on the body as the receiver
//! did, so the read timeout still measures the server's silence. Dropping
//! the receiver aborts the task, which drops the body: the connection
//! closes.

use crate::body::{ByteStream, ByteStreamError};
use bytes::Bytes;
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};
use tokio::task::AbortHandle;

/// The most bytes queued ahead of the receiver (one chunk more may join a
/// queue just under it). Room for hundreds of a model's small deltas, and
/// a small fraction of the one-message limit the decoder holds anyway.
const LIMIT: usize = 64 * 1024;

/// A body being read by a task of its own.
pub(super) struct ReadAhead {
    shared: Arc<Mutex<Queue>>,
    task: AbortHandle,
}

struct Queue {
    chunks: VecDeque<Bytes>,
    /// The bytes in `chunks`.
    queued: usize,
    /// How the body ended, once it has: given after the last chunk.
    end: Option<End>,
    /// The receiver, waiting for a chunk.
    receiver: Option<Waker>,
    /// The task, waiting for room.
    task: Option<Waker>,
}

enum End {
    Finished,
    Failed(ByteStreamError),
}

fn lock(shared: &Mutex<Queue>) -> MutexGuard<'_, Queue> {
    // Neither side panics while holding the lock; a poisoned queue is
    // still a consistent one.
    shared.lock().unwrap_or_else(|e| e.into_inner())
}

/// Wakes a waiting receiver, after the lock is released.
fn wake_receiver(mut queue: MutexGuard<'_, Queue>) {
    let receiver = queue.receiver.take();
    drop(queue);
    if let Some(receiver) = receiver {
        receiver.wake();
    }
}

impl ReadAhead {
    /// Starts reading `body` on the current tokio runtime; outside one, the
    /// body is handed back to be read directly.
    pub(super) fn spawn(body: ByteStream) -> Result<Self, ByteStream> {
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return Err(body);
        };
        let shared = Arc::new(Mutex::new(Queue {
            chunks: VecDeque::new(),
            queued: 0,
            end: None,
            receiver: None,
            task: None,
        }));
        let task = runtime
            .spawn(Reader {
                body,
                shared: shared.clone(),
            })
            .abort_handle();
        Ok(ReadAhead { shared, task })
    }

    /// The next chunk, as [`ByteStream::poll_next`] gives it.
    pub(super) fn poll_next(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Bytes, ByteStreamError>>> {
        let mut queue = lock(&self.shared);
        if let Some(chunk) = queue.chunks.pop_front() {
            queue.queued -= chunk.len();
            // The task is woken when half the room is free again, not for
            // every chunk taken.
            let task = (queue.queued <= LIMIT / 2)
                .then(|| queue.task.take())
                .flatten();
            drop(queue);
            if let Some(task) = task {
                task.wake();
            }
            return Poll::Ready(Some(Ok(chunk)));
        }
        if let Some(end) = &mut queue.end {
            // An error is given once; the stream has ended after it.
            return Poll::Ready(match std::mem::replace(end, End::Finished) {
                End::Finished => None,
                End::Failed(e) => Some(Err(e)),
            });
        }
        match &mut queue.receiver {
            Some(waker) if waker.will_wake(cx.waker()) => {}
            waiting => *waiting = Some(cx.waker().clone()),
        }
        Poll::Pending
    }
}

impl Drop for ReadAhead {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The task: moves chunks from the body to the queue.
struct Reader {
    body: ByteStream,
    shared: Arc<Mutex<Queue>>,
}

/// A task dropped before the body ended (its runtime shut down, or the
/// receiver aborted it) ends the stream with an error, so that a receiver
/// still polling from elsewhere is not left waiting for bytes nobody reads.
impl Drop for Reader {
    fn drop(&mut self) {
        let mut queue = lock(&self.shared);
        if queue.end.is_some() {
            return;
        }
        queue.end = Some(End::Failed(ByteStreamError::other(
            "the runtime that read the response body stopped before it ended",
        )));
        wake_receiver(queue);
    }
}

impl Future for Reader {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = self.get_mut();
        loop {
            {
                let mut queue = lock(&this.shared);
                if queue.queued >= LIMIT {
                    queue.task = Some(cx.waker().clone());
                    return Poll::Pending;
                }
            }
            // The body is polled outside the lock: the receiver never
            // waits on the connection.
            let next = match this.body.poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(next) => next,
            };
            let mut queue = lock(&this.shared);
            let ended = match next {
                Some(Ok(chunk)) => {
                    queue.queued += chunk.len();
                    queue.chunks.push_back(chunk);
                    false
                }
                Some(Err(e)) => {
                    queue.end = Some(End::Failed(e));
                    true
                }
                None => {
                    queue.end = Some(End::Finished);
                    true
                }
            };
            wake_receiver(queue);
            if ended {
                return Poll::Ready(());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::body::SdkBody;
    use http_body::Frame;
    use std::future::poll_fn;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use tokio::sync::mpsc;

    /// A response body fed by the test: each item is a chunk or the error
    /// that ends it; it counts the chunks taken from it and says when it
    /// is dropped.
    struct Fed {
        rx: mpsc::UnboundedReceiver<Result<Bytes, &'static str>>,
        taken: Arc<AtomicUsize>,
        dropped: Option<tokio::sync::oneshot::Sender<()>>,
    }

    impl http_body::Body for Fed {
        type Data = Bytes;
        type Error = Box<dyn std::error::Error + Send + Sync>;

        fn poll_frame(
            mut self: Pin<&mut Self>,
            cx: &mut Context<'_>,
        ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
            self.rx.poll_recv(cx).map(|item| {
                self.taken.fetch_add(1, Ordering::SeqCst);
                item.map(|r| r.map(Frame::data).map_err(Into::into))
            })
        }
    }

    impl Drop for Fed {
        fn drop(&mut self) {
            if let Some(dropped) = self.dropped.take() {
                let _ = dropped.send(());
            }
        }
    }

    struct Feed {
        tx: mpsc::UnboundedSender<Result<Bytes, &'static str>>,
        taken: Arc<AtomicUsize>,
        dropped: tokio::sync::oneshot::Receiver<()>,
    }

    fn fed() -> (ByteStream, Feed) {
        let (tx, rx) = mpsc::unbounded_channel();
        let taken = Arc::new(AtomicUsize::new(0));
        let (dropped_tx, dropped) = tokio::sync::oneshot::channel();
        let body = Fed {
            rx,
            taken: taken.clone(),
            dropped: Some(dropped_tx),
        };
        let stream = ByteStream::from_body(SdkBody::from_body(body));
        (stream, Feed { tx, taken, dropped })
    }

    async fn next(ahead: &mut ReadAhead) -> Option<Result<Bytes, ByteStreamError>> {
        poll_fn(|cx| ahead.poll_next(cx)).await
    }

    #[test]
    fn outside_a_runtime_the_body_is_handed_back() {
        assert!(ReadAhead::spawn(ByteStream::new("x")).is_err());
    }

    #[tokio::test]
    async fn chunks_come_in_order_then_the_end_every_time_after() {
        let (stream, feed) = fed();
        let mut ahead = ReadAhead::spawn(stream).ok().unwrap();
        for chunk in ["one", "two", "three"] {
            feed.tx.send(Ok(Bytes::from(chunk))).unwrap();
        }
        drop(feed.tx);
        for chunk in ["one", "two", "three"] {
            assert_eq!(next(&mut ahead).await.unwrap().unwrap(), chunk);
        }
        assert!(next(&mut ahead).await.is_none());
        assert!(next(&mut ahead).await.is_none());
    }

    #[tokio::test]
    async fn an_error_comes_after_the_chunks_before_it_and_once() {
        let (stream, feed) = fed();
        let mut ahead = ReadAhead::spawn(stream).ok().unwrap();
        feed.tx.send(Ok(Bytes::from("before"))).unwrap();
        feed.tx.send(Err("cut off")).unwrap();
        assert_eq!(next(&mut ahead).await.unwrap().unwrap(), "before");
        let error = next(&mut ahead).await.unwrap().unwrap_err();
        assert!(error.to_string().contains("cut off"), "{error}");
        assert!(next(&mut ahead).await.is_none());
    }

    #[tokio::test]
    async fn a_receiver_that_waits_is_woken_by_the_next_chunk() {
        let (stream, feed) = fed();
        let mut ahead = ReadAhead::spawn(stream).ok().unwrap();
        let late = tokio::spawn(async move {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            feed.tx.send(Ok(Bytes::from("late"))).unwrap();
            feed
        });
        assert_eq!(next(&mut ahead).await.unwrap().unwrap(), "late");
        drop(late.await.unwrap());
    }

    #[tokio::test]
    async fn the_body_is_read_no_further_than_the_limit_ahead() {
        let (stream, feed) = fed();
        let mut ahead = ReadAhead::spawn(stream).ok().unwrap();
        let chunk = Bytes::from(vec![7u8; 1024]);
        let sent = 4 * LIMIT / chunk.len();
        for _ in 0..sent {
            feed.tx.send(Ok(chunk.clone())).unwrap();
        }
        // Let the task read all it will.
        for _ in 0..100 {
            tokio::task::yield_now().await;
        }
        let ahead_of_receiver = feed.taken.load(Ordering::SeqCst);
        assert_eq!(
            ahead_of_receiver,
            LIMIT / chunk.len(),
            "read ahead, in chunks"
        );
        // The receiver takes them all; the task goes on as room frees.
        let drained = tokio::time::timeout(std::time::Duration::from_secs(10), async {
            for _ in 0..sent {
                assert_eq!(next(&mut ahead).await.unwrap().unwrap().len(), chunk.len());
            }
        });
        drained.await.expect("the task reads on once there is room");
        assert_eq!(feed.taken.load(Ordering::SeqCst), sent);
    }

    #[test]
    fn a_runtime_shut_down_under_the_task_ends_the_stream_with_an_error() {
        let reading = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let (stream, feed) = fed();
        let mut ahead = {
            let _inside = reading.enter();
            ReadAhead::spawn(stream).ok().unwrap()
        };
        feed.tx.send(Ok(Bytes::from("unread"))).unwrap();
        // The task never ran: its runtime is gone.
        drop(reading);
        let polling = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        polling.block_on(async {
            let ended = tokio::time::timeout(std::time::Duration::from_secs(10), next(&mut ahead))
                .await
                .expect("the receiver is not left waiting");
            let error = ended.unwrap().unwrap_err();
            assert!(error.to_string().contains("stopped"), "{error}");
            assert!(next(&mut ahead).await.is_none());
        });
    }

    #[tokio::test]
    async fn dropping_the_receiver_drops_the_body_even_while_it_waits() {
        let (stream, feed) = fed();
        let ahead = ReadAhead::spawn(stream).ok().unwrap();
        // The task waits on a body with nothing to read yet.
        tokio::task::yield_now().await;
        drop(ahead);
        tokio::time::timeout(std::time::Duration::from_secs(10), feed.dropped)
            .await
            .expect("the body is dropped")
            .expect("the body says so");
    }
}
