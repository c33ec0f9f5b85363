//! The JSON a `credential_process` prints.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sdkgen_config::credentials::parse_process_output;

fuzz_target!(|data: &[u8]| {
    let _ = parse_process_output(data);
});
