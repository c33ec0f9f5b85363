//! Structures: the struct, its accessors, its redacting `Debug`, and its
//! builder. Plain Rust: nothing here knows a wire format (that is the
//! protocol emitters' job); the optional `serde` feature gives users the
//! model's member names.

use super::serde_attrs;
use super::tokens::{
    deprecated, doc, doc_or, element_type, field, prefixed, rt, stored_type, value_type,
};
use crate::ir::{ErrorInfo, Member, Role, Structure, Type};
use crate::naming::{self, ident};
use proc_macro2::TokenStream;
use quote::quote;

/// The whole file for a structure.
pub fn file(s: &Structure) -> TokenStream {
    let definition = definition(s);
    let accessors = accessors(s);
    let debug = debug_impl(&ident(&s.type_name), &s.type_name, s, s.role == Role::Error);
    let builder = builder(s);
    let allow = allow_deprecated(s);
    quote! {
        #allow
        #definition
        #accessors
        #debug
        #builder
    }
}

/// Members marked deprecated are still used by the generated code itself.
pub fn allow_deprecated(s: &Structure) -> TokenStream {
    if s.members.iter().any(|m| m.deprecated.is_some()) {
        quote!(#![allow(deprecated)])
    } else {
        quote!()
    }
}

fn fallback_doc(s: &Structure) -> String {
    match s.role {
        Role::Input => format!(
            "The input of the `{}` operation.",
            s.type_name.trim_end_matches("Input")
        ),
        Role::Output => format!(
            "The output of the `{}` operation.",
            s.type_name.trim_end_matches("Output")
        ),
        Role::Error => format!("The `{}` error.", s.shape),
        Role::Nested => format!("The `{}` structure.", s.shape),
    }
}

pub fn member_doc(m: &Member, s: &Structure) -> String {
    let base = if m.docs.trim().is_empty() {
        format!("The `{}` member.", m.name)
    } else {
        m.docs.clone()
    };
    if m.required && s.role == Role::Input {
        format!("{base}\n\nThis member is required.")
    } else {
        base
    }
}

/// `Clone` and `PartialEq`, unless a member is a stream; `Debug` unless it
/// redacts (then `debug_impl` writes it).
fn value_derives(s: &Structure) -> TokenStream {
    let debug = (!s.redacts()).then(|| quote!(Debug,));
    if s.streaming {
        quote!(#debug Default)
    } else {
        quote!(#debug Clone, PartialEq, Default)
    }
}

fn definition(s: &Structure) -> TokenStream {
    let rt = rt();
    let name = ident(&s.type_name);
    let docs = doc_or(&s.docs, &fallback_doc(s));
    let dep = deprecated(&s.deprecated);
    let derives = value_derives(s);
    let (serde, rule) = serde_attrs::structure(s);
    let fields = s.members.iter().map(|m| {
        let docs = doc(&member_doc(m, s));
        let dep = deprecated(&m.deprecated);
        let f = field(m);
        let ty = stored_type(m);
        let serde = serde_attrs::field(m, rule);
        quote! {
            #docs
            #dep
            #serde
            pub #f: Option<#ty>,
        }
    });
    let meta = (s.role == Role::Error).then(|| {
        let skip = serde_attrs::skip();
        quote!(#skip pub(crate) meta: #rt::ErrorMetadata,)
    });
    quote! {
        #docs
        #dep
        #[non_exhaustive]
        #[derive(#derives)]
        #serde
        pub struct #name {
            #(#fields)*
            #meta
        }
    }
}

fn accessors(s: &Structure) -> TokenStream {
    let name = ident(&s.type_name);
    let getters = s.members.iter().map(|m| {
        let mut text = member_doc(m, s);
        if matches!(m.ty, Type::List { .. }) {
            text.push_str(&format!(
                "\n\nEmpty when the member was not set; `.{}.is_none()` tells the two apart.",
                m.field
            ));
        }
        let docs = doc(&text);
        let dep = deprecated(&m.deprecated);
        let f = field(m);
        let value = value_type(&m.ty);
        let (ret, body) = match &m.ty {
            Type::String => (quote!(Option<&str>), quote!(self.#f.as_deref())),
            Type::Boolean | Type::Integer | Type::Long | Type::Float | Type::Double => {
                (quote!(Option<#value>), quote!(self.#f))
            }
            Type::List { .. } => {
                let element = element_type(&m.ty);
                (
                    quote!(&[#element]),
                    quote!(self.#f.as_deref().unwrap_or_default()),
                )
            }
            _ if m.boxed => (quote!(Option<&#value>), quote!(self.#f.as_deref())),
            _ => (quote!(Option<&#value>), quote!(self.#f.as_ref())),
        };
        quote! {
            #docs
            #dep
            pub fn #f(&self) -> #ret {
                #body
            }
        }
    });
    let builder = {
        let builder = ident(&naming::builder(&s.type_name));
        let docs = if s.role == Role::Error {
            doc(&format!(
                "A builder for [`{}`], to stand for the service's error in tests.",
                s.type_name
            ))
        } else {
            doc(&format!("A builder for [`{}`].", s.type_name))
        };
        quote! {
            #docs
            pub fn builder() -> #builder {
                #builder::default()
            }
        }
    };
    quote! {
        impl #name {
            #(#getters)*
            #builder
        }
    }
}

/// `Debug` that prints `Some(*** Sensitive Data Redacted ***)` for sensitive
/// members (their presence is not a secret, their value is); nothing for a
/// structure that redacts nothing, which derives it.
fn debug_impl(
    type_ident: &proc_macro2::Ident,
    label: &str,
    s: &Structure,
    with_meta: bool,
) -> TokenStream {
    if !s.redacts() {
        return quote!();
    }
    let rt = rt();
    let body = if s.sensitive {
        quote!(f.write_str("*** Sensitive Data Redacted ***"))
    } else {
        let fields = s.members.iter().map(|m| {
            let f = field(m);
            let name = m.field.trim_start_matches("r#");
            if m.sensitive {
                quote!(.field(#name, &self.#f.as_ref().map(|_| #rt::redact::Redacted)))
            } else {
                quote!(.field(#name, &self.#f))
            }
        });
        let meta = with_meta.then(|| quote!(.field("meta", &self.meta)));
        quote!(f.debug_struct(#label) #(#fields)* #meta .finish())
    };
    quote! {
        impl std::fmt::Debug for #type_ident {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                #body
            }
        }
    }
}

fn builder(s: &Structure) -> TokenStream {
    let name = ident(&naming::builder(&s.type_name));
    let builder_label = format!("{}Builder", s.type_name);
    let derives = value_derives(s);
    let fields = s.members.iter().map(|m| {
        let f = field(m);
        let ty = stored_type(m);
        quote!(#f: Option<#ty>,)
    });
    let methods = s.members.iter().map(|m| setters(m, s));
    let debug = debug_impl(&name, &builder_label, s, s.role == Role::Error);
    let assign: Vec<TokenStream> = s
        .members
        .iter()
        .map(|m| {
            let f = field(m);
            quote!(#f: self.#f,)
        })
        .collect();
    let Finish {
        doc: builder_doc,
        field,
        methods: extra,
    } = match &s.error {
        Some(error) => error_finish(s, error, &assign),
        None => finish(s, &assign),
    };
    quote! {
        #builder_doc
        #[derive(#derives)]
        pub struct #name {
            #(#fields)*
            #field
        }
        impl #name {
            #(#methods)*
            #extra
        }
        #debug
    }
}

/// What differs between builders: their doc, a field of their own, and the
/// methods that end them.
struct Finish {
    doc: TokenStream,
    field: TokenStream,
    methods: TokenStream,
}

/// `build()` of an input (checking required members and model minimums) or
/// of any other structure.
fn finish(s: &Structure, assign: &[TokenStream]) -> Finish {
    let rt = rt();
    let target = ident(&s.type_name);
    let methods = if s.role == Role::Input {
        let checks = s.members.iter().filter(|m| m.required).map(|m| {
            let f = field(m);
            let wire = &m.name;
            quote! {
                if self.#f.is_none() {
                    return Err(#rt::BuildError::missing(#wire));
                }
            }
        });
        let validations = s.members.iter().filter_map(min_check);
        let docs = doc(&format!(
            "Builds the [`{}`], or says which member is missing or below its model minimum.",
            s.type_name
        ));
        quote! {
            #docs
            pub fn build(self) -> Result<#target, #rt::BuildError> {
                #(#checks)*
                #(#validations)*
                Ok(#target { #(#assign)* })
            }
        }
    } else {
        let docs = doc(&format!("Builds the [`{}`].", s.type_name));
        quote! {
            #docs
            pub fn build(self) -> #target {
                #target { #(#assign)* }
            }
        }
    };
    Finish {
        doc: doc(&format!("A builder for [`{}`].", s.type_name)),
        field: quote!(),
        methods,
    }
}

/// The end of an error shape's builder: the metadata a service sends with
/// it (code, message, status, request id, raw response), and a `build()`
/// that fills what is not set as the service would: the shape's code, its
/// HTTP status, the `message` member as the message.
fn error_finish(s: &Structure, error: &ErrorInfo, assign: &[TokenStream]) -> Finish {
    let rt = rt();
    let target = ident(&s.type_name);
    let code = &error.code;
    let status = error.status();
    let message = match &error.message_field {
        Some(f) => {
            let f = ident(f);
            quote!(self.#f.as_deref())
        }
        None => quote!(None),
    };
    Finish {
        doc: doc(&format!(
            "A builder for [`{}`]; unset metadata is what the service would send.",
            s.type_name
        )),
        field: quote!(meta: Option<#rt::ErrorMetadata>,),
        methods: quote! {
            /// The code, message, HTTP status, request id and raw response,
            /// as [`ErrorMetadata::builder`](#rt::ErrorMetadata::builder) makes them.
            pub fn meta(mut self, meta: #rt::ErrorMetadata) -> Self {
                self.meta = Some(meta);
                self
            }
            /// Builds the error.
            pub fn build(mut self) -> #target {
                let meta = self
                    .meta
                    .take()
                    .unwrap_or_default()
                    .or_modeled(#code, #status, #message);
                #target { #(#assign)* meta }
            }
        },
    }
}

/// The check of a member's model `min`, as botocore makes it before any
/// request; `None` for members without one.
fn min_check(m: &Member) -> Option<TokenStream> {
    let rt = rt();
    let min = m.constraints.min?;
    let f = field(m);
    let name = &m.name;
    let count = min.max(0.0).ceil() as u64;
    let check = match &m.ty {
        Type::String => quote!(#rt::validate::min_length(#name, value, #count)?;),
        Type::Enum(_) => quote!(#rt::validate::min_length(#name, value.as_str(), #count)?;),
        Type::Blob => quote!(#rt::validate::min_items(#name, value.len(), #count)?;),
        Type::List { .. } | Type::Map { .. } => {
            quote!(#rt::validate::min_items(#name, value.len(), #count)?;)
        }
        Type::Integer | Type::Float => {
            quote!(#rt::validate::min_value(#name, f64::from(*value), #min)?;)
        }
        Type::Long => quote!(#rt::validate::min_value(#name, *value as f64, #min)?;),
        Type::Double => quote!(#rt::validate::min_value(#name, *value, #min)?;),
        _ => return None,
    };
    Some(quote! {
        if let Some(value) = &self.#f {
            #check
        }
    })
}

/// The fluent setter of a member, shared by builders and the client's
/// fluent builders: its parameters, the names it passes on, how it stores
/// them in a builder, and a doc note for collections.
pub struct SetterShape {
    pub params: TokenStream,
    pub args: TokenStream,
    pub store: TokenStream,
    pub note: Option<&'static str>,
}

pub fn setter_shape(m: &Member) -> SetterShape {
    let f = field(m);
    match &m.ty {
        Type::List { .. } => {
            let element = element_type(&m.ty);
            SetterShape {
                params: quote!(item: impl Into<#element>),
                args: quote!(item),
                store: quote!(self.#f.get_or_insert_with(Vec::new).push(item.into());),
                note: Some("Appends one element; call it once per element."),
            }
        }
        Type::Map { key, .. } => {
            let (key, value) = (value_type(key), element_type(&m.ty));
            SetterShape {
                params: quote!(key: impl Into<#key>, value: impl Into<#value>),
                args: quote!(key, value),
                store: quote!(self.#f.get_or_insert_with(std::collections::HashMap::new).insert(key.into(), value.into());),
                note: Some("Inserts one entry; call it once per entry."),
            }
        }
        ty => {
            let value = value_type(ty);
            let stored = if m.boxed {
                quote!(Box::new(input.into()))
            } else {
                quote!(input.into())
            };
            SetterShape {
                params: quote!(input: impl Into<#value>),
                args: quote!(input),
                store: quote!(self.#f = Some(#stored);),
                note: None,
            }
        }
    }
}

/// Member docs plus the collection note, if any.
pub fn setter_doc(m: &Member, s: &Structure, shape: &SetterShape) -> TokenStream {
    let mut text = member_doc(m, s);
    if let Some(note) = shape.note {
        text.push_str("\n\n");
        text.push_str(note);
    }
    doc(&text)
}

/// A setter is not an operator, whatever its name (`add`): the lint
/// allowed on the setters of such members.
pub fn operator_allow(m: &Member) -> Option<TokenStream> {
    crate::naming::is_operator_method(&m.field)
        .then(|| quote!(#[allow(clippy::should_implement_trait)]))
}

fn setters(m: &Member, s: &Structure) -> TokenStream {
    let docs = doc(&member_doc(m, s));
    let dep = deprecated(&m.deprecated);
    let f = field(m);
    let set = prefixed("set", m);
    let get = prefixed("get", m);
    let stored = stored_type(m);
    let shape = setter_shape(m);
    let setter_docs = setter_doc(m, s, &shape);
    let SetterShape { params, store, .. } = shape;
    let operator = operator_allow(m);
    quote! {
        #setter_docs
        #dep
        #operator
        pub fn #f(mut self, #params) -> Self {
            #store
            self
        }
        #docs
        #dep
        pub fn #set(mut self, input: Option<#stored>) -> Self {
            self.#f = input;
            self
        }
        #docs
        #dep
        pub fn #get(&self) -> &Option<#stored> {
            &self.#f
        }
    }
}
