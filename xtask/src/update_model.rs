//! `cargo xtask update-model [--botocore VERSION]`.
//!
//! Downloads the botocore wheel with `python3 -m pip download` (so pip's own
//! index configuration applies; no registry address is written here),
//! takes from it the model files of every service under `model/` and the
//! partition table, and rewrites `model/` only once all of them were found.
//! The same release's endpoint tests, which only its source distribution
//! has, replace `tests/data/endpoint-rules/` (`endpoint_tests`).

use crate::regenerate;
use flate2::read::GzDecoder;
use std::collections::BTreeMap;
use std::fs;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The files taken for each service, from its newest API version.
/// `service-2.json` and the endpoint rules every service has; its
/// paginators and waiters where it has some.
const SERVICE_FILES: &[(&str, bool)] = &[
    ("service-2.json", true),
    ("endpoint-rule-set-1.json", true),
    ("paginators-1.json", false),
    ("waiters-2.json", false),
];

pub fn run(root: &Path, version: Option<&str>) -> Result<(), String> {
    update(root, version)?;
    println!(
        "next: `cargo xtask codegen` (or `cargo xtask regenerate` next time, for both), then review the API summaries with `cargo insta review`"
    );
    Ok(())
}

/// Downloads a release (the newest for `None`) and installs it.
pub fn update(root: &Path, version: Option<&str>) -> Result<(), String> {
    if let Some(v) = version {
        check_version(v)?;
    }
    let mut wheel = Wheel::download(version)?;
    // The endpoint tests are not in the wheel: the same release's source
    // distribution has them.
    crate::endpoint_tests::refresh(root, &wheel.version)?;
    install(root, &mut wheel)
}

/// Rewrites `model/` with the files of `wheel` for every service it holds.
/// Each crate's API is compared before and after (`regenerate`): its
/// version is bumped and its changelog written; a new model that does not
/// generate leaves `model/` as it was.
pub fn install(root: &Path, wheel: &mut Wheel) -> Result<(), String> {
    let model_dir = root.join("model");
    let services = services(&model_dir)?;
    let wheel_version = wheel.version.clone();
    let previous = vendored_version(root).ok();
    let Extracted { mut files, sources } = extract(wheel, &services)?;
    let pending = regenerate::compare(root, &files)?;
    files.insert(
        "README.md".into(),
        readme(&wheel_version, &sources).into_bytes(),
    );

    for (path, contents) in &files {
        write_atomic(&model_dir.join(path), contents)?;
    }
    println!(
        "model/ now holds botocore {wheel_version}: {}",
        services.join(", ")
    );
    regenerate::record(root, &pending, &wheel_version, previous.as_deref())
}

/// Refuses what pip would read as something other than one version.
pub fn check_version(v: &str) -> Result<(), String> {
    let plain = !v.is_empty()
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+' | '_'));
    if plain {
        Ok(())
    } else {
        Err(format!(
            "`{v}` is not a botocore version (expected something like 1.44.5)"
        ))
    }
}

/// The services to update: the directories of `model/`.
fn services(model_dir: &Path) -> Result<Vec<String>, String> {
    let mut services: Vec<String> = fs::read_dir(model_dir)
        .map_err(|e| format!("cannot list {}: {e}", model_dir.display()))?
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| e.file_name().into_string().ok())
        .collect();
    services.sort();
    if services.is_empty() {
        return Err(format!(
            "{} holds no service directory",
            model_dir.display()
        ));
    }
    Ok(services)
}

