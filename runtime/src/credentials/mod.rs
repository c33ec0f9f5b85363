//! AWS credentials, the trait every credentials source implements, and the
//! cache that refreshes temporary ones. The sources themselves
//! (environment, profiles, processes, containers, instance metadata, STS,
//! SSO) live in `sdkgen-config`, above the generated STS and SSO clients
//! some of them call.

mod cache;

pub use cache::{LazyCache, ADVISORY_REFRESH_WINDOW, DEFAULT_LIFETIME, MANDATORY_REFRESH_WINDOW};

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::SystemTime;

/// An access key pair, with a session token for temporary credentials.
///
/// `Debug` shows the access key id (it is not secret: it appears in every
/// request's `Authorization` header) but never the secret key or the token.
///
/// Shared: a provider hands out a clone before every request, which is a
/// reference count, not three strings copied.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials(Arc<Parts>);

#[derive(PartialEq, Eq)]
struct Parts {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
    expires_at: Option<SystemTime>,
    account_id: Option<String>,
}

impl Credentials {
    /// Long-term or temporary credentials.
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
        expires_at: Option<SystemTime>,
    ) -> Self {
        Credentials(Arc::new(Parts {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token,
            expires_at,
            account_id: None,
        }))
    }

    /// The same credentials, with the AWS account they belong to, as the
    /// source tells it (`AWS_ACCOUNT_ID`, a profile's `aws_account_id`, an
    /// SSO role, an assumed role's ARN): the endpoint rules of DynamoDB and
    /// others route by account (`AWS::Auth::AccountId`).
    pub fn with_account_id(self, account_id: impl Into<String>) -> Self {
        let parts = Arc::try_unwrap(self.0).unwrap_or_else(|shared| Parts {
            access_key_id: shared.access_key_id.clone(),
            secret_access_key: shared.secret_access_key.clone(),
            session_token: shared.session_token.clone(),
            expires_at: shared.expires_at,
            account_id: None,
        });
        Credentials(Arc::new(Parts {
            account_id: Some(account_id.into()),
            ..parts
        }))
    }

    pub fn access_key_id(&self) -> &str {
        &self.0.access_key_id
    }

    pub fn secret_access_key(&self) -> &str {
        &self.0.secret_access_key
    }

    pub fn session_token(&self) -> Option<&str> {
        self.0.session_token.as_deref()
    }

    /// When temporary credentials stop working.
    pub fn expires_at(&self) -> Option<SystemTime> {
        self.0.expires_at
    }

    /// The AWS account the credentials belong to, if their source said.
    pub fn account_id(&self) -> Option<&str> {
        self.0.account_id.as_deref()
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.0.access_key_id)
            .field("secret_access_key", &"** redacted **")
            .field(
                "session_token",
                &self.0.session_token.as_ref().map(|_| "** redacted **"),
            )
            .field("expires_at", &self.0.expires_at)
            .field("account_id", &self.0.account_id)
            .finish()
    }
}

/// Why credentials could not be had. The message says where (which source,
/// which profile); the [`source`](std::error::Error::source), when there is
/// one, says what failed there (the STS call, the file read).
#[derive(Debug, Clone)]
pub struct CredentialsError {
    not_loaded: bool,
    message: String,
    source: Option<Arc<dyn std::error::Error + Send + Sync>>,
}

impl CredentialsError {
    /// A source that is configured but failed: the chain stops here.
    pub fn new(message: impl Into<String>) -> Self {
        CredentialsError {
            not_loaded: false,
            message: message.into(),
            source: None,
        }
    }

    /// A source that is configured but failed, because of `source`.
    pub fn with_source(
        message: impl Into<String>,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        CredentialsError {
            not_loaded: false,
            message: message.into(),
            source: Some(Arc::from(source.into())),
        }
    }

    /// A source that is not configured (its variables unset, its profile
    /// without keys): the chain tries the next one.
    pub fn not_loaded(message: impl Into<String>) -> Self {
        CredentialsError {
            not_loaded: true,
            message: message.into(),
            source: None,
        }
    }

    /// The same error, its message prefixed by where it happened
    /// (`profile "dev"`), its cause kept.
    pub fn context(mut self, prefix: impl fmt::Display) -> Self {
        self.message = format!("{prefix}: {}", self.message);
        self
    }

    pub fn is_not_loaded(&self) -> bool {
        self.not_loaded
    }

    pub fn message(&self) -> &str {
        &self.message
    }
}

/// Errors are equal when they say the same; their causes are not compared.
impl PartialEq for CredentialsError {
    fn eq(&self, other: &Self) -> bool {
        self.not_loaded == other.not_loaded && self.message == other.message
    }
}

impl Eq for CredentialsError {}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "no credentials: {}", self.message)
    }
}

impl std::error::Error for CredentialsError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// A boxed future, as returned by trait methods that do I/O.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A source of credentials, asked before each request is signed; sources of
/// temporary credentials cache and refresh them themselves.
pub trait ProvideCredentials: fmt::Debug + Send + Sync {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>>;
}

/// Fixed credentials are their own provider.
impl ProvideCredentials for Credentials {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        let credentials = self.clone();
        Box::pin(async move { Ok(credentials) })
    }
}

/// A shared credentials provider.
pub type SharedCredentialsProvider = Arc<dyn ProvideCredentials>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_secret_or_the_token() {
        let creds = Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            Some("TOKEN-SECRET".into()),
            None,
        );
        for text in [format!("{creds:?}"), format!("{creds:#?}")] {
            assert!(text.contains("AKIDEXAMPLE"));
            assert!(!text.contains("wJalrXUtnFEMI"), "{text}");
            assert!(!text.contains("TOKEN-SECRET"), "{text}");
        }
    }

    #[test]
    fn the_account_id_is_added_to_shared_and_unshared_credentials_alike() {
        let creds = Credentials::new("AKID", "SECRET", Some("TOKEN".into()), None);
        assert_eq!(creds.account_id(), None);
        let kept = creds.clone();
        let with = creds.with_account_id("111122223333");
        assert_eq!(with.account_id(), Some("111122223333"));
        assert_eq!(
            (
                with.access_key_id(),
                with.secret_access_key(),
                with.session_token()
            ),
            ("AKID", "SECRET", Some("TOKEN"))
        );
        assert_eq!(
            kept.account_id(),
            None,
            "a clone shared before is unchanged"
        );
        let again = with.with_account_id("444455556666");
        assert_eq!(again.account_id(), Some("444455556666"));
        assert!(format!("{again:?}").contains("444455556666"));
    }
}
