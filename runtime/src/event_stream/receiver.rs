//! [`EventReceiver`]: an operation's output event stream, read message by
//! message as the body arrives and turned into the operation's typed
//! events and errors by the functions its generated code gives
//! ([`EventReaders`]).

use super::read_ahead::ReadAhead;
use super::{DecodeError, Decoder, Message, Routed};
use crate::body::{ByteStream, ByteStreamError};
use crate::error::{
    DispatchError, DispatchErrorKind, ErrorMetadata, ResponseError, SdkError, TimeoutError,
    TimeoutKind, WireError,
};
use crate::http::HttpResponse;
use bytes::Bytes;
use futures_core::Stream;
use std::collections::VecDeque;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

/// How one operation's stream is read: generated once per operation, so
/// that the receiver is the same code for every stream.
pub struct EventReaders<T, E> {
    /// The model's operation name, for errors.
    pub operation: &'static str,
    /// The event that an `event` message is, by its `:event-type`: a
    /// variant of the stream's union (`Unknown` for a type the model does
    /// not know), or why its payload does not fit.
    pub event: fn(&str, &Message) -> Result<T, WireError>,
    /// The `:event-type` and `:exception-type` values the model names:
    /// decoded as static strings, they are not checked as UTF-8 again
    /// when each message is routed.
    pub names: &'static [&'static str],
    /// The operation's error that an `exception` message is, by its
    /// `:exception-type`; the message comes as a response whose body is its
    /// payload, for the protocol's error reader.
    pub exception: fn(&str, &HttpResponse) -> E,
    /// The operation's unmodeled error, for an `error` message.
    pub unhandled: fn(ErrorMetadata) -> E,
    /// The stream opens with an `initial-response` event (the RPC
    /// protocols, awsJson), which carries the output's members other than
    /// the stream, and is not one of its events. The generator refuses an
    /// output that has such members, so the event is passed over.
    pub initial_response: bool,
}

// Function pointers, whatever `T` and `E` are.
impl<T, E> Clone for EventReaders<T, E> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T, E> Copy for EventReaders<T, E> {}

/// The events of a response, as they arrive: `recv().await` gives the next
/// one, `Ok(None)` at the end, or the error that ended the stream. It is
/// also a `futures_core::Stream` of `Result<T, SdkError<E>>`.
///
/// After an error the stream is over: a modeled exception or an `error`
/// message is the service's last word, and bytes after a damaged frame
/// cannot be trusted. Dropping the receiver closes the connection.
///
/// Nothing is buffered whole: at most 64 KiB of the body is read ahead of
/// the receiver (by a task on the runtime, so that a burst of events costs
/// the receiver one wake-up, not one each), and one message is gathered.
/// The response body cap does not apply, and the read timeout
/// (`TimeoutConfig::with_read`) bounds each wait for the next bytes.
pub struct EventReceiver<T, E> {
    source: Source<T, E>,
}

enum Source<T, E> {
    Wire(Box<Wire<T, E>>),
    /// Events given by hand: a test double's answer.
    Given(VecDeque<Result<T, E>>),
    Ended,
}

struct Wire<T, E> {
    body: Body,
    decoder: Decoder,
    readers: EventReaders<T, E>,
    status: u16,
    request_id: Option<String>,
    /// Whether a first message may still be the `initial-response`.
    at_start: bool,
    /// A first message that was not the `initial-response`, kept for
    /// `recv`.
    peeked: Option<Message>,
}

/// The response body: read ahead by a task of the runtime, or, outside a
/// runtime, directly.
enum Body {
    Ahead(ReadAhead),
    Direct(ByteStream),
}

impl Body {
    fn new(stream: ByteStream) -> Self {
        match ReadAhead::spawn(stream) {
            Ok(ahead) => Body::Ahead(ahead),
            Err(stream) => Body::Direct(stream),
        }
    }

