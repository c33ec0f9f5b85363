//! Flexible checksums: the model's `httpChecksum` trait, as botocore
//! applies it (`botocore/httpchecksum.py`).
//!
//! A model trait, not a service's quirk: the orchestrator applies it to
//! any operation whose generated code states one, as it applies
//! `requestcompression`. S3 and S3 Control are the services that have it
//! today.
//!
//! - **Requests.** The caller's algorithm (the input's
//!   `ChecksumAlgorithm`, sent as `x-amz-sdk-checksum-algorithm`), else
//!   CRC32 when the operation requires a checksum or, under
//!   [`ChecksumPolicy::WhenSupported`] (the default), when it offers one.
//!   A streamed body over TLS carries the checksum in an aws-chunked
//!   trailer, computed as the body is sent; any other body carries it in a
//!   header, computed before sending. A checksum header the caller set
//!   themselves wins.
//! - **Responses.** When the call asks for validation (the input's
//!   `ChecksumMode`, set to `ENABLED` under `WhenSupported`), the body is
//!   checked against the first checksum header the response carries, in
//!   botocore's order of preference. A mismatch fails the call (a body
//!   read whole) or the stream's last read (a streamed body): a damaged
//!   body is never handed on as if it were whole.

#[cfg(feature = "checksums")]
mod algorithm;
#[cfg(feature = "checksums")]
mod aws_chunked;
mod call;
#[cfg(feature = "checksums")]
mod request;
#[cfg(feature = "checksums")]
mod response;

#[cfg(feature = "checksums")]
pub use algorithm::{ChecksumAlgorithm, Checksummer};
#[cfg(feature = "checksums")]
pub use aws_chunked::{encoded_length, AwsChunkedBody, CHUNK_SIZE};
pub(crate) use call::CallChecksums;
#[cfg(feature = "checksums")]
pub(crate) use request::{plan, Location, RequestChecksum};
#[cfg(feature = "checksums")]
pub use response::ChecksumMismatch;
#[cfg(feature = "checksums")]
pub(crate) use response::{check_body, expected, ValidatingBody};

use std::fmt;
use std::str::FromStr;

/// An operation's `httpChecksum` trait, as its generated code states it.
/// The members it names are headers (in every model botocore has), so the
/// orchestrator reads and sets them on the serialized request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct HttpChecksum {
    /// A request checksum is required (`requestChecksumRequired`).
    pub request_required: bool,
    /// The header of the `requestAlgorithmMember` (S3's
    /// `x-amz-sdk-checksum-algorithm`), if the operation has one.
    pub algorithm_header: Option<&'static str>,
    /// The header of the `requestValidationModeMember` (S3's
    /// `x-amz-checksum-mode`), if the response may be validated.
    pub validation_mode_header: Option<&'static str>,
    /// The algorithms the response may carry (`responseAlgorithms`), as
    /// the model names them.
    pub response_algorithms: &'static [&'static str],
}

impl HttpChecksum {
    /// The trait of an operation with neither request nor response
    /// checksums; generated code fills in what its model has.
    pub const fn new() -> Self {
        HttpChecksum {
            request_required: false,
            algorithm_header: None,
            validation_mode_header: None,
            response_algorithms: &[],
        }
    }

    pub const fn request_required(mut self, required: bool) -> Self {
        self.request_required = required;
        self
    }

    pub const fn algorithm_header(mut self, header: &'static str) -> Self {
        self.algorithm_header = Some(header);
        self
    }

    pub const fn validation_mode_header(mut self, header: &'static str) -> Self {
        self.validation_mode_header = Some(header);
        self
    }

    pub const fn response_algorithms(mut self, algorithms: &'static [&'static str]) -> Self {
        self.response_algorithms = algorithms;
        self
    }
}

impl Default for HttpChecksum {
    fn default() -> Self {
        Self::new()
    }
}

/// When checksums are computed for requests, or checked in responses:
/// `request_checksum_calculation` and `response_checksum_validation` in
/// the SDKs' configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum ChecksumPolicy {
    /// Wherever the operation supports one (the default, as in the SDKs).
    #[default]
    WhenSupported,
    /// Only where the operation requires one (for stores that refuse the
    /// checksum headers, such as some S3-compatible ones).
    WhenRequired,
}

impl FromStr for ChecksumPolicy {
    type Err = String;

    /// `when_supported` or `when_required`, in any case.
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "when_supported" => Ok(ChecksumPolicy::WhenSupported),
            "when_required" => Ok(ChecksumPolicy::WhenRequired),
            _ => Err(format!(
                "must be when_supported or when_required, not {s:?}"
            )),
        }
    }
}

impl fmt::Display for ChecksumPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ChecksumPolicy::WhenSupported => "when_supported",
            ChecksumPolicy::WhenRequired => "when_required",
        })
    }
}
