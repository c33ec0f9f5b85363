//! The environment every benchmark program runs in, the same for all of
//! them, so that each loads its configuration the way a user's program
//! does (environment variables, then the shared config files) and none
//! does a lookup another skips:
//!
//! - every `AWS_*` variable of the caller's shell is removed, so that
//!   nothing of this machine's own AWS setup (a profile, an endpoint, a
//!   role) reaches one program and not another;
//! - the credentials and region the mock checks signatures with (the values
//!   of `bench/common`) are given as `AWS_ACCESS_KEY_ID`,
//!   `AWS_SECRET_ACCESS_KEY`, `AWS_REGION` and `AWS_DEFAULT_REGION` (the AWS
//!   CLI reads only the latter);
//! - `AWS_CONFIG_FILE` and `AWS_SHARED_CREDENTIALS_FILE` name two small
//!   files written under `bench/target`, which every program reads and
//!   parses as it would a user's `~/.aws` files;
//! - `AWS_EC2_METADATA_DISABLED=true`: no client may ask the instance
//!   metadata service (none should need to, with the region and
//!   credentials above).

use std::path::{Path, PathBuf};
use std::process::Command;

/// bench/common's `ACCESS_KEY`, `SECRET_KEY` and `REGION`.
pub const ACCESS_KEY: &str = "AKIDEXAMPLE";
pub const SECRET_KEY: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
pub const REGION: &str = "us-east-1";

/// The shared config files every run points at.
pub struct AwsEnvironment {
    config: PathBuf,
    credentials: PathBuf,
}

impl AwsEnvironment {
    /// Writes the two shared config files into `dir`: a default profile
    /// with the region, and one of another name with keys, which no
    /// program selects (a user's file usually holds more than one).
    pub fn write(dir: &Path) -> Result<AwsEnvironment, String> {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let config = dir.join("config");
        let credentials = dir.join("credentials");
        let write = |path: &Path, text: String| {
            std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
        };
        write(
            &config,
            format!("[default]\nregion = {REGION}\noutput = json\n\n[profile other]\nregion = eu-west-1\n"),
        )?;
        write(
            &credentials,
            "[other]\naws_access_key_id = AKIDOTHER\naws_secret_access_key = not-used-by-the-bench\n"
                .to_string(),
        )?;
        Ok(AwsEnvironment {
            config,
            credentials,
        })
    }

    /// Sets the environment on `cmd` (see the module's documentation).
    pub fn apply<'a>(&self, cmd: &'a mut Command) -> &'a mut Command {
        for (name, _) in std::env::vars_os() {
            if name.to_string_lossy().starts_with("AWS_") {
                cmd.env_remove(name);
            }
        }
        cmd.env("AWS_ACCESS_KEY_ID", ACCESS_KEY)
            .env("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
            .env("AWS_REGION", REGION)
            .env("AWS_DEFAULT_REGION", REGION)
            .env("AWS_CONFIG_FILE", &self.config)
            .env("AWS_SHARED_CREDENTIALS_FILE", &self.credentials)
            .env("AWS_EC2_METADATA_DISABLED", "true")
    }
}