    fn poll_next(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Bytes, ByteStreamError>>> {
        match self {
            Body::Ahead(ahead) => ahead.poll_next(cx),
            Body::Direct(stream) => stream.poll_next(cx),
        }
    }
}

/// The `:event-type` of the RPC protocols' first message.
const INITIAL_RESPONSE: &str = "initial-response";

fn is_initial(message: &Message) -> bool {
    matches!(
        message.route(),
        Ok(Routed::Event {
            event_type: INITIAL_RESPONSE,
            ..
        })
    )
}

impl<T, E> EventReceiver<T, E> {
    /// The stream of a successful response: its body, read by `readers`.
    pub fn from_response(response: &mut HttpResponse, readers: &EventReaders<T, E>) -> Self {
        EventReceiver {
            source: Source::Wire(Box::new(Wire {
                body: Body::new(response.take_stream()),
                decoder: Decoder::new().with_names(readers.names),
                readers: *readers,
                status: response.status,
                request_id: response.request_id().map(str::to_owned),
                at_start: readers.initial_response,
                peeked: None,
            })),
        }
    }

    /// A stream of these events and errors, in order, for test doubles
    /// (`test_util` rules) and tests of code that consumes a stream. It
    /// ends after the first error, as a stream from a service does.
    pub fn from_events(events: impl IntoIterator<Item = Result<T, E>>) -> Self {
        EventReceiver {
            source: Source::Given(events.into_iter().collect()),
        }
    }

    /// The stream's `initial-response` event (awsJson), which carries the
    /// output's members other than the stream: generated code reads them
    /// from it before the call returns. `None` when the first message is
    /// something else (it is kept for [`recv`](Self::recv)), when the
    /// stream ends first, or for a protocol without one.
    pub async fn initial_response(&mut self) -> Result<Option<Message>, SdkError<E>> {
        let Source::Wire(wire) = &mut self.source else {
            return Ok(None);
        };
        if !wire.at_start {
            return Ok(None);
        }
        let first = std::future::poll_fn(|cx| wire.poll_message(cx)).await;
        wire.at_start = false;
        match first {
            Ok(Some(message)) if is_initial(&message) => Ok(Some(message)),
            Ok(Some(message)) => {
                wire.peeked = Some(message);
                Ok(None)
            }
            Ok(None) => Ok(None),
            Err(e) => {
                self.source = Source::Ended;
                Err(e)
            }
        }
    }

    /// The next event; `Ok(None)` once the stream has ended.
    pub async fn recv(&mut self) -> Result<Option<T>, SdkError<E>> {
        std::future::poll_fn(|cx| self.poll_recv(cx)).await
    }

    /// The next event if one has arrived (see [`recv`](Self::recv)).
    pub fn poll_recv(&mut self, cx: &mut Context<'_>) -> Poll<Result<Option<T>, SdkError<E>>> {
        let result = match &mut self.source {
            Source::Ended => return Poll::Ready(Ok(None)),
            Source::Given(events) => match events.pop_front() {
                None => Ok(None),
                Some(Ok(event)) => return Poll::Ready(Ok(Some(event))),
                Some(Err(source)) => Err(SdkError::Service {
                    operation: "event stream",
                    source,
                }),
            },
            Source::Wire(wire) => match wire.poll_event(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Ok(Some(event))) => return Poll::Ready(Ok(Some(event))),
                Poll::Ready(other) => other,
            },
        };
        // The end, or an error that ends the stream: the body is dropped
        // here, which closes the connection.
        self.source = Source::Ended;
        Poll::Ready(result)
    }
}

