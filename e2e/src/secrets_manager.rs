//! Secrets Manager (`generated/secrets-manager`, awsJson 1.1) against
//! moto: string and binary secrets made, read, described and deleted;
//! ListSecrets walked by the paginator two at a time; the error of a
//! secret that does not exist.
//!
//! Secrets are found by a name prefix unique to the run (ListSecrets'
//! `name` filter), so those of other scenarios and earlier runs against
//! the same moto do not count. Each scenario deletes what it made;
//! without a recovery window where nothing is checked after the deletion.
//!
//! moto answers successes with `Content-Type: text/html`; the client
//! reads the body whatever the content type says, as botocore does.

use crate::ensure;
use crate::scenario::{eq, failed, present, sent, step, unique, Emulator, Outcome, Scenario};
use secrets_manager::operation::get_secret_value::GetSecretValueError;
use secrets_manager::types::{Filter, FilterNameStringType};
use secrets_manager::{Blob, Client, DateTime, ProvideErrorMetadata, SdkError};
use std::collections::{BTreeMap, HashMap};

pub const SCENARIOS: &[Scenario] = &[
    Scenario {
        name: "secretsmanager: string and binary secrets created, read, described and deleted",
        run: |e| Box::pin(secrets(e)),
    },
    Scenario {
        name: "secretsmanager: ListSecrets walked by the paginator, MaxResults 2",
        run: |e| Box::pin(list_secrets(e)),
    },
    Scenario {
        name: "secretsmanager: GetSecretValue of a missing secret is ResourceNotFoundException",
        run: |e| Box::pin(missing_secret(e)),
    },
];

fn client(emulator: &Emulator) -> Client {
    Client::new(emulator.config().build())
}

/// Bytes that are not UTF-8.
const NOT_UTF8: &[u8] = &[0x00, 0xff, 0xfe, 0x80, 0xc3, 0x28, 0x7f, b'a'];

/// The label every secret's version has when it is the current one.
const CURRENT: &str = "AWSCURRENT";

/// A secret's ARN is the service's, in the region, ending with its name
/// and a dash and six random characters.
fn check_arn(arn: &str, name: &str) -> Outcome {
    let (head, suffix) = arn
        .rsplit_once('-')
        .ok_or_else(|| format!("ARN has no random suffix: {arn:?}"))?;
    ensure!(
        arn.starts_with("arn:aws:secretsmanager:us-east-1:")
            && head.ends_with(&format!(":secret:{name}"))
            && suffix.len() == 6,
        "not the ARN of secret {name} in us-east-1: {arn:?}"
    );
    Ok(())
}

async fn force_delete(client: &Client, name: &str) -> Outcome {
    sent(
        client
            .delete_secret()
            .secret_id(name)
            .force_delete_without_recovery(true)
            .send()
            .await,
    )
    .map(|_| ())
}

/// What a secret holds.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Text(String),
    Bytes(Vec<u8>),
}

async fn secrets(emulator: Emulator) -> Outcome {
    let client = client(&emulator);
    let base = unique("e2e-sm-values");
    let made = [
        (
            format!("{base}/text"),
            Value::Text("{\"user\":\"e2e\",\"password\":\"pä$$wörd \\\" <&>\"}".into()),
        ),
        (format!("{base}/bytes"), Value::Bytes(NOT_UTF8.to_vec())),
    ];
    let started = DateTime::now();
    for (name, value) in &made {
        let description = format!("e2e secret {name}");
        let request = client.create_secret().name(name).description(&description);
        let request = match value {
            Value::Text(text) => request.secret_string(text),
            Value::Bytes(bytes) => request.secret_binary(Blob::new(bytes.clone())),
        };
        let created = sent(request.send().await)?;
        eq("CreateSecret's Name", created.name(), Some(name.as_str()))?;
        let arn = present("CreateSecret's ARN", created.arn())?;
        check_arn(arn, name)?;
        let version = present("CreateSecret's VersionId", created.version_id())?;

        // Read back: the value, of the kind it was written as, and the
        // version that is current.
        let got = sent(client.get_secret_value().secret_id(name).send().await)?;
        eq("GetSecretValue's Name", got.name(), Some(name.as_str()))?;
        eq("GetSecretValue's ARN", got.arn(), Some(arn))?;
        eq(
            "GetSecretValue's VersionId",
            got.version_id(),
            Some(version),
        )?;
        eq(
            "VersionStages",
            got.version_stages(),
            &[CURRENT.to_string()][..],
        )?;
        let read = match (got.secret_string(), got.secret_binary()) {
            (Some(text), None) => Value::Text(text.to_string()),
            (None, Some(bytes)) => Value::Bytes(bytes.as_bytes().to_vec()),
            (text, bytes) => {
                return Err(format!(
                    "GetSecretValue answered SecretString {text:?} and SecretBinary {bytes:?}"
                ))
            }
        };
        eq(&format!("the value of {name}"), &read, value)?;
        // Found by its ARN too.
        let by_arn = sent(client.get_secret_value().secret_id(arn).send().await)?;
        eq("the Name found by ARN", by_arn.name(), Some(name.as_str()))?;
        let created_date = got.created_date().ok_or("CreatedDate is missing")?;
        let age = started.secs() - created_date.secs();
        ensure!(
            (-300..=300).contains(&age),
            "CreatedDate is {age} s from now: {created_date}"
        );

        let described = sent(client.describe_secret().secret_id(name).send().await)?;
        eq(
            "DescribeSecret's Name",
            described.name(),
            Some(name.as_str()),
        )?;
        eq("DescribeSecret's ARN", described.arn(), Some(arn))?;
        eq(
            "Description",
            described.description(),
            Some(description.as_str()),
        )?;
        eq(
            "VersionIdsToStages",
            described.version_ids_to_stages(),
            Some(&HashMap::from([(
                version.to_string(),
                vec![CURRENT.to_string()],
            )])),
        )?;
        eq(
            "DeletedDate before deletion",
            described.deleted_date(),
            None,
        )?;
    }

    // Deleted with a recovery window: DescribeSecret shows when, and the
    // value cannot be read meanwhile.
    let (name, _) = &made[0];
    let asked = DateTime::now();
    let deleted = sent(
        client
            .delete_secret()
            .secret_id(name)
            .recovery_window_in_days(7)
            .send()
            .await,
    )?;
    eq("DeleteSecret's Name", deleted.name(), Some(name.as_str()))?;
    let when = deleted
        .deletion_date()
        .ok_or("DeleteSecret answered no DeletionDate")?;
    let after = when.secs() - asked.secs();
    ensure!(
        (7 * 86_400 - 300..=7 * 86_400 + 300).contains(&after),
        "DeletionDate is {after} s after the call, not 7 days: {when}"
    );
    let described = sent(client.describe_secret().secret_id(name).send().await)?;
    ensure!(
        described.deleted_date().is_some(),
        "DescribeSecret of a secret scheduled for deletion has no DeletedDate"
    );
    let error = failed(
        "GetSecretValue of a secret scheduled for deletion",
        client.get_secret_value().secret_id(name).send().await,
    )?;
    let SdkError::Service {
        source: GetSecretValueError::InvalidRequestException(e),
        ..
    } = &error
    else {
        return Err(format!("expected InvalidRequestException, got: {error}"));
    };
    eq("error code", e.code(), Some("InvalidRequestException"))?;
    present("error message", e.message())?;
    // The other, for good.
    force_delete(&client, &made[1].0).await
}

