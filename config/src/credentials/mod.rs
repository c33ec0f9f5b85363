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
mod retry;
mod sso;
mod sso_bearer;
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
pub(crate) use profile_chain::sso_token_session;
pub use retry::{Clocks, FETCH_ATTEMPTS};
pub use sdkgen_runtime::credentials::{
    BoxFuture, Credentials, CredentialsError, LazyCache, ProvideCredentials,
};
pub(crate) use sso_bearer::SsoBearerToken;
pub use web_identity::WebIdentityCredentials;

/// Work for tokio's blocking pool (file I/O, reaping a killed process),
/// always in this one type: each type of work given to
/// `spawn_blocking` is a task type of its own in the program, and
/// `tokio::fs` has one per operation.
pub(crate) type BlockingWork = Box<dyn FnOnce() -> std::io::Result<Vec<u8>> + Send>;

/// Runs `work` on tokio's blocking pool, as `tokio::fs` does.
pub(crate) async fn blocking(work: BlockingWork) -> std::io::Result<Vec<u8>> {
    match tokio::task::spawn_blocking(work).await {
        Ok(result) => result,
        Err(_) => Err(std::io::Error::other("background task failed")),
    }
}

/// `tokio::fs::read_to_string`, through [`blocking`].
pub(crate) async fn read_to_string(path: std::path::PathBuf) -> std::io::Result<String> {
    let bytes = blocking(Box::new(move || std::fs::read(path))).await?;
    String::from_utf8(bytes).map_err(|_| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "stream did not contain valid UTF-8",
        )
    })
}

/// A call to STS or SSO that failed, as the cause of a [`CredentialsError`]:
/// the call's error in its one line (an `SdkError` has no `source()`).
/// Kept as that line, not as the typed error, whose `Debug` (and that of
/// every error shape the operation models) would be compiled for this
/// alone.
pub(crate) struct CallFailed(String);

impl CallFailed {
    pub(crate) fn new(error: &impl std::fmt::Display) -> Box<Self> {
        Box::new(CallFailed(error.to_string()))
    }
}

impl std::fmt::Debug for CallFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::fmt::Display for CallFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CallFailed {}

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
