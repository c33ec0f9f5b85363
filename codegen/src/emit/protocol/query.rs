//! `query` (awsQuery): a form of dotted keys on the way out, XML on the way
//! back, errors in `<ErrorResponse>`.

use super::rest::{error_arms, request_bindings};
use super::{construct, form, type_path, xml};
use crate::emit::features::cfg;
use crate::emit::tokens::{field, rt};
use crate::ir::{Crate, Operation, Structure, Union};
use crate::naming::ident;
use proc_macro2::TokenStream;
use quote::quote;

/// The `query` emitters.
pub(super) const EMITTERS: super::Emitters = super::Emitters {
    name: "query",
    structure: structure_file,
    union: union_file,
    error: error_file,
    operation: operation_file,
};

/// The wire module of a structure: its form writer where requests carry
/// it, its XML reader where responses do.
fn structure_file(krate: &Crate, s: &Structure) -> TokenStream {
    let ty = type_path(&s.type_name);
    let doc = format!(" The query form and XML of `{}`.", s.shape);
    let ser = (!s.directions.request.is_empty()).then(|| {
        let cfg = cfg(krate, &s.directions.request);
        let ser = form::structure_ser(&ty, &s.members);
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

fn union_file(krate: &Crate, u: &Union) -> TokenStream {
    let doc = format!(" The query form and XML of the `{}` union.", u.shape);
    let ser = (!u.directions.request.is_empty()).then(|| {
        let cfg = cfg(krate, &u.directions.request);
        let ser = form::union_ser(u);
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

/// An error shape read from the `<Error>` element, leniently (a member
/// that does not fit is left out, the error kept).
fn error_file(s: &Structure) -> TokenStream {
    let rt = rt();
    let name = ident(&s.type_name);
    let doc = format!(" The `{}` error, read from a response.", s.shape);
    let ty = quote!(crate::types::error::#name);
    let read = construct(&ty, vec![quote!(meta: error.meta,)], s.members.len() + 1);
    let read = if s.members.is_empty() {
        read
    } else {
        let reader = xml::structure_reader(&s.members);
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
            if let Some(element) = error.error {
                #rt::xml::structure_lenient(element, #reader);
            }
            #message
            out
        }
    };
    quote! {
        #![doc = #doc]
        pub(crate) fn de(error: #rt::protocol::query::ErrorResponse<'_, '_>) -> #ty {
            #read
        }
    }
}

fn operation_file(krate: &Crate, op: &Operation) -> TokenStream {
    let rt = rt();
    let module = ident(&op.module);
    let input = ident(&op.input.type_name);
    let output = ident(&op.output.type_name);
    let error = ident(&op.error_type);
    let doc = format!(" The `query` binding of `{}`.", op.name);
    let op_name = &op.name;
    let ser = serializer(op, &krate.service.api_version);
    let wrapper = match &op.result_wrapper {
        Some(w) => quote!(Some(#w)),
        None => quote!(None),
    };
    let de_output = output_reader(op);
    let dispatch = super::error_dispatch(op, error_arms(op));
    quote! {
        #![doc = #doc]
        use crate::operation::#module::{#input, #output, #error};

        #ser

        pub(crate) fn de(response: #rt::HttpResponse) -> Result<#output, #rt::SdkError<#error>> {
            #rt::protocol::query::deserialize(#op_name, response, #wrapper, de_error, de_output)
        }

        #de_output

        fn de_error(error: #rt::protocol::query::ErrorResponse<'_, '_>) -> #error {
            #dispatch
        }
    }
}

/// `ser`: the host prefix and path as REST writes them, then the form.
fn serializer(op: &Operation, version: &str) -> TokenStream {
    let rt = rt();
    let input_type = ident(&op.input.type_name);
    let method = &op.http_method;
    let bindings = request_bindings(op);
    let name = &op.name;
    let members = &op.input.members;
    let writes = members.iter().map(|m| {
        if m.idempotency_token {
            let (f, wire) = (field(m), &m.wire_name);
            quote! {
                match &input.#f {
                    Some(v) => w.value(#wire, v),
                    None => w.value(#wire, &context.idempotency_token()),
                }
            }
        } else {
            form::member(m, &quote!(input), &quote!(""))
        }
    });
    let input = if members.is_empty() {
        quote!(_input)
    } else {
        quote!(input)
    };
    let context = if members.iter().any(|m| m.idempotency_token) {
        quote!(context)
    } else {
        quote!(_context)
    };
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
    let checksum = op.checksum_required.then(|| {
        let name = &op.name;
        quote!(request.content_md5(#name)?;)
    });
    quote! {
        pub(crate) fn ser(
            #input: &#input_type,
            #context: &#rt::protocol::SerializeContext,
        ) -> Result<#rt::HttpRequest, #rt::BuildError> {
            let mut request = #rt::protocol::rest::RequestBuilder::new(#method);
            #bindings
            #form
            request.payload(form.finish(), #rt::protocol::query::CONTENT_TYPE);
            #checksum
            Ok(request.finish())
        }
    }
}

/// `de_output`: the output's members from its wrapper element.
fn output_reader(op: &Operation) -> TokenStream {
    let rt = rt();
    let output = ident(&op.output.type_name);
    let members = &op.output.members;
    if members.is_empty() {
        return quote! {
            fn de_output(_element: Option<#rt::xml::Element<'_, '_>>) -> Result<#output, #rt::xml::XmlError> {
                Ok(#output::default())
            }
        };
    }
    let reader = xml::structure_reader(members);
    quote! {
        fn de_output(element: Option<#rt::xml::Element<'_, '_>>) -> Result<#output, #rt::xml::XmlError> {
            let mut out = #output::default();
            if let Some(element) = element {
                #rt::xml::structure(element, #reader)?;
            }
            Ok(out)
        }
    }
}
