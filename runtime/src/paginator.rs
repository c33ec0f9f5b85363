//! Paginators: the pages of a list operation, and their items, as async
//! streams that follow the next-page token.
//!
//! Both are `futures_core::Stream`s (already in the tree through hyper), so
//! the combinators of `futures` or `tokio-stream` apply; `next()` and
//! `collect()` are inherent so that a caller needs neither.
//!
//! A page that gives back a token already followed would start the same
//! pages over, forever; the stream ends with an error instead (botocore
//! raises for a repeated token too).

use crate::credentials::BoxFuture;
use crate::error::{ResponseError, SdkError};
use futures_core::Stream;
use std::collections::{HashSet, VecDeque};
use std::fmt;
use std::future::poll_fn;
use std::pin::Pin;
use std::task::{Context, Poll};

type Page<O, E> = BoxFuture<'static, Result<O, SdkError<E>>>;

/// Fetches the page after a token (`None` for the first).
type Fetch<O, E> = Box<dyn FnMut(Option<String>) -> Page<O, E> + Send>;

/// The pages of a list operation, fetched as they are asked for.
pub struct PageStream<O, E> {
    operation: &'static str,
    fetch: Fetch<O, E>,
    next_token: fn(&O) -> Option<&str>,
    state: State<O, E>,
    seen: HashSet<String>,
}

enum State<O, E> {
    /// Before the first page, with the token it starts from, if any.
    Start(Option<String>),
    Next(String),
    Fetching(Page<O, E>),
    Done,
}

impl<O, E> fmt::Debug for PageStream<O, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PageStream")
            .field("operation", &self.operation)
            .field("pages_followed", &self.seen.len())
            .finish()
    }
}

impl<O, E> PageStream<O, E> {
    /// A stream that calls `fetch` for each page and reads the next token
    /// with `next_token`; an absent or empty token ends it.
    pub fn new(
        operation: &'static str,
        fetch: impl FnMut(Option<String>) -> Page<O, E> + Send + 'static,
        next_token: fn(&O) -> Option<&str>,
    ) -> Self {
        PageStream {
            operation,
            fetch: Box::new(fetch),
            next_token,
            state: State::Start(None),
            seen: HashSet::new(),
        }
    }

    /// Starts from a page token the caller already has (one set on the
    /// request) instead of from the first page.
    pub fn starting_at(mut self, token: Option<String>) -> Self {
        self.state = State::Start(token.filter(|t| !t.is_empty()));
        self
    }

    /// The next page, or `None` after the last one (or after an error).
    pub async fn next(&mut self) -> Option<Result<O, SdkError<E>>> {
        poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Every page, in order; the first error ends it.
    pub async fn collect(mut self) -> Result<Vec<O>, SdkError<E>> {
        let mut pages = Vec::new();
        while let Some(page) = self.next().await {
            pages.push(page?);
        }
        Ok(pages)
    }

    /// Decides what follows a fetched page: the next token, the end, or
    /// an error for a token already followed.
    fn after(&mut self, page: O) -> Result<O, SdkError<E>> {
        match (self.next_token)(&page).filter(|t| !t.is_empty()) {
            None => {}
            Some(next) if !self.seen.insert(next.to_string()) => {
                let message = format!(
                    "the service returned the next-page token {next:?} a second time; stopping instead of fetching the same pages again"
                );
                return Err(SdkError::Response {
                    operation: self.operation,
                    source: ResponseError::new(200, None, message),
                });
            }
            Some(next) => self.state = State::Next(next.to_string()),
        }
        Ok(page)
    }
}

impl<O, E> Stream for PageStream<O, E> {
    type Item = Result<O, SdkError<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            match std::mem::replace(&mut this.state, State::Done) {
                State::Done => return Poll::Ready(None),
                State::Start(token) => this.state = State::Fetching((this.fetch)(token)),
                State::Next(token) => this.state = State::Fetching((this.fetch)(Some(token))),
                State::Fetching(mut page) => {
                    return match page.as_mut().poll(cx) {
                        Poll::Pending => {
                            this.state = State::Fetching(page);
                            Poll::Pending
                        }
                        Poll::Ready(Ok(page)) => Poll::Ready(Some(this.after(page))),
                        Poll::Ready(Err(e)) => Poll::Ready(Some(Err(e))),
                    }
                }
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match self.state {
            State::Done => (0, Some(0)),
            _ => (0, None),
        }
    }
}

/// The items of every page, one at a time.
pub struct ItemStream<T, O, E> {
    pages: PageStream<O, E>,
    items: fn(O) -> Vec<T>,
    buffered: VecDeque<T>,
}

// No field is ever pinned: pages are polled through `Pin::new`, items are
// moved out of the buffer.
impl<T, O, E> Unpin for ItemStream<T, O, E> {}

impl<T, O, E> fmt::Debug for ItemStream<T, O, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ItemStream")
            .field("pages", &self.pages)
            .field("buffered", &self.buffered.len())
            .finish()
    }
}

