//! Presigned requests.
//!
//! - Ours are the URLs botocore's `generate_presigned_url` makes for the
//!   same inputs, credentials and time, byte for byte
//!   (`tests/data/presign/vectors.json`, made by `make_vectors.py` beside
//!   it).
//! - A presigned `PutObject` and `GetObject` work from a plain HTTP client
//!   (reqwest) against a server on 127.0.0.1 that checks the query
//!   signature with its own SigV4 code (HMAC and SHA-256 from the `hmac`
//!   and `sha2` crates, not the runtime's signer).

use percent_encoding::percent_decode_str;
use sdkgen_runtime::clock::TimeSource;
use sdkgen_runtime::presign::{PresignedRequest, PresigningConfig, PresigningConfigError};
use sdkgen_runtime::Credentials;
use sdkgen_tests::sigv4_verify::{verify_presigned, Key};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

#[derive(Debug)]
struct FixedClock(SystemTime);

impl TimeSource for FixedClock {
    fn now(&self) -> SystemTime {
        self.0
    }
}

fn vectors() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/presign/vectors.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("vectors.json")).unwrap()
}

/// 2026-01-15T12:34:56Z, the time `make_vectors.py` freezes.
fn vector_time(vectors: &Value) -> SystemTime {
    assert_eq!(vectors["time"], "2026-01-15T12:34:56Z");
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_768_480_496)
}

fn config(vectors: &Value, case: &Value) -> sdkgen_runtime::Config {
    let token = case["session_token"]
        .as_bool()
        .unwrap()
        .then(|| vectors["session_token"].as_str().unwrap().to_string());
    sdkgen_runtime::Config::builder()
        .region(case["region"].as_str().unwrap())
        .credentials_provider(Credentials::new(
            vectors["access_key_id"].as_str().unwrap(),
            vectors["secret_access_key"].as_str().unwrap(),
            token,
            None,
        ))
        .time_source(Arc::new(FixedClock(vector_time(vectors))))
        .build()
}

