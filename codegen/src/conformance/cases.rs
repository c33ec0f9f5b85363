//! The cases crate: each input case as a call on the generated client, each
//! output case as the generated deserializer's answer beside the value the
//! suite expects, built with the crate's builders. Comparing them is the
//! test harness's job (`tests/tests/protocol_suites.rs`).

use super::literal::Literals;
use super::Suite;
use crate::emit::{format_files, Files};
use crate::error::Error;
use crate::ir::{Crate, Operation};
use crate::naming::ident;
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::{BTreeMap, BTreeSet};

/// Names and places of the two crates.
#[derive(Debug, Clone)]
pub struct CasesOptions {
    /// The cases crate's package name, `protocol-tests-rest-json-cases`.
    pub crate_name: String,
    /// The service crate's package name, `protocol-tests-rest-json`.
    pub service_crate: String,
    /// The service crate's directory, relative to the cases crate's.
    pub service_path: String,
    /// The runtime's directory, relative to the cases crate's.
    pub runtime_path: String,
    /// What the header of every file names as its source.
    pub source: String,
}

/// The files of the cases crate for `krate`, the crate generated from the
/// suites' merged model.
pub fn cases_crate(
    krate: &Crate,
    inputs: &[Suite],
    outputs: &[Suite],
    refused: &BTreeMap<String, String>,
    options: &CasesOptions,
) -> Result<Files, Error> {
    let root = ident(&options.service_crate.replace('-', "_"));
    let literals = Literals {
        krate,
        root: quote!(service),
    };
    let mut skipped = Vec::new();
    let mut skip = |case: &super::Case| match refused.get(case.operation()) {
        Some(why) => {
            let id = &case.id;
            skipped.push(quote!((#id, #why),));
            true
        }
        None => false,
    };
    let mut ids = BTreeSet::new();
    let mut input_arms = Vec::new();
    for case in inputs.iter().flat_map(|s| &s.cases) {
        if !ids.insert(case.id.clone()) {
            return Err(Error::Invalid(format!("two cases are named `{}`", case.id)));
        }
        if skip(case) {
            continue;
        }
        let op = operation(krate, case.operation())?;
        let method = ident(&op.module);
        let params = case.params.clone().unwrap_or_default();
        let id = &case.id;
        // A case whose values the crate's types cannot hold still gets an
        // arm, which says why: the harness fails it unless it is listed as
        // skipped, with a reason.
        input_arms.push(match literals.setters(&op.input, &params) {
            Ok(setters) => quote! {
                #id => {
                    let _ = client.#method() #(#setters)* .send().await;
                }
            },
            Err(e) => {
                let why = format!("the input cannot be built: {e}");
                quote!(#id => return Err(#why),)
            }
        });
    }
    // Input and output suites name their cases apart.
    ids.clear();
    let mut output_arms = Vec::new();
    for case in outputs.iter().flat_map(|s| &s.cases) {
        if !ids.insert(case.id.clone()) {
            return Err(Error::Invalid(format!("two cases are named `{}`", case.id)));
        }
        if skip(case) {
            continue;
        }
        let op = operation(krate, case.operation())?;
        let arm = output_arm(&literals, op, case).unwrap_or_else(|e| {
            let why = format!("the expected result cannot be built: {e}");
            quote!(Parsed::Unexpected(#why.to_string()))
        });
        let id = &case.id;
        output_arms.push(quote!(#id => #arm,));
    }
    // rustfmt leaves `cases.rs` alone, so that `codegen --check` and
    // `cargo fmt` agree; `lib.rs` holds only what both print alike.
    let lib = quote! {
        //! botocore's protocol conformance cases for the generated crate of
        //! their merged model: each input case as a call on the client, each
        //! output case as what the crate parses beside what the suite expects.

        #[rustfmt::skip]
        mod cases;

        pub use cases::parse_output;
        pub use cases::send_input;
        pub use cases::Parsed;
        pub use cases::SKIPPED;
    };
    // A file with no output case (botocore ships one) has no arm to match.
    let parse_output = if output_arms.is_empty() {
        quote! {
            let _ = (id, response);
            None
        }
    } else {
        quote! {
            Some(match id {
                #(#output_arms)*
                _ => return None,
            })
        }
    };
    let cases = quote! {
        // The suites use deprecated members like any other.
        #![allow(deprecated)]

        use #root as service;
        use sdkgen_runtime::codegen::serde::Serialize;
        use sdkgen_runtime::error::ProvideErrorMetadata;
        use sdkgen_runtime::{HttpResponse, Operation, SdkError};
        use serde_json::Value;

        /// What an output case parsed into, and what its suite expects, in
        /// the service crate's `serde` form.
        #[derive(Debug)]
        pub enum Parsed {
            Output { actual: Value, expected: Value },
            Error {
                code: Option<String>,
                message: Option<String>,
                actual: Value,
                expected: Value,
            },
            /// Not the kind of result the case expects.
            Unexpected(String),
        }

        fn to_value<T: Serialize>(value: &T) -> Value {
            serde_json::to_value(value).unwrap_or_else(|e| Value::String(format!("not serializable: {e}")))
        }

        // A file may have no output case that succeeds, or none that fails.
        #[allow(dead_code)]
        fn output<O: Operation>(response: HttpResponse, expected: O::Output) -> Parsed
        where
            O::Output: Serialize,
            O::Error: std::fmt::Display,
        {
            match O::deserialize(response) {
                Ok(actual) => Parsed::Output {
                    actual: to_value(&actual),
                    expected: to_value(&expected),
                },
                Err(e) => Parsed::Unexpected(e.to_string()),
            }
        }

        /// An output whose stream is read as a program reads it: the
        /// initial response, then every event, in the member's place.
        #[allow(dead_code, clippy::type_complexity)]
        fn stream_output<O: Operation, T: Serialize>(
            response: HttpResponse,
            mut expected: O::Output,
            member: &str,
            take: fn(&mut O::Output) -> Option<sdkgen_runtime::EventReceiver<T, O::Error>>,
        ) -> Parsed
        where
            O::Output: Serialize,
            O::Error: std::fmt::Display,
        {
            // botocore's runner reads a stream's frames from base64
            // (`MockRawResponse`).
            let text = std::str::from_utf8(&response.body).unwrap_or_default();
            let Ok(frames) = sdkgen_runtime::blob::from_base64(text.trim()) else {
                return Parsed::Unexpected("the case's body is not base64".into());
            };
            let headers = response
                .headers()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            let response = HttpResponse::new(response.status, headers, frames);
            let mut actual = match O::deserialize(response) {
                Ok(actual) => actual,
                Err(e) => return Parsed::Unexpected(e.to_string()),
            };
            match now(O::read_initial_response(&mut actual)) {
                Some(Ok(())) => {}
                Some(Err(e)) => return Parsed::Unexpected(e.to_string()),
                None => return Parsed::Unexpected("the initial response waits".into()),
            }
            let with_events = |output: &mut O::Output| -> Result<Value, String> {
                let mut stream = take(output).unwrap_or_default();
                let mut events = Vec::new();
                loop {
                    match now(stream.recv()) {
                        Some(Ok(Some(event))) => events.push(to_value(&event)),
                        Some(Ok(None)) => break,
                        Some(Err(e)) => return Err(e.to_string()),
                        None => return Err("the stream waits".into()),
                    }
                }
                let mut value = to_value(&*output);
                if let Value::Object(members) = &mut value {
                    members.insert(member.to_string(), Value::Array(events));
                }
                Ok(value)
            };
            match (with_events(&mut actual), with_events(&mut expected)) {
                (Ok(actual), Ok(expected)) => Parsed::Output { actual, expected },
                (Err(e), _) | (_, Err(e)) => Parsed::Unexpected(e),
            }
        }

        /// A future over a body held in memory, which never waits: its
        /// value, or `None` if it would.
        #[allow(dead_code)]
        fn now<F: std::future::Future>(future: F) -> Option<F::Output> {
            let mut future = std::pin::pin!(future);
            let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
            match future.as_mut().poll(&mut cx) {
                std::task::Poll::Ready(value) => Some(value),
                std::task::Poll::Pending => None,
            }
        }

        #[allow(dead_code)]
        fn error<O: Operation>(response: HttpResponse, expected: Value, members: fn(&O::Error) -> Value) -> Parsed
        where
            O::Output: std::fmt::Debug,
            O::Error: std::fmt::Display,
        {
            match O::deserialize(response) {
                Err(SdkError::Service { source, .. }) => Parsed::Error {
                    code: source.code().map(str::to_owned),
                    message: source.message().map(str::to_owned),
                    actual: members(&source),
                    expected,
                },
                Err(e) => Parsed::Unexpected(e.to_string()),
                Ok(output) => Parsed::Unexpected(format!("an output: {output:?}")),
            }
        }

        /// Cases whose operation the generator refuses, with its reason:
        /// they are not here, and the harness reports them as skipped.
        pub const SKIPPED: &[(&str, &str)] = &[#(#skipped)*];

        /// Sends input case `id` with `client`; an error for an unknown id,
        /// or one whose input the crate's types cannot hold.
        pub async fn send_input(id: &str, client: &service::Client) -> Result<(), &'static str> {
            match id {
                #(#input_arms)*
                _ => return Err("the generated cases crate has no such case"),
            }
            Ok(())
        }

        /// What output case `id` parses `response` into; `None` for an
        /// unknown id.
        pub fn parse_output(id: &str, response: HttpResponse) -> Option<Parsed> {
            #parse_output
        }
    };
    let mut files = format_files(
        vec![
            ("src/lib.rs".to_string(), lib),
            ("src/cases.rs".to_string(), cases),
        ],
        &options.source,
    )?;
    let q = |s: &str| serde_json::to_string(s).expect("a string always serializes");
    files.insert(
        "Cargo.toml".into(),
        [
            format!("# Generated by `cargo xtask codegen` from {}.", options.source),
            "# Do not edit: changes are overwritten on the next generation.".to_string(),
            String::new(),
            "[package]".to_string(),
            format!("name = {}", q(&options.crate_name)),
            "version = \"0.0.0\"".to_string(),
            "edition = \"2021\"".to_string(),
            "description = \"botocore's protocol conformance cases, on the crate generated from their model.\"".to_string(),
            "license = \"Apache-2.0\"".to_string(),
            "publish = false".to_string(),
            String::new(),
            crate::emit::NO_UNIT_TESTS.to_string(),
            String::new(),
            "[dependencies]".to_string(),
            format!(
                "{} = {{ path = {}, features = [\"serde\"] }}",
                options.service_crate,
                q(&options.service_path)
            ),
            format!("sdkgen-runtime = {{ path = {} }}", q(&options.runtime_path)),
            "serde_json = \"1\"".to_string(),
        ]
        .join("\n")
            + "\n",
    );
    Ok(files)
}

fn operation<'k>(krate: &'k Crate, name: &str) -> Result<&'k Operation, Error> {
    krate
        .operations
        .iter()
        .find(|o| o.name == name)
        .ok_or_else(|| Error::Invalid(format!("no operation `{name}`")))
}

/// The arm of `parse_output` for one case.
fn output_arm(
    literals: &Literals,
    op: &Operation,
    case: &super::Case,
) -> Result<TokenStream, Error> {
    let module = ident(&op.module);
    let op_type = ident(&op.type_name);
    let op_path = quote!(service::operation::#module::#op_type);
    let Some(code) = &case.error_code else {
        let output = ident(&op.output.type_name);
        let values = case.result.clone().unwrap_or_default();
        let setters = literals.setters(&op.output, &values)?;
        let expected =
            quote!(service::operation::#module::#output::builder() #(#setters)* .build());
        let stream = op
            .output
            .members
            .iter()
            .find(|m| matches!(m.ty, crate::ir::Type::EventStream { .. }));
        if let Some(m) = stream {
            let (f, name) = (ident(&m.field), &m.name);
            return Ok(quote! {
                stream_output::<#op_path, _>(response, #expected, #name, |o| o.#f.take())
            });
        }
        return Ok(quote!(output::<#op_path>(response, #expected)));
    };
    let error_enum = ident(&op.error_type);
    let error_path = quote!(service::operation::#module::#error_enum);
    let values = case.error.clone().unwrap_or_default();
    let modeled = op.errors.iter().find(|e| &e.code == code);
    let (expected, members) = match modeled {
        Some(e) => {
            let shape = literals
                .krate
                .errors
                .iter()
                .find(|s| s.type_name == e.type_name)
                .ok_or_else(|| Error::Invalid(format!("no error shape for code `{code}`")))?;
            let assignments = literals.assignments(shape, &values)?;
            let ty = ident(&e.type_name);
            let variant = ident(&e.variant);
            // An error shape has no builder: its members are set in place.
            let mutable = (!assignments.is_empty()).then(|| quote!(mut));
            (
                quote! {{
                    let #mutable e = service::types::error::#ty::default();
                    #(#assignments)*
                    to_value(&e)
                }},
                quote! {
                    |e| match e {
                        #error_path::#variant(e) => to_value(e),
                        other => Value::String(format!("{other:?}")),
                    }
                },
            )
        }
        None => (quote!(Value::Null), quote!(|_| Value::Null)),
    };
    Ok(quote!(error::<#op_path>(response, #expected, #members)))
}
