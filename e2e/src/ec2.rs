//! EC2 (`generated/ec2`, the ec2 protocol) against moto: instances run
//! with block devices, tags and client tokens, found again through the
//! DescribeInstances paginator and the `InstanceRunning` waiter, tagged,
//! terminated (the `InstanceTerminated` waiter); and EC2's error for an
//! instance that does not exist.
//!
//! moto reads the requests with botocore's EC2 model, so a key the client
//! names wrongly is a member moto does not see. Instances are found by a
//! tag unique to the run, so those of other runs against the same moto do
//! not count. moto pages DescribeInstances by reservation (EC2 counts
//! instances), and its instances are running as soon as they exist.

use crate::ensure;
use crate::scenario::{eq, failed, present, sent, step, unique, Emulator, Outcome, Scenario};
use ec2::operation::describe_instances::DescribeInstancesError;
use ec2::types::{
    BlockDeviceMapping, EbsBlockDevice, Filter, Instance, InstanceStateName, InstanceType,
    ResourceType, Tag, TagSpecification, VolumeType,
};
use ec2::{Client, ProvideErrorMetadata, SdkError};
use std::collections::BTreeSet;
use std::time::Duration;

pub const SCENARIOS: &[Scenario] = &[
    Scenario {
        name: "ec2: RunInstances with block devices, tags and client tokens; DescribeInstances paged (5 reservations a page) and waited on; CreateTags; TerminateInstances",
        run: |e| Box::pin(instances(e)),
    },
    Scenario {
        name: "ec2: DescribeInstances of a missing instance is InvalidInstanceID.NotFound with its RequestID",
        run: |e| Box::pin(missing_instance(e)),
    },
];

/// One of the images moto knows from the start.
const IMAGE: &str = "ami-03cf127a";

/// The tag that finds this run's instances.
const RUN_TAG: &str = "e2e-run";

/// Waiters poll every 15 s at least; moto answers at once.
const WAIT: Duration = Duration::from_secs(30);

fn client(emulator: &Emulator) -> Client {
    Client::new(emulator.config().build())
}

fn tags(resource: ResourceType, run: &str, name: &str) -> TagSpecification {
    TagSpecification::builder()
        .resource_type(resource)
        .tags(Tag::builder().key("Name").value(name).build())
        .tags(Tag::builder().key(RUN_TAG).value(run).build())
        .build()
}

fn tag<'a>(instance: &'a Instance, key: &str) -> Option<&'a str> {
    instance
        .tags()
        .iter()
        .find(|t| t.key() == Some(key))
        .and_then(|t| t.value())
}

fn run_filter(run: &str) -> Filter {
    Filter::builder()
        .name(format!("tag:{RUN_TAG}"))
        .values(run)
        .build()
}

/// A token as the client makes one for an unset `ClientToken`: a UUID v4.
fn is_uuid_v4(token: &str) -> bool {
    let groups: Vec<usize> = token.split('-').map(str::len).collect();
    groups == [8, 4, 4, 4, 12]
        && token.chars().all(|c| c == '-' || c.is_ascii_hexdigit())
        && token[14..15] == *"4"
}

/// Runs six reservations (two instances, then one each), and terminates
/// every instance it started whatever the checks found.
async fn instances(emulator: Emulator) -> Outcome {
    let client = client(&emulator);
    let run = unique("e2e-ec2");
    let mut started = Vec::new();
    let outcome = instances_checked(&client, &run, &mut started).await;
    if started.is_empty() {
        return outcome;
    }
    let terminated = terminate(&client, &started).await;
    outcome.and(terminated)
}

