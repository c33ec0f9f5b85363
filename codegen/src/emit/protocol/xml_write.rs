//! XML bodies, written: a writer per structure and union, and the
//! statements that write a value of any type as an element, as botocore's
//! rest-xml serializer writes them (element names from `locationName`,
//! wrapped or flattened lists and maps, `xmlAttribute` members on their
//! structure's element, `xmlNamespace` declarations).

use super::{shape_module_path, timestamp_format, type_path};
use crate::emit::tokens::{field, rt};
use crate::ir::{Member, Type, Union, XmlNamespace};
use crate::naming::ident;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// `ser(w, value)` for a structure: its attributes onto the element the
/// caller started, then its members as child elements.
pub fn structure_ser(ty: &TokenStream, members: &[Member]) -> TokenStream {
    let rt = rt();
    let (w, value) = if members.is_empty() {
        (quote!(_w), quote!(_value))
    } else {
        (quote!(w), quote!(value))
    };
    let writes = members_ser(members, &field_of(quote!(value)));
    quote! {
        pub(crate) fn ser(
            #w: &mut #rt::xml::XmlWriter,
            #value: &#ty,
        ) -> Result<(), #rt::BuildError> {
            #writes
            Ok(())
        }
    }
}

/// `ser(w, value)` for a union: its one member, as a child element.
pub fn union_ser(u: &Union) -> TokenStream {
    let rt = rt();
    let ty = type_path(&u.type_name);
    let shape = &u.shape;
    let arms = u.members.iter().zip(&u.variant_names).map(|(m, v)| {
        let variant = ident(v);
        let write = value(&m.ty, &m.wire_name, m.xml_namespace.as_ref(), &quote!(v), 0);
        quote!(#ty::#variant(v) => { #write })
    });
    quote! {
        pub(crate) fn ser(
            w: &mut #rt::xml::XmlWriter,
            value: &#ty,
        ) -> Result<(), #rt::BuildError> {
            match value {
                #(#arms)*
                #ty::Unknown => {
                    return Err(#rt::BuildError::invalid(
                        #shape,
                        "the Unknown variant (a member this model does not know) cannot be sent",
                    ))
                }
            }
            Ok(())
        }
    }
}

/// Statements writing the set members: attributes first (they belong to
/// the element already started), then elements. `source` is the
/// expression of a member's `Option` (`value.name`, or a local).
pub fn members_ser<'m>(
    members: impl IntoIterator<Item = &'m Member> + Clone,
    source: &dyn Fn(&Member) -> TokenStream,
) -> TokenStream {
    let attributes = members
        .clone()
        .into_iter()
        .filter(|m| m.xml_attribute)
        .map(|m| {
            let source = source(m);
            let name = &m.wire_name;
            quote! {
                if let Some(v) = &#source {
                    w.attribute(#name, v);
                }
            }
        });
    let elements = members.into_iter().filter(|m| !m.xml_attribute).map(|m| {
        let source = source(m);
        let write = value(&m.ty, &m.wire_name, m.xml_namespace.as_ref(), &quote!(v), 0);
        quote! {
            if let Some(v) = &#source {
                #write
            }
        }
    });
    quote! {
        #(#attributes)*
        #(#elements)*
    }
}

