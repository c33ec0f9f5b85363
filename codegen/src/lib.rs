//! Turns a botocore service model into the source files of a Rust client
//! crate: `model` (serde) → `customize` (the service's own rules) → `ir`
//! (every decision) → `emit` (tokens) → prettyplease. No I/O: the caller
//! reads the model and writes the files.

pub mod api_diff;
pub mod conformance;
pub mod customize;
pub mod docs;
pub mod emit;
pub mod error;
pub mod ir;
pub mod manifest;
pub mod model;
pub mod naming;
pub mod rules;
pub mod summary;

pub use emit::{Files, Options};
pub use error::Error;
use sha2::{Digest, Sha256};

/// The model files of one service.
#[derive(Debug, Clone, Copy, Default)]
pub struct Inputs<'a> {
    /// `service-2.json`
    pub service: &'a str,
    /// `endpoint-rule-set-1.json`, compiled into the crate's resolver; without
    /// it the client uses `https://{endpointPrefix}.{region}.amazonaws.com`.
    pub endpoint_rules: Option<&'a str>,
    /// `partitions.json`, needed with the rules.
    pub partitions: Option<&'a str>,
    /// `paginators-1.json`, for the operations that page.
    pub paginators: Option<&'a str>,
    /// `waiters-2.json`, for the operations that have waiters.
    pub waiters: Option<&'a str>,
}

/// What a generation left out, for `cargo xtask coverage`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Entries of `paginators-1.json` for the selected operations (and for
    /// operations the model does not have, which are refused).
    pub paginators_listed: usize,
    pub paginators_generated: usize,
    /// The listed paginators that are not generated, with why.
    pub paginators_refused: Vec<ir::Refusal>,
    /// Waiters of `waiters-2.json` for the selected operations (and for
    /// operations the model does not have, which are refused).
    pub waiters_listed: usize,
    pub waiters_generated: usize,
    /// The listed waiters that are not generated, with why.
    pub waiters_refused: Vec<ir::Refusal>,
}

/// Generates the crate for the operations in `selection` (all of them for
/// `None`). A paginator or a waiter that cannot be generated is an error:
/// an operation the model says pages or can be waited on is never left
/// without it in silence.
pub fn generate(
    inputs: &Inputs,
    selection: Option<&[String]>,
    options: &Options,
) -> Result<Files, Error> {
    let (files, report) = generate_with_report(inputs, selection, options)?;
    if let Some(refusal) = report.paginators_refused.into_iter().next() {
        return Err(Error::Paginator {
            operation: refusal.operation,
            reason: refusal.reason,
        });
    }
    match report.waiters_refused.into_iter().next() {
        Some(refusal) => Err(Error::Waiter {
            operation: refusal.operation,
            reason: refusal.reason,
        }),
        None => Ok(files),
    }
}

/// [`generate`], reporting the paginators it cannot generate instead of
/// failing on them.
pub fn generate_with_report(
    inputs: &Inputs,
    selection: Option<&[String]>,
    options: &Options,
) -> Result<(Files, Report), Error> {
    let mut service =
        model::Service::from_json(inputs.service).map_err(|e| Error::Model(e.to_string()))?;
    let customizations = customize::apply(&mut service)?;
    let protocol = emit::protocol::select(&service.metadata, options.protocol.as_deref())?;
    let mut krate = ir::lower(&service, selection, protocol, customizations)?;
    let mut report = Report::default();
    if let Some(paginators) = inputs.paginators {
        let paginators: model::Paginators = serde_json::from_str(paginators)
            .map_err(|e| Error::Model(format!("paginators-1.json: {e}")))?;
        report.paginators_refused = ir::attach_paginators(&mut krate, &service, &paginators);
        report.paginators_generated = krate
            .operations
            .iter()
            .filter(|op| op.paginator.is_some())
            .count();
        report.paginators_listed = report.paginators_generated + report.paginators_refused.len();
    }
    if let Some(waiters) = inputs.waiters {
        let waiters: model::Waiters = serde_json::from_str(waiters)
            .map_err(|e| Error::Model(format!("waiters-2.json: {e}")))?;
        report.waiters_refused = ir::attach_waiters(&mut krate, &service, &waiters);
        report.waiters_generated = krate.waiters.len();
        report.waiters_listed = report.waiters_generated + report.waiters_refused.len();
    }
    let rules = match (inputs.endpoint_rules, inputs.partitions) {
        (None, _) => None,
        (Some(_), None) => {
            return Err(Error::Invalid("endpoint rules need partitions.json".into()))
        }
        (Some(rules), Some(partitions)) => {
            let rules: rules::model::RuleSet = serde_json::from_str(rules)
                .map_err(|e| Error::Model(format!("endpoint-rule-set-1.json: {e}")))?;
            let partitions: rules::model::Partitions = serde_json::from_str(partitions)
                .map_err(|e| Error::Model(format!("partitions.json: {e}")))?;
            krate.service.sigv4a = rules::asks_for_sigv4a(&rules);
            Some((rules, partitions))
        }
    };
    let digest: String = Sha256::digest(inputs.service.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let files = emit::emit(
        &krate,
        options,
        &digest,
        rules.as_ref().map(|(r, p)| (r, p)),
    )?;
    Ok((files, report))
}
