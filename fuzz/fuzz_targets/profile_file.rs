//! Shared config file parsing, as a config and as a credentials file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sdkgen_config::profile::{parse_into, FileKind, ProfileSet};
use std::path::Path;

fuzz_target!(|data: &str| {
    let mut set = ProfileSet::default();
    let _ = parse_into(&mut set, data, FileKind::Config, Path::new("config"));
    let _ = parse_into(&mut set, data, FileKind::Credentials, Path::new("credentials"));
});