async fn instances_checked(client: &Client, run: &str, started: &mut Vec<String>) -> Outcome {
    // Two instances with an EBS root device, tagged, the token left to
    // the client.
    let first = sent(
        client
            .run_instances()
            .image_id(IMAGE)
            .instance_type(InstanceType::T3Micro)
            .min_count(2)
            .max_count(2)
            .block_device_mappings(
                BlockDeviceMapping::builder()
                    .device_name("/dev/sda1")
                    .ebs(
                        EbsBlockDevice::builder()
                            .volume_size(10)
                            .volume_type(VolumeType::Gp3)
                            .delete_on_termination(true)
                            .build(),
                    )
                    .build(),
            )
            .tag_specifications(tags(ResourceType::Instance, run, "first"))
            .send()
            .await,
    )?;
    started.extend(
        first
            .instances()
            .iter()
            .filter_map(|i| i.instance_id())
            .map(str::to_owned),
    );
    eq(
        "instances of the first reservation",
        first.instances().len(),
        2,
    )?;
    for instance in first.instances() {
        eq("ImageId", instance.image_id(), Some(IMAGE))?;
        eq(
            "InstanceType",
            instance.instance_type(),
            Some(&InstanceType::T3Micro),
        )?;
        eq("Name tag", tag(instance, "Name"), Some("first"))?;
        let token = present("ClientToken", instance.client_token())?;
        ensure!(
            is_uuid_v4(token),
            "the client token filled in is not a UUID v4: {token:?}"
        );
    }
    // Five more reservations, one with the caller's token.
    for i in 0..5 {
        let mut request = client
            .run_instances()
            .image_id(IMAGE)
            .min_count(1)
            .max_count(1)
            .tag_specifications(tags(ResourceType::Instance, run, &format!("more-{i}")));
        let token = format!("{run}-token-{i}");
        if i == 0 {
            request = request.client_token(&token);
        }
        let reservation = sent(request.send().await)?;
        started.extend(
            reservation
                .instances()
                .iter()
                .filter_map(|i| i.instance_id())
                .map(str::to_owned),
        );
        if i == 0 {
            let instance = reservation.instances().first().ok_or("no instance")?;
            eq("ClientToken", instance.client_token(), Some(token.as_str()))?;
        }
    }
    eq("instances started", started.len(), 7)?;

    // Paged: six reservations, five a page.
    let pages = sent(
        client
            .describe_instances()
            .filters(run_filter(run))
            .into_paginator()
            .page_size(5)
            .send()
            .collect()
            .await,
    )?;
    let sizes: Vec<usize> = pages.iter().map(|p| p.reservations().len()).collect();
    eq("reservations per page", sizes, vec![5, 1])?;
    let found: BTreeSet<&str> = pages
        .iter()
        .flat_map(|p| p.reservations())
        .flat_map(|r| r.instances())
        .filter_map(|i| i.instance_id())
        .collect();
    let expected: BTreeSet<&str> = started.iter().map(String::as_str).collect();
    eq("instances described", &found, &expected)?;
    let root = pages[0]
        .reservations()
        .iter()
        .flat_map(|r| r.instances())
        .find(|i| tag(i, "Name") == Some("first"))
        .ok_or("the first reservation's instances are not on the first page")?;
    let devices: Vec<Option<&str>> = root
        .block_device_mappings()
        .iter()
        .map(|d| d.device_name())
        .collect();
    ensure!(
        devices.contains(&Some("/dev/sda1")),
        "the root device /dev/sda1 is not among {devices:?}"
    );

    // The waiter sees them running.
    let waited = client
        .wait_until_instance_running()
        .set_instance_ids(Some(started.clone()))
        .wait(WAIT)
        .await
        .map_err(|e| format!("InstanceRunning: {e}"))?;
    let output = waited
        .into_output()
        .ok_or("InstanceRunning gave no output")?;
    let states: BTreeSet<Option<&InstanceStateName>> = output
        .reservations()
        .iter()
        .flat_map(|r| r.instances())
        .map(|i| i.state().and_then(|s| s.name()))
        .collect();
    eq(
        "states after InstanceRunning",
        states,
        BTreeSet::from([Some(&InstanceStateName::Running)]),
    )?;

    // Tagged, then found by the new tag through the items.
    sent(
        client
            .create_tags()
            .set_resources(Some(started.clone()))
            .tags(Tag::builder().key("owner").value("e2e").build())
            .send()
            .await,
    )?;
    let tagged = sent(
        client
            .describe_instances()
            .filters(run_filter(run))
            .filters(Filter::builder().name("tag:owner").values("e2e").build())
            .into_paginator()
            .items()
            .collect()
            .await,
    )?;
    let count: usize = tagged.iter().map(|r| r.instances().len()).sum();
    eq("instances tagged owner=e2e", count, 7)?;
    Ok(())
}

/// Terminates `ids` and waits until they are.
async fn terminate(client: &Client, ids: &[String]) -> Outcome {
    let out = sent(
        client
            .terminate_instances()
            .set_instance_ids(Some(ids.to_vec()))
            .send()
            .await,
    )?;
    let changed: BTreeSet<&str> = out
        .terminating_instances()
        .iter()
        .filter_map(|c| c.instance_id())
        .collect();
    let expected: BTreeSet<&str> = ids.iter().map(String::as_str).collect();
    eq("instances terminating", &changed, &expected)?;
    for change in out.terminating_instances() {
        eq(
            "previous state",
            change.previous_state().and_then(|s| s.name()),
            Some(&InstanceStateName::Running),
        )?;
    }
    step(
        "InstanceTerminated",
        client
            .wait_until_instance_terminated()
            .set_instance_ids(Some(ids.to_vec()))
            .wait(WAIT)
            .await,
    )?;
    Ok(())
}

async fn missing_instance(emulator: Emulator) -> Outcome {
    let client = client(&emulator);
    let err = failed(
        "DescribeInstances of i-0123456789abcdef0",
        client
            .describe_instances()
            .instance_ids("i-0123456789abcdef0")
            .send()
            .await,
    )?;
    let SdkError::Service { source, .. } = &err else {
        return Err(format!("not a service error: {err}"));
    };
    let source: &DescribeInstancesError = source;
    eq("code", source.code(), Some("InvalidInstanceID.NotFound"))?;
    let message = present("message", source.message())?;
    ensure!(
        message.contains("i-0123456789abcdef0"),
        "the message does not name the instance: {message:?}"
    );
    present("request id", source.request_id())?;
    eq("status", source.status(), 400)
}
