//! EC2 on a loopback server: `DescribeInstances` paged through its
//! paginator, `RunInstances` with nested lists, tags and an idempotency
//! token, and EC2's error responses read into the operation's error.
//!
//! The expected form bodies are what botocore 1.44.5's `EC2Serializer`
//! writes for the same parameters (given in model order, the order the
//! generated writer follows): the keys are EC2's (`queryName`, else
//! `locationName` capitalized), lists are `Name.N` without `.member`.

use ec2::operation::describe_instances::DescribeInstancesError;
use ec2::types::{
    BlockDeviceMapping, EbsBlockDevice, Filter, InstanceIpv6Address,
    InstanceNetworkInterfaceSpecification, InstanceStateName, InstanceType,
    PrivateIpAddressSpecification, ResourceType, Tag, TagSpecification, VolumeType,
};
use ec2::Client;
use sdkgen_runtime::error::ProvideErrorMetadata;
use sdkgen_runtime::protocol::FixedToken;
use sdkgen_runtime::SdkError;
use sdkgen_tests::fake_aws::form;
use sdkgen_tests::server::{MockServer, Recorded, Reply};
use sdkgen_tests::sigv4_verify::verify;
use sdkgen_tests::{test_config, SECRET_KEY};

const TOKEN: &str = "00000000-0000-4000-8000-000000000000";

fn xml(status: u16, body: String) -> Reply {
    Reply::Respond {
        status,
        headers: vec![("content-type".into(), "text/xml;charset=UTF-8".into())],
        body,
    }
}

fn client(server: &MockServer) -> Client {
    let (config, _) = test_config(&server.url());
    Client::new(
        config
            .idempotency_token_provider(FixedToken(TOKEN.into()))
            .build(),
    )
}

fn body(request: &Recorded) -> &str {
    std::str::from_utf8(&request.body).expect("a form is UTF-8")
}

/// A reservation of one running instance with a `Name` tag.
fn reservation(reservation: &str, instance: &str) -> String {
    format!(
        "<item><reservationId>{reservation}</reservationId><ownerId>123456789012</ownerId><groupSet/>\
         <instancesSet><item><instanceId>{instance}</instanceId><imageId>ami-12345678</imageId>\
         <instanceState><code>16</code><name>running</name></instanceState>\
         <instanceType>t3.micro</instanceType><launchTime>2024-05-01T12:00:00.000Z</launchTime>\
         <tagSet><item><key>Name</key><value>web {instance}</value></item></tagSet>\
         </item></instancesSet></item>"
    )
}

/// Two pages: two reservations and `nextToken` `t1`, then one.
fn describe_pages(request: &Recorded, _: usize) -> Reply {
    let (reservations, next) = match form(request).get("NextToken").map(String::as_str) {
        None => (
            reservation("r-1", "i-1") + &reservation("r-2", "i-2"),
            "<nextToken>t1</nextToken>",
        ),
        Some("t1") => (reservation("r-3", "i-3"), ""),
        Some(other) => return ec2_error(400, "InvalidParameterValue", &format!("token {other}")),
    };
    xml(
        200,
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DescribeInstancesResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">\
             <requestId>8f7724cf-496f-496e-8fe3-example</requestId>\
             <reservationSet>{reservations}</reservationSet>{next}</DescribeInstancesResponse>"
        ),
    )
}

/// An error as EC2 writes one: `<Response><Errors><Error>` and
/// `<RequestID>`, no request id header.
fn ec2_error(status: u16, code: &str, message: &str) -> Reply {
    xml(
        status,
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>{code}</Code>\
             <Message>{message}</Message></Error></Errors>\
             <RequestID>ea966190-f9aa-478e-9ede-example</RequestID></Response>"
        ),
    )
}

