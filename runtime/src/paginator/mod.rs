//! Paginators: the pages of a list operation, and their items, as async
//! streams that follow the next-page token.
//!
//! Both are `futures_core::Stream`s (already in the tree through hyper), so
//! the combinators of `futures` or `tokio-stream` apply; `next()` and
//! `collect()` are inherent so that a caller needs neither.
//!
//! What a paginator follows is botocore's `paginators-1.json`, and the
//! rules are botocore's (`botocore/paginate.py`): a page whose
//! more-results flag (IAM's `IsTruncated`) is not `true` is the last one,
//! whatever token it carries; a page without a token (or with an empty
//! one: see [`PageToken`]) is the last one; otherwise the next request
//! sends the token. The generated code only says where the token and the
//! flag are in a page and where the token goes in a request.
//!
//! A page that gives back a token already followed would start the same
//! pages over, forever; the stream ends with an error instead (botocore
//! raises for a repeated token too).

mod token;

pub use token::{first_present, PageToken};

use crate::credentials::BoxFuture;
use crate::error::{ResponseError, SdkError};
use futures_core::Stream;
use std::collections::VecDeque;
use std::fmt;
use std::future::poll_fn;
use std::pin::Pin;
use std::task::{Context, Poll};

type Page<O, E> = BoxFuture<'static, Result<O, SdkError<E>>>;

/// Fetches the page after a token (`None` for the first).
type Fetch<O, E, T> = Box<dyn FnMut(Option<T>) -> Page<O, E> + Send>;

/// The pages of a list operation, fetched as they are asked for. `T` is
/// the next-page token: a string for most services.
pub struct PageStream<O, E, T = String> {
    operation: &'static str,
    fetch: Fetch<O, E, T>,
    next_token: fn(&O) -> Option<T>,
    more_results: Option<fn(&O) -> Option<&bool>>,
    state: State<O, E, T>,
    /// Every token followed. A list rather than a set: a token may be a
    /// map (DynamoDB's keys), which cannot be hashed, and the pages are
    /// fetched over the network, far slower than comparing tokens.
    seen: Vec<T>,
}

enum State<O, E, T> {
    /// Before the first page, with the token it starts from, if any.
    Start(Option<T>),
    Next(T),
    Fetching(Page<O, E>),
    Done,
}

// No field is ever pinned: the page future is boxed, tokens are moved.
impl<O, E, T> Unpin for PageStream<O, E, T> {}

impl<O, E, T> fmt::Debug for PageStream<O, E, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PageStream")
            .field("operation", &self.operation)
            .field("pages_followed", &self.seen.len())
            .finish()
    }
}

impl<O, E, T: PageToken> PageStream<O, E, T> {
    /// A stream that calls `fetch` for each page and reads the next token
    /// with `next_token`; an absent or empty token ends it.
    pub fn new(
        operation: &'static str,
        fetch: impl FnMut(Option<T>) -> Page<O, E> + Send + 'static,
        next_token: fn(&O) -> Option<T>,
    ) -> Self {
        PageStream {
            operation,
            fetch: Box::new(fetch),
            next_token,
            more_results: None,
            state: State::Start(None),
            seen: Vec::new(),
        }
    }

    /// Reads whether a page has a next one (`more_results`: IAM's
    /// `IsTruncated`, CloudFront's `DistributionList.IsTruncated`): a page
    /// where it is not `true` is the last, even with a token, as some
    /// services send the token of the last page again.
    pub fn more_results(mut self, more_results: fn(&O) -> Option<&bool>) -> Self {
        self.more_results = Some(more_results);
        self
    }

    /// Starts from a page token the caller already has (one set on the
    /// request) instead of from the first page.
    pub fn starting_at(mut self, token: Option<T>) -> Self {
        self.state = State::Start(token.map(T::normalized).filter(|t| !t.is_absent()));
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
        if let Some(more_results) = self.more_results {
            if more_results(&page) != Some(&true) {
                return Ok(page);
            }
        }
        let next = (self.next_token)(&page)
            .map(T::normalized)
            .filter(|t| !t.is_absent());
        match next {
            None => {}
            Some(next) if self.seen.contains(&next) => {
                let message = format!(
                    "the service returned the next-page token {next:?} a second time; stopping instead of fetching the same pages again"
                );
                return Err(SdkError::Response {
                    operation: self.operation,
                    source: ResponseError::new(200, None, message),
                });
            }
            Some(next) => {
                self.seen.push(next.clone());
                self.state = State::Next(next);
            }
        }
        Ok(page)
    }
}

impl<O, E, T: PageToken> Stream for PageStream<O, E, T> {
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

/// The items of every page, one at a time: the elements of a list (or
/// the entries of a map, or a value) that each page holds.
pub struct ItemStream<I, O, E, T = String> {
    pages: PageStream<O, E, T>,
    items: fn(O) -> Vec<I>,
    buffered: VecDeque<I>,
}

// No field is ever pinned: pages are polled through `Pin::new`, items are
// moved out of the buffer.
impl<I, O, E, T> Unpin for ItemStream<I, O, E, T> {}

impl<I, O, E, T> fmt::Debug for ItemStream<I, O, E, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ItemStream")
            .field("pages", &self.pages)
            .field("buffered", &self.buffered.len())
            .finish()
    }
}

