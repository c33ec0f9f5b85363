//! The credential sources, and the default chain that tries them in the
//! order the AWS SDKs do.

mod chain;
mod container;
mod env;
mod http_source;
mod imds;
mod process;
mod profile;

pub use chain::ChainProvider;
pub use container::ContainerCredentials;
pub use env::EnvironmentCredentials;
pub use imds::ImdsCredentials;
pub use process::{parse_process_output, run_credential_process};
pub use profile::ProfileCredentials;
pub use sdkgen_runtime::credentials::{
    BoxFuture, Credentials, CredentialsError, LazyCache, ProvideCredentials,
};
