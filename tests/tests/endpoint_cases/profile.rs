//! The S3 settings of a shared config file reach the request: the whole
//! path from the profile through the loader, the config and the rules.

use sdkgen_endpoint_harness::recorder::Recorder;
use sdkgen_runtime::env::Env;
use sdkgen_runtime::{Credentials, RetryConfig};

/// The URL GetObject is sent to with this config file and these variables.
async fn url(config_file: &str, vars: &[(&str, &str)]) -> Result<String, String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let path = dir.path().join("config");
    std::fs::write(&path, config_file).map_err(|e| e.to_string())?;
    let mut pairs = vec![
        ("AWS_CONFIG_FILE".to_string(), path.display().to_string()),
        (
            "AWS_SHARED_CREDENTIALS_FILE".to_string(),
            dir.path().join("none").display().to_string(),
        ),
        ("AWS_EC2_METADATA_DISABLED".to_string(), "true".to_string()),
    ];
    pairs.extend(vars.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let recorder = Recorder::default();
    let config = s3::loader()
        .env(Env::from_pairs(pairs))
        .load()
        .map_err(|e| e.to_string())?
        .credentials_provider(Credentials::new("AKID", "SECRET", None, None))
        .retry_config(RetryConfig::disabled())
        .transport(recorder.clone())
        .build();
    let _ = s3::Client::new(config)
        .get_object()
        .bucket("bucket")
        .key("key")
        .send()
        .await;
    let sent = recorder.take().ok_or("nothing was sent")?;
    Ok(sent.uri.to_string())
}

/// A config file, variables, and the start of the URL they lead to.
type Case = (
    &'static str,
    &'static [(&'static str, &'static str)],
    &'static str,
);

/// Each setting as botocore reads it; `Err` names the first that fails.
pub async fn check() -> Result<(), String> {
    let cases: [Case; 5] = [
        (
            "[default]\nregion = us-west-2\n",
            &[],
            "https://bucket.s3.us-west-2.amazonaws.com/",
        ),
        (
            "[default]\nregion = us-west-2\ns3 =\n  addressing_style = path\n",
            &[],
            "https://s3.us-west-2.amazonaws.com/bucket/",
        ),
        (
            "[default]\nregion = us-west-2\ns3 =\n  use_accelerate_endpoint = true\n",
            &[],
            "https://bucket.s3-accelerate.amazonaws.com/",
        ),
        (
            "[default]\nregion = us-east-1\n",
            &[("AWS_S3_US_EAST_1_REGIONAL_ENDPOINT", "legacy")],
            "https://bucket.s3.amazonaws.com/",
        ),
        (
            "[default]\nregion = us-east-1\ns3_us_east_1_regional_endpoint = regional\n",
            &[],
            "https://bucket.s3.us-east-1.amazonaws.com/",
        ),
    ];
    for (file, vars, expected) in cases {
        let got = url(file, vars).await?;
        if !got.starts_with(expected) {
            return Err(format!(
                "{file:?} {vars:?}: sent to {got}, expected {expected}..."
            ));
        }
    }
    Ok(())
}
