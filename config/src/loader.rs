//! Loads a client configuration the way every AWS SDK does: environment
//! variables, then the shared config files, with explicit settings on top.

use crate::credentials::ProviderContext;
use crate::credentials::{sso_token_session, SsoBearerToken};
use crate::credentials::{
    ChainProvider, ContainerCredentials, EnvironmentCredentials, ImdsCredentials, LazyCache,
    ProfileCredentials, ProvideCredentials, ProvideMfaToken, WebIdentityCredentials,
};
use crate::profile;
use crate::settings::{settings, Sources};
use sdkgen_runtime::clock::SystemClock;
use sdkgen_runtime::config::{ConfigBuilder, ConfigError};
use sdkgen_runtime::env::Env;
use std::sync::Arc;

/// Builds a [`ConfigBuilder`] from the environment and the shared config
/// files. Precedence, highest first:
///
/// - region: [`ConfigBuilder::region`], `AWS_REGION`, `AWS_DEFAULT_REGION`,
///   the profile's `region`;
/// - credentials: `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`; the profile
///   (a role to assume with `role_arn` from a `source_profile` or a
///   `credential_source`, web identity, SSO, keys or `credential_process`);
///   `AWS_WEB_IDENTITY_TOKEN_FILE` with `AWS_ROLE_ARN`; the container
///   endpoint; EC2 instance metadata; cached and refreshed as botocore
///   does (one caller refreshes 15 minutes before expiry while the others
///   go on; from 10 minutes, callers wait for that refresh);
/// - endpoint URL: [`ConfigBuilder::endpoint_url`],
///   `AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`, the profile's
///   `services` section, the profile's `endpoint_url`; all but the first are
///   ignored with `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true` (or the profile's
///   `ignore_configured_endpoint_urls`);
/// - proxies: `HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY` (either case);
/// - `AWS_DISABLE_REQUEST_COMPRESSION` / `disable_request_compression`,
///   `AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES` /
///   `request_min_compression_size_bytes`;
/// - checksums: `AWS_REQUEST_CHECKSUM_CALCULATION` /
///   `request_checksum_calculation` and `AWS_RESPONSE_CHECKSUM_VALIDATION` /
///   `response_checksum_validation` (`when_supported`, the default, or
///   `when_required`);
/// - `AWS_SIGV4A_SIGNING_REGION_SET` / `sigv4a_signing_region_set`, the
///   regions of a SigV4a signature;
/// - retries: `AWS_RETRY_MODE` / `retry_mode` (`standard` or `adaptive`;
///   botocore's `legacy` is refused by name) and `AWS_MAX_ATTEMPTS` /
///   `max_attempts`, each read on its own and combined, so the mode may
///   come from the profile and the attempts from the environment;
///   [`ConfigBuilder::retry_config`] replaces both;
/// - `AWS_USE_FIPS_ENDPOINT` / `use_fips_endpoint`,
///   `AWS_USE_DUALSTACK_ENDPOINT` / `use_dualstack_endpoint`;
/// - bearer token (a Bedrock API key): [`ConfigBuilder::bearer_token`],
///   `AWS_BEARER_TOKEN_<SIGNING NAME>` (`AWS_BEARER_TOKEN_BEDROCK`) for a
///   service that reads it ([`Loader::bearer_token_env`]); no profile
///   setting, as in botocore.
///
/// The profile is [`Loader::profile`], else `AWS_PROFILE`, else `default`.
/// A profile chosen with [`Loader::profile`] (the command's `--profile`)
/// also wins over credentials in the environment, as with the AWS CLI.
#[derive(Debug, Clone)]
pub struct Loader {
    service_id: &'static str,
    env: Env,
    profile: Option<String>,
    mfa: Option<Arc<dyn ProvideMfaToken>>,
    bearer_signing_name: Option<&'static str>,
    sso_bearer_token: bool,
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
            mfa: None,
            bearer_signing_name: None,
            sso_bearer_token: false,
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

    /// Where the code of an MFA device comes from, for a profile that
    /// assumes a role with `mfa_serial`; without one, such a profile fails
    /// with an error that says so.
    pub fn mfa_token_provider(mut self, provider: impl ProvideMfaToken + 'static) -> Loader {
        self.mfa = Some(Arc::new(provider));
        self
    }

    /// Reads a bearer token from `AWS_BEARER_TOKEN_<SIGNING NAME>`, the
    /// signing name upper-cased with `-` and spaces as `_`, as botocore
    /// names it (`bedrock`: `AWS_BEARER_TOKEN_BEDROCK`). Generated crates
    /// of the services botocore reads it for call this; a blank value is
    /// no token.
    pub fn bearer_token_env(mut self, signing_name: &'static str) -> Loader {
        self.bearer_signing_name = Some(signing_name);
        self
    }

