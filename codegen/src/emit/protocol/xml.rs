//! XML bodies, read: a reader per structure and union, and the expressions
//! that read a value of any type from an element. Elements are matched by
//! local name; unknown ones are skipped.

use super::{shape_module_path, type_path};
use crate::emit::tokens::{field, rt};
use crate::ir::{Member, Type, Union};
use crate::naming::ident;
use proc_macro2::TokenStream;
use quote::quote;

/// `de(element)` for a structure with these members.
pub fn structure_de(ty: &TokenStream, members: &[Member]) -> TokenStream {
    let rt = rt();
    let (element, body) = if members.is_empty() {
        (quote!(_element), quote!(Ok(#ty::default())))
    } else if members.iter().any(|m| m.xml_attribute) {
        let read = read_members(ty, Vec::new(), members, &quote!(Some(element)));
        (quote!(element), quote!(Ok(#read)))
    } else {
        let reader = structure_reader(members);
        (
            quote!(element),
            quote! {
                let mut out = #ty::default();
                #rt::xml::structure(element, #reader)?;
                Ok(out)
            },
        )
    };
    quote! {
        pub(crate) fn de(#element: #rt::xml::Element<'_, '_>) -> Result<#ty, #rt::error::WireError> {
            #body
        }
    }
}

/// An expression (a block) of the structure `ty` read from `element`
/// (an `Option<Element>`, `None` for an empty body): `fields` (from
/// outside the body), the `xmlAttribute` members from its attributes, then
/// the other `members` from its children.
pub fn read_members(
    ty: &TokenStream,
    mut fields: Vec<TokenStream>,
    members: &[Member],
    element: &TokenStream,
) -> TokenStream {
    let rt = rt();
    let all = fields.len() + members.len();
    fields.extend(members.iter().filter(|m| m.xml_attribute).map(|m| {
        let f = field(m);
        let name = &m.wire_name;
        quote!(#f: #rt::xml::attribute(element, #name)?,)
    }));
    let read = super::construct(ty, fields, all);
    if members.iter().all(|m| m.xml_attribute) {
        return quote! {{
            let element = #element;
            #read
        }};
    }
    let reader = structure_reader(members);
    quote! {{
        let element = #element;
        let mut out = #read;
        if let Some(element) = element {
            #rt::xml::structure(element, #reader)?;
        }
        out
    }}
}

/// `de(element)` for a union: the first child element the model knows
/// is the member set; none known is the union's `Unknown`.
pub fn union_de(u: &Union) -> TokenStream {
    let rt = rt();
    let ty = type_path(&u.type_name);
    let arms = u.members.iter().zip(&u.variant_names).map(|(m, v)| {
        let variant = ident(v);
        let name = m.xml_name();
        let read = de_expr(&m.ty, &quote!(child));
        let read = if m.boxed {
            quote!(Box::new(#read?))
        } else {
            quote!(#read?)
        };
        quote!(if child.name() == #name { return Ok(#ty::#variant(#read)); })
    });
    quote! {
        pub(crate) fn de(element: #rt::xml::Element<'_, '_>) -> Result<#ty, #rt::error::WireError> {
            for child in element.children() {
                #(#arms)*
            }
            Ok(#ty::Unknown)
        }
    }
}

/// A closure for [`sdkgen_runtime::xml::structure`] that reads `members`
/// (but attributes) into `out`: a flattened list or map gathers every
/// element of its name.
pub fn structure_reader(members: &[Member]) -> TokenStream {
    let rt = rt();
    let arms = members.iter().filter(|m| !m.xml_attribute).map(|m| {
        let f = field(m);
        let name = m.xml_name();
        let read = match &m.ty {
            Type::List {
                element,
                sparse,
                xml,
            } if xml.flattened => {
                let item = item_expr(element, *sparse, &quote!(child));
                quote!(#rt::xml::push(&mut out.#f, #item)?)
            }
            Type::Map {
                key,
                value,
                sparse,
                xml,
            } if xml.flattened => {
                let entry = entry_expr(key, value, *sparse, xml, &quote!(child), false);
                quote!(#rt::xml::insert(&mut out.#f, #entry)?)
            }
            ty if m.boxed => {
                let read = de_expr(ty, &quote!(child));
                quote!(out.#f = Some(Box::new(#read?)))
            }
            ty => {
                let read = de_expr(ty, &quote!(child));
                quote!(out.#f = Some(#read?))
            }
        };
        (name, read)
    });
    // Two members may share an element name (S3's deprecated `Event` and
    // the flattened `Events` list whose items are `Event`): one arm reads
    // the element into both.
    let mut grouped: Vec<(&str, Vec<TokenStream>)> = Vec::new();
    for (name, read) in arms {
        match grouped.iter_mut().find(|(n, _)| *n == name) {
            Some((_, reads)) => reads.push(read),
            None => grouped.push((name, vec![read])),
        }
    }
    let arms: Vec<(&str, TokenStream)> = grouped
        .into_iter()
        .map(|(name, reads)| match reads.as_slice() {
            [read] => (name, read.clone()),
            _ => (name, quote!({ #(#reads;)* })),
        })
        .collect();
    if arms.is_empty() {
        return quote!(|_, _| Ok(()));
    }
    let dispatch = match arms.as_slice() {
        [(name, read)] => quote! {
            if name == #name {
                #read;
            }
        },
        _ => {
            let arms = arms.iter().map(|(name, read)| quote!(#name => #read,));
            quote! {
                match name {
                    #(#arms)*
                    _ => {}
                }
            }
        }
    };
    quote! {
        |name, child| {
            #dispatch
            Ok(())
        }
    }
}

/// An item of a list read from `element`: `Result<T, WireError>` (or of
/// `Option<T>` in a sparse list, where an item is never absent in XML).
fn item_expr(element_type: &Type, sparse: bool, element: &TokenStream) -> TokenStream {
    let read = de_expr(element_type, element);
    if sparse {
        quote!(#read.map(Some))
    } else {
        read
    }
}

/// A map entry read from `element`, a `Result<(K, V), WireError>`; with
/// `whole`, the whole map from its wrapper instead.
fn entry_expr(
    key: &Type,
    value: &Type,
    sparse: bool,
    xml: &crate::ir::MapXml,
    element: &TokenStream,
    whole: bool,
) -> TokenStream {
    let rt = rt();
    let names = (
        xml.key.as_deref().unwrap_or("key"),
        xml.value.as_deref().unwrap_or("value"),
    );
    let (key_name, value_name) = names;
    let key = de_fn(key);
    let value = if sparse {
        let read = de_expr(value, &quote!(v));
        quote!(|v| #read.map(Some))
    } else {
        de_fn(value)
    };
    let f = if whole {
        quote!(#rt::xml::map)
    } else {
        quote!(#rt::xml::map_entry)
    };
    quote!(#f(#element, (#key_name, #value_name), #key, #value))
}

/// An expression reading `element` as a `T`: `Result<T, WireError>`.
pub fn de_expr(ty: &Type, element: &TokenStream) -> TokenStream {
    let rt = rt();
    match ty {
        Type::List {
            element: item,
            sparse,
            ..
        } => {
            let read = item_expr(item, *sparse, &quote!(e));
            quote!(#rt::xml::list(#element, |e| #read))
        }
        Type::Map {
            key,
            value,
            sparse,
            xml,
        } => entry_expr(key, value, *sparse, xml, element, true),
        other => {
            let f = de_fn(other);
            quote!(#f(#element))
        }
    }
}

/// A function (a path, or a closure for collections) from an element to
/// `Result<T, WireError>`.
fn de_fn(ty: &Type) -> TokenStream {
    let rt = rt();
    match ty {
        Type::String => quote!(#rt::xml::string),
        Type::Boolean => quote!(#rt::xml::boolean),
        Type::Integer => quote!(#rt::xml::integer),
        Type::Long => quote!(#rt::xml::long),
        Type::Float => quote!(#rt::xml::float),
        Type::Double => quote!(#rt::xml::double),
        // A stream is never read from a body (refused before emitting).
        Type::Blob | Type::Stream | Type::EventStream { .. } | Type::InputEventStream(_) => {
            quote!(#rt::xml::blob)
        }
        Type::Timestamp(_) => quote!(#rt::xml::timestamp),
        Type::Enum(name) => {
            let path = type_path(name);
            quote!(#rt::xml::enumeration::<#path>)
        }
        Type::Structure(name) | Type::Union(name) => {
            let path = shape_module_path(name);
            quote!(#path::de)
        }
        // Refused by `support::check` in a query response.
        Type::Document => quote!(|_| Err(#rt::error::WireError::new("a document in XML"))),
        Type::List { .. } | Type::Map { .. } => {
            let inner = de_expr(ty, &quote!(e));
            quote!(|e| #inner)
        }
    }
}
