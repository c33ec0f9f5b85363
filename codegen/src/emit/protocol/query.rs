//! `query` (awsQuery): a form of dotted keys on the way out, XML on the way
//! back, errors in `<ErrorResponse>`. ec2 shares all of it but its form's
//! style and its output's framing (`super::ec2`).

use super::form::FormStyle;
use super::rest::request_bindings;
use super::{
    error_arms, error_module, form, operation_module, refuse_in_body, token_value, type_path, xml,
    OperationParts, Protocol, Suites,
};
use crate::emit::features::cfg;
use crate::emit::tokens::rt;
use crate::error::Error;
use crate::ir::{Crate, Operation, Structure, TimestampFormat, Type, Union};
use crate::naming::ident;
use proc_macro2::TokenStream;
use quote::quote;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// awsQuery: the protocol of STS, IAM, SNS and the other older services.
#[derive(Debug)]
pub struct AwsQuery;

impl Protocol for AwsQuery {
    fn name(&self) -> &'static str {
        "query"
    }

    fn body_timestamp_format(&self) -> TimestampFormat {
        TimestampFormat::DateTime
    }

    fn http_bindings(&self) -> bool {
        false
    }

    fn check(&self, krate: &Crate) -> Result<(), Error> {
        check(krate)
    }

    fn structure_file(&self, krate: &Crate, s: &Structure) -> TokenStream {
        structure_file(krate, s, FormStyle::Query)
    }

    fn union_file(&self, krate: &Crate, u: &Union) -> TokenStream {
        union_file(krate, u, FormStyle::Query)
    }

    fn error_file(&self, _krate: &Crate, s: &Structure) -> TokenStream {
        error_file(s)
    }

    fn operation_file(&self, krate: &Crate, op: &Operation) -> TokenStream {
        let rt = rt();
        let op_name = &op.name;
        let wrapper = match &op.result_wrapper {
            Some(w) => quote!(Some(#w)),
            None => quote!(None),
        };
        let read = quote! {
            #rt::protocol::query::deserialize(#op_name, response, #wrapper, de_error, de_output)
        };
        operation_file(krate, op, FormStyle::Query, read)
    }

    fn suites(&self) -> Suites {
        Suites {
            modern: &["query"],
            legacy: &["query"],
        }
    }

    /// The query suites leave out `resultWrapper`, which every real query
    /// model has; botocore's runner adds `<Operation>Result` to an output
    /// with members, and so does this.
    fn complete_suite_model(
        &self,
        operations: &mut BTreeMap<String, Map<String, Value>>,
        shapes: &Map<String, Value>,
    ) {
        for op in operations.values_mut() {
            let name = op
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            let Some(Value::Object(output)) = op.get_mut("output") else {
                continue;
            };
            let has_members = output
                .get("shape")
                .and_then(Value::as_str)
                .and_then(|shape| shapes.get(shape))
                .and_then(|shape| shape.get("members"))
                .and_then(Value::as_object)
                .is_some_and(|members| !members.is_empty());
            if has_members && !output.contains_key("resultWrapper") {
                output.insert("resultWrapper".into(), Value::from(format!("{name}Result")));
            }
        }
    }
}

/// A form and XML carry neither documents nor streams.
pub(super) fn check(krate: &Crate) -> Result<(), Error> {
    refuse_in_body(krate, "a query form or its XML", |t| {
        matches!(t, Type::Document | Type::Stream)
    })
}

/// An error shape's wire module: its members read leniently from the
/// `<Error>` element.
pub(super) fn error_file(s: &Structure) -> TokenStream {
    let rt = rt();
    let read_body = (!s.members.is_empty()).then(|| {
        let reader = xml::structure_reader(&s.members);
        quote! {
            if let Some(element) = error.body {
                #rt::xml::structure_lenient(element, #reader);
            }
        }
    });
    error_module(
        s,
        quote!(#rt::protocol::query::ErrorResponse<'_, '_>),
        Vec::new(),
        read_body,
    )
}

/// An operation's wire module: its form in `style`, its response read by
/// `read` (the runtime's framing of the protocol).
pub(super) fn operation_file(
    krate: &Crate,
    op: &Operation,
    style: FormStyle,
    read: TokenStream,
) -> TokenStream {
    let rt = rt();
    let parts = OperationParts {
        request: request(op, &krate.service.api_version, style),
        read,
        de_output: output_reader(op),
        error_response: quote!(#rt::protocol::query::ErrorResponse<'_, '_>),
        error_arms: error_arms(op, false),
    };
    operation_module(op, krate.service.protocol.name(), parts)
}

/// The wire module of a structure: its form writer where requests carry
/// it, its XML reader where responses do.
pub(super) fn structure_file(krate: &Crate, s: &Structure, style: FormStyle) -> TokenStream {
    let ty = type_path(&s.type_name);
    let doc = format!(
        " The {} form and XML of `{}`.",
        krate.service.protocol.name(),
        s.shape
    );
    let ser = (!s.directions.request.is_empty()).then(|| {
        let cfg = cfg(krate, &s.directions.request);
        let ser = form::structure_ser(&ty, &s.members, style);
        quote!(#cfg #ser)
    });
    let de = (!s.directions.response.is_empty()).then(|| {
        let cfg = cfg(krate, &s.directions.response);
        let de = xml::structure_de(&ty, &s.members);
        quote!(#cfg #de)
    });
    quote! {
        #![doc = #doc]
        #ser
        #de
    }
}

pub(super) fn union_file(krate: &Crate, u: &Union, style: FormStyle) -> TokenStream {
    let doc = format!(
        " The {} form and XML of the `{}` union.",
        krate.service.protocol.name(),
        u.shape
    );
    let ser = (!u.directions.request.is_empty()).then(|| {
        let cfg = cfg(krate, &u.directions.request);
        let ser = form::union_ser(u, style);
        quote!(#cfg #ser)
    });
    let de = (!u.directions.response.is_empty()).then(|| {
        let cfg = cfg(krate, &u.directions.response);
        let de = xml::union_de(u);
        quote!(#cfg #de)
    });
    quote! {
        #![doc = #doc]
        #ser
        #de
    }
}

/// The request: the host prefix and path as REST writes them, then the
/// form: `Action`, `Version` and the members.
fn request(op: &Operation, version: &str, style: FormStyle) -> TokenStream {
    let rt = rt();
    let bindings = request_bindings(op);
    let name = &op.wire_name;
    let members = &op.input.members;
    let writes = members.iter().map(|m| {
        if m.idempotency_token {
            let key = &m.form_name;
            let token = token_value(m);
            quote!(w.value(#key, &#token);)
        } else {
            form::member(m, &quote!(input), &quote!(""), style)
        }
    });
    let new_form = quote!(#rt::protocol::query::QueryWriter::new(#name, #version));
    let form = if members.is_empty() {
        quote!(let form = #new_form;)
    } else {
        quote! {
            let mut form = #new_form;
            let w = &mut form;
            #(#writes)*
        }
    };
    quote! {
        #bindings
        #form
        request.payload(form.finish(), #rt::protocol::query::CONTENT_TYPE);
    }
}

/// `de_output`: the output's members from its wrapper element.
fn output_reader(op: &Operation) -> TokenStream {
    let rt = rt();
    let output = ident(&op.output.type_name);
    let members = &op.output.members;
    if members.is_empty() {
        return quote! {
            fn de_output(_element: Option<#rt::xml::Element<'_, '_>>) -> Result<#output, #rt::error::WireError> {
                Ok(#output::default())
            }
        };
    }
    let reader = xml::structure_reader(members);
    quote! {
        fn de_output(element: Option<#rt::xml::Element<'_, '_>>) -> Result<#output, #rt::error::WireError> {
            let mut out = #output::default();
            if let Some(element) = element {
                #rt::xml::structure(element, #reader)?;
            }
            Ok(out)
        }
    }
}
