//! Operations: the client's methods and their features, inputs, outputs,
//! error enums and paginators, and how each request is made.

use super::{members, types::deprecated_text, Change, Level};
use crate::ir::{Crate, Operation, Paginator, PathPart};
use std::collections::BTreeMap;

pub fn compare(old: &Crate, new: &Crate, out: &mut Vec<Change>) {
    let before: BTreeMap<&str, &Operation> = old
        .operations
        .iter()
        .map(|o| (o.name.as_str(), o))
        .collect();
    let after: BTreeMap<&str, &Operation> = new
        .operations
        .iter()
        .map(|o| (o.name.as_str(), o))
        .collect();
    for (name, op) in &before {
        if !after.contains_key(name) {
            out.push(Change::new(
                Level::Breaking,
                format!("operation `{name}`"),
                format!(
                    "removed: `Client::{}`, the feature `{}`, `{}`, `{}` and `{}` are gone",
                    op.module, op.feature, op.input.type_name, op.output.type_name, op.error_type
                ),
            ));
        }
    }
    for (name, op) in &after {
        match before.get(name) {
            None => out.push(Change::new(
                Level::Additive,
                format!("operation `{name}`"),
                format!("added: `Client::{}`, feature `{}`", op.module, op.feature),
            )),
            Some(old) => operation(old, op, out),
        }
    }
}

fn operation(o: &Operation, n: &Operation, out: &mut Vec<Change>) {
    let item = format!("operation `{}`", n.name);
    let mut push = |level, what: String| out.push(Change::new(level, item.clone(), what));
    let names = [
        ("client method", &o.module, &n.module),
        ("feature", &o.feature, &n.feature),
        ("input type", &o.input.type_name, &n.input.type_name),
        ("output type", &o.output.type_name, &n.output.type_name),
        ("error type", &o.error_type, &n.error_type),
    ];
    for (what, a, b) in names {
        if a != b {
            push(
                Level::Breaking,
                format!("{what} renamed from `{a}` to `{b}`"),
            );
        }
    }
    match (&o.deprecated, &n.deprecated) {
        (None, Some(dep)) => push(Level::Additive, deprecated_text(dep)),
        (Some(_), None) => push(Level::Additive, "no longer deprecated".into()),
        _ => {}
    }
    for what in request(o, n) {
        push(Level::Behaviour, what);
    }
    if o.docs != n.docs {
        push(Level::Docs, "documentation changed".into());
    }
    for (old, new) in [(&o.input, &n.input), (&o.output, &n.output)] {
        super::types::structure_marks(&new.type_name, old, new, out);
        members::compare(&new.type_name, old, new, out);
    }
    errors(o, n, out);
    paginator(n, o.paginator.as_ref(), n.paginator.as_ref(), out);
}

/// How the request is made and the response taken, where it changed.
fn request(o: &Operation, n: &Operation) -> Vec<String> {
    let mut changes = Vec::new();
    let mut differs = |what: &str, a: String, b: String| {
        if a != b {
            changes.push(format!("{what}: {b} (was {a})"));
        }
    };
    differs("method", o.http_method.clone(), n.http_method.clone());
    differs("path", path(&o.path), path(&n.path));
    differs(
        "query",
        format!("{:?}", o.literal_query),
        format!("{:?}", n.literal_query),
    );
    differs(
        "success status",
        o.success_code.to_string(),
        n.success_code.to_string(),
    );
    differs("wire name", o.wire_name.clone(), n.wire_name.clone());
    differs(
        "host prefix",
        format!("{:?}", o.host_prefix),
        format!("{:?}", n.host_prefix),
    );
    differs(
        "signing",
        format!("{:?}", o.signing),
        format!("{:?}", n.signing),
    );
    differs(
        "idempotent",
        o.idempotent.to_string(),
        n.idempotent.to_string(),
    );
    differs(
        "checksum required",
        o.content_md5.to_string(),
        n.content_md5.to_string(),
    );
    differs(
        "checksums",
        format!("{:?}", o.http_checksum),
        format!("{:?}", n.http_checksum),
    );
    differs(
        "request compression",
        o.request_compression.to_string(),
        n.request_compression.to_string(),
    );
    differs(
        "endpoint parameters",
        format!("{:?}", o.endpoint_params),
        format!("{:?}", n.endpoint_params),
    );
    differs(
        "result wrapper",
        format!("{:?}", o.result_wrapper),
        format!("{:?}", n.result_wrapper),
    );
    changes
}

/// `/things/{Id}/{Key+}`, as the model writes it.
fn path(parts: &[PathPart]) -> String {
    parts
        .iter()
        .map(|p| match p {
            PathPart::Literal(text) => text.clone(),
            PathPart::Label {
                member,
                greedy: false,
            } => format!("{{{member}}}"),
            PathPart::Label {
                member,
                greedy: true,
            } => format!("{{{member}+}}"),
        })
        .collect()
}

