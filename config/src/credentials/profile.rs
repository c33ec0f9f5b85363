//! Credentials from a profile of the shared config files: static keys or
//! `credential_process`. Role assumption, web identity and SSO profiles are
//! recognised and refused with a clear error until STS and SSO clients
//! exist.

use super::process::{run_credential_process, DEFAULT_TIMEOUT};
use super::{BoxFuture, Credentials, CredentialsError, ProvideCredentials};
use crate::profile::ProfileSet;
use std::sync::Arc;

#[derive(Debug, Clone)]
pub struct ProfileCredentials {
    profiles: Arc<ProfileSet>,
    name: String,
    /// Whether the profile was chosen (`--profile`, `AWS_PROFILE`): then a
    /// missing profile is an error, not a reason to try the next source.
    explicit: bool,
}

impl ProfileCredentials {
    pub fn new(profiles: Arc<ProfileSet>, name: impl Into<String>, explicit: bool) -> Self {
        ProfileCredentials {
            profiles,
            name: name.into(),
            explicit,
        }
    }
}

impl ProvideCredentials for ProfileCredentials {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            let name = &self.name;
            let Some(profile) = self.profiles.profile(name) else {
                return Err(if self.explicit {
                    CredentialsError::new(format!(
                        "profile {name:?} is not in the shared config files"
                    ))
                } else {
                    CredentialsError::not_loaded(format!("no profile {name:?}"))
                });
            };
            let unsupported = [
                ("role_arn", "assuming a role (role_arn)"),
                (
                    "web_identity_token_file",
                    "web identity (web_identity_token_file)",
                ),
                ("sso_session", "IAM Identity Center (sso_session)"),
                ("sso_start_url", "IAM Identity Center (sso_start_url)"),
            ];
            if let Some((_, what)) = unsupported
                .iter()
                .find(|(key, _)| profile.get(key).is_some())
            {
                return Err(CredentialsError::new(format!(
                    "profile {name:?} uses {what}, which is not supported yet (it needs an STS or SSO client)"
                )));
            }
            let access_key = profile.get("aws_access_key_id").filter(|v| !v.is_empty());
            let secret = profile
                .get("aws_secret_access_key")
                .filter(|v| !v.is_empty());
            match (access_key, secret) {
                (Some(access_key), Some(secret)) => {
                    let token = profile
                        .get("aws_session_token")
                        .filter(|v| !v.is_empty())
                        .map(str::to_string);
                    Ok(Credentials::new(access_key, secret, token, None))
                }
                (Some(_), None) => Err(CredentialsError::new(format!(
                    "profile {name:?} has aws_access_key_id but no aws_secret_access_key"
                ))),
                (None, Some(_)) => Err(CredentialsError::new(format!(
                    "profile {name:?} has aws_secret_access_key but no aws_access_key_id"
                ))),
                (None, None) => match profile
                    .get("credential_process")
                    .filter(|v| !v.trim().is_empty())
                {
                    Some(command) => run_credential_process(command, DEFAULT_TIMEOUT).await,
                    None => Err(CredentialsError::not_loaded(format!(
                        "profile {name:?} has no credentials"
                    ))),
                },
            }
        })
    }
}
