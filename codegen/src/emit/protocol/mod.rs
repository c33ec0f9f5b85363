//! The protocol seam on the generator's side: each protocol's wire code,
//! private to the generated crate (`src/protocol_serde/`). Public types
//! know nothing of the wire; these modules read the IR's bindings and call
//! the runtime's protocol support.

mod aws_json;
mod ec2;
mod event_stream;
mod form;
mod json;
mod query;
mod rest;
mod rest_json;
mod rest_xml;
mod rpc_v2_cbor;
mod xml;
mod xml_write;

use super::features::{cfg, cfg_operation_private};
use super::support::{holds, unsupported};
use super::tokens::{field, rt};
use crate::error::Error;
use crate::ir::{Binding, Crate, Member, Operation, Structure, TimestampFormat, Union};
use crate::model::Metadata;
use crate::naming::{ident, module};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::fmt;

/// A wire protocol: every decision that depends on it, and its emitters.
/// The rest of the generator asks it and never names one.
pub trait Protocol: fmt::Debug + Sync {
    /// botocore's name for it, as `metadata.protocols` lists it.
    fn name(&self) -> &'static str;

    /// The format of a timestamp in a body when the model gives none
    /// (headers and URIs have HTTP's own defaults).
    fn body_timestamp_format(&self) -> TimestampFormat;

    /// Whether members keep the HTTP bindings of the model (`location`,
    /// `payload`): the REST protocols; the RPC ones put every member in
    /// the body.
    fn http_bindings(&self) -> bool;

    /// A member's key in the protocol's request form, where it names
    /// members apart from their XML name (ec2); `None` keeps the XML name,
    /// as awsQuery does (the protocols without a form never read it).
    fn form_name(
        &self,
        _member: &str,
        _location_name: Option<&str>,
        _query_name: Option<&str>,
    ) -> Option<String> {
        None
    }

    /// What the protocol cannot carry, refused by shape name before
    /// anything is emitted.
    fn check(&self, krate: &Crate) -> Result<(), Error>;

    /// Whether operations whose output streams events are generated; the
    /// others are refused by name (`Error::EventStream`).
    fn output_event_streams(&self) -> bool {
        false
    }

    /// Whether operations whose input streams events are generated.
    fn input_event_streams(&self) -> bool {
        false
    }

    /// The runtime's cargo features its wire code needs.
    fn runtime_features(&self) -> &'static [&'static str] {
        &[]
    }

    /// The wire module of a structure (`ser` where requests carry it, `de`
    /// where responses do).
    fn structure_file(&self, krate: &Crate, s: &Structure) -> TokenStream;

    /// The wire module of a union.
    fn union_file(&self, krate: &Crate, u: &Union) -> TokenStream;

    /// The wire module of an error shape: `de`, from the protocol's error
    /// response.
    fn error_file(&self, krate: &Crate, s: &Structure) -> TokenStream;

    /// The wire module of an operation: `ser` and `de`.
    fn operation_file(&self, krate: &Crate, op: &Operation) -> TokenStream;

    /// botocore's conformance suites of the protocol: the names of the
    /// files under `tests/protocols/{input,output}/`, and under
    /// `tests/protocols/legacy/{input,output}/`.
    fn suites(&self) -> Suites;

    /// What a real model of the protocol has and the suites' merged model
    /// leaves out, added to its operations.
    fn complete_suite_model(
        &self,
        _operations: &mut BTreeMap<String, Map<String, Value>>,
        _shapes: &Map<String, Value>,
    ) {
    }
}

/// A protocol's conformance files.
#[derive(Debug, Clone, Copy)]
pub struct Suites {
    pub modern: &'static [&'static str],
    pub legacy: &'static [&'static str],
}

/// Every protocol the generator speaks.
const SUPPORTED: &[&dyn Protocol] = &[
    &aws_json::AwsJson,
    &rest_json::RestJson,
    &rest_xml::RestXml,
    &query::AwsQuery,
    &ec2::Ec2,
    &rpc_v2_cbor::RpcV2Cbor,
];

/// botocore's order of preference (`PRIORITY_ORDERED_SUPPORTED_PROTOCOLS`
/// in `botocore/utils.py`), supported or not.
const BOTOCORE_ORDER: &[&str] = &[
    "json",
    "rest-json",
    "rest-xml",
    "smithy-rpc-v2-cbor",
    "query",
    "ec2",
];

/// Every protocol the generator speaks.
pub fn supported() -> &'static [&'static dyn Protocol] {
    SUPPORTED
}

