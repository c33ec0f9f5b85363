//! STS (`generated/sts`, awsQuery) against moto: GetCallerIdentity,
//! AssumeRole, the assumed role's credentials in use, and an error.
//!
//! moto assumes any role ARN without checking that the role exists or
//! trusts the caller, and takes the account from the role's ARN; it
//! remembers the temporary access keys it issued, so GetCallerIdentity
//! signed with them answers with the assumed role, as STS does.

use crate::ensure;
use crate::scenario::{eq, failed, present, sent, Emulator, Outcome, Scenario};
use std::time::SystemTime;
use sts::{Credentials, DateTime, ProvideErrorMetadata, SdkError};

pub const SCENARIOS: &[Scenario] = &[
    Scenario {
        name: "sts: GetCallerIdentity with static keys",
        run: |e| Box::pin(caller_identity(e)),
    },
    Scenario {
        name: "sts: AssumeRole returns temporary credentials",
        run: |e| Box::pin(assume_role(e)),
    },
    Scenario {
        name: "sts: GetCallerIdentity signed with an assumed role's credentials",
        run: |e| Box::pin(assumed_identity(e)),
    },
    Scenario {
        name: "sts: AssumeRole with a too long session name is a ValidationError",
        run: |e| Box::pin(validation_error(e)),
    },
];

/// The account moto answers for keys it did not issue.
const MOTO_DEFAULT_ACCOUNT: &str = "123456789012";
/// The account of the roles assumed here, as moto reads it from the ARN.
const ROLE_ACCOUNT: &str = "111122223333";

fn client(emulator: &Emulator) -> sts::Client {
    sts::Client::new(emulator.config().build())
}

fn role_arn(name: &str) -> String {
    format!("arn:aws:iam::{ROLE_ACCOUNT}:role/{name}")
}

async fn caller_identity(emulator: Emulator) -> Outcome {
    let output = sent(client(&emulator).get_caller_identity().send().await)?;
    let account = present("Account", output.account())?;
    // moto's default account; real STS answers the account of the key.
    eq("Account", account, MOTO_DEFAULT_ACCOUNT)?;
    let arn = present("Arn", output.arn())?;
    // An IAM user's ARN is `arn:aws:iam::ACCOUNT:user/NAME`. moto deviates:
    // for keys it does not know it answers `arn:aws:sts::ACCOUNT:user/moto`,
    // so the service part of the ARN is not checked; the rest is.
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    ensure!(
        parts.len() == 6 && parts[0] == "arn" && parts[1] == "aws",
        "Arn is not an ARN of the aws partition: {arn:?}"
    );
    eq("the account in Arn", parts[4], account)?;
    ensure!(parts[5].starts_with("user/"), "Arn names no user: {arn:?}");
    // STS answers an IAM user's unique id (`AIDA...`); moto deviates and
    // answers the placeholder access key `AKIAIOSFODNN7EXAMPLE`, so only
    // its presence is checked.
    present("UserId", output.user_id())?;
    Ok(())
}

async fn assume_role(emulator: Emulator) -> Outcome {
    let asked = DateTime::now();
    let output = sent(
        client(&emulator)
            .assume_role()
            .role_arn(role_arn("e2e-assume"))
            .role_session_name("e2e-assume-session")
            .external_id("e2e-external-id")
            .duration_seconds(900)
            .send()
            .await,
    )?;
    let credentials = output
        .credentials()
        .ok_or("AssumeRole answered no Credentials")?;
    let key = present("AccessKeyId", credentials.access_key_id())?;
    // Temporary keys are `ASIA` and 16 more characters.
    ensure!(
        key.starts_with("ASIA") && key.len() == 20,
        "AccessKeyId is not a temporary key: {key:?}"
    );
    present("SecretAccessKey", credentials.secret_access_key())?;
    present("SessionToken", credentials.session_token())?;
    let expiration = credentials
        .expiration()
        .ok_or("Credentials.Expiration is missing")?;
    // 900 s asked; a minute either way for the two clocks and the call.
    let lasts = expiration.secs() - asked.secs();
    ensure!(
        (840..=960).contains(&lasts),
        "Expiration is {lasts} s after the call, not about 900 s: {expiration}"
    );
    let user = output
        .assumed_role_user()
        .ok_or("AssumeRole answered no AssumedRoleUser")?;
    eq(
        "AssumedRoleUser.Arn",
        present("AssumedRoleUser.Arn", user.arn())?,
        format!("arn:aws:sts::{ROLE_ACCOUNT}:assumed-role/e2e-assume/e2e-assume-session").as_str(),
    )?;
    let id = present("AssumedRoleUser.AssumedRoleId", user.assumed_role_id())?;
    // `AROA<role id>:<session name>`.
    ensure!(
        id.starts_with("AROA") && id.ends_with(":e2e-assume-session"),
        "AssumedRoleId is not the role's id and the session name: {id:?}"
    );
    Ok(())
}

async fn assumed_identity(emulator: Emulator) -> Outcome {
    let assumed = sent(
        client(&emulator)
            .assume_role()
            .role_arn(role_arn("e2e-identity"))
            .role_session_name("e2e-identity-session")
            .send()
            .await,
    )?;
    let issued = assumed
        .credentials()
        .ok_or("AssumeRole answered no Credentials")?;
    let temporary = Credentials::new(
        present("AccessKeyId", issued.access_key_id())?,
        present("SecretAccessKey", issued.secret_access_key())?,
        Some(present("SessionToken", issued.session_token())?.to_string()),
        issued
            .expiration()
            .and_then(|e| SystemTime::try_from(*e).ok()),
    );
    let role = assumed
        .assumed_role_user()
        .ok_or("AssumeRole answered no AssumedRoleUser")?;
    let as_role = sts::Client::new(emulator.config_with(temporary).build());
    let identity = sent(as_role.get_caller_identity().send().await)?;
    eq("Account", identity.account(), Some(ROLE_ACCOUNT))?;
    eq("Arn", identity.arn(), role.arn())?;
    // STS answers the AssumedRoleId that AssumeRole returned
    // (`<role id>:<session>`). moto deviates: for a role that is not in
    // its IAM it makes up a new random role id each time it is asked, so
    // only the session part and the `AROA` prefix can be compared.
    let user_id = present("UserId", identity.user_id())?;
    let (_, session) = present("AssumedRoleId", role.assumed_role_id())?
        .split_once(':')
        .ok_or("AssumedRoleId has no session part")?;
    ensure!(
        user_id.starts_with("AROA") && user_id.ends_with(&format!(":{session}")),
        "UserId is not a role id and the session {session:?}: {user_id:?}"
    );
    Ok(())
}

async fn validation_error(emulator: Emulator) -> Outcome {
    // RoleSessionName is at most 64 characters. The model says so, but a
    // `max` is left to the service, as botocore leaves it (the client
    // checks only minimums): the request is sent and STS refuses it.
    let result = client(&emulator)
        .assume_role()
        .role_arn(role_arn("e2e-refused"))
        .role_session_name("s".repeat(65))
        .send()
        .await;
    let error = failed("AssumeRole with 65 characters of session name", result)?;
    let SdkError::Service { source, .. } = &error else {
        return Err(format!("expected the service's error, got: {error}"));
    };
    // STS's ValidationError is not in the model: the unnamed variant,
    // with the code and message as the service sent them.
    eq("error code", source.code(), Some("ValidationError"))?;
    eq("HTTP status", source.status(), 400)?;
    let message = present("error message", source.message())?;
    ensure!(
        message.contains("roleSessionName"),
        "the message does not name the member: {message:?}"
    );
    present("request id", source.request_id())?;
    Ok(())
}
