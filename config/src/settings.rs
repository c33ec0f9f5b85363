//! The settings a client reads from the environment and the selected
//! profile (region, retries, FIPS and dual-stack, compression, proxies, the
//! endpoint URL), for the service a user calls and for the STS and SSO
//! clients that credential providers call on the user's behalf.

use crate::profile::{ProfileSet, Section};
use sdkgen_runtime::config::{ConfigBuilder, ConfigError};
use sdkgen_runtime::env::Env;
use sdkgen_runtime::retry::RetryConfig;
use sdkgen_runtime::transport::ProxyConfig;
use std::sync::Arc;

/// Where settings come from: the environment, the shared config files, and
/// the profile selected in them.
#[derive(Debug, Clone)]
pub(crate) struct Sources {
    pub env: Env,
    pub profiles: Arc<ProfileSet>,
    pub profile_name: String,
}

/// The settings for the service whose id (`Chime SDK Voice`, `STS`) names
/// its endpoint variables; no credentials.
pub(crate) fn settings(sources: &Sources, service_id: &str) -> Result<ConfigBuilder, ConfigError> {
    let (env, profile_name) = (&sources.env, &sources.profile_name);
    let empty = Section::default();
    let profile = sources.profiles.profile(profile_name).unwrap_or(&empty);
    let setting = |var: &str, key: &str| -> Option<(String, String)> {
        env.non_empty(var)
            .map(|v| (v, var.to_string()))
            .or_else(|| {
                profile
                    .get(key)
                    .map(str::trim)
                    .filter(|v| !v.is_empty())
                    .map(|v| (v.to_string(), format!("{key} in profile {profile_name:?}")))
            })
    };

    let mut builder = ConfigBuilder::default();
    if let Some(region) = env
        .non_empty("AWS_REGION")
        .or_else(|| env.non_empty("AWS_DEFAULT_REGION"))
        .or_else(|| {
            profile
                .get("region")
                .map(|r| r.trim().to_string())
                .filter(|r| !r.is_empty())
        })
    {
        builder = builder.region(region);
    }
    if let Some((value, from)) = setting("AWS_MAX_ATTEMPTS", "max_attempts") {
        let attempts: u32 = value.parse().ok().filter(|n| *n >= 1).ok_or_else(|| {
            ConfigError::new(format!(
                "{from} must be a whole number of at least 1, not {value:?}"
            ))
        })?;
        builder = builder.retry_config(RetryConfig::standard().with_max_attempts(attempts));
    }
    if let Some((value, from)) = setting("AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint") {
        builder = builder.use_fips(parse_bool(&value, &from)?);
    }
    if let Some((value, from)) = setting("AWS_USE_DUALSTACK_ENDPOINT", "use_dualstack_endpoint") {
        builder = builder.use_dual_stack(parse_bool(&value, &from)?);
    }
    if let Some((value, from)) = setting(
        "AWS_DISABLE_REQUEST_COMPRESSION",
        "disable_request_compression",
    ) {
        builder = builder.disable_request_compression(parse_bool(&value, &from)?);
    }
    if let Some((value, from)) = setting(
        "AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES",
        "request_min_compression_size_bytes",
    ) {
        let bytes: u32 = value
            .parse()
            .ok()
            .filter(|n| *n <= sdkgen_runtime::compression::MAX_MIN_COMPRESSION_SIZE_BYTES)
            .ok_or_else(|| {
                ConfigError::new(format!(
                    "{from} must be a whole number of bytes from 0 to 10485760, not {value:?}"
                ))
            })?;
        builder = builder.request_min_compression_size_bytes(bytes);
    }
    let proxy = ProxyConfig::from_env(env);
    if !proxy.is_empty() {
        builder = builder.proxy(proxy);
    }
    if let Some(url) = configured_endpoint(sources, profile, service_id)? {
        builder = builder.endpoint_url(url);
    }
    Ok(builder)
}

/// The endpoint URL configured for the service, in the AWS SDKs' order.
fn configured_endpoint(
    sources: &Sources,
    profile: &Section,
    service_id: &str,
) -> Result<Option<String>, ConfigError> {
    let (env, profiles, profile_name) = (&sources.env, &*sources.profiles, &sources.profile_name);
    let ignore = match env.non_empty("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS") {
        Some(v) => parse_bool(&v, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")?,
        None => match profile.get("ignore_configured_endpoint_urls") {
            Some(v) => parse_bool(v.trim(), "ignore_configured_endpoint_urls")?,
            None => false,
        },
    };
    if ignore {
        return Ok(None);
    }
    let env_suffix = service_id.to_ascii_uppercase().replace([' ', '-'], "_");
    let services_key = service_id.to_ascii_lowercase().replace([' ', '-'], "_");
    if let Some(url) = env
        .non_empty(&format!("AWS_ENDPOINT_URL_{env_suffix}"))
        .or_else(|| env.non_empty("AWS_ENDPOINT_URL"))
    {
        return Ok(Some(url));
    }
    if let Some(services) = profile
        .get("services")
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let section = profiles.services.get(services).ok_or_else(|| {
            ConfigError::new(format!("profile {profile_name:?} names services section {services:?}, which does not exist"))
        })?;
        if let Some(url) = section
            .sub_property(&services_key, "endpoint_url")
            .filter(|u| !u.is_empty())
        {
            return Ok(Some(url.to_string()));
        }
    }
    Ok(profile
        .get("endpoint_url")
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .map(str::to_string))
}

pub(crate) fn parse_bool(value: &str, from: &str) -> Result<bool, ConfigError> {
    match value.to_ascii_lowercase().as_str() {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(ConfigError::new(format!(
            "{from} must be true or false, not {value:?}"
        ))),
    }
}
