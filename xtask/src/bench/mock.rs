//! The bench mock as a child process: started once per run, its listeners'
//! URLs read from its output, killed when the run ends.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// The running mock; dropping it stops it.
pub struct Mock {
    child: Child,
    /// Checks signatures on a sample of requests: for the SDK clients.
    pub signed: String,
    /// Checks nothing: for the unsigned floors.
    pub unsigned: String,
    /// HTTPS, checking signatures as `signed` does: for the cold start
    /// and S3.
    pub tls: String,
    /// HTTPS, checking nothing: for S3's unsigned floor.
    pub unsigned_tls: String,
}

impl Mock {
    /// Starts `bin`, which writes its test CA to `ca_file`.
    pub fn start(bin: &Path, ca_file: &Path) -> Result<Mock, String> {
        Mock::start_with(bin, ca_file, &[])
    }

    /// Starts `bin` with more arguments (S3's object size).
    pub fn start_with(bin: &Path, ca_file: &Path, args: &[String]) -> Result<Mock, String> {
        let mut child = Command::new(bin)
            .arg("0")
            .arg("--tls")
            .arg(ca_file)
            .args(args)
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start the mock: {e}"))?;
        let stdout = child
            .stdout
            .take()
            .ok_or("the mock's output is not piped")?;
        let mut mock = Mock {
            child,
            signed: String::new(),
            unsigned: String::new(),
            tls: String::new(),
            unsigned_tls: String::new(),
        };
        let mut lines = BufReader::new(stdout).lines();
        for (label, url) in [
            ("signed http", &mut mock.signed),
            ("unsigned http", &mut mock.unsigned),
            ("tls https", &mut mock.tls),
            ("unsigned tls https", &mut mock.unsigned_tls),
        ] {
            let line = lines
                .next()
                .unwrap_or_else(|| Ok(String::new()))
                .map_err(|e| e.to_string())?;
            let (said, rest) = line.trim().split_once("://").unwrap_or(("", ""));
            if said != label || !rest.starts_with("127.0.0.1:") {
                return Err(format!(
                    "the mock said {line:?}, not {label}://127.0.0.1:PORT"
                ));
            }
            let scheme = label.rsplit(' ').next().unwrap_or_default();
            *url = format!("{scheme}://{rest}");
        }
        Ok(mock)
    }
}

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
