//! The endpoint rule set (`endpoint-rule-set-1.json`) and the partition
//! table (`partitions.json`) as serde types.

use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Deserialize)]
pub struct RuleSet {
    pub version: String,
    pub parameters: BTreeMap<String, Parameter>,
    pub rules: Vec<Rule>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Parameter {
    /// `string`, `boolean` or `stringArray`.
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub built_in: Option<String>,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub default: Option<Value>,
    #[serde(default)]
    pub documentation: Option<String>,
    #[serde(default)]
    pub deprecated: Option<Value>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Rule {
    Endpoint {
        #[serde(default)]
        conditions: Vec<Condition>,
        endpoint: EndpointSpec,
    },
    Error {
        #[serde(default)]
        conditions: Vec<Condition>,
        error: Expr,
    },
    Tree {
        #[serde(default)]
        conditions: Vec<Condition>,
        rules: Vec<Rule>,
    },
}

impl Rule {
    pub fn conditions(&self) -> &[Condition] {
        match self {
            Rule::Endpoint { conditions, .. }
            | Rule::Error { conditions, .. }
            | Rule::Tree { conditions, .. } => conditions,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Condition {
    #[serde(rename = "fn")]
    pub function: String,
    pub argv: Vec<Expr>,
    #[serde(default)]
    pub assign: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct EndpointSpec {
    pub url: Expr,
    #[serde(default)]
    pub properties: BTreeMap<String, Value>,
    #[serde(default)]
    pub headers: BTreeMap<String, Vec<Expr>>,
}

/// An expression: a reference, a function call or a literal.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Expr {
    Ref {
        #[serde(rename = "ref")]
        name: String,
    },
    Call {
        #[serde(rename = "fn")]
        function: String,
        argv: Vec<Expr>,
    },
    Str(String),
    Bool(bool),
    Int(i64),
    Array(Vec<Expr>),
}

/// `partitions.json`.
#[derive(Debug, Clone, Deserialize)]
pub struct Partitions {
    pub partitions: Vec<PartitionEntry>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PartitionEntry {
    pub id: String,
    pub region_regex: String,
    pub regions: BTreeMap<String, BTreeMap<String, Value>>,
    pub outputs: PartitionOutputs,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PartitionOutputs {
    pub name: String,
    pub dns_suffix: String,
    pub dual_stack_dns_suffix: String,
    #[serde(rename = "supportsFIPS")]
    pub supports_fips: bool,
    pub supports_dual_stack: bool,
    pub implicit_global_region: String,
}
