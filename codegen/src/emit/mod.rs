//! Emitters: pure functions from the IR to the crate's files.
//!
//! Every Rust file is built as tokens (`quote!`), parsed as a `syn::File` and
//! printed by prettyplease, so the output always parses and is the same bytes
//! for the same model.

mod crate_files;
pub use crate_files::NO_UNIT_TESTS;
mod enums;
mod errors;
mod features;
mod fluent;
mod front_page;
mod operation;
mod paginator;
mod prepare;
pub mod protocol;
mod serde_attrs;
mod structure;
mod support;
mod tokens;
mod union;
mod waiter;

use crate::error::Error;
use crate::ir::Crate;
use crate::rules::model::{Partitions, RuleSet};
use proc_macro2::TokenStream;
use std::collections::BTreeMap;

/// How the crate is named and where it finds the runtime.
#[derive(Debug, Clone)]
pub struct Options {
    /// The package name, `chime-sdk-voice`.
    pub crate_name: String,
    pub crate_version: String,
    /// The model file, as the header of every file names it.
    pub model_path: String,
    /// The runtime crate's directory, relative to the generated crate's.
    pub runtime_path: String,
    /// The configuration crate's directory, relative to the generated
    /// crate's; `None` for a crate that the configuration crate itself
    /// calls (STS, SSO), which then has no `from_env()`.
    pub config_path: Option<String>,
    /// The protocol to speak, of those the model lists (a manifest's
    /// `protocol`); `None` for botocore's choice.
    pub protocol: Option<String>,
}

/// The generated crate: relative path to file contents.
pub type Files = BTreeMap<String, String>;

/// The files of the crate `crate_name` generated from the model `service`
/// alone (no rules, paginators or waiters), for tests.
#[cfg(test)]
pub(crate) fn generate_for_test(service: &str, crate_name: &str) -> Files {
    let inputs = crate::Inputs {
        service,
        ..Default::default()
    };
    let options = Options {
        crate_name: crate_name.into(),
        crate_version: "0.0.0".into(),
        model_path: "test".into(),
        runtime_path: "../runtime".into(),
        config_path: None,
        protocol: None,
    };
    crate::generate(&inputs, None, &options).unwrap()
}

