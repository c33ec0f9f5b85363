//! `rest-json`: the REST bindings, with JSON bodies and payloads.

use super::rest::{enum_from_text, request_bindings, response_fields};
use super::{
    body_members, construct, error_arms, operation_module, shape_module_path, OperationParts,
    Protocol, Suites,
};
use super::{event_stream, json};
use crate::emit::tokens::{field, rt};
use crate::error::Error;
use crate::ir::{Binding, Crate, Operation, Structure, TimestampFormat, Type, Union};
use crate::naming::ident;
use proc_macro2::TokenStream;
use quote::quote;

/// `rest-json`: the REST bindings, with JSON bodies and payloads.
#[derive(Debug)]
pub struct RestJson;

impl Protocol for RestJson {
    fn name(&self) -> &'static str {
        "rest-json"
    }

    fn body_timestamp_format(&self) -> TimestampFormat {
        TimestampFormat::EpochSeconds
    }

    fn http_bindings(&self) -> bool {
        true
    }

    /// An event stream is the whole body: the output's payload.
    fn check(&self, krate: &Crate) -> Result<(), Error> {
        for op in &krate.operations {
            for s in [&op.input, &op.output] {
                for m in &s.members {
                    let stream =
                        matches!(m.ty, Type::EventStream { .. } | Type::InputEventStream(_));
                    if stream && m.binding != Binding::Payload {
                        return Err(Error::Unsupported {
                            shape: s.shape.clone(),
                            what: format!("the event stream `{}` that is not the payload", m.name),
                        });
                    }
                }
            }
        }
        Ok(())
    }

    fn output_event_streams(&self) -> bool {
        true
    }

    fn input_event_streams(&self) -> bool {
        true
    }

    fn structure_file(&self, krate: &Crate, s: &Structure) -> TokenStream {
        json::structure_file(json::Codec::Json, krate, s)
    }

    fn union_file(&self, krate: &Crate, u: &Union) -> TokenStream {
        json::union_file(json::Codec::Json, krate, u)
    }

    fn error_file(&self, _krate: &Crate, s: &Structure) -> TokenStream {
        json::error_file(
            json::Codec::Json,
            s,
            response_fields(&s.members, &quote!(error.response), false),
        )
    }

    fn operation_file(&self, krate: &Crate, op: &Operation) -> TokenStream {
        let rt = rt();
        let bindings = request_bindings(op);
        let body = request_body(op);
        let op_name = &op.name;
        let read_error = quote!(#rt::protocol::rest_json::read_error(response));
        let events = event_stream::operation_readers(krate, op, &read_error, false);
        let de_output = output_reader(op);
        let parts = OperationParts {
            request: quote! {
                #bindings
                #body
            },
            read: quote!(#rt::protocol::rest_json::deserialize(#op_name, response, de_error, de_output)),
            de_output: quote!(#de_output #events),
            error_response: quote!(#rt::protocol::rest_json::ErrorResponse<'_>),
            error_arms: error_arms(op, false),
        };
        operation_module(op, self.name(), parts)
    }

    fn suites(&self) -> Suites {
        Suites {
            modern: &["rest-json"],
            legacy: &["rest-json"],
        }
    }
}

/// The body: the payload member's, or a JSON object of the body members
/// (`{}` when none is set); nothing when the input has neither.
fn request_body(op: &Operation) -> TokenStream {
    let rt = rt();
    let members = &op.input.members;
    let json = quote!(#rt::protocol::rest_json::CONTENT_TYPE);
    if let Some(m) = members.iter().find(|m| m.binding == Binding::Payload) {
        let f = field(m);
        let name = &m.name;
        return match &m.ty {
            Type::Structure(type_name) => {
                let path = shape_module_path(type_name);
                quote! {
                    let mut w = #rt::json::JsonWriter::new();
                    match &input.#f {
                        Some(v) => #path::ser(&mut w, v)?,
                        None => {
                            w.begin_object();
                            w.end_object();
                        }
                    }
                    request.json_body(w.finish(), #json);
                }
            }
            Type::Union(type_name) => {
                let path = shape_module_path(type_name);
                quote! {
                    if let Some(v) = &input.#f {
                        let mut w = #rt::json::JsonWriter::new();
                        #path::ser(&mut w, v)?;
                        request.json_body(w.finish(), #json);
                    }
                }
            }
            Type::Document => quote! {
                if let Some(v) = &input.#f {
                    let mut w = #rt::json::JsonWriter::new();
                    w.document(v);
                    request.json_body(w.finish(), #json);
                }
            },
            Type::Blob => quote! {
                if let Some(v) = &input.#f {
                    request.payload(v.as_bytes().to_vec(), "application/octet-stream");
                }
            },
            Type::String => quote! {
                if let Some(v) = &input.#f {
                    request.payload(v.clone(), "text/plain");
                }
            },
            Type::Enum(_) => quote! {
                if let Some(v) = &input.#f {
                    request.payload(v.as_str().to_owned(), "text/plain");
                }
            },
            Type::Stream => quote! {
                if let Some(v) = &input.#f {
                    request.stream_payload(#name, v, "application/octet-stream")?;
                }
            },
            Type::InputEventStream(union) => {
                let path = shape_module_path(union);
                quote! {
                    request.event_stream(input.#f.as_ref().and_then(|v| v.take_framed(#path::ser_event)));
                }
            }
            // Refused by `support::check`.
            _ => quote!(),
        };
    }
    let body = body_members(members);
    if body.is_empty() {
        return quote!();
    }
    let write = json::body_object(json::Codec::Json, &body);
    quote! {
        #write
        request.json_body(body, #json);
    }
}

/// `de_output`: status, headers, then the payload or the body members.
fn output_reader(op: &Operation) -> TokenStream {
    let rt = rt();
    let output = ident(&op.output.type_name);
    let members = &op.output.members;
    // A label or query binding means nothing in a response.
    let read = members
        .iter()
        .any(|m| !matches!(m.binding, Binding::Label { .. } | Binding::Query));
    if !read {
        return quote! {
            fn de_output(_response: &mut #rt::HttpResponse) -> Result<#output, #rt::error::WireError> {
                Ok(#output::default())
            }
        };
    }
    let mut fields = response_fields(members, &quote!(response), true);
    let payload = members
        .iter()
        .find(|m| m.binding == Binding::Payload)
        .map(|m| {
            let f = field(m);
            let json = |read: TokenStream| quote!(#rt::json::read_body(&response.body, #read)?);
            let read = match &m.ty {
                Type::Structure(name) | Type::Union(name) => {
                    let path = shape_module_path(name);
                    json(quote!(#path::de))
                }
                Type::Document => json(quote!(#rt::json::document)),
                Type::Blob => quote!(#rt::protocol::rest::blob_payload(response)),
                Type::String => quote!(#rt::protocol::rest::text_payload(response)?),
                Type::Enum(name) => {
                    let from = enum_from_text(name);
                    quote!(#rt::protocol::rest::text_payload(response)?.map(|text| #from))
                }
                Type::Stream => quote!(Some(response.take_stream())),
                Type::EventStream { .. } => {
                    quote!(Some(#rt::event_stream::EventReceiver::from_response(response, &EVENTS)))
                }
                _ => quote!(None),
            };
            quote!(#f: #read,)
        });
    fields.extend(payload);
    let read = construct(&quote!(#output), fields, members.len());
    let body = body_members(members);
    let body = if body.is_empty() {
        quote!(Ok(#read))
    } else {
        let read_body = json::read_body_members(json::Codec::Json, &body);
        quote! {
            let mut out = #read;
            #read_body
            Ok(out)
        }
    };
    quote! {
        fn de_output(response: &mut #rt::HttpResponse) -> Result<#output, #rt::error::WireError> {
            #body
        }
    }
}
