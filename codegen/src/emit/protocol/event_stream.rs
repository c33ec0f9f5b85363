//! Output event streams, for every protocol: the reader of each event of
//! a stream's union (headers, payload, and the payload's body as the
//! protocol writes bodies), and an operation's readers of the stream's
//! exceptions. Framing and routing are the runtime's
//! (`sdkgen_runtime::event_stream`).

use super::shape_module_path;
use crate::emit::features::cfg;
use crate::emit::support::unsupported;
use crate::emit::tokens::{field, rt};
use crate::error::Error;
use crate::ir::{Binding, Crate, Member, Operation, Structure, Type, Union};
use crate::naming::ident;
use proc_macro2::TokenStream;
use quote::quote;

/// How a protocol reads a body: the tokens that read `payload` (a
/// `&[u8]`) with the reader of the shape whose wire module is `path`,
/// giving `Option<T>` (`None` for an empty body) or returning the
/// `WireError`.
pub type BodyReader = fn(payload: &TokenStream, path: &TokenStream) -> TokenStream;

/// How a protocol writes a body: the tokens of a `Vec<u8>` holding
/// `value` (a reference) written by the writer of the shape whose wire
/// module is `path`, or returning the `BuildError`; and the body's media
/// type.
pub type BodyWriter = fn(value: &TokenStream, path: &TokenStream) -> TokenStream;

/// The wire module of an event-stream union: `de_event`, the event a
/// message with a given `:event-type` is, where responses carry the
/// stream (a type the model does not know is `Unknown`, as for any
/// union); `ser_event`, the message of an event, where requests do.
pub fn union_file(
    krate: &Crate,
    u: &Union,
    read_body: BodyReader,
    write_body: Option<(BodyWriter, &str)>,
) -> TokenStream {
    let doc = format!(" The events of the `{}` stream.", u.shape);
    let de = (!u.directions.response.is_empty()).then(|| de_event(krate, u, read_body));
    // A protocol without input streams (`Protocol::input_event_streams`)
    // has no writer, and no request carries its streams.
    let ser = write_body
        .filter(|_| !u.directions.request.is_empty())
        .map(|write_body| ser_event(krate, u, write_body));
    quote! {
        #![doc = #doc]
        #de
        #ser
    }
}

