//! Endpoint rules: the rule set compiled into a resolver, and the
//! partition table it consults.

pub mod compile;
pub mod model;
mod region_pattern;
pub mod suite;

use crate::error::Error;
use model::Partitions;
use proc_macro2::TokenStream;
use quote::quote;

/// Whether the rules route by the caller's account (a parameter bound to
/// `AWS::Auth::AccountId`): the client then has the credentials, which
/// carry the account id, before it resolves the endpoint.
pub fn takes_account_id(rules: &model::RuleSet) -> bool {
    rules
        .parameters
        .values()
        .any(|p| p.built_in.as_deref() == Some("AWS::Auth::AccountId"))
}

/// Some endpoint of the rule set lists SigV4a among its `authSchemes`
/// (S3's multi-region access points, EventBridge's global endpoints,
/// Sustainability's every endpoint): the crate gets a `sigv4a` feature.
pub fn asks_for_sigv4a(rules: &model::RuleSet) -> bool {
    fn any(rules: &[model::Rule]) -> bool {
        rules.iter().any(|rule| match rule {
            model::Rule::Endpoint { endpoint, .. } => endpoint
                .properties
                .get("authSchemes")
                .and_then(|schemes| schemes.as_array())
                .is_some_and(|schemes| {
                    schemes
                        .iter()
                        .any(|s| s.get("name").and_then(|n| n.as_str()) == Some("sigv4a"))
                }),
            model::Rule::Tree { rules, .. } => any(rules),
            model::Rule::Error { .. } => false,
        })
    }
    any(&rules.rules)
}

/// `partitions.rs`: the partition table as static data.
pub fn partitions(table: &Partitions) -> Result<TokenStream, Error> {
    let entries = table
        .partitions
        .iter()
        .map(|p| {
            for (region, keys) in &p.regions {
                if keys.keys().any(|k| k != "description") {
                    return Err(Error::Unsupported {
                        shape: "partitions.json".into(),
                        what: format!("per-region output overrides (region `{region}`)"),
                    });
                }
            }
            let id = &p.id;
            let prefixes = region_pattern::region_prefixes(&p.region_regex).ok_or_else(|| {
                Error::Unsupported {
                    shape: format!("partitions.json: partition `{id}`"),
                    what: format!(
                        "the region pattern {:?} (only `^` prefix `\\-\\w+\\-\\d+$` is understood)",
                        p.region_regex
                    ),
                }
            })?;
            let regions = p.regions.keys();
            let o = &p.outputs;
            let (name, dns, dual, fips, dual_ok, global) = (
                &o.name,
                &o.dns_suffix,
                &o.dual_stack_dns_suffix,
                o.supports_fips,
                o.supports_dual_stack,
                &o.implicit_global_region,
            );
            Ok(quote! {
                PartitionSpec::new(#id, &[#(#prefixes),*], &[#(#regions),*], Partition {
                    name: #name,
                    dns_suffix: #dns,
                    dual_stack_dns_suffix: #dual,
                    supports_fips: #fips,
                    supports_dual_stack: #dual_ok,
                    implicit_global_region: #global,
                }),
            })
        })
        .collect::<Result<Vec<_>, Error>>()?;
    let count = entries.len();
    Ok(quote! {
        //! The AWS partitions, from `partitions.json`, for `aws.partition`.

        use sdkgen_runtime::endpoint_rules::{Partition, PartitionSpec};

        pub(crate) static PARTITIONS: [PartitionSpec; #count] = [#(#entries)*];
    })
}
