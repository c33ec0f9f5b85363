//! `get-proxy-session --profile P` with the kinds of profile organisations
//! use: a role assumed in two hops, web identity, an SSO session, and a role
//! that needs an MFA code with no terminal to ask on. Every AWS endpoint is
//! a loopback server set through `AWS_ENDPOINT_URL_<SERVICE>`, as a user
//! would point the command at a proxy or a VPC endpoint.

use sdkgen_tests::fake_aws::{self, form, Caller, Issued, Role};
use sdkgen_tests::server::{MockServer, Reply};
use sdkgen_tests::sigv4_verify::verify;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const BODY: &str = r#"{"ProxySession":{"ProxySessionId":"ps1"}}"#;
const FAR: &str = "2999-01-01T00:00:00Z";

/// The service, answering requests signed with `issued`.
async fn chime(issued: Issued) -> MockServer {
    MockServer::start(move |request, _| {
        let signed =
            verify(request, &issued.secret).is_ok_and(|a| a.access_key == issued.access_key_id);
        if signed && request.header("x-amz-security-token") == Some(issued.token.as_str()) {
            Reply::json(200, BODY)
        } else {
            Reply::error(403, "UnrecognizedClientException", "bad signature")
        }
    })
    .await
}

fn home(config: &str, credentials: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join(".aws")).unwrap();
    std::fs::write(dir.path().join(".aws/config"), config).unwrap();
    std::fs::write(dir.path().join(".aws/credentials"), credentials).unwrap();
    dir
}

/// Runs the command with `--profile profile` in a clean environment.
fn run(home: &Path, profile: &str, endpoints: &[(&str, String)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_get-proxy-session"));
    command
        .args([
            "--profile",
            profile,
            "--voice-connector-id",
            "vc1",
            "--proxy-session-id",
            "ps1",
        ])
        .env_clear()
        .env("HOME", home)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .stdin(Stdio::null());
    for (name, url) in endpoints {
        command.env(name, url);
    }
    command.output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_assume_role_profile_of_two_hops() {
    let middle = Role::new("middle", Caller::SignedWith("base-secret".into()));
    let app = Role::new("app", Caller::SignedWith(Issued::for_role("middle").secret));
    let config = format!(
        "[profile app]\nregion = us-west-2\nrole_arn = {}\nsource_profile = middle\n[profile middle]\nrole_arn = {}\nsource_profile = base\n",
        app.arn, middle.arn
    );
    let sts = fake_aws::sts(vec![middle, app], FAR.into()).await;
    let service = chime(Issued::for_role("app")).await;
    let h = home(
        &config,
        "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n",
    );
    let out = run(
        h.path(),
        "app",
        &[
            ("AWS_ENDPOINT_URL_STS", sts.url()),
            ("AWS_ENDPOINT_URL_CHIME_SDK_VOICE", service.url()),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));
    assert!(text(&out.stdout).contains("\"ProxySessionId\": \"ps1\""));
    assert_eq!(sts.requests().len(), 2);
    assert_eq!(
        verify(&service.requests()[0], "secret-app").unwrap().region,
        "us-west-2"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_web_identity_profile() {
    let h = home("", "");
    let token_file = h.path().join("token.jwt");
    std::fs::write(&token_file, "oidc-token").unwrap();
    let role = Role::new("pod", Caller::WebIdentity("oidc-token".into()));
    std::fs::write(
        h.path().join(".aws/config"),
        format!(
            "[profile eks]\nregion = eu-central-1\nrole_arn = {}\nweb_identity_token_file = {}\n",
            role.arn,
            token_file.display()
        ),
    )
    .unwrap();
    let sts = fake_aws::sts(vec![role], FAR.into()).await;
    let service = chime(Issued::for_role("pod")).await;
    let out = run(
        h.path(),
        "eks",
        &[
            ("AWS_ENDPOINT_URL_STS", sts.url()),
            ("AWS_ENDPOINT_URL_CHIME_SDK_VOICE", service.url()),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));
    assert_eq!(
        form(&sts.requests()[0])["Action"],
        "AssumeRoleWithWebIdentity"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_sso_session_profile() {
    use sha1::{Digest, Sha1};
    let expiration = (SystemTime::now() + Duration::from_secs(3600))
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    let sso = fake_aws::sso("111122223333", "Developer", "portal-token", expiration).await;
    let oidc = fake_aws::sso_oidc("client-1", "refresh-1", "unused").await;
    let service = chime(Issued::for_role("sso-Developer")).await;
    let h = home(
        "[profile dev]\nregion = us-east-1\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Developer\n\
         [sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n",
        "",
    );
    let cache = h.path().join(".aws/sso/cache");
    std::fs::create_dir_all(&cache).unwrap();
    let name: String = Sha1::digest(b"corp")
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    std::fs::write(
        cache.join(format!("{name}.json")),
        r#"{"startUrl":"https://corp.awsapps.com/start","region":"eu-west-1","accessToken":"portal-token","expiresAt":"2999-01-01T00:00:00Z"}"#,
    )
    .unwrap();
    let out = run(
        h.path(),
        "dev",
        &[
            ("AWS_ENDPOINT_URL_SSO", sso.url()),
            ("AWS_ENDPOINT_URL_SSO_OIDC", oidc.url()),
            ("AWS_ENDPOINT_URL_CHIME_SDK_VOICE", service.url()),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));
    assert_eq!(sso.requests().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_mfa_profile_without_a_terminal_fails_saying_why() {
    let mut role = Role::new("admin", Caller::SignedWith("base-secret".into()));
    role.mfa = Some(("arn:aws:iam::123456789012:mfa/me".into(), "123456".into()));
    let config = format!(
        "[profile admin]\nregion = us-east-1\nrole_arn = {}\nsource_profile = base\nmfa_serial = arn:aws:iam::123456789012:mfa/me\n",
        role.arn
    );
    let sts = fake_aws::sts(vec![role], FAR.into()).await;
    let service = chime(Issued::for_role("admin")).await;
    let h = home(
        &config,
        "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n",
    );
    let out = run(
        h.path(),
        "admin",
        &[
            ("AWS_ENDPOINT_URL_STS", sts.url()),
            ("AWS_ENDPOINT_URL_CHIME_SDK_VOICE", service.url()),
        ],
    );
    assert_eq!(out.status.code(), Some(255));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("needs an MFA code for arn:aws:iam::123456789012:mfa/me")
            && stderr.contains("no terminal"),
        "{stderr}"
    );
    assert!(sts.requests().is_empty() && service.requests().is_empty());
}
