//! A service's rules for an operation's calls that act on values, not on
//! the wire: what the client completes in the input before it is sent and
//! finishes in the output after it is read (botocore's parameter and
//! response handlers), and how a label's dot segments go. A customization
//! decides them on the model (`model::CallRules`); lowering resolves them
//! to fields and types here, so that the emitters only write them out.

use super::{Enum, Member, Structure, Type};
use crate::error::Error;
use crate::model::{self, UrlEncodedMembers};

/// The lowered [`model::CallRules`] of one operation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Calls {
    /// Greedy labels may hold `.` and `..` segments, sent as they are.
    pub greedy_dot_segments: bool,
    /// Input fields of which only the text after the last `/` is sent.
    pub last_segment: Vec<String>,
    /// Output members the client asks URL-encoded, and decodes.
    pub url_encoded: Option<UrlEncoded>,
}

impl Calls {
    /// Whether the client changes the input or the output of a call: the
    /// call then goes through the runtime's `hooks::prepare`.
    pub fn prepares(&self) -> bool {
        !self.last_segment.is_empty() || self.url_encoded.is_some()
    }
}

/// [`UrlEncodedMembers`], by field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlEncoded {
    /// The input field that asks (`encoding_type`).
    pub input_field: String,
    /// Its enum's Rust name (`EncodingType`) and the variant that asks
    /// (`Url`).
    pub enum_type: String,
    pub variant: String,
    /// The variant's wire value (`url`), which the output echoes.
    pub value: String,
    /// The output field that echoes it.
    pub output_field: String,
    /// The fields decoded, in the order the customization names them.
    pub decoded: Vec<Decoded>,
}

/// A place in the output whose text is decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decoded {
    /// A string field of the output (`delimiter`).
    Field(String),
    /// A string field of each element of a list field (`contents`, `key`).
    EachElement { list: String, field: String },
}

/// Lowers `rules` against the operation's input and output and the
/// crate's enums. A name that does not resolve is an error naming it: the
/// customization that wrote it checked the model, so this is a bug.
pub fn lower(
    op: &str,
    rules: &model::CallRules,
    input: &Structure,
    output: &Structure,
    nested: &[Structure],
    enums: &[Enum],
) -> Result<Calls, Error> {
    let last_segment = rules
        .last_segment
        .iter()
        .map(|name| string_member(op, input, name).map(|m| m.field.clone()))
        .collect::<Result<_, _>>()?;
    let url_encoded = rules
        .url_encoded
        .as_ref()
        .map(|u| url_encoded(op, u, input, output, nested, enums))
        .transpose()?;
    Ok(Calls {
        greedy_dot_segments: rules.greedy_dot_segments,
        last_segment,
        url_encoded,
    })
}

fn url_encoded(
    op: &str,
    rules: &UrlEncodedMembers,
    input: &Structure,
    output: &Structure,
    nested: &[Structure],
    enums: &[Enum],
) -> Result<UrlEncoded, Error> {
    let asks = member(op, input, &rules.input)?;
    let Type::Enum(enum_type) = &asks.ty else {
        return Err(invalid(op, input, &rules.input, "is not a string enum"));
    };
    let variant = enums
        .iter()
        .find(|e| &e.type_name == enum_type)
        .and_then(|e| e.variants.iter().find(|v| v.value == rules.value))
        .ok_or_else(|| {
            invalid(
                op,
                input,
                &rules.input,
                &format!("has no value `{}`", rules.value),
            )
        })?;
    let echo = member(op, output, &rules.output)?;
    if echo.ty != asks.ty {
        return Err(invalid(
            op,
            output,
            &rules.output,
            "is not of the input member's type",
        ));
    }
    let mut decoded: Vec<Decoded> = rules
        .members
        .iter()
        .map(|name| string_member(op, output, name).map(|m| Decoded::Field(m.field.clone())))
        .collect::<Result<_, _>>()?;
    for (list, name) in &rules.in_lists {
        let list_member = member(op, output, list)?;
        let element = match &list_member.ty {
            Type::List {
                element,
                sparse: false,
                ..
            } => match &**element {
                Type::Structure(name) => nested.iter().find(|s| &s.type_name == name),
                _ => None,
            },
            _ => None,
        }
        .ok_or_else(|| invalid(op, output, list, "is not a list of structures"))?;
        decoded.push(Decoded::EachElement {
            list: list_member.field.clone(),
            field: string_member(op, element, name)?.field.clone(),
        });
    }
    Ok(UrlEncoded {
        input_field: asks.field.clone(),
        enum_type: enum_type.clone(),
        variant: variant.name.clone(),
        value: variant.value.clone(),
        output_field: echo.field.clone(),
        decoded,
    })
}

fn member<'a>(op: &str, owner: &'a Structure, name: &str) -> Result<&'a Member, Error> {
    owner
        .members
        .iter()
        .find(|m| m.name == name)
        .ok_or_else(|| invalid(op, owner, name, "is not a member"))
}

/// A member stored as `Option<String>`, which the runtime's helpers take.
fn string_member<'a>(op: &str, owner: &'a Structure, name: &str) -> Result<&'a Member, Error> {
    let m = member(op, owner, name)?;
    if m.ty != Type::String || m.boxed {
        return Err(invalid(op, owner, name, "is not a string"));
    }
    Ok(m)
}

fn invalid(op: &str, owner: &Structure, name: &str, what: &str) -> Error {
    Error::Invalid(format!(
        "operation `{op}`: `{}.{name}`, named by a customization, {what}",
        owner.shape
    ))
}
