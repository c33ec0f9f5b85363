//! The types under `types` (structures, unions, string enums) and
//! `types::error` (error shapes), by Rust name.

use super::{members, Change, Level};
use crate::ir::{Crate, Deprecation, Enum, Structure, Union};
use std::collections::{BTreeMap, BTreeSet};

/// One public type.
#[derive(Clone, Copy)]
enum Item<'a> {
    Structure(&'a Structure),
    Union(&'a Union),
    Enum(&'a Enum),
}

impl Item<'_> {
    fn kind(&self) -> &'static str {
        match self {
            Item::Structure(_) => "a structure",
            Item::Union(u) if u.event_stream.is_some() => "an event stream",
            Item::Union(_) => "a union",
            Item::Enum(_) => "a string enum",
        }
    }

    /// The operations (model names) whose features compile it.
    fn operations(&self) -> BTreeSet<String> {
        match self {
            Item::Structure(s) => s.directions.operations(),
            Item::Union(u) => u.directions.operations(),
            Item::Enum(e) => e.operations.clone(),
        }
    }
}

fn items(krate: &Crate) -> BTreeMap<&str, Item<'_>> {
    let structures = krate
        .structures
        .iter()
        .map(|s| (s.type_name.as_str(), Item::Structure(s)));
    let unions = krate
        .unions
        .iter()
        .map(|u| (u.type_name.as_str(), Item::Union(u)));
    let enums = krate
        .enums
        .iter()
        .map(|e| (e.type_name.as_str(), Item::Enum(e)));
    structures.chain(unions).chain(enums).collect()
}

pub fn compare(old: &Crate, new: &Crate, out: &mut Vec<Change>) {
    let (before, after) = (items(old), items(new));
    for (name, item) in &before {
        if !after.contains_key(name) {
            out.push(Change::new(
                Level::Breaking,
                format!("type `{name}`"),
                format!("removed ({})", item.kind()),
            ));
        }
    }
    for (name, item) in &after {
        let Some(was) = before.get(name) else {
            out.push(Change::new(
                Level::Additive,
                format!("type `{name}`"),
                format!("added ({})", item.kind()),
            ));
            continue;
        };
        features(
            &format!("type `{name}`"),
            old,
            new,
            was.operations(),
            item.operations(),
            out,
        );
        match (was, item) {
            (Item::Structure(a), Item::Structure(b)) => {
                structure_marks(name, a, b, out);
                members::compare(name, a, b, out);
            }
            (Item::Union(a), Item::Union(b)) => union(a, b, out),
            (Item::Enum(a), Item::Enum(b)) => enumeration(a, b, out),
            _ => out.push(Change::new(
                Level::Breaking,
                format!("type `{name}`"),
                format!("is {} (was {})", item.kind(), was.kind()),
            )),
        }
    }
    errors(old, new, out);
}

/// Error shapes, in `types::error`.
fn errors(old: &Crate, new: &Crate, out: &mut Vec<Change>) {
    let map = |c: &Crate| -> BTreeMap<String, Structure> {
        c.errors
            .iter()
            .map(|e| (e.type_name.clone(), e.clone()))
            .collect()
    };
    let (before, after) = (map(old), map(new));
    for name in before.keys().filter(|n| !after.contains_key(*n)) {
        out.push(Change::new(
            Level::Breaking,
            format!("error `{name}`"),
            "removed",
        ));
    }
    for (name, e) in &after {
        let Some(was) = before.get(name) else {
            out.push(Change::new(
                Level::Additive,
                format!("error `{name}`"),
                "added",
            ));
            continue;
        };
        let item = format!("error `{name}`");
        features(
            &item,
            old,
            new,
            was.directions.response.clone(),
            e.directions.response.clone(),
            out,
        );
        let wire = |s: &Structure| {
            s.error
                .as_ref()
                .map(|i| (i.code.clone(), i.http_status, i.fault))
        };
        if wire(was) != wire(e) {
            out.push(Change::new(
                Level::Behaviour,
                item,
                "another code, status or fault",
            ));
        }
        structure_marks(name, was, e, out);
        members::compare(name, was, e, out);
    }
}

/// A type is compiled when the feature of one of the operations that use
/// it is on. One that loses a feature that still exists breaks a user who
/// enables only that feature (`default-features = false`).
fn features(
    item: &str,
    old: &Crate,
    new: &Crate,
    was: BTreeSet<String>,
    now: BTreeSet<String>,
    out: &mut Vec<Change>,
) {
    let feature = |c: &Crate, op: &str| -> Option<String> {
        c.operations
            .iter()
            .find(|o| o.name == op)
            .map(|o| o.feature.clone())
    };
    let now: BTreeSet<String> = now.iter().filter_map(|op| feature(new, op)).collect();
    let lost: Vec<String> = was
        .iter()
        .filter_map(|op| feature(old, op))
        .filter(|f| !now.contains(f))
        // A feature that is gone is reported with its operation.
        .filter(|f| new.operations.iter().any(|o| &o.feature == f))
        .map(|f| format!("`{f}`"))
        .collect();
    if !lost.is_empty() {
        out.push(Change::new(
            Level::Breaking,
            item,
            format!("no longer compiled by the feature {}", lost.join(", ")),
        ));
    }
}

