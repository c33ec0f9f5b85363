//! What a scenario is, the emulator it talks to, and the checks scenarios
//! make.
//!
//! A scenario is an async function from the [`Emulator`] to an
//! [`Outcome`]: `Ok(())`, or `Err` with a sentence saying which value was
//! wrong and what it was. Each one asserts values that came back from the
//! emulator, so that it fails when the client reads a response wrongly.

use std::future::Future;
use std::pin::Pin;
use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

/// A scenario's result: `Err` says what was wrong.
pub type Outcome = Result<(), String>;

/// A scenario's body. Scenarios take the emulator by value so that each
/// runs as a task of its own (a panic fails that scenario only).
pub type Run = fn(Emulator) -> Pin<Box<dyn Future<Output = Outcome> + Send>>;

/// One named scenario: `service: what it shows`.
pub struct Scenario {
    pub name: &'static str,
    pub run: Run,
}

/// The region every scenario configures, as a user would.
pub const REGION: &str = "us-east-1";

/// Static test credentials: moto accepts any keys and does not check
/// signatures, but the client signs with them all the same.
pub const ACCESS_KEY_ID: &str = "AKIAE2ETESTKEY000001";
pub const SECRET_ACCESS_KEY: &str = "e2e/secret/key/for/moto/only/000000000000";

/// The emulator the scenarios run against: its base URL.
#[derive(Debug, Clone)]
pub struct Emulator {
    pub url: String,
}

impl Emulator {
    /// A client configuration as a user would write it to reach an
    /// emulator: region, static credentials and the endpoint URL, through
    /// the documented builder (`Config::builder().endpoint_url(..)`).
    pub fn config(&self) -> sdkgen_runtime::ConfigBuilder {
        self.config_with(sdkgen_runtime::Credentials::new(
            ACCESS_KEY_ID,
            SECRET_ACCESS_KEY,
            None,
            None,
        ))
    }

    /// The same with other credentials (temporary ones from a scenario).
    pub fn config_with(
        &self,
        credentials: sdkgen_runtime::Credentials,
    ) -> sdkgen_runtime::ConfigBuilder {
        sdkgen_runtime::Config::builder()
            .region(REGION)
            .credentials_provider(credentials)
            .endpoint_url(&self.url)
    }
}

/// Returns early from a scenario with a formatted failure when the
/// condition is false.
#[macro_export]
macro_rules! ensure {
    ($cond:expr, $($message:tt)+) => {
        if !$cond {
            return Err(format!($($message)+));
        }
    };
}

/// `actual == expected`, or a failure naming the value and both sides.
pub fn eq<T: PartialEq + std::fmt::Debug>(what: &str, actual: T, expected: T) -> Outcome {
    if actual == expected {
        Ok(())
    } else {
        Err(format!("{what}: expected {expected:?}, got {actual:?}"))
    }
}

/// A member the response must carry, not empty.
pub fn present<'a>(what: &str, value: Option<&'a str>) -> Result<&'a str, String> {
    match value {
        Some(v) if !v.is_empty() => Ok(v),
        Some(_) => Err(format!("{what} is empty")),
        None => Err(format!("{what} is missing")),
    }
}

/// The error of a call that had to fail, or a failure saying it did not.
pub fn failed<T: std::fmt::Debug, E>(what: &str, result: Result<T, E>) -> Result<E, String> {
    match result {
        Ok(output) => Err(format!("{what} succeeded, but must fail: {output:?}")),
        Err(e) => Ok(e),
    }
}

/// A call's error as a scenario's failure, on one line (an `SdkError`
/// names its operation, code, message and request id).
pub fn sent<T, E: std::fmt::Display>(result: Result<T, E>) -> Result<T, String> {
    result.map_err(|e| e.to_string())
}

/// Any other step's error as a scenario's failure, saying what the step was.
pub fn step<T, E: std::fmt::Display>(what: &str, result: Result<T, E>) -> Result<T, String> {
    result.map_err(|e| format!("{what}: {e}"))
}

/// A name that no earlier run against the same moto used: `prefix-RUN`,
/// RUN being this process's start (milliseconds) and id in hex. moto keeps
/// what it is given for as long as it runs, and nothing here resets it
/// between runs of this binary, so fixed names would collide with the
/// queues, tables, keys and secrets of an earlier run. RUN is made of
/// letters, digits and nothing else, so that it fits every service's rule
/// for names.
pub fn unique(prefix: &str) -> String {
    static RUN: OnceLock<String> = OnceLock::new();
    let run = RUN.get_or_init(|| {
        let millis = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or_default();
        format!("{millis:x}{:x}", std::process::id())
    });
    format!("{prefix}-{run}")
}
