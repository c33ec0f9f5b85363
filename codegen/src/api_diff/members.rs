//! Members of structures (inputs, outputs, nested structures, errors) and
//! the Rust types a user sees for them.

use super::{Change, Level};
use crate::ir::{Binding, Member, Role, Structure, TimestampFormat, Type};
use std::collections::BTreeMap;

/// The Rust type of a member as its field declares it (inside the
/// `Option` every field has). Two members with the same text have the
/// same Rust type; wire details (timestamp formats, XML names) are left
/// out, as the type does not show them.
pub fn rust_type(ty: &Type, boxed: bool) -> String {
    let value = value_type(ty);
    if boxed {
        format!("Box<{value}>")
    } else {
        value
    }
}

fn value_type(ty: &Type) -> String {
    let element = |ty: &Type, sparse: bool| {
        if sparse {
            format!("Option<{}>", value_type(ty))
        } else {
            value_type(ty)
        }
    };
    match ty {
        Type::String => "String".into(),
        Type::Boolean => "bool".into(),
        Type::Integer => "i32".into(),
        Type::Long => "i64".into(),
        Type::Float => "f32".into(),
        Type::Double => "f64".into(),
        Type::Blob => "Blob".into(),
        Type::Stream => "ByteStream".into(),
        Type::Timestamp(_) => "DateTime".into(),
        Type::Document => "Document".into(),
        Type::Enum(name) | Type::Structure(name) | Type::Union(name) => name.clone(),
        Type::EventStream { events, error } => format!("EventReceiver<{events}, {error}>"),
        Type::InputEventStream(events) => format!("EventSender<{events}>"),
        Type::List {
            element: e, sparse, ..
        } => format!("Vec<{}>", element(e, *sparse)),
        Type::Map {
            key, value, sparse, ..
        } => format!("HashMap<{}, {}>", value_type(key), element(value, *sparse)),
    }
}

/// The members of `old` and `new`, one structure under the name `owner`.
pub fn compare(owner: &str, old: &Structure, new: &Structure, out: &mut Vec<Change>) {
    let input = new.role == Role::Input;
    let before: BTreeMap<&str, &Member> =
        old.members.iter().map(|m| (m.name.as_str(), m)).collect();
    let after: BTreeMap<&str, &Member> = new.members.iter().map(|m| (m.name.as_str(), m)).collect();
    for (name, m) in &before {
        if !after.contains_key(name) {
            out.push(Change::new(
                Level::Breaking,
                format!("`{owner}.{}`", m.field),
                "removed",
            ));
        }
    }
    for (name, m) in &after {
        let item = format!("`{owner}.{}`", m.field);
        match before.get(name) {
            None if input && m.required => out.push(Change::new(
                Level::Breaking,
                item,
                "added, required: `build()` fails without it",
            )),
            None => out.push(Change::new(Level::Additive, item, "added")),
            Some(o) => member(&item, o, m, input, out),
        }
    }
}

