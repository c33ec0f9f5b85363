//! What a model update changes in a generated crate's public API, read
//! from the IR of the crate before and after, and what that means for the
//! crate's version and changelog.
//!
//! The classes follow what the generated code makes of a change (see the
//! emitters): structures and unions are `#[non_exhaustive]` with builders,
//! so a member or variant added breaks nobody; string enums and operation
//! error enums are `#[non_exhaustive]` with a catch-all, so a value or an
//! error added breaks nobody either; anything removed, renamed or retyped
//! breaks code that names it; an input member that becomes required makes
//! `build()` fail where it passed. A change that leaves every signature as
//! it was but alters what goes on the wire is `Behaviour`, apart from
//! changes to documentation.
//!
//! No I/O here: the caller reads the model files and writes the results.

mod changelog;
mod members;
mod operations;
mod types;
mod version;
mod waiters;

pub use changelog::{changelog_entry, prepend_entry, report};
pub use version::{bump, Bump};

use crate::error::Error;
use crate::ir::{self, Crate};
use crate::{customize, emit, model, Inputs};
use std::collections::BTreeSet;
use std::fmt;

/// How much a change matters to code that uses the crate; the order is
/// from the most to the least.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Code that compiled may stop compiling, or a call that was built may
    /// now fail to build.
    Breaking,
    /// Something new to use (an operation, member, value, error,
    /// paginator, waiter), or a deprecation mark: existing code keeps working.
    Additive,
    /// The Rust API is unchanged, but what the client sends, reads or
    /// prints is not (a binding, a wire name, a redaction, a check).
    Behaviour,
    /// Documentation only.
    Docs,
}

impl Level {
    /// The heading of the class, as printed and in changelogs.
    pub fn heading(self) -> &'static str {
        match self {
            Level::Breaking => "breaking",
            Level::Additive => "additive",
            Level::Behaviour => "behaviour",
            Level::Docs => "docs only",
        }
    }
}

/// One change of the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub level: Level,
    /// What changed, as a user names it: `CreateSipRuleInput.target_applications`,
    /// `ErrorCode::Validation`, `operation GetProxySession`.
    pub item: String,
    /// How it changed: `became required`.
    pub what: String,
}

impl Change {
    fn new(level: Level, item: impl Into<String>, what: impl Into<String>) -> Change {
        Change {
            level,
            item: item.into(),
            what: what.into(),
        }
    }
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.item, self.what)
    }
}

/// Everything a model update changes in one crate.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diff {
    /// The changes, the most serious class first, each class in the order
    /// of the API (operations by name, then types by name).
    pub changes: Vec<Change>,
    /// Some input file differs, even where the API does not (the model's
    /// digest is compiled into the crate, so its files change).
    pub inputs_changed: bool,
    /// Operations of the selection that the new model no longer has: they
    /// are removed from the crate (and belong out of its `codegen.json`).
    pub dropped: Vec<String>,
    /// Operations the new model has that the selection does not name: not
    /// generated until they are added to `codegen.json`.
    pub not_selected: Vec<String>,
}

impl Diff {
    /// The version bump the changes call for; `None` when nothing changed.
    pub fn bump(&self) -> Option<Bump> {
        let worst = self.changes.iter().map(|c| c.level).min();
        match worst {
            Some(Level::Breaking) => Some(Bump::Breaking),
            Some(Level::Additive) => Some(Bump::Additive),
            Some(_) => Some(Bump::Patch),
            None if self.inputs_changed => Some(Bump::Patch),
            None => None,
        }
    }

    /// The changes of one class.
    pub fn of(&self, level: Level) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(move |c| c.level == level)
    }
}

/// Compares the crate generated from `old` with the one generated from
/// `new`, for the operations in `selection` (all of them for `None`) and
/// the protocol a manifest names. A selected operation the new model no
/// longer has is left out of the new crate and listed in `dropped`.
pub fn compare(
    old: &Inputs,
    new: &Inputs,
    selection: Option<&[String]>,
    protocol: Option<&str>,
) -> Result<Diff, Error> {
    let old_service =
        model::Service::from_json(old.service).map_err(|e| Error::Model(e.to_string()))?;
    let new_service =
        model::Service::from_json(new.service).map_err(|e| Error::Model(e.to_string()))?;
    let (was, kept, dropped, not_selected) = match selection {
        None => (None, None, Vec::new(), Vec::new()),
        Some(selected) => {
            // A selected operation the old model lacks did not generate
            // before: if the new model has it, it is added.
            let was: Vec<String> = selected
                .iter()
                .filter(|name| old_service.operations.contains_key(*name))
                .cloned()
                .collect();
            let (kept, dropped): (Vec<String>, Vec<String>) = selected
                .iter()
                .cloned()
                .partition(|name| new_service.operations.contains_key(name));
            let wanted: BTreeSet<&String> = selected.iter().collect();
            // New since the old model: an operation the user left out on
            // purpose is not news.
            let not_selected = new_service
                .operations
                .keys()
                .filter(|k| !wanted.contains(k) && !old_service.operations.contains_key(*k))
                .cloned()
                .collect();
            (Some(was), Some(kept), dropped, not_selected)
        }
    };
    let old_crate = lower(old, was.as_deref(), protocol)?;
    let new_crate = lower(new, kept.as_deref(), protocol)?;
    let mut changes = diff(&old_crate, &new_crate);
    // Compiled into the crate's endpoint resolver.
    if !same_json(old.endpoint_rules, new.endpoint_rules) {
        changes.push(Change::new(
            Level::Behaviour,
            "endpoint resolution",
            "the service's endpoint rules changed",
        ));
    }
    if !same_json(old.partitions, new.partitions) {
        changes.push(Change::new(
            Level::Behaviour,
            "endpoint resolution",
            "the partition table changed (regions, DNS suffixes)",
        ));
    }
    changes.sort_by_key(|c| c.level);
    let inputs_changed = old.service != new.service
        || old.endpoint_rules != new.endpoint_rules
        || old.partitions != new.partitions
        || old.paginators != new.paginators
        || old.waiters != new.waiters;
    Ok(Diff {
        changes,
        inputs_changed,
        dropped,
        not_selected,
    })
}

