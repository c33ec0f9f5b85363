//! The protocol seam on the generator's side: each protocol's wire code,
//! private to the generated crate (`src/protocol_serde/`). Public types
//! know nothing of the wire; these modules read the IR's bindings and call
//! the runtime's protocol support.

mod form;
mod json;
mod query;
mod rest;
mod rest_json;
mod xml;

use super::features::{cfg, cfg_operation};
use super::tokens::rt;
use crate::error::Error;
use crate::ir::{Crate, Operation, Structure, TimestampFormat, Union};
use crate::naming::{ident, module};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The files of `src/protocol_serde/`, by path.
pub fn files(krate: &Crate) -> Result<Vec<(String, TokenStream)>, Error> {
    match krate.service.protocol.as_str() {
        "rest-json" => Ok(assemble(krate, &rest_json::EMITTERS)),
        "query" => Ok(assemble(krate, &query::EMITTERS)),
        other => Err(Error::Unsupported {
            shape: krate.service.service_id.clone(),
            what: format!("the `{other}` protocol"),
        }),
    }
}

/// A protocol's emitters: the wire module of each kind of shape.
struct Emitters {
    /// `rest-json`, for the docs.
    name: &'static str,
    structure: fn(&Crate, &Structure) -> TokenStream,
    union: fn(&Crate, &Union) -> TokenStream,
    error: fn(&Structure) -> TokenStream,
    operation: fn(&Crate, &Operation) -> TokenStream,
}

/// One module per structure, union, error shape and operation, each
/// compiled under the features of the operations that use it, and the
/// `mod.rs` that declares them.
fn assemble(krate: &Crate, emit: &Emitters) -> Vec<(String, TokenStream)> {
    let mut files = Vec::new();
    let mut modules = Vec::new();
    let mut add = |name: String, code: TokenStream, cfg: TokenStream| {
        files.push((format!("src/protocol_serde/{name}.rs"), code));
        modules.push((name, cfg));
    };
    for s in &krate.structures {
        add(
            format!("shape_{}", stem(&s.module)),
            (emit.structure)(krate, s),
            cfg(krate, &s.directions.operations()),
        );
    }
    for u in &krate.unions {
        add(
            format!("shape_{}", stem(&u.module)),
            (emit.union)(krate, u),
            cfg(krate, &u.directions.operations()),
        );
    }
    for s in &krate.errors {
        add(
            format!("error_{}", stem(&s.module)),
            (emit.error)(s),
            cfg(krate, &s.directions.response),
        );
    }
    for op in &krate.operations {
        add(
            format!("op_{}", stem(&op.module)),
            (emit.operation)(krate, op),
            cfg_operation(op),
        );
    }
    modules.sort_by(|a, b| a.0.cmp(&b.0));
    let mods = modules.iter().map(|(m, cfg)| {
        let m = format_ident!("{}", m);
        quote!(#cfg pub(crate) mod #m;)
    });
    let doc = format!(
        " The `{}` wire code: how each operation's input becomes a",
        emit.name
    );
    files.push((
        "src/protocol_serde/mod.rs".into(),
        quote! {
            #![doc = #doc]
            //! request and a response its output or error. Private: the public
            //! types carry no wire names or formats.
            // The wire carries deprecated members like any other; and
            // `de` returns the public `SdkError`, however large a modeled
            // error is.
            #![allow(deprecated, clippy::result_large_err)]
            #(#mods)*
        },
    ));
    files
}

/// `Type { fields.., ..Default::default() }`, without the update when the
/// fields are all of them.
/// The operation's error from an error response's code: the arm of the
/// modeled error that has it, else the sealed `Unhandled`. The same for
/// every protocol; each gives its own arms.
fn error_dispatch(op: &Operation, arms: Vec<TokenStream>) -> TokenStream {
    let error = ident(&op.error_type);
    let unhandled = quote!(#error::Unhandled(crate::sealed::Unhandled::new(error.meta)));
    if arms.is_empty() {
        return unhandled;
    }
    quote! {
        match error.code() {
            #(#arms)*
            _ => #unhandled,
        }
    }
}

fn construct(ty: &TokenStream, fields: Vec<TokenStream>, all: usize) -> TokenStream {
    if fields.is_empty() {
        return quote!(#ty::default());
    }
    let rest = (fields.len() < all).then(|| quote!(..Default::default()));
    quote!(#ty { #(#fields)* #rest })
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