/// What a structure says of itself, apart from its members.
pub fn structure_marks(name: &str, old: &Structure, new: &Structure, out: &mut Vec<Change>) {
    let item = format!("type `{name}`");
    marks(&item, (&old.deprecated, &new.deprecated), out);
    if old.sensitive != new.sensitive {
        let what = if new.sensitive {
            "now sensitive: redacted whole in `Debug`"
        } else {
            "no longer sensitive: shown in `Debug`"
        };
        out.push(Change::new(Level::Behaviour, item.clone(), what));
    }
    if old.streaming != new.streaming {
        // Clone and PartialEq come and go with a streaming member.
        let level = if new.streaming {
            Level::Breaking
        } else {
            Level::Additive
        };
        let what = if new.streaming {
            "no longer `Clone` or `PartialEq` (it holds a stream)"
        } else {
            "now `Clone` and `PartialEq`"
        };
        out.push(Change::new(level, item.clone(), what));
    }
    if old.docs != new.docs {
        out.push(Change::new(Level::Docs, item, "documentation changed"));
    }
}

fn marks(
    item: &str,
    deprecated: (&Option<Deprecation>, &Option<Deprecation>),
    out: &mut Vec<Change>,
) {
    match deprecated {
        (None, Some(dep)) => out.push(Change::new(Level::Additive, item, deprecated_text(dep))),
        (Some(_), None) => out.push(Change::new(Level::Additive, item, "no longer deprecated")),
        _ => {}
    }
}

/// `deprecated: MESSAGE`, as the attribute will say it.
pub fn deprecated_text(dep: &Deprecation) -> String {
    match (&dep.since, &dep.message) {
        (Some(since), Some(message)) => format!("deprecated since {since}: {message}"),
        (Some(since), None) => format!("deprecated since {since}"),
        (None, Some(message)) => format!("deprecated: {message}"),
        (None, None) => "deprecated".into(),
    }
}

/// A union's variants: `#[non_exhaustive]`, so one added is additive.
fn union(old: &Union, new: &Union, out: &mut Vec<Change>) {
    let name = &new.type_name;
    let item = format!("type `{name}`");
    marks(&item, (&old.deprecated, &new.deprecated), out);
    let variants = |u: &Union| -> BTreeMap<String, (String, String, String, bool)> {
        u.members
            .iter()
            .zip(&u.variant_names)
            .map(|(m, v)| {
                (
                    m.name.clone(),
                    (
                        v.clone(),
                        members::rust_type(&m.ty, m.boxed),
                        m.docs.clone(),
                        m.deprecated.is_some(),
                    ),
                )
            })
            .collect()
    };
    let (before, after) = (variants(old), variants(new));
    for (member, (variant, ..)) in &before {
        if !after.contains_key(member) {
            out.push(Change::new(
                Level::Breaking,
                format!("`{name}::{variant}`"),
                "removed",
            ));
        }
    }
    for (member, (variant, ty, docs, deprecated)) in &after {
        let item = format!("`{name}::{variant}`");
        let Some((was_variant, was_ty, was_docs, was_deprecated)) = before.get(member) else {
            out.push(Change::new(Level::Additive, item, "added"));
            continue;
        };
        if was_variant != variant {
            out.push(Change::new(
                Level::Breaking,
                item.clone(),
                format!("renamed from `{was_variant}`"),
            ));
        }
        if was_ty != ty {
            out.push(Change::new(
                Level::Breaking,
                item.clone(),
                format!("holds `{ty}` (was `{was_ty}`)"),
            ));
        }
        if was_deprecated != deprecated {
            let what = if *deprecated {
                "deprecated"
            } else {
                "no longer deprecated"
            };
            out.push(Change::new(Level::Additive, item.clone(), what));
        }
        if was_docs != docs {
            out.push(Change::new(Level::Docs, item, "documentation changed"));
        }
    }
    let exceptions = |u: &Union| -> Vec<(String, String)> {
        u.event_stream
            .iter()
            .flat_map(|s| &s.exceptions)
            .map(|x| (x.wire_name.clone(), x.shape.clone()))
            .collect()
    };
    if exceptions(old) != exceptions(new) {
        out.push(Change::new(
            Level::Behaviour,
            item.clone(),
            "the exceptions the stream carries changed",
        ));
    }
    if old.sensitive != new.sensitive {
        out.push(Change::new(
            Level::Behaviour,
            item.clone(),
            "redaction in `Debug` changed",
        ));
    }
    if old.docs != new.docs {
        out.push(Change::new(Level::Docs, item, "documentation changed"));
    }
}

/// A string enum's values: `#[non_exhaustive]` with `Unknown`, so one
/// added is additive; one removed takes its variant with it.
fn enumeration(old: &Enum, new: &Enum, out: &mut Vec<Change>) {
    let name = &new.type_name;
    let values = |e: &Enum| -> BTreeMap<String, String> {
        e.variants
            .iter()
            .map(|v| (v.value.clone(), v.name.clone()))
            .collect()
    };
    let (before, after) = (values(old), values(new));
    for (value, variant) in &before {
        if !after.contains_key(value) {
            out.push(Change::new(
                Level::Breaking,
                format!("`{name}::{variant}`"),
                format!("removed (the value `{value}`)"),
            ));
        }
    }
    for (value, variant) in &after {
        match before.get(value) {
            None => out.push(Change::new(
                Level::Additive,
                format!("`{name}::{variant}`"),
                format!("added (the value `{value}`)"),
            )),
            Some(was) if was != variant => out.push(Change::new(
                Level::Breaking,
                format!("`{name}::{variant}`"),
                format!("renamed from `{was}`"),
            )),
            Some(_) => {}
        }
    }
    // An enum's own `sensitive` changes nothing: its members carry it.
    if old.docs != new.docs {
        out.push(Change::new(
            Level::Docs,
            format!("type `{name}`"),
            "documentation changed",
        ));
    }
}
