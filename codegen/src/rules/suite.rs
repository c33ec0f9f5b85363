//! The crate that runs botocore's endpoint tests (`endpoint-tests-1.json`)
//! of many services at once: each rule set compiled into a module, as a
//! service crate holds it; a table of the services for the hand-written
//! harness (`sdkgen-endpoint-harness`), which reads the test files and
//! compares; and, for the services whose cases call operations
//! (`operationInputs`), each such call on a crate generated with those
//! operations, through its fluent builder, as a user writes it.
//!
//! A rule set the compiler refuses, or a call whose input cannot be built,
//! is not an error here: it becomes a failing case that says why, so that
//! one service never hides the others.

use super::model::{Partitions, RuleSet};
use crate::conformance::Literals;
use crate::emit::{format_files, Files};
use crate::error::Error;
use crate::ir::{Crate, HostPart, Operation};
use crate::naming::{self, ident};
use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// One service of the suite.
#[derive(Debug, Clone, Copy)]
pub struct SuiteService<'a> {
    /// botocore's directory name (`s3control`), which names its tests'.
    pub name: &'a str,
    /// `endpoint-rule-set-1.json`
    pub rules: &'a str,
    /// `endpoint-tests-1.json`
    pub tests: &'a str,
    /// `service-2.json`, for a service whose cases call operations.
    pub model: Option<&'a str>,
}

/// Where the suite's crates find what they depend on.
#[derive(Debug, Clone)]
pub struct SuiteOptions {
    /// The runtime's directory, as the crates' manifests name it.
    pub runtime_path: String,
    /// The harness crate's directory.
    pub harness_path: String,
    /// The directory of the test files (`<service>/endpoint-tests-1.json`),
    /// which the runner reads unless given another.
    pub data_dir: String,
    /// The calls crates' directory, as the suite crate's manifest names it
    /// (each is `CALLS_DIR/<service>`).
    pub calls_dir: String,
    /// Cases not run: (service, case documentation, why).
    pub skipped: Vec<(String, String, String)>,
    /// What the header of every file names as its source.
    pub source: String,
}

/// The generated crates.
#[derive(Debug, Default)]
pub struct Suite {
    /// The runner: `main.rs`, the resolvers, the calls.
    pub runner: Files,
    /// Per service whose cases call operations, its crate with those
    /// operations, by service name.
    pub calls: BTreeMap<String, Files>,
    /// The rule sets the compiler refused, with why.
    pub refused: Vec<(String, String)>,
}

