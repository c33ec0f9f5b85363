//! The code of an MFA device, for a role whose trust policy requires one
//! (`mfa_serial` in the profile). The library cannot prompt: the caller says
//! where codes come from, and a profile that needs one without a source
//! fails with an error saying so.

use super::BoxFuture;
use std::fmt;
use std::sync::Arc;

/// What an MFA code is asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MfaRequest {
    /// The profile that assumes the role.
    pub profile: String,
    /// The device (`mfa_serial`): an ARN or a hardware serial number.
    pub serial: String,
    pub role_arn: String,
}

/// A source of MFA codes; asked each time the role's credentials are
/// fetched (when the previous ones near expiry).
pub trait ProvideMfaToken: fmt::Debug + Send + Sync {
    fn mfa_token<'a>(&'a self, request: &'a MfaRequest) -> BoxFuture<'a, Result<String, String>>;
}

/// A source of MFA codes from a function that may block (a terminal
/// prompt): it runs on tokio's blocking pool.
#[derive(Clone)]
pub struct MfaTokenFn(Arc<AskMfa>);

/// A blocking function from what is asked to the code, or why there is none.
type AskMfa = dyn Fn(&MfaRequest) -> Result<String, String> + Send + Sync;

impl MfaTokenFn {
    pub fn new(f: impl Fn(&MfaRequest) -> Result<String, String> + Send + Sync + 'static) -> Self {
        MfaTokenFn(Arc::new(f))
    }
}

impl fmt::Debug for MfaTokenFn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MfaTokenFn")
    }
}

impl ProvideMfaToken for MfaTokenFn {
    fn mfa_token<'a>(&'a self, request: &'a MfaRequest) -> BoxFuture<'a, Result<String, String>> {
        let f = self.0.clone();
        let request = request.clone();
        Box::pin(async move {
            tokio::task::spawn_blocking(move || f(&request))
                .await
                .map_err(|e| format!("the MFA prompt did not finish: {e}"))?
        })
    }
}
