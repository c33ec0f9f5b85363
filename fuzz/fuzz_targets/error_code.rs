//! Error-code extraction from an error response's header and body.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sdkgen_runtime::protocol::rest_json::{sanitize_error_code, ErrorResponse};
use sdkgen_runtime::HttpResponse;

fuzz_target!(|data: &[u8]| {
    let split = data.iter().position(|b| *b == 0).unwrap_or(0);
    let header = String::from_utf8_lossy(&data[..split]).into_owned();
    let body = data.get(split + 1..).unwrap_or_default().to_vec();
    let _ = sanitize_error_code(&header);
    let response = HttpResponse::new(400, vec![("x-amzn-errortype".into(), header)], body.clone());
    let _ = ErrorResponse::read(&response);
    let _ = ErrorResponse::read(&HttpResponse::new(500, vec![], body));
});
