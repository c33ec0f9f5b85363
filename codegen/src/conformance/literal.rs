//! A case's JSON values (`params`, `result`, `error`) as Rust expressions
//! that build the same values through the generated crate's public API.

use crate::error::Error;
use crate::ir::{Crate, Member, Structure, Type};
use crate::naming::{ident, prefixed};
use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde_json::{Map, Value};

/// Builds expressions for the types of one generated crate, named through
/// `root` (the crate as the cases crate imports it).
pub struct Literals<'a> {
    pub krate: &'a Crate,
    pub root: TokenStream,
}

fn mismatch(what: &str, value: &Value) -> Error {
    Error::Invalid(format!("case value {value} is not {what}"))
}

impl Literals<'_> {
    /// The setter calls (`.set_x(Some(..))`) for the members of `s` that
    /// `values` sets, keyed by model member name; `null` leaves one unset.
    pub fn setters(
        &self,
        s: &Structure,
        values: &Map<String, Value>,
    ) -> Result<Vec<TokenStream>, Error> {
        let mut calls = Vec::new();
        for (name, value) in values {
            let member = find_member(&s.members, name, &s.shape)?;
            if value.is_null() {
                continue;
            }
            let setter = ident(&prefixed("set", &member.field));
            let value = self.member_value(member, value)?;
            calls.push(quote!(.#setter(Some(#value))));
        }
        Ok(calls)
    }

    /// A member's value, boxed where the member is. A `jsonvalue` member
    /// holds JSON text, which the suites give as the value it encodes.
    fn member_value(&self, member: &Member, value: &Value) -> Result<TokenStream, Error> {
        let literal = if member.json_value && !value.is_string() {
            let text = value.to_string();
            quote!(#text.to_string())
        } else {
            self.value(&member.ty, value)?
        };
        Ok(if member.boxed {
            quote!(Box::new(#literal))
        } else {
            literal
        })
    }

    /// Statements that set the members of an error shape `e` in place: error
    /// shapes have no builder.
    pub fn assignments(
        &self,
        s: &Structure,
        values: &Map<String, Value>,
    ) -> Result<Vec<TokenStream>, Error> {
        let mut out = Vec::new();
        for (name, value) in values {
            let member = find_member(&s.members, name, &s.shape)?;
            if value.is_null() {
                continue;
            }
            let f = ident(&member.field);
            let value = self.member_value(member, value)?;
            out.push(quote!(e.#f = Some(#value);));
        }
        Ok(out)
    }

    /// An expression of type `ty` equal to `value`.
    pub fn value(&self, ty: &Type, value: &Value) -> Result<TokenStream, Error> {
        let root = &self.root;
        Ok(match ty {
            Type::String => {
                let text = value.as_str().ok_or_else(|| mismatch("a string", value))?;
                quote!(#text.to_string())
            }
            Type::Enum(name) => {
                let text = value.as_str().ok_or_else(|| mismatch("a string", value))?;
                let name = ident(name);
                quote!(#root::types::#name::from(#text))
            }
            Type::Boolean => {
                let b = value
                    .as_bool()
                    .ok_or_else(|| mismatch("a boolean", value))?;
                quote!(#b)
            }
            Type::Integer => {
                let v = value
                    .as_i64()
                    .and_then(|v| i32::try_from(v).ok())
                    .ok_or_else(|| mismatch("an integer", value))?;
                let lit = Literal::i32_suffixed(v);
                quote!(#lit)
            }
            Type::Long => {
                let v = value
                    .as_i64()
                    .ok_or_else(|| mismatch("an integer", value))?;
                let lit = Literal::i64_suffixed(v);
                quote!(#lit)
            }
            Type::Float | Type::Double => float(ty == &Type::Float, value)?,
            Type::Blob => {
                let bytes = Literal::byte_string(text_bytes(value)?);
                quote!(sdkgen_runtime::Blob::new(#bytes.to_vec()))
            }
            Type::Stream => {
                let bytes = Literal::byte_string(text_bytes(value)?);
                quote!(sdkgen_runtime::ByteStream::from(#bytes.to_vec()))
            }
            // The events a stream yields, in order.
            Type::EventStream { events, .. } => {
                let items = value
                    .as_array()
                    .ok_or_else(|| mismatch("an array of events", value))?;
                let items = items
                    .iter()
                    .map(|item| self.value(&Type::Union(events.clone()), item))
                    .collect::<Result<Vec<_>, _>>()?;
                quote!(sdkgen_runtime::EventReceiver::from_events(
                    vec![#(Ok(#items)),*]
                ))
            }
            Type::InputEventStream(_) => {
                return Err(Error::Invalid(format!(
                    "input event stream member `{value}` in a suite case"
                )))
            }
            Type::Timestamp(_) => timestamp(value)?,
            Type::Document => document(value),
            Type::Structure(name) => {
                let s = self.structure(name)?;
                let values = value
                    .as_object()
                    .ok_or_else(|| mismatch("an object", value))?;
                let setters = self.setters(s, values)?;
                let name = ident(name);
                quote!(#root::types::#name::builder() #(#setters)* .build())
            }
            Type::Union(name) => {
                let u = self
                    .krate
                    .unions
                    .iter()
                    .find(|u| &u.type_name == name)
                    .ok_or_else(|| Error::Invalid(format!("no union `{name}`")))?;
                let values = value
                    .as_object()
                    .ok_or_else(|| mismatch("an object", value))?;
                let (key, inner) = values
                    .iter()
                    .find(|(_, v)| !v.is_null())
                    .ok_or_else(|| mismatch("a union with a member set", value))?;
                let name_ident = ident(name);
                // botocore's name for a member the model does not know.
                if key == "SDK_UNKNOWN_MEMBER" {
                    return Ok(quote!(#root::types::#name_ident::Unknown));
                }
                let index = u
                    .members
                    .iter()
                    .position(|m| &m.name == key)
                    .ok_or_else(|| {
                        Error::Invalid(format!("union `{name}` has no member `{key}`"))
                    })?;
                let variant = ident(&u.variant_names[index]);
                let inner = self.member_value(&u.members[index], inner)?;
                let name = ident(name);
                quote!(#root::types::#name::#variant(#inner))
            }
            Type::List {
                element, sparse, ..
            } => {
                let items = value
                    .as_array()
                    .ok_or_else(|| mismatch("an array", value))?;
                let items = items
                    .iter()
                    .map(|item| self.optional(element, item, *sparse))
                    .collect::<Result<Vec<_>, _>>()?;
                quote!(vec![#(#items),*])
            }
            Type::Map {
                key,
                value: v,
                sparse,
                ..
            } => {
                let entries = value
                    .as_object()
                    .ok_or_else(|| mismatch("an object", value))?;
                let entries = entries
                    .iter()
                    .map(|(k, item)| {
                        let k = self.value(key, &Value::from(k.as_str()))?;
                        let item = self.optional(v, item, *sparse)?;
                        Ok(quote!((#k, #item)))
                    })
                    .collect::<Result<Vec<_>, Error>>()?;
                quote!([#(#entries),*].into_iter().collect::<std::collections::HashMap<_, _>>())
            }
        })
    }

    /// An element of a collection: wrapped in `Some` (or `None` for null)
    /// when the collection is sparse.
    fn optional(&self, ty: &Type, value: &Value, sparse: bool) -> Result<TokenStream, Error> {
        match (sparse, value) {
            (true, Value::Null) => Ok(quote!(None)),
            (true, value) => {
                let inner = self.value(ty, value)?;
                Ok(quote!(Some(#inner)))
            }
            (false, value) => self.value(ty, value),
        }
    }

    fn structure(&self, type_name: &str) -> Result<&Structure, Error> {
        self.krate
            .structures
            .iter()
            .find(|s| s.type_name == type_name)
            .ok_or_else(|| Error::Invalid(format!("no structure `{type_name}`")))
    }
}

fn find_member<'m>(members: &'m [Member], name: &str, shape: &str) -> Result<&'m Member, Error> {
    members
        .iter()
        .find(|m| m.name == name)
        .ok_or_else(|| Error::Invalid(format!("`{shape}` has no member `{name}`")))
}

/// Blobs appear in the suites as their text.
fn text_bytes(value: &Value) -> Result<&[u8], Error> {
    value
        .as_str()
        .map(str::as_bytes)
        .ok_or_else(|| mismatch("blob text", value))
}

/// A number, or `"NaN"`, `"Infinity"`, `"-Infinity"`.
fn float(single: bool, value: &Value) -> Result<TokenStream, Error> {
    let ty = if single { quote!(f32) } else { quote!(f64) };
    match value {
        Value::String(s) if s == "NaN" => Ok(quote!(#ty::NAN)),
        Value::String(s) if s == "Infinity" => Ok(quote!(#ty::INFINITY)),
        Value::String(s) if s == "-Infinity" => Ok(quote!(#ty::NEG_INFINITY)),
        Value::Number(n) => {
            let v = n.as_f64().ok_or_else(|| mismatch("a number", value))?;
            let lit = if single {
                Literal::f32_suffixed(v as f32)
            } else {
                Literal::f64_suffixed(v)
            };
            Ok(quote!(#lit))
        }
        other => Err(mismatch("a number", other)),
    }
}

/// Epoch seconds, as the suites give timestamps, to the nanosecond: read
/// from the number's decimal text, which a float would round.
fn timestamp(value: &Value) -> Result<TokenStream, Error> {
    let Value::Number(n) = value else {
        return Err(mismatch("epoch seconds", value));
    };
    let text = n.to_string();
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let parsed = whole.parse::<i64>().ok().filter(|_| {
        !whole.starts_with('-')
            && fraction.len() <= 9
            && fraction.bytes().all(|b| b.is_ascii_digit())
    });
    let Some(whole) = parsed else {
        return Err(mismatch(
            "non-negative epoch seconds in plain decimal",
            value,
        ));
    };
    let nanos: u32 = format!("{fraction:0<9}").parse().unwrap_or(0);
    let whole = Literal::i64_suffixed(whole);
    Ok(quote!(sdkgen_runtime::DateTime::from_secs_and_nanos(#whole, #nanos)))
}

fn document(value: &Value) -> TokenStream {
    match value {
        Value::Null => quote!(sdkgen_runtime::Document::Null),
        Value::Bool(b) => quote!(sdkgen_runtime::Document::Bool(#b)),
        Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(v), _, _) => quote!(sdkgen_runtime::Document::from(#v)),
            (None, Some(v), _) => quote!(sdkgen_runtime::Document::from(#v)),
            (_, _, v) => {
                let v = v.unwrap_or(0.0);
                quote!(sdkgen_runtime::Document::from(#v))
            }
        },
        Value::String(s) => quote!(sdkgen_runtime::Document::from(#s)),
        Value::Array(items) => {
            let items = items.iter().map(document);
            quote!(sdkgen_runtime::Document::Array(vec![#(#items),*]))
        }
        Value::Object(members) => {
            let entries = members.iter().map(|(k, v)| {
                let v = document(v);
                quote!((#k.to_string(), #v))
            });
            quote!(sdkgen_runtime::Document::Object([#(#entries),*].into_iter().collect()))
        }
    }
}