/// The operation's error enum: `#[non_exhaustive]`, so an error added is
/// additive; one removed takes its variant and predicate with it.
fn errors(o: &Operation, n: &Operation, out: &mut Vec<Change>) {
    let before: BTreeMap<&str, _> = o.errors.iter().map(|e| (e.variant.as_str(), e)).collect();
    let after: BTreeMap<&str, _> = n.errors.iter().map(|e| (e.variant.as_str(), e)).collect();
    for variant in before.keys() {
        if !after.contains_key(variant) {
            out.push(Change::new(
                Level::Breaking,
                format!("`{}::{variant}`", n.error_type),
                "removed",
            ));
        }
    }
    for (variant, e) in &after {
        let item = format!("`{}::{variant}`", n.error_type);
        match before.get(variant) {
            None => out.push(Change::new(Level::Additive, item, "added")),
            Some(old) => {
                if old.predicate != e.predicate {
                    out.push(Change::new(
                        Level::Breaking,
                        item.clone(),
                        format!(
                            "predicate renamed from `{}` to `{}`",
                            old.predicate, e.predicate
                        ),
                    ));
                }
                let wire = |e: &crate::ir::ErrorRef| (e.code.clone(), e.http_status, e.fault);
                if wire(old) != wire(e) {
                    out.push(Change::new(
                        Level::Behaviour,
                        item,
                        "matched by another code, status or fault",
                    ));
                }
            }
        }
    }
}

/// `into_paginator()`, its item streams and `page_size()`.
fn paginator(
    op: &Operation,
    old: Option<&Paginator>,
    new: Option<&Paginator>,
    out: &mut Vec<Change>,
) {
    let item = format!("paginator of `{}`", op.name);
    let (old, new) = match (old, new) {
        (None, None) => return,
        (Some(_), None) => {
            out.push(Change::new(
                Level::Breaking,
                item,
                "removed: `into_paginator()` is gone",
            ));
            return;
        }
        (None, Some(_)) => {
            out.push(Change::new(
                Level::Additive,
                item,
                "added: `into_paginator()`",
            ));
            return;
        }
        (Some(old), Some(new)) => (old, new),
    };
    let token = |p: &Paginator| -> Vec<String> {
        p.tokens
            .iter()
            .map(|t| members::rust_type(&t.ty, false))
            .collect()
    };
    if token(old) != token(new) || old.tokens_alias != new.tokens_alias {
        out.push(Change::new(
            Level::Breaking,
            item.clone(),
            "its token type changed",
        ));
    }
    let streams = |p: &Paginator| -> BTreeMap<String, String> {
        p.items
            .iter()
            .map(|i| {
                (
                    i.method.clone(),
                    format!("{} {:?}", members::rust_type(&i.path.ty, false), i.kind),
                )
            })
            .collect()
    };
    let (a, b) = (streams(old), streams(new));
    for (method, ty) in &a {
        match b.get(method) {
            None => out.push(Change::new(
                Level::Breaking,
                item.clone(),
                format!("`{method}()` removed"),
            )),
            Some(other) if other != ty => out.push(Change::new(
                Level::Breaking,
                item.clone(),
                format!("`{method}()` yields another type"),
            )),
            Some(_) => {}
        }
    }
    for method in b.keys().filter(|m| !a.contains_key(*m)) {
        out.push(Change::new(
            Level::Additive,
            item.clone(),
            format!("`{method}()` added"),
        ));
    }
    let size = |p: &Paginator| p.limit.as_ref().map(|l| members::rust_type(&l.size, false));
    match (size(old), size(new)) {
        (Some(_), None) => out.push(Change::new(
            Level::Breaking,
            item.clone(),
            "`page_size()` removed",
        )),
        (None, Some(_)) => out.push(Change::new(
            Level::Additive,
            item.clone(),
            "`page_size()` added",
        )),
        (Some(a), Some(b)) if a != b => out.push(Change::new(
            Level::Breaking,
            item.clone(),
            format!("`page_size()` takes `{b}` (was `{a}`)"),
        )),
        _ => {}
    }
    let paths = |p: &Paginator| {
        let tokens: Vec<String> = p
            .tokens
            .iter()
            .flat_map(|t| t.output.iter().map(|o| o.text.clone()))
            .collect();
        let items: Vec<&str> = p.items.iter().map(|i| i.path.text.as_str()).collect();
        format!(
            "{tokens:?} {:?} {items:?} {:?}",
            p.more_results.as_ref().map(|m| &m.text),
            p.limit.as_ref().map(|l| l.as_text)
        )
    };
    if paths(old) != paths(new) {
        out.push(Change::new(
            Level::Behaviour,
            item,
            "follows its pages through other members",
        ));
    }
}
