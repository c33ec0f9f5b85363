//! The configuration crate's credential chain (`sdkgen-config`'s
//! `Loader`) against moto's STS: a profile that assumes a role through a
//! two-hop `source_profile` chain, and web identity as EKS sets it up.
//!
//! The loader reads a config file written here and variables given to it
//! (`Env::from_pairs`, so nothing of this machine's `~/.aws` or
//! environment leaks in), with `AWS_ENDPOINT_URL` pointing at moto, as a
//! user points every service at an emulator. The chain calls moto's
//! AssumeRole or AssumeRoleWithWebIdentity; GetCallerIdentity signed with
//! the credentials it ends with then names the role, which shows that the
//! credentials came from moto and were used. (moto checks no signature,
//! so which credentials signed the chain's middle hop is not seen here;
//! `tests/tests/credential_providers.rs` checks that against its own STS.)

use crate::scenario::{eq, sent, step, Emulator, Outcome, Scenario, REGION};
use sdkgen_config::Loader;
use sdkgen_runtime::env::Env;
use std::path::Path;

pub const SCENARIOS: &[Scenario] = &[
    Scenario {
        name: "config: a two-hop role_arn + source_profile chain ends in the last role, assumed at moto",
        run: |e| Box::pin(assume_role_profile(e)),
    },
    Scenario {
        name: "config: AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN assume the role at moto",
        run: |e| Box::pin(web_identity(e)),
    },
];

const APP_ROLE: &str = "arn:aws:iam::111122223333:role/e2e-chain-app";
const MIDDLE_ROLE: &str = "arn:aws:iam::444455556666:role/e2e-chain-middle";
const WEB_ROLE: &str = "arn:aws:iam::777788889999:role/e2e-web";

/// The variables a user sets to use `dir`'s files and the emulator, and
/// no instance metadata (this is not EC2).
fn variables(dir: &Path, emulator: &Emulator) -> Vec<(String, String)> {
    let path = |name: &str| dir.join(name).display().to_string();
    [
        ("AWS_CONFIG_FILE", path("config")),
        ("AWS_SHARED_CREDENTIALS_FILE", path("credentials")),
        ("AWS_ENDPOINT_URL", emulator.url.clone()),
        ("AWS_EC2_METADATA_DISABLED", "true".into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

fn write(dir: &Path, name: &str, contents: &str) -> Result<(), String> {
    std::fs::write(dir.join(name), contents)
        .map_err(|e| format!("cannot write {}: {e}", dir.join(name).display()))
}

/// GetCallerIdentity on a client from the loader: the identity the
/// credential chain ended with.
async fn identity_of(
    loader: Loader,
) -> Result<sts::operation::get_caller_identity::GetCallerIdentityOutput, String> {
    let config = step("loading the configuration", loader.load())?.build();
    sent(sts::Client::new(config).get_caller_identity().send().await)
}

async fn assume_role_profile(emulator: Emulator) -> Outcome {
    let dir = step("a temporary directory", tempfile::tempdir())?;
    write(
        dir.path(),
        "config",
        &format!(
            "[profile e2e-app]\nregion = {REGION}\nrole_arn = {APP_ROLE}\nsource_profile = e2e-middle\nrole_session_name = e2e-chain-session\n\n\
             [profile e2e-middle]\nrole_arn = {MIDDLE_ROLE}\nsource_profile = e2e-base\n"
        ),
    )?;
    write(
        dir.path(),
        "credentials",
        "[e2e-base]\naws_access_key_id = AKIAE2EBASEKEY000001\naws_secret_access_key = e2e-base-secret\n",
    )?;
    let mut vars = variables(dir.path(), &emulator);
    vars.push(("AWS_PROFILE".into(), "e2e-app".into()));
    let loader = Loader::new("STS").env(Env::from_pairs(vars));
    let identity = identity_of(loader).await?;
    eq("Account", identity.account(), Some("111122223333"))?;
    eq(
        "Arn",
        identity.arn(),
        Some("arn:aws:sts::111122223333:assumed-role/e2e-chain-app/e2e-chain-session"),
    )?;
    Ok(())
}

async fn web_identity(emulator: Emulator) -> Outcome {
    let dir = step("a temporary directory", tempfile::tempdir())?;
    write(dir.path(), "config", "")?;
    write(dir.path(), "credentials", "")?;
    // moto does not read the token; STS would check it with the identity
    // provider. Any JWT-shaped text stands in.
    write(
        dir.path(),
        "token",
        "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJlMmUifQ.c2ln",
    )?;
    let mut vars = variables(dir.path(), &emulator);
    vars.extend(
        [
            ("AWS_REGION", REGION.to_string()),
            ("AWS_ROLE_ARN", WEB_ROLE.to_string()),
            ("AWS_ROLE_SESSION_NAME", "e2e-web-session".to_string()),
            (
                "AWS_WEB_IDENTITY_TOKEN_FILE",
                dir.path().join("token").display().to_string(),
            ),
        ]
        .map(|(k, v)| (k.to_string(), v)),
    );
    let loader = Loader::new("STS").env(Env::from_pairs(vars));
    let identity = identity_of(loader).await?;
    eq("Account", identity.account(), Some("777788889999"))?;
    eq(
        "Arn",
        identity.arn(),
        Some("arn:aws:sts::777788889999:assumed-role/e2e-web/e2e-web-session"),
    )?;
    Ok(())
}
