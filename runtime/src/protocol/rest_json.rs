//! The `rest-json` protocol's framing: JSON bodies beside the REST
//! bindings, and error responses whose code is in `X-Amzn-ErrorType` or the
//! body's `code`.

use super::json_error;
use crate::error::{SdkError, WireError};
use crate::http::HttpResponse;

/// The media type of JSON bodies.
pub const CONTENT_TYPE: &str = "application/json";

/// An error response with its JSON body (empty unless it is an object).
pub type ErrorResponse<'a> = super::ErrorResponse<'a, &'a [u8]>;

/// Where a rest-json error's code may sit in the body, in botocore's order
/// (after the `X-Amzn-ErrorType` header).
const CODE_KEYS: &[&str] = &["code", "Code", "__type"];

/// Turns a response into the operation's output or its typed error, reading
/// the body once; `error` types an error response, `output` reads a success
/// (headers, status, body).
pub fn deserialize<O, E>(
    operation: &'static str,
    response: HttpResponse,
    error: fn(ErrorResponse<'_>) -> E,
    output: fn(&mut HttpResponse) -> Result<O, WireError>,
) -> Result<O, SdkError<E>> {
    super::deserialize(operation, response, |r| error(read_error(r)), output)
}

/// Reads an error response as botocore's rest-json parser does.
pub fn read_error(response: &HttpResponse) -> ErrorResponse<'_> {
    json_error::read(response, CODE_KEYS)
}
