//! Input event streams: [`EventSender`], the events a caller hands to an
//! operation's builder as any `futures_core::Stream`, and the request body
//! that frames each of them, signs it in the chain the request's own
//! signature starts (`AWS4-HMAC-SHA256-PAYLOAD`), and ends the stream with
//! a signed empty frame.

use super::{encode, Message, MessageSigner};
use crate::body::BoxError;
use bytes::Bytes;
use futures_core::Stream;
use http_body::{Body, Frame};
use std::collections::VecDeque;
use std::fmt;
use std::pin::Pin;
use std::sync::Mutex;
use std::task::{Context, Poll};
use std::time::SystemTime;

type BoxStream<T> = Pin<Box<dyn Stream<Item = Result<T, BoxError>> + Send>>;

/// The events a caller sends on an input event stream, in order: any
/// `futures_core::Stream` of the stream's union (a channel's receiver, an
/// async generator), or a list. The stream ends the events; an error from
/// it ends the request.
///
/// A request body can be sent once: a call whose events were sent is not
/// retried.
pub struct EventSender<T> {
    /// Taken by the one request that sends it, through `&self` (a
    /// serializer sees the input by reference).
    events: Mutex<Option<BoxStream<T>>>,
}

impl<T: Send + 'static> EventSender<T> {
    /// The events of `stream`.
    pub fn new<S, E>(stream: S) -> Self
    where
        S: Stream<Item = Result<T, E>> + Send + 'static,
        E: Into<BoxError>,
    {
        EventSender {
            events: Mutex::new(Some(Box::pin(MapErr(Box::pin(stream))))),
        }
    }

    /// These events, then the end.
    pub fn from_events(events: impl IntoIterator<Item = T>) -> Self {
        let queue: VecDeque<T> = events.into_iter().collect();
        EventSender {
            events: Mutex::new(Some(Box::pin(Listed(queue)))),
        }
    }

    /// The events as messages framed by `frame` (the generated writer of
    /// the stream's union), for the request; `None` once taken.
    pub fn take_framed(&self, frame: fn(&T) -> Result<Message, BoxError>) -> Option<MessageStream> {
        let events = self
            .events
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()?;
        Some(MessageStream {
            messages: Box::pin(Framed { events, frame }),
            sdk_body: signed_body,
        })
    }
}

impl<T> Default for EventSender<T> {
    /// No events: the stream ends at once.
    fn default() -> Self {
        EventSender {
            events: Mutex::new(None),
        }
    }
}

/// Whether it is still to be sent; never the events, users' data.
impl<T> fmt::Debug for EventSender<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pending = self.events.lock().map(|e| e.is_some()).unwrap_or(false);
        f.debug_struct("EventSender")
            .field("sent", &!pending)
            .finish()
    }
}

/// An input stream's messages, unsigned, before the request is signed.
pub struct MessageStream {
    messages: BoxStream<Message>,
    /// Makes the request body. A pointer that only an operation sending
    /// events sets (through [`EventSender::take_framed`]), so that a program
    /// whose operations send none links no framing or signing of events:
    /// the orchestrator reaches them through it alone.
    sdk_body: fn(MessageStream, Option<MessageSigner>, Now) -> crate::body::SdkBody,
}

/// The signing time of each event.
type Now = Box<dyn Fn() -> SystemTime + Send + Sync>;

/// [`MessageStream::into_body`] as the request's body.
fn signed_body(
    messages: MessageStream,
    signer: Option<MessageSigner>,
    now: Now,
) -> crate::body::SdkBody {
    crate::body::SdkBody::from_body(messages.into_body(signer, now))
}

impl fmt::Debug for MessageStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MessageStream")
    }
}

impl MessageStream {
    /// The request body: each message framed, signed by `signer` when the
    /// request is signed, at the time `now` gives, then the end frame.
    pub fn into_body(self, signer: Option<MessageSigner>, now: Now) -> SignedEvents {
        SignedEvents {
            messages: Mutex::new(self.messages),
            signer,
            now,
            ended: false,
        }
    }
}

impl MessageStream {
    /// [`into_body`](Self::into_body), as the body the transport sends.
    pub fn into_sdk_body(self, signer: Option<MessageSigner>, now: Now) -> crate::body::SdkBody {
        (self.sdk_body)(self, signer, now)
    }
}

/// The body of a request with an input event stream.
pub struct SignedEvents {
    /// A `Mutex` so that the body is `Sync` as bodies must be; reached
    /// through `&mut`, never locked.
    messages: Mutex<BoxStream<Message>>,
    signer: Option<MessageSigner>,
    now: Now,
    ended: bool,
}

impl fmt::Debug for SignedEvents {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignedEvents")
            .field("signed", &self.signer.is_some())
            .field("ended", &self.ended)
            .finish()
    }
}

impl SignedEvents {
    fn frame(&mut self, message: Option<&Message>) -> Result<Bytes, BoxError> {
        let now = (self.now)();
        let outer = match (message, self.signer.as_mut()) {
            (Some(message), Some(signer)) => signer.sign(message, now)?,
            (None, Some(_)) => match self.signer.take() {
                Some(signer) => signer.sign_empty(now)?,
                None => return Ok(Bytes::new()),
            },
            (Some(message), None) => return Ok(encode(message)?),
            // Unsigned: the stream just ends.
            (None, None) => return Ok(Bytes::new()),
        };
        Ok(encode(&outer)?)
    }
}

impl Body for SignedEvents {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let this = self.get_mut();
        if this.ended {
            return Poll::Ready(None);
        }
        let messages = this.messages.get_mut().unwrap_or_else(|e| e.into_inner());
        match messages.as_mut().poll_next(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Some(Ok(message))) => {
                let framed = this.frame(Some(&message));
                if let Err(e) = &framed {
                    this.ended = true;
                    tracing::warn!(error = %e, "an input event cannot be sent; the request is abandoned");
                }
                Poll::Ready(Some(framed.map(Frame::data)))
            }
            Poll::Ready(Some(Err(e))) => {
                this.ended = true;
                // The transport ends the request on a body error without
                // passing the reason on: say it here.
                tracing::warn!(error = %e, "the input event stream failed; the request is abandoned");
                Poll::Ready(Some(Err(e)))
            }
            Poll::Ready(None) => {
                this.ended = true;
                match this.frame(None) {
                    Ok(bytes) if bytes.is_empty() => Poll::Ready(None),
                    other => Poll::Ready(Some(other.map(Frame::data))),
                }
            }
        }
    }
}

/// A caller's stream, pinned in a box, with its errors boxed.
struct MapErr<S>(Pin<Box<S>>);

impl<S, T, E> Stream for MapErr<S>
where
    S: Stream<Item = Result<T, E>>,
    E: Into<BoxError>,
{
    type Item = Result<T, BoxError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let inner = self.get_mut().0.as_mut();
        inner
            .poll_next(cx)
            .map(|item| item.map(|r| r.map_err(Into::into)))
    }
}

/// Events given as a list.
struct Listed<T>(VecDeque<T>);

impl<T> Unpin for Listed<T> {}

impl<T> Stream for Listed<T> {
    type Item = Result<T, BoxError>;

    fn poll_next(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Poll::Ready(self.get_mut().0.pop_front().map(Ok))
    }
}

/// Events written as messages.
struct Framed<T> {
    events: BoxStream<T>,
    frame: fn(&T) -> Result<Message, BoxError>,
}

impl<T> Stream for Framed<T> {
    type Item = Result<Message, BoxError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        this.events
            .as_mut()
            .poll_next(cx)
            .map(|item| item.map(|event| event.and_then(|e| (this.frame)(&e))))
    }
}
