//! The client and its fluent builders: `client.get_proxy_session()
//! .voice_connector_id(..).send().await`. Thin: every call goes through the
//! runtime's `Handle`, by way of `hooks::prepare` for an operation whose
//! service has rules on its values.

use super::prepare::{self, Call};
use super::structure::{member_doc, setter_doc, setter_shape};
use super::tokens::{deprecated, doc, field, prefixed, rt, stored_type};
use crate::ir::{Crate, Http2, Operation};
use crate::naming::{self, ident};
use proc_macro2::TokenStream;
use quote::quote;

/// `operation/<name>/fluent.rs`.
pub fn fluent_builder_file(op: &Operation) -> TokenStream {
    let rt = rt();
    let name = ident(&naming::fluent_builder(&op.name));
    let operation = ident(&op.type_name);
    let input_builder = ident(&naming::builder(&op.input.type_name));
    let output = ident(&op.output.type_name);
    let error = ident(&op.error_type);
    let op_name = &op.name;
    let method = op.module.trim_start_matches("r#");
    let type_doc = doc(&format!(
        "Sends a `{op_name}` request; made by [`Client::{method}`](crate::Client::{method}). Set the input \
         members, then call [`send`](Self::send)."
    ));
    let setters = setters(op);
    let paginator = op
        .paginator
        .as_ref()
        .map(|p| super::paginator::paginator(op, p));
    // Through the operation's prepared call when its service has rules on
    // its values, else through the handle.
    let via = |how| prepare::call(op, how, quote!(self.handle), quote!(self.inner.build()));
    let (call, presign) = (via(Call::Async), via(Call::Presign));
    let (call_blocking, presign_blocking) = (via(Call::Blocking), via(Call::PresignBlocking));
    let prepare = prepare::prepare_impl(op);
    // A streaming input can be neither cloned nor compared.
    let derives = if op.input.streaming {
        quote!(Debug)
    } else {
        quote!(Debug, Clone)
    };
    quote! {
        #![allow(deprecated)]
        use super::{#operation, #input_builder, #output, #error};

        #type_doc
        #[derive(#derives)]
        pub struct #name<S = #rt::blocking::Async> {
            handle: #rt::Handle,
            inner: #input_builder,
            mode: std::marker::PhantomData<S>,
        }

        impl #name {
            /// Sends the request: signs it, retries what can be retried, and
            /// returns the output or the error.
            pub async fn send(self) -> Result<#output, #rt::SdkError<#error>> {
                #call.await
            }

            /// The request, signed in its URL instead of sent: any HTTP
            /// client may send it, without credentials, until it expires.
            pub async fn presigned(
                self,
                presigning: #rt::PresigningConfig,
            ) -> Result<#rt::PresignedRequest, #rt::SdkError<#error>> {
                #presign.await
            }
        }

        #[cfg(feature = "blocking")]
        impl #name<#rt::blocking::Blocking> {
            /// Sends the request and waits for the output or the error:
            /// signs it, retries what can be retried. Refused inside an
            /// async runtime.
            // The same `Result` as the async `send()`'s, where clippy
            // does not ask for a boxed error.
            #[allow(clippy::result_large_err)]
            pub fn send(self) -> Result<#output, #rt::SdkError<#error>> {
                #call_blocking
            }

            /// The request, signed in its URL instead of sent: any HTTP
            /// client may send it, without credentials, until it expires.
            #[allow(clippy::result_large_err)]
            pub fn presigned(
                self,
                presigning: #rt::PresigningConfig,
            ) -> Result<#rt::PresignedRequest, #rt::SdkError<#error>> {
                #presign_blocking
            }
        }

        impl<S> #name<S> {
            /// A builder in either mode: the client's method names it.
            pub(crate) fn new(handle: #rt::Handle) -> Self {
                #name { handle, inner: #input_builder::default(), mode: std::marker::PhantomData }
            }

            /// The input as set so far.
            pub fn as_input(&self) -> &#input_builder {
                &self.inner
            }

            #(#setters)*
        }

        #paginator
        #prepare
    }
}

/// The input setters and getters of an operation's fluent builder, which
/// its waiters' builders have too: each type holds the input builder as
/// `inner`.
pub fn setters(op: &Operation) -> Vec<TokenStream> {
    op.input
        .members
        .iter()
        .map(|m| {
            let f = field(m);
            let set = prefixed("set", m);
            let get = prefixed("get", m);
            let stored = stored_type(m);
            let dep = deprecated(&m.deprecated);
            let docs = doc(&member_doc(m, &op.input));
            let shape = setter_shape(m);
            let setter_docs = setter_doc(m, &op.input, &shape);
            let (params, args) = (&shape.params, &shape.args);
            let operator = super::structure::operator_allow(m);
            quote! {
                #setter_docs
                #dep
                #operator
                pub fn #f(mut self, #params) -> Self {
                    self.inner = self.inner.#f(#args);
                    self
                }
                #docs
                #dep
                pub fn #set(mut self, input: Option<#stored>) -> Self {
                    self.inner = self.inner.#set(input);
                    self
                }
                #docs
                #dep
                pub fn #get(&self) -> &Option<#stored> {
                    self.inner.#get()
                }
            }
        })
        .collect()
}

