//! Error-code extraction from an error response's headers and body, in
//! both JSON protocols: `X-Amzn-ErrorType`, the body's code keys, and the
//! `x-amzn-query-error` header of query-compatible services.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sdkgen_runtime::protocol::{aws_json, rest_json, sanitize_error_code};
use sdkgen_runtime::HttpResponse;

fuzz_target!(|data: &[u8]| {
    let split = data.iter().position(|b| *b == 0).unwrap_or(0);
    let header = String::from_utf8_lossy(&data[..split]).into_owned();
    let body = data.get(split + 1..).unwrap_or_default().to_vec();
    let _ = sanitize_error_code(&header);
    let with = |name: &str| {
        HttpResponse::new(400, vec![(name.into(), header.clone())], body.clone())
    };
    let _ = rest_json::read_error(&with("x-amzn-errortype"));
    let _ = aws_json::read_error(&with("x-amzn-errortype"), false);
    let _ = aws_json::read_error(&with("x-amzn-query-error"), true);
    let _ = rest_json::read_error(&HttpResponse::new(500, vec![], body.clone()));
    let _ = aws_json::read_error(&HttpResponse::new(503, vec![], body), true);
});