impl<T, O, E> ItemStream<T, O, E> {
    /// The items `items` takes out of each page of `pages`.
    pub fn new(pages: PageStream<O, E>, items: fn(O) -> Vec<T>) -> Self {
        ItemStream {
            pages,
            items,
            buffered: VecDeque::new(),
        }
    }

    /// The next item, fetching pages as needed; `None` after the last.
    pub async fn next(&mut self) -> Option<Result<T, SdkError<E>>> {
        poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Every item, in order; the first error ends it.
    pub async fn collect(mut self) -> Result<Vec<T>, SdkError<E>> {
        let mut items = Vec::new();
        while let Some(item) = self.next().await {
            items.push(item?);
        }
        Ok(items)
    }
}

impl<T, O, E> Stream for ItemStream<T, O, E> {
    type Item = Result<T, SdkError<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.buffered.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            match Pin::new(&mut this.pages).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(Some(Ok(page))) => this.buffered.extend((this.items)(page)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::test_types::Unhandled as UnhandledError;
    use std::sync::{Arc, Mutex};

    /// A page: its items and its next token.
    type TestPage = (Vec<u32>, Option<&'static str>);
    /// The tokens each fetch was given.
    type Asked = Arc<Mutex<Vec<Option<String>>>>;

    /// Pages `(items, next token)`, fetched in order; records the tokens
    /// each fetch was given.
    fn pages(script: Vec<TestPage>) -> (PageStream<TestPage, UnhandledError>, Asked) {
        let asked = Arc::new(Mutex::new(Vec::new()));
        let log = asked.clone();
        let mut script = script.into_iter();
        let stream = PageStream::new(
            "ListThings",
            move |token| {
                log.lock().unwrap().push(token);
                let page = script.next().expect("no more pages scripted");
                Box::pin(async move { Ok(page) })
            },
            |page: &TestPage| page.1,
        );
        (stream, asked)
    }

    #[tokio::test]
    async fn follows_tokens_to_the_last_page() {
        let (stream, asked) = pages(vec![
            (vec![1, 2], Some("a")),
            (vec![3], Some("b")),
            (vec![], Some("")),
        ]);
        let items = ItemStream::new(stream, |page| page.0)
            .collect()
            .await
            .unwrap();
        assert_eq!(items, [1, 2, 3]);
        assert_eq!(
            *asked.lock().unwrap(),
            [None, Some("a".to_string()), Some("b".to_string())]
        );
    }

    #[tokio::test]
    async fn a_repeated_token_is_an_error_not_a_loop() {
        let (mut stream, asked) = pages(vec![
            (vec![1], Some("a")),
            (vec![2], Some("b")),
            (vec![3], Some("a")),
        ]);
        assert!(stream.next().await.unwrap().is_ok());
        assert!(stream.next().await.unwrap().is_ok());
        let err = stream.next().await.unwrap().unwrap_err();
        assert!(err.to_string().contains("\"a\" a second time"), "{err}");
        assert!(stream.next().await.is_none());
        assert_eq!(asked.lock().unwrap().len(), 3);
    }

    #[tokio::test]
    async fn a_page_still_in_flight_is_waited_for() {
        let mut left = 3u32;
        let stream = PageStream::new(
            "ListThings",
            move |_token| {
                left -= 1;
                let (tx, rx) = tokio::sync::oneshot::channel();
                let page = (
                    vec![left],
                    (left > 0).then(|| ["z", "y", "x"][left as usize]),
                );
                tokio::spawn(async move {
                    tokio::task::yield_now().await;
                    let _ = tx.send(page);
                });
                Box::pin(async move { Ok::<_, SdkError<UnhandledError>>(rx.await.unwrap()) })
            },
            |page: &TestPage| page.1,
        );
        let items = ItemStream::new(stream, |page| page.0)
            .collect()
            .await
            .unwrap();
        assert_eq!(items, [2, 1, 0]);
    }
}
