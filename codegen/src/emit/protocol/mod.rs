//! The protocol seam on the generator's side: each protocol's wire code,
//! private to the generated crate (`src/protocol_serde/`). Public types
//! know nothing of the wire; these modules read the IR's bindings and call
//! the runtime's protocol support.

mod json;
mod rest;
mod rest_json;

use super::tokens::rt;
use crate::error::Error;
use crate::ir::{Crate, Operation, TimestampFormat};
use crate::naming::{ident, module};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The files of `src/protocol_serde/`, by path.
pub fn files(krate: &Crate) -> Result<Vec<(String, TokenStream)>, Error> {
    match krate.service.protocol.as_str() {
        "rest-json" => Ok(rest_json::files(krate)),
        other => Err(Error::Unsupported {
            shape: krate.service.service_id.clone(),
            what: format!("the `{other}` protocol"),
        }),
    }
}

/// A file name without a raw identifier's `r#`.
fn stem(module_name: &str) -> &str {
    module_name.trim_start_matches("r#")
}

/// The wire module of an operation: `crate::protocol_serde::op_get_thing`.
pub fn op_module_path(op: &Operation) -> TokenStream {
    let m = format_ident!("op_{}", stem(&op.module));
    quote!(crate::protocol_serde::#m)
}

/// The wire module of a structure or union of `types`.
fn shape_module_path(type_name: &str) -> TokenStream {
    let m = format_ident!("shape_{}", stem(&module(type_name)));
    quote!(crate::protocol_serde::#m)
}

/// The wire module of an error shape of `types::error`.
fn error_module_path(type_name: &str) -> TokenStream {
    let m = format_ident!("error_{}", stem(&module(type_name)));
    quote!(crate::protocol_serde::#m)
}

/// The runtime's name for a timestamp format.
fn timestamp_format(format: TimestampFormat) -> TokenStream {
    let rt = rt();
    let variant = match format {
        TimestampFormat::EpochSeconds => quote!(EpochSeconds),
        TimestampFormat::DateTime => quote!(DateTime),
        TimestampFormat::HttpDate => quote!(HttpDate),
    };
    quote!(#rt::timestamp::TimestampFormat::#variant)
}

/// `crate::types::Name`.
fn type_path(name: &str) -> TokenStream {
    let name = ident(name);
    quote!(crate::types::#name)
}
