//! The `model` types read every key botocore models use: each key is either
//! a typed field or one we keep untyped on purpose, listed here with why.

use sdkgen_codegen::model::{Member, Metadata, Operation, Service, Shape, ShapeRef};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// Keys kept in the `other` maps, by where they appear. All belong to
/// protocols we do not generate (XML, query) or to features not emitted yet.
const UNTYPED: &[(&str, &str)] = &[
    ("shape", "xmlNamespace"),  // rest-xml
    ("member", "xmlNamespace"), // rest-xml
    ("member", "xmlAttribute"), // rest-xml
    ("operation", "contextParams"),
    ("operation", "endpointdiscovery"),
    ("ref", "locationName"), // XML element name of an operation's input
    ("ref", "xmlNamespace"),
    ("metadata", "xmlNamespace"),
];

fn untyped_keys(json: &Value) -> BTreeSet<(String, String)> {
    let mut keys = BTreeSet::new();
    let mut note = |place: &str, other: &BTreeMap<String, Value>| {
        for key in other.keys() {
            keys.insert((place.to_string(), key.clone()));
        }
    };
    if let Some(meta) = json.get("metadata") {
        let meta: Metadata = serde_json::from_value(meta.clone()).expect("metadata");
        note("metadata", &meta.other);
    }
    let shapes = json
        .get("shapes")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    for (name, shape) in shapes {
        let shape: Shape =
            serde_json::from_value(shape).unwrap_or_else(|e| panic!("shape {name}: {e}"));
        note("shape", &shape.other);
        let members: Vec<&Member> = shape
            .members
            .iter()
            .flat_map(|m| m.0.iter().map(|(_, m)| m))
            .chain(
                [&shape.member, &shape.key, &shape.value]
                    .into_iter()
                    .flatten(),
            )
            .collect();
        for member in members {
            note("member", &member.other);
        }
    }
    let operations: Vec<Value> = match (json.get("operations"), json.get("given")) {
        (Some(ops), _) => ops.as_object().unwrap().values().cloned().collect(),
        (None, Some(given)) => vec![given.clone()],
        _ => Vec::new(),
    };
    for op in operations {
        let op: Operation =
            serde_json::from_value(op.clone()).unwrap_or_else(|e| panic!("operation {op}: {e}"));
        note("operation", &op.other);
        let refs: Vec<&ShapeRef> = op
            .input
            .iter()
            .chain(op.output.iter())
            .chain(op.errors.iter())
            .collect();
        for r in refs {
            note("ref", &r.other);
        }
    }
    keys
}

#[test]
fn the_chime_model_has_no_untyped_key() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let text = fs::read_to_string(root.join("model/chime-sdk-voice/service-2.json")).unwrap();
    let json: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(untyped_keys(&json), BTreeSet::new());
    Service::from_json(&text).unwrap();
}

#[test]
fn every_protocol_suite_model_reads_and_only_listed_keys_stay_untyped() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/botocore-protocols");
    let allowed: BTreeSet<(String, String)> = UNTYPED
        .iter()
        .map(|(p, k)| (p.to_string(), k.to_string()))
        .collect();
    let mut seen = BTreeSet::new();
    let mut suites = 0;
    for kind in ["input", "output"] {
        for entry in fs::read_dir(dir.join(kind)).unwrap() {
            let path = entry.unwrap().path();
            let groups: Vec<Value> =
                serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
            for group in groups {
                suites += 1;
                seen.extend(untyped_keys(&group));
                for case in group
                    .get("cases")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    seen.extend(untyped_keys(case));
                }
            }
        }
    }
    assert!(suites > 300, "read {suites} suites");
    let unexpected: Vec<_> = seen.difference(&allowed).collect();
    assert!(
        unexpected.is_empty(),
        "keys neither typed nor listed as untyped: {unexpected:?}"
    );
}
