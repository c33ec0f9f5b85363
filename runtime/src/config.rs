//! Client configuration: region, credentials, endpoint, retries, timeouts,
//! transport, and the clock, sleep and randomness the runtime uses.

use crate::checksum::ChecksumPolicy;
use crate::clock::{
    FastRandom, SharedRandom, SharedSleep, SharedTimeSource, SystemClock, TokioSleep,
};
use crate::compression::{DEFAULT_MIN_COMPRESSION_SIZE_BYTES, MAX_MIN_COMPRESSION_SIZE_BYTES};
use crate::credentials::{
    BoxFuture, CredentialsError, ProvideCredentials, SharedCredentialsProvider,
};
use crate::endpoint_rules::EndpointParam;
use crate::protocol::{IdempotencyTokenProvider, RandomTokens, SharedIdempotencyTokenProvider};
use crate::retry::RetryConfig;
use crate::transport::{
    HttpClient, ProxyConfig, SharedTransport, Transport, DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_POOL_IDLE_TIMEOUT, DEFAULT_POOL_MAX_IDLE_PER_HOST,
};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// Timeouts; each fires as its own error kind
/// ([`TimeoutKind`](crate::error::TimeoutKind)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeoutConfig {
    connect: Option<Duration>,
    attempt: Option<Duration>,
    operation: Option<Duration>,
    read: Option<Duration>,
}

impl Default for TimeoutConfig {
    /// A 3.1 s connect timeout, as the AWS SDKs' standard defaults; no
    /// attempt, operation or read limit.
    fn default() -> Self {
        TimeoutConfig {
            connect: Some(DEFAULT_CONNECT_TIMEOUT),
            attempt: None,
            operation: None,
            read: None,
        }
    }
}

impl TimeoutConfig {
    /// Opening a connection.
    pub fn with_connect(mut self, timeout: Option<Duration>) -> Self {
        self.connect = timeout;
        self
    }

    /// One attempt: sending the request and reading the whole response;
    /// for a streamed response (a `ByteStream` payload, an event stream),
    /// until its head has arrived.
    pub fn with_attempt(mut self, timeout: Option<Duration>) -> Self {
        self.attempt = timeout;
        self
    }

    /// The whole call, retries and the waits between them included; for a
    /// streamed response, until its head has arrived: a stream may rightly
    /// last longer than any call.
    pub fn with_operation(mut self, timeout: Option<Duration>) -> Self {
        self.operation = timeout;
        self
    }

    /// The longest silence while a streamed response is read: the wait for
    /// the next bytes of a `ByteStream` payload, or between the events of
    /// an event stream. A model may think for a while before its next
    /// token, so there is none by default.
    pub fn with_read(mut self, timeout: Option<Duration>) -> Self {
        self.read = timeout;
        self
    }

    pub fn connect(&self) -> Option<Duration> {
        self.connect
    }

    pub fn attempt(&self) -> Option<Duration> {
        self.attempt
    }

    pub fn operation(&self) -> Option<Duration> {
        self.operation
    }

    pub fn read(&self) -> Option<Duration> {
        self.read
    }
}

/// A bearer token (a Bedrock API key): sent as `Authorization: Bearer
/// <token>` to operations that accept one, instead of a SigV4 signature.
/// It is a secret: `Debug` never shows it, and the client never logs it.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(Arc<str>);

impl Token {
    pub fn new(token: impl Into<String>) -> Token {
        Token(Arc::from(token.into()))
    }

    /// The token itself, for the `Authorization` header.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(** redacted **)")
    }
}

/// Gives a bearer token when a call needs one: a token that expires and is
/// refreshed (an SSO session's, from its cache), where a fixed [`Token`]
/// would not do. Called once per call of an operation that takes a token
/// only; a fixed token set with [`ConfigBuilder::bearer_token`] wins.
pub trait ProvideToken: fmt::Debug + Send + Sync {
    fn provide_token(&self) -> BoxFuture<'_, Result<Token, CredentialsError>>;
}

/// A token provider shared by the clones of a configuration.
pub type SharedTokenProvider = Arc<dyn ProvideToken>;