/// Emits every file of the crate. `model_sha256` is the digest of the model
/// file, recorded in the crate so that any change of the model, even to an
/// operation the crate does not hold, shows in `generated/`.
pub fn emit(
    krate: &Crate,
    options: &Options,
    model_sha256: &str,
    endpoint_rules: Option<(&RuleSet, &Partitions)>,
) -> Result<Files, Error> {
    support::check(krate)?;
    let has_rules = endpoint_rules.is_some();
    let mut rust: Vec<(String, TokenStream)> = vec![
        (
            "src/lib.rs".into(),
            crate_files::lib_rs(krate, options, model_sha256, has_rules),
        ),
        ("src/types/mod.rs".into(), crate_files::types_mod(krate)),
        (
            "src/types/error/mod.rs".into(),
            crate_files::errors_mod(krate),
        ),
        (
            "src/operation/mod.rs".into(),
            crate_files::operation_mod(krate),
        ),
        (
            "src/client.rs".into(),
            fluent::client_file(
                krate,
                &options.crate_name.replace('-', "_"),
                has_rules,
                endpoint_rules.is_some_and(|(rules, _)| crate::rules::takes_account_id(rules)),
                options.config_path.is_some(),
            ),
        ),
    ];
    if let Some((rules, partitions)) = endpoint_rules {
        let resolver = crate::rules::compile::compile(rules, &krate.service.client_context_params)?;
        rust.push((
            "src/endpoint.rs".into(),
            quote::quote! {
                //! The endpoint resolver, compiled from the service's endpoint rules.
                #resolver
            },
        ));
        rust.push((
            "src/partitions.rs".into(),
            crate::rules::partitions(partitions)?,
        ));
    }
    for s in &krate.structures {
        rust.push((
            format!("src/types/{}.rs", file_stem(&s.module)),
            structure::file(s),
        ));
    }
    for u in &krate.unions {
        rust.push((
            format!("src/types/{}.rs", file_stem(&u.module)),
            union::file(u),
        ));
    }
    for e in &krate.enums {
        rust.push((
            format!("src/types/{}.rs", file_stem(&e.module)),
            enums::file(e),
        ));
    }
    for s in &krate.errors {
        rust.push((
            format!("src/types/error/{}.rs", file_stem(&s.module)),
            errors::shape_file(s),
        ));
    }
    for op in &krate.operations {
        let dir = format!("src/operation/{}", file_stem(&op.module));
        rust.push((
            format!("{dir}/mod.rs"),
            operation::module_file(op, krate.service.protocol),
        ));
        rust.push((format!("{dir}/input.rs"), structure::file(&op.input)));
        rust.push((format!("{dir}/output.rs"), structure::file(&op.output)));
        rust.push((format!("{dir}/error.rs"), errors::operation_error(op)));
        rust.push((format!("{dir}/fluent.rs"), fluent::fluent_builder_file(op)));
    }
    if !krate.waiters.is_empty() {
        rust.push(("src/waiters/mod.rs".into(), waiter::waiters_mod(krate)));
        for w in &krate.waiters {
            rust.push((
                format!("src/waiters/{}.rs", file_stem(&w.module)),
                waiter::waiter_file(krate, w),
            ));
        }
    }
    rust.extend(protocol::files(krate));

    let mut files = Files::new();
    files.insert(
        "Cargo.toml".into(),
        format!(
            "{}{}",
            header("#", &options.model_path),
            crate_files::cargo_toml(krate, options)
        ),
    );
    files.insert(
        "README.md".into(),
        format!(
            "<!-- Generated by `cargo xtask codegen` from {}; do not edit. -->\n\n{}",
            options.model_path,
            front_page::markdown(krate, &options.crate_name, &options.crate_version)
        ),
    );
    files.extend(format_files(rust, &options.model_path)?);
    Ok(files)
}

/// Rust files from tokens, each with the header naming `source`.
pub fn format_files(rust: Vec<(String, TokenStream)>, source: &str) -> Result<Files, Error> {
    let mut files = Files::new();
    for (path, tokens) in rust {
        let text = format_file(&path, tokens)?;
        files.insert(path, format!("{}{text}", header("//", source)));
    }
    Ok(files)
}

/// A raw identifier's file is named without `r#`.
fn file_stem(module: &str) -> &str {
    module.trim_start_matches("r#")
}

fn header(comment: &str, model_path: &str) -> String {
    format!("{comment} Generated by `cargo xtask codegen` from {model_path}.\n{comment} Do not edit: changes are overwritten on the next generation.\n\n")
}

/// Formats a file with a blank line between items, except within a run of
/// `mod x;` and `use` declarations. prettyplease prints items back to back,
/// so each group is printed on its own and the groups are joined.
fn format_file(path: &str, tokens: TokenStream) -> Result<String, Error> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| Error::Emit(format!("{path}: {e}")))?;
    let mut groups: Vec<Vec<syn::Item>> = Vec::new();
    for item in file.items {
        let is_declaration = |item: &syn::Item| match item {
            syn::Item::Use(_) => true,
            syn::Item::Mod(m) => m.content.is_none(),
            _ => false,
        };
        match groups.last_mut() {
            Some(group) if is_declaration(&item) && group.last().is_some_and(is_declaration) => {
                group.push(item)
            }
            _ => groups.push(vec![item]),
        }
    }
    let mut parts = Vec::new();
    if !file.attrs.is_empty() {
        parts.push(unparse(file.attrs, Vec::new()));
    }
    parts.extend(groups.into_iter().map(|items| unparse(Vec::new(), items)));
    Ok(parts.join("\n"))
}

fn unparse(attrs: Vec<syn::Attribute>, items: Vec<syn::Item>) -> String {
    prettyplease::unparse(&syn::File {
        shebang: None,
        attrs,
        items,
    })
}
