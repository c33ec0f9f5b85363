//! Helpers shared by the tests in `tests/tests/`.

use percent_encoding::percent_decode_str;
use sdkgen_runtime::HttpResponse;

/// A response with the given status, headers and body.
pub fn response(status: u16, headers: &[(&str, &str)], body: &str) -> HttpResponse {
    let headers = headers
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    HttpResponse::new(status, headers, body)
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