/// The suite for `services`, with one partition table for all.
pub fn generate(
    services: &[SuiteService],
    partitions: &str,
    options: &SuiteOptions,
) -> Result<Suite, Error> {
    let table: Partitions = serde_json::from_str(partitions)
        .map_err(|e| Error::Model(format!("partitions.json: {e}")))?;
    let mut suite = Suite::default();
    let mut rust = vec![("src/partitions.rs".to_string(), super::partitions(&table)?)];
    let mut modules = BTreeSet::new();
    let mut entries = Vec::new();
    let mut rule_modules = Vec::new();
    let mut call_modules = Vec::new();
    let mut dependencies = Vec::new();
    // Every `builtIn` a rule set names, with its type.
    let mut built_ins: BTreeMap<String, String> = BTreeMap::new();
    for service in services {
        let module = naming::module(service.name);
        if !modules.insert(module.clone()) {
            return Err(Error::Invalid(format!(
                "two services make the module `{module}`"
            )));
        }
        let m = ident(&module);
        let name = service.name;
        let compiled = serde_json::from_str::<RuleSet>(service.rules)
            .map_err(|e| Error::Model(format!("endpoint-rule-set-1.json: {e}")))
            .and_then(|rules| {
                for param in rules.parameters.values() {
                    if let Some(name) = &param.built_in {
                        built_ins.insert(name.clone(), param.kind.to_ascii_lowercase());
                    }
                }
                // Its cases give every parameter by name: no configuration.
                super::compile::compile(&rules, &[])
            });
        let resolve = match compiled {
            Ok(resolver) => {
                rust.push((
                    format!("src/rules/{}.rs", module.trim_start_matches("r#")),
                    quote! {
                        //! The endpoint resolver, compiled from the service's endpoint rules.
                        #resolver

                        sdkgen_endpoint_harness::resolver!(pub fn resolve_named, self);
                    },
                ));
                rule_modules.push(quote!(pub mod #m;));
                quote!(Ok(rules::#m::resolve_named))
            }
            Err(e) => {
                let why = e.to_string();
                suite.refused.push((name.to_string(), why.clone()));
                quote!(Err(#why))
            }
        };
        let tests: Value = serde_json::from_str(service.tests)
            .map_err(|e| Error::Model(format!("{name}: endpoint-tests-1.json: {e}")))?;
        let calls = match (operations_called(&tests), service.model) {
            (ops, _) if ops.is_empty() => quote!(None),
            (_, None) => quote!(None),
            (ops, Some(model)) => {
                let krate_name = format!("endpoint-calls-{name}");
                let (files, krate) =
                    calls_crate(service, model, partitions, &ops, &krate_name, options)?;
                suite.calls.insert(name.to_string(), files);
                call_modules.push((module.clone(), calls_module(&krate, &krate_name, &tests)?));
                let q = |s: &str| serde_json::to_string(s).expect("a string always serializes");
                dependencies.push(format!(
                    "{krate_name} = {{ path = {} }}",
                    q(&format!("{}/{name}", options.calls_dir))
                ));
                quote!(Some(calls::#m::call))
            }
        };
        entries.push(quote! {
            Service {
                name: #name,
                resolve: #resolve,
                call: #calls,
            },
        });
    }
    rust.push((
        "src/rules/mod.rs".to_string(),
        quote! {
            //! Each service's endpoint rules, compiled.
            #(#rule_modules)*
        },
    ));
    let call_mods = call_modules.iter().map(|(module, _)| {
        let m = ident(module);
        quote!(pub mod #m;)
    });
    rust.push((
        "src/calls/mod.rs".to_string(),
        quote! {
            //! The operation calls of the services whose cases make some.
            #(#call_mods)*
        },
    ));
    for (module, tokens) in call_modules {
        rust.push((
            format!("src/calls/{}.rs", module.trim_start_matches("r#")),
            tokens,
        ));
    }
    let skipped = options
        .skipped
        .iter()
        .map(|(service, case, why)| quote!((#service, #case, #why),));
    let data_dir = &options.data_dir;
    let count = services.len();
    let built_ins = built_ins.iter().map(|(name, kind)| quote!((#name, #kind),));
    rust.push((
        "src/main.rs".to_string(),
        quote! {
            //! botocore's endpoint tests of every service here, against the
            //! resolvers compiled from their rule sets and the generated
            //! clients. `endpoint-suite [DIR]` reads the test files of
            //! `DIR` (by default, the project's).

            mod calls;
            mod partitions;
            // The resolvers as a client holds them, with what the runner
            // does not call (`from_builtins`, `resolve_builtins`).
            #[allow(dead_code)]
            mod rules;

            use sdkgen_endpoint_harness::{Service, Skip};
            use std::path::PathBuf;
            use std::process::ExitCode;

            /// Every service, by botocore's name.
            static SERVICES: [Service; #count] = [#(#entries)*];

            /// Cases not run, each with why.
            const SKIPPED: &[Skip] = &[#(#skipped)*];

            /// Every built-in the rule sets name, with its type.
            const BUILT_INS: &[(&str, &str)] = &[#(#built_ins)*];

            fn main() -> ExitCode {
                let dir = std::env::args_os()
                    .nth(1)
                    .map_or_else(|| PathBuf::from(#data_dir), PathBuf::from);
                let report = sdkgen_endpoint_harness::every_service(&dir, &SERVICES)
                    .and_then(|()| sdkgen_endpoint_harness::settable(BUILT_INS))
                    .and_then(|()| sdkgen_endpoint_harness::run(&dir, &SERVICES, SKIPPED));
                match report {
                    Ok(report) => {
                        report.print(SKIPPED);
                        if report.ok() {
                            ExitCode::SUCCESS
                        } else {
                            ExitCode::FAILURE
                        }
                    }
                    Err(why) => {
                        eprintln!("error: {why}");
                        ExitCode::FAILURE
                    }
                }
            }
        },
    ));
    suite.runner = format_files(rust, &options.source)?;
    let q = |s: &str| serde_json::to_string(s).expect("a string always serializes");
    let manifest = [
        format!(
            "# Generated by `cargo xtask coverage --endpoints` from {}.",
            options.source
        ),
        String::new(),
        "[package]".to_string(),
        "name = \"endpoint-suite\"".to_string(),
        "version = \"0.0.0\"".to_string(),
        "edition = \"2021\"".to_string(),
        "publish = false".to_string(),
        String::new(),
        "[dependencies]".to_string(),
        format!("sdkgen-runtime = {{ path = {} }}", q(&options.runtime_path)),
        format!(
            "sdkgen-endpoint-harness = {{ path = {} }}",
            q(&options.harness_path)
        ),
    ]
    .into_iter()
    .chain(dependencies)
    .collect::<Vec<_>>()
    .join("\n")
        + "\n";
    suite.runner.insert("Cargo.toml".into(), manifest);
    Ok(suite)
}

/// The operations a test file's cases call, once each.
fn operations_called(tests: &Value) -> Vec<String> {
    let names: BTreeSet<String> = cases(tests)
        .flat_map(|case| inputs(case).map(|(_, input)| input))
        .filter_map(|input| input["operationName"].as_str().map(str::to_string))
        .collect();
    names.into_iter().collect()
}

fn cases(tests: &Value) -> impl Iterator<Item = &Value> {
    tests["testCases"].as_array().into_iter().flatten()
}

fn inputs(case: &Value) -> impl Iterator<Item = (usize, &Value)> {
    case["operationInputs"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
}

/// The service crate with the operations the cases call, and its IR.
fn calls_crate(
    service: &SuiteService,
    model: &str,
    partitions: &str,
    operations: &[String],
    krate_name: &str,
    options: &SuiteOptions,
) -> Result<(Files, Crate), Error> {
    let inputs = crate::Inputs {
        service: model,
        endpoint_rules: Some(service.rules),
        partitions: Some(partitions),
        paginators: None,
        waiters: None,
    };
    let generate = crate::Options {
        crate_name: krate_name.to_string(),
        crate_version: "0.0.0".into(),
        model_path: format!("{}/service-2.json", service.name),
        runtime_path: options.runtime_path.clone(),
        config_path: None,
        protocol: None,
    };
    let files = crate::generate(&inputs, Some(operations), &generate)?;
    // As `generate` lowered it.
    let mut parsed =
        crate::model::Service::from_json(model).map_err(|e| Error::Model(e.to_string()))?;
    let customizations = crate::customize::apply(&mut parsed)?;
    let protocol = crate::emit::protocol::select(&parsed.metadata, None)?;
    let krate = crate::ir::lower(&parsed, Some(operations), protocol, customizations)?;
    Ok((files, krate))
}

/// `calls/<service>.rs`: `call(case, input, config)` for every
/// `operationInputs` entry of the test file, by index.
fn calls_module(krate: &Crate, krate_name: &str, tests: &Value) -> Result<TokenStream, Error> {
    let root = ident(&krate_name.replace('-', "_"));
    let literals = Literals {
        krate,
        root: quote!(service),
    };
    let mut arms = Vec::new();
    for (c, case) in cases(tests).enumerate() {
        for (i, input) in inputs(case) {
            let name = input["operationName"].as_str().unwrap_or_default();
            let op = krate
                .operations
                .iter()
                .find(|op| op.name == name)
                .ok_or_else(|| Error::Invalid(format!("no operation `{name}`")))?;
            let method = ident(&op.module);
            let empty = serde_json::Map::new();
            let params = input["operationParams"].as_object().unwrap_or(&empty);
            let host_prefix = match host_prefix(op, params) {
                Some(prefix) => quote!(Some(#prefix.to_string())),
                None => quote!(None),
            };
            arms.push(match literals.setters(&op.input, params) {
                Ok(setters) => quote! {
                    (#c, #i) => {
                        let error = client.#method() #(#setters)* .send().await.err().map(|e| chain(&e));
                        Ok(Outcome { operation: #name.to_string(), error, host_prefix: #host_prefix })
                    }
                },
                Err(e) => {
                    let why = format!("the input of {name} cannot be built: {e}");
                    quote!((#c, #i) => Err(#why.to_string()),)
                }
            });
        }
    }
    Ok(quote! {
        //! The operation calls of the service's endpoint cases, by case and
        //! input index in its test file.

        // The cases use deprecated members like any other.
        #![allow(deprecated)]

        use #root as service;
        use sdkgen_endpoint_harness::{chain, CallInput, Outcome};
        use sdkgen_runtime::Config;
        use std::future::Future;
        use std::pin::Pin;

        /// Makes the call of `which` (by its case and input index) with
        /// `config`.
        pub fn call(
            which: CallInput,
            config: Config,
        ) -> Pin<Box<dyn Future<Output = Result<Outcome, String>>>> {
            Box::pin(async move {
                let client = service::Client::new(config);
                match (which.case, which.input) {
                    #(#arms)*
                    (case, input) => Err(format!("no call was generated for input {input} of case {case}")),
                }
            })
        }
    })
}

/// The host prefix the operation's model puts before the endpoint's host
/// for these parameters (`{RequestRoute}.`), which the rules' URL leaves
/// out; `None` without one, or without a value for its label.
fn host_prefix(op: &Operation, params: &serde_json::Map<String, Value>) -> Option<String> {
    if op.host_prefix.is_empty() {
        return None;
    }
    let mut prefix = String::new();
    for part in &op.host_prefix {
        match part {
            HostPart::Literal(text) => prefix.push_str(text),
            HostPart::Label(member) => prefix.push_str(params.get(member)?.as_str()?),
        }
    }
    Some(prefix)
}
