//! Waiters: `src/waiters/`, one file per waiter with its builder and its
//! acceptors compiled to a `classify` function, and the client's
//! `wait_until_*` methods. Thin: the runtime's `waiter::wait` loops,
//! sleeps and times out; the generated code only says what each answer
//! means.

use super::features::{cfg_operation, cfg_operation_private};
use super::fluent::setters;
use super::tokens::{doc, rt};
use crate::ir::{
    CmpOp, Cond, Crate, Length, Literal, Matcher, Node, Operand, Operation, State, Waiter,
};
use crate::naming::{self, ident};
use proc_macro2::{Literal as Lit, TokenStream};
use quote::quote;

fn operation<'a>(krate: &'a Crate, waiter: &Waiter) -> &'a Operation {
    krate
        .operations
        .iter()
        .find(|op| op.name == waiter.operation)
        .expect("the IR attaches waiters to operations of the crate")
}

/// `src/waiters/mod.rs`.
pub fn waiters_mod(krate: &Crate) -> TokenStream {
    let rt = rt();
    let items = krate.waiters.iter().map(|w| {
        let op = operation(krate, w);
        let (private, public) = (cfg_operation_private(op), cfg_operation(op));
        let module = ident(&w.module);
        let type_name = ident(&w.type_name);
        quote! {
            #private
            mod #module;
            #public
            pub use #module::#type_name;
        }
    });
    quote! {
        //! Waiters: call an operation until the resource reaches a state
        //! (`client.wait_until_*()...wait(max_wait).await`), as the
        //! service's `waiters-2.json` describes them.

        #(#items)*

        pub use #rt::waiter::{FinalPoll, WaiterError};
    }
}

/// The client's method for `waiter`.
pub fn client_method(krate: &Crate, waiter: &Waiter) -> TokenStream {
    let op = operation(krate, waiter);
    let cfg = cfg_operation(op);
    let method = ident(&waiter.method);
    let type_name = ident(&waiter.type_name);
    let mut text = format!(
        "The `{}` waiter: calls `{}` until its acceptors decide; set the input, then call \
         [`wait`](crate::waiters::{}::wait).",
        waiter.name, op.name, waiter.type_name
    );
    if let Some(description) = &waiter.description {
        text.push_str("\n\n");
        text.push_str(description);
    }
    let docs = doc(&text);
    quote! {
        #docs
        #cfg
        pub fn #method(&self) -> crate::waiters::#type_name {
            crate::waiters::#type_name::new(self.handle.clone())
        }
    }
}

/// `src/waiters/<name>.rs`.
pub fn waiter_file(krate: &Crate, waiter: &Waiter) -> TokenStream {
    let rt = rt();
    let op = operation(krate, waiter);
    let module = ident(&op.module);
    let operation_type = ident(&op.type_name);
    let input_builder = ident(&naming::builder(&op.input.type_name));
    let output = ident(&op.output.type_name);
    let error = ident(&op.error_type);
    let type_name = ident(&waiter.type_name);
    let name = &waiter.name;
    let delay = Lit::u64_unsuffixed(waiter.delay);
    let setters = setters(op);
    let module_doc = format!(" The `{name}` waiter, which calls `{}`.", op.name);
    let type_doc = doc(&type_doc(op, waiter));
    let classify = classify(waiter, &output, &error);
    let call = super::prepare::call(
        op,
        super::prepare::Call::WithStatus,
        quote!(handle),
        quote!(inner.clone().build()),
    );
    quote! {
        #![doc = #module_doc]
        #![allow(deprecated)]

        use crate::operation::#module::{#operation_type, #input_builder, #output, #error};

        /// The waiter, as the runtime's loop runs it.
        const WAITER: #rt::waiter::Waiter = #rt::waiter::Waiter {
            name: #name,
            delays: #rt::waiter::Delays::new(std::time::Duration::from_secs(#delay)),
        };

        #type_doc
        #[derive(Debug, Clone)]
        pub struct #type_name {
            handle: #rt::Handle,
            inner: #input_builder,
        }

        impl #type_name {
            pub(crate) fn new(handle: #rt::Handle) -> Self {
                #type_name { handle, inner: #input_builder::default() }
            }

            /// The input as set so far.
            pub fn as_input(&self) -> &#input_builder {
                &self.inner
            }

            #(#setters)*

            /// Calls the operation until an acceptor decides or `max_wait`
            /// has passed, sleeping between attempts. Returns the answer
            /// that succeeded, or why the wait failed: a failure acceptor
            /// matched, time ran out, or a call failed.
            pub async fn wait(
                self,
                max_wait: std::time::Duration,
            ) -> Result<#rt::waiter::FinalPoll<#output, #error>, #rt::waiter::WaiterError<#output, #error>> {
                let handle = &self.handle;
                let inner = &self.inner;
                #rt::waiter::wait(
                    handle.config(),
                    WAITER,
                    max_wait,
                    || #call,
                    classify,
                )
                .await
            }
        }

        #classify
    }
}

