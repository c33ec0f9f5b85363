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
mod rename;

pub use cases::{cases_crate, CasesOptions};
pub(crate) use literal::Literals;

use crate::emit::protocol::{supported, Protocol};
use crate::error::Error;
use serde::Deserialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// One of botocore's suite files: `input/json_1_0.json` and
/// `output/json_1_0.json`, or `legacy/input/json.json` and its output.
#[derive(Debug, Clone, Copy)]
pub struct SuiteFile {
    pub protocol: &'static dyn Protocol,
    /// The file's name without `.json`: `json_1_0`.
    pub name: &'static str,
    /// Under `legacy/`: botocore's older suites, which its runner also
    /// runs.
    pub legacy: bool,
}

impl SuiteFile {
    /// Every suite file of every protocol the generator speaks, modern
    /// ones first.
    pub fn all() -> Vec<SuiteFile> {
        let protocols = supported();
        let modern = protocols.iter().flat_map(|&protocol| {
            protocol.suites().modern.iter().map(move |&name| SuiteFile {
                protocol,
                name,
                legacy: false,
            })
        });
        let legacy = protocols.iter().flat_map(|&protocol| {
            protocol.suites().legacy.iter().map(move |&name| SuiteFile {
                protocol,
                name,
                legacy: true,
            })
        });
        modern.chain(legacy).collect()
    }

    /// How reports name it: `json_1_0`, `legacy rest-json`.
    pub fn label(&self) -> String {
        if self.legacy {
            format!("legacy {}", self.name)
        } else {
            self.name.to_string()
        }
    }

    /// Its crate's directory (and the crate's name after
    /// `protocol-tests-`): `json-1-0`, `legacy-rest-json`.
    pub fn dir(&self) -> String {
        let name = self.name.replace('_', "-");
        if self.legacy {
            format!("legacy-{name}")
        } else {
            name
        }
    }

    /// The file of one direction (`input`, `output`), relative to the
    /// suites' directory.
    pub fn path(&self, direction: &str) -> String {
        let file = format!("{direction}/{}.json", self.name);
        if self.legacy {
            format!("legacy/{file}")
        } else {
            file
        }
    }

    /// The service id of its merged model: `Json10`, `LegacyRestJson`.
    pub fn service_id(&self) -> String {
        heck::AsUpperCamelCase(self.dir()).to_string()
    }
}

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
    /// The case's name; the legacy suites name none, and get
    /// `{suite}:{case} {description}` as botocore's runner reports them.
    #[serde(default)]
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
    /// The operation of the merged model that runs the case: its `given`
    /// name, unless another case gave that name another operation.
    #[serde(skip)]
    pub operation_key: Option<String>,
}

impl Case {
    /// The operation of the merged model that runs the case.
    pub fn operation(&self) -> &str {
        match &self.operation_key {
            Some(key) => key,
            None => self.wire_name(),
        }
    }

    /// The operation's name as its `given` says it, which the wire carries.
    pub fn wire_name(&self) -> &str {
        self.given.get("name").and_then(Value::as_str).unwrap_or("")
    }
}

/// Reads a suite file (`input/rest-json.json`, say); a case without an id
/// gets [`case_id`]'s.
pub fn read_suites(text: &str, file: &str) -> Result<Vec<Suite>, Error> {
    let mut suites: Vec<Suite> =
        serde_json::from_str(text).map_err(|e| Error::Model(format!("{file}: {e}")))?;
    for (i, suite) in suites.iter_mut().enumerate() {
        for (j, case) in suite.cases.iter_mut().enumerate() {
            if case.id.is_empty() {
                case.id = case_id(i, j, &suite.description);
            }
        }
    }
    Ok(suites)
}

/// The name of the `case`th case of the `suite`th suite of a file, for the
/// cases that have none: `3:0 Scalar members`.
pub fn case_id(suite: usize, case: usize, description: &str) -> String {
    format!("{suite}:{case} {description}")
}

/// The service model of a file's suites: every shape, and one operation
/// per operation name. Where two suites give one shape name two
/// definitions, or one operation name two operations (the legacy suites
/// call every operation `OperationName`), the later one is renamed, and its
/// cases are pointed at the new operation (the `rename` module).
pub fn merged_model(
    service_id: &str,
    protocol: &dyn Protocol,
    suites: &mut [&mut Suite],
    legacy: bool,
) -> Result<Value, Error> {
    let mut shapes = Map::new();
    let mut operations = Operations::default();
    let mut metadata = Map::new();
    for (index, suite) in suites.iter_mut().enumerate() {
        let renames = rename::shapes(&shapes, &suite.shapes);
        for (name, shape) in &suite.shapes {
            let renamed = renames.get(name).unwrap_or(name);
            let shape = rename::in_shape(shape, name, &renames);
            shapes.insert(renamed.clone(), shape);
        }
        // The input suites come first, and what a request carries
        // (`jsonVersion`, `targetPrefix`) is theirs to say.
        for (key, value) in &suite.metadata {
            metadata.entry(key.clone()).or_insert_with(|| value.clone());
        }
        // A legacy suite's operations are its own: every suite names its
        // operation `OperationName`.
        let scope = legacy.then_some(index);
        for case in &mut suite.cases {
            let given = rename::in_given(&case.given, &renames);
            let key = operations.merge(&given, scope)?;
            if key != case.wire_name() {
                case.operation_key = Some(key);
            }
        }
    }
    let mut operations = operations.by_key;
    metadata.insert("serviceId".into(), Value::from(service_id));
    let prefix: String = service_id
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    metadata.insert("endpointPrefix".into(), Value::from(prefix.clone()));
    metadata.insert("signingName".into(), Value::from(prefix));
    metadata.insert("signatureVersion".into(), Value::from("v4"));
    metadata
        .entry("apiVersion")
        .or_insert_with(|| Value::from("2000-01-01"));
    metadata.insert(
        "serviceFullName".into(),
        Value::from(format!("{service_id} (botocore protocol suites)")),
    );
    protocol.complete_suite_model(&mut operations, &shapes);
    let operations: Map<String, Value> = operations
        .into_iter()
        .map(|(name, op)| (name, Value::Object(op)))
        .collect();
    Ok(serde_json::json!({
        "version": "2.0",
        "metadata": metadata,
        "operations": operations,
        "shapes": shapes,
    }))
}

