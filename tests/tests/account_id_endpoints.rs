//! DynamoDB's account endpoints (`ACCOUNT.ddb.REGION.amazonaws.com`), as a
//! user gets them: the account id comes with the credentials from where
//! the configuration finds them (`AWS_ACCOUNT_ID`, a profile's
//! `aws_account_id`, an assumed role's ARN), the mode from
//! `AWS_ACCOUNT_ID_ENDPOINT_MODE` or the profile, and an operation's table
//! ARNs (`operationContextParams`) route it to their account. What the
//! recording transport was asked to send is compared.

use sdkgen_endpoint_harness::recorder::Recorder;
use sdkgen_runtime::env::Env;
use sdkgen_runtime::RetryConfig;
use sdkgen_tests::fake_aws::{self, Caller, Role};
use std::path::Path;
use std::time::{Duration, SystemTime};

/// A home directory with these shared config and credentials files.
fn home(config: &str, credentials: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join(".aws")).unwrap();
    std::fs::write(dir.path().join(".aws/config"), config).unwrap();
    std::fs::write(dir.path().join(".aws/credentials"), credentials).unwrap();
    dir
}

/// A DynamoDB configuration loaded from `home` and these variables, sending
/// to `recorder`.
fn config(home: &Path, vars: &[(&str, &str)], recorder: &Recorder) -> dynamodb::Config {
    let mut pairs = vec![
        ("HOME".to_string(), home.display().to_string()),
        ("AWS_EC2_METADATA_DISABLED".to_string(), "true".to_string()),
        ("AWS_REGION".to_string(), "us-east-1".to_string()),
    ];
    pairs.extend(vars.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    dynamodb::loader()
        .env(Env::from_pairs(pairs))
        .load()
        .unwrap()
        .retry_config(RetryConfig::disabled())
        .transport(recorder.clone())
        .build()
}

const KEYS: [(&str, &str); 2] = [
    ("AWS_ACCESS_KEY_ID", "AKID"),
    ("AWS_SECRET_ACCESS_KEY", "SECRET"),
];

/// Where ListTables goes with these variables and files, or why it failed.
async fn list_tables(vars: &[(&str, &str)], config_file: &str, credentials: &str) -> String {
    let h = home(config_file, credentials);
    let recorder = Recorder::default();
    let client = dynamodb::Client::new(config(h.path(), vars, &recorder));
    let result = client.list_tables().send().await;
    match recorder.take() {
        Some(sent) => sent.uri.host().unwrap_or_default().to_string(),
        None => format!(
            "not sent: {}",
            result.err().map(|e| e.to_string()).unwrap_or_default()
        ),
    }
}

#[tokio::test]
async fn the_account_of_the_environment_credentials_names_the_host() {
    let with_account = [KEYS[0], KEYS[1], ("AWS_ACCOUNT_ID", "111122223333")];
    assert_eq!(
        list_tables(&with_account, "", "").await,
        "111122223333.ddb.us-east-1.amazonaws.com"
    );
    // Without an account id, the regional endpoint.
    assert_eq!(
        list_tables(&KEYS, "", "").await,
        "dynamodb.us-east-1.amazonaws.com"
    );
}

#[tokio::test]
async fn the_mode_comes_from_the_environment_or_the_profile() {
    let disabled = [
        KEYS[0],
        KEYS[1],
        ("AWS_ACCOUNT_ID", "111122223333"),
        ("AWS_ACCOUNT_ID_ENDPOINT_MODE", "disabled"),
    ];
    assert_eq!(
        list_tables(&disabled, "", "").await,
        "dynamodb.us-east-1.amazonaws.com"
    );
    let required = "[default]\naccount_id_endpoint_mode = required\n";
    let got = list_tables(&KEYS, required, "").await;
    assert!(
        got.starts_with("not sent: ")
            && got.contains("AccountIdEndpointMode is required but no AccountID was provided"),
        "{got}"
    );
}

#[tokio::test]
async fn a_profile_names_the_account_of_its_keys() {
    let credentials =
        "[default]\naws_access_key_id = AKID\naws_secret_access_key = SECRET\naws_account_id = 444455556666\n";
    assert_eq!(
        list_tables(&[], "", credentials).await,
        "444455556666.ddb.us-east-1.amazonaws.com"
    );
}

#[tokio::test]
async fn an_assumed_role_names_the_account_of_its_arn() {
    let sts = fake_aws::sts(
        vec![Role::new("app", Caller::SignedWith("SECRET".into()))],
        sdkgen_runtime::timestamp::format_iso8601(&sdkgen_runtime::DateTime::from(
            SystemTime::now() + Duration::from_secs(3600),
        )),
    )
    .await;
    let config_file =
        "[default]\nrole_arn = arn:aws:iam::123456789012:role/app\nsource_profile = keys\n\
                       [profile keys]\naws_access_key_id = AKID\naws_secret_access_key = SECRET\n";
    let vars = [("AWS_ENDPOINT_URL_STS", sts.url())];
    let vars: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        list_tables(&vars, config_file, "").await,
        "123456789012.ddb.us-east-1.amazonaws.com"
    );
}

#[tokio::test]
async fn table_arns_in_the_input_route_to_their_account() {
    use dynamodb::types::{AttributeValue, KeysAndAttributes, Put, TransactWriteItem};
    let h = home("", "");
    let vars = [KEYS[0], KEYS[1], ("AWS_ACCOUNT_ID", "111122223333")];
    let recorder = Recorder::default();
    let client = dynamodb::Client::new(config(h.path(), &vars, &recorder));
    let key =
        || std::collections::HashMap::from([("pk".to_string(), AttributeValue::S("v".into()))]);
    // `keys(RequestItems)`
    let _ = client
        .batch_get_item()
        .request_items(
            "arn:aws:dynamodb:us-east-1:222233334444:table/t",
            KeysAndAttributes::builder().keys(key()).build(),
        )
        .send()
        .await;
    let sent = recorder.take().expect("sent");
    assert_eq!(
        sent.uri.host(),
        Some("222233334444.ddb.us-east-1.amazonaws.com")
    );
    // `TransactItems[*].[ConditionCheck.TableName, Put.TableName, ...][]`
    let _ = client
        .transact_write_items()
        .transact_items(
            TransactWriteItem::builder()
                .put(
                    Put::builder()
                        .table_name("arn:aws:dynamodb:us-east-1:333344445555:table/t")
                        .item("pk", AttributeValue::S("v".into()))
                        .build(),
                )
                .build(),
        )
        .send()
        .await;
    let sent = recorder.take().expect("sent");
    assert_eq!(
        sent.uri.host(),
        Some("333344445555.ddb.us-east-1.amazonaws.com")
    );
}
