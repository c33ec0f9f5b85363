//! Authentication with session credentials that the service itself gives
//! out for the resource a call is for: S3 Express One Zone's directory
//! buckets, whose endpoint names the `sigv4-s3express` scheme. The client
//! asks the service for a session (`CreateSession`) with its own
//! credentials, keeps it per endpoint while it lives, and signs the call
//! with it as SigV4 does, the token in the scheme's own header.
//!
//! What a service's scheme needs is here, as [`SessionAuth`]; the cache and
//! the call that fills it are the orchestrator's, the same for every
//! service.

use crate::credentials::Credentials;
use crate::endpoint_rules::EndpointParam;
use crate::error::ErrorMetadata;
use crate::http::{HttpRequest, HttpResponse};
use std::fmt;
use std::time::Duration;

/// A scheme's sessions, as a service's hooks give them: what to ask for,
/// and the client's code that asks and keeps them. That code is reached
/// through this value only, so a program whose services name no such
/// scheme does not carry it.
#[derive(Clone, Copy)]
pub struct SessionScheme {
    pub(crate) auth: &'static dyn SessionAuth,
    pub(crate) fetch: crate::client::SessionFetch,
}

impl SessionScheme {
    pub fn new(auth: &'static dyn SessionAuth) -> Self {
        SessionScheme {
            auth,
            fetch: crate::client::fetch_session,
        }
    }
}

impl fmt::Debug for SessionScheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SessionScheme")
            .field("operation", &self.auth.operation())
            .finish()
    }
}

/// A scheme whose credentials come from a call to the service.
pub trait SessionAuth: fmt::Debug + Send + Sync {
    /// The operation that gives them out (`CreateSession`), as errors and
    /// logs name it.
    fn operation(&self) -> &'static str;

    /// Its request, sent to the endpoint of the call it is for.
    fn request(&self) -> HttpRequest;

    /// Its endpoint parameters, made from those of the call it is for: the
    /// session's own request is signed with the client's credentials.
    fn endpoint_params(&self, params: &mut Vec<(&'static str, EndpointParam)>);

    /// The credentials in its successful answer, or what is wrong with it.
    fn read(&self, response: &HttpResponse) -> Result<Credentials, String>;

    /// The code and message of its error answer.
    fn read_error(&self, response: &HttpResponse) -> ErrorMetadata;

    /// The header that carries the session token in a signed request,
    /// instead of `x-amz-security-token`.
    fn token_header(&self) -> &'static str;

    /// The query parameter that carries it in a presigned URL.
    fn token_query(&self) -> &'static str;

    /// How long before its expiry a session is refreshed while it is still
    /// used (a failure keeps it), and from when every call waits for a new
    /// one.
    fn refresh_windows(&self) -> (Duration, Duration);
}