/// The builder's docs: what it waits for, and its acceptors in order.
fn type_doc(op: &Operation, waiter: &Waiter) -> String {
    let mut text = match &waiter.description {
        Some(d) => format!("{d}\n\n"),
        None => String::new(),
    };
    text.push_str(&format!(
        "Calls `{}` until one of these acceptors, the first that matches, decides:\n",
        op.name
    ));
    for a in &waiter.acceptors {
        let state = match a.state {
            State::Success => "success",
            State::Failure => "failure",
            State::Retry => "retry",
        };
        text.push_str(&format!("\n- `{}`: {state}", a.description));
    }
    text.push_str(&format!(
        "\n\nAn answer no acceptor matches is asked again when it is an output, and ends the wait \
         when it is an error. Attempts are at least {} s apart, backing off to 120 s with jitter; \
         botocore gives up after {} attempts ({} s).",
        waiter.delay,
        waiter.max_attempts,
        waiter.delay.saturating_mul(waiter.max_attempts)
    ));
    text
}

/// `classify`: the acceptors in order, each an `if` that returns its state.
fn classify(
    waiter: &Waiter,
    output: &proc_macro2::Ident,
    error: &proc_macro2::Ident,
) -> TokenStream {
    let rt = rt();
    let uses_status = waiter
        .acceptors
        .iter()
        .any(|a| matches!(a.matcher, Matcher::Status(_)));
    let uses_result = waiter
        .acceptors
        .iter()
        .any(|a| !matches!(a.matcher, Matcher::Status(_)));
    let status = if uses_status {
        quote!(status)
    } else {
        quote!(_status)
    };
    let result = if uses_result {
        quote!(result)
    } else {
        quote!(_result)
    };
    let tests = waiter.acceptors.iter().map(|a| {
        let test = matcher(&a.matcher);
        let verdict = match a.state {
            State::Success => quote!(Verdict::Success),
            State::Retry => quote!(Verdict::Retry),
            State::Failure => {
                let description = &a.description;
                quote!(Verdict::Failure(#description))
            }
        };
        quote! {
            if #test {
                return #verdict;
            }
        }
    });
    quote! {
        /// What the acceptors make of one answer.
        fn classify(
            #result: Result<&#output, &#rt::SdkError<#error>>,
            #status: Option<u16>,
        ) -> #rt::waiter::Verdict {
            use #rt::waiter::Verdict;
            #(#tests)*
            Verdict::NoMatch
        }
    }
}

