//! SSM Parameter Store (`generated/ssm`, awsJson 1.1) against moto:
//! String, StringList and SecureString parameters written and read with
//! and without decryption, overwritten, deleted; GetParametersByPath
//! recursive and not, walked by the paginator; a duplicate refused.
//!
//! Every parameter lives under a path unique to the run, so those of
//! earlier runs against the same moto are not seen; each scenario deletes
//! what it wrote.

use crate::ensure;
use crate::scenario::{eq, failed, present, sent, step, unique, Emulator, Outcome, Scenario};
use ssm::operation::get_parameter::GetParameterError;
use ssm::operation::put_parameter::PutParameterError;
use ssm::types::{Parameter, ParameterTier, ParameterType};
use ssm::{Client, DateTime, ProvideErrorMetadata, SdkError};
use std::collections::BTreeSet;

pub const SCENARIOS: &[Scenario] = &[
    Scenario {
        name: "ssm: PutParameter of String, StringList and SecureString, GetParameter with and without decryption",
        run: |e| Box::pin(parameters(e)),
    },
    Scenario {
        name: "ssm: GetParametersByPath, recursive and not, walked by the paginator",
        run: |e| Box::pin(by_path(e)),
    },
    Scenario {
        name: "ssm: PutParameter of an existing name without Overwrite is ParameterAlreadyExists",
        run: |e| Box::pin(already_exists(e)),
    },
];

fn client(emulator: &Emulator) -> Client {
    Client::new(emulator.config().build())
}

/// A path of its own for a scenario: `/LABEL-RUN`.
fn root(label: &str) -> String {
    format!("/{}", unique(label))
}

/// Writes a parameter (never over another) and checks the version.
async fn put(client: &Client, name: &str, kind: ParameterType, value: &str) -> Outcome {
    let output = sent(
        client
            .put_parameter()
            .name(name)
            .r#type(kind)
            .value(value)
            .send()
            .await,
    )?;
    eq(
        &format!("the Version of new {name}"),
        output.version(),
        Some(1),
    )?;
    // SSM answers the tier, Standard unless asked otherwise.
    eq("Tier", output.tier(), Some(&ParameterTier::Standard))
}

/// Deletes parameters, at most 10 a call as SSM takes them, and checks
/// that each was deleted.
async fn delete_all(client: &Client, names: &[String]) -> Outcome {
    for chunk in names.chunks(10) {
        let output = sent(
            client
                .delete_parameters()
                .set_names(Some(chunk.to_vec()))
                .send()
                .await,
        )?;
        let deleted: BTreeSet<_> = output.deleted_parameters().iter().collect();
        eq(
            "DeletedParameters",
            deleted,
            chunk.iter().collect::<BTreeSet<_>>(),
        )?;
        eq("InvalidParameters", output.invalid_parameters(), &[][..])?;
    }
    Ok(())
}

async fn get(client: &Client, name: &str, decrypt: bool) -> Result<Parameter, String> {
    let output = sent(
        client
            .get_parameter()
            .name(name)
            .with_decryption(decrypt)
            .send()
            .await,
    )?;
    output
        .parameter()
        .cloned()
        .ok_or_else(|| format!("GetParameter of {name} answered no Parameter"))
}

async fn parameters(emulator: Emulator) -> Outcome {
    let client = client(&emulator);
    let root = root("e2e-ssm-values");
    let written = [
        (
            format!("{root}/string"),
            ParameterType::String,
            "plain välue <&> \"quoted\"",
        ),
        (
            format!("{root}/list"),
            ParameterType::StringList,
            "alpha,beta,gämma",
        ),
        (
            format!("{root}/secure"),
            ParameterType::SecureString,
            "s3cr3t wörd",
        ),
    ];
    let names: Vec<String> = written.iter().map(|(n, _, _)| n.clone()).collect();
    let started = DateTime::now();
    for (name, kind, value) in &written {
        put(&client, name, kind.clone(), value).await?;
    }
    let outcome = async {
        for (name, kind, value) in &written {
            let parameter = get(&client, name, true).await?;
            eq("Name", parameter.name(), Some(name.as_str()))?;
            eq(
                &format!("the Type of {name}"),
                parameter.r#type(),
                Some(kind),
            )?;
            eq(
                &format!("the decrypted Value of {name}"),
                parameter.value(),
                Some(*value),
            )?;
            eq("Version", parameter.version(), Some(1))?;
            eq("DataType", parameter.data_type(), Some("text"))?;
            let arn = present("ARN", parameter.arn())?;
            ensure!(
                arn.starts_with("arn:aws:ssm:us-east-1:")
                    && arn.ends_with(&format!(":parameter{name}")),
                "not the ARN of parameter {name} in us-east-1: {arn:?}"
            );
            let modified = parameter
                .last_modified_date()
                .ok_or("LastModifiedDate is missing")?;
            let age = started.secs() - modified.secs();
            ensure!(
                (-300..=300).contains(&age),
                "LastModifiedDate is {age} s from now: {modified}"
            );
        }

        // Without decryption a SecureString is not its plaintext (SSM
        // answers the ciphertext; moto a `kms:KEY:` prefix and the text);
        // the other types are the same either way.
        for (name, kind, value) in &written {
            let parameter = get(&client, name, false).await?;
            let got = present(&format!("the Value of {name}"), parameter.value())?;
            if *kind == ParameterType::SecureString {
                ensure!(
                    got != *value,
                    "the SecureString {name} was answered in plain text without WithDecryption"
                );
            } else {
                eq(&format!("the Value of {name}"), got, value)?;
            }
        }

        // Overwritten: a second version.
        let (name, _, _) = &written[0];
        let output = sent(
            client
                .put_parameter()
                .name(name)
                .value("second välue")
                .overwrite(true)
                .send()
                .await,
        )?;
        eq("the Version after Overwrite", output.version(), Some(2))?;
        let parameter = get(&client, name, false).await?;
        eq(
            "the overwritten Value",
            parameter.value(),
            Some("second välue"),
        )?;
        eq("the overwritten Version", parameter.version(), Some(2))?;
        eq(
            "the Type kept by Overwrite",
            parameter.r#type(),
            Some(&ParameterType::String),
        )?;
        Ok(())
    }
    .await;
    let deleted = delete_all(&client, &names).await;
    outcome.and(deleted)?;

    // Deleted: GetParameter now fails with the modeled error.
    let error = failed(
        "GetParameter of a deleted parameter",
        client.get_parameter().name(&names[0]).send().await,
    )?;
    let SdkError::Service {
        source: GetParameterError::ParameterNotFound(e),
        ..
    } = &error
    else {
        return Err(format!("expected ParameterNotFound, got: {error}"));
    };
    eq("error code", e.code(), Some("ParameterNotFound"))?;
    eq("HTTP status", e.status(), 400)?;
    present("request id", e.request_id())?;
    Ok(())
}

