//! The `get-proxy-session` command against a loopback server, as a user
//! runs it: environment credentials, AWS CLI output and exit codes.

use sdkgen_tests::server::{closed_port_url, MockServer, Reply};
use sdkgen_tests::sigv4_verify::verify;
use sdkgen_tests::{decoded_segments, ACCESS_KEY, SECRET_KEY};
use std::process::{Command, Output};

const BODY: &str = r#"{"ProxySession":{"VoiceConnectorId":"vc1","ProxySessionId":"ps1","Status":"Paused","ExpiryMinutes":60,"CreatedTimestamp":1704164645.5,"Participants":[{"PhoneNumber":"+12065550100"}],"Unknown":1}}"#;

fn run(endpoint: &str, args: &[&str], extra_env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_get-proxy-session"));
    command
        .args(args)
        .arg("--endpoint-url")
        .arg(endpoint)
        .env_clear()
        .env("AWS_ACCESS_KEY_ID", ACCESS_KEY)
        .env("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
        .env("AWS_REGION", "us-east-1");
    for (k, v) in extra_env {
        command.env(k, v);
    }
    command.output().expect("the command runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn success_prints_aws_cli_json() {
    let server = MockServer::start(|_, _| Reply::json(200, BODY)).await;
    let out = run(
        &server.url(),
        &["--voice-connector-id", "vc1", "--proxy-session-id=ps1"],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let expected = r#"{
    "ProxySession": {
        "VoiceConnectorId": "vc1",
        "ProxySessionId": "ps1",
        "Status": "Paused",
        "ExpiryMinutes": 60,
        "CreatedTimestamp": "2024-01-02T03:04:05.5Z",
        "Participants": [
            {
                "PhoneNumber": "+12065550100"
            }
        ]
    }
}
"#;
    assert_eq!(stdout, expected);
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    verify(&requests[0], SECRET_KEY).unwrap();
    assert!(requests[0]
        .header("user-agent")
        .unwrap()
        .ends_with("app/get-proxy-session"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn service_errors_exit_254_in_the_aws_cli_format() {
    let server = MockServer::start(|_, _| {
        Reply::error(404, "NotFoundException", "The proxy session was not found.")
    })
    .await;
    let out = run(
        &server.url(),
        &[
            "--voice-connector-id",
            "vc1",
            "--proxy-session-id",
            "missing",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(254));
    assert_eq!(
        text(&out.stderr).trim(),
        "An error occurred (NotFoundException) when calling the GetProxySession operation: The proxy session was not found."
    );
    assert!(out.stdout.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_code_the_status_and_body_text_are_shown() {
    let server = MockServer::start(|_, _| Reply::Respond {
        status: 400,
        headers: vec![],
        body: "Bad things".into(),
    })
    .await;
    let out = run(
        &server.url(),
        &["--voice-connector-id", "v", "--proxy-session-id", "p"],
        &[],
    );
    assert_eq!(out.status.code(), Some(254));
    assert_eq!(
        text(&out.stderr).trim(),
        "An error occurred (400) when calling the GetProxySession operation: Bad things"
    );

    let server = MockServer::start(|_, _| Reply::json(403, r#"{"message":"denied"}"#)).await;
    let out = run(
        &server.url(),
        &["--voice-connector-id", "v", "--proxy-session-id", "p"],
        &[],
    );
    assert_eq!(
        text(&out.stderr).trim(),
        "An error occurred (403) when calling the GetProxySession operation: denied"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_side_failures_exit_255() {
    let url = closed_port_url().await;
    let out = run(
        &url,
        &["--voice-connector-id", "v", "--proxy-session-id", "p"],
        &[("AWS_MAX_ATTEMPTS", "1")],
    );
    assert_eq!(out.status.code(), Some(255));
    let stderr = text(&out.stderr);
    assert!(
        stderr.trim().starts_with("GetProxySession: cannot connect"),
        "{stderr}"
    );

    let server = MockServer::start(|_, _| Reply::json(200, BODY)).await;
    let out = run(
        &server.url(),
        &["--voice-connector-id", "", "--proxy-session-id", "p"],
        &[],
    );
    assert_eq!(out.status.code(), Some(255));
    assert!(text(&out.stderr).contains("VoiceConnectorId is invalid"));

    let out = run(
        &server.url(),
        &["--voice-connector-id", "v", "--proxy-session-id", "p"],
        &[("AWS_MAX_ATTEMPTS", "zero")],
    );
    assert_eq!(out.status.code(), Some(255));
    assert!(text(&out.stderr).contains("AWS_MAX_ATTEMPTS"));
    assert!(server.requests().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn usage_errors_exit_252() {
    let out = run("http://127.0.0.1:9", &["--proxy-session-id", "p"], &[]);
    assert_eq!(out.status.code(), Some(252));
    assert!(
        text(&out.stderr).contains("the following arguments are required: --voice-connector-id")
    );
    let out = run(
        "http://127.0.0.1:9",
        &[
            "--voice-connector-id",
            "v",
            "--proxy-session-id",
            "p",
            "--colour",
            "red",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(252));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn labels_pass_through_untouched() {
    let server = MockServer::start(|_, _| Reply::json(200, "{}")).await;
    let labels = ["-x", "--", "a b", "line\nbreak", "日本語", "..", "a/b"];
    for label in labels {
        let out = run(
            &server.url(),
            &["--voice-connector-id", label, "--proxy-session-id", label],
            &[],
        );
        assert_eq!(
            out.status.code(),
            Some(0),
            "{label:?}: {}",
            text(&out.stderr)
        );
    }
    for (request, label) in server.requests().iter().zip(labels) {
        assert_eq!(
            decoded_segments(request.path()),
            ["voice-connectors", label, "proxy-sessions", label]
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn debug_shows_the_flow_and_never_a_secret() {
    let server = MockServer::start(|_, i| {
        if i == 0 {
            Reply::error(503, "ServiceUnavailableException", "busy")
        } else {
            Reply::json(200, "{}")
        }
    })
    .await;
    let out = run(
        &server.url(),
        &[
            "--voice-connector-id",
            "v",
            "--proxy-session-id",
            "p",
            "--debug",
        ],
        &[("AWS_SESSION_TOKEN", "SESSION-TOKEN-VALUE")],
    );
    assert_eq!(out.status.code(), Some(0));
    let stderr = text(&out.stderr);
    for expected in [
        "resolved endpoint",
        "attempt=1",
        "status=503",
        "request_id=test-request-id",
        "retrying",
        "attempt=2",
        "status=200",
    ] {
        assert!(stderr.contains(expected), "{expected:?} not in:\n{stderr}");
    }
    let signature = server.requests()[0]
        .header("authorization")
        .unwrap()
        .rsplit('=')
        .next()
        .unwrap()
        .to_string();
    for secret in [SECRET_KEY, "SESSION-TOKEN-VALUE", signature.as_str()] {
        assert!(!stderr.contains(secret), "a secret was logged:\n{stderr}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_profile_from_a_temporary_home_reaches_the_server_signed() {
    let server = MockServer::start(|_, _| Reply::json(200, BODY)).await;
    let home = std::env::temp_dir().join(format!("gps-home-{}", std::process::id()));
    std::fs::create_dir_all(home.join(".aws")).unwrap();
    std::fs::write(
        home.join(".aws/config"),
        format!("[default]\nregion = eu-west-1\n\n[profile work]\nregion = us-west-2\nendpoint_url = {}\n", server.url()),
    )
    .unwrap();
    std::fs::write(
        home.join(".aws/credentials"),
        "[work]\naws_access_key_id = WORKKEY\naws_secret_access_key = work-secret\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_get-proxy-session"))
        .args([
            "--profile",
            "work",
            "--voice-connector-id",
            "vc1",
            "--proxy-session-id",
            "ps1",
        ])
        .env_clear()
        .env("HOME", &home)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .unwrap();
    std::fs::remove_dir_all(&home).ok();
    assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));
    assert!(text(&out.stdout).contains("\"ProxySessionId\": \"ps1\""));
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let auth = verify(&requests[0], "work-secret").unwrap();
    assert_eq!(
        (auth.access_key.as_str(), auth.region.as_str()),
        ("WORKKEY", "us-west-2")
    );

    let out = Command::new(env!("CARGO_BIN_EXE_get-proxy-session"))
        .args([
            "--profile",
            "nope",
            "--voice-connector-id",
            "vc1",
            "--proxy-session-id",
            "ps1",
        ])
        .env_clear()
        .env("HOME", "/nonexistent-home")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(255));
    assert!(text(&out.stderr).contains("profile \"nope\" is not in the shared config files"));
}
