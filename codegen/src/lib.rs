//! Turns a botocore service model into the source files of a Rust client
//! crate: `model` (serde) → `ir` (every decision) → `emit` (tokens) →
//! prettyplease. No I/O: the caller reads the model and writes the files.

pub mod docs;
pub mod emit;
pub mod error;
pub mod ir;
pub mod manifest;
pub mod model;
pub mod naming;
pub mod summary;

pub use emit::{Files, Options};
pub use error::Error;
use sha2::{Digest, Sha256};

/// Generates the crate for the operations in `selection` of the model in
/// `service_json`.
pub fn generate(
    service_json: &str,
    selection: &[String],
    options: &Options,
) -> Result<Files, Error> {
    let service =
        model::Service::from_json(service_json).map_err(|e| Error::Model(e.to_string()))?;
    let krate = ir::lower(&service, Some(selection))?;
    let digest: String = Sha256::digest(service_json.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    emit::emit(&krate, options, &digest)
}
