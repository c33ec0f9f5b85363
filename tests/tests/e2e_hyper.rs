//! The end-to-end tests (`e2e/`) on the default transport, hyper's pooled
//! client on rustls: signatures, retries, timeouts, errors, the body cap,
//! broken networks.

mod transport {
    pub use sdkgen_tests::test_config;

    /// Whether the transport is reqwest, which refuses dot-segment labels.
    pub const REQWEST: bool = false;
}

#[path = "e2e/faults.rs"]
mod faults;
#[path = "e2e/send.rs"]
mod send;
