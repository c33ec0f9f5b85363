//! The cargo features of a generated crate: one per operation, and what
//! each compiles. A type or a piece of wire code is compiled when one of
//! the operations that use it is.

use crate::ir::{Crate, Operation};
use crate::naming::ALL_OPERATIONS;
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeSet;

/// `#[cfg(...)]`: compiled when one of `operations` (model names) is.
pub fn cfg(krate: &Crate, operations: &BTreeSet<String>) -> TokenStream {
    let features: Vec<&str> = krate
        .operations
        .iter()
        .filter(|o| operations.contains(&o.name))
        .map(|o| o.feature.as_str())
        .collect();
    match features.as_slice() {
        [one] => quote!(#[cfg(feature = #one)]),
        many => quote!(#[cfg(any(#(feature = #many),*))]),
    }
}

/// `#[cfg(feature = "...")]` of one operation.
pub fn cfg_operation(op: &Operation) -> TokenStream {
    let feature = &op.feature;
    quote!(#[cfg(feature = #feature)])
}

/// The `[features]` table of `Cargo.toml`: every operation on by default
/// (the measurements behind that are in the README), one feature per
/// operation, one for all of them, and `serde`.
pub fn cargo_features(krate: &Crate) -> Vec<String> {
    let q = |s: &str| serde_json::to_string(s).expect("a string always serializes");
    let all: Vec<String> = krate.operations.iter().map(|o| q(&o.feature)).collect();
    let mut lines = vec![
        "[features]".to_string(),
        "# Every operation, unless `default-features = false` picks some.".to_string(),
        format!("default = [{}]", q(ALL_OPERATIONS)),
        format!("{ALL_OPERATIONS} = [{}]", all.join(", ")),
    ];
    let mut operations: Vec<&Operation> = krate.operations.iter().collect();
    operations.sort_by(|a, b| a.feature.cmp(&b.feature));
    for op in operations {
        lines.push(format!("{} = []", op.feature));
    }
    lines
}
