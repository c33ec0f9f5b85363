//! Unions: an enum with a variant per member, and `Unknown` for a member
//! a newer service sends that this model does not know.

use super::serde_attrs;
use super::tokens::{deprecated, doc_or, rt, value_type};
use crate::ir::{Member, Union};
use crate::naming::{ident, snake};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

pub fn file(u: &Union) -> TokenStream {
    let rt = rt();
    let name = ident(&u.type_name);
    let fallback = format!("The `{}` union: exactly one member is set.", u.shape);
    let docs = doc_or(&u.docs, &fallback);
    let dep = deprecated(&u.deprecated);
    let container = serde_attrs::container();
    let variants = u.members.iter().zip(&u.variant_names).map(|(m, v)| {
        let variant = ident(v);
        let docs = doc_or(&m.docs, &format!("The `{}` member.", m.name));
        let dep = deprecated(&m.deprecated);
        let ty = stored(m);
        let serde = serde_attrs::variant(m);
        quote!(#docs #dep #serde #variant(#ty),)
    });
    let skip = serde_attrs::skip();
    let accessors = u.members.iter().zip(&u.variant_names).map(|(m, v)| {
        let variant = ident(v);
        let stem = snake(v);
        let as_fn = format_ident!("as_{}", stem);
        let is_fn = format_ident!("is_{}", stem);
        let value = value_type(&m.ty);
        let as_doc = format!(
            " The `{}` member, or `Err(self)` if another is set.",
            m.name
        );
        let is_doc = format!(" Whether the `{}` member is set.", m.name);
        let dep = deprecated(&m.deprecated);
        let unbox = if m.boxed {
            quote!(&**value)
        } else {
            quote!(value)
        };
        quote! {
            #[doc = #as_doc]
            #dep
            pub fn #as_fn(&self) -> Result<&#value, &Self> {
                match self {
                    #name::#variant(value) => Ok(#unbox),
                    _ => Err(self),
                }
            }
            #[doc = #is_doc]
            #dep
            pub fn #is_fn(&self) -> bool {
                matches!(self, #name::#variant(_))
            }
        }
    });
    let debug_arms = u.members.iter().zip(&u.variant_names).map(|(m, v)| {
        let variant = ident(v);
        let label = v.as_str();
        if m.sensitive || u.sensitive {
            quote!(#name::#variant(_) => f.debug_tuple(#label).field(&#rt::redact::Redacted).finish(),)
        } else {
            quote!(#name::#variant(value) => f.debug_tuple(#label).field(value).finish(),)
        }
    });
    let allow = u
        .members
        .iter()
        .any(|m| m.deprecated.is_some())
        .then(|| quote!(#![allow(deprecated)]));
    quote! {
        #allow
        #docs
        #dep
        #[non_exhaustive]
        #[derive(Clone, PartialEq)]
        #container
        // The variants are the model's members, unboxed like every other
        // member: boxing the large ones would make the API depend on sizes.
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #(#variants)*
            /// A member this version of the model does not know, sent by a
            /// newer service. It cannot be sent back: a request holding it
            /// fails before it is sent.
            #skip
            Unknown,
        }

        impl #name {
            #(#accessors)*
            /// Whether the service sent a member this model does not know.
            pub fn is_unknown(&self) -> bool {
                matches!(self, #name::Unknown)
            }
        }

        impl std::fmt::Debug for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self {
                    #(#debug_arms)*
                    #name::Unknown => f.write_str("Unknown"),
                }
            }
        }
    }
}

/// A variant's payload type: boxed where it closes a cycle.
fn stored(m: &Member) -> TokenStream {
    let value = value_type(&m.ty);
    if m.boxed {
        quote!(Box<#value>)
    } else {
        value
    }
}