/// The operations of a merged model, by key, and the suite each belongs
/// to where operations are kept per suite.
#[derive(Default)]
struct Operations {
    by_key: BTreeMap<String, Map<String, Value>>,
    scopes: BTreeMap<String, Option<usize>>,
}

impl Operations {
    /// Adds a case's `given` to the operation of its name (in its `scope`),
    /// and says under which key: what one case's copy lacks (an input, an
    /// output) comes from another's and errors add up; a copy that
    /// disagrees with every operation of its name is another operation,
    /// `{name}2`, `{name}3`, ... (its wire name stays its `name`).
    fn merge(&mut self, given: &Map<String, Value>, scope: Option<usize>) -> Result<String, Error> {
        let name = given
            .get("name")
            .and_then(Value::as_str)
            .ok_or_else(|| Error::Invalid("a case's `given` has no name".into()))?;
        for n in 1.. {
            let key = if n == 1 {
                name.to_string()
            } else {
                format!("{name}{n}")
            };
            let same_scope = *self.scopes.entry(key.clone()).or_insert(scope) == scope;
            let op = self.by_key.entry(key.clone()).or_default();
            if same_scope && agrees(op, given) {
                merge_into(op, given);
                return Ok(key);
            }
        }
        unreachable!("some key is free")
    }
}

/// Whether `given` can join `op`: no key both have differs (errors and
/// documentation aside, which add up or do not matter).
fn agrees(op: &Map<String, Value>, given: &Map<String, Value>) -> bool {
    given
        .iter()
        .all(|(key, value)| match (key.as_str(), op.get(key)) {
            ("errors" | "documentation", _) | (_, None) => true,
            (_, Some(existing)) => existing == value,
        })
}

fn merge_into(op: &mut Map<String, Value>, given: &Map<String, Value>) {
    for (key, value) in given {
        match (key.as_str(), op.get_mut(key)) {
            ("errors", Some(Value::Array(errors))) => {
                for error in value.as_array().into_iter().flatten() {
                    if !errors.contains(error) {
                        errors.push(error.clone());
                    }
                }
            }
            (_, Some(_)) => {}
            (_, None) => {
                op.insert(key.clone(), value.clone());
            }
        }
    }
}

/// The two crates of a suite file: the service crate, generated from the
/// merged model as any service is, and the cases crate. An operation the
/// generator refuses for a feature it does not have yet (event streams) is
/// left out, and its cases are listed as skipped, with the generator's
/// reason, in the cases crate's `SKIPPED`.
pub fn generate(
    file: &SuiteFile,
    input_suites: &str,
    output_suites: &str,
    service: &crate::Options,
    cases: &CasesOptions,
) -> Result<(crate::Files, crate::Files), Error> {
    let mut inputs = read_suites(input_suites, &file.path("input"))?;
    let mut outputs = read_suites(output_suites, &file.path("output"))?;
    let mut all: Vec<&mut Suite> = inputs.iter_mut().chain(outputs.iter_mut()).collect();
    let mut model = merged_model(&file.service_id(), file.protocol, &mut all, file.legacy)?;
    let service = crate::Options {
        protocol: Some(file.protocol.name().to_string()),
        ..service.clone()
    };
    let mut refused: BTreeMap<String, String> = BTreeMap::new();
    let (text, service_files) = loop {
        let text = serde_json::to_string_pretty(&model).map_err(|e| Error::Emit(e.to_string()))?;
        let inputs = crate::Inputs {
            service: &text,
            ..crate::Inputs::default()
        };
        match crate::generate(&inputs, None, &service) {
            Ok(files) => break (text, files),
            Err(e @ Error::EventStream { .. }) => {
                let Error::EventStream { operation, .. } = &e else {
                    unreachable!()
                };
                let removed = model["operations"]
                    .as_object_mut()
                    .and_then(|ops| ops.remove(operation));
                if removed.is_none() {
                    return Err(e);
                }
                refused.insert(operation.clone(), e.to_string());
            }
            Err(e) => return Err(e),
        }
    };
    let mut parsed =
        crate::model::Service::from_json(&text).map_err(|e| Error::Model(e.to_string()))?;
    // As `crate::generate` lowered it for the service crate.
    let customizations = crate::customize::apply(&mut parsed)?;
    let krate = crate::ir::lower(&parsed, None, file.protocol, customizations)?;
    let case_files = cases_crate(&krate, &inputs, &outputs, &refused, cases)?;
    Ok((service_files, case_files))
}
