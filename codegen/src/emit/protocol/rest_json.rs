//! `rest-json`: the REST bindings, with JSON bodies and payloads.

use super::json::{self, object_reader, ser_member};
use super::rest::{enum_from_text, error_arms, request_bindings, response_fields};
use super::{construct, shape_module_path};
use crate::emit::tokens::{field, rt};
use crate::ir::{Binding, Crate, Member, Operation, Structure, Type};
use crate::naming::ident;
use proc_macro2::TokenStream;
use quote::quote;

/// The `rest-json` emitters.
pub(super) const EMITTERS: super::Emitters = super::Emitters {
    name: "rest-json",
    structure: json::structure_file,
    union: json::union_file,
    error: error_file,
    operation: operation_file,
};

/// An error shape read from an error response: headers and body members,
/// leniently (a member that does not fit is left out, the error kept).
fn error_file(s: &Structure) -> TokenStream {
    let rt = rt();
    let name = ident(&s.type_name);
    let doc = format!(" The `{}` error, read from a response.", s.shape);
    let mut fields = response_fields(&s.members, &quote!(error.response), false);
    fields.push(quote!(meta: error.meta,));
    let body: Vec<&Member> = s
        .members
        .iter()
        .filter(|m| m.binding == Binding::Body)
        .collect();
    let ty = quote!(crate::types::error::#name);
    let read = construct(&ty, fields, s.members.len() + 1);
    let read = if body.is_empty() {
        read
    } else {
        let reader = object_reader(&body);
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
            #rt::json::object_lenient(error.body, #reader);
            #message
            out
        }
    };
    quote! {
        #![doc = #doc]
        pub(crate) fn de(error: #rt::protocol::rest_json::ErrorResponse<'_>) -> #ty {
            #read
        }
    }
}

fn operation_file(_krate: &Crate, op: &Operation) -> TokenStream {
    let rt = rt();
    let module = ident(&op.module);
    let input = ident(&op.input.type_name);
    let output = ident(&op.output.type_name);
    let error = ident(&op.error_type);
    let doc = format!(" The `rest-json` binding of `{}`.", op.name);
    let op_name = &op.name;
    let ser = serializer(op);
    let de_output = output_reader(op);
    let dispatch = super::error_dispatch(op, error_arms(op));
    quote! {
        #![doc = #doc]
        use crate::operation::#module::{#input, #output, #error};

        #ser

        pub(crate) fn de(response: #rt::HttpResponse) -> Result<#output, #rt::SdkError<#error>> {
            #rt::protocol::rest_json::deserialize(#op_name, response, de_error, de_output)
        }

        #de_output

        fn de_error(error: #rt::protocol::rest_json::ErrorResponse<'_>) -> #error {
            #dispatch
        }
    }
}

fn serializer(op: &Operation) -> TokenStream {
    let rt = rt();
    let input_type = ident(&op.input.type_name);
    let method = &op.http_method;
    let bindings = request_bindings(op);
    let body = request_body(op);
    let checksum = op.checksum_required.then(|| {
        let name = &op.name;
        quote!(request.content_md5(#name)?;)
    });
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
    quote! {
        pub(crate) fn ser(
            #input: &#input_type,
            #context: &#rt::protocol::SerializeContext,
        ) -> Result<#rt::HttpRequest, #rt::BuildError> {
            let mut request = #rt::protocol::rest::RequestBuilder::new(#method);
            #bindings
            #body
            #checksum
            Ok(request.finish())
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
            // Refused by `support::check`.
            _ => quote!(),
        };
    }
    let body: Vec<&Member> = members
        .iter()
        .filter(|m| m.binding == Binding::Body)
        .collect();
    if body.is_empty() {
        return quote!();
    }
    let writes = body.iter().map(|m| {
        if m.idempotency_token {
            let (f, wire) = (field(m), &m.wire_name);
            quote! {
                w.key(#wire);
                match &input.#f {
                    Some(v) => w.string(v),
                    None => w.string(&context.idempotency_token()),
                }
            }
        } else {
            ser_member(m, &quote!(input))
        }
    });
    quote! {
        let w = &mut #rt::json::JsonWriter::new();
        w.begin_object();
        #(#writes)*
        w.end_object();
        request.json_body(std::mem::take(w).finish(), #json);
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
            fn de_output(_response: &mut #rt::HttpResponse) -> Result<#output, #rt::json::JsonError> {
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
            let json = |read: TokenStream| {
                quote! {
                    match #rt::protocol::rest_json::body(response)? {
                        Some(body) => Some(#read),
                        None => None,
                    }
                }
            };
            let read = match &m.ty {
                Type::Structure(name) | Type::Union(name) => {
                    let path = shape_module_path(name);
                    json(quote!(#path::de(body)?))
                }
                Type::Document => json(quote!(#rt::json::document(body)?)),
                Type::Blob => quote!(#rt::protocol::rest::blob_payload(response)),
                Type::String => quote!(#rt::protocol::rest::text_payload(response)?),
                Type::Enum(name) => {
                    let from = enum_from_text(name);
                    quote!(#rt::protocol::rest::text_payload(response)?.map(|text| #from))
                }
                Type::Stream => quote!(Some(response.take_stream())),
                _ => quote!(None),
            };
            quote!(#f: #read,)
        });
    fields.extend(payload);
    let read = construct(&quote!(#output), fields, members.len());
    let body: Vec<&Member> = members
        .iter()
        .filter(|m| m.binding == Binding::Body)
        .collect();
    let body = if body.is_empty() {
        quote!(Ok(#read))
    } else {
        let reader = object_reader(&body);
        quote! {
            let mut out = #read;
            if let Some(body) = #rt::protocol::rest_json::body(response)? {
                #rt::json::object(body, #reader)?;
            }
            Ok(out)
        }
    };
    quote! {
        fn de_output(response: &mut #rt::HttpResponse) -> Result<#output, #rt::json::JsonError> {
            #body
        }
    }
}
