//! `cargo xtask package-check`: the crates as a registry would serve them.
//!
//! Packs every publishable crate with `cargo package`, lays the packages
//! out as a directory registry (beside the crates.io dependencies they
//! need, vendored), and builds and runs a program outside the workspace
//! that depends on them by version alone: crates.io is replaced by that
//! directory, so a path, a file the package left out or a dependency
//! without a version fails here as it would for a user.
//!
//! Everything lives under `<target>/package-check/`: `package/` (the
//! `.crate` files), `work/` (the registry, kept, and the program, made
//! anew each run) and `target/` (the program's build, kept so that a
//! second run compiles only the packed crates).

use crate::e2e::{cargo, status};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// The crate the outside program calls an operation of; the others it
/// only compiles, without their operations.
const CALLED: &str = "sdkgen-chime-sdk-voice";

/// The crates that are not a service's.
const SHARED: [&str; 2] = ["sdkgen-runtime", "sdkgen-config"];

pub fn run(root: &Path) -> Result<(), String> {
    let started = Instant::now();
    let mut times = Times::new();
    let metadata = metadata(root)?;
    times.step("metadata");
    let crates = publishable(&metadata, &expected(root)?)?;
    let dir = metadata.target_directory.join("package-check");
    let work = dir.join("work");
    let (unpacked, app, registry) = (work.join("crates"), work.join("app"), work.join("registry"));
    // The registry stays: `cargo vendor` copies again only what changed.
    for made in [&unpacked, &app] {
        if made.exists() {
            fs::remove_dir_all(made)
                .map_err(|e| format!("cannot clear {}: {e}", made.display()))?;
        }
    }

    times.step("clear");
    let packed = pack(root, &dir, &crates)?;
    times.step("pack");
    for (name, file) in &packed {
        untar(file, &unpacked).map_err(|e| format!("{name}: {e}"))?;
    }
    write_program(&app, &crates)?;

    // The crates.io dependencies of the packed crates, vendored while the
    // packed crates stand in for themselves by path; then the packed
    // crates join them, and the path is gone.
    write_config(&app, &patch_table(&packed, &unpacked))?;
    run_offline_first(
        cargo(root)
            .current_dir(&app)
            .args(["vendor", "--versioned-dirs"])
            .arg(&registry),
    )?;
    for (name, file) in &packed {
        let dir_name = package_dir(file)?;
        let to = registry.join(&dir_name);
        if to.exists() {
            fs::remove_dir_all(&to).map_err(|e| format!("cannot clear {}: {e}", to.display()))?;
        }
        copy_dir(&unpacked.join(&dir_name), &to).map_err(|e| format!("{name}: {e}"))?;
        write_checksums(&to, file).map_err(|e| format!("{name}: {e}"))?;
    }
    write_config(&app, &replace_crates_io(&registry))?;
    let _ = fs::remove_file(app.join("Cargo.lock"));
    times.step("registry");

    let target = dir.join("target");
    status(
        cargo(root)
            .current_dir(&app)
            .args(["generate-lockfile", "--offline"]),
    )?;
    no_path_dependency(&app.join("Cargo.lock"))?;
    // A registry's crate never changes under its version, so cargo would
    // keep last run's build of a packed crate whose code has changed since.
    let mut clean = cargo(root);
    clean
        .current_dir(&app)
        .args(["clean", "--offline", "--target-dir"])
        .arg(&target);
    for name in crates.keys() {
        clean.args(["-p", name]);
    }
    status(&mut clean)?;
    times.step("resolve");
    status(
        cargo(root)
            .current_dir(&app)
            .env("CARGO_PROFILE_DEV_DEBUG", "0")
            .args(["build", "--offline", "--target-dir"])
            .arg(&target),
    )?;

    times.step("build");
    let binary = target
        .join("debug")
        .join(format!("outside{}", std::env::consts::EXE_SUFFIX));
    let output = Command::new(&binary)
        .output()
        .map_err(|e| format!("cannot run {}: {e}", binary.display()))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    print!("{stdout}");
    if !output.status.success() || !stdout.contains("from the registry") {
        return Err(format!(
            "the outside program failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    println!(
        "package-check: {} crates packed, and a program built from them alone, in {:.0} s ({})",
        crates.len(),
        started.elapsed().as_secs_f64(),
        times.steps.join(", ")
    );
    Ok(())
}

/// How long each step took, for the closing line: CI's time is counted.
struct Times {
    last: Instant,
    steps: Vec<String>,
}

impl Times {
    fn new() -> Times {
        Times {
            last: Instant::now(),
            steps: Vec::new(),
        }
    }

    fn step(&mut self, name: &str) {
        let now = Instant::now();
        let seconds = (now - self.last).as_secs_f64();
        self.steps.push(format!("{name} {seconds:.1} s"));
        self.last = now;
    }
}

#[derive(Deserialize)]
struct Metadata {
    packages: Vec<Package>,
    target_directory: PathBuf,
}

#[derive(Deserialize)]
struct Package {
    name: String,
    version: String,
    /// `None`: any registry; `Some([])`: `publish = false`.
    publish: Option<Vec<String>>,
}

fn metadata(root: &Path) -> Result<Metadata, String> {
    let output = cargo(root)
        .args(["metadata", "--no-deps", "--format-version", "1"])
        .output()
        .map_err(|e| format!("cannot run cargo metadata: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "cargo metadata failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    serde_json::from_slice(&output.stdout).map_err(|e| format!("cargo metadata: {e}"))
}

/// The crates a user depends on: the runtime, the configuration crate and
/// every service crate of `model/`. Tests, tools and the generator's
/// fixtures are not among them.
fn expected(root: &Path) -> Result<BTreeSet<String>, String> {
    let mut names: BTreeSet<String> = SHARED.map(String::from).into();
    let model = root.join("model");
    let entries =
        fs::read_dir(&model).map_err(|e| format!("cannot list {}: {e}", model.display()))?;
    for entry in entries.flatten() {
        let manifest = entry.path().join("codegen.json");
        if let Ok(text) = fs::read_to_string(&manifest) {
            let parsed = sdkgen_codegen::manifest::Manifest::from_json(&text)
                .map_err(|e| format!("{}: {e}", manifest.display()))?;
            names.insert(parsed.package_name().to_string());
        }
    }
    Ok(names)
}

/// The workspace's publishable crates, by name with their versions; an
/// error when they are not exactly the `expected` ones.
fn publishable(
    metadata: &Metadata,
    expected: &BTreeSet<String>,
) -> Result<BTreeMap<String, String>, String> {
    let crates: BTreeMap<String, String> = metadata
        .packages
        .iter()
        .filter(|p| {
            p.publish
                .as_ref()
                .is_none_or(|registries| !registries.is_empty())
        })
        .map(|p| (p.name.clone(), p.version.clone()))
        .collect();
    let names: BTreeSet<String> = crates.keys().cloned().collect();
    let missing: Vec<_> = expected.difference(&names).collect();
    let extra: Vec<_> = names.difference(expected).collect();
    if !missing.is_empty() || !extra.is_empty() {
        return Err(format!(
            "publishable crates: {missing:?} should be and are not (publish = false, or not a \
             workspace member); {extra:?} are and should not be (a test or tool crate needs \
             publish = false)"
        ));
    }
    if !crates.contains_key(CALLED) {
        return Err(format!(
            "{CALLED}, the crate the outside program calls, is not in the workspace"
        ));
    }
    Ok(crates)
}

/// `cargo package` of every crate at once (cargo resolves their
/// dependencies on each other among the packages it makes), without
/// verifying each by a build of its own: the outside program builds them.
fn pack(
    root: &Path,
    dir: &Path,
    crates: &BTreeMap<String, String>,
) -> Result<BTreeMap<String, PathBuf>, String> {
    let mut cmd = cargo(root);
    cmd.args(["package", "--no-verify", "--allow-dirty", "--target-dir"])
        .arg(dir);
    for name in crates.keys() {
        cmd.args(["-p", name]);
    }
    run_offline_first(&mut cmd)?;
    crates
        .iter()
        .map(|(name, version)| {
            let file = dir.join("package").join(format!("{name}-{version}.crate"));
            match file.exists() {
                true => Ok((name.clone(), file)),
                false => Err(format!("cargo package made no {}", file.display())),
            }
        })
        .collect()
}

/// Runs `cmd` with `--offline` (the index and the crates the workspace's
/// build fetched are enough, and asking the registry for each package
/// takes half a minute), and again online when something was missing.
fn run_offline_first(cmd: &mut Command) -> Result<(), String> {
    let mut offline = Command::new(cmd.get_program());
    offline
        .arg(cmd.get_args().next().unwrap_or_default())
        .arg("--offline");
    offline.args(cmd.get_args().skip(1));
    if let Some(dir) = cmd.get_current_dir() {
        offline.current_dir(dir);
    }
    for (name, value) in cmd.get_envs() {
        match value {
            Some(value) => offline.env(name, value),
            None => offline.env_remove(name),
        };
    }
    if status(&mut offline).is_ok() {
        return Ok(());
    }
    println!("(offline was not enough: again with the registry)");
    status(cmd)
}

/// `name-version`, the directory a `.crate` file unpacks to.
fn package_dir(file: &Path) -> Result<String, String> {
    file.file_stem()
        .and_then(|s| s.to_str())
        .map(String::from)
        .ok_or_else(|| format!("not a package file: {}", file.display()))
}

/// A `.crate` is a gzipped tar of `name-version/...`.
fn untar(file: &Path, into: &Path) -> Result<(), String> {
    fs::create_dir_all(into).map_err(|e| format!("cannot create {}: {e}", into.display()))?;
    let gz = fs::File::open(file).map_err(|e| format!("cannot open {}: {e}", file.display()))?;
    tar::Archive::new(flate2::read::GzDecoder::new(gz))
        .unpack(into)
        .map_err(|e| format!("cannot unpack {}: {e}", file.display()))
}

/// What cargo checks a directory registry's package against: the digest
/// of every file, and of the `.crate` (the lock file's checksum).
fn write_checksums(dir: &Path, file: &Path) -> Result<(), String> {
    let hex = |bytes: &[u8]| -> String {
        Sha256::digest(bytes)
            .iter()
            .fold(String::new(), |mut s, b| {
                let _ = write!(s, "{b:02x}");
                s
            })
    };
    let mut files = BTreeMap::new();
    for path in walk(dir)? {
        let bytes = fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let relative = path.strip_prefix(dir).unwrap_or(&path);
        files.insert(crate::tree::slash_path(relative), hex(&bytes));
    }
    let package = fs::read(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let json = serde_json::json!({ "files": files, "package": hex(&package) });
    let out = dir.join(".cargo-checksum.json");
    fs::write(&out, json.to_string()).map_err(|e| format!("cannot write {}: {e}", out.display()))
}

fn walk(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let entries =
            fs::read_dir(&dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
        for entry in entries.flatten() {
            match entry.file_type() {
                Ok(t) if t.is_dir() => dirs.push(entry.path()),
                Ok(_) => files.push(entry.path()),
                Err(e) => return Err(format!("{}: {e}", entry.path().display())),
            }
        }
    }
    Ok(files)
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    for file in walk(from)? {
        let target = to.join(file.strip_prefix(from).unwrap_or(&file));
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        fs::copy(&file, &target).map_err(|e| format!("cannot copy {}: {e}", file.display()))?;
    }
    Ok(())
}

/// A TOML string: JSON's quoting, which TOML reads the same way.
fn quoted(text: &str) -> String {
    serde_json::to_string(text).expect("a string always serializes")
}

fn patch_table(packed: &BTreeMap<String, PathBuf>, unpacked: &Path) -> String {
    let mut toml = String::from("[patch.crates-io]\n");
    for (name, file) in packed {
        let dir = unpacked.join(package_dir(file).unwrap_or_default());
        let _ = writeln!(
            toml,
            "{name} = {{ path = {} }}",
            quoted(&dir.to_string_lossy())
        );
    }
    toml
}

fn replace_crates_io(registry: &Path) -> String {
    format!(
        "[source.crates-io]\nreplace-with = \"packed\"\n\n[source.packed]\ndirectory = {}\n",
        quoted(&registry.to_string_lossy())
    )
}

fn write_config(app: &Path, toml: &str) -> Result<(), String> {
    let dir = app.join(".cargo");
    fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let file = dir.join("config.toml");
    fs::write(&file, toml).map_err(|e| format!("cannot write {}: {e}", file.display()))
}

/// The outside program: a workspace of its own that depends on every
/// publishable service crate by version, calls one operation of
/// [`CALLED`] through a test rule (no network), and prints each crate's
/// service id.
fn write_program(app: &Path, crates: &BTreeMap<String, String>) -> Result<(), String> {
    let mut toml = String::from(
        "[package]\nname = \"outside\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         # Not a member of the project's workspace.\n[workspace]\n\n[dependencies]\n",
    );
    let services: Vec<&String> = crates
        .keys()
        .filter(|name| !SHARED.contains(&name.as_str()))
        .collect();
    for name in &services {
        let version = quoted(&format!("={}", crates[*name]));
        let features = match name.as_str() {
            CALLED => "[\"get-proxy-session\", \"test-util\", \"blocking\"]",
            _ => "[]",
        };
        let _ = writeln!(
            toml,
            "{name} = {{ version = {version}, default-features = false, features = {features} }}"
        );
    }
    let ids: Vec<String> = services
        .iter()
        .map(|name| format!("{}::SERVICE_ID", name.replace('-', "_")))
        .collect();
    let main = format!(
        r#"//! Made by `cargo xtask package-check`: a user of the packed crates.
#![allow(deprecated)] // the model deprecates GetProxySession

use sdkgen_chime_sdk_voice::operation::get_proxy_session::{{GetProxySession, GetProxySessionOutput}};
use sdkgen_chime_sdk_voice::test_util::{{Mocks, Rule}};
use sdkgen_chime_sdk_voice::types::ProxySession;

fn main() {{
    let rule = Rule::<GetProxySession>::new().then_output(|| {{
        let session = ProxySession::builder().name("from the registry").build();
        GetProxySessionOutput::builder().proxy_session(session).build()
    }});
    let client = sdkgen_chime_sdk_voice::blocking::Client::new(Mocks::new().rule(&rule).config().build());
    let output = client
        .get_proxy_session()
        .voice_connector_id("vc")
        .proxy_session_id("ps")
        .send()
        .expect("the rule answers");
    let name = output.proxy_session().and_then(|s| s.name()).unwrap_or_default();
    println!("GetProxySession answered: {{name}}");
    for id in [{ids}] {{
        println!("compiled: {{id}}");
    }}
}}
"#,
        ids = ids.join(", ")
    );
    let src = app.join("src");
    fs::create_dir_all(&src).map_err(|e| format!("cannot create {}: {e}", src.display()))?;
    fs::write(app.join("Cargo.toml"), toml).map_err(|e| format!("cannot write Cargo.toml: {e}"))?;
    fs::write(src.join("main.rs"), main).map_err(|e| format!("cannot write main.rs: {e}"))
}

/// Every package of the outside program's lock file but the program
/// itself comes from the registry: none by path.
fn no_path_dependency(lock: &Path) -> Result<(), String> {
    let text =
        fs::read_to_string(lock).map_err(|e| format!("cannot read {}: {e}", lock.display()))?;
    let unsourced: Vec<&str> = text
        .split("[[package]]")
        .skip(1)
        .filter(|entry| !entry.contains("\nsource = \"registry+"))
        .filter_map(|entry| entry.lines().find_map(|l| l.strip_prefix("name = ")))
        .filter(|name| *name != "\"outside\"")
        .collect();
    match unsourced.as_slice() {
        [] => Ok(()),
        names => Err(format!(
            "packages not from the registry: {}",
            names.join(", ")
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lock_file_with_a_path_package_is_refused() {
        let dir = std::env::temp_dir().join(format!("xtask-lock-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let lock = dir.join("Cargo.lock");
        let registry = "source = \"registry+https://github.com/rust-lang/crates.io-index\"";
        fs::write(
            &lock,
            format!(
                "version = 4\n\n[[package]]\nname = \"outside\"\nversion = \"0.0.0\"\n\n\
                 [[package]]\nname = \"sts\"\nversion = \"0.1.0\"\n{registry}\n"
            ),
        )
        .unwrap();
        assert_eq!(no_path_dependency(&lock), Ok(()));
        fs::write(
            &lock,
            "version = 4\n\n[[package]]\nname = \"outside\"\nversion = \"0.0.0\"\n\n\
             [[package]]\nname = \"sts\"\nversion = \"0.1.0\"\n",
        )
        .unwrap();
        assert_eq!(
            no_path_dependency(&lock),
            Err("packages not from the registry: \"sts\"".into())
        );
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn only_the_expected_crates_may_be_publishable() {
        let package = |name: &str, publish: Option<Vec<String>>| Package {
            name: name.into(),
            version: "0.1.0".into(),
            publish,
        };
        let metadata = |packages| Metadata {
            packages,
            target_directory: PathBuf::from("target"),
        };
        let expected: BTreeSet<String> = [CALLED.to_string(), "sdkgen-runtime".into()].into();
        let good = metadata(vec![
            package(CALLED, None),
            package("sdkgen-runtime", None),
            package("sdkgen-tests", Some(vec![])),
        ]);
        assert_eq!(publishable(&good, &expected).unwrap().len(), 2);
        let test_crate_publishable = metadata(vec![
            package(CALLED, None),
            package("sdkgen-runtime", None),
            package("sdkgen-tests", None),
        ]);
        let error = publishable(&test_crate_publishable, &expected).unwrap_err();
        assert!(
            error.contains("[\"sdkgen-tests\"] are and should not be"),
            "{error}"
        );
        let runtime_unpublishable = metadata(vec![
            package(CALLED, None),
            package("sdkgen-runtime", Some(vec![])),
        ]);
        let error = publishable(&runtime_unpublishable, &expected).unwrap_err();
        assert!(error.contains("[\"sdkgen-runtime\"] should be"), "{error}");
    }
}