/// A scratch directory, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Result<Self, String> {
        let dir = std::env::temp_dir().join(format!("xtask-update-model-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        Ok(TempDir(dir))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn download_wheel(version: Option<&str>, dest: &Path) -> Result<PathBuf, String> {
    let pip_check = Command::new("python3")
        .args(["-m", "pip", "--version"])
        .output();
    match pip_check {
        Ok(out) if out.status.success() => {}
        Ok(_) => return Err("`python3 -m pip` is not available: install pip (for example `apt-get install python3-pip`)".into()),
        Err(e) => return Err(format!("cannot run python3 ({e}): install Python 3 with pip")),
    }
    let requirement = match version {
        Some(v) => format!("botocore=={v}"),
        None => "botocore".to_string(),
    };
    println!("downloading {requirement} with pip ...");
    let out = Command::new("python3")
        .args([
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--only-binary=:all:",
            "--disable-pip-version-check",
            "--dest",
        ])
        .arg(dest)
        .arg(&requirement)
        .output()
        .map_err(|e| format!("cannot run pip: {e}"))?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let reason: Vec<&str> = stderr
            .lines()
            .filter(|l| !l.trim().is_empty())
            .rev()
            .take(3)
            .collect();
        // pip lists every existing version on one line; a few are enough.
        let reason: Vec<String> = reason
            .into_iter()
            .rev()
            .map(|line| shorten(line, 240))
            .collect();
        return Err(format!(
            "pip could not download {requirement}:\n  {}",
            reason.join("\n  ")
        ));
    }
    fs::read_dir(dest)
        .map_err(|e| e.to_string())?
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("botocore-") && n.ends_with(".whl"))
        })
        .ok_or_else(|| "pip succeeded but left no botocore wheel".to_string())
}

fn shorten(line: &str, max: usize) -> String {
    match line.char_indices().nth(max) {
        Some((cut, _)) => format!("{} ...", &line[..cut]),
        None => line.to_string(),
    }
}

/// `botocore-1.44.5-py3-none-any.whl` → `1.44.5`.
fn wheel_version(wheel: &Path) -> Result<String, String> {
    let name = wheel
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    name.strip_prefix("botocore-")
        .and_then(|rest| rest.split('-').next())
        .map(str::to_string)
        .ok_or_else(|| format!("unexpected wheel name {name}"))
}

/// A botocore wheel, opened for reading its data files.
pub struct Wheel {
    archive: zip::ZipArchive<Cursor<Vec<u8>>>,
    names: Vec<String>,
    pub version: String,
}

impl Wheel {
    pub fn open(bytes: Vec<u8>, version: &str) -> Result<Wheel, String> {
        let archive = zip::ZipArchive::new(Cursor::new(bytes))
            .map_err(|e| format!("the wheel is not a zip archive: {e}"))?;
        let names = archive.file_names().map(str::to_string).collect();
        Ok(Wheel {
            archive,
            names,
            version: version.to_string(),
        })
    }

    /// Downloads a release (the newest for `None`) with pip and opens it.
    pub fn download(version: Option<&str>) -> Result<Wheel, String> {
        let download = TempDir::new()?;
        let path = download_wheel(version, &download.0)?;
        let wheel_version = wheel_version(&path)?;
        if let Some(v) = version {
            if v != wheel_version {
                return Err(format!(
                    "asked for botocore {v} but pip downloaded {wheel_version}"
                ));
            }
        }
        let bytes = fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        Wheel::open(bytes, &wheel_version)
    }

    /// A file's contents and the name it has in the wheel (botocore gzips
    /// some as `NAME.gz`); `None` if it is not there.
    pub fn read(&mut self, name: &str) -> Result<Option<(String, Vec<u8>)>, String> {
        for candidate in [name.to_string(), format!("{name}.gz")] {
            if let Ok(mut entry) = self.archive.by_name(&candidate) {
                let mut raw = Vec::new();
                entry
                    .read_to_end(&mut raw)
                    .map_err(|e| format!("{candidate}: {e}"))?;
                if candidate.ends_with(".gz") {
                    let mut plain = Vec::new();
                    GzDecoder::new(&raw[..])
                        .read_to_end(&mut plain)
                        .map_err(|e| format!("{candidate}: {e}"))?;
                    raw = plain;
                }
                return Ok(Some((candidate, raw)));
            }
        }
        Ok(None)
    }

    /// Every service that has a `service-2.json`, by name.
    pub fn services(&self) -> Vec<String> {
        let mut services: Vec<String> = self
            .names
            .iter()
            .filter_map(|n| n.strip_prefix("botocore/data/"))
            .filter(|rest| {
                rest.ends_with("/service-2.json") || rest.ends_with("/service-2.json.gz")
            })
            .filter_map(|rest| rest.split('/').next())
            .map(str::to_string)
            .collect();
        services.sort();
        services.dedup();
        services
    }

