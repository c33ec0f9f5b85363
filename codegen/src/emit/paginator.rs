//! `into_paginator` and the paginator of an operation that pages. Thin:
//! the generated code says where the tokens, the more-results flag and
//! the items are; the runtime's `PageStream` follows them.

use super::tokens::{element_type, is_copy, prefixed, rt, value_type};
use crate::ir::{ItemsKind, Member, Operation, OutputPath, PageToken, Paginator, PathStep, Type};
use crate::naming::{self, ident};
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

/// The paginator of `op`, in its fluent builder's file.
pub fn paginator(op: &Operation, p: &Paginator) -> TokenStream {
    let rt = rt();
    let builder = ident(&naming::fluent_builder(&op.name));
    let name = ident(&naming::paginator(&op.name));
    let input_builder = ident(&naming::builder(&op.input.type_name));
    let output = ident(&op.output.type_name);
    let error = ident(&op.error_type);
    let op_name = &op.name;
    let input_member = |field: &str| -> &Member {
        op.input
            .members
            .iter()
            .find(|m| m.field == field)
            .expect("the IR names members of the operation")
    };

    // The token type; a `String` is the streams' default and is not named.
    let token_types: Vec<TokenStream> = p.tokens.iter().map(|t| value_type(&t.ty)).collect();
    let (token_param, alias) = match (p.tokens.as_slice(), token_types.as_slice()) {
        ([token], _) if token.ty == Type::String => (quote!(), None),
        (_, [single]) => (quote!(, #single), None),
        (_, several) => {
            let alias = ident(p.tokens_alias.as_deref().unwrap_or("Tokens"));
            let names: Vec<String> = p
                .tokens
                .iter()
                .map(|t| format!("`{}`", t.input_name))
                .collect();
            let doc = format!(
                " The tokens of [`{name}`], sent together: {}; those a page leaves out are left out of the next request.",
                join_words(&names)
            );
            (
                quote!(, #alias),
                Some(quote! {
                    #[doc = #doc]
                    pub type #alias = (#(Option<#several>,)*);
                }),
            )
        }
    };
    let getters: Vec<_> = p
        .tokens
        .iter()
        .map(|t| prefixed("get", input_member(&t.input)))
        .collect();
    let setters: Vec<_> = p
        .tokens
        .iter()
        .map(|t| prefixed("set", input_member(&t.input)))
        .collect();
    let next: Vec<TokenStream> = p.tokens.iter().map(next_token).collect();
    let starts: Vec<TokenStream> = p
        .tokens
        .iter()
        .zip(&getters)
        .map(|(t, get)| {
            if is_copy(&t.ty) {
                quote!(*inner.#get())
            } else {
                quote!(inner.#get().clone())
            }
        })
        .collect();
    let (start, request, next_token) = match (starts.as_slice(), setters.as_slice()) {
        ([start], [set]) => (
            start.clone(),
            quote!(let input = inner.clone().#set(token).build();),
            quote!(#(#next)*),
        ),
        _ => {
            let parts: Vec<_> = (0..setters.len()).map(|i| format_ident!("t{i}")).collect();
            (
                quote!(Some((#(#starts,)*))),
                // A path call, so that the token's type can still be
                // inferred (from the setters) when the closure is checked.
                quote! {
                    let (#(#parts,)*) = Option::unwrap_or_default(token);
                    let input = inner.clone()#(.#setters(#parts))*.build();
                },
                quote!(Some((#(#next,)*))),
            )
        }
    };
    let more_results = p.more_results.as_ref().map(|path| {
        let flag = borrowed(path);
        quote!(.more_results(|output: &#output| #flag))
    });

    let (size_field, size_setter, set_size, size_init) = match &p.limit {
        Some(limit) => {
            let ty = value_type(&limit.size);
            let setter = ident(&naming::prefixed("set", &limit.field));
            let value = if limit.as_text {
                quote!(size.to_string())
            } else {
                quote!(size)
            };
            let doc = if limit.as_text {
                format!(
                    " The largest page to ask for (`{}`, sent as text).",
                    limit.name
                )
            } else {
                format!(" The largest page to ask for (`{}`).", limit.name)
            };
            (
                quote!(page_size: Option<#ty>,),
                quote! {
                    #[doc = #doc]
                    pub fn page_size(mut self, size: #ty) -> Self {
                        self.page_size = Some(size);
                        self
                    }
                },
                quote! {
                    if let Some(size) = self.page_size {
                        inner = inner.#setter(Some(#value));
                    }
                },
                quote!(page_size: None,),
            )
        }
        None => (quote!(), quote!(), quote!(), quote!()),
    };
    let inner = if p.limit.is_some() {
        quote!(let mut inner = self.inner;)
    } else {
        quote!(let inner = self.inner;)
    };

    let call = super::prepare::call(
        op,
        super::prepare::Call::Async,
        quote!(handle),
        quote!(input),
    );
    let several = p.items.len() > 1;
    let items = p.items.iter().map(|items| {
        let method = ident(&items.method);
        let value = owned(&items.path);
        let (item, take, what) = match items.kind {
            ItemsKind::List => (
                element_type(&items.path.ty),
                quote!(#value.unwrap_or_default()),
                "The items",
            ),
            ItemsKind::Map => {
                let (key, value_ty) = match &items.path.ty {
                    Type::Map { key, .. } => (value_type(key), element_type(&items.path.ty)),
                    other => (value_type(other), value_type(other)),
                };
                (
                    quote!((#key, #value_ty)),
                    quote!(#value.unwrap_or_default().into_iter().collect()),
                    "The entries (in no particular order within a page)",
                )
            }
            ItemsKind::Value => (
                value_type(&items.path.ty),
                quote!(#value.into_iter().collect()),
                "The value",
            ),
        };
        let mut doc = format!(
            " {what} of `{}` in every page, one at a time, as an async stream.",
            items.path.text
        );
        if several {
            doc.push_str(
                " Each stream of items fetches the pages itself: to take several kinds of items \
                 from the same pages, read them from the pages of [`send`](Self::send).",
            );
        }
        quote! {
            #[doc = #doc]
            pub fn #method(self) -> #rt::paginator::ItemStream<#item, #output, #error #token_param> {
                #rt::paginator::ItemStream::new(self.send(), |output: #output| #take)
            }
        }
    });

    let type_doc = type_doc(op, p, &builder.to_string());
    quote! {
        #alias

        impl #builder {
            /// Pages through the results instead of sending one request:
            /// each page's next-page token asks for the next.
            pub fn into_paginator(self) -> #name {
                #name {
                    handle: self.handle,
                    inner: self.inner,
                    #size_init
                }
            }
        }

        #[doc = #type_doc]
        #[derive(Debug, Clone)]
        pub struct #name {
            handle: #rt::Handle,
            inner: #input_builder,
            #size_field
        }

        impl #name {
            #size_setter

            /// The pages, one at a time, as an async stream; a repeated
            /// next-page token ends it with an error.
            pub fn send(self) -> #rt::paginator::PageStream<#output, #error #token_param> {
                let handle = self.handle;
                #inner
                #set_size
                let start = #start;
                #rt::paginator::PageStream::new(
                    #op_name,
                    move |token| {
                        let handle = handle.clone();
                        #request
                        Box::pin(async move { #call.await })
                    },
                    |output: &#output| #next_token,
                )
                #more_results
                .starting_at(start)
            }

            #(#items)*
        }
    }
}

/// The paginator's doc line: what it follows and until when.
fn type_doc(op: &Operation, p: &Paginator, builder: &str) -> String {
    let places: Vec<String> = p
        .tokens
        .iter()
        .map(|t| {
            let places: Vec<String> = t.output.iter().map(|o| format!("`{}`", o.text)).collect();
            places.join(" or ")
        })
        .collect();
    let mut doc = format!(
        " The pages of `{}`, following {}",
        op.name,
        join_words(&places)
    );
    if let Some(more) = &p.more_results {
        doc.push_str(&format!(" while `{}` is true", more.text));
    }
    doc.push_str(&format!("; made by [`{builder}::into_paginator`]."));
    if !p.non_aggregate_keys.is_empty() {
        let keys: Vec<String> = p
            .non_aggregate_keys
            .iter()
            .map(|k| format!("`{k}`"))
            .collect();
        doc.push_str(&format!(
            "\n\n {} {} the same on every page: read {} from any page.",
            join_words(&keys),
            if keys.len() == 1 { "is" } else { "are" },
            if keys.len() == 1 { "it" } else { "them" },
        ));
    }
    doc
}

/// `a`, `a and b`, `a, b and c`.
fn join_words(words: &[String]) -> String {
    match words {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The next value of one token, owned, from `output: &Output`: the first
/// of its places that holds one.
fn next_token(token: &PageToken) -> TokenStream {
    let rt = rt();
    match token.output.as_slice() {
        [one] => match one.steps.as_slice() {
            [PathStep::Member {
                field,
                boxed: false,
            }] => {
                let f = ident(field);
                if is_copy(&token.ty) {
                    quote!(output.#f)
                } else {
                    quote!(output.#f.clone())
                }
            }
            _ => {
                let place = borrowed(one);
                quote!(#place.cloned())
            }
        },
        several => {
            let places = several.iter().map(borrowed);
            quote!(#rt::paginator::first_present([#(#places),*]))
        }
    }
}

/// `Option<&T>` of the value at `path` in `output: &Output`.
fn borrowed(path: &OutputPath) -> TokenStream {
    let mut expr: Option<TokenStream> = None;
    for step in &path.steps {
        expr = Some(match step {
            PathStep::Member { field, boxed } => {
                let f = ident(field);
                let get = if *boxed {
                    quote!(as_deref)
                } else {
                    quote!(as_ref)
                };
                match expr {
                    None => quote!(output.#f.#get()),
                    Some(e) => quote!(#e.and_then(|v| v.#f.#get())),
                }
            }
            PathStep::Index { index, sparse } => {
                let element = match *index {
                    -1 => quote!(v.last()),
                    i if i < 0 => {
                        let back = Literal::u64_unsuffixed(i.unsigned_abs() - 1);
                        quote!(v.iter().nth_back(#back))
                    }
                    i => {
                        let i = Literal::u64_unsuffixed(i.unsigned_abs());
                        quote!(v.get(#i))
                    }
                };
                let e = expr.unwrap_or_else(|| quote!(Some(output)));
                let e = quote!(#e.and_then(|v| #element));
                if *sparse {
                    quote!(#e.and_then(Option::as_ref))
                } else {
                    e
                }
            }
        });
    }
    expr.unwrap_or_else(|| quote!(Some(output)))
}

/// `Option<T>` of the value at `path`, moved out of `output: Output`.
fn owned(path: &OutputPath) -> TokenStream {
    let mut expr: Option<TokenStream> = None;
    for step in &path.steps {
        expr = Some(match step {
            PathStep::Member { field, boxed } => {
                let f = ident(field);
                let e = match expr {
                    None => quote!(output.#f),
                    Some(e) => quote!(#e.and_then(|v| v.#f)),
                };
                if *boxed {
                    quote!(#e.map(|v| *v))
                } else {
                    e
                }
            }
            PathStep::Index { index, sparse } => {
                let element = match *index {
                    -1 => quote!(v.into_iter().next_back()),
                    i if i < 0 => {
                        let back = Literal::u64_unsuffixed(i.unsigned_abs() - 1);
                        quote!(v.into_iter().nth_back(#back))
                    }
                    i => {
                        let i = Literal::u64_unsuffixed(i.unsigned_abs());
                        quote!(v.into_iter().nth(#i))
                    }
                };
                let e = expr.unwrap_or_else(|| quote!(Some(output)));
                let e = quote!(#e.and_then(|v| #element));
                if *sparse {
                    quote!(#e.flatten())
                } else {
                    e
                }
            }
        });
    }
    expr.unwrap_or_else(|| quote!(Some(output)))
}
