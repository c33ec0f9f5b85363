//! The HTTP bindings of the REST protocols: one statement per bound member,
//! calling `sdkgen_runtime::protocol::rest`.

use super::{timestamp_format, token_value, type_path};
use crate::emit::tokens::{field, rt};
use crate::ir::{Binding, HostPart, Member, Operation, PathPart, Type};
use proc_macro2::TokenStream;
use quote::quote;

/// The request's host prefix, path, query string and headers, in that
/// order, from `input`.
pub fn request_bindings(op: &Operation) -> TokenStream {
    let member = |name: &str| {
        op.input
            .members
            .iter()
            .find(|m| m.name == name)
            .expect("lowering binds every label to a member")
    };
    let host = host_prefix(op);
    let path = op.path.iter().map(|part| match part {
        PathPart::Literal(text) => quote!(request.literal(#text);),
        PathPart::Label {
            member: name,
            greedy,
        } => {
            let m = member(name);
            let f = field(m);
            match &m.ty {
                Type::Timestamp(format) => {
                    let format = timestamp_format(*format);
                    quote!(request.label_timestamp(#name, input.#f.as_ref(), #format)?;)
                }
                // The service reads and signs its path as sent: a key's
                // dot segments are the key.
                _ if *greedy && op.calls.greedy_dot_segments => {
                    quote!(request.greedy_label_with_dot_segments(#name, input.#f.as_ref())?;)
                }
                _ => quote!(request.label(#name, input.#f.as_ref(), #greedy)?;),
            }
        }
    });
    let literal_query = op
        .literal_query
        .as_ref()
        .map(|q| quote!(request.query_literal(#q);));
    let members = &op.input.members;
    let query: Vec<TokenStream> = members
        .iter()
        .filter(|m| m.binding == Binding::Query && !matches!(m.ty, Type::Map { .. }))
        .map(query_param)
        .collect();
    // A query map's entries come last: the members' own parameters win.
    let query_maps = members
        .iter()
        .filter(|m| m.binding == Binding::Query && matches!(m.ty, Type::Map { .. }))
        .map(|m| {
            let f = field(m);
            match &m.ty {
                Type::Map { value, .. } if matches!(**value, Type::List { .. }) => {
                    quote!(request.query_map_of_lists(input.#f.as_ref());)
                }
                _ => quote!(request.query_map(input.#f.as_ref());),
            }
        });
    let headers = members.iter().filter_map(|m| match m.binding {
        Binding::Header => Some(header(m)),
        Binding::PrefixHeaders => {
            let (f, name, prefix) = (field(m), &m.name, &m.wire_name);
            Some(quote!(request.prefix_headers(#name, #prefix, input.#f.as_ref())?;))
        }
        _ => None,
    });
    quote! {
        #host
        #(#path)*
        #literal_query
        #(#query)*
        #(#query_maps)*
        #(#headers)*
    }
}

/// The request's host prefix (`{AccountId}.data.`), which every protocol
/// writes alike.
pub fn host_prefix(op: &Operation) -> TokenStream {
    let parts = op.host_prefix.iter().map(|part| match part {
        HostPart::Literal(text) => quote!(request.host_prefix_literal(#text);),
        HostPart::Label(name) => {
            let m = op
                .input
                .members
                .iter()
                .find(|m| &m.name == name)
                .expect("lowering binds every host label to a member");
            let f = field(m);
            quote!(request.host_label(#name, input.#f.as_deref())?;)
        }
    });
    quote!(#(#parts)*)
}

fn query_param(m: &Member) -> TokenStream {
    let f = field(m);
    let wire = &m.wire_name;
    if m.idempotency_token {
        let token = token_value(m);
        return quote!(request.query(#wire, Some(&#token)););
    }
    match &m.ty {
        Type::Timestamp(format) => {
            let format = timestamp_format(*format);
            quote!(request.query_timestamp(#wire, input.#f.as_ref(), #format);)
        }
        Type::List { element, .. } => match **element {
            Type::Timestamp(format) => {
                let format = timestamp_format(format);
                quote!(request.query_timestamp_list(#wire, input.#f.as_deref(), #format);)
            }
            _ => quote!(request.query_list(#wire, input.#f.as_deref());),
        },
        _ => quote!(request.query(#wire, input.#f.as_ref());),
    }
}

fn header(m: &Member) -> TokenStream {
    let f = field(m);
    let (name, wire) = (&m.name, &m.wire_name);
    if m.idempotency_token {
        let token = token_value(m);
        return quote!(request.header(#name, #wire, Some(&#token))?;);
    }
    if m.json_value {
        return quote!(request.header_json_value(#name, #wire, input.#f.as_deref())?;);
    }
    match &m.ty {
        Type::Timestamp(format) => {
            let format = timestamp_format(*format);
            quote!(request.header_timestamp(#name, #wire, input.#f.as_ref(), #format)?;)
        }
        Type::List { element, .. } => match **element {
            Type::Timestamp(format) => {
                let format = timestamp_format(format);
                quote!(request.header_timestamp_list(#name, #wire, input.#f.as_deref(), #format)?;)
            }
            _ => quote!(request.header_list(#name, #wire, input.#f.as_deref())?;),
        },
        _ => quote!(request.header(#name, #wire, input.#f.as_ref())?;),
    }
}

/// An expression reading a header member of `response` (a
/// `&HttpResponse`): `Result<Option<T>, WireError>`.
pub fn header_read(m: &Member, response: &TokenStream) -> TokenStream {
    let rt = rt();
    let wire = &m.wire_name;
    if m.binding == Binding::PrefixHeaders {
        return quote!(#rt::protocol::rest::prefix_headers(#response, #wire));
    }
    if m.json_value {
        return quote!(#rt::protocol::rest::header_json_value(#response, #wire));
    }
    match &m.ty {
        Type::Timestamp(_) => quote!(#rt::protocol::rest::header_timestamp(#response, #wire)),
        Type::List { element, .. } => match **element {
            Type::Timestamp(format) => {
                let format = timestamp_format(format);
                quote!(#rt::protocol::rest::header_timestamp_list(#response, #wire, #format))
            }
            _ => quote!(#rt::protocol::rest::header_list(#response, #wire)),
        },
        _ => quote!(#rt::protocol::rest::header(#response, #wire)),
    }
}

/// Field initializers (`field: value,`) reading a response's status,
/// headers and prefix headers; strict (`?`) for an output, lenient (a
/// header that does not parse is left out) for an error.
pub fn response_fields(
    members: &[Member],
    response: &TokenStream,
    strict: bool,
) -> Vec<TokenStream> {
    members
        .iter()
        .filter_map(|m| {
            let f = field(m);
            match m.binding {
                Binding::StatusCode => Some(quote!(#f: Some(i32::from(#response.status)),)),
                Binding::Header | Binding::PrefixHeaders => {
                    let read = header_read(m, response);
                    Some(if strict {
                        quote!(#f: #read?,)
                    } else {
                        quote!(#f: #read.unwrap_or_default(),)
                    })
                }
                _ => None,
            }
        })
        .collect()
}

/// An enum read from text.
pub fn enum_from_text(name: &str) -> TokenStream {
    let path = type_path(name);
    quote!(#path::from(text.as_str()))
}
