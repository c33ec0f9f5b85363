//! Credentials from the selected profile of the shared config files, of
//! whatever kind it is configured for: keys, `credential_process`, a role
//! assumed from another profile or a `credential_source` (any number of
//! hops), web identity, or SSO.
//!
//! The profile's chain is worked out and its providers built on the first
//! request, then kept: each hop caches its credentials, so a refresh of the
//! last role does not fetch the source's again while they are fresh.

use super::assume_role::AssumeRoleCredentials;
use super::context::ProviderContext;
use super::process::{run_credential_process, DEFAULT_TIMEOUT};
use super::profile_chain::{self, Leaf, NamedSource};
use super::sso::SsoCredentials;
use super::web_identity::WebIdentityCredentials;
use super::{
    BoxFuture, ContainerCredentials, Credentials, CredentialsError, EnvironmentCredentials,
    ImdsCredentials, LazyCache, ProvideCredentials,
};
use sdkgen_runtime::clock::SystemClock;
use std::sync::Arc;
use tokio::sync::OnceCell;

type Built = Result<Arc<dyn ProvideCredentials>, CredentialsError>;

#[derive(Debug)]
pub struct ProfileCredentials {
    context: Arc<ProviderContext>,
    /// Whether the profile was chosen (`--profile`, `AWS_PROFILE`): then a
    /// missing profile is an error, not a reason to try the next source.
    explicit: bool,
    built: OnceCell<Built>,
}

impl ProfileCredentials {
    pub(crate) fn new(context: Arc<ProviderContext>, explicit: bool) -> Self {
        ProfileCredentials {
            context,
            explicit,
            built: OnceCell::new(),
        }
    }

    fn build(&self) -> Built {
        let context = &self.context;
        let name = context.profile_name();
        let profiles = &context.sources.profiles;
        if profiles.profile(name).is_none() {
            return Err(if self.explicit {
                CredentialsError::new(format!(
                    "profile {name:?} is not in the shared config files"
                ))
            } else {
                CredentialsError::not_loaded(format!("no profile {name:?}"))
            });
        }
        let Some(chain) = profile_chain::resolve(profiles, name)? else {
            return Err(CredentialsError::not_loaded(format!(
                "profile {name:?} has no credentials"
            )));
        };
        let mut provider = leaf(context, chain.leaf);
        for hop in chain.roles {
            let source = Arc::new(LazyCache::new(provider, Arc::new(SystemClock)));
            provider = Arc::new(AssumeRoleCredentials::new(context, hop, source)?);
        }
        Ok(provider)
    }
}

fn leaf(context: &Arc<ProviderContext>, leaf: Leaf) -> Arc<dyn ProvideCredentials> {
    let env = context.sources.env.clone();
    match leaf {
        Leaf::AccessKey { credentials, .. } => Arc::new(credentials),
        Leaf::Process { profile, command } => Arc::new(ProcessCredentials { profile, command }),
        Leaf::Named { profile, source } => {
            let inner: Arc<dyn ProvideCredentials> = match source {
                NamedSource::Environment => Arc::new(EnvironmentCredentials::new(env)),
                NamedSource::Ec2InstanceMetadata => Arc::new(ImdsCredentials::new(env)),
                NamedSource::EcsContainer => Arc::new(ContainerCredentials::new(env)),
            };
            Arc::new(Required {
                profile,
                source,
                inner,
            })
        }
        Leaf::WebIdentity { profile, role } => Arc::new(WebIdentityCredentials::from_profile(
            context.clone(),
            profile,
            role,
        )),
        Leaf::Sso { profile, sso } => Arc::new(SsoCredentials::new(context.clone(), profile, sso)),
    }
}

impl ProvideCredentials for ProfileCredentials {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            let built = self.built.get_or_init(|| async { self.build() }).await;
            match built {
                Ok(provider) => provider.provide_credentials().await,
                Err(e) => Err(e.clone()),
            }
        })
    }
}

/// `credential_process` of a profile.
#[derive(Debug)]
struct ProcessCredentials {
    profile: String,
    command: String,
}

impl ProvideCredentials for ProcessCredentials {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            run_credential_process(&self.command, DEFAULT_TIMEOUT)
                .await
                .map_err(|e| e.context(format_args!("profile {:?}", self.profile)))
        })
    }
}

/// A `credential_source`: the profile says it is there, so its absence is
/// an error, not a reason to try something else.
#[derive(Debug)]
struct Required {
    profile: String,
    source: NamedSource,
    inner: Arc<dyn ProvideCredentials>,
}

impl ProvideCredentials for Required {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            self.inner.provide_credentials().await.map_err(|e| {
                CredentialsError::new(format!(
                    "profile {:?}: credential_source {:?}: {}",
                    self.profile,
                    self.source,
                    e.message()
                ))
            })
        })
    }
}
