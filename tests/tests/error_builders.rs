//! Error shapes built in tests stand for what the service sends: unset
//! metadata is the shape's code, its modeled status and its message member.

use chime_sdk_voice::error::{ErrorMetadata, ProvideErrorMetadata, RawResponse, SdkError};
use chime_sdk_voice::operation::get_proxy_session::GetProxySessionError;
use chime_sdk_voice::types::error::NotFoundException;
use fixture_errors::types::error::{ConflictException, InternalFailure};
use fixture_errors::types::ConflictReason;

#[test]
fn unset_metadata_is_what_the_service_would_send() {
    let err = NotFoundException::builder().build();
    assert_eq!(err.code(), Some("NotFoundException"));
    assert_eq!(err.status(), 404);
    assert_eq!(err.message(), None);
    assert_eq!(err.request_id(), None);
    assert_eq!(InternalFailure::builder().build().status(), 500);
}

#[test]
fn members_and_metadata_are_kept() {
    let err = ConflictException::builder()
        .message("taken")
        .reason(ConflictReason::from("AlreadyExists"))
        .meta(ErrorMetadata::builder().request_id("req-1").build())
        .build();
    assert_eq!(err.message(), Some("taken"));
    assert_eq!(ProvideErrorMetadata::message(&err), Some("taken"));
    assert_eq!(err.reason().map(|r| r.as_str()), Some("AlreadyExists"));
    assert_eq!(err.code(), Some("ConflictException"));
    assert_eq!(err.status(), 409);
    assert_eq!(err.request_id(), Some("req-1"));
    assert_eq!(
        err.to_string(),
        "ConflictException: taken (HTTP 409, request id req-1)"
    );
}

#[test]
fn a_set_code_status_or_response_wins() {
    let raw = RawResponse::new(410, vec![("x-amzn-requestid".into(), "r".into())], "{}");
    let err = NotFoundException::builder()
        .meta(
            ErrorMetadata::builder()
                .code("Renamed")
                .message("gone")
                .raw_response(raw.clone())
                .build(),
        )
        .build();
    assert_eq!(err.code(), Some("Renamed"));
    assert_eq!(err.status(), 410);
    assert_eq!(err.meta().raw_response(), Some(&raw));
    // As an operation's error, within the error a call returns.
    let call: SdkError<GetProxySessionError> = SdkError::Service {
        operation: "GetProxySession",
        source: GetProxySessionError::NotFoundException(err),
    };
    assert!(call
        .as_service_error()
        .is_some_and(GetProxySessionError::is_not_found_exception));
    assert_eq!(call.raw_response().map(RawResponse::status), Some(410));
}
