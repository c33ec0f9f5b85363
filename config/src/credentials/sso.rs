//! Role credentials from IAM Identity Center: the SSO access token of the
//! profile's session, traded with SSO `GetRoleCredentials` (not signed: the
//! token is the authorization) for the profile's account and role.

use super::context::ProviderContext;
use super::profile_chain::SsoProfile;
use super::sso_token;
use super::{BoxFuture, Credentials, CredentialsError, ProvideCredentials};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

#[derive(Debug)]
pub(crate) struct SsoCredentials {
    context: Arc<ProviderContext>,
    profile: String,
    sso: SsoProfile,
}

impl SsoCredentials {
    pub(crate) fn new(context: Arc<ProviderContext>, profile: String, sso: SsoProfile) -> Self {
        SsoCredentials {
            context,
            profile,
            sso,
        }
    }
}

impl ProvideCredentials for SsoCredentials {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            let (profile, sso) = (&self.profile, &self.sso);
            let token =
                sso_token::access_token(&self.context, profile, sso, SystemTime::now()).await?;
            let output = self
                .context
                .sso(&sso.region)?
                .get_role_credentials()
                .role_name(&sso.role_name)
                .account_id(&sso.account_id)
                .access_token(token)
                .send()
                .await
                .map_err(|e| {
                    CredentialsError::with_source(
                        format!(
                            "profile {profile:?}: SSO GetRoleCredentials for role {} in account {} failed",
                            sso.role_name, sso.account_id
                        ),
                        super::CallFailed::new(&e),
                    )
                })?;
            let incomplete = |what: &str| {
                CredentialsError::new(format!(
                    "profile {profile:?}: SSO GetRoleCredentials answered without {what}"
                ))
            };
            let c = output
                .role_credentials()
                .ok_or_else(|| incomplete("credentials"))?;
            // Milliseconds since the epoch.
            let expiration = c
                .expiration()
                .and_then(|ms| u64::try_from(ms).ok())
                .ok_or_else(|| incomplete("an expiration"))?;
            // The role's account, which the profile names.
            Ok(super::temporary(
                c.access_key_id(),
                c.secret_access_key(),
                c.session_token(),
                UNIX_EPOCH + Duration::from_millis(expiration),
                incomplete,
            )?
            .with_account_id(&sso.account_id))
        })
    }
}