/// `ser_event`: the message of one event, unsigned.
fn ser_event(
    krate: &Crate,
    u: &Union,
    (write_body, media_type): (BodyWriter, &str),
) -> TokenStream {
    let rt = rt();
    let ty = super::type_path(&u.type_name);
    let cfg = cfg(krate, &u.directions.request);
    let shape = &u.shape;
    let arms = u.members.iter().zip(&u.variant_names).map(|(m, v)| {
        let variant = ident(v);
        let wire = &m.wire_name;
        let Type::Structure(name) = &m.ty else {
            return quote!(#ty::#variant(_) => unreachable!("refused by the generator"),);
        };
        let s = krate.structures.iter().find(|s| &s.type_name == name);
        let path = shape_module_path(name);
        // An event without members is written as its (empty) body too,
        // as it is read.
        let body = s.is_some_and(|s| {
            s.members.is_empty() || s.members.iter().any(|m| m.binding == Binding::Body)
        });
        let payload = s.and_then(|s| s.members.iter().find(|m| m.binding == Binding::Payload));
        let start = match payload {
            Some(p) => {
                let f = field(p);
                match &p.ty {
                    Type::Blob => quote! {
                        #rt::event_stream::Message::new(v.#f.as_ref().map(|b| b.as_bytes().to_vec()).unwrap_or_default())
                            .header(":content-type", "application/octet-stream")
                    },
                    Type::String => quote! {
                        #rt::event_stream::Message::new(v.#f.clone().unwrap_or_default())
                            .header(":content-type", "text/plain")
                    },
                    Type::Structure(inner) | Type::Union(inner) => {
                        let write = write_body(&quote!(inner), &shape_module_path(inner));
                        quote! {
                            #rt::event_stream::Message::new(match &v.#f {
                                Some(inner) => #write,
                                None => Vec::new(),
                            })
                            .header(":content-type", #media_type)
                        }
                    }
                    _ => quote!(#rt::event_stream::Message::new(Vec::new())),
                }
            }
            None if body => {
                let write = write_body(&quote!(v), &path);
                quote!(#rt::event_stream::Message::new(#write).header(":content-type", #media_type))
            }
            None => quote!(#rt::event_stream::Message::new(Vec::new())),
        };
        let headers = s
            .into_iter()
            .flat_map(|s| &s.members)
            .filter(|m| m.binding == Binding::Header)
            .map(|m| {
                let f = field(m);
                let name = &m.wire_name;
                let value = match &m.ty {
                    Type::String => quote!(#rt::event_stream::SharedStr::from(x.clone())),
                    Type::Enum(_) => quote!(#rt::event_stream::SharedStr::from(x.as_str().to_owned())),
                    Type::Blob => quote!(#rt::event_stream::HeaderValue::ByteArray(x.as_bytes().to_vec().into())),
                    _ => quote!(*x),
                };
                quote! {
                    if let Some(x) = &v.#f {
                        message = message.header(#name, #value);
                    }
                }
            });
        let headers: Vec<TokenStream> = headers.collect();
        let message = quote! {
            #start
                .header(":event-type", #wire)
                .header(":message-type", "event")
        };
        if headers.is_empty() {
            return quote!(#ty::#variant(v) => #message,);
        }
        quote! {
            #ty::#variant(v) => {
                let mut message = #message;
                #(#headers)*
                message
            }
        }
    });
    let value = if u.members.is_empty() {
        quote!(_value)
    } else {
        quote!(value)
    };
    quote! {
        #cfg
        pub(crate) fn ser_event(#value: &#ty) -> Result<#rt::event_stream::Message, #rt::body::BoxError> {
            Ok(match #value {
                #(#arms)*
                _ => {
                    return Err(Box::new(#rt::BuildError::invalid(
                        #shape,
                        "the Unknown variant (an event this model does not know) cannot be sent",
                    )))
                }
            })
        }
    }
}

/// `de_event`.
fn de_event(krate: &Crate, u: &Union, read_body: BodyReader) -> TokenStream {
    let rt = rt();
    let ty = super::type_path(&u.type_name);
    let cfg = cfg(krate, &u.directions.response);
    let arms = u.members.iter().zip(&u.variant_names).map(|(m, v)| {
        let variant = ident(v);
        let wire = &m.wire_name;
        let read = event(krate, m, read_body);
        let read = if m.boxed {
            quote!(Box::new(#read))
        } else {
            read
        };
        quote!(#wire => #ty::#variant(#read),)
    });
    let message = if u.members.is_empty() {
        quote!(_message)
    } else {
        quote!(message)
    };
    let names = u.event_stream.iter().flat_map(|s| &s.names);
    quote! {
        /// The event and exception types of the stream, which its readers
        /// decode as static strings.
        #cfg
        pub(crate) const NAMES: &[&str] = &[#(#names),*];

        #cfg
        pub(crate) fn de_event(
            event_type: &str,
            #message: &#rt::event_stream::Message,
        ) -> Result<#ty, #rt::error::WireError> {
            Ok(match event_type {
                #(#arms)*
                _ => #ty::Unknown,
            })
        }
    }
}

/// An expression reading the event of member `m` from `message`.
fn event(krate: &Crate, m: &Member, read_body: BodyReader) -> TokenStream {
    let payload = quote!(message.payload());
    let Type::Structure(name) = &m.ty else {
        // An event is always a structure (`lower` refuses others).
        return quote!(Default::default());
    };
    let path = shape_module_path(name);
    let Some(s) = krate.structures.iter().find(|s| &s.type_name == name) else {
        return quote!(Default::default());
    };
    let body = s.members.iter().any(|m| m.binding == Binding::Body);
    let read_whole = read_body(&payload, &path);
    let outside: Vec<(TokenStream, TokenStream)> = s
        .members
        .iter()
        .filter_map(|m| {
            let f = field(m);
            match m.binding {
                Binding::Header => Some((quote!(#f), header_member(m))),
                Binding::Payload => Some((quote!(#f), payload_member(m, read_body))),
                _ => None,
            }
        })
        .collect();
    if outside.is_empty() {
        return quote!(#read_whole?.unwrap_or_default());
    }
    let ty = super::type_path(&s.type_name);
    if !body {
        let fields = outside.into_iter().map(|(f, v)| quote!(#f: #v,)).collect();
        return super::construct(&ty, fields, s.members.len());
    }
    let sets = outside.into_iter().map(|(f, v)| quote!(out.#f = #v;));
    quote! {{
        let mut out: #ty = #read_whole?.unwrap_or_default();
        #(#sets)*
        out
    }}
}

/// The value of an `eventheader` member.
fn header_member(m: &Member) -> TokenStream {
    let rt = rt();
    let wire = &m.wire_name;
    match &m.ty {
        Type::Enum(name) => {
            let path = super::type_path(name);
            quote! {
                #rt::event_stream::member::header::<String>(message, #wire)?
                    .map(|text| #path::from(text.as_str()))
            }
        }
        _ => quote!(#rt::event_stream::member::header(message, #wire)?),
    }
}

/// The value of the `eventpayload` member.
fn payload_member(m: &Member, read_body: BodyReader) -> TokenStream {
    let rt = rt();
    match &m.ty {
        Type::Blob => quote!(Some(#rt::event_stream::member::payload_blob(message))),
        Type::String => quote!(Some(#rt::event_stream::member::payload_text(message)?)),
        Type::Structure(name) | Type::Union(name) => {
            let read = read_body(&quote!(message.payload()), &shape_module_path(name));
            quote!(#read?)
        }
        // Refused by `check`.
        _ => quote!(None),
    }
}

/// Refuses an event with a member bound where the readers above cannot
/// read it (a header of a type event headers do not carry, say).
pub fn check(krate: &Crate) -> Result<(), Error> {
    for u in krate.unions.iter().filter(|u| u.event_stream.is_some()) {
        for m in &u.members {
            let Type::Structure(name) = &m.ty else {
                return Err(unsupported(
                    &u.shape,
                    format!("event `{}` is not a structure", m.name),
                ));
            };
            let Some(s) = krate.structures.iter().find(|s| &s.type_name == name) else {
                continue;
            };
            if let Some(bad) = unreadable_member(s) {
                return Err(unsupported(
                    &s.shape,
                    format!(
                        "event member `{}` ({:?}) bound to {:?}",
                        bad.name, bad.ty, bad.binding
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// The first member of an event that the readers above cannot read.
fn unreadable_member(s: &Structure) -> Option<&Member> {
    s.members.iter().find(|m| match m.binding {
        Binding::Header => !matches!(
            m.ty,
            Type::String
                | Type::Enum(_)
                | Type::Boolean
                | Type::Integer
                | Type::Long
                | Type::Blob
                | Type::Timestamp(_)
        ),
        Binding::Payload => !matches!(
            m.ty,
            Type::Blob | Type::String | Type::Structure(_) | Type::Union(_)
        ),
        Binding::Body => false,
        _ => true,
    })
}

/// The output member that streams events, and its union.
fn output_stream<'a>(krate: &'a Crate, op: &'a Operation) -> Option<(&'a Member, &'a Union)> {
    op.output.members.iter().find_map(|m| match &m.ty {
        Type::EventStream { events, .. } => krate
            .unions
            .iter()
            .find(|u| &u.type_name == events)
            .map(|u| (m, u)),
        _ => None,
    })
}

/// An operation's readers of its output stream, for an operation that has
/// one: `EVENTS` (what `EventReceiver` calls) and `de_exception`, which
/// maps an `:exception-type` (the union member's name) to the error
/// shape's code and types the error with the operation's `de_error`.
/// `read_error` is the protocol's reader of an error response, an
/// expression of `response`; `initial_response` says whether its streams
/// open with an `initial-response` event.
pub fn operation_readers(
    krate: &Crate,
    op: &Operation,
    read_error: &TokenStream,
    initial_response: bool,
) -> Option<TokenStream> {
    let rt = rt();
    let (_, union) = output_stream(krate, op)?;
    let events = super::type_path(&union.type_name);
    let error = ident(&op.error_type);
    let de_event = shape_module_path(&union.type_name);
    let name = &op.name;
    let exceptions = union.event_stream.iter().flat_map(|s| &s.exceptions);
    // A member named as its error's code needs no arm.
    let arms: Vec<TokenStream> = exceptions
        .filter_map(|x| {
            let code = &op.errors.iter().find(|e| e.shape == x.shape)?.code;
            let wire = &x.wire_name;
            (wire != code).then(|| quote!(#wire => #code,))
        })
        .collect();
    let code = if arms.is_empty() {
        quote!(exception_type)
    } else {
        quote! {
            match exception_type {
                #(#arms)*
                other => other,
            }
        }
    };
    Some(quote! {
        /// How the output's event stream is read.
        pub(crate) const EVENTS: #rt::event_stream::EventReaders<#events, #error> =
            #rt::event_stream::EventReaders {
                operation: #name,
                event: #de_event::de_event,
                names: #de_event::NAMES,
                exception: de_exception,
                unhandled: de_unhandled,
                initial_response: #initial_response,
            };

        /// The error an `exception` message of the stream is.
        fn de_exception(exception_type: &str, response: &#rt::HttpResponse) -> #error {
            let code = #code;
            de_error(#read_error.with_code(code))
        }

        /// The error an `error` message of the stream is: one the model
        /// does not name.
        fn de_unhandled(meta: #rt::ErrorMetadata) -> #error {
            #error::Unhandled(crate::sealed::Unhandled::new(meta))
        }
    })
}