/// The protocol of a service, chosen as botocore chooses it: the first in
/// botocore's order that the model lists (`protocols`, else `protocol`)
/// and that the generator speaks. `forced` (a manifest's `protocol`) picks
/// one of those the model lists instead.
pub fn select(meta: &Metadata, forced: Option<&str>) -> Result<&'static dyn Protocol, Error> {
    let listed: Vec<&str> = if meta.protocols.is_empty() {
        vec![meta.protocol.as_str()]
    } else {
        meta.protocols.iter().map(String::as_str).collect()
    };
    let service = meta
        .service_id
        .clone()
        .unwrap_or_else(|| meta.api_version.clone());
    let speaks = |name: &str| SUPPORTED.iter().copied().find(|p| p.name() == name);
    if let Some(name) = forced {
        if !listed.contains(&name) {
            return Err(Error::Invalid(format!(
                "the manifest asks for the `{name}` protocol, which the model does not list ({listed:?})"
            )));
        }
        return speaks(name).ok_or_else(|| Error::Unsupported {
            shape: service,
            what: format!("the `{name}` protocol"),
        });
    }
    BOTOCORE_ORDER
        .iter()
        .filter(|name| listed.contains(name))
        .find_map(|name| speaks(name))
        .ok_or_else(|| Error::Unsupported {
            shape: service,
            what: format!("the protocols {listed:?}"),
        })
}

/// Refuses what the event-stream readers cannot read, for any protocol.
pub fn check_event_streams(krate: &Crate) -> Result<(), Error> {
    event_stream::check(krate)
}

/// The files of `src/protocol_serde/`, by path.
pub fn files(krate: &Crate) -> Vec<(String, TokenStream)> {
    assemble(krate, krate.service.protocol)
}

