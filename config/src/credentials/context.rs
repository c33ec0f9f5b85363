//! What the credential providers share: where settings come from, the MFA
//! token source, and the clients of STS, SSO and SSO-OIDC they call,
//! configured from the same environment and profile as the user's client.

use super::{CredentialsError, ProvideCredentials, ProvideMfaToken};
use crate::settings::{settings, Sources};
use sdkgen_runtime::config::ConfigBuilder;
use std::fmt;
use std::sync::Arc;

/// STS needs a region to pick its endpoint; with none configured, the AWS
/// SDKs use the one every account has.
const FALLBACK_STS_REGION: &str = "us-east-1";

pub struct ProviderContext {
    pub(crate) sources: Sources,
    pub(crate) mfa: Option<Arc<dyn ProvideMfaToken>>,
}

/// The profile's name, not its files: they hold keys and session tokens.
impl fmt::Debug for ProviderContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProviderContext")
            .field("profile", &self.sources.profile_name)
            .field("mfa_token_provider", &self.mfa.is_some())
            .finish()
    }
}

impl ProviderContext {
    pub(crate) fn new(sources: Sources, mfa: Option<Arc<dyn ProvideMfaToken>>) -> Self {
        ProviderContext { sources, mfa }
    }

    /// The selected profile's name.
    pub(crate) fn profile_name(&self) -> &str {
        &self.sources.profile_name
    }

    /// The settings of `service_id` (its endpoint from
    /// `AWS_ENDPOINT_URL_<SERVICE>` or the profile's `services` section).
    fn client_config(&self, service_id: &str) -> Result<ConfigBuilder, CredentialsError> {
        settings(&self.sources, service_id)
            .map_err(|e| CredentialsError::new(format!("configuring the {service_id} client: {e}")))
    }

    /// An STS client signing with `credentials` (none for the unsigned
    /// AssumeRoleWithWebIdentity), in the configured region.
    pub(crate) fn sts(
        &self,
        credentials: Option<Arc<dyn ProvideCredentials>>,
    ) -> Result<sts::Client, CredentialsError> {
        let mut config = self.client_config("STS")?;
        if config.get_region().is_none() {
            config = config.region(FALLBACK_STS_REGION);
        }
        if let Some(credentials) = credentials {
            config = config.credentials_provider(Shared(credentials));
        }
        Ok(sts::Client::new(config.build()))
    }

    /// An SSO client in the session's region (its calls are not signed).
    pub(crate) fn sso(&self, region: &str) -> Result<sso::Client, CredentialsError> {
        let config = self.client_config("SSO")?.region(region);
        Ok(sso::Client::new(config.build()))
    }

    /// An SSO-OIDC client in the session's region (its calls are not signed).
    pub(crate) fn sso_oidc(&self, region: &str) -> Result<sso_oidc::Client, CredentialsError> {
        let config = self.client_config("SSO OIDC")?.region(region);
        Ok(sso_oidc::Client::new(config.build()))
    }
}

/// A shared provider as a provider (the config builder takes one by value).
#[derive(Debug)]
struct Shared(Arc<dyn ProvideCredentials>);

impl ProvideCredentials for Shared {
    fn provide_credentials(
        &self,
    ) -> super::BoxFuture<'_, Result<super::Credentials, CredentialsError>> {
        self.0.provide_credentials()
    }
}
