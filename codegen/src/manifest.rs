//! `codegen.json`, the manifest beside a model: which crate to generate and
//! which operations it holds. Selection is data, not code.

use serde::Deserialize;

/// A parsed `codegen.json`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// The crate's short name: its directory under `generated/`, and its
    /// package name unless `package` gives another.
    #[serde(rename = "crate")]
    pub crate_name: String,
    /// The name a registry knows the crate by, when the short name is
    /// taken there (`sdkgen-s3`: crates.io's `s3` is an unrelated crate).
    #[serde(default)]
    pub package: Option<String>,
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

    /// The package name: what `Cargo.toml` says and users depend on.
    pub fn package_name(&self) -> &str {
        self.package.as_deref().unwrap_or(&self.crate_name)
    }
}