impl<T, E> Wire<T, E> {
    fn poll_event(&mut self, cx: &mut Context<'_>) -> Poll<Result<Option<T>, SdkError<E>>> {
        loop {
            let message = match self.poll_message(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Ok(Some(message))) => message,
                Poll::Ready(Ok(None)) => return Poll::Ready(Ok(None)),
                Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
            };
            if !self.is_initial_response(&message) {
                return Poll::Ready(self.read(message).map(Some));
            }
        }
    }

    /// The next message as it came, unread: one kept back by
    /// [`EventReceiver::initial_response`] first.
    fn poll_message(&mut self, cx: &mut Context<'_>) -> Poll<Result<Option<Message>, SdkError<E>>> {
        if let Some(message) = self.peeked.take() {
            return Poll::Ready(Ok(Some(message)));
        }
        loop {
            match self.decoder.next_message() {
                Ok(Some(message)) => return Poll::Ready(Ok(Some(message))),
                Ok(None) if self.decoder.is_ended() => return Poll::Ready(Ok(None)),
                Ok(None) => {}
                Err(e) => return Poll::Ready(Err(self.damaged(e))),
            }
            match self.body.poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Ok(chunk))) => self.decoder.push_chunk(chunk),
                // Whether the body ended between messages or inside one,
                // the decoder says on the next turn.
                Poll::Ready(None) => self.decoder.end(),
                Poll::Ready(Some(Err(e))) => {
                    let operation = self.readers.operation;
                    return Poll::Ready(Err(match e.read_timeout_limit() {
                        Some(limit) => SdkError::Timeout {
                            operation,
                            source: TimeoutError::new(TimeoutKind::Read, limit, 1),
                        },
                        None => SdkError::Dispatch {
                            operation,
                            source: DispatchError::new(
                                DispatchErrorKind::Io,
                                "the event stream was cut off",
                                Some(Box::new(e)),
                            ),
                        },
                    }));
                }
            }
        }
    }

    /// Whether `message` is the RPC protocols' opening event; only the
    /// first message can be.
    fn is_initial_response(&mut self, message: &Message) -> bool {
        std::mem::replace(&mut self.at_start, false) && is_initial(message)
    }

    /// One message: the next event, or the error it carries.
    fn read(&self, message: Message) -> Result<T, SdkError<E>> {
        let readers = self.readers;
        let operation = readers.operation;
        let routed = message.route().map_err(|e| self.unreadable(Box::new(e)))?;
        match routed {
            Routed::Event { event_type, .. } => (readers.event)(event_type, &message)
                .map_err(|e| self.unreadable(format!("the `{event_type}` event: {e}").into())),
            Routed::Exception { exception_type, .. } => {
                let response = self.exception_response(&message);
                Err(SdkError::Service {
                    operation,
                    source: (readers.exception)(exception_type, &response),
                })
            }
            Routed::Error { code, message } => {
                let meta = ErrorMetadata::new(
                    Some(code.to_string()),
                    message.map(str::to_owned),
                    self.status,
                    self.request_id.clone(),
                );
                Err(SdkError::Service {
                    operation,
                    source: (readers.unhandled)(meta),
                })
            }
        }
    }

    /// An exception message as the protocol's error readers take an error
    /// response: the stream's status and request id, the payload as body.
    fn exception_response(&self, message: &Message) -> HttpResponse {
        let mut headers = Vec::with_capacity(2);
        if let Some(id) = &self.request_id {
            headers.push(("x-amzn-requestid".to_string(), id.clone()));
        }
        if let Some(super::HeaderValue::String(kind)) = message.get(":content-type") {
            headers.push(("content-type".to_string(), kind.as_str().to_string()));
        }
        HttpResponse::new(self.status, headers, message.payload().clone())
    }

    fn unreadable(&self, cause: Box<dyn std::error::Error + Send + Sync>) -> SdkError<E> {
        SdkError::Response {
            operation: self.readers.operation,
            source: ResponseError::new(self.status, self.request_id.clone(), cause),
        }
    }

    /// Bytes that are not a valid stream: a damaged frame is a checksum
    /// failure, a stream cut inside a message a broken connection, and any
    /// other a response that cannot be read.
    fn damaged(&self, error: DecodeError) -> SdkError<E> {
        let operation = self.readers.operation;
        let kind = match error {
            DecodeError::PreludeChecksum { .. } | DecodeError::MessageChecksum { .. } => {
                DispatchErrorKind::Checksum
            }
            DecodeError::Truncated { .. } => DispatchErrorKind::Io,
            _ => return self.unreadable(Box::new(error)),
        };
        SdkError::Dispatch {
            operation,
            source: DispatchError::new(kind, error.to_string(), None),
        }
    }
}

impl<T, E> Default for EventReceiver<T, E> {
    /// A stream that has ended.
    fn default() -> Self {
        EventReceiver {
            source: Source::Ended,
        }
    }
}

// Nothing is pinned in place: the events wait in a queue or a box.
impl<T, E> Unpin for EventReceiver<T, E> {}

impl<T, E> Stream for EventReceiver<T, E> {
    type Item = Result<T, SdkError<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_recv(cx).map(Result::transpose)
    }
}

/// The state, never the events: they are users' data.
impl<T, E> fmt::Debug for EventReceiver<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match &self.source {
            Source::Wire(wire) => format!("reading ({:?})", wire.decoder),
            Source::Given(events) => format!("{} given", events.len()),
            Source::Ended => "ended".to_string(),
        };
        f.debug_tuple("EventReceiver").field(&state).finish()
    }
}