impl From<String> for Token {
    fn from(token: String) -> Token {
        Token::new(token)
    }
}

impl From<&str> for Token {
    fn from(token: &str) -> Token {
        Token::new(token)
    }
}

/// Whether requests go to endpoints that name the caller's AWS account
/// (`https://111122223333.ddb.us-east-1.amazonaws.com`), for the services
/// whose endpoint rules have them (`AWS::Auth::AccountIdEndpointMode`;
/// `AWS_ACCOUNT_ID_ENDPOINT_MODE`, a profile's `account_id_endpoint_mode`).
/// Unset, it is `preferred`, as in the AWS SDKs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AccountIdEndpointMode {
    /// Where the credentials name the account.
    Preferred,
    /// Never.
    Disabled,
    /// Always: a request without an account id fails.
    Required,
}

impl AccountIdEndpointMode {
    /// The value the endpoint rules compare.
    pub fn as_str(&self) -> &'static str {
        match self {
            AccountIdEndpointMode::Preferred => "preferred",
            AccountIdEndpointMode::Disabled => "disabled",
            AccountIdEndpointMode::Required => "required",
        }
    }
}

impl std::str::FromStr for AccountIdEndpointMode {
    type Err = String;

    /// `preferred`, `disabled` or `required`, in any case.
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "preferred" => Ok(AccountIdEndpointMode::Preferred),
            "disabled" => Ok(AccountIdEndpointMode::Disabled),
            "required" => Ok(AccountIdEndpointMode::Required),
            _ => Err(format!(
                "must be preferred, disabled or required, not {s:?}"
            )),
        }
    }
}

impl fmt::Display for AccountIdEndpointMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A value from the environment that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    message: String,
}

