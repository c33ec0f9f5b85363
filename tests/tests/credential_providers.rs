//! The credential sources organisations use, against loopback STS, SSO and
//! SSO-OIDC servers that check every signature: role chains, credential
//! sources, MFA, web identity, SSO sessions, and STS's errors. The client's
//! own call (GetProxySession) is verified against the credentials the
//! chain ends with.
#![allow(deprecated)]

use chime_sdk_voice::{Client, Config, Loader, MfaRequest, MfaTokenFn};
use sdkgen_runtime::env::Env;
use sdkgen_runtime::timestamp::format_iso8601;
use sdkgen_runtime::DateTime;
use sdkgen_tests::fake_aws::{self, form, Caller, Issued, Role};
use sdkgen_tests::server::{MockServer, Reply};
use sdkgen_tests::sigv4_verify::verify;
use sdkgen_tests::sso::{sso_cache, SSO_CONFIG};
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const BODY: &str = r#"{"ProxySession":{"ProxySessionId":"ps1"}}"#;
const FAR: &str = "2999-01-01T00:00:00Z";

fn home(config: &str, credentials: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join(".aws")).unwrap();
    std::fs::write(dir.path().join(".aws/config"), config).unwrap();
    std::fs::write(dir.path().join(".aws/credentials"), credentials).unwrap();
    dir
}

