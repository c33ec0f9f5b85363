//! The customization seam on the generator's side: a service's own rules,
//! which its botocore model does not state, each a named type in a module
//! of its service's, found through [`REGISTRY`] by the service's
//! `serviceId`. Shared code never names a service; it asks the registry.
//!
//! A customization adjusts the model before it is lowered, so that the IR
//! and the emitters see a model that says what the service does. What it
//! changed is recorded in the IR ([`crate::ir::ServiceInfo::customizations`])
//! and printed by the API summary, so a regeneration diff shows it.
//!
//! Why `serviceId` and not the manifest: `cargo xtask coverage` generates
//! every service without a manifest and must make the same crate as
//! `cargo xtask codegen`, and botocore's `serviceId` is the name that stays
//! when a service's API version or endpoint prefix changes.

mod dynamodb;
mod route53;
mod s3;

use crate::error::Error;
use crate::model::Service;
use std::fmt;

/// One service rule. It owns its checks: a model that is not what it
/// expects is an error naming the shape, never a guess.
///
/// A customization that needs the runtime at send time names the runtime's
/// hooks for the service (`sdkgen_runtime::hooks`), which the IR records
/// and the client emitter writes into the crate's `ServiceInfo`; the
/// services that need none stay as they are.
pub trait Customization: fmt::Debug + Sync {
    /// Its name, as the API summary prints it and errors name it.
    fn name(&self) -> &'static str;

    /// Adjusts the model before lowering. Returns what it changed, a line
    /// each; none when the model already says it (a newer botocore), and
    /// then the customization is not recorded as applied (unless it names
    /// runtime hooks).
    fn adjust_model(&self, service: &mut Service) -> Result<Vec<String>, Error>;

    /// The runtime's hooks the service's calls need: the name of a type of
    /// `sdkgen_runtime::hooks`.
    fn runtime_hooks(&self) -> Option<&'static str> {
        None
    }
}

/// A customization the model needed, and what it changed there.
#[derive(Debug, Clone)]
pub struct Applied {
    pub customization: &'static dyn Customization,
    pub changes: Vec<String>,
}

impl Applied {
    pub fn name(&self) -> &'static str {
        self.customization.name()
    }
}

/// The customizations of each service, by botocore's `serviceId`, in the
/// order they are applied. DynamoDB Streams returns DynamoDB's items, and
/// its model has the same `AttributeValue` shape as DynamoDB's.
pub const REGISTRY: &[(&str, &[&dyn Customization])] = &[
    ("DynamoDB", &[&dynamodb::AttributeValueUnion]),
    ("DynamoDB Streams", &[&dynamodb::AttributeValueUnion]),
    ("Route 53", &[&route53::IdsLastSegment]),
    ("S3 Control", &[&s3::ControlHooks]),
    (
        "S3",
        &[
            &s3::BucketOutOfPath,
            &s3::BucketLocationRoot,
            &s3::ListingsUrlEncoded,
            &s3::KeysWithDotSegments,
            &s3::Hooks,
        ],
    ),
];

/// The customizations registered for the service the model describes;
/// none for a model without a `serviceId` (the protocol suites' models).
pub fn for_service(service: &Service) -> &'static [&'static dyn Customization] {
    let Some(id) = service.metadata.service_id.as_deref() else {
        return &[];
    };
    REGISTRY
        .iter()
        .find(|(service_id, _)| *service_id == id)
        .map_or(&[], |(_, customizations)| customizations)
}

/// Applies the service's customizations to its model, in order; returns
/// those that changed it.
pub fn apply(service: &mut Service) -> Result<Vec<Applied>, Error> {
    let mut applied = Vec::new();
    for &customization in for_service(service) {
        let mut changes = customization.adjust_model(service)?;
        if let Some(hooks) = customization.runtime_hooks() {
            changes.push(format!("calls go through the runtime's `{hooks}` hooks"));
        }
        if !changes.is_empty() {
            applied.push(Applied {
                customization,
                changes,
            });
        }
    }
    Ok(applied)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn the_registry_names_each_service_once() {
        let ids: BTreeSet<&str> = REGISTRY.iter().map(|(id, _)| *id).collect();
        assert_eq!(ids.len(), REGISTRY.len(), "{REGISTRY:?}");
    }
}
