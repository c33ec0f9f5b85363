//! Programs outside the workspace, built as a user builds theirs: a cargo
//! project of its own that depends on a generated crate by path.
//!
//! Each program has its own directory under `target/outside/`, and all
//! share one target directory there (kept between runs, so only the first
//! run compiles the dependencies; cargo's lock makes programs built at the
//! same time wait for each other). Each gets a copy of the workspace's lock
//! file, so that cargo resolves the versions the workspace tested and needs
//! no download.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The workspace's root directory.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ is in the workspace")
        .to_path_buf()
}

/// A one-file program and its dependencies.
pub struct Program {
    /// Names its directory; programs of one name share their build.
    pub name: &'static str,
    /// Lines of the `[dependencies]` table; `{root}` stands for the
    /// workspace's root directory.
    pub dependencies: Vec<String>,
    pub main: String,
}

/// What cargo did with a program.
pub struct Outcome {
    pub success: bool,
    pub stdout: String,
    pub stderr: String,
}

impl Program {
    /// `cargo check` of the program.
    pub fn check(&self) -> Outcome {
        self.cargo(&["check", "--message-format", "short"])
    }

    /// `cargo run` of the program, with `args` after `--`.
    pub fn run(&self, args: &[&str]) -> Outcome {
        let mut all = vec!["run"];
        all.push("--");
        all.extend_from_slice(args);
        self.cargo(&all)
    }

    fn cargo(&self, args: &[&str]) -> Outcome {
        let root = workspace();
        let dir = root.join("target/outside").join(self.name);
        std::fs::create_dir_all(dir.join("src")).expect("create the program's directory");
        let dependencies: Vec<String> = self
            .dependencies
            .iter()
            .map(|line| line.replace("{root}", &root.display().to_string()))
            .collect();
        let manifest = format!(
            "[package]\nname = {:?}\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\n{}\n\n[workspace]\n",
            self.name,
            dependencies.join("\n")
        );
        std::fs::write(dir.join("Cargo.toml"), manifest).expect("write Cargo.toml");
        std::fs::write(dir.join("src/main.rs"), &self.main).expect("write main.rs");
        std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).expect("copy Cargo.lock");
        let Output {
            status,
            stdout,
            stderr,
        } = Command::new(env!("CARGO"))
            .args(args.iter().take(1))
            .args(["--offline", "--quiet"])
            .args(args.iter().skip(1))
            .current_dir(&dir)
            .env("CARGO_TARGET_DIR", root.join("target/outside/target"))
            .env_remove("RUSTFLAGS")
            .env_remove("RUST_BACKTRACE")
            .env_remove("RUST_LIB_BACKTRACE")
            .output()
            .expect("cargo runs");
        Outcome {
            success: status.success(),
            stdout: String::from_utf8_lossy(&stdout).into_owned(),
            stderr: String::from_utf8_lossy(&stderr).into_owned(),
        }
    }
}