/// `client.rs`.
pub fn client_file(
    krate: &Crate,
    crate_ident: &str,
    has_rules: bool,
    account_id_endpoints: bool,
    uses_config: bool,
) -> TokenStream {
    let rt = rt();
    let title = &krate.service.title;
    // A crate below the configuration crate has no `from_env()`: its
    // caller (a credentials provider) configures it explicitly.
    let config = if uses_config {
        format!("let config = {crate_ident}::from_env()?.build();")
    } else {
        format!("let config = {crate_ident}::Config::builder().region(\"us-east-1\").build();")
    };
    let type_doc = doc(&format!(
        "A client for {title}.\n\nOne per process is enough: clones share connections, configuration and the \
         retry quota.\n\n```no_run\n# fn example() -> Result<(), Box<dyn std::error::Error>> {{\n\
         {config}\n\
         let client = {crate_ident}::Client::new(config);\n# Ok(())\n# }}\n```"
    ));
    // A method per operation, returning its fluent builder of `mode`
    // (`None`: the async default).
    let methods_of = |mode: Option<TokenStream>| {
        krate
            .operations
            .iter()
            .map(|op| {
                let method = ident(&op.module);
                let builder = ident(&naming::fluent_builder(&op.name));
                let module = ident(&op.module);
                let fallback = format!("Calls `{}`.", op.name);
                let docs = super::tokens::doc_or(&op.docs, &fallback);
                let dep = deprecated(&op.deprecated);
                let cfg = super::features::cfg_operation(op);
                let generics = mode.as_ref().map(|mode| quote!(<#mode>));
                quote! {
                    #docs
                    #dep
                    #cfg
                    pub fn #method(&self) -> crate::operation::#module::#builder #generics {
                        crate::operation::#module::#builder::new(self.handle.clone())
                    }
                }
            })
            .collect::<Vec<_>>()
    };
    let methods = methods_of(None);
    let waiters = krate
        .waiters
        .iter()
        .map(|w| super::waiter::client_method(krate, w));
    let blocking_methods = methods_of(Some(quote!(#rt::blocking::Blocking)));
    let resolver = if has_rules {
        quote!(Some(crate::endpoint::resolve_builtins))
    } else {
        quote!(None)
    };
    let http2 = match krate.service.http2 {
        Http2::Required => quote!(Required),
        Http2::Optional => quote!(Optional),
        Http2::Http1Only => quote!(Http1Only),
    };
    let hooks = match &krate.service.runtime_hooks {
        Some(name) => {
            let name = ident(name);
            quote!(Some(&#rt::hooks::#name))
        }
        None => quote!(None),
    };
    quote! {
        //! The service client.

        /// What the runtime needs to know about this service.
        const SERVICE: #rt::ServiceInfo = #rt::ServiceInfo {
            service_id: crate::SERVICE_ID,
            signing_name: crate::SIGNING_NAME,
            endpoint_prefix: crate::ENDPOINT_PREFIX,
            crate_version: env!("CARGO_PKG_VERSION"),
            resolve_endpoint: #resolver,
            account_id_endpoints: #account_id_endpoints,
            http2: #rt::Http2Policy::#http2,
            hooks: #hooks,
        };

        #type_doc
        #[derive(Debug, Clone)]
        pub struct Client {
            handle: #rt::Handle,
        }

        impl Client {
            /// A client with this configuration.
            pub fn new(config: #rt::Config) -> Self {
                Client { handle: #rt::Handle::new(config, SERVICE) }
            }

            /// The configuration the client was made with.
            pub fn config(&self) -> &#rt::Config {
                self.handle.config()
            }

            #(#methods)*
            #(#waiters)*
        }

        /// The client for programs without an async runtime.
        #[cfg(feature = "blocking")]
        pub mod blocking {
            /// A client whose `send()` blocks until the output or the error
            /// is there. It owns its runtime (one worker thread, started
            /// by the first call) and can be called from several threads at
            /// once; clones share it. Called inside an async runtime, whose
            /// thread it would stall, `send()` refuses with an error.
            /// Paginators are the async client's.
            #[derive(Debug, Clone)]
            pub struct Client {
                handle: #rt::Handle,
            }

            impl Client {
                /// A client with this configuration.
                pub fn new(config: #rt::Config) -> Self {
                    Client { handle: #rt::Handle::new(config, super::SERVICE) }
                }

                /// The configuration the client was made with.
                pub fn config(&self) -> &#rt::Config {
                    self.handle.config()
                }

                #(#blocking_methods)*
            }
        }
    }
}
