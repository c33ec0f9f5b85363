//! A role assumed with STS `AssumeRoleWithWebIdentity` and an OIDC token
//! from a file (EKS service accounts, GitHub Actions, ...). The file is
//! read again for every refresh: the platform rotates the token in place.

use super::assume_role::{default_session_name, from_sts};
use super::context::ProviderContext;
use super::profile_chain::WebIdentityRole;
use super::{BoxFuture, Credentials, CredentialsError, ProvideCredentials};
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Debug)]
pub struct WebIdentityCredentials {
    context: Arc<ProviderContext>,
    /// `None`: from `AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_ROLE_ARN` and
    /// `AWS_ROLE_SESSION_NAME`, read when asked.
    role: Option<(String, WebIdentityRole)>,
}

impl WebIdentityCredentials {
    /// From the environment, as EKS sets it.
    pub(crate) fn from_env(context: Arc<ProviderContext>) -> Self {
        WebIdentityCredentials {
            context,
            role: None,
        }
    }

    /// From a profile with `role_arn` and `web_identity_token_file`.
    pub(crate) fn from_profile(
        context: Arc<ProviderContext>,
        profile: String,
        role: WebIdentityRole,
    ) -> Self {
        WebIdentityCredentials {
            context,
            role: Some((profile, role)),
        }
    }

    /// What to assume, and who configured it (for messages).
    fn role(&self) -> Result<(String, WebIdentityRole), CredentialsError> {
        if let Some(role) = &self.role {
            return Ok(role.clone());
        }
        let env = &self.context.sources.env;
        let Some(token_file) = env.non_empty("AWS_WEB_IDENTITY_TOKEN_FILE") else {
            return Err(CredentialsError::not_loaded(
                "AWS_WEB_IDENTITY_TOKEN_FILE is not set",
            ));
        };
        let role_arn = env.non_empty("AWS_ROLE_ARN").ok_or_else(|| {
            CredentialsError::new("AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not")
        })?;
        Ok((
            "AWS_WEB_IDENTITY_TOKEN_FILE".to_string(),
            WebIdentityRole {
                role_arn,
                token_file: PathBuf::from(token_file),
                session_name: env.non_empty("AWS_ROLE_SESSION_NAME"),
            },
        ))
    }
}

impl ProvideCredentials for WebIdentityCredentials {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            let (origin, role) = self.role()?;
            let origin = if self.role.is_some() {
                format!("profile {origin:?}")
            } else {
                origin
            };
            let token = super::read_to_string(role.token_file.clone())
                .await
                .map_err(|e| {
                    CredentialsError::with_source(
                        format!(
                            "{origin}: cannot read the web identity token file {}",
                            role.token_file.display()
                        ),
                        e,
                    )
                })?;
            let token = token.trim();
            if token.is_empty() {
                return Err(CredentialsError::new(format!(
                    "{origin}: the web identity token file {} is empty",
                    role.token_file.display()
                )));
            }
            let output = self
                .context
                .sts(None)?
                .assume_role_with_web_identity()
                .role_arn(&role.role_arn)
                .role_session_name(
                    role.session_name
                        .clone()
                        .unwrap_or_else(default_session_name),
                )
                .web_identity_token(token)
                .send()
                .await
                .map_err(|e| {
                    CredentialsError::with_source(
                        format!(
                            "{origin}: assuming {} with a web identity failed",
                            role.role_arn
                        ),
                        super::CallFailed::new(&e),
                    )
                })?;
            let arn = output.assumed_role_user().and_then(|u| u.arn());
            from_sts(
                output.credentials(),
                arn,
                &origin,
                "AssumeRoleWithWebIdentity",
            )
        })
    }
}
