//! The settings a client reads from the environment and the selected
//! profile (region, retries, FIPS and dual-stack, compression, proxies, the
//! endpoint URL), for the service a user calls and for the STS and SSO
//! clients that credential providers call on the user's behalf.

use crate::profile::{ProfileSet, Section};
use sdkgen_runtime::checksum::ChecksumPolicy;
use sdkgen_runtime::config::{AccountIdEndpointMode, ConfigBuilder, ConfigError};
use sdkgen_runtime::endpoint_rules::EndpointParam;
use sdkgen_runtime::env::Env;
use sdkgen_runtime::retry::{RetryConfig, RetryMode};
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
    // The mode and the attempts may come from different places (the mode
    // from the profile, the attempts from the environment): each is read
    // on its own, and the one retry configuration has both.
    let mode = match setting("AWS_RETRY_MODE", "retry_mode") {
        Some((value, from)) => Some(parse_retry_mode(&value, &from)?),
        None => None,
    };
    let attempts = match setting("AWS_MAX_ATTEMPTS", "max_attempts") {
        Some((value, from)) => Some(value.parse().ok().filter(|n| *n >= 1).ok_or_else(|| {
            ConfigError::new(format!(
                "{from} must be a whole number of at least 1, not {value:?}"
            ))
        })?),
        None => None,
    };
    if mode.is_some() || attempts.is_some() {
        let retry = RetryConfig::standard().with_mode(mode.unwrap_or_default());
        builder = builder.retry_config(match attempts {
            Some(attempts) => retry.with_max_attempts(attempts),
            None => retry,
        });
    }
    if let Some((value, from)) = setting("AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint") {
        builder = builder.use_fips(parse_bool(&value, &from)?);
    }
    if let Some((value, from)) = setting("AWS_USE_DUALSTACK_ENDPOINT", "use_dualstack_endpoint") {
        builder = builder.use_dual_stack(parse_bool(&value, &from)?);
    }
    builder = endpoint_built_ins(builder, env, profile, profile_name)?;
    if let Some((value, from)) = setting("AWS_ACCOUNT_ID_ENDPOINT_MODE", "account_id_endpoint_mode")
    {
        let mode = value
            .parse::<AccountIdEndpointMode>()
            .map_err(|why| ConfigError::new(format!("{from} {why}")))?;
        builder = builder.account_id_endpoint_mode(mode);
    }
    if let Some((value, from)) = setting(
        "AWS_DISABLE_REQUEST_COMPRESSION",
        "disable_request_compression",
    ) {
        builder = builder.disable_request_compression(parse_bool(&value, &from)?);
    }
    if let Some((value, _)) = setting("AWS_SIGV4A_SIGNING_REGION_SET", "sigv4a_signing_region_set")
    {
        builder = builder.sigv4a_signing_region_set(value);
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
    for (var, key, set) in [
        (
            "AWS_REQUEST_CHECKSUM_CALCULATION",
            "request_checksum_calculation",
            ConfigBuilder::request_checksum_calculation as fn(_, _) -> _,
        ),
        (
            "AWS_RESPONSE_CHECKSUM_VALIDATION",
            "response_checksum_validation",
            ConfigBuilder::response_checksum_validation,
        ),
    ] {
        if let Some((value, from)) = setting(var, key) {
            let policy = value
                .parse::<ChecksumPolicy>()
                .map_err(|why| ConfigError::new(format!("{from} {why}")))?;
            builder = set(builder, policy);
        }
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

/// The endpoint rules' built-ins that S3, S3 Control and STS read, and S3's
/// client context parameter `DisableS3ExpressSessionAuth`, as botocore
/// names them: a variable, else a key at the top of the profile, else one
/// in its nested `s3 =` section. Each is set by its built-in's name (the
/// client context parameter by its own), so a client whose rules do not
/// have it ignores it.
fn endpoint_built_ins(
    mut builder: ConfigBuilder,
    env: &Env,
    profile: &Section,
    profile_name: &str,
) -> Result<ConfigBuilder, ConfigError> {
    let found = |var: Option<&str>, key: Option<&str>, nested: Option<&str>| {
        let top = key.and_then(|key| {
            let value = profile.get(key)?.trim();
            Some((
                value.to_string(),
                format!("{key} in profile {profile_name:?}"),
            ))
        });
        let nested = nested.and_then(|key| {
            let value = profile.sub_property("s3", key)?.trim();
            Some((
                value.to_string(),
                format!("s3.{key} in profile {profile_name:?}"),
            ))
        });
        var.and_then(|var| env.non_empty(var).map(|v| (v, var.to_string())))
            .or(top)
            .or(nested)
            .filter(|(v, _)| !v.is_empty())
    };
    if let Some((value, from)) = found(None, None, Some("addressing_style")) {
        match value.to_ascii_lowercase().as_str() {
            "path" => builder = builder.force_path_style(true),
            "virtual" => builder = builder.force_path_style(false),
            // botocore's default: virtual where the bucket name allows it.
            "auto" => {}
            _ => {
                return Err(ConfigError::new(format!(
                    "{from} must be auto, path or virtual, not {value:?}"
                )))
            }
        }
    }
    if let Some((value, from)) = found(None, None, Some("use_accelerate_endpoint")) {
        builder = builder.accelerate(parse_bool(&value, &from)?);
    }
    if let Some((value, from)) = found(
        Some("AWS_S3_USE_ARN_REGION"),
        Some("s3_use_arn_region"),
        Some("use_arn_region"),
    ) {
        builder = builder.use_arn_region(parse_bool(&value, &from)?);
    }
    if let Some((value, from)) = found(
        Some("AWS_S3_DISABLE_MULTIREGION_ACCESS_POINTS"),
        None,
        Some("s3_disable_multiregion_access_points"),
    ) {
        builder = builder.disable_multi_region_access_points(parse_bool(&value, &from)?);
    }
    // botocore reads it from the environment and the top of the profile
    // only: its value there, `false` when unset, overrides the nested key.
    if let Some((value, from)) = found(
        Some("AWS_S3_DISABLE_EXPRESS_SESSION_AUTH"),
        Some("s3_disable_express_session_auth"),
        None,
    ) {
        builder = builder.disable_s3_express_session_auth(parse_bool(&value, &from)?);
    }
    if let Some((value, from)) = found(
        Some("AWS_S3_US_EAST_1_REGIONAL_ENDPOINT"),
        Some("s3_us_east_1_regional_endpoint"),
        Some("us_east_1_regional_endpoint"),
    ) {
        let global = parse_regional(&value, &from)?;
        builder =
            builder.endpoint_built_in("AWS::S3::UseGlobalEndpoint", EndpointParam::Bool(global));
    }
    if let Some((value, from)) = found(
        Some("AWS_STS_REGIONAL_ENDPOINTS"),
        Some("sts_regional_endpoints"),
        None,
    ) {
        let global = parse_regional(&value, &from)?;
        builder =
            builder.endpoint_built_in("AWS::STS::UseGlobalEndpoint", EndpointParam::Bool(global));
    }
    Ok(builder)
}

/// `legacy` (the global endpoint: `true`) or `regional` (`false`).
fn parse_regional(value: &str, from: &str) -> Result<bool, ConfigError> {
    match value.to_ascii_lowercase().as_str() {
        "legacy" => Ok(true),
        "regional" => Ok(false),
        _ => Err(ConfigError::new(format!(
            "{from} must be regional or legacy, not {value:?}"
        ))),
    }
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

/// `standard` or `adaptive`, in any case. botocore's `legacy` is refused by
/// name rather than taken for standard: its rules differ per service and
/// its default is 5 attempts, so a silent substitute would retry
/// differently from what the file asks.
fn parse_retry_mode(value: &str, from: &str) -> Result<RetryMode, ConfigError> {
    match value.to_ascii_lowercase().as_str() {
        "standard" => Ok(RetryMode::Standard),
        "adaptive" => Ok(RetryMode::Adaptive),
        "legacy" => Err(ConfigError::new(format!(
            "{from} is {value:?}: botocore's legacy retry mode (retry rules per service, 5 attempts) \
             is not supported by this client; use standard or adaptive"
        ))),
        _ => Err(ConfigError::new(format!(
            "{from} must be standard or adaptive, not {value:?}"
        ))),
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::{parse_into, FileKind};
    use std::path::Path;

    /// The retry configuration that `settings` reads from these variables
    /// and this config file.
    fn retry(vars: &[(&str, &str)], config_file: &str) -> Result<RetryConfig, ConfigError> {
        let mut profiles = ProfileSet::default();
        parse_into(
            &mut profiles,
            config_file,
            FileKind::Config,
            Path::new("config"),
        )
        .unwrap();
        let sources = Sources {
            env: Env::from_pairs(vars.iter().copied()),
            profiles: Arc::new(profiles),
            profile_name: "default".to_string(),
        };
        Ok(settings(&sources, "STS")?.build().retry_config().clone())
    }

    /// The checksum policies that `settings` reads: request, response.
    fn checksums(
        vars: &[(&str, &str)],
        config_file: &str,
    ) -> Result<(ChecksumPolicy, ChecksumPolicy), ConfigError> {
        let mut profiles = ProfileSet::default();
        parse_into(
            &mut profiles,
            config_file,
            FileKind::Config,
            Path::new("config"),
        )
        .unwrap();
        let sources = Sources {
            env: Env::from_pairs(vars.iter().copied()),
            profiles: Arc::new(profiles),
            profile_name: "default".to_string(),
        };
        let config = settings(&sources, "S3")?.build();
        Ok((
            config.request_checksum_calculation(),
            config.response_checksum_validation(),
        ))
    }

    #[test]
    fn checksum_policies_come_from_the_environment_or_the_profile() {
        use ChecksumPolicy::{WhenRequired, WhenSupported};
        assert_eq!(checksums(&[], "").unwrap(), (WhenSupported, WhenSupported));
        let file = "[default]\nrequest_checksum_calculation = WHEN_REQUIRED\n\
                    response_checksum_validation = when_supported\n";
        assert_eq!(checksums(&[], file).unwrap(), (WhenRequired, WhenSupported));
        let vars = [
            ("AWS_REQUEST_CHECKSUM_CALCULATION", "when_supported"),
            ("AWS_RESPONSE_CHECKSUM_VALIDATION", "when_required"),
        ];
        assert_eq!(
            checksums(&vars, file).unwrap(),
            (WhenSupported, WhenRequired)
        );
        let err = checksums(&[("AWS_RESPONSE_CHECKSUM_VALIDATION", "never")], "").unwrap_err();
        assert_eq!(
            err.to_string(),
            "AWS_RESPONSE_CHECKSUM_VALIDATION must be when_supported or when_required, not \"never\""
        );
    }

    /// The endpoint built-ins that `settings` reads, sorted by name.
    fn built_ins(
        vars: &[(&str, &str)],
        config_file: &str,
    ) -> Result<Vec<(&'static str, EndpointParam)>, ConfigError> {
        let mut profiles = ProfileSet::default();
        parse_into(
            &mut profiles,
            config_file,
            FileKind::Config,
            Path::new("config"),
        )
        .unwrap();
        let sources = Sources {
            env: Env::from_pairs(vars.iter().copied()),
            profiles: Arc::new(profiles),
            profile_name: "default".to_string(),
        };
        let mut found = settings(&sources, "S3")?
            .build()
            .endpoint_built_ins()
            .to_vec();
        found.sort_by_key(|(name, _)| *name);
        Ok(found)
    }

    #[test]
    fn s3_settings_come_from_the_environment_and_the_nested_s3_section() {
        use EndpointParam::Bool;
        assert_eq!(built_ins(&[], "").unwrap(), []);
        let file =
            "[default]\ns3 =\n  addressing_style = path\n  use_accelerate_endpoint = true\n  \
                    use_arn_region = false\n  s3_disable_multiregion_access_points = true\n  \
                    us_east_1_regional_endpoint = legacy\nsts_regional_endpoints = regional\n";
        assert_eq!(
            built_ins(&[], file).unwrap(),
            [
                ("AWS::S3::Accelerate", Bool(true)),
                ("AWS::S3::DisableMultiRegionAccessPoints", Bool(true)),
                ("AWS::S3::ForcePathStyle", Bool(true)),
                ("AWS::S3::UseArnRegion", Bool(false)),
                ("AWS::S3::UseGlobalEndpoint", Bool(true)),
                ("AWS::S3Control::UseArnRegion", Bool(false)),
                ("AWS::STS::UseGlobalEndpoint", Bool(false)),
            ]
        );
        // The environment wins, then the key at the top of the profile,
        // then the nested one.
        let file = "[default]\ns3_use_arn_region = true\ns3 =\n  use_arn_region = false\n  \
                    addressing_style = virtual\n";
        assert_eq!(
            built_ins(&[], file).unwrap(),
            [
                ("AWS::S3::ForcePathStyle", Bool(false)),
                ("AWS::S3::UseArnRegion", Bool(true)),
                ("AWS::S3Control::UseArnRegion", Bool(true)),
            ]
        );
        let vars = [
            ("AWS_S3_USE_ARN_REGION", "false"),
            ("AWS_S3_DISABLE_MULTIREGION_ACCESS_POINTS", "false"),
            ("AWS_S3_US_EAST_1_REGIONAL_ENDPOINT", "regional"),
            ("AWS_STS_REGIONAL_ENDPOINTS", "legacy"),
        ];
        assert_eq!(
            built_ins(&vars, file).unwrap(),
            [
                ("AWS::S3::DisableMultiRegionAccessPoints", Bool(false)),
                ("AWS::S3::ForcePathStyle", Bool(false)),
                ("AWS::S3::UseArnRegion", Bool(false)),
                ("AWS::S3::UseGlobalEndpoint", Bool(false)),
                ("AWS::S3Control::UseArnRegion", Bool(false)),
                ("AWS::STS::UseGlobalEndpoint", Bool(true)),
            ]
        );
        // botocore's default addressing leaves the rules to choose.
        assert_eq!(
            built_ins(&[], "[default]\ns3 =\n  addressing_style = auto\n").unwrap(),
            []
        );
    }

    #[test]
    fn s3_express_session_auth_is_turned_off_by_the_environment_or_the_profile() {
        use EndpointParam::Bool;
        let off = |v| vec![("DisableS3ExpressSessionAuth", Bool(v))];
        let file = "[default]\ns3_disable_express_session_auth = TRUE\n";
        assert_eq!(built_ins(&[], file).unwrap(), off(true));
        let var = "AWS_S3_DISABLE_EXPRESS_SESSION_AUTH";
        assert_eq!(built_ins(&[(var, "false")], file).unwrap(), off(false));
        // botocore reads no nested key for it: its `s3` section's name,
        // `disable_s3_express_session_auth`, is overwritten by the value
        // above (`false` when unset).
        let nested = "[default]\ns3 =\n  disable_s3_express_session_auth = true\n";
        assert_eq!(built_ins(&[], nested).unwrap(), []);
        let err = built_ins(&[(var, "yes")], "").unwrap_err();
        assert!(err.to_string().contains(var), "{err}");
    }

    #[test]
    fn the_account_id_endpoint_mode_comes_from_the_environment_then_the_profile() {
        let mode = |m: &str| {
            vec![(
                "AWS::Auth::AccountIdEndpointMode",
                EndpointParam::String(m.to_string()),
            )]
        };
        let file = "[default]\naccount_id_endpoint_mode = Disabled\n";
        assert_eq!(built_ins(&[], file).unwrap(), mode("disabled"));
        let vars = [("AWS_ACCOUNT_ID_ENDPOINT_MODE", "required")];
        assert_eq!(built_ins(&vars, file).unwrap(), mode("required"));
        let err = built_ins(&[("AWS_ACCOUNT_ID_ENDPOINT_MODE", "always")], "").unwrap_err();
        assert_eq!(
            err.to_string(),
            "AWS_ACCOUNT_ID_ENDPOINT_MODE must be preferred, disabled or required, not \"always\""
        );
    }

    #[test]
    fn the_sigv4a_region_set_comes_from_the_environment_then_the_profile() {
        let region_set = |vars: &[(&str, &str)], file: &str| {
            let mut profiles = ProfileSet::default();
            parse_into(&mut profiles, file, FileKind::Config, Path::new("config")).unwrap();
            let sources = Sources {
                env: Env::from_pairs(vars.iter().copied()),
                profiles: Arc::new(profiles),
                profile_name: "default".to_string(),
            };
            let config = settings(&sources, "S3").unwrap().build();
            config.sigv4a_signing_region_set().map(str::to_string)
        };
        let file = "[default]\nsigv4a_signing_region_set = us-west-2\n";
        assert_eq!(region_set(&[], ""), None);
        assert_eq!(region_set(&[], file).as_deref(), Some("us-west-2"));
        let vars = [("AWS_SIGV4A_SIGNING_REGION_SET", "us-east-1,eu-west-1")];
        assert_eq!(
            region_set(&vars, file).as_deref(),
            Some("us-east-1,eu-west-1")
        );
    }

    #[test]
    fn a_bad_s3_setting_is_refused_with_where_it_came_from() {
        let err = built_ins(&[], "[default]\ns3 =\n  addressing_style = host\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "s3.addressing_style in profile \"default\" must be auto, path or virtual, not \"host\""
        );
        let err = built_ins(&[("AWS_S3_USE_ARN_REGION", "yes")], "").unwrap_err();
        assert_eq!(
            err.to_string(),
            "AWS_S3_USE_ARN_REGION must be true or false, not \"yes\""
        );
        let err = built_ins(&[], "[default]\nsts_regional_endpoints = global\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "sts_regional_endpoints in profile \"default\" must be regional or legacy, not \"global\""
        );
    }

    #[test]
    fn the_retry_mode_comes_from_the_environment_or_the_profile() {
        let adaptive = RetryConfig::adaptive();
        assert_eq!(retry(&[], "").unwrap(), RetryConfig::standard());
        assert_eq!(
            retry(&[("AWS_RETRY_MODE", "adaptive")], "").unwrap(),
            adaptive
        );
        assert_eq!(
            retry(&[("AWS_RETRY_MODE", " Adaptive ")], "").unwrap(),
            adaptive
        );
        assert_eq!(
            retry(&[], "[default]\nretry_mode = adaptive\n").unwrap(),
            adaptive
        );
        // The environment wins over the profile.
        assert_eq!(
            retry(
                &[("AWS_RETRY_MODE", "standard")],
                "[default]\nretry_mode = adaptive\n"
            )
            .unwrap(),
            RetryConfig::standard()
        );
    }

    /// The mode and the attempts combine wherever each comes from, and in
    /// whichever order the file lists them.
    #[test]
    fn the_retry_mode_combines_with_max_attempts() {
        let expected = RetryConfig::adaptive().with_max_attempts(5);
        for (vars, file) in [
            (
                &[][..],
                "[default]\nretry_mode = adaptive\nmax_attempts = 5\n",
            ),
            (
                &[][..],
                "[default]\nmax_attempts = 5\nretry_mode = adaptive\n",
            ),
            (
                &[("AWS_RETRY_MODE", "adaptive"), ("AWS_MAX_ATTEMPTS", "5")][..],
                "",
            ),
            (
                &[("AWS_MAX_ATTEMPTS", "5"), ("AWS_RETRY_MODE", "adaptive")][..],
                "",
            ),
            (
                &[("AWS_MAX_ATTEMPTS", "5")][..],
                "[default]\nretry_mode = adaptive\n",
            ),
            (
                &[("AWS_RETRY_MODE", "adaptive")][..],
                "[default]\nmax_attempts = 5\n",
            ),
        ] {
            assert_eq!(retry(vars, file).unwrap(), expected, "{vars:?} {file:?}");
        }
        // Attempts alone keep standard mode.
        assert_eq!(
            retry(&[("AWS_MAX_ATTEMPTS", "5")], "").unwrap(),
            RetryConfig::standard().with_max_attempts(5)
        );
    }

    #[test]
    fn an_unknown_retry_mode_is_refused_with_where_it_came_from() {
        let err = retry(&[("AWS_RETRY_MODE", "fast")], "").unwrap_err();
        assert_eq!(
            err.to_string(),
            "AWS_RETRY_MODE must be standard or adaptive, not \"fast\""
        );
        let err = retry(&[], "[default]\nretry_mode = fast\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "retry_mode in profile \"default\" must be standard or adaptive, not \"fast\""
        );
        // A valid attempts setting does not hide a bad mode.
        let err = retry(
            &[("AWS_MAX_ATTEMPTS", "2")],
            "[default]\nretry_mode = adaptiv\n",
        )
        .unwrap_err();
        assert!(
            err.to_string().starts_with("retry_mode in profile"),
            "{err}"
        );
    }

    #[test]
    fn legacy_mode_is_refused_by_name() {
        for (vars, file, from) in [
            (&[("AWS_RETRY_MODE", "legacy")][..], "", "AWS_RETRY_MODE"),
            (
                &[][..],
                "[default]\nretry_mode = legacy\n",
                "retry_mode in profile \"default\"",
            ),
        ] {
            let err = retry(vars, file).unwrap_err().to_string();
            assert!(err.starts_with(&format!("{from} is \"legacy\": ")), "{err}");
            assert!(
                err.contains("legacy retry mode") && err.contains("not supported"),
                "{err}"
            );
            assert!(err.ends_with("use standard or adaptive"), "{err}");
        }
    }
}
