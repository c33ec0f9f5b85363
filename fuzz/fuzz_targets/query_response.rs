//! STS AssumeRole response parsing (the query protocol: XML outputs and
//! `<ErrorResponse>` errors): status and body from the fuzzer. Layout: 2
//! bytes of status, then the body.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sdkgen_runtime::{HttpResponse, Operation};
use sts::operation::assume_role::AssumeRole;

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let status = 100 + u16::from_le_bytes([data[0], data[1]]) % 500;
    let body = data[2..].to_vec();
    let _ = AssumeRole::deserialize(HttpResponse::new(status, Vec::new(), body));
});
