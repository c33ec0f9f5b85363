//! Writes SigV4a vectors with the official signer (`aws_sigv4`'s `sigv4a`
//! feature), for the runtime's tests to check ours against:
//! `cargo run -p sigv4a-vectors > ../runtime/tests/data/sigv4a/official-vectors.json`.
//!
//! The official signer derives the key as the specification says and signs
//! with RFC 6979 nonces, as the runtime does: for the same request, key
//! and time, a signature is the same bytes. So each case holds every input
//! (credentials, region set, signing name, time, settings, request) and the
//! outputs to match exactly: the headers it adds or the query parameters,
//! and the signature.

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{
    sign, PayloadChecksumKind, PercentEncodingMode, SessionTokenMode, SignableBody,
    SignableRequest, SignatureLocation, SigningSettings, UriPathNormalizationMode,
};
use aws_sigv4::sign::v4a;
use aws_smithy_runtime_api::client::identity::Identity;
use serde_json::{json, Value};
use std::time::{Duration, UNIX_EPOCH};

const SOURCE: &str = "aws-sigv4 1.6.4 (feature sigv4a): aws_sigv4::http_request::sign with \
    aws_sigv4::sign::v4a::SigningParams. Written by bench/sigv4a-vectors.";

const ACCESS_KEY: &str = "AKIDEXAMPLE";
const SECRET_KEY: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const SESSION_TOKEN: &str = "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI";
const MRAP_HOST: &str = "mfzwi23gnjvgw.mrap.accesspoint.s3-global.amazonaws.com";

struct Case {
    name: &'static str,
    method: &'static str,
    host: &'static str,
    /// Path and query as sent (percent-encoded).
    target: &'static str,
    headers: &'static [(&'static str, &'static str)],
    body: &'static str,
    region_set: &'static str,
    service: &'static str,
    /// Seconds since the epoch.
    time: u64,
    /// S3's settings: the path signed as sent, `x-amz-content-sha256`.
    s3: bool,
    /// `UNSIGNED-PAYLOAD` rather than the body's hash.
    unsigned: bool,
    token: bool,
    /// Query signing for this many seconds; header signing when `None`.
    presign: Option<u64>,
}

fn cases() -> Vec<Case> {
    let base = Case {
        name: "",
        method: "GET",
        host: MRAP_HOST,
        target: "/object",
        headers: &[],
        body: "",
        region_set: "*",
        service: "s3",
        time: 1_767_225_600,
        s3: true,
        unsigned: false,
        token: false,
        presign: None,
    };
    vec![
        Case {
            name: "s3-mrap-get",
            ..base
        },
        Case {
            name: "s3-mrap-get-unsigned-payload-two-regions",
            target: "/dir/a%20b.txt?versionId=3%2F4",
            region_set: "us-east-1,us-west-2",
            unsigned: true,
            ..base
        },
        Case {
            name: "s3-mrap-put-with-token",
            method: "PUT",
            target: "/photos/2026/cat.jpg",
            headers: &[
                ("content-type", "image/jpeg"),
                ("x-amz-meta-owner", "  Ana   Lu "),
            ],
            body: "not really a jpeg",
            token: true,
            time: 1_767_312_345,
            ..base
        },
        Case {
            name: "s3-mrap-presign",
            presign: Some(900),
            ..base
        },
        Case {
            name: "s3-mrap-presign-with-token-two-regions",
            target: "/a/b%2Bc",
            region_set: "us-east-1,eu-west-1",
            token: true,
            presign: Some(3600),
            ..base
        },
        Case {
            name: "events-put-events-global-endpoint",
            method: "POST",
            host: "abcde.veo.endpoints.event.amazonaws.com",
            target: "/",
            headers: &[
                ("content-type", "application/x-amz-json-1.1"),
                ("x-amz-target", "AWSEvents.PutEvents"),
            ],
            body: r#"{"Entries":[{"Source":"app","DetailType":"t","Detail":"{}"}],"EndpointId":"abcde.veo"}"#,
            service: "events",
            s3: false,
            ..base
        },
        Case {
            name: "sustainability-dot-segments-and-query",
            host: "sustainability.us-east-1.api.aws",
            target: "/a/./b/../c%20d?z=1&a=%E2%9C%93&a=0",
            service: "sustainability",
            s3: false,
            token: true,
            ..base
        },
    ]
}

fn run(case: &Case) -> Value {
    let token = case.token.then(|| SESSION_TOKEN.to_string());
    let identity: Identity =
        Credentials::new(ACCESS_KEY, SECRET_KEY, token.clone(), None, "vectors").into();
    let mut settings = SigningSettings::default();
    settings.session_token_mode = SessionTokenMode::Include;
    if case.s3 {
        settings.percent_encoding_mode = PercentEncodingMode::Single;
        settings.uri_path_normalization_mode = UriPathNormalizationMode::Disabled;
        settings.payload_checksum_kind = PayloadChecksumKind::XAmzSha256;
    }
    if let Some(expires) = case.presign {
        settings.signature_location = SignatureLocation::QueryParams;
        settings.expires_in = Some(Duration::from_secs(expires));
    }
    let time = UNIX_EPOCH + Duration::from_secs(case.time);
    let params = v4a::SigningParams::builder()
        .identity(&identity)
        .region_set(case.region_set)
        .name(case.service)
        .time(time)
        .settings(settings)
        .build()
        .expect("complete parameters")
        .into();
    let uri = format!("https://{}{}", case.host, case.target);
    let headers = std::iter::once(("host", case.host)).chain(case.headers.iter().copied());
    let body = if case.unsigned {
        SignableBody::UnsignedPayload
    } else {
        SignableBody::Bytes(case.body.as_bytes())
    };
    let request = SignableRequest::new(case.method, &uri, headers, body).expect("a valid request");
    let (instructions, signature) = sign(request, &params)
        .expect("the official signer signs")
        .into_parts();
    let added_headers: Vec<Value> = instructions
        .headers()
        .map(|(name, value)| json!([name, value]))
        .collect();
    let added_params: Vec<Value> = instructions
        .params()
        .iter()
        .map(|(name, value)| json!([name, value.as_ref()]))
        .collect();
    json!({
        "name": case.name,
        "request": {
            "method": case.method,
            "host": case.host,
            "target": case.target,
            "headers": case.headers.iter().map(|(k, v)| json!([k, v])).collect::<Vec<_>>(),
            "body": case.body,
        },
        "access_key_id": ACCESS_KEY,
        "secret_access_key": SECRET_KEY,
        "session_token": token,
        "region_set": case.region_set,
        "service": case.service,
        "time": case.time,
        "s3": case.s3,
        "unsigned_payload": case.unsigned,
        "presign_expires": case.presign,
        "added_headers": added_headers,
        "added_params": added_params,
        "signature": signature,
    })
}

fn main() {
    let vectors = json!({
        "source": SOURCE,
        "cases": cases().iter().map(run).collect::<Vec<_>>(),
    });
    println!(
        "{}",
        serde_json::to_string_pretty(&vectors).expect("JSON always serializes")
    );
}
