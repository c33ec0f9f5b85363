//! Loads a client configuration the way every AWS SDK does: environment
//! variables, then the shared config files, with explicit settings on top.

use crate::credentials::{BoxFuture, Credentials, ProvideCredentials};
use crate::credentials::{
    ChainProvider, ContainerCredentials, CredentialsError, EnvironmentCredentials, ImdsCredentials,
    LazyCache, ProfileCredentials,
};
use crate::profile::{self, ProfileSet, Section};
use sdkgen_runtime::clock::SystemClock;
use sdkgen_runtime::config::{ConfigBuilder, ConfigError};
use sdkgen_runtime::env::Env;
use sdkgen_runtime::retry::RetryConfig;
use sdkgen_runtime::transport::ProxyConfig;
use std::sync::Arc;

/// Builds a [`ConfigBuilder`] from the environment and the shared config
/// files. Precedence, highest first:
///
/// - region: [`ConfigBuilder::region`], `AWS_REGION`, `AWS_DEFAULT_REGION`,
///   the profile's `region`;
/// - credentials: `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`, the profile
///   (keys or `credential_process`), the container endpoint, EC2 instance
///   metadata; cached and refreshed before expiry;
/// - endpoint URL: [`ConfigBuilder::endpoint_url`],
///   `AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`, the profile's
///   `services` section, the profile's `endpoint_url`; all but the first are
///   ignored with `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true` (or the profile's
///   `ignore_configured_endpoint_urls`);
/// - proxies: `HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY` (either case);
/// - `AWS_DISABLE_REQUEST_COMPRESSION` / `disable_request_compression`,
///   `AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES` /
///   `request_min_compression_size_bytes`;
/// - `AWS_MAX_ATTEMPTS` / `max_attempts`, `AWS_USE_FIPS_ENDPOINT` /
///   `use_fips_endpoint`, `AWS_USE_DUALSTACK_ENDPOINT` /
///   `use_dualstack_endpoint`.
///
/// The profile is [`Loader::profile`], else `AWS_PROFILE`, else `default`.
#[derive(Debug, Clone)]
pub struct Loader {
    service_id: &'static str,
    env: Env,
    profile: Option<String>,
}

impl Loader {
    /// A loader for the service whose id (`Chime SDK Voice`) names its
    /// endpoint settings (`AWS_ENDPOINT_URL_CHIME_SDK_VOICE`,
    /// `chime_sdk_voice` in a `services` section).
    pub fn new(service_id: &'static str) -> Loader {
        Loader {
            service_id,
            env: Env::process(),
            profile: None,
        }
    }

    /// Reads variables from `env` instead of the process environment.
    pub fn env(mut self, env: Env) -> Loader {
        self.env = env;
        self
    }

    /// The profile to use, over `AWS_PROFILE`.
    pub fn profile(mut self, name: impl Into<String>) -> Loader {
        self.profile = Some(name.into());
        self
    }

    /// Reads the files and the environment. A malformed file, a chosen
    /// profile that does not exist or a variable that is not a valid value
    /// is an error; credentials are looked up when a request needs them.
    pub fn load(self) -> Result<ConfigBuilder, ConfigError> {
        let env = &self.env;
        let (explicit, profile_name) = match self
            .profile
            .clone()
            .or_else(|| env.non_empty("AWS_PROFILE"))
        {
            Some(name) => (true, name),
            None => (false, "default".to_string()),
        };
        let (config_path, credentials_path) = profile::file_paths(env);
        let profiles = profile::load(config_path.as_deref(), credentials_path.as_deref())
            .map_err(|e| ConfigError::new(e.to_string()))?;
        if explicit && profiles.profile(&profile_name).is_none() {
            let files: Vec<String> = [config_path, credentials_path]
                .iter()
                .flatten()
                .map(|p| p.display().to_string())
                .collect();
            return Err(ConfigError::new(format!(
                "profile {profile_name:?} is not in the shared config files ({})",
                files.join(", ")
            )));
        }
        let empty = Section::default();
        let profile = profiles.profile(&profile_name).unwrap_or(&empty);
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
        if let Some((value, from)) = setting("AWS_USE_DUALSTACK_ENDPOINT", "use_dualstack_endpoint")
        {
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
        if let Some(url) = self.configured_endpoint(&profiles, profile, &profile_name)? {
            builder = builder.endpoint_url(url);
        }
        let sources: Vec<(&'static str, Arc<dyn ProvideCredentials>)> = vec![
            (
                "environment",
                Arc::new(EnvironmentCredentials::new(env.clone())),
            ),
            (
                "profile",
                Arc::new(ProfileCredentials::new(
                    Arc::new(profiles.clone()),
                    profile_name.clone(),
                    explicit,
                )),
            ),
            (
                "web identity",
                Arc::new(WebIdentityNotSupported(env.clone())),
            ),
            (
                "container",
                Arc::new(ContainerCredentials::new(env.clone())),
            ),
            (
                "instance metadata",
                Arc::new(ImdsCredentials::new(env.clone())),
            ),
        ];
        let chain = Arc::new(ChainProvider::new(sources));
        Ok(builder.credentials_provider(LazyCache::new(chain, Arc::new(SystemClock))))
    }

    fn configured_endpoint(
        &self,
        profiles: &ProfileSet,
        profile: &Section,
        profile_name: &str,
    ) -> Result<Option<String>, ConfigError> {
        let env = &self.env;
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
        let env_suffix = self
            .service_id
            .to_ascii_uppercase()
            .replace([' ', '-'], "_");
        let services_key = self
            .service_id
            .to_ascii_lowercase()
            .replace([' ', '-'], "_");
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
}

fn parse_bool(value: &str, from: &str) -> Result<bool, ConfigError> {
    match value.to_ascii_lowercase().as_str() {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(ConfigError::new(format!(
            "{from} must be true or false, not {value:?}"
        ))),
    }
}

/// `AWS_WEB_IDENTITY_TOKEN_FILE` with `AWS_ROLE_ARN` (EKS IRSA): recognised,
/// refused until an STS client exists.
#[derive(Debug)]
struct WebIdentityNotSupported(Env);

impl ProvideCredentials for WebIdentityNotSupported {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        let configured = self.0.non_empty("AWS_WEB_IDENTITY_TOKEN_FILE").is_some();
        Box::pin(async move {
            if configured {
                Err(CredentialsError::new(
                    "AWS_WEB_IDENTITY_TOKEN_FILE is set: web identity credentials are not supported yet (they need an STS client)",
                ))
            } else {
                Err(CredentialsError::not_loaded(
                    "AWS_WEB_IDENTITY_TOKEN_FILE is not set",
                ))
            }
        })
    }
}
