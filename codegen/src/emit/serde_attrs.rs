//! The attributes of the generated crates' optional `serde` feature: a
//! stable JSON form for users (model member names, as the AWS CLI prints
//! them; timestamps as RFC 3339, blobs as base64). The wire never uses it.

use super::tokens::rt;
use crate::ir::{Member, Structure, Type};
use proc_macro2::TokenStream;
use quote::quote;

/// The derives of a structure or union.
fn derives() -> TokenStream {
    let rt = rt();
    quote!(#[cfg_attr(feature = "serde", derive(#rt::codegen::serde::Serialize, #rt::codegen::serde::Deserialize))])
}

/// Where the derives find serde: re-exported by the runtime, so that a
/// generated crate does not name serde itself.
const SERDE_CRATE: &str = "sdkgen_runtime::codegen::serde";

/// The derives and crate path of a union.
pub fn container() -> TokenStream {
    let derives = derives();
    quote! {
        #derives
        #[cfg_attr(feature = "serde", serde(crate = #SERDE_CRATE))]
    }
}

/// The derives, crate path, defaults and naming rule of a structure. Its
/// members are absent when unset (the structure's `Default` fills them),
/// and named by the rule that names most of them from their Rust field;
/// only the others carry a `rename` (a rename and a default on every
/// member were a fortieth of all the tokens generated for botocore).
pub fn structure(s: &Structure) -> (TokenStream, Rule) {
    let named = |rule: Rule| s.members.iter().filter(|m| rule.names(m)).count();
    let rule = if named(Rule::Camel) > named(Rule::Pascal) {
        Rule::Camel
    } else {
        Rule::Pascal
    };
    let all = rule.serde_name();
    let derives = derives();
    let tokens = quote! {
        #derives
        #[cfg_attr(feature = "serde", serde(crate = #SERDE_CRATE, default, rename_all = #all))]
    };
    (tokens, rule)
}

/// How serde names a field from its Rust name (`rename_all`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    Pascal,
    Camel,
}

impl Rule {
    fn serde_name(self) -> &'static str {
        match self {
            Rule::Pascal => "PascalCase",
            Rule::Camel => "camelCase",
        }
    }

    /// What serde makes of the field's name under this rule: words split at
    /// `_`, each capitalised, the first lowered for camelCase (serde's own
    /// rule, on the name without `r#`).
    fn apply(self, field: &str) -> String {
        let mut out = String::with_capacity(field.len());
        let mut capitalize = true;
        for ch in field.trim_start_matches("r#").chars() {
            if ch == '_' {
                capitalize = true;
            } else if capitalize {
                out.push(ch.to_ascii_uppercase());
                capitalize = false;
            } else {
                out.push(ch);
            }
        }
        if self == Rule::Camel {
            if let Some(first) = out.get(..1) {
                out = first.to_ascii_lowercase() + &out[1..];
            }
        }
        out
    }

    fn names(self, m: &Member) -> bool {
        self.apply(&m.field) == m.name
    }
}

/// A member under its model name; absent when unset; a stream is left out.
pub fn field(m: &Member, rule: Rule) -> TokenStream {
    if matches!(
        m.ty,
        Type::Stream | Type::EventStream { .. } | Type::InputEventStream(_)
    ) {
        return skip();
    }
    if rule.names(m) {
        quote!(#[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))])
    } else {
        let name = &m.name;
        quote!(#[cfg_attr(feature = "serde", serde(rename = #name, skip_serializing_if = "Option::is_none"))])
    }
}

/// A union variant under its member's model name.
pub fn variant(m: &Member) -> TokenStream {
    let name = &m.name;
    quote!(#[cfg_attr(feature = "serde", serde(rename = #name))])
}

/// Left out of the serde form.
pub fn skip() -> TokenStream {
    quote!(#[cfg_attr(feature = "serde", serde(skip))])
}
