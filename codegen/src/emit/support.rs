//! What the emitters can generate. Anything else is refused here, by shape
//! name, before a single file is emitted: better no crate than a crate
//! that silently drops a header or misreads a body.

use crate::error::Error;
use crate::ir::{Binding, Crate, Member, Structure, Type};

/// Checks that every binding the crate uses has an emitter.
pub fn check(krate: &Crate) -> Result<(), Error> {
    for op in &krate.operations {
        check_structure(&op.input)?;
        check_structure(&op.output)?;
    }
    for s in krate.structures.iter().chain(&krate.errors) {
        check_structure(s)?;
    }
    for u in &krate.unions {
        for m in &u.members {
            check_body_type(&u.shape, m, &m.ty)?;
        }
    }
    super::protocol::check_event_streams(krate)?;
    krate.service.protocol.check(krate)
}

/// Whether a type is, or has inside it, a type that `is` picks.
pub fn holds(ty: &Type, is: &dyn Fn(&Type) -> bool) -> bool {
    is(ty)
        || match ty {
            Type::List { element, .. } => holds(element, is),
            Type::Map { value, .. } => holds(value, is),
            _ => false,
        }
}

pub fn unsupported(shape: &str, what: impl Into<String>) -> Error {
    Error::Unsupported {
        shape: shape.to_string(),
        what: what.into(),
    }
}

fn check_structure(s: &Structure) -> Result<(), Error> {
    for m in &s.members {
        if !binding_fits(m) {
            return Err(unsupported(
                &s.shape,
                format!("member `{}` ({:?}) bound to {:?}", m.name, m.ty, m.binding),
            ));
        }
        if m.binding == Binding::Body {
            check_body_type(&s.shape, m, &m.ty)?;
        }
    }
    Ok(())
}

/// A value a label, query parameter or header can hold as text.
fn scalar(ty: &Type) -> bool {
    matches!(
        ty,
        Type::String
            | Type::Enum(_)
            | Type::Integer
            | Type::Long
            | Type::Float
            | Type::Double
            | Type::Boolean
            | Type::Timestamp(_)
    )
}

fn binding_fits(m: &Member) -> bool {
    let dense_list_of_scalars =
        |ty: &Type| matches!(ty, Type::List { element, sparse: false, .. } if scalar(element));
    match m.binding {
        Binding::Label { greedy } => {
            scalar(&m.ty) && (!greedy || matches!(m.ty, Type::String | Type::Enum(_)))
        }
        Binding::Query => match &m.ty {
            Type::Map {
                key,
                value,
                sparse: false,
                ..
            } => {
                matches!(**key, Type::String | Type::Enum(_))
                    && (matches!(**value, Type::String | Type::Enum(_))
                        || matches!(&**value, Type::List { element, sparse: false, .. }
                            if matches!(**element, Type::String | Type::Enum(_))))
            }
            ty => scalar(ty) || dense_list_of_scalars(ty),
        },
        Binding::Header => {
            (m.json_value && m.ty == Type::String)
                || scalar(&m.ty)
                || m.ty == Type::Blob
                || dense_list_of_scalars(&m.ty)
        }
        Binding::PrefixHeaders => matches!(
            &m.ty,
            Type::Map { key, value, sparse: false, .. }
                if **key == Type::String && matches!(**value, Type::String | Type::Enum(_))
        ),
        Binding::StatusCode => m.ty == Type::Integer,
        Binding::Payload => matches!(
            m.ty,
            Type::String
                | Type::Enum(_)
                | Type::Blob
                | Type::Stream
                | Type::EventStream { .. }
                | Type::InputEventStream(_)
                | Type::Structure(_)
                | Type::Union(_)
                | Type::Document
        ),
        Binding::Body => m.ty != Type::Stream,
    }
}

/// A streaming blob is only ever a payload.
fn check_body_type(shape: &str, m: &Member, ty: &Type) -> Result<(), Error> {
    match ty {
        Type::Stream => Err(unsupported(
            shape,
            format!(
                "member `{}`: a streaming blob that is not the payload",
                m.name
            ),
        )),
        Type::List { element, .. } => check_body_type(shape, m, element),
        Type::Map { value, .. } => check_body_type(shape, m, value),
        _ => Ok(()),
    }
}
