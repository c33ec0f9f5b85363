//! The HTML-to-Markdown converter the generator runs on every model's
//! documentation: any text, valid HTML or not, must convert without a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sdkgen_codegen::docs::html_to_markdown;

fuzz_target!(|data: &[u8]| {
    if let Ok(html) = std::str::from_utf8(data) {
        let _ = html_to_markdown(html);
    }
});
