//! The JSON reader every JSON protocol response goes through: any bytes
//! must parse or fail without a panic, and the typed readers must take any
//! value.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sdkgen_runtime::json::{self, Json};

fuzz_target!(|data: &[u8]| {
    let Ok(value) = json::parse(data) else {
        return;
    };
    let _ = json::document(value.clone());
    let _ = json::timestamp(value.clone());
    let _ = json::blob(value.clone());
    let _ = json::integer(value.clone());
    let _ = json::double(value.clone());
    let _ = json::union(value.clone(), |key, v| Ok((key.to_string(), json::string(v)?)));
    let _ = json::map(value.clone(), str::to_owned, json::long);
    let _ = json::list(value, |v: Json<'_>| json::sparse_list(v, json::boolean));
});
