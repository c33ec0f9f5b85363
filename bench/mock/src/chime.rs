//! GetProxySession: a full, realistic response; a proxy session id starting
//! with `missing` gets a 404 `NotFoundException`.

use crate::Reply;

const BODY: &str = r#"{"ProxySession":{"VoiceConnectorId":"abcdef1234567890abcdef","ProxySessionId":"321c2b4a-b0cf-4f4c-9b65-0a2a18c7e1c9","Name":"support-line","Status":"InProgress","ExpiryMinutes":60,"Capabilities":["Voice","SMS"],"CreatedTimestamp":"2024-01-02T03:04:05.123Z","UpdatedTimestamp":"2024-01-02T03:14:05.000Z","EndedTimestamp":"2024-01-02T03:44:05.500Z","Participants":[{"PhoneNumber":"+12065550100","ProxyPhoneNumber":"+12065550199"},{"PhoneNumber":"+12065550101","ProxyPhoneNumber":"+12065550198"}],"NumberSelectionBehavior":"PreferSticky","GeoMatchLevel":"AreaCode","GeoMatchParams":{"Country":"US","AreaCode":"206"}}}"#;

/// The answer to `GET /voice-connectors/{id}/proxy-sessions/{id}`.
pub fn answer(path: &str) -> Reply {
    let mut parts = path.trim_start_matches('/').split('/');
    let valid = parts.next() == Some("voice-connectors")
        && parts.next().is_some()
        && parts.next() == Some("proxy-sessions");
    let session = parts.next().unwrap_or("");
    if !valid || session.is_empty() {
        error(400, "BadRequestException", "bad path")
    } else if session.starts_with("missing") {
        error(404, "NotFoundException", "The proxy session was not found.")
    } else {
        hyper::Response::builder()
            .status(200)
            .header("content-type", "application/json")
            .header("x-amzn-requestid", "mock-request-id")
            .body(BODY.as_bytes().into())
            .expect("a valid response")
    }
}

/// An error of the service as rest-json carries it: the code in
/// `x-amzn-errortype`, the message in the body. `code` and `message` are
/// the mock's own words, never a client's.
pub fn error(status: u16, code: &str, message: &str) -> Reply {
    hyper::Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .header("x-amzn-errortype", code)
        .header("x-amzn-requestid", "mock-request-id")
        .body(format!(r#"{{"Message":"{message}"}}"#).into_bytes().into())
        .expect("a valid response")
}