#[tokio::test]
async fn describe_instances_pages_through_next_token() {
    let server = MockServer::start(describe_pages).await;
    let reservations = client(&server)
        .describe_instances()
        .filters(
            Filter::builder()
                .name("instance-state-name")
                .values("running")
                .values("pending")
                .build(),
        )
        .filters(Filter::builder().name("tag:env").values("test").build())
        .into_paginator()
        .page_size(5)
        .items()
        .collect()
        .await
        .unwrap();
    let ids: Vec<&str> = reservations
        .iter()
        .filter_map(|r| r.reservation_id())
        .collect();
    assert_eq!(ids, ["r-1", "r-2", "r-3"]);
    let instance = &reservations[1].instances()[0];
    assert_eq!(instance.instance_id(), Some("i-2"));
    assert_eq!(instance.instance_type(), Some(&InstanceType::T3Micro));
    let state = instance.state().unwrap();
    assert_eq!(
        (state.code(), state.name()),
        (Some(16), Some(&InstanceStateName::Running))
    );
    assert_eq!(instance.tags()[0].key(), Some("Name"));
    assert_eq!(instance.tags()[0].value(), Some("web i-2"));
    assert_eq!(
        instance.launch_time().map(|t| t.secs()),
        Some(1_714_564_800)
    );
    assert!(reservations[0].groups().is_empty());

    let requests = server.requests();
    let bodies: Vec<&str> = requests.iter().map(body).collect();
    let filters = "Action=DescribeInstances&Version=2016-11-15\
        &Filter.1.Name=instance-state-name&Filter.1.Value.1=running&Filter.1.Value.2=pending\
        &Filter.2.Name=tag%3Aenv&Filter.2.Value.1=test";
    assert_eq!(
        bodies,
        [
            format!("{filters}&MaxResults=5"),
            format!("{filters}&NextToken=t1&MaxResults=5"),
        ]
    );
    for request in &requests {
        assert_eq!(
            (request.method.as_str(), request.target.as_str()),
            ("POST", "/")
        );
        assert_eq!(
            request.header("content-type"),
            Some("application/x-www-form-urlencoded")
        );
        let auth = verify(request, SECRET_KEY).unwrap();
        assert_eq!(
            (auth.service.as_str(), auth.region.as_str()),
            ("ec2", "us-east-1")
        );
    }
}

/// `RunInstances` with the lists EC2 callers nest: block devices with
/// EBS settings, tags for two resource types, a network interface whose
/// lists have a `queryName`.
fn run_instances(client: &Client) -> ec2::operation::run_instances::RunInstancesFluentBuilder {
    client
        .run_instances()
        .block_device_mappings(
            BlockDeviceMapping::builder()
                .ebs(
                    EbsBlockDevice::builder()
                        .delete_on_termination(true)
                        .volume_size(20)
                        .volume_type(VolumeType::Gp3)
                        .build(),
                )
                .device_name("/dev/xvda")
                .build(),
        )
        .block_device_mappings(
            BlockDeviceMapping::builder()
                .no_device("")
                .device_name("/dev/sdb")
                .build(),
        )
        .image_id("ami-12345678")
        .instance_type(InstanceType::T3Micro)
        .max_count(2)
        .min_count(1)
        .tag_specifications(
            TagSpecification::builder()
                .resource_type(ResourceType::Instance)
                .tags(Tag::builder().key("Name").value("web").build())
                .tags(Tag::builder().key("env").value("a b&c").build())
                .build(),
        )
        .tag_specifications(
            TagSpecification::builder()
                .resource_type(ResourceType::Volume)
                .tags(Tag::builder().key("backup").value("daily").build())
                .build(),
        )
        .network_interfaces(
            InstanceNetworkInterfaceSpecification::builder()
                .device_index(0)
                .groups("sg-1")
                .groups("sg-2")
                .ipv6_addresses(
                    InstanceIpv6Address::builder()
                        .ipv6_address("2001:db8::1")
                        .build(),
                )
                .private_ip_addresses(
                    PrivateIpAddressSpecification::builder()
                        .primary(true)
                        .private_ip_address("10.0.0.5")
                        .build(),
                )
                .subnet_id("subnet-1")
                .build(),
        )
}

/// The form botocore writes for [`run_instances`] with `token`.
fn run_instances_form(token: &str) -> String {
    format!(
        "Action=RunInstances&Version=2016-11-15\
         &BlockDeviceMapping.1.Ebs.DeleteOnTermination=true&BlockDeviceMapping.1.Ebs.VolumeSize=20\
         &BlockDeviceMapping.1.Ebs.VolumeType=gp3&BlockDeviceMapping.1.DeviceName=%2Fdev%2Fxvda\
         &BlockDeviceMapping.2.NoDevice=&BlockDeviceMapping.2.DeviceName=%2Fdev%2Fsdb\
         &ImageId=ami-12345678&InstanceType=t3.micro&MaxCount=2&MinCount=1\
         &TagSpecification.1.ResourceType=instance\
         &TagSpecification.1.Tag.1.Key=Name&TagSpecification.1.Tag.1.Value=web\
         &TagSpecification.1.Tag.2.Key=env&TagSpecification.1.Tag.2.Value=a+b%26c\
         &TagSpecification.2.ResourceType=volume\
         &TagSpecification.2.Tag.1.Key=backup&TagSpecification.2.Tag.1.Value=daily\
         &ClientToken={token}\
         &NetworkInterface.1.DeviceIndex=0\
         &NetworkInterface.1.SecurityGroupId.1=sg-1&NetworkInterface.1.SecurityGroupId.2=sg-2\
         &NetworkInterface.1.Ipv6Addresses.1.Ipv6Address=2001%3Adb8%3A%3A1\
         &NetworkInterface.1.PrivateIpAddresses.1.Primary=true\
         &NetworkInterface.1.PrivateIpAddresses.1.PrivateIpAddress=10.0.0.5\
         &NetworkInterface.1.SubnetId=subnet-1"
    )
}