const LISTED: usize = 5;
const PAGE: i32 = 2;

async fn list_secrets(emulator: Emulator) -> Outcome {
    let client = client(&emulator);
    let base = unique("e2e-sm-list");
    let mut arns = BTreeMap::new();
    for i in 0..LISTED {
        let name = format!("{base}-{i}");
        let created = sent(
            client
                .create_secret()
                .name(&name)
                .secret_string(format!("value {i}"))
                .send()
                .await,
        )?;
        arns.insert(name, present("ARN", created.arn())?.to_string());
    }
    let outcome = async {
        let listing = || {
            client
                .list_secrets()
                .filters(
                    Filter::builder()
                        .key(FilterNameStringType::Name)
                        .values(&base)
                        .build(),
                )
                .into_paginator()
                .page_size(PAGE)
        };
        // Pages: none over the size; 5 at 2 a page is 3 pages on moto
        // (its NextToken is an index into the list). Secrets Manager may
        // answer fewer than MaxResults on a page and still more pages, so
        // only the least is checked.
        let mut pages = listing().send();
        let mut page_count = 0;
        while let Some(page) = pages.next().await {
            let page = step("a ListSecrets page", page)?;
            page_count += 1;
            ensure!(
                page.secret_list().len() <= PAGE as usize,
                "a page holds {} secrets, more than MaxResults {PAGE}",
                page.secret_list().len()
            );
        }
        ensure!(
            page_count >= LISTED.div_ceil(PAGE as usize),
            "{LISTED} secrets came in {page_count} pages of at most {PAGE}"
        );
        // Items: each secret once, with its ARN.
        let items = step("ListSecrets' items", listing().items().collect().await)?;
        let mut seen = BTreeMap::new();
        for entry in &items {
            let name = present("an entry's Name", entry.name())?;
            let arn = present("an entry's ARN", entry.arn())?;
            ensure!(
                seen.insert(name.to_string(), arn.to_string()).is_none(),
                "ListSecrets listed {name} twice"
            );
        }
        eq("the secrets listed, with their ARNs", &seen, &arns)
    }
    .await;
    let mut deleted = Ok(());
    for name in arns.keys() {
        deleted = deleted.and(force_delete(&client, name).await);
    }
    outcome.and(deleted)
}

async fn missing_secret(emulator: Emulator) -> Outcome {
    let result = client(&emulator)
        .get_secret_value()
        .secret_id(unique("e2e-sm-never-created"))
        .send()
        .await;
    let error = failed("GetSecretValue of a secret never created", result)?;
    let SdkError::Service {
        source: GetSecretValueError::ResourceNotFoundException(e),
        ..
    } = &error
    else {
        return Err(format!("expected ResourceNotFoundException, got: {error}"));
    };
    eq("error code", e.code(), Some("ResourceNotFoundException"))?;
    // The model's member is `Message`; moto sends `message` (lowercase,
    // as `JsonRESTError` writes every error, moto/core/exceptions.py).
    // Either way the modeled member and `message()` carry the text.
    let expected = Some("Secrets Manager can't find the specified secret.");
    eq("the modeled Message", e.message(), expected)?;
    eq("message()", ProvideErrorMetadata::message(e), expected)?;
    // Secrets Manager answers 400; moto 5.2.5 answers 404
    // (`SecretNotFoundException` sets `code = 404`,
    // moto/secretsmanager/exceptions.py). The status the client reports
    // is the one received, so only its class is checked.
    ensure!(
        (400..500).contains(&e.status()),
        "HTTP status {} is not a client error",
        e.status()
    );
    present("request id", e.request_id())?;
    Ok(())
}
