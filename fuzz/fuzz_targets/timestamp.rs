//! Timestamp parsing, and formatting back what parsed.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sdkgen_runtime::timestamp;

fuzz_target!(|data: &str| {
    if let Ok(value) = timestamp::parse(data) {
        let text = timestamp::format_iso8601(&value);
        assert_eq!(timestamp::parse(&text).ok(), Some(value), "{data:?} -> {text:?}");
    }
});
