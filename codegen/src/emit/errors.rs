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
        "An error the `{}` operation can return.\n\nEvery variant carries the code, message, HTTP status, request id and the raw response; \
         see [`ProvideErrorMetadata`](crate::ProvideErrorMetadata).\n\n\
         Services add errors over time. Match the variants you handle and end with a wildcard (`_ =>` or `other =>`), \
         reading [`code()`](crate::ProvideErrorMetadata::code) there for an error this version of the model does not name: \
         such code keeps working when a newer model names it.",
        op.name
    );
    let enum_doc = doc(&enum_doc);
    let variants = op.errors.iter().map(|e| {
        let variant = ident(&e.variant);
        let ty = ident(&e.type_name);
        let line = format!(
            " The service returned [`{0}`](crate::types::error::{0}).",
            e.type_name
        );
        quote!(#[doc = #line] #variant(crate::types::error::#ty),)
    });
    let every = |body: TokenStream| {
        let arms = op.errors.iter().map(|e| {
            let variant = ident(&e.variant);
            quote!(#name::#variant(e) => #body,)
        });
        quote!(#(#arms)* #name::Unhandled(e) => #body,)
    };
    let meta_arms = every(quote!(#rt::error::ProvideErrorMetadata::meta(e)));
    let display_arms = every(quote!(std::fmt::Display::fmt(e, f)));
    let predicate_fns = op.errors.iter().map(|e| {
        let variant = ident(&e.variant);
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
    // An operation without modeled errors has no predicates.
    let predicates = (!op.errors.is_empty()).then(|| {
        quote! {
            impl #name {
                #(#predicate_fns)*
            }
        }
    });
    quote! {
        #enum_doc
        #[non_exhaustive]
        #[derive(Debug)]
        pub enum #name {
            #(#variants)*
            /// An error the model does not name, with all the service said about it.
            #[deprecated(note = "an error the model does not name yet: match it with a wildcard and read `code()`, so the code keeps working when the model names it")]
            Unhandled(crate::sealed::Unhandled),
        }

        #predicates

        #[allow(deprecated)]
        impl #rt::error::ProvideErrorMetadata for #name {
            fn meta(&self) -> &#rt::ErrorMetadata {
                match self {
                    #meta_arms
                }
            }
        }

        #[allow(deprecated)]
        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self {
                    #display_arms
                }
            }
        }

        /// The variant is this error, not its cause: no `source()`.
        impl std::error::Error for #name {}
    }
}
