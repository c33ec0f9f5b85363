//! Configuration as every AWS SDK loads it, and the credential sources
//! organisations use: environment variables, the shared config and
//! credentials files, `credential_process`, container and EC2 instance
//! metadata, role assumption (profiles with `role_arn`), web identity
//! (EKS, `AWS_WEB_IDENTITY_TOKEN_FILE`) and IAM Identity Center (SSO).
//!
//! This crate sits above the generated STS, SSO and SSO-OIDC clients that
//! the last three call, and below every other generated service crate,
//! which re-exports [`Loader`] and `from_env()`: a user names nothing from
//! here directly.

pub mod credentials;
pub mod loader;
pub mod profile;
mod settings;

pub use loader::Loader;
