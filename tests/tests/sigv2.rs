//! SigV2 through the client, against a loopback server that checks each
//! request's signature with its own HMAC: the form the server receives
//! carries SigV2's parameters and a signature over them, no SigV4 header,
//! a `Content-Length` of the signed form, and a retry is signed anew at its
//! own time. (The signer itself is checked against botocore's vectors in
//! `runtime/tests/sigv2_vectors.rs`.)

use base64::Engine;
use hmac::{Hmac, Mac};
use sdkgen_runtime::clock::TimeSource;
use sdkgen_runtime::error::{BuildError, ErrorMetadata, ProvideErrorMetadata};
use sdkgen_runtime::operation::{Operation, Signing};
use sdkgen_runtime::protocol::SerializeContext;
use sdkgen_runtime::{
    Credentials, Handle, Http2Policy, HttpRequest, HttpResponse, SdkError, ServiceInfo,
};
use sdkgen_tests::server::{MockServer, Recorded, Reply};
use sdkgen_tests::{test_config, SECRET_KEY};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A clock that moves a minute each time it is read.
#[derive(Debug, Default)]
struct Ticking(AtomicU64);

impl TimeSource for Ticking {
    fn now(&self) -> SystemTime {
        UNIX_EPOCH
            + Duration::from_secs(1_700_000_000 + 60 * self.0.fetch_add(1, Ordering::Relaxed))
    }
}

struct ListDomains;

#[derive(Debug)]
struct Failed(ErrorMetadata);

impl std::fmt::Display for Failed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(&self.0, f)
    }
}

impl std::error::Error for Failed {}

impl ProvideErrorMetadata for Failed {
    fn meta(&self) -> &ErrorMetadata {
        &self.0
    }
}

impl Operation for ListDomains {
    const NAME: &'static str = "ListDomains";
    const SIGNING: Signing = Signing::SigV2;
    type Input = ();
    type Output = ();
    type Error = Failed;

    fn serialize(_: &(), _: &SerializeContext) -> Result<HttpRequest, BuildError> {
        let mut request = HttpRequest::new("POST", "/".into());
        request.body = sdkgen_runtime::http::RequestBody::Bytes(
            "Action=ListDomains&Version=2009-04-15&NextToken=a%20b%2Bc".into(),
        );
        Ok(request)
    }

    fn deserialize(response: HttpResponse) -> Result<(), SdkError<Failed>> {
        if response.status < 300 {
            return Ok(());
        }
        let meta = sdkgen_runtime::protocol::aws_json::read_error(&response, false).meta;
        Err(SdkError::Service {
            operation: Self::NAME,
            source: Failed(meta),
        })
    }

    fn unhandled(meta: ErrorMetadata) -> Failed {
        Failed(meta)
    }
}

fn handle(config: sdkgen_runtime::ConfigBuilder) -> Handle {
    Handle::new(
        config.build(),
        ServiceInfo {
            service_id: "SimpleDB",
            signing_name: "sdb",
            endpoint_prefix: "sdb",
            crate_version: "0.1.0",
            resolve_endpoint: None,
            account_id_endpoints: false,
            http2: Http2Policy::Http1Only,
            hooks: None,
        },
    )
}

/// The form's parameters, in the order SigV2 signs them.
fn form(request: &Recorded) -> BTreeMap<String, String> {
    sdkgen_tests::fake_aws::form(request).into_iter().collect()
}

/// RFC 3986's unreserved characters stay as they are.
const UNRESERVED: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// The signature the server expects, computed here without the runtime.
fn expected_signature(request: &Recorded) -> String {
    let params = form(request);
    let enc = |s: &str| percent_encoding::utf8_percent_encode(s, UNRESERVED).to_string();
    let query = params
        .iter()
        .filter(|(n, _)| *n != "Signature")
        .map(|(n, v)| format!("{}={}", enc(n), enc(v)))
        .collect::<Vec<_>>()
        .join("&");
    let host = request.header("host").unwrap();
    let to_sign = format!("POST\n{host}\n/\n{query}");
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(SECRET_KEY.as_bytes()).unwrap();
    mac.update(to_sign.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

#[tokio::test]
async fn each_attempt_sends_a_form_signed_with_sigv2_at_its_own_time() {
    let server = MockServer::start(|_, n| match n {
        0 => Reply::error(500, "InternalFailure", "try again"),
        _ => Reply::json(200, "{}"),
    })
    .await;
    let (config, _sleep) = test_config(&server.url());
    let config = config.time_source(Arc::new(Ticking::default()));
    handle(config)
        .call::<ListDomains>(Ok(()))
        .await
        .expect("the retry succeeds");
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    let mut timestamps = Vec::new();
    for request in &requests {
        let params = form(request);
        assert_eq!(params["Action"], "ListDomains");
        assert_eq!(
            params["NextToken"], "a b+c",
            "the form's own values are kept"
        );
        assert_eq!(params["SignatureVersion"], "2");
        assert_eq!(params["SignatureMethod"], "HmacSHA256");
        assert_eq!(params["AWSAccessKeyId"], sdkgen_tests::ACCESS_KEY);
        assert!(!params.contains_key("SecurityToken"));
        assert_eq!(params["Signature"], expected_signature(request));
        assert_eq!(
            request.header("content-length"),
            Some(request.body.len().to_string().as_str())
        );
        for sigv4 in ["authorization", "x-amz-date", "x-amz-content-sha256"] {
            assert_eq!(request.header(sigv4), None, "{sigv4}");
        }
        assert_eq!(
            std::str::from_utf8(&request.body)
                .unwrap()
                .matches("Signature=")
                .count(),
            1
        );
        timestamps.push(params["Timestamp"].clone());
    }
    assert_ne!(
        timestamps[0], timestamps[1],
        "the retry is signed at its own time"
    );
    assert!(timestamps
        .iter()
        .all(|t| t.starts_with("2023-11-14T22:") && t.ends_with('Z')));
}

#[tokio::test]
async fn a_session_token_is_a_signed_parameter() {
    let server = MockServer::start(|_, _| Reply::json(200, "{}")).await;
    let (config, _sleep) = test_config(&server.url());
    let config = config.credentials_provider(Credentials::new(
        sdkgen_tests::ACCESS_KEY,
        SECRET_KEY,
        Some("session/token+1".to_string()),
        None,
    ));
    handle(config)
        .call::<ListDomains>(Ok(()))
        .await
        .expect("signed");
    let request = &server.requests()[0];
    let params = form(request);
    assert_eq!(params["SecurityToken"], "session/token+1");
    assert_eq!(params["Signature"], expected_signature(request));
    assert_eq!(request.header("x-amz-security-token"), None);
}

#[tokio::test]
async fn a_sigv2_operation_has_no_presigned_form() {
    let (config, _sleep) = test_config("http://127.0.0.1:9");
    let err = handle(config)
        .presign::<ListDomains>(
            Ok(()),
            sdkgen_runtime::presign::PresigningConfig::expires_in(Duration::from_secs(60)).unwrap(),
        )
        .await
        .expect_err("SigV2 is not presigned");
    assert!(
        err.to_string().contains("SigV2") || format!("{err:?}").contains("SigV2"),
        "{err:?}"
    );
}
