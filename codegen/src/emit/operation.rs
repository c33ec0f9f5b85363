//! An operation's module: the unit struct naming it and its HTTP binding.

use super::tokens::{deprecated, doc_or, rt};
use crate::ir::{Member, Operation, PathPart, Type};
use crate::naming::{self, ident};
use proc_macro2::TokenStream;
use quote::quote;

/// `operation/<name>/mod.rs`.
pub fn module_file(op: &Operation) -> TokenStream {
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
    let serialize = serialize_body(op);
    quote! {
        #![doc = #module_doc]

        mod error;
        mod fluent;
        mod input;
        mod output;

        pub use error::#error;
        pub use fluent::#fluent;
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
            type Input = #input;
            type Output = #output;
            type Error = #error;

            fn serialize(input: &#input) -> Result<#rt::HttpRequest, #rt::BuildError> {
                #serialize
            }

            fn deserialize(response: &#rt::HttpResponse) -> Result<#output, #rt::SdkError<#error>> {
                #rt::rest_json::parse_response(#op_name, response, #error::from_response)
            }
        }
    }
}

/// Builds the request: the path from literals and labels. Other bindings are
/// rejected by `support::check` before we get here.
fn serialize_body(op: &Operation) -> TokenStream {
    let rt = rt();
    let method = &op.http_method;
    let parts = op.path.iter().map(|part| match part {
        PathPart::Literal(text) => quote!(path.literal(#text);),
        PathPart::Label { member, greedy } => {
            let m = op
                .input
                .members
                .iter()
                .find(|m| &m.name == member)
                .expect("lowering binds every label to a member");
            let value = label_value(m);
            quote!(path.label(#member, #value, #greedy)?;)
        }
    });
    let query = op.literal_query.as_ref().map(|q| {
        let q = format!("?{q}");
        quote!(path.literal(#q);)
    });
    quote! {
        let mut path = #rt::uri::PathBuilder::new();
        #(#parts)*
        #query
        Ok(#rt::HttpRequest::new(#method, path.finish()))
    }
}

/// The label's text as `Option<&str>`.
fn label_value(m: &Member) -> TokenStream {
    let f = ident(&m.field);
    match &m.ty {
        Type::Enum(_) => quote!(input.#f.as_ref().map(|v| v.as_str())),
        _ => quote!(input.#f.as_deref()),
    }
}
