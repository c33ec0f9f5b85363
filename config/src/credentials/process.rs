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
        let mut c = std::process::Command::new("cmd");
        c.arg("/C").arg(command);
        c
    } else {
        let mut c = std::process::Command::new("sh");
        c.arg("-c").arg(command);
        c
    };
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let shown: String = command.chars().take(80).collect();
    let child = child::spawn(cmd).map_err(|e| {
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

/// The command's process on Unix: started by the standard library, its
/// output read through tokio's pipes, its exit polled. tokio's `process`
/// module would do the same with a SIGCHLD handler, whose signal driver
/// then goes into every runtime the program builds: 41 KB more of the
/// bench's stripped program, for a source most programs never use. The
/// exit is looked at after both pipes close, which is when a command
/// exits, so the polling costs about a millisecond once.
#[cfg(unix)]
mod child {
    use std::future::{poll_fn, Future};
    use std::io;
    use std::os::fd::OwnedFd;
    use std::pin::pin;
    use std::process::{Command, Output};
    use std::task::Poll;
    use std::time::Duration;
    use tokio::io::AsyncReadExt;
    use tokio::net::unix::pipe;

    /// The longest pause between two looks at whether the command exited.
    const MAX_PAUSE: Duration = Duration::from_millis(50);

    /// A started command, killed if dropped before it exits (when the
    /// timeout or the caller gives up on it).
    pub struct Child(Option<std::process::Child>);

    pub fn spawn(mut command: Command) -> io::Result<Child> {
        command.spawn().map(|child| Child(Some(child)))
    }

    impl Child {
        /// Reads stdout and stderr to their ends, both at once (a command
        /// that fills one pipe while we wait on the other would stall),
        /// then waits for the exit.
        pub async fn wait_with_output(mut self) -> io::Result<Output> {
            let child = self.0.as_mut().expect("not yet reaped");
            let stdout = receiver(child.stdout.take().map(OwnedFd::from))?;
            let stderr = receiver(child.stderr.take().map(OwnedFd::from))?;
            let (stdout, stderr) = read_both(stdout, stderr).await?;
            let mut pause = Duration::from_millis(1);
            loop {
                let child = self.0.as_mut().expect("not yet reaped");
                if let Some(status) = child.try_wait()? {
                    self.0 = None;
                    return Ok(Output {
                        status,
                        stdout,
                        stderr,
                    });
                }
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(MAX_PAUSE);
            }
        }
    }

    impl Drop for Child {
        fn drop(&mut self) {
            let Some(mut child) = self.0.take() else {
                return;
            };
            let _ = child.kill();
            if let Ok(Some(_)) = child.try_wait() {
                return;
            }
            // Reaped off the caller's thread: a killed process goes at
            // once, but `wait` blocks until it has.
            match tokio::runtime::Handle::try_current() {
                Ok(runtime) => {
                    let work: super::super::BlockingWork =
                        Box::new(move || child.wait().map(|_| Vec::new()));
                    drop(runtime.spawn_blocking(work));
                }
                Err(_) => drop(child.wait()),
            }
        }
    }

    fn receiver(fd: Option<OwnedFd>) -> io::Result<pipe::Receiver> {
        pipe::Receiver::from_owned_fd(fd.ok_or_else(|| io::Error::other("no pipe"))?)
    }

    async fn read_both(
        mut out: pipe::Receiver,
        mut err: pipe::Receiver,
    ) -> io::Result<(Vec<u8>, Vec<u8>)> {
        let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
        {
            let mut read_out = pin!(out.read_to_end(&mut stdout));
            let mut read_err = pin!(err.read_to_end(&mut stderr));
            let (mut out_done, mut err_done) = (false, false);
            poll_fn(|cx| {
                if !out_done {
                    if let Poll::Ready(read) = read_out.as_mut().poll(cx) {
                        read?;
                        out_done = true;
                    }
                }
                if !err_done {
                    if let Poll::Ready(read) = read_err.as_mut().poll(cx) {
                        read?;
                        err_done = true;
                    }
                }
                if out_done && err_done {
                    Poll::Ready(Ok::<(), io::Error>(()))
                } else {
                    Poll::Pending
                }
            })
            .await?;
        }
        Ok((stdout, stderr))
    }
}

/// Elsewhere, tokio's child processes.
#[cfg(not(unix))]
mod child {
    use std::io;
    use std::process::{Command, Output};

    pub struct Child(tokio::process::Child);

    pub fn spawn(command: Command) -> io::Result<Child> {
        let mut command = tokio::process::Command::from(command);
        command.kill_on_drop(true);
        command.spawn().map(Child)
    }

    impl Child {
        pub async fn wait_with_output(self) -> io::Result<Output> {
            self.0.wait_with_output().await
        }
    }
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

    #[test]
    fn the_account_comes_from_the_output_where_it_says() {
        let with =
            br#"{"Version":1,"AccessKeyId":"A","SecretAccessKey":"S","AccountId":"111122223333"}"#;
        let creds = parse_process_output(with).unwrap();
        assert_eq!(creds.account_id(), Some("111122223333"));
        let without = br#"{"Version":1,"AccessKeyId":"A","SecretAccessKey":"S","AccountId":""}"#;
        assert_eq!(parse_process_output(without).unwrap().account_id(), None);
        let wrong = br#"{"Version":1,"AccessKeyId":"A","SecretAccessKey":"S","AccountId":1}"#;
        let err = parse_process_output(wrong).unwrap_err();
        assert!(err.message().contains("AccountId is"), "{err}");
    }

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

        // Much output on both pipes at once, more than a pipe holds.
        let big = r#"head -c 200000 /dev/zero >&2; printf '{"Version":1,"AccessKeyId":"AKID","SecretAccessKey":"S"}'; head -c 200000 /dev/zero >&2"#;
        let creds = run_credential_process(big, DEFAULT_TIMEOUT).await.unwrap();
        assert_eq!(creds.access_key_id(), "AKID");

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

    /// A command that outlives its time is killed, and reaped.
    #[tokio::test]
    async fn a_command_that_times_out_is_killed() {
        let pid_file = std::env::temp_dir().join(format!("sdkgen-process-{}", std::process::id()));
        let command = format!("echo $$ > {}; exec sleep 30", pid_file.display());
        let err = run_credential_process(&command, Duration::from_millis(300))
            .await
            .unwrap_err();
        assert!(err.message().contains("did not finish within"), "{err}");
        let pid = std::fs::read_to_string(&pid_file).unwrap();
        std::fs::remove_file(&pid_file).unwrap();
        let proc = std::path::PathBuf::from(format!("/proc/{}", pid.trim()));
        for _ in 0..100 {
            if !proc.exists() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!("process {} still exists", pid.trim());
    }
}
