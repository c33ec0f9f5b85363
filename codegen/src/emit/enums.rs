//! Forward-compatible string enums: known values as variants, anything else
//! kept in `Unknown`.

use super::tokens::{doc, doc_or, rt};
use crate::ir::Enum;
use crate::naming::ident;
use proc_macro2::TokenStream;
use quote::quote;

pub fn file(e: &Enum) -> TokenStream {
    let rt = rt();
    let name = ident(&e.type_name);
    let fallback = format!("The `{}` values.", e.shape);
    let docs = doc_or(&e.docs, &fallback);
    let variants = e.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let line = format!(" `{}`", v.value.replace('`', "'"));
        quote!(#[doc = #line] #variant,)
    });
    let as_str = e.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let value = &v.value;
        quote!(#name::#variant => #value,)
    });
    let from_str = e.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let value = &v.value;
        quote!(#value => #name::#variant,)
    });
    let values = e.variants.iter().map(|v| &v.value);
    let unknown_doc = doc(
        "A value this version of the model does not know, exactly as the service sent it.\n\n\
         Services add values over time. Match the values you handle and end with a wildcard \
         (`_ =>` or `other =>`), reading [`as_str`](Self::as_str) there: such code keeps working \
         when a newer model names the value. To make a value, use `From<&str>`.",
    );
    quote! {
        #docs
        #[non_exhaustive]
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
        pub enum #name {
            #(#variants)*
            #unknown_doc
            #[deprecated(note = "a value the model does not know yet: match it with a wildcard and read `as_str()`, so the code keeps working when the model names it")]
            Unknown(crate::sealed::UnknownValue),
        }

        #[allow(deprecated)]
        impl #name {
            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#as_str)*
                    #name::Unknown(value) => value.as_str(),
                }
            }

            /// Every value this version of the model knows, in model order.
            pub const fn values() -> &'static [&'static str] {
                &[#(#values),*]
            }
        }

        #[allow(deprecated)]
        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#from_str)*
                    other => #name::Unknown(crate::sealed::UnknownValue::new(other)),
                }
            }
        }

        #rt::string_enum_traits!(#name);
    }
}
