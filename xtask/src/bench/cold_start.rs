//! The cold-start figure: a new process making one GetProxySession call over
//! TLS, as a function, a CI job or the command line does.
//!
//! Each run is timed from spawning the process to its exit after printing
//! the output (so from process start to the first response, plus printing
//! and exit). The mock serves HTTPS with a certificate signed by a test CA;
//! every client trusts the system's roots plus that CA, given as one bundle
//! file (`SSL_CERT_FILE` for both Rust programs, `AWS_CA_BUNDLE` for the AWS
//! CLI), so each parses the whole root store, as it would on a user's
//! machine. Every client finds its region and credentials in the same
//! environment and shared config files (`environment.rs`), and the mock
//! checks the signature of each run's request (the first of its
//! connection): a client that did not sign correctly fails the figure.

use super::environment::AwsEnvironment;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// Where Debian, Fedora and Alpine keep the system's root bundle.
const SYSTEM_BUNDLES: [&str; 3] = [
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/pki/tls/certs/ca-bundle.crt",
    "/etc/ssl/cert.pem",
];

/// Median milliseconds of each client, and what the figures stand on.
pub struct ColdStart {
    pub ours: f64,
    pub official: f64,
    /// The AWS CLI (v1, from its pip package), or why it was not measured.
    pub cli: Result<f64, String>,
    pub roots: String,
    pub runs: usize,
}

impl ColdStart {
    pub fn render(&self) -> String {
        let cli = match &self.cli {
            Ok(ms) => format!(
                "| AWS CLI `chime-sdk-voice get-proxy-session` | {ms:.1} | {:.2}x |\n",
                ms / self.official
            ),
            Err(why) => format!("| AWS CLI | not measured: {why} | |\n"),
        };
        format!(
            "Cold start over TLS: process start to exit after one call, median of {} runs ({}):\n\n\
             | client | ms | / official SDK |\n| --- | --- | --- |\n\
             | ours | {:.1} | {:.2}x |\n| official SDK | {:.1} | 1.00x |\n{cli}",
            self.runs,
            self.roots,
            self.ours,
            self.ours / self.official,
            self.official
        )
    }
}

/// The bundle file the clients trust, and what it holds.
pub struct Bundle {
    pub path: PathBuf,
    pub roots: String,
}

/// Writes the bundle the clients trust: the system's roots and the mock's
/// test CA.
pub fn write_bundle(ca: &Path, bundle: &Path) -> Result<Bundle, String> {
    let test_ca = std::fs::read_to_string(ca).map_err(|e| format!("{}: {e}", ca.display()))?;
    let system = SYSTEM_BUNDLES
        .iter()
        .find_map(|p| Some((*p, std::fs::read_to_string(p).ok()?)));
    let (roots, text) = match system {
        Some((path, text)) => (
            format!("the system's roots from {path} and the test CA"),
            text,
        ),
        None => (
            "the test CA only: no system bundle found".into(),
            String::new(),
        ),
    };
    std::fs::write(bundle, format!("{text}\n{test_ca}"))
        .map_err(|e| format!("{}: {e}", bundle.display()))?;
    Ok(Bundle {
        path: bundle.to_path_buf(),
        roots,
    })
}

/// Interleaved runs of the two Rust programs and the CLI against `url`.
pub fn measure(
    ours: &Path,
    official: &Path,
    cli: Result<PathBuf, String>,
    url: &str,
    env: &AwsEnvironment,
    bundle: Bundle,
    runs: usize,
) -> Result<ColdStart, String> {
    let (mut o, mut s, mut c) = (Vec::new(), Vec::new(), Vec::new());
    let rust = |bin: &Path| {
        let mut cmd = Command::new(bin);
        env.apply(&mut cmd)
            .args(["--endpoint-url", url, "once"])
            .env("SSL_CERT_FILE", &bundle.path);
        cmd
    };
    let mut cli_result = cli;
    for _ in 0..runs {
        o.push(time(rust(ours), "ours")?);
        s.push(time(rust(official), "official")?);
        if let Ok(aws) = &cli_result {
            let mut cmd = Command::new(aws);
            env.apply(&mut cmd)
                .args([
                    "chime-sdk-voice",
                    "get-proxy-session",
                    "--voice-connector-id",
                    "vc-bench",
                    "--proxy-session-id",
                    "ps-bench",
                    "--endpoint-url",
                    url,
                ])
                .env("AWS_CA_BUNDLE", &bundle.path);
            match time(cmd, "aws") {
                Ok(ms) => c.push(ms),
                Err(why) => cli_result = Err(why),
            }
        }
    }
    Ok(ColdStart {
        ours: super::median(o),
        official: super::median(s),
        cli: cli_result.map(|_| super::median(c)),
        roots: bundle.roots,
        runs,
    })
}

/// Milliseconds from spawn to exit; the run must print the session.
fn time(mut cmd: Command, name: &str) -> Result<f64, String> {
    let started = Instant::now();
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {name}: {e}"))?;
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    if !out.status.success() || !String::from_utf8_lossy(&out.stdout).contains("ProxySessionId") {
        return Err(format!(
            "{name} failed over TLS: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(ms)
}

/// The AWS CLI in a virtual environment under `dir`, installed from its
/// pip package the first time.
pub fn aws_cli(dir: &Path) -> Result<PathBuf, String> {
    let aws = dir.join("bin/aws");
    if aws.exists() {
        return Ok(aws);
    }
    let run = |cmd: &mut Command, what: &str| -> Result<(), String> {
        let out = cmd.output().map_err(|e| format!("{what}: {e}"))?;
        if out.status.success() {
            Ok(())
        } else {
            let err = String::from_utf8_lossy(&out.stderr);
            Err(format!(
                "{what} failed: {}",
                err.lines().last().unwrap_or("")
            ))
        }
    };
    println!(
        "installing the AWS CLI (pip package awscli) into {} ...",
        dir.display()
    );
    run(
        Command::new("python3").arg("-m").arg("venv").arg(dir),
        "python3 -m venv",
    )?;
    run(
        Command::new(dir.join("bin/python")).args(["-m", "pip", "install", "--quiet", "awscli"]),
        "pip install awscli",
    )?;
    Ok(aws)
}
