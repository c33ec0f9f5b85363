//! `codegen.json`, the manifest beside a model: which crate to generate and
//! which operations it holds. Selection is data, not code.

use serde::Deserialize;

/// A parsed `codegen.json`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// The package name of the generated crate.
    #[serde(rename = "crate")]
    pub crate_name: String,
    pub version: String,
    /// Operation names as the model spells them (`GetProxySession`).
    pub operations: Vec<String>,
    /// The configuration crate calls this service (STS, SSO, SSO-OIDC), so
    /// the crate cannot depend on it: it gets no `from_env()`, and its
    /// users configure it explicitly.
    #[serde(default)]
    pub below_config: bool,
    /// The protocol to speak, of those the model lists, instead of
    /// botocore's choice (the first of json, rest-json, rest-xml,
    /// smithy-rpc-v2-cbor, query, ec2).
    #[serde(default)]
    pub protocol: Option<String>,
}

impl Manifest {
    pub fn from_json(text: &str) -> Result<Manifest, serde_json::Error> {
        serde_json::from_str(text)
    }
}