    /// Takes bearer tokens from the SSO session the profile names
    /// (`sso_session`), from the cache `aws sso login` fills, refreshed
    /// with SSO OIDC near their expiry, as botocore's token provider does.
    /// Generated crates of the services that take tokens only
    /// (CodeCatalyst) call this; a token set in code wins.
    pub fn sso_bearer_token(mut self) -> Loader {
        self.sso_bearer_token = true;
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
        let sources = Sources {
            env: env.clone(),
            profiles: Arc::new(profiles),
            profile_name,
        };
        let mut builder = settings(&sources, self.service_id)?;
        if let Some(token) = self
            .bearer_signing_name
            .and_then(bearer_token_variable)
            .and_then(|var| env.non_empty(&var))
        {
            builder = builder.bearer_token(token);
        }
        let session = self
            .sso_bearer_token
            .then(|| sso_token_session(&sources.profiles, &sources.profile_name))
            .flatten();
        let profile_name = sources.profile_name.clone();
        let context = Arc::new(ProviderContext::new(sources, self.mfa));
        if let Some(session) = session {
            builder = builder.bearer_token_provider(SsoBearerToken::new(
                context.clone(),
                profile_name,
                session,
            ));
        }
        // A profile the caller chose (the command's `--profile`) wins over
        // keys in the environment, as with the AWS CLI; `AWS_PROFILE` does not.
        let mut sources: Vec<(&'static str, Arc<dyn ProvideCredentials>)> = Vec::new();
        if self.profile.is_none() {
            sources.push((
                "environment",
                Arc::new(EnvironmentCredentials::new(env.clone())),
            ));
        }
        sources.extend::<[(&'static str, Arc<dyn ProvideCredentials>); 4]>([
            (
                "profile",
                Arc::new(ProfileCredentials::new(context.clone(), explicit)),
            ),
            (
                "web identity",
                Arc::new(WebIdentityCredentials::from_env(context)),
            ),
            (
                "container",
                Arc::new(ContainerCredentials::new(env.clone())),
            ),
            (
                "instance metadata",
                Arc::new(ImdsCredentials::new(env.clone())),
            ),
        ]);
        let chain = Arc::new(ChainProvider::new(sources));
        Ok(builder.credentials_provider(LazyCache::new(chain, Arc::new(SystemClock))))
    }
}

/// `AWS_BEARER_TOKEN_BEDROCK` for `bedrock`; none for a blank name, as in
/// botocore's `get_token_from_environment`.
fn bearer_token_variable(signing_name: &str) -> Option<String> {
    if signing_name.trim().is_empty() {
        return None;
    }
    let name: String = signing_name
        .chars()
        .map(|c| match c {
            '-' | ' ' => '_',
            c => c.to_ascii_uppercase(),
        })
        .collect();
    Some(format!("AWS_BEARER_TOKEN_{name}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_token_variables_are_named_as_botocore_names_them() {
        for (signing_name, var) in [
            ("bedrock", Some("AWS_BEARER_TOKEN_BEDROCK")),
            ("bedrock-runtime", Some("AWS_BEARER_TOKEN_BEDROCK_RUNTIME")),
            ("Code Catalyst", Some("AWS_BEARER_TOKEN_CODE_CATALYST")),
            ("", None),
            ("  ", None),
        ] {
            assert_eq!(
                bearer_token_variable(signing_name).as_deref(),
                var,
                "{signing_name:?}"
            );
        }
    }

    #[test]
    fn the_bearer_token_comes_from_the_variable_of_the_signing_name() {
        let env = |pairs: &[(&str, &str)]| {
            let mut all = vec![("AWS_CONFIG_FILE", "/nonexistent/config")];
            all.extend_from_slice(pairs);
            Env::from_pairs(all)
        };
        let loaded = |loader: Loader| loader.load().unwrap().has_bearer_token();
        let set = env(&[("AWS_BEARER_TOKEN_BEDROCK", "bedrock-api-key-abc")]);
        assert!(loaded(
            Loader::new("Bedrock Runtime")
                .env(set.clone())
                .bearer_token_env("bedrock")
        ));
        // Only for a service that asks for it, and only its own variable.
        assert!(!loaded(Loader::new("Bedrock Runtime").env(set.clone())));
        assert!(!loaded(
            Loader::new("Other").env(set).bearer_token_env("other")
        ));
        // A blank value is no token.
        let blank = env(&[("AWS_BEARER_TOKEN_BEDROCK", "  ")]);
        assert!(!loaded(
            Loader::new("Bedrock Runtime")
                .env(blank)
                .bearer_token_env("bedrock")
        ));
    }

    /// Secrets never reach a `Debug` string: not the keys of the
    /// credentials file, not those of the environment, not a token.
    #[test]
    fn debug_of_a_loaded_config_shows_no_secret() {
        let dir = std::env::temp_dir().join(format!("sdkgen-config-debug-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let credentials = dir.join("credentials");
        std::fs::write(
            &credentials,
            "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = FILE-SECRET-KEY\naws_session_token = FILE-SESSION-TOKEN\n",
        )
        .unwrap();
        let config = dir.join("config");
        std::fs::write(&config, "[default]\nregion = eu-west-1\n").unwrap();
        let env = Env::from_pairs([
            ("AWS_CONFIG_FILE", config.to_str().unwrap()),
            ("AWS_SHARED_CREDENTIALS_FILE", credentials.to_str().unwrap()),
            ("AWS_ACCESS_KEY_ID", "AKIDENV"),
            ("AWS_SECRET_ACCESS_KEY", "ENV-SECRET-KEY"),
            ("AWS_SESSION_TOKEN", "ENV-SESSION-TOKEN"),
            ("AWS_BEARER_TOKEN_BEDROCK", "ENV-BEARER-TOKEN"),
        ]);
        let builder = Loader::new("Bedrock Runtime")
            .env(env)
            .bearer_token_env("bedrock")
            .load()
            .unwrap();
        assert!(builder.has_bearer_token());
        let printed = [format!("{builder:?}"), format!("{:#?}", builder.build())];
        std::fs::remove_dir_all(&dir).unwrap();
        for text in printed {
            for secret in [
                "FILE-SECRET-KEY",
                "FILE-SESSION-TOKEN",
                "ENV-SECRET-KEY",
                "ENV-SESSION-TOKEN",
                "ENV-BEARER-TOKEN",
            ] {
                assert!(!text.contains(secret), "{secret} in {text}");
            }
        }
    }
}