/// The changes from `old` to `new`, the most serious class first.
pub fn diff(old: &Crate, new: &Crate) -> Vec<Change> {
    let mut changes = Vec::new();
    service(old, new, &mut changes);
    operations::compare(old, new, &mut changes);
    types::compare(old, new, &mut changes);
    waiters::compare(old, new, &mut changes);
    // A stable sort: each class keeps the API's order.
    changes.sort_by_key(|c| c.level);
    changes
}

/// The IR of the crate `crate::generate` would make: the same
/// customizations, protocol choice and paginators.
pub fn lower(
    inputs: &Inputs,
    selection: Option<&[String]>,
    protocol: Option<&str>,
) -> Result<Crate, Error> {
    let mut service =
        model::Service::from_json(inputs.service).map_err(|e| Error::Model(e.to_string()))?;
    let customizations = customize::apply(&mut service)?;
    let protocol = emit::protocol::select(&service.metadata, protocol)?;
    let mut krate = ir::lower(&service, selection, protocol, customizations)?;
    if let Some(paginators) = inputs.paginators {
        let paginators: model::Paginators = serde_json::from_str(paginators)
            .map_err(|e| Error::Model(format!("paginators-1.json: {e}")))?;
        // A paginator the generator refuses fails the generation itself;
        // here it is simply absent.
        ir::attach_paginators(&mut krate, &service, &paginators);
    }
    if let Some(waiters) = inputs.waiters {
        let waiters: model::Waiters = serde_json::from_str(waiters)
            .map_err(|e| Error::Model(format!("waiters-2.json: {e}")))?;
        // As with paginators: one the generator refuses is absent.
        ir::attach_waiters(&mut krate, &service, &waiters);
    }
    Ok(krate)
}

/// The same JSON value (or both absent), whatever the formatting.
fn same_json(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => {
            a == b
                || matches!(
                    (
                        serde_json::from_str::<serde_json::Value>(a),
                        serde_json::from_str::<serde_json::Value>(b),
                    ),
                    (Ok(x), Ok(y)) if x == y
                )
        }
        _ => false,
    }
}

/// The service as a whole: its docs and how it is reached.
fn service(old: &Crate, new: &Crate, out: &mut Vec<Change>) {
    let (o, n) = (&old.service, &new.service);
    let item = "crate";
    if o.protocol.name() != n.protocol.name() {
        out.push(Change::new(
            Level::Behaviour,
            item,
            format!("speaks {} (was {})", n.protocol.name(), o.protocol.name()),
        ));
    }
    let wire = [
        ("signing name", &o.signing_name, &n.signing_name),
        ("endpoint prefix", &o.endpoint_prefix, &n.endpoint_prefix),
    ];
    for (what, a, b) in wire {
        if a != b {
            out.push(Change::new(
                Level::Behaviour,
                item,
                format!("{what} is `{b}` (was `{a}`)"),
            ));
        }
    }
    if o.wire != n.wire || o.http2 != n.http2 {
        out.push(Change::new(
            Level::Behaviour,
            item,
            "the protocol's settings changed (JSON version, target prefix, query compatibility or HTTP/2)",
        ));
    }
    if o.bearer_token_sso != n.bearer_token_sso {
        out.push(Change::new(
            Level::Behaviour,
            item,
            if n.bearer_token_sso {
                "takes bearer tokens from the profile's SSO session"
            } else {
                "no longer takes bearer tokens from the profile's SSO session"
            },
        ));
    }
    if o.bearer_token_env != n.bearer_token_env {
        let what = if n.bearer_token_env {
            "reads a bearer token from the environment"
        } else {
            "no longer reads a bearer token from the environment"
        };
        out.push(Change::new(Level::Behaviour, item, what));
    }
    let applied = |c: &Crate| -> Vec<String> {
        c.service
            .customizations
            .iter()
            .flat_map(|a| a.changes.iter().map(move |c| format!("{}: {c}", a.name())))
            .collect()
    };
    if applied(old) != applied(new) {
        out.push(Change::new(
            Level::Behaviour,
            item,
            "the service's customizations changed what they adjust",
        ));
    }
    if o.docs != n.docs || o.title != n.title {
        out.push(Change::new(Level::Docs, item, "documentation changed"));
    }
}
