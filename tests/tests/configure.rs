//! Configuration as the AWS SDKs find it: shared config files, the
//! credentials chain (each source against temporary files or a loopback
//! server), region and endpoint precedence.
#![allow(deprecated)]

use chime_sdk_voice::{Client, Config, Loader};
use sdkgen_runtime::env::Env;
use sdkgen_tests::server::{MockServer, Reply};
use sdkgen_tests::sigv4_verify::verify;
use std::path::Path;
use std::time::{Duration, Instant};

const BODY: &str = r#"{"ProxySession":{"ProxySessionId":"ps1"}}"#;

/// A temporary HOME with `.aws/config` and `.aws/credentials`.
fn home(config: &str, credentials: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join(".aws")).unwrap();
    std::fs::write(dir.path().join(".aws/config"), config).unwrap();
    std::fs::write(dir.path().join(".aws/credentials"), credentials).unwrap();
    dir
}

fn env(home: &Path, vars: &[(&str, &str)]) -> Env {
    let mut pairs = vec![("HOME".to_string(), home.display().to_string())];
    pairs.extend(vars.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    // Never reach for a real metadata service from a test.
    pairs.push(("AWS_EC2_METADATA_DISABLED".into(), "true".into()));
    Env::from_pairs(pairs)
}

fn loader(home: &Path, vars: &[(&str, &str)]) -> Loader {
    chime_sdk_voice::loader().env(env(home, vars))
}

/// Calls GetProxySession with `config`; returns the request the server saw.
async fn call(
    config: Config,
    server: &MockServer,
) -> Result<sdkgen_tests::server::Recorded, String> {
    let client = Client::new(config);
    client
        .get_proxy_session()
        .voice_connector_id("vc1")
        .proxy_session_id("ps1")
        .send()
        .await
        .map_err(|e| e.to_string())?;
    Ok(server
        .requests()
        .last()
        .cloned()
        .expect("a request arrived"))
}

#[tokio::test]
async fn region_precedence() {
    let h = home(
        "[default]\nregion = from-profile-1\n[profile other]\nregion = other-1\n",
        "",
    );
    let region = |vars: &[(&str, &str)]| {
        loader(h.path(), vars)
            .load()
            .unwrap()
            .build()
            .region()
            .map(str::to_string)
    };
    assert_eq!(region(&[]).as_deref(), Some("from-profile-1"));
    assert_eq!(
        region(&[("AWS_DEFAULT_REGION", "default-1")]).as_deref(),
        Some("default-1")
    );
    assert_eq!(
        region(&[
            ("AWS_DEFAULT_REGION", "default-1"),
            ("AWS_REGION", "region-1")
        ])
        .as_deref(),
        Some("region-1")
    );
    assert_eq!(
        region(&[("AWS_PROFILE", "other")]).as_deref(),
        Some("other-1")
    );
    let explicit = loader(h.path(), &[("AWS_REGION", "region-1")])
        .load()
        .unwrap()
        .region("explicit-1")
        .build();
    assert_eq!(explicit.region(), Some("explicit-1"));
    let none = home("", "");
    assert_eq!(
        loader(none.path(), &[]).load().unwrap().build().region(),
        None
    );
}

#[tokio::test]
async fn profiles_are_chosen_and_checked() {
    let h = home("[profile a]\nregion = a-1\n", "");
    let config = loader(h.path(), &[("AWS_PROFILE", "missing")])
        .profile("a")
        .load()
        .unwrap()
        .build();
    assert_eq!(
        config.region(),
        Some("a-1"),
        "an explicit profile wins over AWS_PROFILE"
    );
    let err = loader(h.path(), &[("AWS_PROFILE", "missing")])
        .load()
        .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("profile \"missing\" is not in the shared config files"),
        "{err}"
    );

    let bad = home("[default]\nregion = x\nthis is not a property\n", "");
    let err = loader(bad.path(), &[]).load().unwrap_err();
    let config_file = bad.path().join(".aws/config");
    assert_eq!(
        err.to_string(),
        format!(
            "{}:3: expected `name = value`, found \"this is not a property\"",
            config_file.display()
        )
    );

    let moved = tempfile::tempdir().unwrap();
    let path = moved.path().join("my-config");
    std::fs::write(&path, "[default]\nregion = moved-1\n").unwrap();
    let config = loader(h.path(), &[("AWS_CONFIG_FILE", path.to_str().unwrap())])
        .load()
        .unwrap()
        .build();
    assert_eq!(config.region(), Some("moved-1"));
}

