//! Helpers shared by the tests in `tests/tests/` (and the CLI's tests): a
//! loopback HTTP server that records what it receives, one that speaks
//! HTTP/2, and a SigV4 verifier written apart from the runtime's signer.

pub mod event_server;
pub mod fake_aws;
pub mod faults;
pub mod h2_server;
pub mod loopback;
pub mod outside;
pub mod server;
pub mod sigv4_verify;
pub mod sso;

use percent_encoding::percent_decode_str;
use sdkgen_runtime::HttpResponse;

/// A response with the given status, headers and body.
pub fn response(status: u16, headers: &[(&str, &str)], body: &str) -> HttpResponse {
    let headers = headers
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    HttpResponse::new(status, headers, body.to_string())
}

/// The path's segments, percent-decoded, as a server would see them.
pub fn decoded_segments(path: &str) -> Vec<String> {
    path.trim_start_matches('/')
        .split('/')
        .map(|segment| {
            percent_decode_str(segment)
                .decode_utf8()
                .expect("UTF-8")
                .into_owned()
        })
        .collect()
}

/// The README's Rust example, compiled as a doctest so it cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeExample;

/// Test doubles for the runtime's clock, sleep and randomness.
pub mod doubles {
    use sdkgen_runtime::clock::{RandomSource, Sleep};
    use sdkgen_runtime::credentials::BoxFuture;
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    /// Records each wait and returns at once, so retry tests never sleep.
    #[derive(Debug, Default, Clone)]
    pub struct RecordingSleep {
        pub waits: Arc<Mutex<Vec<Duration>>>,
    }

    impl Sleep for RecordingSleep {
        fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
            self.waits.lock().unwrap().push(duration);
            Box::pin(async {})
        }
    }

    impl RecordingSleep {
        pub fn waits(&self) -> Vec<Duration> {
            self.waits.lock().unwrap().clone()
        }
    }

    /// Always the same "random" number.
    #[derive(Debug, Clone, Copy)]
    pub struct FixedRandom(pub f64);

    impl RandomSource for FixedRandom {
        fn random(&self) -> f64 {
            self.0
        }
    }
}

/// The credentials every test signs with (the SigV4 suites' example keys).
pub const ACCESS_KEY: &str = "AKIDEXAMPLE";
pub const SECRET_KEY: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

/// A config for a loopback server: test credentials, us-east-1, instant
/// retries with jitter 0.5 (the returned sleep records the waits).
pub fn test_config(endpoint_url: &str) -> (sdkgen_runtime::ConfigBuilder, doubles::RecordingSleep) {
    use std::sync::Arc;
    let sleep = doubles::RecordingSleep::default();
    let builder = sdkgen_runtime::Config::builder()
        .region("us-east-1")
        .endpoint_url(endpoint_url)
        .credentials_provider(sdkgen_runtime::Credentials::new(
            ACCESS_KEY, SECRET_KEY, None, None,
        ))
        .sleep(Arc::new(sleep.clone()))
        .random(Arc::new(doubles::FixedRandom(0.5)));
    (builder, sleep)
}
