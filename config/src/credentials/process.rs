//! `credential_process`: a command whose output is the credentials.

use super::http_source::CredentialsDocument;
use super::{Credentials, CredentialsError};
use std::process::Stdio;
use std::time::Duration;

/// How long the command may run before it is killed.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// Runs `command` through the shell and reads its JSON output
/// (`Version: 1`, `AccessKeyId`, `SecretAccessKey`, optional `SessionToken`
/// and `Expiration`). A failing or hanging command is a clear error, with
/// the start of its stderr (the output itself may hold secrets).
pub async fn run_credential_process(
    command: &str,
    timeout: Duration,
) -> Result<Credentials, CredentialsError> {
    let mut cmd = if cfg!(windows) {
        let mut c = tokio::process::Command::new("cmd");
        c.arg("/C").arg(command);
        c
    } else {
        let mut c = tokio::process::Command::new("sh");
        c.arg("-c").arg(command);
        c
    };
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    let shown: String = command.chars().take(80).collect();
    let child = cmd.spawn().map_err(|e| {
        CredentialsError::new(format!("credential_process {shown:?} could not start: {e}"))
    })?;
    let output = match tokio::time::timeout(timeout, child.wait_with_output()).await {
        Err(_) => {
            return Err(CredentialsError::new(format!(
                "credential_process {shown:?} did not finish within {timeout:?}"
            )))
        }
        Ok(Err(e)) => {
            return Err(CredentialsError::new(format!(
                "credential_process {shown:?} failed: {e}"
            )))
        }
        Ok(Ok(output)) => output,
    };
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let stderr: String = stderr.trim().chars().take(300).collect();
        return Err(CredentialsError::new(format!(
            "credential_process {shown:?} exited with {}: {stderr}",
            output.status
        )));
    }
    parse_process_output(&output.stdout)
}

/// Reads what a `credential_process` printed.
pub fn parse_process_output(stdout: &[u8]) -> Result<Credentials, CredentialsError> {
    let source = "credential_process";
    let document = CredentialsDocument::parse(stdout, source)?;
    match document.version {
        Some(1) => document.into_credentials(source),
        Some(v) => Err(CredentialsError::new(format!(
            "credential_process returned Version {v}; only 1 is known"
        ))),
        None => Err(CredentialsError::new(
            "credential_process returned no Version",
        )),
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[tokio::test]
    async fn output_errors_and_timeouts() {
        let ok = r#"printf '{"Version":1,"AccessKeyId":"AKID","SecretAccessKey":"S","SessionToken":"T","Expiration":"2030-01-01T00:00:00Z"}'"#;
        let creds = run_credential_process(ok, DEFAULT_TIMEOUT).await.unwrap();
        assert_eq!(
            (creds.access_key_id(), creds.session_token()),
            ("AKID", Some("T"))
        );
        assert!(creds.expires_at().is_some());

        let err = run_credential_process("echo broken >&2; exit 3", DEFAULT_TIMEOUT)
            .await
            .unwrap_err();
        assert!(
            err.message().contains("exited with exit status: 3: broken"),
            "{err}"
        );

        let err = run_credential_process("sleep 5", Duration::from_millis(200))
            .await
            .unwrap_err();
        assert!(err.message().contains("did not finish within"), "{err}");

        let err = run_credential_process("echo not-json", DEFAULT_TIMEOUT)
            .await
            .unwrap_err();
        assert!(err.message().contains("malformed"), "{err}");

        let err = run_credential_process(
            r#"printf '{"Version":2,"AccessKeyId":"A","SecretAccessKey":"S"}'"#,
            DEFAULT_TIMEOUT,
        )
        .await
        .unwrap_err();
        assert!(err.message().contains("Version 2"), "{err}");

        let err = run_credential_process(
            r#"printf '{"Version":1,"AccessKeyId":"A"}'"#,
            DEFAULT_TIMEOUT,
        )
        .await
        .unwrap_err();
        assert!(err.message().contains("no SecretAccessKey"), "{err}");
    }
}