/// A loader reading `home`, the variables given, and STS at `sts` (through
/// `AWS_ENDPOINT_URL_STS`, as a user would point it elsewhere).
fn loader(home: &Path, sts: Option<&MockServer>, vars: &[(&str, &str)]) -> Loader {
    let mut pairs = vec![
        ("HOME".to_string(), home.display().to_string()),
        ("AWS_EC2_METADATA_DISABLED".to_string(), "true".to_string()),
    ];
    if let Some(sts) = sts {
        pairs.push(("AWS_ENDPOINT_URL_STS".into(), sts.url()));
    }
    pairs.extend(vars.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    chime_sdk_voice::loader().env(Env::from_pairs(pairs))
}

/// The service: answers GetProxySession to requests signed with `issued`.
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

async fn call(config: Config) -> Result<(), String> {
    Client::new(config)
        .get_proxy_session()
        .voice_connector_id("vc1")
        .proxy_session_id("ps1")
        .send()
        .await
        .map(|_| ())
        .map_err(|e| e.to_string())
}

fn config(loader: Loader, service: &MockServer) -> Config {
    loader.load().unwrap().endpoint_url(service.url()).build()
}

/// `SystemTime::now() + d` in ISO 8601.
fn in_(d: Duration) -> String {
    format_iso8601(&DateTime::from(SystemTime::now() + d))
}

fn roles_asked(sts: &MockServer) -> Vec<String> {
    sts.requests()
        .iter()
        .map(|r| form(r).get("RoleArn").cloned().unwrap_or_default())
        .map(|arn| arn.rsplit('/').next().unwrap_or_default().to_string())
        .collect()
}

#[tokio::test]
async fn a_two_hop_role_chain_signs_each_call_with_the_credentials_before_it() {
    let middle = Role::new("middle", Caller::SignedWith("base-secret".into()));
    let app = Role::new("app", Caller::SignedWith(Issued::for_role("middle").secret));
    let (middle_arn, app_arn) = (middle.arn.clone(), app.arn.clone());
    let sts = fake_aws::sts(vec![middle, app], FAR.into()).await;
    let service = chime(Issued::for_role("app")).await;
    let h = home(
        &format!(
            "[profile app]\nregion = eu-west-1\nrole_arn = {app_arn}\nsource_profile = middle\nexternal_id = ext-1\nrole_session_name = ci-run\nduration_seconds = 900\n\
             [profile middle]\nrole_arn = {middle_arn}\nsource_profile = base\n"
        ),
        "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n",
    );
    let loaded = loader(h.path(), Some(&sts), &[]).profile("app");
    call(config(loaded, &service)).await.unwrap();

    assert_eq!(roles_asked(&sts), ["middle", "app"]);
    let requests = sts.requests();
    let first = form(&requests[0]);
    // Nobody named the middle session: it gets a generated name.
    assert!(
        first["RoleSessionName"].starts_with("sdkgen-session-"),
        "{first:?}"
    );
    assert!(!first.contains_key("ExternalId"));
    let second = form(&requests[1]);
    assert_eq!(second["RoleSessionName"], "ci-run");
    assert_eq!(second["ExternalId"], "ext-1");
    assert_eq!(second["DurationSeconds"], "900");
    assert_eq!(
        verify(&requests[1], "secret-middle").unwrap().access_key,
        "ASIA-middle"
    );
    // STS is called in the profile's region, through its regional endpoint
    // name in the signature scope.
    assert_eq!(
        verify(&requests[0], "base-secret").unwrap().region,
        "eu-west-1"
    );
}

#[tokio::test]
async fn a_source_profile_cycle_is_an_error_naming_the_profiles() {
    let sts = fake_aws::sts(vec![], FAR.into()).await;
    let service = chime(Issued::for_role("app")).await;
    let h = home(
        "[profile a]\nregion = us-east-1\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = b\n\
         [profile b]\nrole_arn = arn:aws:iam::1:role/b\nsource_profile = a\n",
        "",
    );
    let err = call(config(
        loader(h.path(), Some(&sts), &[]).profile("a"),
        &service,
    ))
    .await
    .unwrap_err();
    assert!(
        err.contains("the source_profile chain a -> b -> a is a cycle"),
        "{err}"
    );
    assert!(sts.requests().is_empty() && service.requests().is_empty());
}

#[tokio::test]
async fn each_credential_source_signs_the_assume_role_call() {
    let container = MockServer::start(|_, _| {
        Reply::json(200, r#"{"AccessKeyId":"CONTKEY","SecretAccessKey":"cont-secret","Token":"cont-token","Expiration":"2999-01-01T00:00:00Z"}"#)
    })
    .await;
    let imds = MockServer::start(|request, _| match (request.method.as_str(), request.path()) {
        ("PUT", "/latest/api/token") => Reply::Respond { status: 200, headers: vec![], body: "t".into() },
        ("GET", "/latest/meta-data/iam/security-credentials/") => Reply::Respond { status: 200, headers: vec![], body: "r\n".into() },
        ("GET", "/latest/meta-data/iam/security-credentials/r") => Reply::json(
            200,
            r#"{"Code":"Success","AccessKeyId":"IMDSKEY","SecretAccessKey":"imds-secret","Token":"imds-token","Expiration":"2999-01-01T00:00:00Z"}"#,
        ),
        _ => Reply::json(404, ""),
    })
    .await;
    let container_url = format!("{}/creds", container.url());
    // The source, the secret that signs the AssumeRole call, the variables.
    type Case<'a> = (&'a str, &'a str, Vec<(&'a str, &'a str)>);
    let cases: [Case; 3] = [
        (
            "Environment",
            "env-secret",
            vec![
                ("AWS_ACCESS_KEY_ID", "ENVKEY"),
                ("AWS_SECRET_ACCESS_KEY", "env-secret"),
            ],
        ),
        (
            "EcsContainer",
            "cont-secret",
            vec![("AWS_CONTAINER_CREDENTIALS_FULL_URI", &container_url)],
        ),
        ("Ec2InstanceMetadata", "imds-secret", vec![]),
    ];
    for (source, secret, vars) in cases {
        let role = Role::new("worker", Caller::SignedWith(secret.into()));
        let arn = role.arn.clone();
        let sts = fake_aws::sts(vec![role], FAR.into()).await;
        let service = chime(Issued::for_role("worker")).await;
        let h = home(
            &format!(
                "[profile w]\nregion = us-west-2\nrole_arn = {arn}\ncredential_source = {source}\n"
            ),
            "",
        );
        let mut loaded = loader(h.path(), Some(&sts), &vars).profile("w");
        if source == "Ec2InstanceMetadata" {
            // The metadata service is on, at the fake.
            loaded = loaded.env(Env::from_pairs([
                ("HOME".to_string(), h.path().display().to_string()),
                ("AWS_ENDPOINT_URL_STS".to_string(), sts.url()),
                ("AWS_EC2_METADATA_SERVICE_ENDPOINT".to_string(), imds.url()),
            ]));
        }
        call(config(loaded, &service))
            .await
            .unwrap_or_else(|e| panic!("{source}: {e}"));
        assert_eq!(roles_asked(&sts), ["worker"], "{source}");
    }

    // A credential source that has nothing is an error, not a fall-through.
    let sts = fake_aws::sts(vec![], FAR.into()).await;
    let service = chime(Issued::for_role("worker")).await;
    let h = home(
        "[profile w]\nregion = us-west-2\nrole_arn = arn:aws:iam::1:role/worker\ncredential_source = Environment\n",
        "",
    );
    let err = call(config(
        loader(h.path(), Some(&sts), &[]).profile("w"),
        &service,
    ))
    .await
    .unwrap_err();
    assert!(err.contains("credential_source Environment"), "{err}");
}

#[tokio::test]
async fn mfa_codes_come_from_the_callback_and_their_absence_says_so() {
    let mut role = Role::new("admin", Caller::SignedWith("base-secret".into()));
    role.mfa = Some(("arn:aws:iam::123456789012:mfa/me".into(), "123456".into()));
    let arn = role.arn.clone();
    let sts = fake_aws::sts(vec![role], FAR.into()).await;
    let service = chime(Issued::for_role("admin")).await;
    let h = home(
        &format!(
            "[profile admin]\nregion = us-east-1\nrole_arn = {arn}\nsource_profile = base\nmfa_serial = arn:aws:iam::123456789012:mfa/me\n"
        ),
        "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n",
    );

    let err = call(config(
        loader(h.path(), Some(&sts), &[]).profile("admin"),
        &service,
    ))
    .await
    .unwrap_err();
    assert!(
        err.contains("needs the code of MFA device") && err.contains("mfa_token_provider"),
        "{err}"
    );
    assert!(sts.requests().is_empty());

    let asked = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = asked.clone();
    let mfa = MfaTokenFn::new(move |request: &MfaRequest| {
        seen.lock().unwrap().push(request.clone());
        Ok("123456".to_string())
    });
    let loaded = loader(h.path(), Some(&sts), &[])
        .profile("admin")
        .mfa_token_provider(mfa);
    call(config(loaded, &service)).await.unwrap();
    let asked = asked.lock().unwrap().clone();
    assert_eq!(asked.len(), 1);
    assert_eq!(asked[0].profile, "admin");
    assert_eq!(asked[0].serial, "arn:aws:iam::123456789012:mfa/me");
    let sent = form(&sts.requests()[0]);
    assert_eq!(sent["TokenCode"], "123456");

    // A callback that has no code fails the call with its reason.
    let refuse = MfaTokenFn::new(|_: &MfaRequest| Err("no terminal to ask on".to_string()));
    let loaded = loader(h.path(), Some(&sts), &[])
        .profile("admin")
        .mfa_token_provider(refuse);
    let err = call(config(loaded, &service)).await.unwrap_err();
    assert!(err.contains("no terminal to ask on"), "{err}");
}

#[tokio::test]
async fn web_identity_rereads_a_rotated_token_file() {
    let h = home("[default]\nregion = us-east-1\n", "");
    let token_file = h.path().join("token.jwt");
    std::fs::write(&token_file, "first-token\n").unwrap();
    let role = Role::new("pod", Caller::WebIdentity("first-token".into()));
    let arn = role.arn.clone();
    // Credentials that are inside the refresh window: every call fetches.
    let sts = fake_aws::sts(vec![role], in_(Duration::from_secs(120))).await;
    let service = chime(Issued::for_role("pod")).await;
    let vars = [
        ("AWS_WEB_IDENTITY_TOKEN_FILE", token_file.to_str().unwrap()),
        ("AWS_ROLE_ARN", arn.as_str()),
        ("AWS_ROLE_SESSION_NAME", "pod-session"),
    ];
    let pod = config(loader(h.path(), Some(&sts), &vars), &service);
    call(pod.clone()).await.unwrap();
    assert_eq!(form(&sts.requests()[0])["RoleSessionName"], "pod-session");

    // The platform rotates the token in place; the next refresh sends the
    // new one (the fake refuses the old one from now on).
    std::fs::write(&token_file, "second-token").unwrap();
    let err = call(pod).await.unwrap_err();
    assert!(err.contains("InvalidIdentityToken"), "{err}");
    let tokens: Vec<String> = sts
        .requests()
        .iter()
        .map(|r| form(r)["WebIdentityToken"].clone())
        .collect();
    assert_eq!(tokens, ["first-token", "second-token"]);

    // The same from a profile.
    let role = Role::new("pod", Caller::WebIdentity("second-token".into()));
    let sts = fake_aws::sts(vec![role], FAR.into()).await;
    let h2 = home(
        &format!(
            "[profile eks]\nregion = us-east-1\nrole_arn = {arn}\nweb_identity_token_file = {}\n",
            token_file.display()
        ),
        "",
    );
    call(config(
        loader(h2.path(), Some(&sts), &[]).profile("eks"),
        &service,
    ))
    .await
    .unwrap();
    assert_eq!(sts.requests().len(), 1);
}

#[tokio::test]
async fn sts_errors_surface_with_their_code() {
    for (name, code) in [
        ("denied", "AccessDenied"),
        ("expired", "ExpiredTokenException"),
    ] {
        let role = Role::new(name, Caller::SignedWith("base-secret".into()));
        let arn = role.arn.clone();
        let sts = fake_aws::sts(vec![role], FAR.into()).await;
        let service = chime(Issued::for_role(name)).await;
        let h = home(
            &format!("[profile p]\nregion = us-east-1\nrole_arn = {arn}\nsource_profile = base\n"),
            "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n",
        );
        let err = call(config(
            loader(h.path(), Some(&sts), &[]).profile("p"),
            &service,
        ))
        .await
        .unwrap_err();
        assert!(
            err.contains(code) && err.contains("profile \"p\"") && err.contains(&arn),
            "{err}"
        );
        assert!(!err.contains("base-secret"), "{err}");
        assert!(service.requests().is_empty());
    }
}

#[tokio::test]
async fn role_credentials_are_fetched_again_only_when_they_near_expiry() {
    let lasting = Role::new("lasting", Caller::SignedWith("base-secret".into()));
    let arn = lasting.arn.clone();
    let sts = fake_aws::sts(vec![lasting], in_(Duration::from_secs(3600))).await;
    let service = chime(Issued::for_role("lasting")).await;
    let h = home(
        &format!("[profile p]\nregion = us-east-1\nrole_arn = {arn}\nsource_profile = base\n"),
        "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n",
    );
    let lasting = config(loader(h.path(), Some(&sts), &[]).profile("p"), &service);
    for _ in 0..3 {
        call(lasting.clone()).await.unwrap();
    }
    assert_eq!(
        sts.requests().len(),
        1,
        "an hour-long credential is fetched once"
    );

    let brief = Role::new("brief", Caller::SignedWith("base-secret".into()));
    let arn = brief.arn.clone();
    let sts = fake_aws::sts(vec![brief], in_(Duration::from_secs(200))).await;
    let service = chime(Issued::for_role("brief")).await;
    let h = home(
        &format!("[profile p]\nregion = us-east-1\nrole_arn = {arn}\nsource_profile = base\n"),
        "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n",
    );
    let brief = config(loader(h.path(), Some(&sts), &[]).profile("p"), &service);
    for _ in 0..2 {
        call(brief.clone()).await.unwrap();
    }
    assert_eq!(
        sts.requests().len(),
        2,
        "credentials within the 10-minute mandatory window are fetched again"
    );
}

fn sso_loader(home: &Path, sso: &MockServer, oidc: &MockServer) -> Loader {
    loader(
        home,
        None,
        &[
            ("AWS_ENDPOINT_URL_SSO", &sso.url()),
            ("AWS_ENDPOINT_URL_SSO_OIDC", &oidc.url()),
        ],
    )
    .profile("dev")
}

fn expiration_millis() -> i64 {
    (SystemTime::now() + Duration::from_secs(3600))
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

#[tokio::test]
async fn sso_with_a_valid_an_expiring_and_an_expired_token() {
    let service = chime(Issued::for_role("sso-Developer")).await;

    // Valid: used as it is.
    let sso = fake_aws::sso(
        "111122223333",
        "Developer",
        "valid-token",
        expiration_millis(),
    )
    .await;
    let oidc = fake_aws::sso_oidc("client-1", "refresh-1", "fresh-token").await;
    let h = home(SSO_CONFIG, "");
    sso_cache(h.path(), "valid-token", &in_(Duration::from_secs(3600)));
    call(config(sso_loader(h.path(), &sso, &oidc), &service))
        .await
        .unwrap();
    assert_eq!(sso.requests().len(), 1);
    assert!(oidc.requests().is_empty());

    // About to expire: refreshed with SSO-OIDC first, and written back.
    let sso = fake_aws::sso(
        "111122223333",
        "Developer",
        "fresh-token",
        expiration_millis(),
    )
    .await;
    let h = home(SSO_CONFIG, "");
    let cache = sso_cache(h.path(), "old-token", &in_(Duration::from_secs(60)));
    call(config(sso_loader(h.path(), &sso, &oidc), &service))
        .await
        .unwrap();
    assert_eq!(oidc.requests().len(), 1);
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&cache).unwrap()).unwrap();
    assert_eq!(written["accessToken"], "fresh-token");
    assert_eq!(written["refreshToken"], "rotated-refresh-1");
    assert_eq!(
        written["clientId"], "client-1",
        "the rest of the cache is kept"
    );

    // Expired, and the refresh is refused: log in again.
    let refusing = MockServer::start(|_, _| {
        Reply::error(400, "InvalidGrantException", "refresh token expired")
    })
    .await;
    let h = home(SSO_CONFIG, "");
    sso_cache(h.path(), "dead-token", "2001-01-01T00:00:00Z");
    let err = call(config(sso_loader(h.path(), &sso, &refusing), &service))
        .await
        .unwrap_err();
    assert!(
        err.contains("run `aws sso login --sso-session corp`"),
        "{err}"
    );
    assert!(
        !err.contains("dead-token") && !err.contains("client-secret"),
        "{err}"
    );

    // A legacy profile (the start URL in the profile) finds its token by
    // the start URL, and cannot refresh it.
    use sha1::{Digest, Sha1};
    let h = home(
        "[profile dev]\nregion = us-east-1\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n\
         sso_account_id = 111122223333\nsso_role_name = Developer\n",
        "",
    );
    let name: String = Sha1::digest(b"https://corp.awsapps.com/start")
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let legacy = h.path().join(format!(".aws/sso/cache/{name}.json"));
    std::fs::create_dir_all(legacy.parent().unwrap()).unwrap();
    std::fs::write(
        &legacy,
        r#"{"startUrl":"https://corp.awsapps.com/start","region":"eu-west-1","accessToken":"fresh-token","expiresAt":"2999-01-01T00:00:00Z"}"#,
    )
    .unwrap();
    call(config(sso_loader(h.path(), &sso, &oidc), &service))
        .await
        .unwrap();
    std::fs::write(
        &legacy,
        r#"{"startUrl":"https://corp.awsapps.com/start","region":"eu-west-1","accessToken":"fresh-token","expiresAt":"2001-01-01T00:00:00Z"}"#,
    )
    .unwrap();
    let err = call(config(sso_loader(h.path(), &sso, &oidc), &service))
        .await
        .unwrap_err();
    assert!(err.contains("run `aws sso login --profile dev`"), "{err}");

    // No token at all: the same advice.
    let h = home(SSO_CONFIG, "");
    let err = call(config(sso_loader(h.path(), &sso, &oidc), &service))
        .await
        .unwrap_err();
    assert!(
        err.contains("no SSO token") && err.contains("aws sso login"),
        "{err}"
    );
}
