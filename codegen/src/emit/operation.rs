//! An operation's module: the unit struct naming it and its HTTP binding.

use super::tokens::{deprecated, doc_or, rt};
use crate::ir::{Binding, Member, Operation, PathPart, Type};
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
    // An input without members has nothing to read.
    let input_param = if op.input.members.is_empty() {
        quote!(_input)
    } else {
        quote!(input)
    };
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

            fn serialize(#input_param: &#input) -> Result<#rt::HttpRequest, #rt::BuildError> {
                #serialize
            }

            fn deserialize(response: &#rt::HttpResponse) -> Result<#output, #rt::SdkError<#error>> {
                #rt::rest_json::parse_response(#op_name, response, #error::from_response)
            }
        }
    }
}

/// Builds the request: the path from literals and labels, query parameters,
/// and a JSON body of the body members. Other bindings are rejected by
/// `support::check` before we get here.
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
    let literal_query = op
        .literal_query
        .as_ref()
        .map(|q| quote!(path.query_literal(#q);));
    let query_params = op
        .input
        .members
        .iter()
        .filter(|m| m.binding == Binding::Query)
        .map(query_param);
    let body_members: Vec<&Member> = op
        .input
        .members
        .iter()
        .filter(|m| m.binding == Binding::Body)
        .collect();
    let finish = if body_members.is_empty() {
        quote!(Ok(#rt::HttpRequest::new(#method, path.finish())))
    } else {
        let members = body_members.iter().map(|m| {
            let (name, wire, f) = (&m.name, &m.wire_name, ident(&m.field));
            quote!(body.member(#name, #wire, &input.#f)?;)
        });
        quote! {
            let mut body = #rt::rest_json::JsonBody::new();
            #(#members)*
            Ok(#rt::HttpRequest::new(#method, path.finish()).with_json_body(body.finish()))
        }
    };
    quote! {
        let mut path = #rt::uri::PathBuilder::new();
        #(#parts)*
        #literal_query
        #(#query_params)*
        #finish
    }
}

/// One query parameter (or one per element of a list).
fn query_param(m: &Member) -> TokenStream {
    let f = ident(&m.field);
    let wire = &m.wire_name;
    let text = |ty: &Type, v: TokenStream| match ty {
        Type::Enum(_) => quote!(#v.as_str()),
        Type::Boolean => quote!(if *#v { "true" } else { "false" }),
        Type::Integer | Type::Long => quote!(&#v.to_string()),
        _ => quote!(#v),
    };
    match &m.ty {
        Type::List(element) => {
            let item = text(element, quote!(item));
            quote! {
                if let Some(items) = &input.#f {
                    for item in items {
                        path.query(#wire, #item);
                    }
                }
            }
        }
        ty => {
            let value = text(ty, quote!(value));
            quote! {
                if let Some(value) = &input.#f {
                    path.query(#wire, #value);
                }
            }
        }
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
