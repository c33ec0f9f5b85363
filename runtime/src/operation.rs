//! What a generated operation provides to the code that sends it.

use crate::error::{BuildError, SdkError};
use crate::http::{HttpRequest, HttpResponse};

/// One operation of a service: its types and its HTTP binding, as pure
/// functions. Signing, sending and retrying are generic over this trait and
/// live in the runtime, never in generated code.
pub trait Operation {
    /// The model's operation name, such as `GetProxySession`.
    const NAME: &'static str;
    type Input;
    type Output;
    /// The operation's error enum.
    type Error;

    /// The request for `input`, or why it cannot be made.
    fn serialize(input: &Self::Input) -> Result<HttpRequest, BuildError>;

    /// The output or error a response means.
    fn deserialize(response: &HttpResponse) -> Result<Self::Output, SdkError<Self::Error>>;
}
