//! Error shapes and the error enum of each operation.

use super::structure;
use super::tokens::{doc, rt};
use crate::ir::{Operation, Structure};
use crate::naming::ident;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The file of one error shape: its struct, and the runtime macro that makes
/// it an error.
pub fn shape_file(s: &Structure) -> TokenStream {
    let rt = rt();
    let name = ident(&s.type_name);
    let body = structure::file(s);
    quote! {
        #body

        #rt::error_shape_traits!(#name);
    }
}

/// The operation's error enum: a variant per modeled error and `Unhandled`.
pub fn operation_error(op: &Operation) -> TokenStream {
    let rt = rt();
    let name = ident(&op.error_type);
    let enum_doc = format!(
        "An error the `{}` operation can return.\n\nEvery variant carries the code, message, HTTP status and request id; \
         see [`ProvideErrorMetadata`](crate::ProvideErrorMetadata).",
        op.name
    );
    let enum_doc = doc(&enum_doc);
    let variants = op.errors.iter().map(|e| {
        let variant = ident(&e.type_name);
        let line = format!(
            " The service returned [`{0}`](crate::types::error::{0}).",
            e.type_name
        );
        quote!(#[doc = #line] #variant(crate::types::error::#variant),)
    });
    let dispatch = op.errors.iter().map(|e| {
        let variant = ident(&e.type_name);
        let code = &e.code;
        quote!(Some(#code) => #name::#variant(crate::types::error::#variant::from_response(meta, body)),)
    });
    let every = |body: TokenStream| {
        let arms = op.errors.iter().map(|e| {
            let variant = ident(&e.type_name);
            quote!(#name::#variant(e) => #body,)
        });
        quote!(#(#arms)* #name::Unhandled(e) => #body,)
    };
    let meta_arms = every(quote!(#rt::error::ProvideErrorMetadata::meta(e)));
    let display_arms = every(quote!(std::fmt::Display::fmt(e, f)));
    let source_arms = every(quote!(Some(e)));
    let predicates = op.errors.iter().map(|e| {
        let variant = ident(&e.type_name);
        let predicate = format_ident!("{}", e.predicate);
        let line = format!(
            " Whether this is a [`{0}`](crate::types::error::{0}).",
            e.type_name
        );
        quote! {
            #[doc = #line]
            pub fn #predicate(&self) -> bool {
                matches!(self, #name::#variant(_))
            }
        }
    });
    let unhandled = quote!(#name::Unhandled(#rt::error::UnhandledError::new(meta)));
    // With no modeled error there is nothing to match, and nothing reads the body.
    let (body_param, classify) = if op.errors.is_empty() {
        (quote!(_body), unhandled)
    } else {
        (
            quote!(body),
            quote! {
                match meta.code() {
                    #(#dispatch)*
                    _ => #unhandled,
                }
            },
        )
    };
    quote! {
        #enum_doc
        #[non_exhaustive]
        #[derive(Debug)]
        pub enum #name {
            #(#variants)*
            /// An error the model does not name, with all the service said about it.
            Unhandled(#rt::error::UnhandledError),
        }

        impl #name {
            /// Types an error response by its code.
            #[doc(hidden)]
            pub fn from_response(meta: #rt::ErrorMetadata, #body_param: &[u8]) -> Self {
                #classify
            }

            #(#predicates)*
        }

        impl #rt::error::ProvideErrorMetadata for #name {
            fn meta(&self) -> &#rt::ErrorMetadata {
                match self {
                    #meta_arms
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self {
                    #display_arms
                }
            }
        }

        impl std::error::Error for #name {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                match self {
                    #source_arms
                }
            }
        }
    }
}