#[tokio::test]
async fn environment_credentials_come_first() {
    let server = MockServer::start(|_, _| Reply::json(200, BODY)).await;
    let h = home(
        "[default]\nregion = us-east-1\n",
        "[default]\naws_access_key_id = PROFILEKEY\naws_secret_access_key = profile-secret\n",
    );
    let vars = [
        ("AWS_ACCESS_KEY_ID", "ENVKEY"),
        ("AWS_SECRET_ACCESS_KEY", "env-secret"),
        ("AWS_SESSION_TOKEN", "env-token"),
    ];
    let config = loader(h.path(), &vars)
        .load()
        .unwrap()
        .endpoint_url(server.url())
        .build();
    let request = call(config, &server).await.unwrap();
    let auth = verify(&request, "env-secret").unwrap();
    assert_eq!(auth.access_key, "ENVKEY");
    assert_eq!(request.header("x-amz-security-token"), Some("env-token"));
}

#[tokio::test]
async fn profile_static_keys() {
    let server = MockServer::start(|_, _| Reply::json(200, BODY)).await;
    let h = home(
        "[profile dev]\nregion = us-east-1\n",
        "[dev]\naws_access_key_id = DEVKEY\naws_secret_access_key = dev-secret\naws_session_token = dev-token\n",
    );
    let config = loader(h.path(), &[])
        .profile("dev")
        .load()
        .unwrap()
        .endpoint_url(server.url())
        .build();
    let request = call(config, &server).await.unwrap();
    assert_eq!(verify(&request, "dev-secret").unwrap().access_key, "DEVKEY");
    assert_eq!(request.header("x-amz-security-token"), Some("dev-token"));

    let half = home(
        "[default]\nregion = us-east-1\naws_access_key_id = ONLYKEY\n",
        "",
    );
    let config = loader(half.path(), &[])
        .load()
        .unwrap()
        .endpoint_url(server.url())
        .build();
    let err = call(config, &server).await.unwrap_err();
    assert!(
        err.contains("has aws_access_key_id but no aws_secret_access_key"),
        "{err}"
    );
}

#[cfg(unix)]
#[tokio::test]
async fn profile_credential_process() {
    let server = MockServer::start(|_, _| Reply::json(200, BODY)).await;
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("creds.sh");
    std::fs::write(
        &script,
        "#!/bin/sh\nprintf '{\"Version\": 1, \"AccessKeyId\": \"PROCKEY\", \"SecretAccessKey\": \"proc-secret\", \"SessionToken\": \"proc-token\", \"Expiration\": \"2999-01-01T00:00:00Z\"}'\n",
    )
    .unwrap();
    let h = home(
        &format!(
            "[default]\nregion = us-east-1\ncredential_process = sh {}\n",
            script.display()
        ),
        "",
    );
    let config = loader(h.path(), &[])
        .load()
        .unwrap()
        .endpoint_url(server.url())
        .build();
    let request = call(config, &server).await.unwrap();
    assert_eq!(
        verify(&request, "proc-secret").unwrap().access_key,
        "PROCKEY"
    );

    let failing = home(
        "[default]\nregion = us-east-1\ncredential_process = sh -c 'echo denied >&2; exit 1'\n",
        "",
    );
    let config = loader(failing.path(), &[])
        .load()
        .unwrap()
        .endpoint_url(server.url())
        .build();
    let err = call(config, &server).await.unwrap_err();
    assert!(
        err.contains("credential_process") && err.contains("denied"),
        "{err}"
    );
}

