//! Amazon S3's rules that its model does not state, as botocore and the
//! other SDKs apply them.

use super::s3_express::{S3Express, SCHEME as S3_EXPRESS};
use super::session::SessionScheme;
use super::{CallInfo, ServiceHooks};
use crate::endpoint_rules::AuthScheme;
use crate::error::DispatchError;
use crate::http::{HttpRequest, HttpResponse};
use crate::sigv4::SigningSettings;
use crate::xml::Document;

/// S3's hooks.
#[derive(Debug, Clone, Copy, Default)]
pub struct S3;

/// S3 Control's hooks: S3's signing (its model's `signatureVersion` is
/// `s3v4`, for which botocore signs as for S3), without S3's `200` errors,
/// which botocore looks for in S3's answers only.
#[derive(Debug, Clone, Copy, Default)]
pub struct S3Control;

impl ServiceHooks for S3Control {
    fn before_signing(
        &self,
        _call: &CallInfo<'_>,
        _request: &mut HttpRequest,
        signing: &mut SigningSettings,
    ) {
        s3v4(signing);
    }
}

/// How `s3v4` signs (botocore's `S3SigV4Auth`).
fn s3v4(signing: &mut SigningSettings) {
    signing.double_uri_encode = false;
    signing.normalize_path = false;
    signing.sign_body_header = true;
    signing.presign_unsigned_payload = true;
    signing.unsigned_payload_with_checksum = true;
}

impl ServiceHooks for S3 {
    /// S3 signs the path as it is sent: encoded once, `.` and `//` kept (a
    /// key may hold them), and every request says its payload hash in
    /// `x-amz-content-sha256`, which S3 requires. A presigned request signs
    /// `UNSIGNED-PAYLOAD`: its URL is made before the body is known; so
    /// does a body sent over TLS with a checksum header.
    fn before_signing(
        &self,
        _call: &CallInfo<'_>,
        _request: &mut HttpRequest,
        signing: &mut SigningSettings,
    ) {
        s3v4(signing);
    }

    /// A `200` whose body is an `<Error>` is an error: S3 answers so when
    /// a copy or a multipart completion fails after it started answering.
    /// It becomes the `500` it means, read and retried as one (botocore's
    /// `_handle_200_error`). A streamed body is not looked at: it cannot be
    /// told from an object that holds such XML.
    fn check_response(
        &self,
        call: &CallInfo<'_>,
        response: &mut HttpResponse,
    ) -> Result<(), DispatchError> {
        if response.status == 200 && !call.streaming_response && is_error_document(&response.body) {
            tracing::debug!(
                operation = call.operation,
                "a 200 response holds an error; read as a 500"
            );
            response.status = 500;
        }
        Ok(())
    }

    /// A directory bucket's endpoint: S3 Express One Zone's sessions.
    fn session_auth(&self, scheme: &AuthScheme) -> Option<SessionScheme> {
        (scheme.name == S3_EXPRESS).then(|| SessionScheme::new(&S3Express))
    }
}

/// Whether a body is an XML document whose root is `<Error>`. Cheap for
/// the common case: a body that does not start like one is not parsed.
fn is_error_document(body: &[u8]) -> bool {
    let text = body.trim_ascii_start();
    let looks_like_xml = text.starts_with(b"<");
    if !looks_like_xml || !body.windows(6).any(|w| w == b"<Error") {
        return false;
    }
    Document::parse(body).is_ok_and(|d| d.root().name() == "Error")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(status: u16, body: &str, streaming: bool) -> u16 {
        let mut response = HttpResponse::new(status, Vec::new(), body.to_string());
        let call = CallInfo {
            operation: "CopyObject",
            streaming_response: streaming,
        };
        S3.check_response(&call, &mut response).unwrap();
        response.status
    }

    #[test]
    fn a_200_holding_an_error_is_a_500() {
        let error = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>InternalError</Code><Message>We encountered an internal error. Please try again.</Message></Error>";
        assert_eq!(check(200, error, false), 500);
        // Not for a streamed body, another status, or another document.
        assert_eq!(check(200, error, true), 200);
        assert_eq!(check(404, error, false), 404);
        let copied = "<CopyObjectResult><ETag>\"e\"</ETag></CopyObjectResult>";
        assert_eq!(check(200, copied, false), 200);
        assert_eq!(check(200, "", false), 200);
        assert_eq!(check(200, "<Error", false), 200);
        // A result that merely holds an `Error` element is a result.
        let batch =
            "<DeleteResult><Error><Key>k</Key><Code>AccessDenied</Code></Error></DeleteResult>";
        assert_eq!(check(200, batch, false), 200);
    }

    #[test]
    fn s3_signs_its_path_as_sent() {
        let mut settings = SigningSettings::default();
        let mut request = crate::protocol::rest::RequestBuilder::new("GET").finish();
        let call = CallInfo {
            operation: "GetObject",
            streaming_response: true,
        };
        S3.before_signing(&call, &mut request, &mut settings);
        assert!(!settings.double_uri_encode && !settings.normalize_path);
        assert!(settings.sign_body_header && settings.unsigned_payload_with_checksum);
        let mut control = SigningSettings::default();
        S3Control.before_signing(&call, &mut request, &mut control);
        assert_eq!(control, settings);
        // S3 Control's answers are not looked at.
        let error = "<Error><Code>InternalError</Code></Error>";
        let mut response = HttpResponse::new(200, Vec::new(), error.to_string());
        S3Control.check_response(&call, &mut response).unwrap();
        assert_eq!(response.status, 200);
    }
}
