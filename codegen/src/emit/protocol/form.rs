//! Query forms: a writer per structure and union that flattens a value
//! into dotted keys (`Outer.List.member.1.Name=...`), as botocore's query
//! serializer does, with one difference: a flattened list's items are keyed
//! by the member's name even when the list names its items, as the awsQuery
//! specification and its conformance case say (botocore uses the items'
//! name there, and its runner skips that case).
//!
//! ec2 writes the same forms with its own keys (the IR's `form_name`) and
//! its own lists ([`FormStyle::Ec2`]).

use super::{shape_module_path, timestamp_format, type_path};
use crate::emit::tokens::{field, rt};
use crate::ir::{Member, Type, Union};
use crate::naming::ident;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// How a protocol's form writes lists: what awsQuery and ec2 forms do
/// apart, besides naming keys (which the IR does).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormStyle {
    /// awsQuery: `List.member.1` (the items' name when the list gives one,
    /// `List.1` when it is flattened); an empty list is sent as `List=`,
    /// so that the service sees it set.
    Query,
    /// ec2: `List.1` whatever the list says; an empty list is not sent
    /// (botocore's `EC2Serializer`, and the ec2 conformance cases).
    Ec2,
}

/// `ser(w, prefix, value)` for a structure with these members.
pub fn structure_ser(ty: &TokenStream, members: &[Member], style: FormStyle) -> TokenStream {
    let rt = rt();
    let writes = members
        .iter()
        .map(|m| member(m, &quote!(value), &quote!(prefix), style));
    let (prefix, value) = if members.is_empty() {
        (quote!(_prefix), quote!(_value))
    } else {
        (quote!(prefix), quote!(value))
    };
    quote! {
        pub(crate) fn ser(
            w: &mut #rt::protocol::query::QueryWriter,
            #prefix: &str,
            #value: &#ty,
        ) -> Result<(), #rt::BuildError> {
            #(#writes)*
            Ok(())
        }
    }
}

/// `ser(w, prefix, value)` for a union: its one member, as a structure
/// member would be written.
pub fn union_ser(u: &Union, style: FormStyle) -> TokenStream {
    let rt = rt();
    let ty = type_path(&u.type_name);
    let shape = &u.shape;
    let arms = u.members.iter().zip(&u.variant_names).map(|(m, v)| {
        let variant = ident(v);
        let key = key(m, &quote!(prefix));
        let write = value(&m.ty, &quote!(key), &quote!(v), 0, style);
        quote!(#ty::#variant(v) => { let key = #key; #write })
    });
    quote! {
        pub(crate) fn ser(
            w: &mut #rt::protocol::query::QueryWriter,
            prefix: &str,
            value: &#ty,
        ) -> Result<(), #rt::BuildError> {
            match value {
                #(#arms)*
                #ty::Unknown => {
                    return Err(#rt::BuildError::invalid(
                        #shape,
                        "the Unknown variant (a member this model does not know) cannot be sent",
                    ))
                }
            }
            Ok(())
        }
    }
}

fn key(m: &Member, prefix: &TokenStream) -> TokenStream {
    let rt = rt();
    let name = &m.form_name;
    quote!(#rt::protocol::query::member(#prefix, #name))
}

/// Writes a member of `owner` if it is set.
pub fn member(
    m: &Member,
    owner: &TokenStream,
    prefix: &TokenStream,
    style: FormStyle,
) -> TokenStream {
    let f = field(m);
    let key = key(m, prefix);
    let write = value(&m.ty, &quote!(key), &quote!(v), 0, style);
    quote! {
        if let Some(v) = &#owner.#f {
            let key = #key;
            #write
        }
    }
}

/// Statements writing `value` (an expression of type `&T`) under the key
/// `key` (an expression of type `String`).
pub fn value(
    ty: &Type,
    key: &TokenStream,
    value: &TokenStream,
    depth: usize,
    style: FormStyle,
) -> TokenStream {
    let rt = rt();
    let query = quote!(#rt::protocol::query);
    match ty {
        Type::String
        | Type::Enum(_)
        | Type::Boolean
        | Type::Integer
        | Type::Long
        | Type::Float
        | Type::Double
        | Type::Blob => quote!(w.value(&#key, #value);),
        Type::Timestamp(format) => {
            let format = timestamp_format(*format);
            quote!(w.timestamp(&#key, #value, #format);)
        }
        Type::Structure(name) | Type::Union(name) => {
            let path = shape_module_path(name);
            quote!(#path::ser(w, &#key, #value)?;)
        }
        // Refused by `support::check` in a query form.
        Type::Document | Type::Stream | Type::EventStream { .. } | Type::InputEventStream(_) => {
            quote!()
        }
        Type::List {
            element,
            sparse,
            xml,
        } => {
            let item = format_ident!("item{depth}");
            let item_key = format_ident!("key{depth}");
            let write = self::value(
                element,
                &quote!(#item_key),
                &quote!(#item),
                depth + 1,
                style,
            );
            let write = if *sparse {
                quote!(if let Some(#item) = #item { #write })
            } else {
                write
            };
            let name = if xml.flattened || style == FormStyle::Ec2 {
                quote!(None)
            } else {
                let name = xml.item.as_deref().unwrap_or("member");
                quote!(Some(#name))
            };
            let empty = (style == FormStyle::Query).then(|| {
                quote! {
                    if #value.is_empty() {
                        w.empty(&#key);
                    }
                }
            });
            quote! {
                #empty
                for (i, #item) in #value.iter().enumerate() {
                    let #item_key = #query::item(&#key, #name, i);
                    #write
                }
            }
        }
        Type::Map {
            value: v,
            sparse,
            xml,
            ..
        } => {
            let k = format_ident!("key{depth}");
            let item = format_ident!("value{depth}");
            let entry = format_ident!("entry{depth}");
            let entries = format_ident!("entries{depth}");
            let value_key = format_ident!("value_key{depth}");
            let write = self::value(v, &quote!(#value_key), &quote!(#item), depth + 1, style);
            let write = if *sparse {
                quote!(if let Some(#item) = #item { #write })
            } else {
                write
            };
            let (key_name, value_name) = (
                xml.key.as_deref().unwrap_or("key"),
                xml.value.as_deref().unwrap_or("value"),
            );
            let base = if xml.flattened {
                quote!(#key.clone())
            } else {
                quote!(#query::member(&#key, "entry"))
            };
            quote! {
                let #entries = #base;
                for (i, (#k, #item)) in #query::entries(#value, |k| k.as_str()).into_iter().enumerate() {
                    let #entry = #query::item(&#entries, None, i);
                    w.value(&#query::member(&#entry, #key_name), #k);
                    let #value_key = #query::member(&#entry, #value_name);
                    #write
                }
            }
        }
    }
}
