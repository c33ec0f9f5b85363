//! Waiters: the client's `wait_until_*` methods.

use super::{Change, Level};
use crate::ir::{Crate, Waiter};
use std::collections::BTreeMap;

pub fn compare(old: &Crate, new: &Crate, out: &mut Vec<Change>) {
    let map = |c: &Crate| -> BTreeMap<String, Waiter> {
        c.waiters
            .iter()
            .map(|w| (w.name.clone(), w.clone()))
            .collect()
    };
    let (before, after) = (map(old), map(new));
    for (name, w) in &before {
        if !after.contains_key(name) {
            out.push(Change::new(
                Level::Breaking,
                format!("waiter `{name}`"),
                format!("removed: `Client::{}` is gone", w.method),
            ));
        }
    }
    for (name, w) in &after {
        let item = format!("waiter `{name}`");
        let Some(was) = before.get(name) else {
            out.push(Change::new(
                Level::Additive,
                item,
                format!("added: `Client::{}`", w.method),
            ));
            continue;
        };
        if was.method != w.method || was.type_name != w.type_name {
            out.push(Change::new(
                Level::Breaking,
                item.clone(),
                format!("renamed from `{}` to `{}`", was.method, w.method),
            ));
        }
        if was.operation != w.operation
            || was.delay != w.delay
            || was.max_attempts != w.max_attempts
            || was.acceptors != w.acceptors
        {
            out.push(Change::new(
                Level::Behaviour,
                item.clone(),
                "waits otherwise (operation, delays or acceptors)",
            ));
        }
        if was.description != w.description {
            out.push(Change::new(Level::Docs, item, "documentation changed"));
        }
    }
}
