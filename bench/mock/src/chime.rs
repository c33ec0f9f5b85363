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
    let response = if !valid || session.is_empty() {
        hyper::Response::builder()
            .status(400)
            .header("x-amzn-errortype", "BadRequestException")
            .body(br#"{"Message":"bad path"}"#.as_slice().into())
    } else if session.starts_with("missing") {
        hyper::Response::builder()
            .status(404)
            .header("content-type", "application/json")
            .header("x-amzn-errortype", "NotFoundException")
            .header("x-amzn-requestid", "mock-request-id")
            .body(br#"{"Message":"The proxy session was not found."}"#.as_slice().into())
    } else {
        hyper::Response::builder()
            .status(200)
            .header("content-type", "application/json")
            .header("x-amzn-requestid", "mock-request-id")
            .body(BODY.as_bytes().into())
    };
    response.expect("a valid response")
}