impl<I, O, E, T: PageToken> ItemStream<I, O, E, T> {
    /// The items `items` takes out of each page of `pages`.
    pub fn new(pages: PageStream<O, E, T>, items: fn(O) -> Vec<I>) -> Self {
        ItemStream {
            pages,
            items,
            buffered: VecDeque::new(),
        }
    }

    /// The next item, fetching pages as needed; `None` after the last.
    pub async fn next(&mut self) -> Option<Result<I, SdkError<E>>> {
        poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Every item, in order; the first error ends it.
    pub async fn collect(mut self) -> Result<Vec<I>, SdkError<E>> {
        let mut items = Vec::new();
        while let Some(item) = self.next().await {
            items.push(item?);
        }
        Ok(items)
    }
}

impl<I, O, E, T: PageToken> Stream for ItemStream<I, O, E, T> {
    type Item = Result<I, SdkError<E>>;

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
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex};

    /// A page: its items and its next token.
    type TestPage = (Vec<u32>, Option<&'static str>);
    /// The tokens each fetch was given.
    type Asked<T> = Arc<Mutex<Vec<Option<T>>>>;

    /// Pages fetched in order from `script`, whatever the token; records
    /// the tokens each fetch was given.
    fn scripted<P: Send + 'static, T: PageToken>(
        script: Vec<P>,
        next_token: fn(&P) -> Option<T>,
    ) -> (PageStream<P, UnhandledError, T>, Asked<T>) {
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
            next_token,
        );
        (stream, asked)
    }

    /// Pages `(items, next token)`.
    fn pages(script: Vec<TestPage>) -> (PageStream<TestPage, UnhandledError>, Asked<String>) {
        scripted(script, |page: &TestPage| page.1.map(str::to_string))
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
    async fn a_page_whose_flag_is_not_true_is_the_last_whatever_its_token() {
        // (more results, token): the second page still carries a token.
        type Flagged = (Option<bool>, Option<&'static str>);
        for last in [Some(false), None] {
            let (stream, asked) = scripted(
                vec![(Some(true), Some("a")), (last, Some("b"))],
                |page: &Flagged| page.1.map(str::to_string),
            );
            let pages = stream
                .more_results(|page: &Flagged| page.0.as_ref())
                .collect()
                .await
                .unwrap();
            assert_eq!(pages.len(), 2, "{last:?}");
            assert_eq!(*asked.lock().unwrap(), [None, Some("a".to_string())]);
        }
        // A true flag without a token ends it too.
        let (stream, _) = scripted(vec![(Some(true), None)], |page: &Flagged| {
            page.1.map(str::to_string)
        });
        let stream = stream.more_results(|page: &Flagged| page.0.as_ref());
        assert_eq!(stream.collect().await.unwrap().len(), 1);
    }

    #[tokio::test]
    async fn a_map_token_is_followed_and_compared() {
        // DynamoDB's `LastEvaluatedKey`: a map, empty on the last page.
        type Key = HashMap<String, Vec<u8>>;
        let key = |k: &str| Key::from([("pk".to_string(), k.as_bytes().to_vec())]);
        let (stream, asked) = scripted(
            vec![Some(key("a")), Some(key("b")), Some(Key::new())],
            |page: &Option<Key>| page.clone(),
        );
        assert_eq!(stream.collect().await.unwrap().len(), 3);
        assert_eq!(
            *asked.lock().unwrap(),
            [None, Some(key("a")), Some(key("b"))]
        );

        let (mut stream, asked) = scripted(
            vec![Some(key("a")), Some(key("b")), Some(key("a"))],
            |page: &Option<Key>| page.clone(),
        );
        let mut results = Vec::new();
        while let Some(page) = stream.next().await {
            results.push(page);
        }
        assert_eq!(results.len(), 3);
        let err = results.pop().unwrap().unwrap_err();
        assert!(err.to_string().contains("a second time"), "{err}");
        assert_eq!(asked.lock().unwrap().len(), 3);
    }

    #[tokio::test]
    async fn several_tokens_go_together_and_end_when_all_are_absent() {
        // Route 53: name, type and identifier; an empty part is left out.
        type Tokens = (Option<String>, Option<String>, Option<String>);
        let tokens = |n: &str, t: &str, i: &str| -> Tokens {
            (Some(n.into()), Some(t.into()), Some(i.into()))
        };
        let (stream, asked) = scripted(
            vec![
                tokens("a", "A", ""),
                tokens("a", "AAAA", "1"),
                (None, None, Some(String::new())),
            ],
            |page: &Tokens| Some(page.clone()),
        );
        let stream = stream.starting_at(Some((Some("start".into()), None, None)));
        assert_eq!(stream.collect().await.unwrap().len(), 3);
        assert_eq!(
            *asked.lock().unwrap(),
            [
                Some((Some("start".to_string()), None, None)),
                Some((Some("a".to_string()), Some("A".to_string()), None)),
                Some(tokens("a", "AAAA", "1")),
            ]
        );
    }

    #[tokio::test]
    async fn an_empty_starting_token_starts_from_the_first_page() {
        let (stream, asked) = pages(vec![(vec![1], None)]);
        let stream = stream.starting_at(Some(String::new()));
        assert_eq!(stream.collect().await.unwrap().len(), 1);
        assert_eq!(*asked.lock().unwrap(), [None]);
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
            |page: &TestPage| page.1.map(str::to_string),
        );
        let items = ItemStream::new(stream, |page| page.0)
            .collect()
            .await
            .unwrap();
        assert_eq!(items, [2, 1, 0]);
    }
}