/// Builds the case's request through the generated crate's fluent builder
/// and presigns it.
#[allow(deprecated)] // GetProxySession's end of support
async fn presign_case(vectors: &Value, case: &Value) -> PresignedRequest {
    let config = config(vectors, case);
    let p = &case["params"];
    let s = |name: &str| p[name].as_str().unwrap().to_string();
    let presigning = PresigningConfig::expires_in(Duration::from_secs(
        case["expires_in_seconds"].as_u64().unwrap(),
    ))
    .unwrap();
    let name = case["name"].as_str().unwrap();
    let result = match (
        case["service"].as_str().unwrap(),
        case["operation"].as_str().unwrap(),
    ) {
        ("s3", "GetObject") => {
            let client = s3::Client::new(config);
            let mut b = client.get_object().bucket(s("Bucket")).key(s("Key"));
            if p.get("Range").is_some() {
                b = b.range(s("Range"));
            }
            if p.get("ResponseContentDisposition").is_some() {
                b = b.response_content_disposition(s("ResponseContentDisposition"));
            }
            if p.get("ResponseContentType").is_some() {
                b = b.response_content_type(s("ResponseContentType"));
            }
            b.presigned(presigning).await.map_err(|e| e.to_string())
        }
        ("s3", "PutObject") => {
            let client = s3::Client::new(config);
            let mut b = client.put_object().bucket(s("Bucket")).key(s("Key"));
            if p.get("ContentType").is_some() {
                b = b.content_type(s("ContentType"));
            }
            if let Some(meta) = p.get("Metadata").and_then(Value::as_object) {
                for (k, v) in meta {
                    b = b.metadata(k, v.as_str().unwrap());
                }
            }
            b.presigned(presigning).await.map_err(|e| e.to_string())
        }
        ("s3", "ListObjectsV2") => s3::Client::new(config)
            .list_objects_v2()
            .bucket(s("Bucket"))
            .delimiter(s("Delimiter"))
            .encoding_type(s3::types::EncodingType::from(s("EncodingType").as_str()))
            .max_keys(p["MaxKeys"].as_i64().unwrap() as i32)
            .prefix(s("Prefix"))
            .start_after(s("StartAfter"))
            .presigned(presigning)
            .await
            .map_err(|e| e.to_string()),
        ("sts", "GetCallerIdentity") => sts::Client::new(config)
            .get_caller_identity()
            .presigned(presigning)
            .await
            .map_err(|e| e.to_string()),
        ("ec2", "DescribeInstances") => {
            let client = ec2::Client::new(config);
            let mut b = client.describe_instances();
            for id in p["InstanceIds"].as_array().unwrap() {
                b = b.instance_ids(id.as_str().unwrap());
            }
            for filter in p["Filters"].as_array().unwrap() {
                let mut f = ec2::types::Filter::builder().name(filter["Name"].as_str().unwrap());
                for value in filter["Values"].as_array().unwrap() {
                    f = f.values(value.as_str().unwrap());
                }
                b = b.filters(f.build());
            }
            b.presigned(presigning).await.map_err(|e| e.to_string())
        }
        ("chime-sdk-voice", "GetProxySession") => chime_sdk_voice::Client::new(config)
            .get_proxy_session()
            .voice_connector_id(s("VoiceConnectorId"))
            .proxy_session_id(s("ProxySessionId"))
            .presigned(presigning)
            .await
            .map_err(|e| e.to_string()),
        (service, operation) => panic!("{name}: no builder for {service} {operation}"),
    };
    result.unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[tokio::test]
async fn urls_are_botocores() {
    let vectors = vectors();
    let cases = vectors["cases"].as_array().unwrap();
    let mut failures = Vec::new();
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let presigned = presign_case(&vectors, case).await;
        let expected = case["url"].as_str().unwrap();
        if presigned.uri() != expected {
            failures.push(format!(
                "{name}:\n  ours:     {}\n  botocore: {expected}",
                presigned.uri()
            ));
        }
        if presigned.method() != case["method"].as_str().unwrap() {
            failures.push(format!("{name}: method {}", presigned.method()));
        }
        // The headers to send are the signed ones but `host`.
        let signed = query_param(expected, "X-Amz-SignedHeaders").unwrap();
        let mut ours: Vec<String> = presigned
            .headers()
            .map(|(k, _)| k.to_ascii_lowercase())
            .chain(["host".to_string()])
            .collect();
        ours.sort();
        if ours.join(";") != signed {
            failures.push(format!("{name}: headers {ours:?}, signed {signed}"));
        }
    }
    println!(
        "presign vectors: {} cases ran, {} failed",
        cases.len(),
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The runtime's query signer alone, given botocore's request (its path,
/// its query, the headers it signed), writes botocore's URL: S3's rules
/// (the path as sent, `UNSIGNED-PAYLOAD`) and the others' (the body's
/// hash), the parameters in botocore's order, the session token signed.
#[test]
fn the_signer_makes_botocores_urls() {
    use sdkgen_runtime::sigv4::{
        sign_query, SignablePayload, SignableRequest, SigningParams, SigningSettings,
        UNSIGNED_PAYLOAD,
    };
    let vectors = vectors();
    let cases = vectors["cases"].as_array().unwrap();
    let time = time::OffsetDateTime::from(vector_time(&vectors));
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let url = case["url"].as_str().unwrap();
        let (base, query) = url.split_once('?').unwrap();
        let rest = &base[base.find("://").unwrap() + 3..];
        let (host, path) = rest.split_at(rest.find('/').unwrap());
        let own_query = query.split("&X-Amz-Algorithm=").next().unwrap();
        let own_query = if own_query.starts_with("X-Amz-Algorithm=") {
            ""
        } else {
            own_query
        };
        let params = &case["params"];
        let signed_headers = query_param(url, "X-Amz-SignedHeaders").unwrap();
        let headers: Vec<(String, String)> = signed_headers
            .split(';')
            .map(|h| {
                let value = match h {
                    "host" => host.to_string(),
                    "range" => params["Range"].as_str().unwrap().to_string(),
                    "content-type" => params["ContentType"].as_str().unwrap().to_string(),
                    meta => params["Metadata"][meta.trim_start_matches("x-amz-meta-")]
                        .as_str()
                        .unwrap_or_else(|| panic!("{name}: header {meta}"))
                        .to_string(),
                };
                (h.to_string(), value)
            })
            .collect();
        let s3 = case["service"] == "s3";
        let signable = SignableRequest {
            method: case["method"].as_str().unwrap(),
            path,
            query: own_query,
            headers: headers
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect(),
            payload: match s3 {
                true => SignablePayload::Precomputed(UNSIGNED_PAYLOAD),
                false => SignablePayload::Bytes(b""),
            },
        };
        let token = case["session_token"]
            .as_bool()
            .unwrap()
            .then(|| vectors["session_token"].as_str().unwrap().to_string());
        let credentials = Credentials::new(
            vectors["access_key_id"].as_str().unwrap(),
            vectors["secret_access_key"].as_str().unwrap(),
            token,
            None,
        );
        let credential = query_param(url, "X-Amz-Credential").unwrap();
        let scope: Vec<&str> = credential.split('/').collect();
        let signing = SigningParams {
            credentials: &credentials,
            region: scope[2],
            service: scope[3],
            time,
            // S3's hook sets these (`runtime/src/hooks/s3.rs`).
            settings: SigningSettings {
                normalize_path: !s3,
                double_uri_encode: !s3,
                presign_unsigned_payload: s3,
                ..SigningSettings::default()
            },
            key_cache: None,
            algorithm: Default::default(),
        };
        let expires = case["expires_in_seconds"].as_u64().unwrap();
        let signature = sign_query(&signable, &signing, expires);
        let mut ours = format!("{base}?{own_query}");
        for (k, v) in &signature.params {
            if !ours.ends_with('?') {
                ours.push('&');
            }
            ours.push_str(&format!("{k}={v}"));
        }
        assert_eq!(ours, url, "{name}");
    }
}

#[tokio::test]
async fn headers_to_send_carry_their_values() {
    let vectors = vectors();
    let case = vectors["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["operation"] == "PutObject" && c["params"].get("ContentType").is_some())
        .unwrap();
    let presigned = presign_case(&vectors, case).await;
    let headers: HashMap<&str, &str> = presigned.headers().collect();
    assert_eq!(
        headers.get("Content-Type"),
        Some(&"text/plain"),
        "{headers:?}"
    );
    assert_eq!(
        headers.get("x-amz-meta-origin"),
        Some(&"presign-test"),
        "{headers:?}"
    );
    assert!(presigned.body().is_empty());
}

#[tokio::test]
async fn the_start_time_given_wins_over_the_clock() {
    let vectors = vectors();
    let case = &vectors["cases"][0];
    let later = vector_time(&vectors) + Duration::from_secs(86_400);
    let presigned = s3::Client::new(config(&vectors, case))
        .get_object()
        .bucket("example-bucket")
        .key("k")
        .presigned(
            PresigningConfig::expires_in(Duration::from_secs(60))
                .unwrap()
                .start_time(later),
        )
        .await
        .unwrap();
    assert_eq!(
        query_param(presigned.uri(), "X-Amz-Date").as_deref(),
        Some("20260116T123456Z")
    );
}

#[tokio::test]
async fn refusals_say_why() {
    assert!(matches!(
        PresigningConfig::expires_in(Duration::from_secs(7 * 86_400 + 1)),
        Err(PresigningConfigError::TooLong(_))
    ));
    // No credentials: nothing to sign with.
    let anonymous = sdkgen_runtime::Config::builder()
        .region("us-west-2")
        .build();
    let err = s3::Client::new(anonymous)
        .get_object()
        .bucket("b")
        .key("k")
        .presigned(PresigningConfig::expires_in(Duration::from_secs(60)).unwrap())
        .await
        .unwrap_err();
    assert!(
        matches!(err, sdkgen_runtime::SdkError::Credentials { .. }),
        "{err}"
    );
    // A missing required member fails as `send()` would.
    let vectors = vectors();
    let err = s3::Client::new(config(&vectors, &vectors["cases"][0]))
        .get_object()
        .bucket("b")
        .presigned(PresigningConfig::expires_in(Duration::from_secs(60)).unwrap())
        .await
        .unwrap_err();
    assert!(
        matches!(err, sdkgen_runtime::SdkError::Build { .. }),
        "{err}"
    );
}

#[tokio::test]
async fn debug_shows_no_secret() {
    let vectors = vectors();
    let case = &vectors["cases"][0];
    let presigned = presign_case(&vectors, case).await;
    let signature = query_param(presigned.uri(), "X-Amz-Signature").unwrap();
    let shown = format!("{presigned:?}");
    assert!(!shown.contains(&signature), "{shown}");
    assert!(!shown.contains("IQoJb3JpZ2lu"), "{shown}");
    assert!(!shown.contains(vectors["secret_access_key"].as_str().unwrap()));
}

/// A decoded query parameter of a URL.
fn query_param(url: &str, name: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (k == name).then(|| percent_decode_str(v).decode_utf8_lossy().into_owned())
    })
}

// ---------------------------------------------------------------------
// A loopback S3 that checks presigned requests on its own.

const ACCESS_KEY: &str = "AKIDLOOPBACK";
const SECRET_KEY: &str = "loopback/secret+key";

/// Checks a query-signed request as S3 does (its path signed as sent,
/// `UNSIGNED-PAYLOAD`), at time `now`; `Err` says why it is refused.
fn verify(
    method: &str,
    path: &str,
    query: &str,
    headers: &hyper::HeaderMap,
    now: time::OffsetDateTime,
) -> Result<(), String> {
    verify_payload(method, path, query, headers, now, "UNSIGNED-PAYLOAD")
}

/// [`verify`] for a request whose payload hash is `payload` (a service
/// other than S3 signs its body's; its paths here need no second encoding).
fn verify_payload(
    method: &str,
    path: &str,
    query: &str,
    headers: &hyper::HeaderMap,
    now: time::OffsetDateTime,
    payload: &str,
) -> Result<(), String> {
    let key = Key {
        access_key: ACCESS_KEY,
        secret_key: SECRET_KEY,
    };
    verify_presigned(method, path, query, headers, now, payload, key)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

type Objects = Arc<Mutex<HashMap<String, bytes::Bytes>>>;

/// Serves PUT and GET of objects by path, each checked by [`verify`] at
/// `now`; answers 403 with the reason when the check fails.
async fn serve(now: time::OffsetDateTime) -> (std::net::SocketAddr, Objects) {
    use http_body_util::{BodyExt, Full};
    use hyper::service::service_fn;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let objects: Objects = Arc::default();
    let store = objects.clone();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            let store = store.clone();
            tokio::spawn(async move {
                let service = service_fn(move |request: hyper::Request<hyper::body::Incoming>| {
                    let store = store.clone();
                    async move {
                        let (parts, body) = request.into_parts();
                        let body = body.collect().await.unwrap().to_bytes();
                        let path = parts.uri.path().to_string();
                        let query = parts.uri.query().unwrap_or("");
                        let answer = |status: u16, body: bytes::Bytes| {
                            hyper::Response::builder()
                                .status(status)
                                .body(Full::new(body))
                                .unwrap()
                        };
                        if let Err(why) =
                            verify(parts.method.as_str(), &path, query, &parts.headers, now)
                        {
                            return Ok::<_, std::convert::Infallible>(answer(403, why.into()));
                        }
                        let mut objects = store.lock().unwrap();
                        Ok(match parts.method.as_str() {
                            "PUT" => {
                                objects.insert(path, body);
                                answer(200, bytes::Bytes::new())
                            }
                            "GET" => match objects.get(&path) {
                                Some(object) => answer(200, object.clone()),
                                None => answer(404, bytes::Bytes::new()),
                            },
                            _ => answer(405, bytes::Bytes::new()),
                        })
                    }
                });
                let io = hyper_util::rt::TokioIo::new(stream);
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(io, service)
                    .await;
            });
        }
    });
    (addr, objects)
}

