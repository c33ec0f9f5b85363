//! botocore's endpoint rule tests (`endpoint-tests-1.json`) against
//! resolvers compiled from the rule sets and, for the cases that name an
//! operation, against the generated client: written once here, driven by
//! generated tables of services (`cargo xtask coverage --endpoints`) and by
//! `tests/tests/endpoint_rules.rs`.
//!
//! Each case is checked at the resolver: its parameters, each of which the
//! rule set must have with that type, and the endpoint compared as
//! botocore's runner compares it (URL, every property, headers), or the
//! error's message word for word. Each of its `operationInputs` is then
//! called through the client (see [`call`]).

pub mod call;
pub mod expect;
pub mod recorder;

pub use call::{chain, Call, CallEnd, CallInput, Outcome};
pub use sdkgen_runtime::endpoint_rules::{EndpointParam, ResolveError, ResolvedEndpoint};
use serde_json::Value;
use std::path::Path;

/// A resolver fed a case's parameters by name: its answer, or the name of
/// a parameter the rule set does not have with that type.
pub type Resolve =
    fn(&[(String, EndpointParam)]) -> Result<Result<ResolvedEndpoint, ResolveError>, String>;

/// `resolver!(fn name, krate::endpoint)`: a [`Resolve`] function `name`
/// over a generated endpoint module (its `Params` and `resolve`).
#[macro_export]
macro_rules! resolver {
    ($vis:vis fn $name:ident, $($module:ident)::+) => {
        $vis fn $name(
            params: &[(String, $crate::EndpointParam)],
        ) -> Result<Result<$crate::ResolvedEndpoint, $crate::ResolveError>, String> {
            let mut p = $($module)::+::Params::default();
            for (name, value) in params {
                if !p.set(name, value.clone()) {
                    return Err(format!("the rule set has no parameter {name} of this type"));
                }
            }
            Ok($($module)::+::resolve(&p))
        }
    };
}

/// One service: its rule set compiled, and its calls where its cases name
/// operations.
pub struct Service {
    /// botocore's directory name, which names its test file's directory.
    pub name: &'static str,
    /// The resolver, or why the generator could not compile the rule set
    /// (every case of the service then fails with it).
    pub resolve: Result<Resolve, &'static str>,
    /// The service's calls; without them its cases' `operationInputs` are
    /// counted as not called, and said.
    pub call: Option<Call>,
}