#[tokio::test]
async fn container_credentials_with_a_token_and_a_token_file() {
    let creds_server = MockServer::start(|request, _| {
        if request.header("authorization") == Some("Bearer secret-token") {
            Reply::json(200, r#"{"AccessKeyId":"CONTKEY","SecretAccessKey":"cont-secret","Token":"cont-token","Expiration":"2999-01-01T00:00:00Z"}"#)
        } else {
            Reply::json(401, r#"{"message":"bad token"}"#)
        }
    })
    .await;
    let server = MockServer::start(|_, _| Reply::json(200, BODY)).await;
    let h = home("[default]\nregion = us-east-1\n", "");
    let uri = format!("{}/creds", creds_server.url());
    let vars = [
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", uri.as_str()),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "Bearer secret-token"),
    ];
    let config = loader(h.path(), &vars)
        .load()
        .unwrap()
        .endpoint_url(server.url())
        .build();
    let client = Client::new(config);
    for _ in 0..3 {
        client
            .get_proxy_session()
            .voice_connector_id("v")
            .proxy_session_id("p")
            .send()
            .await
            .unwrap();
    }
    let request = server.requests().pop().unwrap();
    assert_eq!(
        verify(&request, "cont-secret").unwrap().access_key,
        "CONTKEY"
    );
    assert_eq!(request.header("x-amz-security-token"), Some("cont-token"));
    assert_eq!(
        creds_server.requests().len(),
        1,
        "temporary credentials are cached"
    );
    assert_eq!(creds_server.requests()[0].target, "/creds");

    let token_dir = tempfile::tempdir().unwrap();
    let token_file = token_dir.path().join("token");
    std::fs::write(&token_file, "Bearer secret-token\n").unwrap();
    let vars = [
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", uri.as_str()),
        (
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
            token_file.to_str().unwrap(),
        ),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "Bearer wrong"),
    ];
    let config = loader(h.path(), &vars)
        .load()
        .unwrap()
        .endpoint_url(server.url())
        .build();
    call(config, &server)
        .await
        .expect("the token file wins over the variable");

    let vars = [
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", uri.as_str()),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "Bearer wrong"),
    ];
    let config = loader(h.path(), &vars)
        .load()
        .unwrap()
        .endpoint_url(server.url())
        .build();
    let err = call(config, &server).await.unwrap_err();
    assert!(
        err.contains("container: the container credentials endpoint") && err.contains("HTTP 401"),
        "{err}"
    );

    let vars = [(
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "http://192.0.2.1/creds",
    )];
    let config = loader(h.path(), &vars)
        .load()
        .unwrap()
        .endpoint_url(server.url())
        .build();
    let err = call(config, &server).await.unwrap_err();
    assert!(
        err.contains("must be https, or http to a loopback address"),
        "{err}"
    );
}

#[tokio::test]
async fn container_failures_are_clear() {
    let bad_json = MockServer::start(|_, _| Reply::json(200, "{not json")).await;
    let server = MockServer::start(|_, _| Reply::json(200, BODY)).await;
    let h = home("[default]\nregion = us-east-1\n", "");
    let uri = format!("{}/creds", bad_json.url());
    let config = loader(
        h.path(),
        &[("AWS_CONTAINER_CREDENTIALS_FULL_URI", uri.as_str())],
    )
    .load()
    .unwrap()
    .endpoint_url(server.url())
    .build();
    let err = call(config, &server).await.unwrap_err();
    assert!(err.contains("malformed document"), "{err}");
    assert!(server.requests().is_empty());
}

/// An instance metadata service that wants an IMDSv2 token.
async fn imds(role_status: u16) -> MockServer {
    MockServer::start(move |request, _| match (request.method.as_str(), request.path()) {
        ("PUT", "/latest/api/token") if request.header("x-aws-ec2-metadata-token-ttl-seconds").is_some() => Reply::Respond {
            status: 200,
            headers: vec![],
            body: "imds-token".into(),
        },
        (_, _) if request.header("x-aws-ec2-metadata-token") != Some("imds-token") => Reply::json(401, ""),
        ("GET", "/latest/meta-data/iam/security-credentials/") => Reply::Respond { status: role_status, headers: vec![], body: "my-role\n".into() },
        ("GET", "/latest/meta-data/iam/security-credentials/my-role") => Reply::json(
            200,
            r#"{"Code":"Success","Type":"AWS-HMAC","AccessKeyId":"IMDSKEY","SecretAccessKey":"imds-secret","Token":"imds-session","Expiration":"2999-01-01T00:00:00Z"}"#,
        ),
        _ => Reply::json(404, ""),
    })
    .await
}

/// Like `loader`, but with instance metadata enabled at `endpoint`.
fn imds_loader(home: &Path, endpoint: &str) -> Loader {
    let pairs = vec![
        ("HOME".to_string(), home.display().to_string()),
        (
            "AWS_EC2_METADATA_SERVICE_ENDPOINT".to_string(),
            endpoint.to_string(),
        ),
    ];
    chime_sdk_voice::loader().env(Env::from_pairs(pairs))
}

#[tokio::test]
async fn instance_metadata_with_imdsv2_tokens() {
    let metadata = imds(200).await;
    let server = MockServer::start(|_, _| Reply::json(200, BODY)).await;
    let h = home("[default]\nregion = us-east-1\n", "");
    let config = imds_loader(h.path(), &metadata.url())
        .load()
        .unwrap()
        .endpoint_url(server.url())
        .build();
    let request = call(config, &server).await.unwrap();
    assert_eq!(
        verify(&request, "imds-secret").unwrap().access_key,
        "IMDSKEY"
    );
    assert_eq!(request.header("x-amz-security-token"), Some("imds-session"));
    let seen: Vec<(String, String)> = metadata
        .requests()
        .iter()
        .map(|r| (r.method.clone(), r.path().to_string()))
        .collect();
    assert_eq!(
        seen[0],
        ("PUT".to_string(), "/latest/api/token".to_string())
    );
    assert_eq!(seen.len(), 3);

    // No role: the chain ends with "no credentials", naming every source.
    let no_role = imds(404).await;
    let config = imds_loader(h.path(), &no_role.url())
        .load()
        .unwrap()
        .endpoint_url(server.url())
        .build();
    let err = call(config, &server).await.unwrap_err();
    assert!(
        err.contains("none of the sources had credentials")
            && err.contains("instance metadata (the instance has no IAM role)"),
        "{err}"
    );
}

#[tokio::test]
async fn instance_metadata_that_never_answers_does_not_stall_for_long() {
    let hanging = MockServer::start(|_, _| Reply::Hang).await;
    let server = MockServer::start(|_, _| Reply::json(200, BODY)).await;
    let h = home("[default]\nregion = us-east-1\n", "");
    let config = imds_loader(h.path(), &hanging.url())
        .load()
        .unwrap()
        .endpoint_url(server.url())
        .build();
    let started = Instant::now();
    let err = call(config, &server).await.unwrap_err();
    assert!(
        err.contains("instance metadata service: no answer within"),
        "{err}"
    );
    // Not a time assertion on our speed: the 1 s limit is a setting, and a
    // stall would be the 60 s of a default socket.
    assert!(started.elapsed() < Duration::from_secs(30));

    let config = loader(h.path(), &[])
        .load()
        .unwrap()
        .endpoint_url(server.url())
        .build();
    let err = call(config, &server).await.unwrap_err();
    assert!(err.contains("AWS_EC2_METADATA_DISABLED is true"), "{err}");
}

#[tokio::test]
async fn endpoint_url_precedence() {
    let h = home(
        "[default]\nregion = us-east-1\nendpoint_url = http://profile-endpoint\nservices = svc\n[services svc]\nchime_sdk_voice =\n  endpoint_url = http://services-endpoint\n[profile plain]\nendpoint_url = http://plain-endpoint\n",
        "",
    );
    let endpoint = |vars: &[(&str, &str)]| {
        loader(h.path(), vars)
            .load()
            .unwrap()
            .build()
            .endpoint_url()
            .map(str::to_string)
    };
    assert_eq!(endpoint(&[]).as_deref(), Some("http://services-endpoint"));
    assert_eq!(
        endpoint(&[("AWS_PROFILE", "plain")]).as_deref(),
        Some("http://plain-endpoint")
    );
    assert_eq!(
        endpoint(&[("AWS_ENDPOINT_URL", "http://global")]).as_deref(),
        Some("http://global")
    );
    assert_eq!(
        endpoint(&[
            ("AWS_ENDPOINT_URL", "http://global"),
            ("AWS_ENDPOINT_URL_CHIME_SDK_VOICE", "http://service")
        ])
        .as_deref(),
        Some("http://service")
    );
    assert_eq!(
        endpoint(&[
            ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"),
            ("AWS_ENDPOINT_URL", "http://global")
        ]),
        None
    );
    let explicit = loader(h.path(), &[("AWS_ENDPOINT_URL", "http://global")])
        .load()
        .unwrap()
        .endpoint_url("http://explicit")
        .build();
    assert_eq!(explicit.endpoint_url(), Some("http://explicit"));
}

#[tokio::test]
async fn fips_dual_stack_and_attempts_settings() {
    let h = home(
        "[default]\nuse_fips_endpoint = true\nmax_attempts = 7\n",
        "",
    );
    let config = loader(h.path(), &[("AWS_USE_DUALSTACK_ENDPOINT", "true")])
        .load()
        .unwrap()
        .build();
    assert!(config.use_fips() && config.use_dual_stack());
    assert_eq!(config.retry_config().max_attempts(), 7);
    let config = loader(
        h.path(),
        &[
            ("AWS_USE_FIPS_ENDPOINT", "false"),
            ("AWS_MAX_ATTEMPTS", "2"),
        ],
    )
    .load()
    .unwrap()
    .build();
    assert!(!config.use_fips());
    assert_eq!(config.retry_config().max_attempts(), 2);
    let err = loader(h.path(), &[("AWS_USE_FIPS_ENDPOINT", "yes")])
        .load()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "AWS_USE_FIPS_ENDPOINT must be true or false, not \"yes\""
    );
    let err = loader(h.path(), &[("AWS_MAX_ATTEMPTS", "0")])
        .load()
        .unwrap_err();
    assert!(err.to_string().starts_with("AWS_MAX_ATTEMPTS must be"));

    // The compiled rules turn the settings into the FIPS endpoint.
    use chime_sdk_voice::endpoint::resolve_builtins;
    use sdkgen_runtime::endpoint_rules::BuiltIns;
    let builtins = BuiltIns {
        region: Some("us-east-1"),
        use_fips: true,
        use_dual_stack: false,
        endpoint: None,
        ..BuiltIns::default()
    };
    assert_eq!(
        resolve_builtins(&builtins, &[]).unwrap().url,
        "https://voice-chime-fips.us-east-1.amazonaws.com"
    );
}

