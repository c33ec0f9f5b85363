//! Token helpers every emitter shares: doc attributes, paths, field types.

use crate::ir::{Deprecation, Member, Type};
use crate::naming::ident;
use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// The runtime crate, as generated code names it.
pub fn rt() -> TokenStream {
    quote!(sdkgen_runtime)
}

/// `#[doc = "..."]` lines for Markdown text; nothing for empty text.
pub fn doc(markdown: &str) -> TokenStream {
    let lines = doc_lines(markdown);
    quote!(#(#[doc = #lines])*)
}

/// Module-level (`//!`) docs.
pub fn inner_doc(markdown: &str) -> TokenStream {
    let lines = doc_lines(markdown);
    quote!(#(#![doc = #lines])*)
}

/// Each line with the space that `///` puts after the slashes, as a raw
/// string literal. Docs are a third of the generated text: an ordinary
/// literal is escaped character by character here, then unescaped by syn
/// when it parses it and again by prettyplease when it prints it as `///`;
/// a raw one is copied. The printed file is the same.
fn doc_lines(markdown: &str) -> Vec<Literal> {
    markdown
        .lines()
        .map(|line| {
            if line.is_empty() {
                raw_literal("")
            } else {
                raw_literal(&format!(" {line}"))
            }
        })
        .collect()
}

/// `r#"text"#` with as many `#` as the text needs; an ordinary literal for
/// text a raw one cannot hold (a carriage return).
fn raw_literal(text: &str) -> Literal {
    if text.contains('\r') {
        return Literal::string(text);
    }
    // One more `#` than the longest run that follows a `"` in the text.
    let mut longest = 0;
    for (i, _) in text.match_indices('"') {
        let run = text[i + 1..].bytes().take_while(|&b| b == b'#').count();
        longest = longest.max(run + 1);
    }
    let hashes = "#".repeat(longest);
    format!("r{hashes}\"{text}\"{hashes}")
        .parse()
        .unwrap_or_else(|_| Literal::string(text))
}

/// Docs, with a fallback for items the model leaves undocumented, so that
/// every public item has some.
pub fn doc_or(markdown: &str, fallback: &str) -> TokenStream {
    if markdown.trim().is_empty() {
        doc(fallback)
    } else {
        doc(markdown)
    }
}

/// `#[deprecated(note = ...)]` for a deprecated item. The model's `since`
/// is a date, and `since` in the attribute is meant for a semver version
/// (clippy denies anything else), so the date goes into the note.
pub fn deprecated(dep: &Option<Deprecation>) -> TokenStream {
    match dep {
        None => quote!(),
        Some(Deprecation { message, since }) => {
            let note = match (since, message) {
                (Some(since), Some(message)) => format!("Deprecated since {since}. {message}"),
                (Some(since), None) => format!("Deprecated since {since}."),
                (None, Some(message)) => message.clone(),
                (None, None) => return quote!(#[deprecated]),
            };
            quote!(#[deprecated(note = #note)])
        }
    }
}

/// The Rust type of a value of `ty` (not wrapped in `Option`).
pub fn value_type(ty: &Type) -> TokenStream {
    let rt = rt();
    match ty {
        Type::String => quote!(String),
        Type::Boolean => quote!(bool),
        Type::Integer => quote!(i32),
        Type::Long => quote!(i64),
        Type::Float => quote!(f32),
        Type::Double => quote!(f64),
        Type::Blob => quote!(#rt::Blob),
        Type::Stream => quote!(#rt::ByteStream),
        // Only an operation's output holds one, in the operation's module
        // beside its error.
        Type::InputEventStream(events) => {
            let events = ident(events);
            quote!(#rt::event_stream::EventSender<crate::types::#events>)
        }
        Type::EventStream { events, error } => {
            let (events, error) = (ident(events), ident(error));
            quote!(#rt::event_stream::EventReceiver<crate::types::#events, super::#error>)
        }
        Type::Timestamp(_) => quote!(#rt::DateTime),
        Type::Document => quote!(#rt::Document),
        Type::Enum(name) | Type::Structure(name) | Type::Union(name) => {
            let name = ident(name);
            quote!(crate::types::#name)
        }
        Type::List { .. } => {
            let element = element_type(ty);
            quote!(Vec<#element>)
        }
        Type::Map { key, .. } => {
            let key = value_type(key);
            let value = element_type(ty);
            quote!(std::collections::HashMap<#key, #value>)
        }
    }
}

/// Whether values of `ty` are `Copy` (numbers, booleans, timestamps): read
/// by value, where `.clone()` would draw clippy's `clone_on_copy`.
pub fn is_copy(ty: &Type) -> bool {
    matches!(
        ty,
        Type::Boolean
            | Type::Integer
            | Type::Long
            | Type::Float
            | Type::Double
            | Type::Timestamp(_)
    )
}

/// The type of a list's elements or a map's values: `T`, or `Option<T>`
/// when the collection is sparse.
pub fn element_type(ty: &Type) -> TokenStream {
    let (element, sparse) = match ty {
        Type::List {
            element, sparse, ..
        } => (element, *sparse),
        Type::Map { value, sparse, .. } => (value, *sparse),
        other => return value_type(other),
    };
    let element = value_type(element);
    if sparse {
        quote!(Option<#element>)
    } else {
        element
    }
}

/// The stored type of a member: `T`, or `Box<T>` where it breaks a cycle.
pub fn stored_type(member: &Member) -> TokenStream {
    let value = value_type(&member.ty);
    if member.boxed {
        quote!(Box<#value>)
    } else {
        value
    }
}

/// The field's identifier.
pub fn field(member: &Member) -> proc_macro2::Ident {
    ident(&member.field)
}

/// `set_x` / `get_x` for a member's field `x`.
pub fn prefixed(prefix: &str, member: &Member) -> proc_macro2::Ident {
    ident(&crate::naming::prefixed(prefix, &member.field))
}
