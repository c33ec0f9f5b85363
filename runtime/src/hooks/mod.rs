//! The customization seam on the runtime's side: what a service needs
//! beyond its model, at three points of every call. A generated crate
//! whose service needs them names its hooks in its [`ServiceInfo`]; the
//! orchestrator calls them for every service the same way and never asks
//! which one it talks to. An operation's own rules on its input and output
//! values are in [`prepare`].
//!
//! [`ServiceInfo`]: crate::ServiceInfo

pub mod prepare;
mod s3;
mod s3_express;
pub mod session;

pub use s3::{S3Control, S3};
pub use s3_express::S3Express;

use crate::endpoint_rules::AuthScheme;
use crate::error::DispatchError;
use crate::http::{HttpRequest, HttpResponse};
use crate::sigv4::SigningSettings;
use std::fmt;

/// What a hook knows of the call it is called for.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct CallInfo<'a> {
    /// The model's operation name (`PutObject`).
    pub operation: &'a str,
    /// A successful response's body is handed on as a stream, unread.
    pub streaming_response: bool,
}

/// A service's hooks. Each is called at one point; the defaults do
/// nothing, so a service implements only those it needs.
pub trait ServiceHooks: fmt::Debug + Send + Sync {
    /// Once per call, before the first signature: the request as the
    /// operation serialized it, and how it is signed (S3 signs its path as
    /// it is and always sends `x-amz-content-sha256`).
    fn before_signing(
        &self,
        _call: &CallInfo<'_>,
        _request: &mut HttpRequest,
        _signing: &mut SigningSettings,
    ) {
    }

    /// Each response read whole, before the operation reads it: the hook
    /// may turn it into the error it is (a `200` that holds one), or refuse
    /// it (a body its checksum says is damaged; such an error is retried
    /// like a broken connection when its kind says so).
    fn check_response(
        &self,
        _call: &CallInfo<'_>,
        _response: &mut HttpResponse,
    ) -> Result<(), DispatchError> {
        Ok(())
    }

    /// An endpoint's scheme that signs with credentials the service gives
    /// out for the resource (S3 Express One Zone's `sigv4-s3express`): how
    /// to ask for them. `None`, the default, leaves a scheme the signer
    /// does not know refused by name.
    fn session_auth(&self, _scheme: &AuthScheme) -> Option<session::SessionScheme> {
        None
    }
}
