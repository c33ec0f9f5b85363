//! `rest-xml`: the REST bindings, with XML bodies and payloads (S3,
//! CloudFront, Route 53, S3 Control).

use super::rest::{enum_from_text, request_bindings, response_fields};
use super::{
    body_members, construct, error_arms, error_module, event_stream, operation_module,
    refuse_in_body, shape_module_path, token_value, type_path, xml, xml_write, OperationParts,
    Protocol, Suites,
};
use crate::emit::features::cfg;
use crate::emit::tokens::{field, rt};
use crate::error::Error;
use crate::ir::{Binding, Crate, Member, Operation, Structure, TimestampFormat, Type, Union};
use crate::naming::ident;
use proc_macro2::TokenStream;
use quote::quote;

/// `rest-xml`: the REST bindings, with XML bodies and payloads.
#[derive(Debug)]
pub struct RestXml;

impl Protocol for RestXml {
    fn name(&self) -> &'static str {
        "rest-xml"
    }

    fn body_timestamp_format(&self) -> TimestampFormat {
        TimestampFormat::DateTime
    }

    fn http_bindings(&self) -> bool {
        true
    }

    /// XML carries no documents; an attribute holds only text.
    fn check(&self, krate: &Crate) -> Result<(), Error> {
        refuse_in_body(krate, "an XML body", |t| matches!(t, Type::Document))?;
        let structures = krate
            .operations
            .iter()
            .flat_map(|op| [&op.input, &op.output])
            .chain(&krate.structures)
            .chain(&krate.errors);
        for s in structures {
            for m in s.members.iter().filter(|m| m.xml_attribute) {
                let text = matches!(
                    m.ty,
                    Type::String
                        | Type::Enum(_)
                        | Type::Boolean
                        | Type::Integer
                        | Type::Long
                        | Type::Float
                        | Type::Double
                );
                if !text {
                    return Err(Error::Unsupported {
                        shape: s.shape.clone(),
                        what: format!("the XML attribute `{}` of type {:?}", m.name, m.ty),
                    });
                }
            }
        }
        Ok(())
    }

    fn structure_file(&self, krate: &Crate, s: &Structure) -> TokenStream {
        let ty = type_path(&s.type_name);
        let doc = format!(" The XML of `{}`.", s.shape);
        // An event whose members are all in its message's headers and
        // payload has no body to read or write.
        let no_body = !s.members.is_empty() && body_members(&s.members).is_empty();
        let ser = (!s.directions.request.is_empty() && !no_body).then(|| {
            let cfg = cfg(krate, &s.directions.request);
            let ser = xml_write::structure_ser(&ty, &s.members);
            quote!(#cfg #ser)
        });
        let de = (!s.directions.response.is_empty() && !no_body).then(|| {
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

    fn output_event_streams(&self) -> bool {
        true
    }

    fn union_file(&self, krate: &Crate, u: &Union) -> TokenStream {
        if u.event_stream.is_some() {
            return event_stream::union_file(krate, u, event_body, None);
        }
        let doc = format!(" The XML of the `{}` union.", u.shape);
        let ser = (!u.directions.request.is_empty()).then(|| {
            let cfg = cfg(krate, &u.directions.request);
            let ser = xml_write::union_ser(u);
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

    /// An error's members are children of its `<Error>` element, or bound
    /// to the response's headers.
    fn error_file(&self, _krate: &Crate, s: &Structure) -> TokenStream {
        let rt = rt();
        let body = owned_body_members(&s.members);
        let read_body = (!body.is_empty()).then(|| {
            let reader = xml::structure_reader(&body);
            quote! {
                if let Some(element) = error.body {
                    #rt::xml::structure_lenient(element, #reader);
                }
            }
        });
        error_module(
            s,
            quote!(#rt::protocol::rest_xml::ErrorResponse<'_, '_>),
            response_fields(&s.members, &quote!(error.response), false),
            read_body,
        )
    }

    fn operation_file(&self, krate: &Crate, op: &Operation) -> TokenStream {
        let rt = rt();
        let bindings = request_bindings(op);
        let body = request_body(op);
        let op_name = &op.name;
        let read_error = quote! {
            #rt::protocol::rest_xml::read_error(
                response,
                #rt::xml::Document::parse(&response.body).ok().as_ref(),
            )
        };
        let events = event_stream::operation_readers(krate, op, &read_error, false);
        let de_output = output_reader(op);
        let parts = OperationParts {
            request: quote! {
                #bindings
                #body
            },
            read: quote!(#rt::protocol::rest_xml::deserialize(#op_name, response, de_error, de_output)),
            de_output: quote!(#de_output #events),
            error_response: quote!(#rt::protocol::rest_xml::ErrorResponse<'_, '_>),
            error_arms: error_arms(op, false),
        };
        operation_module(op, self.name(), parts)
    }

    fn suites(&self) -> Suites {
        Suites {
            modern: &["rest-xml"],
            legacy: &["rest-xml"],
        }
    }
}

/// Reads an event's XML body (`payload`) with the shape reader `path`.
fn event_body(payload: &TokenStream, path: &TokenStream) -> TokenStream {
    let rt = rt();
    quote!(#rt::protocol::rest_xml::read_body(#payload, #path::de))
}

/// The body members, as the XML readers take them.
fn owned_body_members(members: &[Member]) -> Vec<Member> {
    body_members(members).into_iter().cloned().collect()
}

/// The body: the payload member's, or the body members in the input's
/// element when one is set; nothing otherwise, as botocore sends it.
fn request_body(op: &Operation) -> TokenStream {
    let rt = rt();
    let members = &op.input.members;
    let xml_type = quote!(#rt::protocol::rest_xml::CONTENT_TYPE);
    if let Some(m) = members.iter().find(|m| m.binding == Binding::Payload) {
        let f = field(m);
        let name = &m.name;
        let root = &m.wire_name;
        return match &m.ty {
            Type::Structure(type_name) | Type::Union(type_name) => {
                let path = shape_module_path(type_name);
                let declare = xml_write::declare(m.xml_namespace.as_ref());
                quote! {
                    if let Some(v) = &input.#f {
                        let w = &mut #rt::xml::XmlWriter::new();
                        w.start(#root);
                        #declare
                        #path::ser(w, v)?;
                        w.end(#root);
                        request.payload(std::mem::take(w).finish(), #xml_type);
                    }
                }
            }
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
    let body = body_members(members);
    if body.is_empty() {
        return quote!();
    }
    let root = &op.xml_root.name;
    let declare = xml_write::declare(op.xml_root.namespace.as_ref());
    // An unset idempotency token gets one, and counts as set.
    let tokens = body.iter().filter(|m| m.idempotency_token).map(|m| {
        let f = field(m);
        let value = token_value(m);
        quote!(let #f = Some(#value);)
    });
    let has_tokens = body.iter().any(|m| m.idempotency_token);
    // A token is always set, so the body always is: no condition then
    // (`true || ..` is a lint in the generated crate).
    let any_set = body.iter().map(|m| {
        let f = field(m);
        quote!(input.#f.is_some())
    });
    let condition = if has_tokens {
        quote!()
    } else {
        quote!(if #(#any_set)||*)
    };
    // Tokens are written from their locals; the others from the input.
    let source = |m: &Member| {
        let f = field(m);
        if m.idempotency_token {
            quote!(#f)
        } else {
            quote!(input.#f)
        }
    };
    let writes = xml_write::members_ser(body.iter().copied(), &source);
    let writes = quote! {
        #(#tokens)*
        #writes
    };
    quote! {
        #condition {
            let w = &mut #rt::xml::XmlWriter::new();
            w.start(#root);
            #declare
            #writes
            w.end(#root);
            request.payload(std::mem::take(w).finish(), #xml_type);
        }
    }
}

/// `de_output`: status, headers, then the payload or the body members.
fn output_reader(op: &Operation) -> TokenStream {
    let rt = rt();
    let output = ident(&op.output.type_name);
    let members = &op.output.members;
    if members.is_empty() {
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
            let read = match &m.ty {
                Type::Structure(name) | Type::Union(name) => {
                    let path = shape_module_path(name);
                    quote! {
                        match #rt::protocol::rest_xml::document(&response.body)? {
                            Some(document) => Some(#path::de(document.root())?),
                            None => None,
                        }
                    }
                }
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
    // A member that is the root element itself (a customization's).
    if let Some(root) = &op.output.xml_root_member {
        if let Some(m) = members.iter().find(|m| &m.field == root) {
            let f = field(m);
            let read = xml::de_expr(&m.ty, &quote!(document.root()));
            // An empty root (`<LocationConstraint/>`, us-east-1) is no value.
            fields.push(quote! {
                #f: match #rt::protocol::rest_xml::document(&response.body)? {
                    Some(document) if !document.root().text().trim().is_empty() => Some(#read?),
                    _ => None,
                },
            });
            let read = construct(&quote!(#output), fields, members.len());
            return quote! {
                fn de_output(response: &mut #rt::HttpResponse) -> Result<#output, #rt::error::WireError> {
                    Ok(#read)
                }
            };
        }
    }
    // A member bound to the URI means nothing in a response: botocore
    // reads it from the body, as any member not in a header.
    let body: Vec<Member> = members
        .iter()
        .filter(|m| {
            matches!(
                m.binding,
                Binding::Body | Binding::Query | Binding::Label { .. }
            )
        })
        .cloned()
        .collect();
    let body = if body.is_empty() {
        let read = construct(&quote!(#output), fields, members.len());
        quote!(Ok(#read))
    } else {
        let read = xml::read_members(
            &quote!(#output),
            fields,
            &body,
            &quote!(document.as_ref().map(|d| d.root())),
        );
        quote! {
            let document = #rt::protocol::rest_xml::document(&response.body)?;
            Ok(#read)
        }
    };
    quote! {
        fn de_output(response: &mut #rt::HttpResponse) -> Result<#output, #rt::error::WireError> {
            #body
        }
    }
}