/// `RunInstances`' answer: a reservation of the instances it started.
fn run_reply(_: &Recorded, _: usize) -> Reply {
    xml(
        200,
        format!(
            "<RunInstancesResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">\
             <requestId>r</requestId><reservationId>r-9</reservationId><ownerId>123456789012</ownerId>\
             <groupSet/><instancesSet>{}{}</instancesSet></RunInstancesResponse>",
            "<item><instanceId>i-a</instanceId><clientToken>t</clientToken><instanceState><code>0</code><name>pending</name></instanceState></item>",
            "<item><instanceId>i-b</instanceId><instanceState><code>0</code><name>pending</name></instanceState></item>",
        ),
    )
}

#[tokio::test]
async fn run_instances_sends_nested_lists_and_fills_the_client_token() {
    let server = MockServer::start(run_reply).await;
    let client = client(&server);
    let out = run_instances(&client).send().await.unwrap();
    assert_eq!(out.reservation_id(), Some("r-9"));
    let ids: Vec<_> = out.instances().iter().map(|i| i.instance_id()).collect();
    assert_eq!(ids, [Some("i-a"), Some("i-b")]);
    assert_eq!(
        out.instances()[0].state().and_then(|s| s.name()),
        Some(&InstanceStateName::Pending)
    );
    // A token the caller sets is sent as it is.
    run_instances(&client)
        .client_token("my-token")
        .send()
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(body(&requests[0]), run_instances_form(TOKEN));
    assert_eq!(body(&requests[1]), run_instances_form("my-token"));
    verify(&requests[0], SECRET_KEY).unwrap();
}

#[tokio::test]
async fn a_retried_run_instances_keeps_its_client_token() {
    // Random tokens, as a caller gets them by default.
    let server = MockServer::start(|request, index| match index {
        0 => ec2_error(503, "Unavailable", "The service is unavailable."),
        _ => run_reply(request, index),
    })
    .await;
    let (config, sleep) = test_config(&server.url());
    let client = Client::new(config.build());
    run_instances(&client).send().await.unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(sleep.waits.lock().unwrap().len(), 1);
    let token = form(&requests[0])["ClientToken"].clone();
    assert_eq!(token.len(), 36, "{token}");
    assert_eq!(&token[14..15], "4", "a UUID v4: {token}");
    assert_ne!(token, TOKEN);
    assert_eq!(body(&requests[0]), run_instances_form(&token));
    assert_eq!(body(&requests[1]), body(&requests[0]));
}

#[tokio::test]
async fn errors_carry_code_message_and_request_id() {
    let server = MockServer::start(|_, _| {
        ec2_error(
            400,
            "InvalidInstanceID.NotFound",
            "The instance ID 'i-0' does not exist",
        )
    })
    .await;
    let err = client(&server)
        .describe_instances()
        .instance_ids("i-0")
        .send()
        .await
        .unwrap_err();
    let SdkError::Service { source, .. } = &err else {
        panic!("a service error: {err:?}");
    };
    // EC2's model names no errors: every code is read from the metadata.
    let source: &DescribeInstancesError = source;
    assert_eq!(source.code(), Some("InvalidInstanceID.NotFound"));
    assert_eq!(
        source.message(),
        Some("The instance ID 'i-0' does not exist")
    );
    assert_eq!(source.request_id(), Some("ea966190-f9aa-478e-9ede-example"));
    assert_eq!(source.status(), 400);
    let shown = err.to_string();
    assert!(shown.contains("InvalidInstanceID.NotFound"), "{shown}");
    assert!(shown.contains("ea966190-f9aa-478e-9ede-example"), "{shown}");
    // A client error is not retried.
    assert_eq!(server.requests().len(), 1);
    assert_eq!(
        body(&server.requests()[0]),
        "Action=DescribeInstances&Version=2016-11-15&InstanceId.1=i-0"
    );
}