#[tokio::test]
async fn fips_with_a_custom_endpoint_is_refused_before_sending() {
    let server = MockServer::start(|_, _| Reply::json(200, BODY)).await;
    let config = sdkgen_tests::test_config(&server.url())
        .0
        .use_fips(true)
        .build();
    let err = call(config, &server).await.unwrap_err();
    assert!(
        err.contains("FIPS and custom endpoint are not supported"),
        "{err}"
    );
    assert!(server.requests().is_empty());
}

/// An instance metadata service without IMDSv2 (405 for a token), or with
/// IMDS turned off for the instance (403).
async fn imds_v1(token_status: u16) -> MockServer {
    MockServer::start(move |request, _| match (request.method.as_str(), request.path()) {
        ("PUT", "/latest/api/token") => Reply::json(token_status, ""),
        (_, _) if request.header("x-aws-ec2-metadata-token").is_some() => Reply::json(400, ""),
        ("GET", "/latest/meta-data/iam/security-credentials/") => Reply::Respond {
            status: 200,
            headers: vec![],
            body: "v1-role".into(),
        },
        ("GET", "/latest/meta-data/iam/security-credentials/v1-role") => Reply::json(
            200,
            r#"{"Code":"Success","AccessKeyId":"V1KEY","SecretAccessKey":"v1-secret","Token":"v1-session","Expiration":"2999-01-01T00:00:00Z"}"#,
        ),
        _ => Reply::json(404, ""),
    })
    .await
}

#[tokio::test]
async fn instance_metadata_falls_back_to_v1_and_respects_a_disabled_service() {
    let server = MockServer::start(|_, _| Reply::json(200, BODY)).await;
    let h = home("[default]\nregion = us-east-1\n", "");
    let v1 = imds_v1(405).await;
    let config = imds_loader(h.path(), &v1.url())
        .load()
        .unwrap()
        .endpoint_url(server.url())
        .build();
    let request = call(config, &server).await.unwrap();
    assert_eq!(verify(&request, "v1-secret").unwrap().access_key, "V1KEY");

    let disabled = imds_v1(403).await;
    let config = imds_loader(h.path(), &disabled.url())
        .load()
        .unwrap()
        .endpoint_url(server.url())
        .build();
    let err = call(config, &server).await.unwrap_err();
    assert!(
        err.contains("the instance metadata service is disabled"),
        "{err}"
    );
    assert_eq!(
        disabled.requests().len(),
        1,
        "nothing is asked after a 403 for the token"
    );
}
