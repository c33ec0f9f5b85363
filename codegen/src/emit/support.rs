//! What the emitters can generate today. Anything else is refused here, by
//! shape name, before a single file is emitted: better no crate than a crate
//! that silently drops a header or misreads a body.

use crate::error::Error;
use crate::ir::{Binding, Crate, Member, Role, Structure, Type};

/// Checks that every construct the crate uses has an emitter.
pub fn check(krate: &Crate) -> Result<(), Error> {
    if krate.service.protocol != "rest-json" {
        return Err(Error::Unsupported {
            shape: krate.service.service_id.clone(),
            what: format!("the `{}` protocol", krate.service.protocol),
        });
    }
    for op in &krate.operations {
        if op.host_prefix.is_some() {
            return Err(unsupported(&op.name, "an endpoint host prefix"));
        }
        check_structure(&op.input)?;
        check_structure(&op.output)?;
        // Our serde support writes timestamps as ISO 8601 for display; a
        // request body wants the member's timestampFormat.
        for m in op
            .input
            .members
            .iter()
            .filter(|m| m.binding == Binding::Body)
        {
            if reaches_timestamp(krate, &m.ty, &mut Vec::new()) {
                return Err(unsupported(
                    &op.input.shape,
                    format!("member `{}`: timestamps in a request body", m.name),
                ));
            }
        }
    }
    for s in krate.structures.iter().chain(&krate.errors) {
        check_structure(s)?;
    }
    Ok(())
}

fn unsupported(shape: &str, what: impl Into<String>) -> Error {
    Error::Unsupported {
        shape: shape.to_string(),
        what: what.into(),
    }
}

fn check_structure(s: &Structure) -> Result<(), Error> {
    if s.union {
        return Err(unsupported(&s.shape, "a union"));
    }
    for m in &s.members {
        check_binding(s, m)?;
        check_type(s, m, &m.ty, false)?;
        if m.idempotency_token {
            return Err(unsupported(
                &s.shape,
                format!("the idempotency token member `{}`", m.name),
            ));
        }
    }
    Ok(())
}

fn check_binding(s: &Structure, m: &Member) -> Result<(), Error> {
    let scalar = |ty: &Type| {
        matches!(
            ty,
            Type::String | Type::Enum(_) | Type::Integer | Type::Long | Type::Boolean
        )
    };
    let ok = match (s.role, m.binding) {
        (Role::Input, Binding::Label { .. }) => matches!(m.ty, Type::String | Type::Enum(_)),
        (Role::Input, Binding::Query) => match &m.ty {
            Type::List(element) => scalar(element),
            ty => scalar(ty),
        },
        (Role::Input, Binding::Body) => true,
        (Role::Input, _) => false,
        (_, Binding::Body) => true,
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(unsupported(
            &s.shape,
            format!(
                "member `{}` ({:?}) bound to {:?} in an {:?} structure",
                m.name, m.ty, m.binding, s.role
            ),
        ))
    }
}

/// Whether a value of `ty` can hold a timestamp, through structures,
/// lists and maps.
fn reaches_timestamp(krate: &Crate, ty: &Type, seen: &mut Vec<String>) -> bool {
    match ty {
        Type::Timestamp => true,
        Type::List(element) => reaches_timestamp(krate, element, seen),
        Type::Map(_, value) => reaches_timestamp(krate, value, seen),
        Type::Structure(name) => {
            if seen.contains(name) {
                return false;
            }
            seen.push(name.clone());
            krate
                .structures
                .iter()
                .filter(|s| &s.type_name == name)
                .any(|s| {
                    s.members
                        .iter()
                        .any(|m| reaches_timestamp(krate, &m.ty, seen))
                })
        }
        _ => false,
    }
}

fn check_type(s: &Structure, m: &Member, ty: &Type, in_collection: bool) -> Result<(), Error> {
    match ty {
        Type::Blob | Type::Document => Err(unsupported(
            &s.shape,
            format!("member `{}` of type {ty:?}", m.name),
        )),
        Type::Timestamp if in_collection => Err(unsupported(
            &s.shape,
            format!("member `{}`: timestamps in a list or map", m.name),
        )),
        Type::List(element) => check_type(s, m, element, true),
        Type::Map(key, value) => {
            if **key != Type::String && !matches!(**key, Type::Enum(_)) {
                return Err(unsupported(
                    &s.shape,
                    format!("member `{}`: a map keyed by {key:?}", m.name),
                ));
            }
            check_type(s, m, value, true)
        }
        _ => Ok(()),
    }
}