fn loopback_client(addr: std::net::SocketAddr, now: SystemTime) -> s3::Client {
    s3::Client::new(
        sdkgen_runtime::Config::builder()
            .region("us-west-2")
            .endpoint_url(format!("http://{addr}"))
            .credentials_provider(Credentials::new(ACCESS_KEY, SECRET_KEY, None, None))
            .time_source(Arc::new(FixedClock(now)))
            .build(),
    )
}

#[tokio::test]
async fn a_plain_http_client_puts_and_gets_with_presigned_requests() {
    let signed_at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_768_480_496);
    // The server checks five minutes after signing: within the lifetime.
    let server_now = time::OffsetDateTime::from(signed_at + Duration::from_secs(300));
    let (addr, objects) = serve(server_now).await;
    let client = loopback_client(addr, signed_at);
    let ten_minutes = || PresigningConfig::expires_in(Duration::from_secs(600)).unwrap();
    let key = "reports/2026 Q1/ü+ß.txt";
    let http = reqwest::Client::new();

    let put = client
        .put_object()
        .bucket("example-bucket")
        .key(key)
        .content_type("text/plain")
        .presigned(ten_minutes())
        .await
        .unwrap();
    assert_eq!(put.method(), "PUT");
    let mut request = http.put(put.uri()).body("hello, presigned world");
    for (name, value) in put.headers() {
        request = request.header(name, value);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    assert_eq!(status, 200, "{}", response.text().await.unwrap());
    // Path-style on an IP address: the bucket once, then the key.
    let stored: Vec<String> = objects.lock().unwrap().keys().cloned().collect();
    assert_eq!(
        stored,
        ["/example-bucket/reports/2026%20Q1/%C3%BC%2B%C3%9F.txt"]
    );

    let get = client
        .get_object()
        .bucket("example-bucket")
        .key(key)
        .presigned(ten_minutes())
        .await
        .unwrap();
    assert_eq!(get.method(), "GET");
    assert_eq!(get.headers().count(), 0);
    let response = http.get(get.uri()).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.unwrap(), "hello, presigned world");

    // Without the signed content type, or with the URL changed, the
    // server refuses: its check is not one that passes everything.
    let response = http.put(put.uri()).body("x").send().await.unwrap();
    assert_eq!(response.status(), 403);
    assert!(response.text().await.unwrap().contains("content-type"));
    let tampered = get.uri().replace("reports", "Reports");
    let response = http.get(tampered).send().await.unwrap();
    assert_eq!(response.status(), 403);
}

