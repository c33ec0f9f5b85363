//! The end-to-end tests (`e2e/`) on [`ReqwestTransport`], with a
//! `reqwest::Client` built as its docs ask (no redirects followed).
//!
//! [`ReqwestTransport`]: chime_sdk_voice::transport::ReqwestTransport

mod transport {
    use chime_sdk_voice::transport::ReqwestTransport;
    use sdkgen_runtime::ConfigBuilder;
    use sdkgen_tests::doubles::RecordingSleep;

    /// The shared test configuration, sending through reqwest.
    pub fn test_config(endpoint_url: &str) -> (ConfigBuilder, RecordingSleep) {
        let (builder, sleep) = sdkgen_tests::test_config(endpoint_url);
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("a reqwest client");
        (builder.transport(ReqwestTransport::new(client)), sleep)
    }

    /// Whether the transport is reqwest, which refuses dot-segment labels.
    pub const REQWEST: bool = true;
}

#[path = "e2e/faults.rs"]
mod faults;
#[path = "e2e/send.rs"]
mod send;
