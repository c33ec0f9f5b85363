//! JSON bodies, shared by the JSON protocols: a writer and a reader per
//! structure and union, and the expressions that (de)serialize a value of
//! any type.

use super::{body_members, error_module, shape_module_path, timestamp_format, type_path};
use crate::emit::features::cfg;
use crate::emit::tokens::{field, rt};
use crate::ir::{Crate, Member, Structure, Type, Union};
use crate::naming::ident;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The body format of the protocols whose bodies are JSON's data model:
/// JSON, or CBOR (smithy-rpc-v2-cbor). Their generated readers and writers
/// have one form; only the runtime module they call differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Codec {
    Json,
    Cbor,
}

impl Codec {
    /// The runtime's module: `sdkgen_runtime::json`.
    fn module(self) -> TokenStream {
        let rt = rt();
        match self {
            Codec::Json => quote!(#rt::json),
            Codec::Cbor => quote!(#rt::cbor),
        }
    }

    /// The runtime's writer.
    fn writer(self) -> TokenStream {
        let m = self.module();
        match self {
            Codec::Json => quote!(#m::JsonWriter),
            Codec::Cbor => quote!(#m::CborWriter),
        }
    }

    /// Its name in a doc comment.
    fn name(self) -> &'static str {
        match self {
            Codec::Json => "JSON",
            Codec::Cbor => "CBOR",
        }
    }
}

/// The wire module of a structure: `ser` where requests carry it, `de`
/// where responses do.
pub fn structure_file(c: Codec, krate: &Crate, s: &Structure) -> TokenStream {
    let rt = rt();
    let (json, writer) = (c.module(), c.writer());
    let ty = type_path(&s.type_name);
    let doc = format!(" The {} form of `{}`.", c.name(), s.shape);
    // An event whose members are all in its message's headers and payload
    // has no body to read or write.
    let no_body = !s.members.is_empty() && body_members(&s.members).is_empty();
    let ser = (!s.directions.request.is_empty() && !no_body).then(|| {
        let cfg = cfg(krate, &s.directions.request);
        let body = body_members(&s.members);
        let members = body.iter().map(|m| ser_member(m, &quote!(value)));
        let param = if body.is_empty() {
            quote!(_value)
        } else {
            quote!(value)
        };
        quote! {
            #cfg
            pub(crate) fn ser(w: &mut #writer, #param: &#ty) -> Result<(), #rt::BuildError> {
                w.begin_object();
                #(#members)*
                w.end_object();
                Ok(())
            }
        }
    });
    let de = (!s.directions.response.is_empty() && !no_body).then(|| {
        let cfg = cfg(krate, &s.directions.response);
        let members = object_reader(c, &s.members.iter().collect::<Vec<_>>());
        let out = if s.members.is_empty() {
            quote!(out)
        } else {
            quote!(mut out)
        };
        quote! {
            #cfg
            pub(crate) fn de(r: &mut #json::Reader<'_>) -> Result<#ty, #rt::error::WireError> {
                let #out = #ty::default();
                #json::object(r, #members)?;
                Ok(out)
            }
        }
    });
    quote! {
        #![doc = #doc]
        #ser
        #de
    }
}

/// The wire module of a union: a one-member object; for an event stream,
/// the reader of its events, whose bodies are JSON.
pub fn union_file(c: Codec, krate: &Crate, u: &Union) -> TokenStream {
    let rt = rt();
    let (json, writer) = (c.module(), c.writer());
    // Event streams are refused by the protocols whose bodies are not JSON.
    if u.event_stream.is_some() {
        return super::event_stream::union_file(
            krate,
            u,
            event_body,
            Some((write_event_body, "application/json")),
        );
    }
    let ty = type_path(&u.type_name);
    let doc = format!(" The {} form of the `{}` union.", c.name(), u.shape);
    let shape = &u.shape;
    let ser = (!u.directions.request.is_empty()).then(|| {
        let cfg = cfg(krate, &u.directions.request);
        let arms = u.members.iter().zip(&u.variant_names).map(|(m, v)| {
            let variant = ident(v);
            let wire = &m.wire_name;
            let write = ser_value(&m.ty, &quote!(v), 0);
            quote!(#ty::#variant(v) => { w.key(#wire); #write })
        });
        quote! {
            #cfg
            pub(crate) fn ser(w: &mut #writer, value: &#ty) -> Result<(), #rt::BuildError> {
                w.begin_object();
                match value {
                    #(#arms)*
                    #ty::Unknown => {
                        return Err(#rt::BuildError::invalid(
                            #shape,
                            "the Unknown variant (a member this model does not know) cannot be sent",
                        ))
                    }
                }
                w.end_object();
                Ok(())
            }
        }
    });
    let de = (!u.directions.response.is_empty()).then(|| {
        let cfg = cfg(krate, &u.directions.response);
        let arms = u.members.iter().zip(&u.variant_names).map(|(m, v)| {
            let variant = ident(v);
            let wire = &m.wire_name;
            let read = de_expr(c, &m.ty, &quote!(r));
            let read = if m.boxed {
                quote!(Box::new(#read?))
            } else {
                quote!(#read?)
            };
            quote!(#wire => #ty::#variant(#read),)
        });
        quote! {
            #cfg
            pub(crate) fn de(r: &mut #json::Reader<'_>) -> Result<#ty, #rt::error::WireError> {
                #json::union(r, |key, r| {
                    Ok(match key {
                        #(#arms)*
                        _ => #ty::Unknown,
                    })
                })
            }
        }
    });
    quote! {
        #![doc = #doc]
        #ser
        #de
    }
}

/// Writes an event's JSON body: `value` with the shape writer `path`.
fn write_event_body(value: &TokenStream, path: &TokenStream) -> TokenStream {
    let rt = rt();
    quote! {{
        let mut w = #rt::json::JsonWriter::new();
        #path::ser(&mut w, #value)?;
        w.finish()
    }}
}

/// Reads an event's JSON body (`payload`) with the shape reader `path`.
fn event_body(payload: &TokenStream, path: &TokenStream) -> TokenStream {
    let rt = rt();
    quote!(#rt::json::read_body(#payload, #path::de))
}

/// An error shape read from a JSON error response: `fields` from the
/// response (headers, for the REST protocol), then the body's members.
pub fn error_file(c: Codec, s: &Structure, fields: Vec<TokenStream>) -> TokenStream {
    let rt = rt();
    let json = c.module();
    let body = body_members(&s.members);
    let read_body = (!body.is_empty()).then(|| {
        let reader = object_reader(c, &body);
        quote!(#json::object_lenient(error.body, #reader);)
    });
    error_module(
        s,
        quote!(#rt::protocol::ErrorResponse<'_, &[u8]>),
        fields,
        read_body,
    )
}

/// Statements writing the body members of `input` as a JSON object into
/// `body` (`{}` when none is set); an unset idempotency token gets one.
pub fn body_object(c: Codec, members: &[&Member]) -> TokenStream {
    let writer = c.writer();
    let writes = members.iter().map(|m| {
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
        let w = &mut #writer::new();
        w.begin_object();
        #(#writes)*
        w.end_object();
        let body = std::mem::take(w).finish();
    }
}

/// Statements reading the body members of an output from `response`'s
/// JSON body into `out`; an empty body sets none.
pub fn read_body_members(c: Codec, members: &[&Member]) -> TokenStream {
    let json = c.module();
    let reader = object_reader(c, members);
    quote! {
        #json::read_object(&response.body, #reader)?;
    }
}

/// Writes one member of an object if it is set: `owner.field` under its
/// JSON name.
pub fn ser_member(m: &Member, owner: &TokenStream) -> TokenStream {
    let f = field(m);
    let wire = &m.wire_name;
    let write = ser_value(&m.ty, &quote!(v), 0);
    quote! {
        if let Some(v) = &#owner.#f {
            w.key(#wire);
            #write
        }
    }
}

/// Statements writing `value` (an expression of type `&T`) to `w`.
pub fn ser_value(ty: &Type, value: &TokenStream, depth: usize) -> TokenStream {
    match ty {
        Type::String => quote!(w.string(#value);),
        Type::Boolean => quote!(w.boolean(*#value);),
        Type::Integer => quote!(w.integer(i64::from(*#value));),
        Type::Long => quote!(w.integer(*#value);),
        Type::Float => quote!(w.float(*#value);),
        Type::Double => quote!(w.double(*#value);),
        Type::Blob => quote!(w.blob(#value.as_bytes());),
        Type::Timestamp(format) => {
            let format = timestamp_format(*format);
            quote!(w.timestamp(#value, #format);)
        }
        Type::Document => quote!(w.document(#value);),
        Type::Enum(_) => quote!(w.string(#value.as_str());),
        Type::Structure(name) | Type::Union(name) => {
            let path = shape_module_path(name);
            quote!(#path::ser(w, #value)?;)
        }
        // Refused by `support::check` outside a payload; output only.
        Type::Stream | Type::EventStream { .. } | Type::InputEventStream(_) => quote!(),
        Type::List {
            element, sparse, ..
        } => {
            let item = format_ident!("item{depth}");
            let inner = ser_value(element, &quote!(#item), depth + 1);
            let inner = if *sparse {
                quote!(match #item { Some(#item) => { #inner } None => w.null(), })
            } else {
                inner
            };
            quote! {
                w.begin_array();
                for #item in #value {
                    #inner
                }
                w.end_array();
            }
        }
        Type::Map {
            key,
            value: v,
            sparse,
            ..
        } => {
            let k = format_ident!("key{depth}");
            let item = format_ident!("value{depth}");
            let key_text = match **key {
                Type::Enum(_) => quote!(#k.as_str()),
                _ => quote!(#k),
            };
            let inner = ser_value(v, &quote!(#item), depth + 1);
            let inner = if *sparse {
                quote!(match #item { Some(#item) => { #inner } None => w.null(), })
            } else {
                inner
            };
            quote! {
                w.begin_object();
                for (#k, #item) in #value {
                    w.key(#key_text);
                    #inner
                }
                w.end_object();
            }
        }
    }
}

/// A closure for [`sdkgen_runtime::json::object`] that reads `members`
/// into `out`; other keys are skipped.
pub fn object_reader(c: Codec, members: &[&Member]) -> TokenStream {
    if members.is_empty() {
        return quote!(|_, _| Ok(()));
    }
    let reads: Vec<(&String, TokenStream)> = members
        .iter()
        .map(|m| {
            let f = field(m);
            let read = de_expr(c, &m.ty, &quote!(r));
            let assign = if m.boxed {
                quote!(out.#f = Some(Box::new(#read?));)
            } else {
                quote!(out.#f = Some(#read?);)
            };
            (&m.wire_name, assign)
        })
        .collect();
    let dispatch = match reads.as_slice() {
        [(wire, assign)] => quote! {
            if key == #wire {
                #assign
            }
        },
        _ => {
            let arms = reads
                .iter()
                .map(|(wire, assign)| quote!(#wire => { #assign }));
            quote! {
                match key {
                    #(#arms)*
                    _ => {}
                }
            }
        }
    };
    quote! {
        |key, r| {
            #dispatch
            Ok(())
        }
    }
}

/// An expression reading a `T` from `value` (a `&mut Reader`):
/// `Result<T, WireError>`.
pub fn de_expr(c: Codec, ty: &Type, value: &TokenStream) -> TokenStream {
    let json = c.module();
    match ty {
        Type::List {
            element, sparse, ..
        } => {
            let f = if *sparse {
                quote!(sparse_list)
            } else {
                quote!(list)
            };
            let element = de_fn(c, element);
            quote!(#json::#f(#value, #element))
        }
        Type::Map {
            key,
            value: v,
            sparse,
            ..
        } => {
            let f = if *sparse {
                quote!(sparse_map)
            } else {
                quote!(map)
            };
            let key = match &**key {
                // A closure: `From<&str>` binds the key's lifetime per impl,
                // and the reader needs a function of every lifetime.
                Type::Enum(name) => {
                    let path = type_path(name);
                    quote!(|key: &str| #path::from(key))
                }
                _ => quote!(str::to_owned),
            };
            let v = de_fn(c, v);
            quote!(#json::#f(#value, #key, #v))
        }
        other => {
            let f = de_fn(c, other);
            quote!(#f(#value))
        }
    }
}

/// A function (a path, or a closure for collections) from a `&mut Reader`
/// to `Result<T, WireError>`.
fn de_fn(c: Codec, ty: &Type) -> TokenStream {
    let json = c.module();
    match ty {
        Type::String => quote!(#json::string),
        Type::Boolean => quote!(#json::boolean),
        Type::Integer => quote!(#json::integer),
        Type::Long => quote!(#json::long),
        Type::Float => quote!(#json::float),
        Type::Double => quote!(#json::double),
        Type::Blob | Type::Stream => quote!(#json::blob),
        // A stream is never a body member of a JSON protocol that reads
        // one (refused before emitting); this keeps the match whole.
        Type::EventStream { .. } | Type::InputEventStream(_) => quote!(#json::blob),
        Type::Timestamp(_) => quote!(#json::timestamp),
        Type::Document => quote!(#json::document),
        Type::Enum(name) => {
            let path = type_path(name);
            quote!(#json::enumeration::<#path>)
        }
        Type::Structure(name) | Type::Union(name) => {
            let path = shape_module_path(name);
            quote!(#path::de)
        }
        Type::List { .. } | Type::Map { .. } => {
            let inner = de_expr(c, ty, &quote!(r));
            quote!(|r| #inner)
        }
    }
}
