//! Renames that let suites with clashing names share one model: the
//! legacy suites give `InputShape` a different definition in every suite.
//! A shape is renamed only where its name is taken by another definition,
//! so that most keep the names their cases use.

use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// The renames a suite's shapes need to join `merged`: a shape whose name
/// `merged` holds with another definition gets a fresh one, and so does a
/// shape that refers to a renamed one (its definition changed with it).
pub fn shapes(merged: &Map<String, Value>, suite: &Map<String, Value>) -> BTreeMap<String, String> {
    let mut renames: BTreeMap<String, String> = BTreeMap::new();
    loop {
        let mut changed = false;
        for (name, shape) in suite {
            if renames.contains_key(name) {
                continue;
            }
            let renamed = in_shape(shape, name, &renames);
            if merged
                .get(name)
                .is_some_and(|existing| *existing != renamed)
            {
                let fresh = fresh_name(name, merged, suite, &renames);
                renames.insert(name.clone(), fresh);
                changed = true;
            }
        }
        if !changed {
            return renames;
        }
    }
}

/// `{name}2`, `{name}3`, ...: the first name nothing uses yet.
fn fresh_name(
    name: &str,
    merged: &Map<String, Value>,
    suite: &Map<String, Value>,
    renames: &BTreeMap<String, String>,
) -> String {
    (2..)
        .map(|n| format!("{name}{n}"))
        .find(|candidate| {
            !merged.contains_key(candidate)
                && !suite.contains_key(candidate)
                && !renames.values().any(|v| v == candidate)
        })
        .expect("some name is free")
}

/// A shape (named `original` in its suite) with its references renamed. A
/// renamed error shape keeps its original name as its code, which is what
/// the service sends and the cases expect.
pub fn in_shape(shape: &Value, original: &str, renames: &BTreeMap<String, String>) -> Value {
    let mut shape = references(shape, renames);
    if renames.contains_key(original) {
        if let Value::Object(fields) = &mut shape {
            let is_error =
                fields.get("exception") == Some(&Value::Bool(true)) || fields.contains_key("error");
            if is_error {
                let error = fields
                    .entry("error")
                    .or_insert_with(|| Value::Object(Map::new()));
                if let Value::Object(error) = error {
                    error.entry("code").or_insert_with(|| Value::from(original));
                }
            }
        }
    }
    shape
}

/// A case's `given` (its operation) with its shape references renamed. A
/// renamed input keeps its original name as its element's (`locationName`),
/// which is the root of an XML body the case expects.
pub fn in_given(
    given: &Map<String, Value>,
    renames: &BTreeMap<String, String>,
) -> Map<String, Value> {
    let mut given = match references(&Value::Object(given.clone()), renames) {
        Value::Object(given) => given,
        _ => unreachable!("an object stays an object"),
    };
    if let Some(Value::Object(input)) = given.get_mut("input") {
        let original = renames
            .iter()
            .find(|(_, fresh)| input.get("shape").and_then(Value::as_str) == Some(fresh))
            .map(|(original, _)| original.clone());
        if let Some(original) = original {
            input
                .entry("locationName")
                .or_insert_with(|| Value::from(original));
        }
    }
    given
}

/// Every `"shape": NAME` inside `value`, renamed.
fn references(value: &Value, renames: &BTreeMap<String, String>) -> Value {
    match value {
        Value::Object(fields) => Value::Object(
            fields
                .iter()
                .map(|(key, v)| {
                    let v = match (key.as_str(), v) {
                        ("shape", Value::String(name)) => {
                            Value::from(renames.get(name).unwrap_or(name).as_str())
                        }
                        _ => references(v, renames),
                    };
                    (key.clone(), v)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(|v| references(v, renames)).collect()),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(m) => m,
            _ => panic!("not an object"),
        }
    }

    #[test]
    fn a_clash_renames_the_shape_and_what_refers_to_it() {
        let merged = map(json!({
            "InputShape": {"type": "structure", "members": {"A": {"shape": "StringType"}}},
            "StringType": {"type": "string"},
            "Wrapper": {"type": "structure", "members": {"In": {"shape": "InputShape"}}},
        }));
        let suite = map(json!({
            "InputShape": {"type": "structure", "members": {"B": {"shape": "StringType"}}},
            "StringType": {"type": "string"},
            "Wrapper": {"type": "structure", "members": {"In": {"shape": "InputShape"}}},
        }));
        let renames = shapes(&merged, &suite);
        assert_eq!(
            renames,
            BTreeMap::from([
                ("InputShape".to_string(), "InputShape2".to_string()),
                ("Wrapper".to_string(), "Wrapper2".to_string()),
            ])
        );
        let wrapper = in_shape(&suite["Wrapper"], "Wrapper", &renames);
        assert_eq!(wrapper["members"]["In"]["shape"], "InputShape2");
        let given = in_given(
            &map(json!({"name": "Op", "input": {"shape": "InputShape"}})),
            &renames,
        );
        assert_eq!(given["input"]["shape"], "InputShape2");
    }

    #[test]
    fn a_renamed_error_keeps_its_code() {
        let renames = BTreeMap::from([("Oops".to_string(), "Oops2".to_string())]);
        let error = in_shape(
            &json!({"type": "structure", "exception": true}),
            "Oops",
            &renames,
        );
        assert_eq!(error["error"]["code"], "Oops");
        let kept = in_shape(
            &json!({"type": "structure", "exception": true, "error": {"code": "X"}}),
            "Oops",
            &renames,
        );
        assert_eq!(kept["error"]["code"], "X");
    }
}