/// One module per structure, union, error shape and operation, each
/// compiled under the features of the operations that use it, and the
/// `mod.rs` that declares them.
fn assemble(krate: &Crate, protocol: &dyn Protocol) -> Vec<(String, TokenStream)> {
    let mut files = Vec::new();
    let mut modules = Vec::new();
    let mut add = |name: String, code: TokenStream, cfg: TokenStream| {
        files.push((format!("src/protocol_serde/{name}.rs"), code));
        modules.push((name, cfg));
    };
    for s in &krate.structures {
        add(
            format!("shape_{}", stem(&s.module)),
            protocol.structure_file(krate, s),
            cfg(krate, &s.directions.operations()),
        );
    }
    for u in &krate.unions {
        add(
            format!("shape_{}", stem(&u.module)),
            protocol.union_file(krate, u),
            cfg(krate, &u.directions.operations()),
        );
    }
    for s in &krate.errors {
        add(
            format!("error_{}", stem(&s.module)),
            protocol.error_file(krate, s),
            cfg(krate, &s.directions.response),
        );
    }
    for op in &krate.operations {
        add(
            format!("op_{}", stem(&op.module)),
            protocol.operation_file(krate, op),
            cfg_operation_private(op),
        );
    }
    modules.sort_by(|a, b| a.0.cmp(&b.0));
    let mods = modules.iter().map(|(m, cfg)| {
        let m = format_ident!("{}", m);
        quote!(#cfg pub(crate) mod #m;)
    });
    let doc = format!(
        " The `{}` wire code: how each operation's input becomes a",
        protocol.name()
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

/// The parts of an operation's wire module that differ by protocol.
struct OperationParts {
    /// Statements after `let mut request = ...`, building the request from
    /// `input` (and `context` for idempotency tokens).
    request: TokenStream,
    /// The body of `de`: the runtime's read of `response` with `de_error`
    /// and `de_output`.
    read: TokenStream,
    /// `fn de_output(..)`.
    de_output: TokenStream,
    /// The type `de_error` takes: the protocol's error response.
    error_response: TokenStream,
    /// The arms of the error dispatch, by code.
    error_arms: Vec<TokenStream>,
}

/// An operation's wire module: `ser` (the request), `de` (the output or
/// the typed error), with the parts its protocol gives. The same frame for
/// every protocol.
fn operation_module(op: &Operation, protocol: &str, parts: OperationParts) -> TokenStream {
    let rt = rt();
    let module = ident(&op.module);
    let input_type = ident(&op.input.type_name);
    let output = ident(&op.output.type_name);
    let error = ident(&op.error_type);
    let doc = format!(" The `{protocol}` binding of `{}`.", op.name);
    let method = &op.http_method;
    let members = &op.input.members;
    let input = if members.is_empty() {
        quote!(_input)
    } else {
        quote!(input)
    };
    let uses_tokens = members.iter().any(|m| {
        m.idempotency_token && matches!(m.binding, Binding::Query | Binding::Header | Binding::Body)
    });
    let context = if uses_tokens {
        quote!(context)
    } else {
        quote!(_context)
    };
    let checksum = op.content_md5.then(|| {
        let name = &op.name;
        quote!(request.content_md5(#name)?;)
    });
    let OperationParts {
        request,
        read,
        de_output,
        error_response,
        error_arms,
    } = parts;
    let dispatch = error_dispatch(op, error_arms);
    quote! {
        #![doc = #doc]
        use crate::operation::#module::{#input_type, #output, #error};

        pub(crate) fn ser(
            #input: &#input_type,
            #context: &#rt::protocol::SerializeContext,
        ) -> Result<#rt::HttpRequest, #rt::BuildError> {
            let mut request = #rt::protocol::rest::RequestBuilder::new(#method);
            #request
            #checksum
            Ok(request.finish())
        }

        pub(crate) fn de(response: #rt::HttpResponse) -> Result<#output, #rt::SdkError<#error>> {
            #read
        }

        #de_output

        fn de_error(error: #error_response) -> #error {
            #dispatch
        }
    }
}

/// An error shape's wire module: `de`, from the protocol's error response
/// (`response_type`), leniently: a member that does not fit is left out
/// and the error kept. `fields` initialize members from the response
/// (headers, status); `read_body` reads the body's members into `out`,
/// `None` when the shape has none there.
fn error_module(
    s: &Structure,
    response_type: TokenStream,
    fields: Vec<TokenStream>,
    read_body: Option<TokenStream>,
) -> TokenStream {
    let name = ident(&s.type_name);
    let doc = format!(" The `{}` error, read from a response.", s.shape);
    let ty = quote!(crate::types::error::#name);
    let mut fields = fields;
    fields.push(quote!(meta: error.meta,));
    let read = construct(&ty, fields, s.members.len() + 1);
    let read = match read_body {
        None => read,
        Some(read_body) => {
            let message = s
                .error
                .as_ref()
                .and_then(|e| e.message_field.as_ref())
                .map(|f| {
                    let f = ident(f);
                    quote! {
                        if out.#f.is_none() {
                            out.#f = out.meta.message().filter(|m| !m.is_empty()).map(str::to_owned);
                        }
                    }
                });
            quote! {
                let mut out = #read;
                #read_body
                #message
                out
            }
        }
    };
    quote! {
        #![doc = #doc]
        pub(crate) fn de(error: #response_type) -> #ty {
            #read
        }
    }
}

/// The arm of an operation's error dispatch for each modeled error, by the
/// code its service sends; with `by_shape_too`, also by the error shape's
/// name where that differs (a query-compatible service's `__type`, when
/// the query code is not in a header).
fn error_arms(op: &Operation, by_shape_too: bool) -> Vec<TokenStream> {
    let error = ident(&op.error_type);
    op.errors
        .iter()
        .map(|e| {
            let variant = ident(&e.variant);
            let code = &e.code;
            let path = error_module_path(&e.type_name);
            let pattern = if by_shape_too && e.shape != e.code {
                let shape = &e.shape;
                quote!(Some(#code) | Some(#shape))
            } else {
                quote!(Some(#code))
            };
            quote!(#pattern => #error::#variant(#path::de(error)),)
        })
        .collect()
}

/// Refuses a member of any shape of the crate whose type holds a type
/// that `refused` picks: what the protocol's body (`what`) cannot carry.
fn refuse_in_body(
    krate: &Crate,
    what: &str,
    refused: impl Fn(&crate::ir::Type) -> bool,
) -> Result<(), Error> {
    let structures = krate
        .operations
        .iter()
        .flat_map(|op| [&op.input, &op.output])
        .chain(&krate.structures)
        .chain(&krate.errors)
        .map(|s| (&s.shape, &s.members));
    let unions = krate.unions.iter().map(|u| (&u.shape, &u.members));
    for (shape, members) in structures.chain(unions) {
        for m in members {
            if holds(&m.ty, &refused) {
                return Err(unsupported(
                    shape,
                    format!("member `{}` ({:?}) in {what}", m.name, m.ty),
                ));
            }
        }
    }
    Ok(())
}

/// The body members of a structure.
fn body_members(members: &[Member]) -> Vec<&Member> {
    members
        .iter()
        .filter(|m| m.binding == Binding::Body)
        .collect()
}

/// An idempotency token member's value: the input's, or one made once per
/// call, so that every retry carries the same one.
fn token_value(m: &Member) -> TokenStream {
    let f = field(m);
    quote!(input.#f.clone().unwrap_or_else(|| context.idempotency_token()))
}

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

/// `Type { fields.., ..Default::default() }`, without the update when the
/// fields are all of them.
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