#[tokio::test]
async fn an_expired_presigned_request_is_refused() {
    let signed_at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_768_480_496);
    let server_now = time::OffsetDateTime::from(signed_at + Duration::from_secs(61));
    let (addr, _) = serve(server_now).await;
    let get = loopback_client(addr, signed_at)
        .get_object()
        .bucket("example-bucket")
        .key("k")
        .presigned(PresigningConfig::expires_in(Duration::from_secs(60)).unwrap())
        .await
        .unwrap();
    let response = reqwest::get(get.uri()).await.unwrap();
    assert_eq!(response.status(), 403);
    assert_eq!(response.text().await.unwrap(), "expired");
}

/// The blocking client presigns the same request, outside any async
/// runtime.
#[test]
#[allow(deprecated)] // GetProxySession's end of support
fn the_blocking_client_presigns_the_same_url() {
    let vectors = vectors();
    let case = vectors["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["operation"] == "GetProxySession")
        .unwrap();
    let presigned = chime_sdk_voice::blocking::Client::new(config(&vectors, case))
        .get_proxy_session()
        .voice_connector_id(case["params"]["VoiceConnectorId"].as_str().unwrap())
        .proxy_session_id(case["params"]["ProxySessionId"].as_str().unwrap())
        .presigned(PresigningConfig::expires_in(Duration::from_secs(300)).unwrap())
        .unwrap();
    assert_eq!(presigned.uri(), case["url"].as_str().unwrap());
}

/// Outside S3 the body is signed: the presigned request hands it back, to
/// be sent as it is, and the signature covers its hash (checked here with
/// the test's own SigV4), so another body would be refused.
#[tokio::test]
async fn other_services_sign_the_body() {
    let signed_at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_768_480_496);
    let config = sdkgen_runtime::Config::builder()
        .region("us-east-1")
        .credentials_provider(Credentials::new(ACCESS_KEY, SECRET_KEY, None, None))
        .time_source(Arc::new(FixedClock(signed_at)))
        .build();
    let presigned = chime_sdk_voice::Client::new(config)
        .untag_resource()
        .resource_arn("arn:aws:chime:us-east-1:123456789012:vc/abc")
        .tag_keys("team")
        .presigned(PresigningConfig::expires_in(Duration::from_secs(60)).unwrap())
        .await
        .unwrap();
    assert_eq!(presigned.method(), "POST");
    let body: Value = serde_json::from_slice(presigned.body()).unwrap();
    assert_eq!(body["TagKeys"][0], "team", "{body}");
    let uri: hyper::Uri = presigned.uri().parse().unwrap();
    let mut headers = hyper::HeaderMap::new();
    headers.insert("host", uri.host().unwrap().parse().unwrap());
    for (name, value) in presigned.headers() {
        headers.insert(
            hyper::header::HeaderName::from_bytes(name.as_bytes()).unwrap(),
            value.parse().unwrap(),
        );
    }
    let now = time::OffsetDateTime::from(signed_at);
    let check = |payload: &[u8]| {
        verify_payload(
            "POST",
            uri.path(),
            uri.query().unwrap(),
            &headers,
            now,
            &hex(&Sha256::digest(payload)),
        )
    };
    assert_eq!(check(presigned.body()), Ok(()));
    assert_eq!(check(b"{}"), Err("signature does not match".to_string()));
}
