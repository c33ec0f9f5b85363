//! An operation's module: the unit struct naming it, and its
//! [`Operation`](sdkgen_runtime::Operation) impl, which hands the HTTP
//! binding to the protocol's private wire code.

use super::protocol;
use super::tokens::{deprecated, doc_or, rt};
use crate::ir::{ContextPath, ContextStep, EndpointParam, Operation, Signing, Type};
use crate::naming::{self, ident};
use proc_macro2::TokenStream;
use quote::quote;

/// `operation/<name>/mod.rs`.
pub fn module_file(op: &Operation, protocol: &dyn protocol::Protocol) -> TokenStream {
    let rt = rt();
    let name = ident(&op.type_name);
    let input = ident(&op.input.type_name);
    let output = ident(&op.output.type_name);
    let error = ident(&op.error_type);
    let input_builder = ident(&naming::builder(&op.input.type_name));
    let output_builder = ident(&naming::builder(&op.output.type_name));
    let fallback = format!("The `{}` operation.", op.name);
    let docs = doc_or(&op.docs, &fallback);
    let dep = deprecated(&op.deprecated);
    let module_doc = format!(
        " The `{}` operation: its input, output, error and HTTP binding.",
        op.name
    );
    let op_name = &op.name;
    let fluent = ident(&naming::fluent_builder(&op.name));
    let paginator_use = op.paginator.as_ref().map(|p| {
        let paginator = ident(&naming::paginator(&op.name));
        match p.tokens_alias.as_deref().map(ident) {
            Some(alias) => quote!(pub use fluent::{#paginator, #alias};),
            None => quote!(pub use fluent::#paginator;),
        }
    });
    let wire = protocol::op_module_path(op);
    let signing = match op.signing {
        Signing::SigV4 => None,
        Signing::SigV4UnsignedPayload => Some(quote!(SigV4UnsignedPayload)),
        Signing::Anonymous => Some(quote!(Anonymous)),
        Signing::Bearer => Some(quote!(Bearer)),
        Signing::SigV4OrBearer => Some(quote!(SigV4OrBearer)),
        Signing::SigV2 => Some(quote!(SigV2)),
    }
    .map(|v| quote!(const SIGNING: #rt::operation::Signing = #rt::operation::Signing::#v;));
    let streaming = op
        .output
        .members
        .iter()
        .any(|m| matches!(m.ty, Type::Stream | Type::EventStream { .. }))
        .then(|| {
            quote!(
                const STREAMING_RESPONSE: bool = true;
            )
        });
    let endpoint_params = endpoint_params(op);
    // An RPC protocol's stream carries the output's other members in its
    // `initial-response` event.
    let initial = (!protocol.http_bindings()
        && op.output.members.len() > 1
        && op
            .output
            .members
            .iter()
            .any(|m| matches!(m.ty, Type::EventStream { .. })))
    .then(|| {
        quote! {
            const INITIAL_RESPONSE: bool = true;

            fn read_initial_response(
                output: &mut #output,
            ) -> #rt::credentials::BoxFuture<'_, Result<(), #rt::SdkError<#error>>> {
                #wire::read_initial(output)
            }
        }
    });
    let checksum = op.http_checksum.as_ref().map(|c| {
        let required = c.request_required.then(|| quote!(.request_required(true)));
        let algorithm = c
            .algorithm_header
            .as_ref()
            .map(|h| quote!(.algorithm_header(#h)));
        let mode = c
            .validation_mode_header
            .as_ref()
            .map(|h| quote!(.validation_mode_header(#h)));
        let responses = (!c.response_algorithms.is_empty()).then(|| {
            let names = &c.response_algorithms;
            quote!(.response_algorithms(&[#(#names),*]))
        });
        quote!(
            const HTTP_CHECKSUM: Option<#rt::checksum::HttpChecksum> = Some(
                #rt::checksum::HttpChecksum::new()
                    #required
                    #algorithm
                    #mode
                    #responses
            );
        )
    });
    let compression = op.request_compression.then(|| {
        quote!(
            const REQUEST_COMPRESSION: bool = true;
        )
    });
    quote! {
        #![doc = #module_doc]

        mod error;
        mod fluent;
        mod input;
        mod output;

        pub use error::#error;
        pub use fluent::#fluent;
        #paginator_use
        pub use input::{#input, #input_builder};
        pub use output::{#output, #output_builder};

        #docs
        #dep
        #[non_exhaustive]
        #[derive(Clone, Copy, std::fmt::Debug, Default)]
        pub struct #name;

        #[allow(deprecated)]
        impl #rt::Operation for #name {
            const NAME: &'static str = #op_name;
            #signing
            #streaming
            #compression
            #checksum
            type Input = #input;
            type Output = #output;
            type Error = #error;

            fn serialize(
                input: &#input,
                context: &#rt::protocol::SerializeContext,
            ) -> Result<#rt::HttpRequest, #rt::BuildError> {
                #wire::ser(input, context)
            }

            fn deserialize(response: #rt::HttpResponse) -> Result<#output, #rt::SdkError<#error>> {
                #wire::de(response)
            }

            fn unhandled(meta: #rt::ErrorMetadata) -> #error {
                #error::Unhandled(crate::sealed::Unhandled::new(meta))
            }

            #endpoint_params
            #initial
        }
    }
}

/// Pushes the strings an `operationContextParams` path selects: the first
/// for a string parameter, all of them for a list (set when there is one:
/// the rules treat an empty list as no list).
fn context_path(name: &str, path: &ContextPath, param: &TokenStream) -> TokenStream {
    let steps = path_steps(&path.steps);
    if path.list {
        quote! {
            let values: Vec<String> = std::iter::once(input) #steps .cloned().collect();
            if !values.is_empty() {
                params.push((#name, #param::StringArray(values)));
            }
        }
    } else {
        quote! {
            if let Some(value) = std::iter::once(input) #steps .next() {
                params.push((#name, #param::String(value.clone())));
            }
        }
    }
}

/// A path's steps as iterator adapters, from an iterator of the value it
/// starts at to one of the strings it selects.
fn path_steps(steps: &[ContextStep]) -> TokenStream {
    let adapters = steps.iter().map(|step| match step {
        ContextStep::Field { field, boxed } => {
            let f = ident(field);
            if *boxed {
                quote!(.filter_map(|v| v.#f.as_deref()))
            } else {
                quote!(.filter_map(|v| v.#f.as_ref()))
            }
        }
        ContextStep::Elements { sparse: false } => quote!(.flat_map(|v| v.iter())),
        ContextStep::Elements { sparse: true } => quote!(.flat_map(|v| v.iter().flatten())),
        ContextStep::Keys => quote!(.flat_map(|v| v.keys())),
        ContextStep::Select(paths) => {
            let chains = paths.iter().map(|p| {
                let p = path_steps(p);
                quote!(.chain(std::iter::once(v) #p))
            });
            quote!(.flat_map(|v| std::iter::empty::<&String>() #(#chains)*))
        }
    });
    quote!(#(#adapters)*)
}

/// `endpoint_params`, for an operation that sets endpoint rule parameters.
fn endpoint_params(op: &Operation) -> Option<TokenStream> {
    if op.endpoint_params.is_empty() {
        return None;
    }
    let rt = rt();
    let input = ident(&op.input.type_name);
    let param = quote!(#rt::endpoint_rules::EndpointParam);
    let fixed = op
        .endpoint_params
        .iter()
        .filter_map(|(name, value)| match value {
            EndpointParam::Str(text) => Some(quote!((#name, #param::String(#text.to_string())),)),
            EndpointParam::Bool(b) => Some(quote!((#name, #param::Bool(#b)),)),
            EndpointParam::Member(_) | EndpointParam::Path(_) => None,
        });
    let members: Vec<TokenStream> = op
        .endpoint_params
        .iter()
        .filter_map(|(name, value)| match value {
            EndpointParam::Member(member) => {
                let m = op.input.members.iter().find(|m| &m.name == member)?;
                let f = ident(&m.field);
                let value = if m.ty == Type::Boolean {
                    quote!(#param::Bool(*value))
                } else {
                    quote!(#param::String(value.clone()))
                };
                Some(quote! {
                    if let Some(value) = &input.#f {
                        params.push((#name, #value));
                    }
                })
            }
            EndpointParam::Path(path) => Some(context_path(name, path, &param)),
            _ => None,
        })
        .collect();
    let (input_param, binding) = if members.is_empty() {
        (quote!(_input), quote!(let params))
    } else {
        (quote!(input), quote!(let mut params))
    };
    Some(quote! {
        fn endpoint_params(#input_param: &#input) -> Vec<(&'static str, #param)> {
            #binding = vec![#(#fixed)*];
            #(#members)*
            params
        }
    })
}