fn matcher(m: &Matcher) -> TokenStream {
    let rt = rt();
    match m {
        Matcher::Path(c) => {
            let c = cond(c);
            quote!(result.is_ok_and(|output| #c))
        }
        Matcher::PathAll { items, test } | Matcher::PathAny { items, test } => {
            let items = node(items);
            let test = cond(test);
            let check = if matches!(m, Matcher::PathAll { .. }) {
                quote!(!items.is_empty() && items.into_iter().all(|item| #test))
            } else {
                quote!(items.into_iter().any(|item| #test))
            };
            quote! {
                result.is_ok_and(|output| {
                    let items: Vec<_> = #items.collect();
                    #check
                })
            }
        }
        Matcher::ErrorCode(code) => quote! {
            result.is_err_and(|e| {
                e.as_service_error()
                    .is_some_and(|e| #rt::error::ProvideErrorMetadata::code(e) == Some(#code))
            })
        },
        Matcher::AnyError => quote!(result.is_err_and(|e| e.as_service_error().is_some())),
        Matcher::NoError => quote!(result.is_ok()),
        Matcher::Status(code) => {
            let code = Lit::u16_unsuffixed(*code);
            quote!(status == Some(#code))
        }
    }
}

/// A condition, without parentheses around the whole; those inside are
/// where Rust's precedence needs them, or for reading (`&&` in `||`).
fn cond(c: &Cond) -> TokenStream {
    match c {
        Cond::Compare(op, left, right) => {
            let (l, r) = (operand(left), operand(right));
            match op {
                CmpOp::Eq => quote!(#l == #r),
                CmpOp::Ne => quote!(#l != #r),
                ordering => {
                    let symbol: TokenStream = match ordering {
                        CmpOp::Lt => quote!(<),
                        CmpOp::Le => quote!(<=),
                        CmpOp::Gt => quote!(>),
                        _ => quote!(>=),
                    };
                    quote!(#l.zip(#r).is_some_and(|(l, r)| l #symbol r))
                }
            }
        }
        Cond::And(a, b) => {
            let wrap = |c: &Cond| match c {
                Cond::Or(..) => {
                    let c = cond(c);
                    quote!((#c))
                }
                other => cond(other),
            };
            let (a, b) = (wrap(a), wrap(b));
            quote!(#a && #b)
        }
        Cond::Or(a, b) => {
            let wrap = |c: &Cond| match c {
                Cond::And(..) => {
                    let c = cond(c);
                    quote!((#c))
                }
                other => cond(other),
            };
            let (a, b) = (wrap(a), wrap(b));
            quote!(#a || #b)
        }
        Cond::Not(a) => {
            let inner = cond(a);
            match &**a {
                Cond::Compare(CmpOp::Eq | CmpOp::Ne, ..) | Cond::And(..) | Cond::Or(..) => {
                    quote!(!(#inner))
                }
                _ => quote!(!#inner),
            }
        }
    }
}

fn operand(o: &Operand) -> TokenStream {
    match o {
        // The element a test looks at is there: `Some` of it.
        Operand::Text {
            node: Node::Item, ..
        } => quote!(Some(item.as_str())),
        Operand::Number {
            node: Node::Item,
            double,
        } => {
            if *double {
                quote!(Some(*item))
            } else {
                quote!(Some(*item as f64))
            }
        }
        Operand::Flag(Node::Item) => quote!(Some(*item)),
        Operand::Text {
            node: n,
            enum_value: false,
        } => match n {
            // `&String` to `&str` in one step.
            Node::Member {
                boxed: false,
                many: false,
                ..
            } => member(n, quote!(as_deref)),
            other => {
                let n = node(other);
                quote!(#n.map(|v| v.as_str()))
            }
        },
        Operand::Text { node: n, .. } => {
            let n = node(n);
            quote!(#n.map(|v| v.as_str()))
        }
        Operand::Number { node: n, double } => {
            let n = node(n);
            if *double {
                quote!(#n.copied())
            } else {
                quote!(#n.map(|v| *v as f64))
            }
        }
        Operand::Flag(n) => {
            let n = node(n);
            quote!(#n.copied())
        }
        Operand::Length(Length::Collection(n)) => {
            let n = node(n);
            quote!(#n.map(|v| v.len() as f64))
        }
        Operand::Length(Length::Text(n)) => {
            let n = node(n);
            quote!(#n.map(|v| v.chars().count() as f64))
        }
        Operand::Length(Length::TextOf(o)) => {
            let o = operand(o);
            quote!(#o.map(|v| v.chars().count() as f64))
        }
        Operand::Length(Length::Items(n)) => {
            let n = node(n);
            quote!(Some(#n.count() as f64))
        }
        Operand::FirstText(a, b) => {
            let (a, b) = (operand(a), operand(b));
            quote!(#a.filter(|v| !v.is_empty()).or(#b))
        }
        Operand::Literal(Literal::Text(s)) => quote!(Some(#s)),
        Operand::Literal(Literal::Number(n)) => {
            let n = Lit::f64_unsuffixed(*n);
            quote!(Some(#n))
        }
        Operand::Literal(Literal::Flag(b)) => quote!(Some(#b)),
    }
}

/// `Option<&T>` for one value, an iterator of `&T` for many.
fn node(n: &Node) -> TokenStream {
    match n {
        Node::Root => quote!(Some(output)),
        Node::Item => quote!(Some(item)),
        Node::Member { boxed, .. } => {
            let get = if *boxed {
                quote!(as_deref)
            } else {
                quote!(as_ref)
            };
            member(n, get)
        }
        Node::Flatten {
            of,
            of_many,
            sparse,
        } => {
            let of = node(of);
            let elements = if *of_many {
                quote!(#of.flatten())
            } else {
                quote!(#of.into_iter().flatten())
            };
            if *sparse {
                quote!(#elements.flatten())
            } else {
                elements
            }
        }
        Node::Values {
            of,
            of_many,
            sparse,
        } => {
            let of = node(of);
            let values = if *of_many {
                quote!(#of.flat_map(|m| m.values()))
            } else {
                quote!(#of.into_iter().flat_map(|m| m.values()))
            };
            if *sparse {
                quote!(#values.flatten())
            } else {
                values
            }
        }
        Node::Filter {
            of,
            sparse,
            cond: c,
        } => {
            let of = node(of);
            let c = cond(c);
            let elements = if *sparse {
                quote!(#of.into_iter().flatten().flatten())
            } else {
                quote!(#of.into_iter().flatten())
            };
            quote!(#elements.filter(|&item| #c))
        }
    }
}

/// A member of one value (`as_ref`, or `as_deref` for a box or for a
/// string read as `&str`), or of each of many.
fn member(n: &Node, get: TokenStream) -> TokenStream {
    let Node::Member {
        of, field, many, ..
    } = n
    else {
        return node(n);
    };
    let f = ident(field);
    match (&**of, many) {
        (Node::Root, false) => quote!(output.#f.#get()),
        (Node::Item, false) => quote!(item.#f.#get()),
        (of, false) => {
            let of = node(of);
            quote!(#of.and_then(|v| v.#f.#get()))
        }
        (of, true) => {
            let of = node(of);
            quote!(#of.filter_map(|v| v.#f.#get()))
        }
    }
}
