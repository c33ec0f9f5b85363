//! What the generator's integration tests share.

use sdkgen_codegen::Options;

/// Options for a test crate `t` beside the workspace's runtime and config.
pub fn options() -> Options {
    Options {
        crate_name: "t".into(),
        crate_version: "0.0.0".into(),
        model_path: "test".into(),
        runtime_path: "../runtime".into(),
        config_path: Some("../config".into()),
        protocol: None,
    }
}
