//! A bearer token from the SSO session a profile names (`sso_session`),
//! for the services that take tokens only (CodeCatalyst), as botocore's
//! `SSOTokenProvider` gives it: the token `aws sso login` cached, refreshed
//! with SSO OIDC when it nears its expiry and the cache can be rewritten.

use super::context::ProviderContext;
use super::profile_chain::SsoProfile;
use super::sso_token;
use super::{BoxFuture, CredentialsError};
use sdkgen_runtime::config::{ProvideToken, Token};
use std::sync::Arc;
use std::time::SystemTime;

#[derive(Debug)]
pub(crate) struct SsoBearerToken {
    context: Arc<ProviderContext>,
    profile: String,
    session: Result<SsoProfile, CredentialsError>,
}

impl SsoBearerToken {
    /// The token of `profile`'s session; a session that is not set up
    /// right is an error at the first call that needs the token, naming it.
    pub(crate) fn new(
        context: Arc<ProviderContext>,
        profile: String,
        session: Result<SsoProfile, CredentialsError>,
    ) -> Self {
        SsoBearerToken {
            context,
            profile,
            session,
        }
    }
}

impl ProvideToken for SsoBearerToken {
    fn provide_token(&self) -> BoxFuture<'_, Result<Token, CredentialsError>> {
        Box::pin(async move {
            let session = self.session.as_ref().map_err(Clone::clone)?;
            let token =
                sso_token::access_token(&self.context, &self.profile, session, SystemTime::now())
                    .await?;
            Ok(Token::new(token))
        })
    }
}
