//! An operation's rules on its input and output values ([`Calls`]): the
//! `PrepareCall` impl that states them, and the calls that go through it
//! (`sdkgen_runtime::hooks::prepare`). An operation without such rules is
//! called through the `Handle` directly, as before.

use super::tokens::rt;
use crate::ir::{Calls, Decoded, Operation};
use crate::naming::ident;
use proc_macro2::TokenStream;
use quote::quote;

/// How a builder calls the operation.
#[derive(Clone, Copy)]
pub enum Call {
    /// `call`: the output.
    Async,
    /// `call_with_status`: the output and the HTTP status (waiters).
    WithStatus,
    /// `call_blocking`.
    Blocking,
    /// `presign`, with the presigning configuration in `presigning`.
    Presign,
    /// `presign_blocking`.
    PresignBlocking,
}

/// The expression that calls `op` on `handle` (a `Handle` or a reference
/// to one) with `input` (a `Result` of the input): through the prepared
/// call when the operation has rules, else the handle's own.
pub fn call(op: &Operation, how: Call, handle: TokenStream, input: TokenStream) -> TokenStream {
    let operation = ident(&op.type_name);
    let (method, extra) = match how {
        Call::Async => (quote!(call), quote!()),
        Call::WithStatus => (quote!(call_with_status), quote!()),
        Call::Blocking => (quote!(call_blocking), quote!()),
        Call::Presign => (quote!(presign), quote!(, presigning)),
        Call::PresignBlocking => (quote!(presign_blocking), quote!(, presigning)),
    };
    if op.calls.prepares() {
        let rt = rt();
        quote!(#rt::hooks::prepare::#method::<#operation>(&#handle, #input #extra))
    } else {
        quote!(#handle.#method::<#operation>(#input #extra))
    }
}

/// The `PrepareCall` impl of an operation that has rules; none otherwise.
pub fn prepare_impl(op: &Operation) -> Option<TokenStream> {
    let calls: &Calls = &op.calls;
    if !calls.prepares() {
        return None;
    }
    let rt = rt();
    let operation = ident(&op.type_name);
    let input = ident(&op.input.type_name);
    let output = ident(&op.output.type_name);
    let last_segment = calls.last_segment.iter().map(|f| {
        let f = ident(f);
        quote!(#rt::hooks::prepare::keep_last_segment(&mut input.#f);)
    });
    let (asks, finish) = match &calls.url_encoded {
        None => (quote!(false), None),
        Some(encoded) => {
            let (ask, echo) = (ident(&encoded.input_field), ident(&encoded.output_field));
            let (enum_type, variant) = (ident(&encoded.enum_type), ident(&encoded.variant));
            let value = &encoded.value;
            let decode = encoded.decoded.iter().map(|d| match d {
                Decoded::Field(f) => {
                    let f = ident(f);
                    quote!(#rt::hooks::prepare::url_decode(&mut output.#f);)
                }
                Decoded::EachElement { list, field } => {
                    let (list, field) = (ident(list), ident(field));
                    quote! {
                        for element in output.#list.iter_mut().flatten() {
                            #rt::hooks::prepare::url_decode(&mut element.#field);
                        }
                    }
                }
            });
            let doc = format!(
                " Decodes the values the service URL-encoded, as it says with `{}` = `{value}`.",
                encoded.output_field
            );
            (
                quote!(#rt::hooks::prepare::set_if_unset(&mut input.#ask, crate::types::#enum_type::#variant)),
                Some(quote! {
                    #[doc = #doc]
                    fn finish(output: &mut super::#output) {
                        if output.#echo.as_ref().map(|v| v.as_str()) != Some(#value) {
                            return;
                        }
                        #(#decode)*
                    }
                }),
            )
        }
    };
    let mut prepare_doc = Vec::new();
    if !calls.last_segment.is_empty() {
        let fields: Vec<String> = calls
            .last_segment
            .iter()
            .map(|f| format!("`{f}`"))
            .collect();
        prepare_doc.push(format!(
            " Keeps only the text after the last `/` of {}.",
            fields.join(", ")
        ));
    }
    if let Some(encoded) = &calls.url_encoded {
        prepare_doc.push(format!(
            " Sets `{}` to `{}` when the caller left it unset; the output is then decoded.",
            encoded.input_field, encoded.value
        ));
    }
    Some(quote! {
        /// The service's rules on this operation's values, which its model
        /// does not state.
        impl #rt::hooks::prepare::PrepareCall for #operation {
            #(#[doc = #prepare_doc])*
            fn prepare(input: &mut super::#input) -> bool {
                #(#last_segment)*
                #asks
            }

            #finish
        }
    })
}