/// One member present before and after. `input`: the member of an
/// operation's input, whose builder checks `required` and `min`.
fn member(item: &str, o: &Member, n: &Member, input: bool, out: &mut Vec<Change>) {
    let mut push = |level, what: String| out.push(Change::new(level, item, what));
    if o.field != n.field {
        push(
            Level::Breaking,
            format!("field renamed from `{}` to `{}`", o.field, n.field),
        );
    }
    let (a, b) = (rust_type(&o.ty, o.boxed), rust_type(&n.ty, n.boxed));
    if a != b {
        push(Level::Breaking, format!("type changed from `{a}` to `{b}`"));
    }
    if input && !o.required && n.required {
        push(
            Level::Breaking,
            "became required: `build()` fails without it".into(),
        );
    }
    if input && o.required && !n.required {
        push(Level::Additive, "no longer required".into());
    }
    if input {
        let min = match (o.constraints.min, n.constraints.min) {
            (None, Some(b)) => Some((Level::Breaking, format!("minimum {b} (none before)"))),
            (Some(a), Some(b)) if b > a => {
                Some((Level::Breaking, format!("minimum raised to {b} (was {a})")))
            }
            (Some(a), Some(b)) if b < a => Some((
                Level::Behaviour,
                format!("minimum lowered to {b} (was {a})"),
            )),
            (Some(a), None) => Some((Level::Behaviour, format!("minimum removed (was {a})"))),
            _ => None,
        };
        match min {
            Some((Level::Breaking, what)) => push(
                Level::Breaking,
                format!("{what}: `build()` refuses what is below it"),
            ),
            Some((level, what)) => push(level, format!("{what}: `build()` accepts more")),
            None => {}
        }
    }
    match (&o.deprecated, &n.deprecated) {
        (None, Some(dep)) => push(Level::Additive, super::types::deprecated_text(dep)),
        (Some(_), None) => push(Level::Additive, "no longer deprecated".into()),
        _ => {}
    }
    for what in wire(o, n) {
        push(Level::Behaviour, what);
    }
    if o.sensitive != n.sensitive {
        let what = if n.sensitive {
            "now sensitive: redacted in `Debug`"
        } else {
            "no longer sensitive: shown in `Debug`"
        };
        push(Level::Behaviour, what.into());
    }
    if o.docs != n.docs {
        push(Level::Docs, "documentation changed".into());
    }
}

/// How the member travels, where it changed.
fn wire(o: &Member, n: &Member) -> Vec<String> {
    let mut changes = Vec::new();
    if o.binding != n.binding || o.wire_name != n.wire_name || o.form_name != n.form_name {
        changes.push(format!(
            "sent or read as {} (was {})",
            binding(n),
            binding(o)
        ));
    }
    if let (Some(a), Some(b)) = (timestamp(&o.ty), timestamp(&n.ty)) {
        if a != b {
            changes.push(format!("timestamps written as {b} (was {a})"));
        }
    }
    let flags = [
        (
            o.idempotency_token,
            n.idempotency_token,
            "an idempotency token, filled when unset",
        ),
        (o.json_value, n.json_value, "JSON in a header"),
        (o.host_label, n.host_label, "a label of the endpoint's host"),
    ];
    for (a, b, what) in flags {
        if a != b {
            let now = if b { "now" } else { "no longer" };
            changes.push(format!("{now} {what}"));
        }
    }
    changes
}

fn binding(m: &Member) -> String {
    let name = &m.wire_name;
    match m.binding {
        Binding::Label { greedy: false } => format!("label `{name}`"),
        Binding::Label { greedy: true } => format!("greedy label `{name}`"),
        Binding::Query => format!("query parameter `{name}`"),
        Binding::Header => format!("header `{name}`"),
        Binding::PrefixHeaders => format!("headers `{name}*`"),
        Binding::StatusCode => "the status code".into(),
        Binding::Body if m.has_own_form_name() => {
            format!("body member `{name}` (form key `{}`)", m.form_name)
        }
        Binding::Body => format!("body member `{name}`"),
        Binding::Payload => "the whole body".into(),
    }
}

fn timestamp(ty: &Type) -> Option<&'static str> {
    match ty {
        Type::Timestamp(TimestampFormat::EpochSeconds) => Some("epoch seconds"),
        Type::Timestamp(TimestampFormat::DateTime) => Some("date-time"),
        Type::Timestamp(TimestampFormat::HttpDate) => Some("HTTP-date"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_read_as_rust() {
        let list = Type::List {
            element: Box::new(Type::Structure("Item".into())),
            sparse: true,
            xml: Default::default(),
        };
        assert_eq!(rust_type(&list, false), "Vec<Option<Item>>");
        let map = Type::Map {
            key: Box::new(Type::String),
            value: Box::new(Type::Timestamp(TimestampFormat::HttpDate)),
            sparse: false,
            xml: Default::default(),
        };
        assert_eq!(rust_type(&map, true), "Box<HashMap<String, DateTime>>");
        // The format is on the wire, not in the type.
        assert_eq!(
            rust_type(&Type::Timestamp(TimestampFormat::EpochSeconds), false),
            rust_type(&Type::Timestamp(TimestampFormat::DateTime), false)
        );
    }
}
