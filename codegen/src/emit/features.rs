//! The cargo features of a generated crate: one per operation, and what
//! each compiles. A type or a piece of wire code is compiled when one of
//! the operations that use it is.

use crate::ir::{Crate, Http2, Operation};
use crate::naming::{ALL_OPERATIONS, HTTP2, SIGV4A};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeSet;

/// `#[cfg(...)]`: compiled when one of `operations` (model names) is.
pub fn cfg(krate: &Crate, operations: &BTreeSet<String>) -> TokenStream {
    let predicate = predicate(krate, operations);
    quote!(#[cfg(#predicate)])
}

fn predicate(krate: &Crate, operations: &BTreeSet<String>) -> TokenStream {
    let features: Vec<&str> = krate
        .operations
        .iter()
        .filter(|o| operations.contains(&o.name))
        .map(|o| o.feature.as_str())
        .collect();
    match features.as_slice() {
        [one] => quote!(feature = #one),
        many => quote!(any(#(feature = #many),*)),
    }
}

/// `#[cfg(feature = "...")]` of one operation, with its docs.rs note: the
/// operation's module and client method say which feature compiles them.
pub fn cfg_operation(op: &Operation) -> TokenStream {
    let feature = &op.feature;
    let cfg = cfg_operation_private(op);
    let note = doc_cfg(&quote!(feature = #feature));
    quote!(#cfg #note)
}

/// `#[cfg(feature = "...")]` of one operation on a private item, whose
/// page docs.rs never shows, so without the note.
pub fn cfg_operation_private(op: &Operation) -> TokenStream {
    let feature = &op.feature;
    quote!(#[cfg(feature = #feature)])
}

/// `#[cfg(feature = "...")]` of a crate-wide feature (`blocking`,
/// `test-util`, `reqwest`), with its docs.rs note.
pub fn cfg_feature(feature: &str) -> TokenStream {
    let note = doc_cfg(&quote!(feature = #feature));
    quote!(#[cfg(feature = #feature)] #note)
}

/// docs.rs builds with `--cfg docsrs` on nightly (`[package.metadata.docs.rs]`
/// in `Cargo.toml`), where `doc(cfg)` shows the feature on the item's page;
/// on stable the attribute is not there at all.
fn doc_cfg(predicate: &TokenStream) -> TokenStream {
    quote!(#[cfg_attr(docsrs, doc(cfg(#predicate)))])
}

/// The `[features]` table of `Cargo.toml`: every operation on by default
/// (the measurements behind that are in the README), one feature per
/// operation, one for all of them, and `serde`.
pub fn cargo_features(krate: &Crate) -> Vec<String> {
    let q = |s: &str| serde_json::to_string(s).expect("a string always serializes");
    let all: Vec<String> = krate.operations.iter().map(|o| q(&o.feature)).collect();
    let sigv4a = krate.service.sigv4a;
    let http2 = krate.service.http2 == Http2::Optional;
    let mut default = vec![q(ALL_OPERATIONS)];
    if sigv4a {
        default.push(q(SIGV4A));
    }
    if http2 {
        default.push(q(HTTP2));
    }
    let mut lines = vec![
        "[features]".to_string(),
        "# Every operation, unless `default-features = false` picks some.".to_string(),
        format!("default = [{}]", default.join(", ")),
        format!("{ALL_OPERATIONS} = [{}]", all.join(", ")),
    ];
    if sigv4a {
        lines.extend([
            "# SigV4a, for the endpoints whose rules ask for it; without it".to_string(),
            "# they are refused, naming this feature, or signed with SigV4".to_string(),
            "# where the rules allow both.".to_string(),
            format!("{SIGV4A} = [\"sdkgen-runtime/{SIGV4A}\"]"),
        ]);
    }
    if http2 {
        lines.extend(HTTP2_DOC.iter().map(|line| format!("# {line}")));
        lines.push(format!("{HTTP2} = [\"sdkgen-runtime/{HTTP2}\"]"));
    }
    let mut operations: Vec<&Operation> = krate.operations.iter().collect();
    operations.sort_by(|a, b| a.feature.cmp(&b.feature));
    for op in operations {
        let needs = if http2 && op.sends_events() {
            q(HTTP2)
        } else {
            String::new()
        };
        lines.push(format!("{} = [{needs}]", op.feature));
    }
    lines
}

/// What the `http2` feature of a crate whose model makes HTTP/2 optional
/// does: its comment in `Cargo.toml`, joined into one sentence on the
/// crate's front page.
pub const HTTP2_DOC: &[&str] = &[
    "HTTP/2, which the service offers (on by default): without it calls speak",
    "HTTP/1.1. An operation that sends events turns it on, since it needs it.",
];

/// A feature every generated crate has besides its operations': each
/// turns on the runtime's feature of the same name.
pub struct CrateFeature {
    pub name: &'static str,
    /// What it turns on: the lines of its comment in `Cargo.toml`, joined
    /// into one sentence on the crate's front page.
    pub doc: &'static [&'static str],
}

pub const CRATE_FEATURES: &[CrateFeature] = &[
    CrateFeature {
        name: "serde",
        doc: &[
            "Serialize and Deserialize for every shape, with the model's member names",
            "(as the AWS CLI prints them): a stable form for users, not the wire format.",
        ],
    },
    CrateFeature {
        name: "reqwest",
        doc: &["A transport on an application's own reqwest::Client (transport::ReqwestTransport)."],
    },
    CrateFeature {
        name: "test-util",
        doc: &["Test doubles for code that calls this crate (test_util::{Rule, Mocks, ReplayTransport})."],
    },
    CrateFeature {
        name: "blocking",
        doc: &["blocking::Client, for programs without an async runtime."],
    },
];

/// The `[features]` lines of [`CRATE_FEATURES`].
pub fn crate_feature_lines() -> Vec<String> {
    CRATE_FEATURES
        .iter()
        .flat_map(|f| {
            f.doc
                .iter()
                .map(|line| format!("# {line}"))
                .chain([format!("{0} = [\"sdkgen-runtime/{0}\"]", f.name)])
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::emit::crate_files::RUNTIME_VERSION;
    use serde_json::json;

    /// `Cargo.toml` of a rest-json service with one operation that sends
    /// events and one that does not, under the model's `h2` setting.
    fn manifest(h2: &str) -> String {
        let model = json!({
            "metadata": {"apiVersion": "2024-01-01", "protocol": "rest-json",
                "serviceId": "Talk", "signingName": "talk", "endpointPrefix": "talk",
                "protocolSettings": {"h2": h2}},
            "operations": {
                "Chat": {"name": "Chat", "http": {"method": "POST", "requestUri": "/chat"},
                    "input": {"shape": "ChatRequest"}, "output": {"shape": "ChatResponse"}},
                "Ping": {"name": "Ping", "http": {"method": "GET", "requestUri": "/ping"}}
            },
            "shapes": {
                "ChatRequest": {"type": "structure", "required": ["Input"], "payload": "Input",
                    "members": {"Input": {"shape": "InputEvents"}}},
                "ChatResponse": {"type": "structure", "payload": "Output",
                    "members": {"Output": {"shape": "OutputEvents"}}},
                "InputEvents": {"type": "structure", "eventstream": true,
                    "members": {"Text": {"shape": "TextEvent"}}},
                "OutputEvents": {"type": "structure", "eventstream": true,
                    "members": {"Text": {"shape": "TextEvent"}}},
                "TextEvent": {"type": "structure", "event": true,
                    "members": {"Text": {"shape": "Str"}}},
                "Str": {"type": "string"}
            }
        })
        .to_string();
        crate::emit::generate_for_test(&model, "talk")["Cargo.toml"].clone()
    }

    /// Each of `lines` is a whole line of `toml`.
    fn has_lines(toml: &str, lines: &[&str]) {
        for line in lines {
            assert!(toml.lines().any(|l| l == *line), "no `{line}` in\n{toml}");
        }
    }

    #[test]
    fn where_http2_is_optional_only_the_operation_that_sends_events_needs_it() {
        let toml = manifest("optional");
        let runtime = format!(
            "sdkgen-runtime = {{ version = \"{RUNTIME_VERSION}\", path = \"../runtime\" }}"
        );
        has_lines(
            &toml,
            &[
                runtime.as_str(),
                "default = [\"all-operations\", \"http2\"]",
                "http2 = [\"sdkgen-runtime/http2\"]",
                "chat = [\"http2\"]",
                "ping = []",
            ],
        );
    }

    #[test]
    fn where_http2_is_required_the_runtime_always_has_it() {
        let toml = manifest("eventstream");
        let runtime = format!(
            "sdkgen-runtime = {{ version = \"{RUNTIME_VERSION}\", path = \"../runtime\", features = [\"http2\"] }}"
        );
        has_lines(
            &toml,
            &[
                runtime.as_str(),
                "default = [\"all-operations\"]",
                "chat = []",
            ],
        );
        assert!(!toml.contains("sdkgen-runtime/http2"), "{toml}");
    }
}
