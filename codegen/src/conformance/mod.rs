//! botocore's protocol conformance suites, turned into a service model our
//! generator generates like any other, and a crate of cases that drive that
//! crate through its public API.
//!
//! A suite file holds suites of cases; each case brings its own copy of an
//! operation (`given`). For one protocol, every suite's shapes are merged
//! into one model (their names never clash), and every `given` of an
//! operation name into one operation (the input from input cases, the
//! output from output cases, the union of their errors), so that the whole
//! protocol compiles as one crate.

mod cases;
mod literal;

pub use cases::{cases_crate, CasesOptions};

use crate::error::Error;
use serde::Deserialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// One suite: a model fragment and its cases.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Suite {
    pub description: String,
    pub metadata: Map<String, Value>,
    #[serde(default)]
    pub shapes: Map<String, Value>,
    #[serde(default)]
    pub client_endpoint: Option<String>,
    pub cases: Vec<Case>,
}

/// One case: an operation and a request to build from `params`, or a
/// response to parse into `result` (or an error).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Case {
    pub id: String,
    pub given: Map<String, Value>,
    #[serde(default)]
    pub params: Option<Map<String, Value>>,
    #[serde(default)]
    pub result: Option<Map<String, Value>>,
    #[serde(default)]
    pub error: Option<Map<String, Value>>,
    #[serde(default)]
    pub error_code: Option<String>,
}

impl Case {
    /// The operation's name.
    pub fn operation(&self) -> &str {
        self.given.get("name").and_then(Value::as_str).unwrap_or("")
    }
}

/// Reads a suite file (`input/rest-json.json`, say).
pub fn read_suites(text: &str, file: &str) -> Result<Vec<Suite>, Error> {
    serde_json::from_str(text).map_err(|e| Error::Model(format!("{file}: {e}")))
}

/// The service model of a protocol's suites: every shape, and one operation
/// per operation name.
pub fn merged_model(service_id: &str, suites: &[&Suite]) -> Result<String, Error> {
    let mut shapes = Map::new();
    let mut operations: BTreeMap<String, Map<String, Value>> = BTreeMap::new();
    let mut metadata = Map::new();
    for suite in suites {
        for (name, shape) in &suite.shapes {
            match shapes.get(name) {
                Some(existing) if existing != shape => {
                    return Err(Error::Invalid(format!(
                        "suite `{}` defines shape `{name}` differently from another suite",
                        suite.description
                    )))
                }
                _ => {
                    shapes.insert(name.clone(), shape.clone());
                }
            }
        }
        metadata.extend(suite.metadata.clone());
        for case in &suite.cases {
            merge_operation(&mut operations, &case.given)?;
        }
    }
    metadata.insert("serviceId".into(), Value::from(service_id));
    let prefix: String = service_id
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    metadata.insert("endpointPrefix".into(), Value::from(prefix.clone()));
    metadata.insert("signingName".into(), Value::from(prefix));
    metadata.insert("signatureVersion".into(), Value::from("v4"));
    metadata.insert(
        "serviceFullName".into(),
        Value::from(format!("{service_id} (botocore protocol suites)")),
    );
    if metadata.get("protocol").and_then(Value::as_str) == Some("query") {
        wrap_query_outputs(&mut operations, &shapes);
    }
    let operations: Map<String, Value> = operations
        .into_iter()
        .map(|(name, op)| (name, Value::Object(op)))
        .collect();
    let model = serde_json::json!({
        "version": "2.0",
        "metadata": metadata,
        "operations": operations,
        "shapes": shapes,
    });
    serde_json::to_string_pretty(&model).map_err(|e| Error::Emit(e.to_string()))
}

/// The query suites leave out `resultWrapper`, which every real query
/// model has; botocore's runner adds `<Operation>Result` to an output with
/// members, and so does this.
fn wrap_query_outputs(
    operations: &mut BTreeMap<String, Map<String, Value>>,
    shapes: &Map<String, Value>,
) {
    for (name, op) in operations.iter_mut() {
        let Some(Value::Object(output)) = op.get_mut("output") else {
            continue;
        };
        let has_members = output
            .get("shape")
            .and_then(Value::as_str)
            .and_then(|shape| shapes.get(shape))
            .and_then(|shape| shape.get("members"))
            .and_then(Value::as_object)
            .is_some_and(|members| !members.is_empty());
        if has_members && !output.contains_key("resultWrapper") {
            output.insert("resultWrapper".into(), Value::from(format!("{name}Result")));
        }
    }
}

/// Adds a case's `given` to the operation of its name: what one case's copy
/// lacks (an input, an output) comes from another's; errors add up.
fn merge_operation(
    operations: &mut BTreeMap<String, Map<String, Value>>,
    given: &Map<String, Value>,
) -> Result<(), Error> {
    let name = given
        .get("name")
        .and_then(Value::as_str)
        .ok_or_else(|| Error::Invalid("a case's `given` has no name".into()))?;
    let op = operations.entry(name.to_string()).or_default();
    for (key, value) in given {
        match (key.as_str(), op.get_mut(key)) {
            ("errors", Some(Value::Array(errors))) => {
                for error in value.as_array().into_iter().flatten() {
                    if !errors.contains(error) {
                        errors.push(error.clone());
                    }
                }
            }
            ("documentation", Some(_)) => {}
            (_, Some(existing)) if existing != value => {
                return Err(Error::Invalid(format!(
                    "operation `{name}`: cases disagree on `{key}`"
                )))
            }
            (_, Some(_)) => {}
            (_, None) => {
                op.insert(key.clone(), value.clone());
            }
        }
    }
    Ok(())
}

/// The two crates of a protocol's suites: the service crate, generated from
/// the merged model as any service is, and the cases crate.
pub fn generate(
    service_id: &str,
    input_suites: &str,
    output_suites: &str,
    service: &crate::Options,
    cases: &CasesOptions,
) -> Result<(crate::Files, crate::Files), Error> {
    let inputs = read_suites(input_suites, "input suites")?;
    let outputs = read_suites(output_suites, "output suites")?;
    let all: Vec<&Suite> = inputs.iter().chain(&outputs).collect();
    let model = merged_model(service_id, &all)?;
    let service_files = crate::generate(
        &crate::Inputs {
            service: &model,
            ..crate::Inputs::default()
        },
        None,
        service,
    )?;
    let parsed =
        crate::model::Service::from_json(&model).map_err(|e| Error::Model(e.to_string()))?;
    let krate = crate::ir::lower(&parsed, None)?;
    let case_files = cases_crate(&krate, &inputs, &outputs, cases)?;
    Ok((service_files, case_files))
}
