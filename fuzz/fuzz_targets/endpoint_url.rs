//! Endpoint URLs, as configured and as the rules' `parseURL` reads them.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sdkgen_runtime::endpoint::Endpoint;
use sdkgen_runtime::endpoint_rules::{is_valid_host_label, parse_url, substring, uri_encode};

fuzz_target!(|data: &str| {
    if let Ok(endpoint) = Endpoint::parse(data) {
        let _ = endpoint.uri("/x");
    }
    let _ = parse_url(data);
    let _ = is_valid_host_label(data, true);
    let _ = substring(data, 1, 3, true);
    let _ = uri_encode(data);
    let _ = Endpoint::regional("voice-chime", data);
});
