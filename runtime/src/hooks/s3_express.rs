//! S3 Express One Zone: a directory bucket's endpoint names the
//! `sigv4-s3express` scheme, and a call is signed with the credentials of
//! a session that `CreateSession` gives out for the bucket (five minutes
//! long), its token in `x-amz-s3session-token`. botocore's
//! `S3ExpressIdentityResolver` and `S3ExpressAuth` do the same.
//!
//! `CreateSession` is written here, not taken from the generated crate:
//! every operation on a directory bucket needs it, and a crate compiled
//! with only the operations a program calls would otherwise lack it. Its
//! request is a `GET ?session` with no member set, and its answer four
//! elements.

use super::session::SessionAuth;
use crate::credentials::Credentials;
use crate::endpoint_rules::EndpointParam;
use crate::error::ErrorMetadata;
use crate::http::{HttpRequest, HttpResponse};
use crate::xml::Document;
use std::time::{Duration, SystemTime};

/// The scheme's name in S3's endpoint rules.
pub(super) const SCHEME: &str = "sigv4-s3express";

/// S3 Express One Zone's sessions.
#[derive(Debug, Clone, Copy, Default)]
pub struct S3Express;

impl SessionAuth for S3Express {
    fn operation(&self) -> &'static str {
        "CreateSession"
    }

    fn request(&self) -> HttpRequest {
        let mut request = crate::protocol::rest::RequestBuilder::new("GET");
        request.query_literal("session");
        request.finish()
    }

    /// The bucket, and what the model's `CreateSession` says
    /// (`staticContextParams`): its own request is signed with SigV4.
    fn endpoint_params(&self, params: &mut Vec<(&'static str, EndpointParam)>) {
        params.retain(|(name, _)| *name == "Bucket");
        params.push(("DisableS3ExpressSessionAuth", EndpointParam::Bool(true)));
    }

    fn read(&self, response: &HttpResponse) -> Result<Credentials, String> {
        let document = Document::parse(&response.body).map_err(|e| e.to_string())?;
        let credentials = document
            .root()
            .child("Credentials")
            .ok_or("the answer has no Credentials element")?;
        let text = |name: &str| {
            credentials
                .child(name)
                .map(|e| e.text().trim().to_string())
                .filter(|t| !t.is_empty())
                .ok_or_else(|| format!("the answer's Credentials have no {name}"))
        };
        let expiration = credentials
            .child("Expiration")
            .ok_or("the answer's Credentials have no Expiration")?;
        let expires_at = crate::xml::timestamp(expiration)
            .ok()
            .and_then(|t| SystemTime::try_from(t).ok())
            .ok_or("the answer's Expiration is not a timestamp")?;
        Ok(Credentials::new(
            text("AccessKeyId")?,
            text("SecretAccessKey")?,
            Some(text("SessionToken")?),
            Some(expires_at),
        ))
    }

    fn read_error(&self, response: &HttpResponse) -> ErrorMetadata {
        let document = Document::parse_non_empty(&response.body).ok().flatten();
        crate::protocol::rest_xml::read_error(response, document.as_ref()).meta
    }

    fn token_header(&self) -> &'static str {
        "x-amz-s3session-token"
    }

    fn token_query(&self) -> &'static str {
        "X-Amz-S3session-Token"
    }

    /// botocore's: 45 seconds advisory, 10 mandatory.
    fn refresh_windows(&self) -> (Duration, Duration) {
        (Duration::from_secs(45), Duration::from_secs(10))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, body: &str) -> HttpResponse {
        HttpResponse::new(status, Vec::new(), body.to_string())
    }

    #[test]
    fn reads_a_session() {
        let body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CreateSessionResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Credentials><SessionToken>TOKEN</SessionToken><SecretAccessKey>SECRET</SecretAccessKey><AccessKeyId>ASIAEXPRESS</AccessKeyId><Expiration>2026-12-05T13:05:00Z</Expiration></Credentials></CreateSessionResult>";
        let credentials = S3Express.read(&response(200, body)).unwrap();
        assert_eq!(credentials.access_key_id(), "ASIAEXPRESS");
        assert_eq!(credentials.secret_access_key(), "SECRET");
        assert_eq!(credentials.session_token(), Some("TOKEN"));
        let expected = SystemTime::UNIX_EPOCH + Duration::from_secs(1_796_475_900);
        assert_eq!(credentials.expires_at(), Some(expected));
    }

    #[test]
    fn refuses_an_answer_without_what_it_needs() {
        let cases = [
            ("", "XML"),
            ("<CreateSessionResult/>", "no Credentials element"),
            (
                "<CreateSessionResult><Credentials><AccessKeyId>A</AccessKeyId><SecretAccessKey>S</SecretAccessKey><Expiration>2026-12-05T13:05:00Z</Expiration></Credentials></CreateSessionResult>",
                "no SessionToken",
            ),
            (
                "<CreateSessionResult><Credentials><AccessKeyId>A</AccessKeyId><SecretAccessKey>S</SecretAccessKey><SessionToken>T</SessionToken></Credentials></CreateSessionResult>",
                "no Expiration",
            ),
            (
                "<CreateSessionResult><Credentials><AccessKeyId>A</AccessKeyId><SecretAccessKey>S</SecretAccessKey><SessionToken>T</SessionToken><Expiration>soon</Expiration></Credentials></CreateSessionResult>",
                "not a timestamp",
            ),
        ];
        for (body, says) in cases {
            let error = S3Express.read(&response(200, body)).unwrap_err();
            assert!(error.contains(says), "{body:?}: {error}");
        }
    }

    #[test]
    fn reads_an_error_as_s3_answers_it() {
        let body = "<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>";
        let meta = S3Express.read_error(&response(403, body));
        assert_eq!(meta.code(), Some("AccessDenied"));
        assert_eq!(meta.message(), Some("Access Denied"));
        // A bodiless answer has its status as its code.
        assert_eq!(S3Express.read_error(&response(404, "")).code(), Some("404"));
    }

    #[test]
    fn asks_for_the_buckets_session_signed_with_sigv4() {
        let request = S3Express.request();
        assert_eq!(
            (request.method, request.path_and_query.as_str()),
            ("GET", "?session")
        );
        let mut params = vec![
            ("Bucket", EndpointParam::String("b--usw2-az1--x-s3".into())),
            ("Key", EndpointParam::String("k".into())),
        ];
        S3Express.endpoint_params(&mut params);
        assert_eq!(
            params,
            [
                ("Bucket", EndpointParam::String("b--usw2-az1--x-s3".into())),
                ("DisableS3ExpressSessionAuth", EndpointParam::Bool(true)),
            ]
        );
    }
}