impl ConfigError {
    pub fn new(message: impl Into<String>) -> Self {
        ConfigError {
            message: message.into(),
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ConfigError {}

/// The configuration of a client. `Debug` never shows a secret.
#[derive(Clone)]
pub struct Config {
    pub(crate) region: Option<String>,
    pub(crate) credentials: Option<SharedCredentialsProvider>,
    pub(crate) bearer_token: Option<Token>,
    pub(crate) bearer_token_provider: Option<SharedTokenProvider>,
    pub(crate) endpoint_url: Option<String>,
    pub(crate) retry: RetryConfig,
    pub(crate) timeouts: TimeoutConfig,
    pub(crate) transport: Option<SharedTransport>,
    pub(crate) max_response_bytes: usize,
    pub(crate) idempotency_tokens: SharedIdempotencyTokenProvider,
    pub(crate) disable_request_compression: bool,
    pub(crate) request_min_compression_size_bytes: u32,
    /// SigV4a's region set, over the endpoint's: see
    /// [`ConfigBuilder::sigv4a_signing_region_set`].
    pub(crate) sigv4a_signing_region_set: Option<String>,
    pub(crate) request_checksum_calculation: ChecksumPolicy,
    pub(crate) response_checksum_validation: ChecksumPolicy,
    pub(crate) time_source: SharedTimeSource,
    pub(crate) sleep: SharedSleep,
    pub(crate) random: SharedRandom,
    pub(crate) app_name: Option<String>,
    pub(crate) use_fips: bool,
    pub(crate) use_dual_stack: bool,
    /// The endpoint rules' other built-ins, by name (S3's addressing,
    /// accelerate, ARN regions, ...): see [`ConfigBuilder::endpoint_built_in`].
    pub(crate) endpoint_built_ins: Vec<(&'static str, EndpointParam)>,
    pub(crate) proxy: ProxyConfig,
    pub(crate) pool_idle_timeout: Duration,
    pub(crate) pool_max_idle_per_host: usize,
    #[cfg(feature = "test-util")]
    pub(crate) mocks: Option<Arc<crate::test_util::Mocks>>,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("region", &self.region)
            .field("credentials", &self.credentials)
            .field("bearer_token", &self.bearer_token)
            .field("bearer_token_provider", &self.bearer_token_provider)
            .field("endpoint_url", &self.endpoint_url)
            .field("retry", &self.retry)
            .field("timeouts", &self.timeouts)
            .field("transport", &self.transport)
            .field("app_name", &self.app_name)
            .field("use_fips", &self.use_fips)
            .field("use_dual_stack", &self.use_dual_stack)
            .field("sigv4a_signing_region_set", &self.sigv4a_signing_region_set)
            .field("endpoint_built_ins", &self.endpoint_built_ins)
            .field("proxy", &self.proxy)
            .field(
                "request_checksum_calculation",
                &self.request_checksum_calculation,
            )
            .field(
                "response_checksum_validation",
                &self.response_checksum_validation,
            )
            .finish()
    }
}

impl Config {
    /// A builder with nothing set: no region, no credentials.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// When requests carry a checksum (see
    /// [`ConfigBuilder::request_checksum_calculation`]).
    pub fn request_checksum_calculation(&self) -> ChecksumPolicy {
        self.request_checksum_calculation
    }

    /// When responses are checked against their checksum (see
    /// [`ConfigBuilder::response_checksum_validation`]).
    pub fn response_checksum_validation(&self) -> ChecksumPolicy {
        self.response_checksum_validation
    }

    pub fn endpoint_url(&self) -> Option<&str> {
        self.endpoint_url.as_deref()
    }

    /// Whether a bearer token is set; the token itself is not shown.
    pub fn has_bearer_token(&self) -> bool {
        self.bearer_token.is_some()
    }

    pub fn retry_config(&self) -> &RetryConfig {
        &self.retry
    }

    pub fn use_fips(&self) -> bool {
        self.use_fips
    }

    pub fn use_dual_stack(&self) -> bool {
        self.use_dual_stack
    }

    pub fn proxy(&self) -> &ProxyConfig {
        &self.proxy
    }

    /// SigV4a's region set when set (else the endpoint's, or the region).
    pub fn sigv4a_signing_region_set(&self) -> Option<&str> {
        self.sigv4a_signing_region_set.as_deref()
    }

    /// The endpoint rules' built-ins beyond region, FIPS, dual-stack and
    /// endpoint URL that this configuration sets, by name.
    pub fn endpoint_built_ins(&self) -> &[(&'static str, EndpointParam)] {
        &self.endpoint_built_ins
    }

    pub fn timeout_config(&self) -> &TimeoutConfig {
        &self.timeouts
    }
}

/// Builds a [`Config`].
#[derive(Clone, Debug, Default)]
pub struct ConfigBuilder {
    region: Option<String>,
    credentials: Option<SharedCredentialsProvider>,
    bearer_token: Option<Token>,
    bearer_token_provider: Option<SharedTokenProvider>,
    endpoint_url: Option<String>,
    retry: Option<RetryConfig>,
    timeouts: Option<TimeoutConfig>,
    transport: Option<SharedTransport>,
    max_response_bytes: Option<usize>,
    idempotency_tokens: Option<SharedIdempotencyTokenProvider>,
    disable_request_compression: Option<bool>,
    request_min_compression_size_bytes: Option<u32>,
    sigv4a_signing_region_set: Option<String>,
    request_checksum_calculation: Option<ChecksumPolicy>,
    response_checksum_validation: Option<ChecksumPolicy>,
    time_source: Option<SharedTimeSource>,
    sleep: Option<SharedSleep>,
    random: Option<SharedRandom>,
    app_name: Option<String>,
    use_fips: Option<bool>,
    use_dual_stack: Option<bool>,
    endpoint_built_ins: Vec<(&'static str, EndpointParam)>,
    proxy: Option<ProxyConfig>,
    pool_idle_timeout: Option<Duration>,
    pool_max_idle_per_host: Option<usize>,
    #[cfg(feature = "test-util")]
    mocks: Option<Arc<crate::test_util::Mocks>>,
}

impl ConfigBuilder {
    /// Answers calls with these test doubles instead of sending them
    /// (requests are still built and signed; retries and timeouts behave
    /// as on the wire). See [`crate::test_util`].
    #[cfg(feature = "test-util")]
    pub fn mocks(mut self, mocks: crate::test_util::Mocks) -> Self {
        self.mocks = Some(Arc::new(mocks));
        self
    }

    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// The region set so far (by the loader or by [`Self::region`]).
    pub fn get_region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// Where credentials come from: a provider, or fixed
    /// [`Credentials`](crate::credentials::Credentials).
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.credentials = Some(Arc::new(provider));
        self
    }

    /// A bearer token (a Bedrock API key), over one the loader read from
    /// `AWS_BEARER_TOKEN_BEDROCK`. Operations that accept a token send it
    /// instead of signing, and need no credentials; the others still sign.
    pub fn bearer_token(mut self, token: impl Into<Token>) -> Self {
        self.bearer_token = Some(token.into());
        self
    }

    /// Where operations that take a bearer token only (CodeCatalyst) get one
    /// when no fixed token is set: the loader sets an SSO session's token
    /// cache, for services whose models take tokens only.
    pub fn bearer_token_provider(mut self, provider: impl ProvideToken + 'static) -> Self {
        self.bearer_token_provider = Some(Arc::new(provider));
        self
    }

    /// Removes the bearer token, so that operations that accept SigV4 sign
    /// even when `AWS_BEARER_TOKEN_BEDROCK` is set (botocore's way is a
    /// signature version chosen in code).
    pub fn clear_bearer_token(mut self) -> Self {
        self.bearer_token = None;
        self
    }

    /// Whether a bearer token is set (by the loader or by
    /// [`Self::bearer_token`]).
    pub fn has_bearer_token(&self) -> bool {
        self.bearer_token.is_some()
    }

    /// Sends every request to this URL (`https://host[:port][/prefix]`)
    /// instead of the service's regional endpoint.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint_url = Some(url.into());
        self
    }

    pub fn retry_config(mut self, retry: RetryConfig) -> Self {
        self.retry = Some(retry);
        self
    }

    pub fn timeout_config(mut self, timeouts: TimeoutConfig) -> Self {
        self.timeouts = Some(timeouts);
        self
    }

    /// The hyper transport to use; by default each client builds one from
    /// the timeouts and proxies.
    pub fn http_client(mut self, client: HttpClient) -> Self {
        self.transport = Some(Arc::new(client));
        self
    }

    /// Any [`Transport`]: requests go through it instead of the built-in
    /// hyper client.
    pub fn transport(mut self, transport: impl Transport + 'static) -> Self {
        self.transport = Some(Arc::new(transport));
        self
    }

    /// Where the tokens of unset idempotency token members come from
    /// (random UUID v4 by default).
    pub fn idempotency_token_provider(
        mut self,
        provider: impl IdempotencyTokenProvider + 'static,
    ) -> Self {
        self.idempotency_tokens = Some(Arc::new(provider));
        self
    }

    /// Never compress request bodies, even for operations that allow it.
    pub fn disable_request_compression(mut self, disable: bool) -> Self {
        self.disable_request_compression = Some(disable);
        self
    }

    /// The regions a SigV4a signature is valid in, comma-separated
    /// (`us-east-1,us-west-2`, or `*` for all): by default the endpoint's
    /// `signingRegionSet`, else the client's region. Only endpoints that
    /// ask for SigV4a read it (S3 multi-region access points, EventBridge
    /// global endpoints), and only with the runtime's `sigv4a` feature.
    pub fn sigv4a_signing_region_set(mut self, regions: impl Into<String>) -> Self {
        self.sigv4a_signing_region_set = Some(regions.into());
        self
    }

    /// The smallest body compressed, for operations that allow it (10240
    /// bytes by default; at most 10 MiB).
    pub fn request_min_compression_size_bytes(mut self, bytes: u32) -> Self {
        self.request_min_compression_size_bytes = Some(bytes.min(MAX_MIN_COMPRESSION_SIZE_BYTES));
        self
    }

    /// When requests carry a checksum, for operations that offer one
    /// (S3's): wherever supported (the default: CRC32 unless the input
    /// names another algorithm), or only where the operation requires one,
    /// for S3-compatible stores that refuse the checksum headers.
    pub fn request_checksum_calculation(mut self, policy: ChecksumPolicy) -> Self {
        self.request_checksum_calculation = Some(policy);
        self
    }

    /// When responses are checked against their checksum: wherever
    /// supported (the default: S3's `GetObject` asks for one), or only
    /// where the caller asks (the input's `ChecksumMode`).
    pub fn response_checksum_validation(mut self, policy: ChecksumPolicy) -> Self {
        self.response_checksum_validation = Some(policy);
        self
    }

    /// The largest response body read whole (16 MiB by default); streamed
    /// payloads are not limited.
    pub fn max_response_bytes(mut self, bytes: usize) -> Self {
        self.max_response_bytes = Some(bytes);
        self
    }

    pub fn time_source(mut self, time_source: SharedTimeSource) -> Self {
        self.time_source = Some(time_source);
        self
    }

    pub fn sleep(mut self, sleep: SharedSleep) -> Self {
        self.sleep = Some(sleep);
        self
    }

    pub fn random(mut self, random: SharedRandom) -> Self {
        self.random = Some(random);
        self
    }

    /// Use the service's FIPS endpoint.
    pub fn use_fips(mut self, use_fips: bool) -> Self {
        self.use_fips = Some(use_fips);
        self
    }

    /// Use the service's dual-stack (IPv4 and IPv6) endpoint.
    pub fn use_dual_stack(mut self, use_dual_stack: bool) -> Self {
        self.use_dual_stack = Some(use_dual_stack);
        self
    }

    /// Sets an endpoint rules built-in by the name rule sets give it
    /// (`AWS::S3::ForcePathStyle`), or a client context parameter that no
    /// built-in binds by the parameter's own name
    /// (`DisableS3ExpressSessionAuth`), for those without a method of their
    /// own; a rule set that has no parameter bound to it ignores it.
    pub fn endpoint_built_in(mut self, name: &'static str, value: EndpointParam) -> Self {
        match self.endpoint_built_ins.iter_mut().find(|(n, _)| *n == name) {
            Some(entry) => entry.1 = value,
            None => self.endpoint_built_ins.push((name, value)),
        }
        self
    }

    /// The value of an endpoint rules built-in set so far, by name.
    pub fn get_endpoint_built_in(&self, name: &str) -> Option<&EndpointParam> {
        self.endpoint_built_ins
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v)
    }

    /// S3: names the bucket in the path (`https://s3.REGION.amazonaws.com/BUCKET/KEY`)
    /// instead of the host name (`https://BUCKET.s3.REGION.amazonaws.com/KEY`),
    /// as servers such as MinIO want (`AWS::S3::ForcePathStyle`; the
    /// profile's `s3 = addressing_style = path`). Off by default.
    pub fn force_path_style(self, force_path_style: bool) -> Self {
        self.endpoint_built_in(
            "AWS::S3::ForcePathStyle",
            EndpointParam::Bool(force_path_style),
        )
    }

    /// S3: sends bucket requests to S3 Transfer Acceleration
    /// (`BUCKET.s3-accelerate.amazonaws.com`; `AWS::S3::Accelerate`, the
    /// profile's `s3 = use_accelerate_endpoint`).
    pub fn accelerate(self, accelerate: bool) -> Self {
        self.endpoint_built_in("AWS::S3::Accelerate", EndpointParam::Bool(accelerate))
    }

    /// S3 and S3 Control: whether an ARN given as a bucket or access point
    /// may name another region than the client's, and the request goes
    /// there (`AWS::S3::UseArnRegion`, `AWS::S3Control::UseArnRegion`;
    /// `AWS_S3_USE_ARN_REGION`, `s3_use_arn_region`). Unset, the rule
    /// sets follow the ARN's region; `false` refuses another region.
    pub fn use_arn_region(self, use_arn_region: bool) -> Self {
        self.endpoint_built_in("AWS::S3::UseArnRegion", EndpointParam::Bool(use_arn_region))
            .endpoint_built_in(
                "AWS::S3Control::UseArnRegion",
                EndpointParam::Bool(use_arn_region),
            )
    }

    /// S3 Express One Zone: signs a directory bucket's calls with the
    /// client's own credentials instead of a `CreateSession` session (the
    /// rules' `DisableS3ExpressSessionAuth`, a client context parameter, set
    /// by its own name; `AWS_S3_DISABLE_EXPRESS_SESSION_AUTH`, the
    /// profile's `s3_disable_express_session_auth`). Off by default.
    pub fn disable_s3_express_session_auth(self, disable: bool) -> Self {
        self.endpoint_built_in("DisableS3ExpressSessionAuth", EndpointParam::Bool(disable))
    }

    /// S3: refuses multi-region access point ARNs
    /// (`AWS::S3::DisableMultiRegionAccessPoints`;
    /// `AWS_S3_DISABLE_MULTIREGION_ACCESS_POINTS`).
    pub fn disable_multi_region_access_points(self, disable: bool) -> Self {
        self.endpoint_built_in(
            "AWS::S3::DisableMultiRegionAccessPoints",
            EndpointParam::Bool(disable),
        )
    }

    /// S3 and STS: in `us-east-1` (STS: in the regions that once had no
    /// endpoint of their own) use the global endpoint, `s3.amazonaws.com`
    /// or `sts.amazonaws.com`, rather than the regional one
    /// (`AWS::S3::UseGlobalEndpoint`, `AWS::STS::UseGlobalEndpoint`;
    /// botocore's `legacy` value of `s3 = us_east_1_regional_endpoint` and
    /// `sts_regional_endpoints`). Off by default: regional endpoints.
    pub fn use_global_endpoint(self, use_global_endpoint: bool) -> Self {
        self.endpoint_built_in(
            "AWS::S3::UseGlobalEndpoint",
            EndpointParam::Bool(use_global_endpoint),
        )
        .endpoint_built_in(
            "AWS::STS::UseGlobalEndpoint",
            EndpointParam::Bool(use_global_endpoint),
        )
    }

    /// Whether requests go to endpoints that name the account of the
    /// credentials (DynamoDB's `ACCOUNT.ddb.REGION.amazonaws.com`), for the
    /// services whose rules have them (`AWS::Auth::AccountIdEndpointMode`).
    /// The account id itself comes with the credentials
    /// ([`Credentials::with_account_id`](crate::Credentials::with_account_id)).
    pub fn account_id_endpoint_mode(self, mode: AccountIdEndpointMode) -> Self {
        self.endpoint_built_in(
            "AWS::Auth::AccountIdEndpointMode",
            EndpointParam::String(mode.as_str().to_string()),
        )
    }

    /// Proxies for the client's own transport (ignored with
    /// [`http_client`](Self::http_client) or [`transport`](Self::transport),
    /// which have their own).
    pub fn proxy(mut self, proxy: ProxyConfig) -> Self {
        self.proxy = Some(proxy);
        self
    }

    /// How long the client's own transport keeps an unused connection (60
    /// s by default); ignored with [`http_client`](Self::http_client) or
    /// [`transport`](Self::transport), which have their own.
    pub fn pool_idle_timeout(mut self, timeout: Duration) -> Self {
        self.pool_idle_timeout = Some(timeout);
        self
    }

    /// How many unused connections the client's own transport keeps per
    /// host (no limit by default; 0 opens a connection per request);
    /// ignored with [`http_client`](Self::http_client) or
    /// [`transport`](Self::transport).
    pub fn pool_max_idle_per_host(mut self, max: usize) -> Self {
        self.pool_max_idle_per_host = Some(max);
        self
    }

    /// Added to the user agent as `app/NAME`.
    pub fn app_name(mut self, name: impl Into<String>) -> Self {
        self.app_name = Some(name.into());
        self
    }

    pub fn build(self) -> Config {
        Config {
            region: self.region,
            credentials: self.credentials,
            bearer_token: self.bearer_token,
            bearer_token_provider: self.bearer_token_provider,
            endpoint_url: self.endpoint_url,
            retry: self.retry.unwrap_or_default(),
            timeouts: self.timeouts.unwrap_or_default(),
            transport: self.transport,
            max_response_bytes: self
                .max_response_bytes
                .unwrap_or(DEFAULT_MAX_RESPONSE_BYTES),
            idempotency_tokens: self
                .idempotency_tokens
                .unwrap_or_else(|| Arc::new(RandomTokens)),
            disable_request_compression: self.disable_request_compression.unwrap_or(false),
            request_min_compression_size_bytes: self
                .request_min_compression_size_bytes
                .unwrap_or(DEFAULT_MIN_COMPRESSION_SIZE_BYTES),
            sigv4a_signing_region_set: self.sigv4a_signing_region_set,
            request_checksum_calculation: self.request_checksum_calculation.unwrap_or_default(),
            response_checksum_validation: self.response_checksum_validation.unwrap_or_default(),
            time_source: self.time_source.unwrap_or_else(|| Arc::new(SystemClock)),
            sleep: self.sleep.unwrap_or_else(|| Arc::new(TokioSleep)),
            random: self.random.unwrap_or_else(|| Arc::new(FastRandom)),
            app_name: self.app_name,
            use_fips: self.use_fips.unwrap_or(false),
            use_dual_stack: self.use_dual_stack.unwrap_or(false),
            endpoint_built_ins: self.endpoint_built_ins,
            proxy: self.proxy.unwrap_or_default(),
            pool_idle_timeout: self.pool_idle_timeout.unwrap_or(DEFAULT_POOL_IDLE_TIMEOUT),
            pool_max_idle_per_host: self
                .pool_max_idle_per_host
                .unwrap_or(DEFAULT_POOL_MAX_IDLE_PER_HOST),
            #[cfg(feature = "test-util")]
            mocks: self.mocks,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::Credentials;

    #[test]
    fn account_id_endpoint_modes_read_in_any_case_and_reach_the_rules_by_name() {
        for (text, mode) in [
            ("preferred", AccountIdEndpointMode::Preferred),
            ("DISABLED", AccountIdEndpointMode::Disabled),
            (" required ", AccountIdEndpointMode::Required),
        ] {
            assert_eq!(text.parse::<AccountIdEndpointMode>(), Ok(mode));
            assert_eq!(mode.to_string(), text.trim().to_ascii_lowercase());
        }
        assert_eq!(
            "sometimes".parse::<AccountIdEndpointMode>(),
            Err("must be preferred, disabled or required, not \"sometimes\"".to_string())
        );
        let config = Config::builder()
            .account_id_endpoint_mode(AccountIdEndpointMode::Disabled)
            .build();
        assert_eq!(
            config.endpoint_built_ins(),
            [(
                "AWS::Auth::AccountIdEndpointMode",
                EndpointParam::String("disabled".into())
            )]
        );
    }

    #[test]
    fn endpoint_built_ins_are_kept_by_name_and_the_last_setting_wins() {
        use EndpointParam::Bool;
        let config = Config::builder()
            .force_path_style(true)
            .use_arn_region(false)
            .force_path_style(false)
            .endpoint_built_in(
                "AWS::Auth::AccountId",
                EndpointParam::String("123456789012".into()),
            )
            .build();
        assert_eq!(
            config.endpoint_built_ins(),
            [
                ("AWS::S3::ForcePathStyle", Bool(false)),
                ("AWS::S3::UseArnRegion", Bool(false)),
                ("AWS::S3Control::UseArnRegion", Bool(false)),
                (
                    "AWS::Auth::AccountId",
                    EndpointParam::String("123456789012".into())
                ),
            ]
        );
        assert!(Config::builder().build().endpoint_built_ins().is_empty());
    }

    #[test]
    fn debug_hides_secrets() {
        let config = Config::builder()
            .region("us-east-1")
            .credentials_provider(Credentials::new(
                "AKID",
                "SECRET-KEY",
                Some("SESSION-TOKEN".into()),
                None,
            ))
            .bearer_token("BEARER-TOKEN")
            .build();
        let text = format!("{config:?}");
        assert!(
            text.contains("us-east-1")
                && text.contains("AKID")
                && text.contains("bearer_token: Some(Token(** redacted **))"),
            "{text}"
        );
        assert!(
            !text.contains("SECRET-KEY")
                && !text.contains("SESSION-TOKEN")
                && !text.contains("BEARER-TOKEN"),
            "{text}"
        );
    }
}
