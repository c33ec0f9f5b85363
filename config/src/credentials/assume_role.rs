//! A role assumed with STS `AssumeRole`, signed with the credentials of the
//! step before it in a profile's chain.

use super::context::ProviderContext;
use super::profile_chain::RoleHop;
use super::{BoxFuture, Credentials, CredentialsError, MfaRequest, ProvideCredentials};
use std::time::{SystemTime, UNIX_EPOCH};

#[derive(Debug)]
pub(crate) struct AssumeRoleCredentials {
    sts: sts::Client,
    hop: RoleHop,
    mfa: Option<std::sync::Arc<dyn super::ProvideMfaToken>>,
}

impl AssumeRoleCredentials {
    /// The role of `hop`, assumed with STS signing with `source`.
    pub(crate) fn new(
        context: &ProviderContext,
        hop: RoleHop,
        source: std::sync::Arc<dyn ProvideCredentials>,
    ) -> Result<Self, CredentialsError> {
        Ok(AssumeRoleCredentials {
            sts: context.sts(Some(source))?,
            hop,
            mfa: context.mfa.clone(),
        })
    }

    async fn mfa_code(&self, serial: &str) -> Result<String, CredentialsError> {
        let hop = &self.hop;
        let Some(mfa) = &self.mfa else {
            return Err(CredentialsError::new(format!(
                "profile {:?}: assuming {} needs the code of MFA device {serial:?}, and no MFA token provider was given (Loader::mfa_token_provider)",
                hop.profile, hop.role_arn
            )));
        };
        let request = MfaRequest {
            profile: hop.profile.clone(),
            serial: serial.to_string(),
            role_arn: hop.role_arn.clone(),
        };
        mfa.mfa_token(&request).await.map_err(|e| {
            CredentialsError::with_source(
                format!("profile {:?}: no MFA code for {serial:?}", hop.profile),
                e,
            )
        })
    }
}

impl ProvideCredentials for AssumeRoleCredentials {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            let hop = &self.hop;
            let mut call = self
                .sts
                .assume_role()
                .role_arn(&hop.role_arn)
                .role_session_name(
                    hop.session_name
                        .clone()
                        .unwrap_or_else(default_session_name),
                )
                .set_external_id(hop.external_id.clone())
                .set_duration_seconds(hop.duration_seconds);
            if let Some(serial) = &hop.mfa_serial {
                let code = self.mfa_code(serial).await?;
                call = call.serial_number(serial).token_code(code);
            }
            let output = call.send().await.map_err(|e| {
                CredentialsError::with_source(
                    format!(
                        "profile {:?}: assuming {} failed",
                        hop.profile, hop.role_arn
                    ),
                    super::CallFailed::new(&e),
                )
            })?;
            let origin = format!("profile {:?}", hop.profile);
            let arn = output.assumed_role_user().and_then(|u| u.arn());
            from_sts(output.credentials(), arn, &origin, "AssumeRole")
        })
    }
}

/// The name STS records for a session nobody named: unique enough to tell
/// sessions apart in CloudTrail.
pub(crate) fn default_session_name() -> String {
    let millis = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    format!("sdkgen-session-{millis}")
}

/// The credentials of an STS answer; every part must be there. `origin`
/// says who asked (`profile "dev"`), for messages. The account is the
/// assumed role's, from its ARN (`arn:aws:sts::ACCOUNT:assumed-role/..`),
/// as botocore takes it.
pub(crate) fn from_sts(
    credentials: Option<&sts::types::Credentials>,
    assumed_role_arn: Option<&str>,
    origin: &str,
    operation: &str,
) -> Result<Credentials, CredentialsError> {
    let incomplete = |what: &str| {
        CredentialsError::new(format!("{origin}: STS {operation} answered without {what}"))
    };
    let c = credentials.ok_or_else(|| incomplete("credentials"))?;
    let expiration = c.expiration().ok_or_else(|| incomplete("an expiration"))?;
    let expires_at =
        SystemTime::try_from(*expiration).map_err(|_| incomplete("a usable expiration"))?;
    let credentials = super::temporary(
        c.access_key_id(),
        c.secret_access_key(),
        c.session_token(),
        expires_at,
        incomplete,
    )?;
    Ok(match assumed_role_arn.and_then(arn_account) {
        Some(account) => credentials.with_account_id(account),
        None => credentials,
    })
}

/// The account of an ARN, if it names one.
fn arn_account(arn: &str) -> Option<&str> {
    let mut parts = arn.splitn(6, ':');
    let account = match (parts.next(), parts.nth(3), parts.next()) {
        (Some("arn"), Some(account), Some(_resource)) => account,
        _ => return None,
    };
    (!account.is_empty()).then_some(account)
}

#[cfg(test)]
mod tests {
    use super::arn_account;

    #[test]
    fn the_account_of_an_arn() {
        assert_eq!(
            arn_account("arn:aws:sts::123456789012:assumed-role/app/session"),
            Some("123456789012")
        );
        assert_eq!(
            arn_account("arn:aws-cn:iam::111122223333:role/app"),
            Some("111122223333")
        );
        for none in ["", "arn:aws:s3:::bucket", "arn:aws:sts::123", "not-an-arn"] {
            assert_eq!(arn_account(none), None, "{none}");
        }
    }
}
