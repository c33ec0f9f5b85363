//! Credentials from the environment variables.

use super::{BoxFuture, Credentials, CredentialsError, ProvideCredentials};
use sdkgen_runtime::env::Env;

/// Credentials from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and
/// `AWS_SESSION_TOKEN`, with the account of `AWS_ACCOUNT_ID`, read each
/// time they are asked for.
#[derive(Debug, Clone)]
pub struct EnvironmentCredentials(Env);

impl Default for EnvironmentCredentials {
    /// The process environment.
    fn default() -> Self {
        EnvironmentCredentials(Env::process())
    }
}

impl EnvironmentCredentials {
    /// Reads the variables from `env`.
    pub fn new(env: Env) -> Self {
        EnvironmentCredentials(env)
    }

    /// The credentials the variables hold now.
    pub fn read(&self) -> Result<Credentials, CredentialsError> {
        let get = |name: &str| self.0.non_empty(name);
        let access_key = get("AWS_ACCESS_KEY_ID");
        let secret = get("AWS_SECRET_ACCESS_KEY");
        match (access_key, secret) {
            (Some(access_key), Some(secret)) => {
                let credentials =
                    Credentials::new(access_key, secret, get("AWS_SESSION_TOKEN"), None);
                Ok(match get("AWS_ACCOUNT_ID") {
                    Some(account) => credentials.with_account_id(account),
                    None => credentials,
                })
            }
            (Some(_), None) => Err(CredentialsError::new(
                "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not",
            )),
            (None, Some(_)) => Err(CredentialsError::new(
                "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not",
            )),
            (None, None) => Err(CredentialsError::not_loaded(
                "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set",
            )),
        }
    }
}

impl ProvideCredentials for EnvironmentCredentials {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        let result = self.read();
        Box::pin(async move { result })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_credentials() {
        let vars = |pairs: &'static [(&'static str, &'static str)]| {
            EnvironmentCredentials::new(Env::from_pairs(pairs.iter().copied()))
        };
        let creds = vars(&[
            ("AWS_ACCESS_KEY_ID", "AKID"),
            ("AWS_SECRET_ACCESS_KEY", "SECRET"),
            ("AWS_SESSION_TOKEN", "TOKEN"),
        ])
        .read()
        .unwrap();
        assert_eq!(
            (
                creds.access_key_id(),
                creds.secret_access_key(),
                creds.session_token()
            ),
            ("AKID", "SECRET", Some("TOKEN"))
        );
        let err = vars(&[("AWS_ACCESS_KEY_ID", "AKID")]).read().unwrap_err();
        assert_eq!(
            err.to_string(),
            "no credentials: AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not"
        );
        assert!(vars(&[]).read().is_err());
        let creds = vars(&[
            ("AWS_ACCESS_KEY_ID", "A"),
            ("AWS_SECRET_ACCESS_KEY", "S"),
            ("AWS_SESSION_TOKEN", ""),
        ])
        .read()
        .unwrap();
        assert_eq!(creds.session_token(), None, "an empty token is no token");
        assert_eq!(creds.account_id(), None);
        let creds = vars(&[
            ("AWS_ACCESS_KEY_ID", "A"),
            ("AWS_SECRET_ACCESS_KEY", "S"),
            ("AWS_ACCOUNT_ID", "111122223333"),
        ])
        .read()
        .unwrap();
        assert_eq!(creds.account_id(), Some("111122223333"));
    }
}
