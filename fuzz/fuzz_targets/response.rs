//! GetProxySession response parsing: status, headers and body from the
//! fuzzer. Layout: 2 bytes of status, then `name:value` header lines up to
//! an empty line, then the body.
#![no_main]
#![allow(deprecated)]

use chime_sdk_voice::operation::get_proxy_session::GetProxySession;
use libfuzzer_sys::fuzz_target;
use sdkgen_runtime::{HttpResponse, Operation};

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let status = 100 + u16::from_le_bytes([data[0], data[1]]) % 500;
    let rest = &data[2..];
    let split = rest.windows(2).position(|w| w == b"\n\n").unwrap_or(rest.len());
    let head = String::from_utf8_lossy(&rest[..split]);
    let body = rest.get(split + 2..).unwrap_or_default().to_vec();
    let headers = head
        .lines()
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let _ = GetProxySession::deserialize(HttpResponse::new(status, headers, body));
});
