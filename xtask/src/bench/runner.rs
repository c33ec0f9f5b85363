//! Runs one benchmark program against the mock: its binary, the listener
//! it calls, the environment it runs in, and the checks on what it printed.

use super::environment::AwsEnvironment;
use super::mock::Mock;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Runner<'a> {
    release: PathBuf,
    mock: &'a Mock,
    env: &'a AwsEnvironment,
}

impl<'a> Runner<'a> {
    /// Programs built in `bench`'s release target directory.
    pub fn new(bench: &Path, mock: &'a Mock, env: &'a AwsEnvironment) -> Runner<'a> {
        Runner {
            release: bench.join("target/release"),
            mock,
            env,
        }
    }

    pub fn bin(&self, program: &str) -> PathBuf {
        self.release.join(program)
    }

    /// `program [OPERATION] --endpoint-url URL` in the bench's environment;
    /// the URL is the mock's listener that checks signatures, unless the
    /// program is one of the unsigned floors.
    pub fn command(&self, program: &str, operation: Option<&str>) -> Command {
        let url = if super::UNSIGNED.contains(&program) {
            &self.mock.unsigned
        } else {
            &self.mock.signed
        };
        let mut cmd = Command::new(self.bin(program));
        self.env
            .apply(&mut cmd)
            .args(operation)
            .args(["--endpoint-url", url]);
        cmd
    }

    /// One `bench N C --warmup W` run and the figures it printed. Any
    /// failed call, a refused signature among them, is an error: no figure
    /// is reported for a program whose calls did not all succeed.
    pub fn bench(
        &self,
        program: &str,
        operation: Option<&str>,
        n: usize,
        c: usize,
        warmup: usize,
    ) -> Result<Value, String> {
        let out = self
            .command(program, operation)
            .args(["bench", &n.to_string(), &c.to_string()])
            .args(["--warmup", &warmup.to_string()])
            .output()
            .map_err(|e| format!("cannot run {program}: {e}"))?;
        let line = String::from_utf8_lossy(&out.stdout);
        if !out.status.success() {
            return Err(format!(
                "{program} failed ({}): {}",
                out.status,
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        let value: Value =
            serde_json::from_str(line.trim()).map_err(|e| format!("{program}: {e}: {line}"))?;
        if value["errors"].as_u64() != Some(0) {
            return Err(format!("{program} had errors: {value}"));
        }
        Ok(value)
    }
}
