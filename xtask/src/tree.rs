//! Comparing and writing a tree of generated files.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// Every file under `dir`, by path relative to `dir`, with its contents
/// (`None` when it is not UTF-8).
pub fn read(dir: &Path) -> Result<BTreeMap<String, Option<String>>, String> {
    let mut files = BTreeMap::new();
    if !dir.exists() {
        return Ok(files);
    }
    let mut stack = vec![PathBuf::new()];
    while let Some(relative) = stack.pop() {
        let entries = fs::read_dir(dir.join(&relative))
            .map_err(|e| format!("cannot list {}: {e}", dir.join(&relative).display()))?;
        for entry in entries {
            let entry = entry.map_err(|e| e.to_string())?;
            let path = relative.join(entry.file_name());
            if entry.file_type().map_err(|e| e.to_string())?.is_dir() {
                stack.push(path);
            } else {
                let text = fs::read(dir.join(&path))
                    .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
                files.insert(slash_path(&path), String::from_utf8(text).ok());
            }
        }
    }
    Ok(files)
}

/// `a/b/c.rs` on every platform.
pub fn slash_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// How a directory differs from what it should hold.
#[derive(Debug, Default)]
pub struct Diff {
    pub changed: Vec<String>,
    pub missing: Vec<String>,
    pub extra: Vec<String>,
}

impl Diff {
    pub fn is_empty(&self) -> bool {
        self.changed.is_empty() && self.missing.is_empty() && self.extra.is_empty()
    }
}

pub fn diff(
    expected: &BTreeMap<String, String>,
    actual: &BTreeMap<String, Option<String>>,
) -> Diff {
    let mut diff = Diff::default();
    for (path, contents) in expected {
        match actual.get(path) {
            None => diff.missing.push(path.clone()),
            Some(Some(text)) if text == contents => {}
            Some(_) => diff.changed.push(path.clone()),
        }
    }
    diff.extra = actual
        .keys()
        .filter(|p| !expected.contains_key(*p))
        .cloned()
        .collect();
    diff
}

/// A unified diff of one file, for `--check`.
pub fn unified(path: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

/// Removes empty directories left under `dir` after deleting files.
pub fn prune_empty_dirs(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            prune_empty_dirs(&entry.path());
            let _ = fs::remove_dir(entry.path());
        }
    }
}
