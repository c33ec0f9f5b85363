//! What a generated operation provides to the code that sends it: the
//! protocol seam's one interface to the orchestrator.

use crate::credentials::BoxFuture;
use crate::endpoint_rules::EndpointParam;
use crate::error::{BuildError, ErrorMetadata, ProvideErrorMetadata, SdkError};
use crate::http::{HttpRequest, HttpResponse};
use crate::protocol::SerializeContext;

/// One operation of a service: its types and its HTTP binding, as pure
/// functions generated per protocol. Signing, sending and retrying are
/// generic over this trait and live in the runtime, never in generated
/// code. A new protocol is new generated functions behind this trait; the
/// orchestrator does not change.
pub trait Operation {
    /// The model's operation name, such as `GetProxySession`.
    const NAME: &'static str;
    /// How requests are signed.
    const SIGNING: Signing = Signing::SigV4;
    /// A successful response's body is the output's stream, not read here
    /// (and not subject to the body cap).
    const STREAMING_RESPONSE: bool = false;
    /// A body from the configured size up is sent gzipped (the model's
    /// `requestcompression`).
    const REQUEST_COMPRESSION: bool = false;
    /// The output's event stream opens with an `initial-response` event
    /// that carries its other members (awsJson): the call reads them with
    /// [`read_initial_response`](Self::read_initial_response) before it
    /// returns.
    const INITIAL_RESPONSE: bool = false;
    /// The model's `httpChecksum` (or `httpChecksumRequired`) trait: the
    /// request and response checksums the orchestrator applies (see
    /// [`crate::checksum`]; a crate with any turns the runtime's
    /// `checksums` feature on).
    const HTTP_CHECKSUM: Option<crate::checksum::HttpChecksum> = None;
    type Input: Send + Sync + 'static;
    type Output: Send + 'static;
    /// The operation's error enum: the retry policy reads its metadata.
    type Error: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static;

    /// The request for `input`, or why it cannot be made. Called once per
    /// call: every retry sends the same request (same idempotency token).
    fn serialize(
        input: &Self::Input,
        context: &SerializeContext,
    ) -> Result<HttpRequest, BuildError>;

    /// The output or the typed error a response means, read once.
    fn deserialize(response: HttpResponse) -> Result<Self::Output, SdkError<Self::Error>>;

    /// Reads the output's members that its stream's `initial-response`
    /// event carries (see [`INITIAL_RESPONSE`](Self::INITIAL_RESPONSE)).
    fn read_initial_response(
        _output: &mut Self::Output,
    ) -> BoxFuture<'_, Result<(), SdkError<Self::Error>>> {
        Box::pin(async { Ok(()) })
    }

    /// The error for a response whose error the model does not name (the
    /// enum's sealed `Unhandled`), for test doubles that answer with one.
    fn unhandled(meta: ErrorMetadata) -> Self::Error;

    /// The endpoint rule parameters this call sets (the model's
    /// `staticContextParams`, and input members bound with `contextParam`);
    /// with none, the client's endpoint is resolved once and kept.
    fn endpoint_params(_input: &Self::Input) -> Vec<(&'static str, EndpointParam)> {
        Vec::new()
    }
}

/// How an operation's requests are authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signing {
    /// SigV4 over the whole request, body included.
    SigV4,
    /// SigV4 with `UNSIGNED-PAYLOAD` for the body (the model's
    /// `v4-unsigned-body`), for bodies streamed as they are read.
    SigV4UnsignedPayload,
    /// Not signed at all, and no credentials needed (the model's `none`).
    Anonymous,
    /// A bearer token only (`smithy.api#httpBearerAuth`, CodeCatalyst):
    /// without one in the configuration, calls fail before anything is
    /// sent, saying so.
    Bearer,
    /// SigV4, or a bearer token when the configuration has one (the model
    /// lists `smithy.api#httpBearerAuth` beside `aws.auth#sigv4`, as
    /// Bedrock's do): the token wins, as in botocore, and then no
    /// credentials are needed.
    SigV4OrBearer,
    /// Signature Version 2 (the model's `signatureVersion: v2`: SimpleDB,
    /// Import/Export), which those services require: the form body's
    /// parameters signed, the signature sent as one more
    /// ([`crate::sigv2`]).
    SigV2,
}
