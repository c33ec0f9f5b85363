//! The words of a diff: the report printed after a model update and the
//! crate's changelog entry.

use super::{Diff, Level};
use std::fmt::Write;

const LEVELS: [Level; 4] = [
    Level::Breaking,
    Level::Additive,
    Level::Behaviour,
    Level::Docs,
];

/// What a model update did to one crate, for the terminal: the class, the
/// version change, then each change under its class.
pub fn report(crate_name: &str, from: &str, to: Option<&str>, diff: &Diff) -> String {
    let mut out = String::new();
    let class = match diff.changes.iter().map(|c| c.level).min() {
        Some(level) => level.heading(),
        None if diff.inputs_changed => "no API change",
        None => "unchanged",
    };
    let version = match to {
        Some(to) => format!("{from} -> {to}"),
        None => format!("stays {from}"),
    };
    let _ = writeln!(out, "{crate_name}: {class}, {version}");
    for level in LEVELS {
        let mut changes = diff.of(level).peekable();
        if changes.peek().is_none() {
            continue;
        }
        let _ = writeln!(out, "  {}:", level.heading());
        for change in changes {
            let _ = writeln!(out, "    {change}");
        }
    }
    if !diff.not_selected.is_empty() {
        let _ = writeln!(
            out,
            "  not generated, new in the model (add them to codegen.json to generate them): {}",
            diff.not_selected.join(", ")
        );
    }
    out
}

/// The changelog entry of a release generated from botocore `botocore`
/// (`previous` is the release the crate's last version came from).
pub fn changelog_entry(
    version: &str,
    botocore: &str,
    previous: Option<&str>,
    diff: &Diff,
) -> String {
    let mut out = format!("## {version}\n\n");
    let from = previous
        .map(|p| format!(" (the previous version: botocore {p})"))
        .unwrap_or_default();
    let _ = writeln!(out, "Generated from botocore {botocore}{from}.\n");
    if diff.changes.is_empty() {
        out.push_str(
            "No change to the API: the model changed outside this crate's operations.\n\n",
        );
    }
    for level in LEVELS {
        let mut changes = diff.of(level).peekable();
        if changes.peek().is_none() {
            continue;
        }
        let heading = match level {
            Level::Breaking => "Breaking",
            Level::Additive => "Additive",
            Level::Behaviour => "Behaviour",
            Level::Docs => "Documentation only",
        };
        let _ = writeln!(out, "### {heading}\n");
        for change in changes {
            let _ = writeln!(out, "- {change}");
        }
        out.push('\n');
    }
    if !diff.not_selected.is_empty() {
        let names: Vec<String> = diff.not_selected.iter().map(|n| format!("`{n}`")).collect();
        let _ = writeln!(
            out,
            "New in the model and not generated (not in `codegen.json`): {}.\n",
            names.join(", ")
        );
    }
    out
}

/// `existing` (the crate's changelog, if it has one) with `entry` as its
/// newest release, above the others.
pub fn prepend_entry(existing: Option<&str>, crate_name: &str, entry: &str) -> String {
    let existing = match existing {
        Some(text) => text.to_string(),
        None => format!(
            "# Changelog\n\n\
             The releases of the `{crate_name}` crate, newest first: the botocore release\n\
             each was generated from and what changed in its API. `cargo xtask update-model`\n\
             writes an entry; `cargo xtask codegen` copies this file into the crate.\n"
        ),
    };
    let mut lines: Vec<&str> = existing.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.starts_with("## "))
        .unwrap_or(lines.len());
    let mut head = lines.drain(..at).collect::<Vec<_>>().join("\n");
    let head_trimmed = head.trim_end().len();
    head.truncate(head_trimmed);
    let rest = lines.join("\n");
    let mut text = format!("{head}\n\n{}", entry.trim_end());
    if !rest.is_empty() {
        text.push_str("\n\n");
        text.push_str(rest.trim_end());
    }
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::super::Change;
    use super::*;

    fn diff() -> Diff {
        Diff {
            changes: vec![
                Change::new(Level::Breaking, "`A.b`", "removed"),
                Change::new(Level::Additive, "operation `Ping`", "added"),
                Change::new(Level::Docs, "type `T`", "documentation changed"),
            ],
            inputs_changed: true,
            dropped: Vec::new(),
            not_selected: vec!["Pong".into()],
        }
    }

    #[test]
    fn an_entry_names_the_release_and_each_change() {
        let entry = changelog_entry("0.2.0", "1.2.4", Some("1.2.3"), &diff());
        assert_eq!(
            entry,
            "## 0.2.0\n\n\
             Generated from botocore 1.2.4 (the previous version: botocore 1.2.3).\n\n\
             ### Breaking\n\n- `A.b`: removed\n\n\
             ### Additive\n\n- operation `Ping`: added\n\n\
             ### Documentation only\n\n- type `T`: documentation changed\n\n\
             New in the model and not generated (not in `codegen.json`): `Pong`.\n\n"
        );
        let report = report("svc", "0.1.0", Some("0.2.0"), &diff());
        assert_eq!(
            report,
            "svc: breaking, 0.1.0 -> 0.2.0\n  breaking:\n    `A.b`: removed\n  additive:\n    operation `Ping`: added\n  docs only:\n    type `T`: documentation changed\n  not generated, new in the model (add them to codegen.json to generate them): Pong\n"
        );
    }

    #[test]
    fn entries_go_newest_first_under_the_header() {
        let first = prepend_entry(None, "svc", "## 0.1.1\n\nOne.\n");
        assert!(first.starts_with("# Changelog\n\nThe releases of the `svc` crate"));
        assert!(first.ends_with("copies this file into the crate.\n\n## 0.1.1\n\nOne.\n"));
        let second = prepend_entry(Some(&first), "svc", "## 0.2.0\n\nTwo.\n\n");
        assert!(
            second.ends_with("into the crate.\n\n## 0.2.0\n\nTwo.\n\n## 0.1.1\n\nOne.\n"),
            "{second}"
        );
        // A hand-written line above the entries stays where it is.
        let edited = second.replace("# Changelog\n", "# Changelog\n\nOur note.\n");
        let third = prepend_entry(Some(&edited), "svc", "## 0.2.1\n");
        assert!(third.contains("Our note."));
        assert!(
            third.contains("crate.\n\n## 0.2.1\n\n## 0.2.0\n\nTwo.\n\n## 0.1.1"),
            "{third}"
        );
    }
}