/// A case not run: (service, case documentation, why).
pub type Skip = (&'static str, &'static str, &'static str);

/// What a run found.
#[derive(Debug, Default)]
pub struct Report {
    pub services: usize,
    pub ran: usize,
    pub passed: usize,
    pub skipped: usize,
    /// Operation calls that passed, by how they ended.
    pub sent: usize,
    pub rules_errors: usize,
    pub refused: usize,
    /// `operationInputs` entries of services given without calls.
    pub not_called: usize,
    /// Per failing service: how many of its cases failed, and the first.
    pub failing: Vec<Failing>,
    /// Entries of the skip list that name no case.
    pub stale_skips: Vec<String>,
}

#[derive(Debug)]
pub struct Failing {
    pub service: &'static str,
    pub failed: usize,
    pub first: String,
}

impl Report {
    pub fn ok(&self) -> bool {
        self.failing.is_empty() && self.stale_skips.is_empty() && self.ran > 0
    }

    /// `endpoint rules: S services, N cases ran, P passed, K skipped`, the
    /// calls, and each failing service with its first failing case.
    pub fn print(&self, skipped: &[Skip]) {
        println!(
            "endpoint rules: {} services, {} cases ran, {} passed, {} skipped",
            self.services, self.ran, self.passed, self.skipped
        );
        println!(
            "operation calls passed: {} sent, {} failed with the rules' error, {} refused for a scheme the client does not sign with",
            self.sent, self.rules_errors, self.refused
        );
        if self.not_called > 0 {
            println!(
                "operation calls not made: {} (of services given without calls)",
                self.not_called
            );
        }
        for (service, case, reason) in skipped {
            println!("skipped {service}: {case}: {reason}");
        }
        for stale in &self.stale_skips {
            println!("FAILED the skip list names no case: {stale}");
        }
        for f in &self.failing {
            println!(
                "FAILED {}: {} cases fail; the first: {}",
                f.service, f.failed, f.first
            );
        }
    }
}

/// Whether the services are those whose tests `dir` holds, no more, no less.
pub fn every_service(dir: &Path, services: &[Service]) -> Result<(), String> {
    let mut on_disk: Vec<String> = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot list {}: {e}", dir.display()))?
        .flatten()
        .filter(|e| e.path().join("endpoint-tests-1.json").is_file())
        .filter_map(|e| e.file_name().into_string().ok())
        .collect();
    on_disk.sort();
    let mut names: Vec<&str> = services.iter().map(|s| s.name).collect();
    names.sort_unstable();
    if on_disk != names {
        let missing: Vec<&String> = on_disk
            .iter()
            .filter(|d| !names.contains(&d.as_str()))
            .collect();
        let extra: Vec<&&str> = names
            .iter()
            .filter(|n| !on_disk.iter().any(|d| d == *n))
            .collect();
        return Err(format!(
            "the services and the test files differ: no resolver for {missing:?}, no test file for {extra:?}"
        ));
    }
    Ok(())
}

/// Whether each built-in (name, rules type) is a setting a user makes
/// through `ConfigBuilder` (or, for the account id, the credentials), as
/// [`call::config`] makes it for the cases; printed, one per line.
pub fn settable(built_ins: &[(&str, &str)]) -> Result<(), String> {
    let recorder = recorder::Recorder::default();
    for (name, kind) in built_ins {
        let sample = match *kind {
            "boolean" => Value::Bool(true),
            "string" => Value::String(match *name {
                "AWS::Region" => "us-east-1".into(),
                "SDK::Endpoint" => "https://example.com".into(),
                "AWS::Auth::AccountIdEndpointMode" => "preferred".into(),
                _ => "x".into(),
            }),
            other => return Err(format!("the built-in {name} is of type {other}")),
        };
        let mut given = serde_json::Map::new();
        given.insert(name.to_string(), sample);
        call::config(&Value::Object(given), &recorder)
            .map_err(|why| format!("the built-in {name}: {why}"))?;
    }
    let names: Vec<&str> = built_ins.iter().map(|(n, _)| *n).collect();
    println!(
        "built-ins: the rule sets name {}, each a configuration setting: {}",
        names.len(),
        names.join(", ")
    );
    Ok(())
}

/// Runs every case of `services`, reading `DIR/<service>/endpoint-tests-1.json`.
pub fn run(dir: &Path, services: &[Service], skipped: &[Skip]) -> Result<Report, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("no runtime: {e}"))?;
    let mut report = Report {
        services: services.len(),
        ..Report::default()
    };
    let mut used = vec![false; skipped.len()];
    for service in services {
        let path = dir.join(service.name).join("endpoint-tests-1.json");
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let tests: Value = serde_json::from_str(&text)
            .map_err(|e| format!("{}: not JSON: {e}", path.display()))?;
        let cases = tests["testCases"]
            .as_array()
            .ok_or_else(|| format!("{}: no testCases", path.display()))?;
        let mut failed = 0;
        let mut first = None;
        for (index, case) in cases.iter().enumerate() {
            let name = case["documentation"].as_str().unwrap_or("(unnamed)");
            let skip = skipped
                .iter()
                .position(|(s, n, _)| *s == service.name && *n == name);
            if let Some(i) = skip {
                used[i] = true;
                report.skipped += 1;
                continue;
            }
            report.ran += 1;
            match runtime.block_on(run_case(service, index, case, &mut report)) {
                Ok(()) => report.passed += 1,
                Err(why) => {
                    failed += 1;
                    first.get_or_insert_with(|| format!("case {index} {name:?}: {why}"));
                }
            }
        }
        if cases.is_empty() {
            failed += 1;
            first = Some("the test file has no case".into());
        }
        if let Some(first) = first {
            report.failing.push(Failing {
                service: service.name,
                failed,
                first,
            });
        }
    }
    report.stale_skips = skipped
        .iter()
        .zip(&used)
        .filter(|(_, used)| !**used)
        .map(|((s, n, _), _)| format!("{s}: {n}"))
        .collect();
    Ok(report)
}

/// One case: at the resolver, then each of its operation calls.
async fn run_case(
    service: &Service,
    index: usize,
    case: &Value,
    report: &mut Report,
) -> Result<(), String> {
    let resolve = service
        .resolve
        .map_err(|why| format!("no resolver: {why}"))?;
    let params = expect::params(&case["params"])?;
    let got = resolve(&params)?;
    expect::resolution(&got, &case["expect"]).map_err(|why| format!("resolver: {why}"))?;
    if let Ok(endpoint) = &got {
        expect::chosen(endpoint, &case["expect"]).map_err(|why| format!("resolver: {why}"))?;
    }
    for (i, input) in case["operationInputs"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        let Some(call) = service.call else {
            report.not_called += 1;
            continue;
        };
        let end = call::check(
            call,
            CallInput::new(index, i, input),
            input,
            &case["expect"],
        )
        .await
        .map_err(|why| format!("{}: {why}", input["operationName"]))?;
        match end {
            CallEnd::Sent => report.sent += 1,
            CallEnd::RulesError => report.rules_errors += 1,
            CallEnd::Refused => report.refused += 1,
        }
    }
    Ok(())
}