    /// The directory of a service's newest API version,
    /// `botocore/data/{service}/{version}/`.
    pub fn newest(&self, service: &str) -> Result<String, String> {
        let prefix = format!("botocore/data/{service}/");
        self.names
            .iter()
            .filter_map(|n| n.strip_prefix(&prefix))
            .filter_map(|rest| rest.split_once('/').map(|(v, _)| v.to_string()))
            .max()
            .map(|api_version| format!("{prefix}{api_version}/"))
            .ok_or_else(|| format!("botocore {} has no service `{service}`", self.version))
    }
}

/// Files taken from a wheel, by path under `model/`.
pub struct Extracted {
    pub files: BTreeMap<String, Vec<u8>>,
    /// Where each JSON file was in the wheel.
    pub sources: BTreeMap<String, String>,
}

/// The model files of `services` (newest API version of each), the
/// partition table and the licence. Fails, naming what is missing, unless
/// every file is there.
pub fn extract(wheel: &mut Wheel, services: &[String]) -> Result<Extracted, String> {
    let version = wheel.version.clone();
    let mut files = BTreeMap::new();
    let mut sources = BTreeMap::new();
    for service in services {
        let dir = wheel.newest(service)?;
        for (file, required) in SERVICE_FILES {
            let path = format!("{dir}{file}");
            let (source, contents) = match wheel.read(&path)? {
                Some(found) => found,
                None if !required => continue,
                None => return Err(format!("botocore {version}: `{service}` has no {file}")),
            };
            serde_json::from_slice::<serde_json::Value>(&contents)
                .map_err(|e| format!("{path}: not JSON: {e}"))?;
            files.insert(format!("{service}/{file}"), contents);
            sources.insert(format!("{service}/{file}"), source);
        }
    }
    let (source, partitions) = wheel
        .read("botocore/data/partitions.json")?
        .ok_or_else(|| format!("botocore {version} has no data/partitions.json"))?;
    files.insert("partitions.json".into(), partitions);
    sources.insert("partitions.json".into(), source);
    for licence in ["LICENSE.txt", "NOTICE"] {
        if let Some((_, text)) = wheel.read(&format!("botocore-{version}.dist-info/{licence}"))? {
            files.insert(licence.into(), text);
        }
    }
    Ok(Extracted { files, sources })
}

/// The botocore release `model/` holds, from its README.
pub fn vendored_version(root: &Path) -> Result<String, String> {
    let path = root.join("model/README.md");
    let text =
        fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    text.split_once("version `")
        .and_then(|(_, rest)| rest.split_once('`'))
        .map(|(version, _)| version.to_string())
        .ok_or_else(|| format!("{} does not name a botocore version", path.display()))
}

/// `model/README.md`: where the files came from, rewritten with them.
pub fn readme(version: &str, sources: &BTreeMap<String, String>) -> String {
    let mut text = String::from("# Vendored botocore model\n\n");
    text.push_str(&format!(
        "These files come from the botocore {version} wheel on PyPI (package `botocore`, version `{version}`), \
         licensed Apache-2.0: see `LICENSE.txt` and `NOTICE` here.\n\n"
    ));
    text.push_str("Do not edit them: run `cargo xtask update-model [--botocore VERSION]` to replace them with another release's, then `cargo xtask codegen`.\n\n");
    text.push_str("| file | from the wheel |\n| --- | --- |\n");
    for (path, source) in sources {
        text.push_str(&format!("| `{path}` | `{source}` |\n"));
    }
    text.push_str("\n`codegen.json` beside a service's files is ours: it names the generated crate and the operations it holds.\n");
    text
}

pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    let tmp = path.with_extension("tmp-update-model");
    fs::write(&tmp, contents).map_err(|e| format!("cannot write {}: {e}", tmp.display()))?;
    fs::rename(&tmp, path).map_err(|e| format!("cannot replace {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::write::GzEncoder;
    use std::io::Write;

    fn wheel(entries: &[(&str, &[u8], bool)]) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default();
        for (name, contents, gzip) in entries {
            let data = if *gzip {
                let mut gz = GzEncoder::new(Vec::new(), flate2::Compression::default());
                gz.write_all(contents).unwrap();
                gz.finish().unwrap()
            } else {
                contents.to_vec()
            };
            zip.start_file(name.to_string(), options).unwrap();
            zip.write_all(&data).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn takes_the_newest_api_version_and_ungzips() {
        let bytes = wheel(&[
            (
                "botocore/data/svc/2020-01-01/service-2.json.gz",
                b"{\"old\":1}",
                true,
            ),
            (
                "botocore/data/svc/2022-08-03/service-2.json.gz",
                b"{\"new\":1}",
                true,
            ),
            (
                "botocore/data/svc/2022-08-03/endpoint-rule-set-1.json.gz",
                b"{}",
                true,
            ),
            (
                "botocore/data/svc/2022-08-03/paginators-1.json",
                b"{}",
                false,
            ),
            (
                "botocore/data/svc/2022-08-03/waiters-2.json",
                b"{\"waiters\":{}}",
                false,
            ),
            (
                "botocore/data/partitions.json",
                b"{\"partitions\":[]}",
                false,
            ),
            ("botocore-9.9.9.dist-info/LICENSE.txt", b"Apache", false),
        ]);
        let mut wheel = Wheel::open(bytes, "9.9.9").unwrap();
        assert_eq!(wheel.services(), ["svc"]);
        let Extracted { files, sources } = extract(&mut wheel, &["svc".to_string()]).unwrap();
        assert_eq!(files["svc/service-2.json"], b"{\"new\":1}");
        assert_eq!(files["partitions.json"], b"{\"partitions\":[]}");
        assert_eq!(files["LICENSE.txt"], b"Apache");
        assert_eq!(files["svc/waiters-2.json"], b"{\"waiters\":{}}");
        assert_eq!(files.len(), 6);
        assert_eq!(
            sources["svc/service-2.json"],
            "botocore/data/svc/2022-08-03/service-2.json.gz"
        );
        let readme = readme("9.9.9", &sources);
        assert!(readme.contains("botocore 9.9.9"));
        assert!(readme.contains(
            "| `svc/paginators-1.json` | `botocore/data/svc/2022-08-03/paginators-1.json` |"
        ));
    }

    #[test]
    fn a_missing_service_or_file_is_an_error() {
        let bytes = wheel(&[("botocore/data/partitions.json", b"{}", false)]);
        let mut opened = Wheel::open(bytes, "1.0.0").unwrap();
        let err = extract(&mut opened, &["chime-sdk-voice".to_string()])
            .err()
            .unwrap();
        assert_eq!(err, "botocore 1.0.0 has no service `chime-sdk-voice`");
        let bytes = wheel(&[("botocore/data/svc/2022-08-03/service-2.json", b"{}", false)]);
        let mut opened = Wheel::open(bytes, "1.0.0").unwrap();
        let err = extract(&mut opened, &["svc".to_string()]).err().unwrap();
        assert_eq!(err, "botocore 1.0.0: `svc` has no endpoint-rule-set-1.json");
        assert!(Wheel::open(b"not a zip".to_vec(), "1.0.0").is_err());
    }

    #[test]
    fn a_service_without_paginators_or_waiters_is_taken() {
        let bytes = wheel(&[
            ("botocore/data/svc/2022-08-03/service-2.json", b"{}", false),
            (
                "botocore/data/svc/2022-08-03/endpoint-rule-set-1.json",
                b"{}",
                false,
            ),
            ("botocore/data/partitions.json", b"{}", false),
        ]);
        let mut opened = Wheel::open(bytes, "1.0.0").unwrap();
        let Extracted { files, .. } = extract(&mut opened, &["svc".to_string()]).unwrap();
        assert!(files.contains_key("svc/service-2.json"));
        assert!(!files.contains_key("svc/paginators-1.json"));
        assert!(!files.contains_key("svc/waiters-2.json"));
    }

    #[test]
    fn versions_are_read_from_the_wheel_name() {
        assert_eq!(
            wheel_version(Path::new("/t/botocore-1.44.5-py3-none-any.whl")).unwrap(),
            "1.44.5"
        );
    }
}
