//! The attributes of the generated crates' optional `serde` feature: a
//! stable JSON form for users (model member names, as the AWS CLI prints
//! them; timestamps as RFC 3339, blobs as base64). The wire never uses it.

use super::tokens::rt;
use crate::ir::{Member, Type};
use proc_macro2::TokenStream;
use quote::quote;

/// The derives and crate path of a structure or union.
pub fn container() -> TokenStream {
    let rt = rt();
    quote! {
        #[cfg_attr(feature = "serde", derive(#rt::codegen::serde::Serialize, #rt::codegen::serde::Deserialize))]
        #[cfg_attr(feature = "serde", serde(crate = "sdkgen_runtime::codegen::serde"))]
    }
}

/// A member under its model name; absent when unset; a stream is left out.
pub fn field(m: &Member) -> TokenStream {
    if matches!(
        m.ty,
        Type::Stream | Type::EventStream { .. } | Type::InputEventStream(_)
    ) {
        return skip();
    }
    let name = &m.name;
    quote!(#[cfg_attr(feature = "serde", serde(rename = #name, default, skip_serializing_if = "Option::is_none"))])
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
