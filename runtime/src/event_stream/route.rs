//! What a message is, from the headers every AWS protocol sets on it: the
//! part of reading an event stream that no protocol or model changes.

use super::error::RouteError;
use super::{HeaderValue, Message};

pub(super) const MESSAGE_TYPE: &str = ":message-type";
pub(super) const EVENT_TYPE: &str = ":event-type";
pub(super) const EXCEPTION_TYPE: &str = ":exception-type";
pub(super) const CONTENT_TYPE: &str = ":content-type";
pub(super) const ERROR_CODE: &str = ":error-code";
pub(super) const ERROR_MESSAGE: &str = ":error-message";

/// A message by kind, borrowed from it; generated code matches on it and
/// reads the payload of the member it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Routed<'a> {
    /// `:message-type` `event`: the member of the stream's union that
    /// `:event-type` names (in the RPC protocols, `initial-response` first:
    /// the output's other members).
    Event {
        event_type: &'a str,
        content_type: Option<&'a str>,
    },
    /// `exception`: the modeled error that `:exception-type` names, which
    /// the operation's error type has a variant for.
    Exception {
        exception_type: &'a str,
        content_type: Option<&'a str>,
    },
    /// `error`: an error the model does not name, with its code and (the
    /// specification requires it, but its absence loses nothing) message.
    Error {
        code: &'a str,
        message: Option<&'a str>,
    },
}

impl Message {
    /// What the message is. A message without `:message-type`, of another
    /// type, or without the header its type needs, is an error.
    pub fn route(&self) -> Result<Routed<'_>, RouteError> {
        let message_type = string(self, MESSAGE_TYPE)?.ok_or(RouteError::MissingHeader {
            header: MESSAGE_TYPE,
            message_type: None,
        })?;
        let required = |header| {
            string(self, header)?.ok_or_else(|| RouteError::MissingHeader {
                header,
                message_type: Some(message_type.to_string()),
            })
        };
        match message_type {
            "event" => Ok(Routed::Event {
                event_type: required(EVENT_TYPE)?,
                content_type: string(self, CONTENT_TYPE)?,
            }),
            "exception" => Ok(Routed::Exception {
                exception_type: required(EXCEPTION_TYPE)?,
                content_type: string(self, CONTENT_TYPE)?,
            }),
            "error" => Ok(Routed::Error {
                code: required(ERROR_CODE)?,
                message: string(self, ERROR_MESSAGE)?,
            }),
            other => Err(RouteError::UnknownMessageType {
                message_type: other.to_string(),
            }),
        }
    }
}

/// A header that must be a string when present.
fn string<'a>(message: &'a Message, header: &'static str) -> Result<Option<&'a str>, RouteError> {
    match message.get(header) {
        None => Ok(None),
        Some(HeaderValue::String(text)) => Ok(Some(text.as_str())),
        Some(other) => Err(RouteError::NotAString {
            header,
            found: other.type_name(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_exceptions_and_errors_route_by_their_headers() {
        let event = Message::new("{}")
            .header(":message-type", "event")
            .header(":event-type", "contentBlockDelta")
            .header(":content-type", "application/json");
        assert_eq!(
            event.route(),
            Ok(Routed::Event {
                event_type: "contentBlockDelta",
                content_type: Some("application/json"),
            })
        );
        let bare_event = Message::new("")
            .header(":message-type", "event")
            .header(":event-type", "initial-response");
        assert_eq!(
            bare_event.route(),
            Ok(Routed::Event {
                event_type: "initial-response",
                content_type: None,
            })
        );
        let exception = Message::new("{}")
            .header(":message-type", "exception")
            .header(":exception-type", "throttlingException")
            .header(":content-type", "application/json");
        assert_eq!(
            exception.route(),
            Ok(Routed::Exception {
                exception_type: "throttlingException",
                content_type: Some("application/json"),
            })
        );
        let error = Message::new("")
            .header(":message-type", "error")
            .header(":error-code", "InternalError")
            .header(":error-message", "An internal error occurred.");
        assert_eq!(
            error.route(),
            Ok(Routed::Error {
                code: "InternalError",
                message: Some("An internal error occurred."),
            })
        );
        let terse_error = Message::new("")
            .header(":message-type", "error")
            .header(":error-code", "InternalError");
        assert_eq!(
            terse_error.route(),
            Ok(Routed::Error {
                code: "InternalError",
                message: None,
            })
        );
    }

    #[test]
    fn a_message_that_cannot_be_routed_says_why() {
        let cases = [
            (
                Message::new("x"),
                "event stream: a message has no :message-type header",
            ),
            (
                Message::new("").header(":message-type", "event"),
                "event stream: a message of type \"event\" has no :event-type header",
            ),
            (
                Message::new("").header(":message-type", "exception"),
                "event stream: a message of type \"exception\" has no :exception-type header",
            ),
            (
                Message::new("")
                    .header(":message-type", "error")
                    .header(":error-message", "no code"),
                "event stream: a message of type \"error\" has no :error-code header",
            ),
            (
                Message::new("").header(":message-type", "ping"),
                "event stream: unknown message type \"ping\" (expected event, exception or error)",
            ),
            (
                Message::new("").header(":message-type", 7i32),
                "event stream: the :message-type header is of type integer, not string",
            ),
            (
                Message::new("")
                    .header(":message-type", "event")
                    .header(":event-type", "a")
                    .header(":content-type", true),
                "event stream: the :content-type header is of type boolean, not string",
            ),
        ];
        for (message, expected) in cases {
            let error = message.route().unwrap_err();
            assert_eq!(error.to_string(), expected, "{message:?}");
        }
    }
}
