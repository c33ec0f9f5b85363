//! Tries credential sources in order, as the AWS SDKs' default chain does.

use super::{BoxFuture, Credentials, CredentialsError, ProvideCredentials};
use std::sync::Arc;

/// The first source that has credentials wins; a source that is configured
/// but fails stops the chain with its error (falling through to, say,
/// instance credentials would hide the misconfiguration).
#[derive(Debug, Clone)]
pub struct ChainProvider {
    sources: Vec<(&'static str, Arc<dyn ProvideCredentials>)>,
}

impl ChainProvider {
    pub fn new(sources: Vec<(&'static str, Arc<dyn ProvideCredentials>)>) -> Self {
        ChainProvider { sources }
    }
}

impl ProvideCredentials for ChainProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            let mut tried = Vec::new();
            for (name, source) in &self.sources {
                match source.provide_credentials().await {
                    Ok(credentials) => {
                        tracing::debug!(source = name, "credentials loaded");
                        return Ok(credentials);
                    }
                    Err(e) if e.is_not_loaded() => {
                        tracing::debug!(
                            source = name,
                            reason = e.message(),
                            "credentials source not configured"
                        );
                        tried.push(format!("{name} ({})", e.message()));
                    }
                    Err(e) => return Err(e.context(name)),
                }
            }
            Err(CredentialsError::not_loaded(format!(
                "none of the sources had credentials: {}",
                tried.join("; ")
            )))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Fixed(Result<Credentials, CredentialsError>);

    impl ProvideCredentials for Fixed {
        fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
            let result = self.0.clone();
            Box::pin(async move { result })
        }
    }

    fn source(result: Result<Credentials, CredentialsError>) -> Arc<dyn ProvideCredentials> {
        Arc::new(Fixed(result))
    }

    #[tokio::test]
    async fn order_fallthrough_and_stop() {
        let creds = Credentials::new("A", "S", None, None);
        let chain = ChainProvider::new(vec![
            ("first", source(Err(CredentialsError::not_loaded("unset")))),
            ("second", source(Ok(creds.clone()))),
            ("third", source(Err(CredentialsError::new("never asked")))),
        ]);
        assert_eq!(chain.provide_credentials().await.unwrap(), creds);

        let chain = ChainProvider::new(vec![
            ("first", source(Err(CredentialsError::new("bad profile")))),
            ("second", source(Ok(creds))),
        ]);
        let err = chain.provide_credentials().await.unwrap_err();
        assert_eq!(err.to_string(), "no credentials: first: bad profile");

        let chain = ChainProvider::new(vec![("a", source(Err(CredentialsError::not_loaded("x"))))]);
        let err = chain.provide_credentials().await.unwrap_err();
        assert_eq!(
            err.to_string(),
            "no credentials: none of the sources had credentials: a (x)"
        );
    }
}