/// Direct children of `ROOT/app`, and those a level further down.
const CHILDREN: usize = 12;
const GRANDCHILDREN: usize = 3;

async fn by_path(emulator: Emulator) -> Outcome {
    let client = client(&emulator);
    let root = root("e2e-ssm-path");
    let app = format!("{root}/app");
    let children: BTreeSet<String> = (0..CHILDREN).map(|i| format!("{app}/p{i:02}")).collect();
    let grandchildren: BTreeSet<String> = (0..GRANDCHILDREN)
        .map(|i| format!("{app}/sub/deep{i}"))
        .collect();
    let outside = format!("{root}/outside");
    let all: Vec<String> = children
        .iter()
        .chain(&grandchildren)
        .chain([&outside])
        .cloned()
        .collect();
    for name in &all {
        put(
            &client,
            name,
            ParameterType::String,
            &format!("value of {name}"),
        )
        .await?;
    }
    let outcome = async {
        for (recursive, page_size, expected) in [
            (false, 5, children.clone()),
            (true, 10, children.union(&grandchildren).cloned().collect()),
        ] {
            let what =
                format!("GetParametersByPath (Recursive: {recursive}, MaxResults: {page_size})");
            let listing = || {
                client
                    .get_parameters_by_path()
                    .path(&app)
                    .recursive(recursive)
                    .into_paginator()
                    .page_size(page_size)
            };
            // Pages: none over MaxResults (SSM takes at most 10), and at
            // least as many as that needs. SSM may answer short pages
            // with a NextToken still, so the count is not exact; moto
            // answers full pages (its NextToken is an index).
            let mut pages = listing().send();
            let mut page_count = 0;
            while let Some(page) = pages.next().await {
                let page = step(&format!("a page of {what}"), page)?;
                page_count += 1;
                ensure!(
                    page.parameters().len() <= page_size as usize,
                    "a page of {what} holds {} parameters",
                    page.parameters().len()
                );
            }
            ensure!(
                page_count >= expected.len().div_ceil(page_size as usize),
                "{what}: {} parameters in {page_count} pages",
                expected.len()
            );
            // Items: each parameter once, with its value.
            let items = step(&what, listing().items().collect().await)?;
            let mut seen = BTreeSet::new();
            for parameter in &items {
                let name = present("a parameter's Name", parameter.name())?;
                ensure!(seen.insert(name.to_string()), "{what} gave {name} twice");
                eq(
                    &format!("the Value of {name}"),
                    parameter.value(),
                    Some(format!("value of {name}").as_str()),
                )?;
            }
            eq(&format!("the names {what} gave"), seen, expected)?;
        }
        Ok(())
    }
    .await;
    let deleted = delete_all(&client, &all).await;
    outcome.and(deleted)
}

async fn already_exists(emulator: Emulator) -> Outcome {
    let client = client(&emulator);
    let name = format!("{}/taken", root("e2e-ssm-duplicate"));
    put(&client, &name, ParameterType::String, "first").await?;
    let outcome = async {
        let result = client
            .put_parameter()
            .name(&name)
            .r#type(ParameterType::String)
            .value("second")
            .send()
            .await;
        let error = failed("PutParameter of an existing name without Overwrite", result)?;
        let SdkError::Service {
            source: PutParameterError::ParameterAlreadyExists(e),
            ..
        } = &error
        else {
            return Err(format!("expected ParameterAlreadyExists, got: {error}"));
        };
        eq("error code", e.code(), Some("ParameterAlreadyExists"))?;
        eq("HTTP status", e.status(), 400)?;
        let message = present("the modeled message", e.message())?;
        ensure!(
            message.contains("already exists"),
            "the message does not say that the parameter exists: {message:?}"
        );
        eq("message()", ProvideErrorMetadata::message(e), Some(message))?;
        present("request id", e.request_id())?;
        // Refused: the first value and version stand.
        let parameter = get(&client, &name, false).await?;
        eq(
            "the Value after the refused put",
            parameter.value(),
            Some("first"),
        )?;
        eq(
            "the Version after the refused put",
            parameter.version(),
            Some(1),
        )
    }
    .await;
    let deleted = delete_all(&client, std::slice::from_ref(&name)).await;
    outcome.and(deleted)
}
