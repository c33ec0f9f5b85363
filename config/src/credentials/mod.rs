//! The credential sources, and the default chain that tries them in the
//! order the AWS SDKs do.

mod assume_role;
mod chain;
mod container;
mod context;
mod env;
mod http_source;
mod imds;
mod mfa;
mod process;
mod profile;
mod profile_chain;
mod sso;
mod sso_token;
mod web_identity;

pub use chain::ChainProvider;
pub use container::ContainerCredentials;
pub(crate) use context::ProviderContext;
pub use env::EnvironmentCredentials;
pub use imds::ImdsCredentials;
pub use mfa::{MfaRequest, MfaTokenFn, ProvideMfaToken};
pub use process::{parse_process_output, run_credential_process};
pub use profile::ProfileCredentials;
pub use sdkgen_runtime::credentials::{
    BoxFuture, Credentials, CredentialsError, LazyCache, ProvideCredentials,
};
pub use web_identity::WebIdentityCredentials;

/// Runs blocking file work on tokio's blocking pool, as `tokio::fs` does,
/// but through this one function: each `tokio::fs` operation is a task
/// type of its own, compiled into the program on its own.
pub(crate) async fn file_io(
    work: Box<dyn FnOnce() -> std::io::Result<String> + Send>,
) -> std::io::Result<String> {
    match tokio::task::spawn_blocking(work).await {
        Ok(result) => result,
        Err(_) => Err(std::io::Error::other("background task failed")),
    }
}

/// Temporary credentials from a service's answer (STS, SSO), every part
/// required; `incomplete` says what is missing, in the caller's words.
pub(crate) fn temporary(
    access_key_id: Option<&str>,
    secret_access_key: Option<&str>,
    session_token: Option<&str>,
    expires_at: std::time::SystemTime,
    incomplete: impl Fn(&str) -> CredentialsError,
) -> Result<Credentials, CredentialsError> {
    Ok(Credentials::new(
        access_key_id.ok_or_else(|| incomplete("an access key id"))?,
        secret_access_key.ok_or_else(|| incomplete("a secret access key"))?,
        Some(
            session_token
                .ok_or_else(|| incomplete("a session token"))?
                .to_string(),
        ),
        Some(expires_at),
    ))
}
