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
         Services add values over time; match on [`as_str`](Self::as_str) to handle one \
         before the client is regenerated.",
    );
    quote! {
        #docs
        #[non_exhaustive]
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
        pub enum #name {
            #(#variants)*
            #unknown_doc
            Unknown(#rt::UnknownValue),
        }

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

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#from_str)*
                    other => #name::Unknown(#rt::UnknownValue::new(other)),
                }
            }
        }

        impl std::str::FromStr for #name {
            type Err = std::convert::Infallible;

            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(#name::from(value))
            }
        }

        impl AsRef<str> for #name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl #rt::codegen::serde::Serialize for #name {
            fn serialize<S: #rt::codegen::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> #rt::codegen::serde::Deserialize<'de> for #name {
            fn deserialize<D: #rt::codegen::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <String as #rt::codegen::serde::Deserialize>::deserialize(deserializer)?;
                Ok(#name::from(value.as_str()))
            }
        }
    }
}