/// A member's value in `owner` (`owner.name`), for [`members_ser`].
pub fn field_of(owner: TokenStream) -> impl Fn(&Member) -> TokenStream {
    move |m| {
        let f = field(m);
        quote!(#owner.#f)
    }
}

/// `Some((prefix, uri))` for the writer, or `None`.
fn namespace_arg(namespace: Option<&XmlNamespace>) -> TokenStream {
    match namespace {
        None => quote!(None),
        Some(ns) => {
            let (prefix, uri) = prefix_and_uri(ns);
            quote!(Some((#prefix, #uri)))
        }
    }
}

/// Declares `namespace` on the element just started.
pub fn declare(namespace: Option<&XmlNamespace>) -> TokenStream {
    match namespace {
        None => quote!(),
        Some(ns) => {
            let (prefix, uri) = prefix_and_uri(ns);
            quote!(w.namespace(#prefix, #uri);)
        }
    }
}

/// A namespace's prefix (`Some("xsi")` or `None`) and URI, as tokens.
fn prefix_and_uri(ns: &XmlNamespace) -> (TokenStream, &str) {
    let prefix = match &ns.prefix {
        Some(p) => quote!(Some(#p)),
        None => quote!(None),
    };
    (prefix, &ns.uri)
}

/// Statements writing `value` (an expression of type `&T`) as the element
/// `name`, declaring `namespace` on it.
pub fn value(
    ty: &Type,
    name: &str,
    namespace: Option<&XmlNamespace>,
    value: &TokenStream,
    depth: usize,
) -> TokenStream {
    match ty {
        Type::String
        | Type::Enum(_)
        | Type::Boolean
        | Type::Integer
        | Type::Long
        | Type::Float
        | Type::Double
        | Type::Blob => {
            let ns = namespace_arg(namespace);
            quote!(w.element(#name, #ns, #value);)
        }
        Type::Timestamp(format) => {
            let ns = namespace_arg(namespace);
            let format = timestamp_format(*format);
            quote!(w.timestamp(#name, #ns, #value, #format);)
        }
        Type::Structure(type_name) | Type::Union(type_name) => {
            let path = shape_module_path(type_name);
            let declare = declare(namespace);
            quote! {
                w.start(#name);
                #declare
                #path::ser(w, #value)?;
                w.end(#name);
            }
        }
        // Refused by the protocol's check.
        Type::Document | Type::Stream | Type::EventStream { .. } | Type::InputEventStream(_) => {
            quote!()
        }
        Type::List {
            element,
            sparse,
            xml,
        } => {
            let item = format_ident!("item{depth}");
            let write_item = |item_name: &str| {
                let write = self::value(
                    element,
                    item_name,
                    xml.item_namespace.as_ref(),
                    &quote!(#item),
                    depth + 1,
                );
                // XML has no null: a sparse list's missing items are left out.
                if *sparse {
                    quote!(if let Some(#item) = #item { #write })
                } else {
                    write
                }
            };
            if xml.flattened {
                let write = write_item(name);
                quote! {
                    for #item in #value.iter() {
                        #write
                    }
                }
            } else {
                let write = write_item(xml.item.as_deref().unwrap_or("member"));
                let declare = declare(namespace);
                quote! {
                    w.start(#name);
                    #declare
                    for #item in #value.iter() {
                        #write
                    }
                    w.end(#name);
                }
            }
        }
        Type::Map {
            key,
            value: v,
            sparse,
            xml,
        } => {
            let rt = rt();
            let k = format_ident!("key{depth}");
            let item = format_ident!("value{depth}");
            let key_name = xml.key.as_deref().unwrap_or("key");
            let value_name = xml.value.as_deref().unwrap_or("value");
            let write_key = self::value(
                key,
                key_name,
                xml.key_namespace.as_ref(),
                &quote!(#k),
                depth + 1,
            );
            let write_value = self::value(
                v,
                value_name,
                xml.value_namespace.as_ref(),
                &quote!(#item),
                depth + 1,
            );
            let write_value = if *sparse {
                quote!(if let Some(#item) = #item { #write_value })
            } else {
                write_value
            };
            // Entries in the order of their keys: the same map is the same
            // body, and so the same signature, every time.
            let entries = quote!(#rt::protocol::query::entries(#value, |k| k.as_str()));
            if xml.flattened {
                quote! {
                    for (#k, #item) in #entries {
                        w.start(#name);
                        #write_key
                        #write_value
                        w.end(#name);
                    }
                }
            } else {
                let declare = declare(namespace);
                quote! {
                    w.start(#name);
                    #declare
                    for (#k, #item) in #entries {
                        w.start("entry");
                        #write_key
                        #write_value
                        w.end("entry");
                    }
                    w.end(#name);
                }
            }
        }
    }
}
