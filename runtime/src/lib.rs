//! The hand-written half of every generated client.
//!
//! Generated crates stay thin and declarative: they describe shapes and
//! bindings and call into this crate for everything that does not depend on
//! the model (label encoding, JSON reading and writing, error-code
//! extraction, timestamp parsing, redaction). Each piece is written once
//! here and tested here.

// docs.rs (`--cfg docsrs`, nightly) shows the feature each item needs.
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod blob;
pub mod blocking;
pub mod body;
pub mod checksum;
pub mod client;
pub mod clock;
pub mod compression;
pub mod config;
pub mod credentials;
pub mod datetime;
pub mod document;
pub mod endpoint;
pub mod endpoint_rules;
pub mod enums;
pub mod env;
pub mod error;
pub mod event_stream;
pub mod hooks;
pub mod http;
pub mod json;
pub mod operation;
pub mod paginator;
pub mod presign;
pub mod protocol;
pub mod redact;
pub mod retry;
#[cfg(feature = "serde")]
pub mod serde_support;
pub mod sigv2;
pub mod sigv4;
#[cfg(feature = "test-util")]
pub mod test_util;
pub mod timestamp;
pub mod transport;
pub mod uri;
pub mod validate;
pub mod waiter;
pub mod xml;

pub use blob::Blob;
pub use body::ByteStream;
pub use client::{Handle, ServiceInfo};
pub use config::{Config, ConfigBuilder, ConfigError, TimeoutConfig};
pub use credentials::Credentials;
pub use datetime::DateTime;
pub use document::Document;
pub use error::{BuildError, ErrorMetadata, RawResponse, ResponseError, SdkError};
pub use event_stream::EventReceiver;
pub use http::{HttpRequest, HttpResponse};
pub use operation::Operation;
pub use presign::{PresignedRequest, PresigningConfig};
pub use retry::RetryConfig;
pub use transport::{Http2Policy, HttpClient};

/// What generated code imports; not part of the public API.
#[doc(hidden)]
#[cfg(feature = "serde")]
pub mod codegen {
    pub use serde;
}
