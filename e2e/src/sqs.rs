//! SQS (`generated/sqs`, awsJson 1.0, query-compatible) against moto:
//! queue attributes written and read back, messages with String, Number
//! and Binary attributes sent, received and deleted with their MD5s
//! checked, ListQueues by prefix, and the query-compatible error of a
//! missing queue.
//!
//! The MD5s are computed here, independently of moto and of the client,
//! the way SQS documents them (the body's UTF-8; for the attributes, each
//! name, type and value length-prefixed, sorted by name). The client does
//! not check them itself (botocore does, after SendMessage and
//! ReceiveMessage); these scenarios check that it hands over what moto
//! sent and that moto's values are SQS's.
//!
//! moto answers a QueueUrl on the host the request was sent to
//! (`http://127.0.0.1:PORT/ACCOUNT/NAME`), SQS on its own
//! (`https://sqs.us-east-1.amazonaws.com/ACCOUNT/NAME`): only the path's
//! end is checked.

use crate::ensure;
use crate::scenario::{eq, failed, present, sent, unique, Emulator, Outcome, Scenario};
use md5::{Digest, Md5};
use sqs::error::Fault;
use sqs::operation::get_queue_url::GetQueueUrlError;
use sqs::types::{MessageAttributeValue, QueueAttributeName};
use sqs::{Blob, Client, ProvideErrorMetadata, SdkError};
use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

pub const SCENARIOS: &[Scenario] = &[
    Scenario {
        name: "sqs: CreateQueue with attributes, read back by GetQueueAttributes",
        run: |e| Box::pin(queue_attributes(e)),
    },
    Scenario {
        name: "sqs: messages with String, Number and Binary attributes sent, received, deleted; MD5s checked",
        run: |e| Box::pin(messages(e)),
    },
    Scenario {
        name: "sqs: ListQueues with a prefix",
        run: |e| Box::pin(list_queues(e)),
    },
    Scenario {
        name: "sqs: GetQueueUrl of a missing queue: code AWS.SimpleQueueService.NonExistentQueue, fault Sender",
        run: |e| Box::pin(missing_queue(e)),
    },
    Scenario {
        name: "sqs: GetQueueUrl of a missing queue is GetQueueUrlError::QueueDoesNotExist",
        run: |e| Box::pin(missing_queue_typed(e)),
    },
];

fn client(emulator: &Emulator) -> Client {
    Client::new(emulator.config().build())
}

async fn create_queue(
    client: &Client,
    name: &str,
    attributes: &[(QueueAttributeName, &str)],
) -> Result<String, String> {
    let mut request = client.create_queue().queue_name(name);
    for (attribute, value) in attributes {
        request = request.attributes(attribute.clone(), *value);
    }
    let output = sent(request.send().await)?;
    let url = present("QueueUrl", output.queue_url())?;
    ensure!(
        url.ends_with(&format!("/{name}")),
        "QueueUrl does not end with the queue's name: {url:?}"
    );
    Ok(url.to_string())
}

async fn delete_queue(client: &Client, url: &str) -> Outcome {
    sent(client.delete_queue().queue_url(url).send().await).map(|_| ())
}

async fn queue_attributes(emulator: Emulator) -> Outcome {
    let client = client(&emulator);
    let name = unique("e2e-sqs-attributes");
    let written = [
        (QueueAttributeName::VisibilityTimeout, "45"),
        (QueueAttributeName::DelaySeconds, "5"),
        (QueueAttributeName::MaximumMessageSize, "2048"),
        (QueueAttributeName::MessageRetentionPeriod, "3600"),
        (QueueAttributeName::ReceiveMessageWaitTimeSeconds, "2"),
    ];
    let url = create_queue(&client, &name, &written).await?;
    let outcome = async {
        let all = sent(
            client
                .get_queue_attributes()
                .queue_url(&url)
                .attribute_names(QueueAttributeName::All)
                .send()
                .await,
        )?;
        let attributes = all.attributes().ok_or("GetQueueAttributes answered none")?;
        for (attribute, value) in &written {
            eq(
                attribute.as_str(),
                attributes.get(attribute).map(String::as_str),
                Some(*value),
            )?;
        }
        let arn = present(
            "QueueArn",
            attributes
                .get(&QueueAttributeName::QueueArn)
                .map(String::as_str),
        )?;
        ensure!(
            arn.starts_with("arn:aws:sqs:us-east-1:") && arn.ends_with(&format!(":{name}")),
            "QueueArn is not this queue's ARN in us-east-1: {arn:?}"
        );
        eq(
            "ApproximateNumberOfMessages",
            attributes
                .get(&QueueAttributeName::ApproximateNumberOfMessages)
                .map(String::as_str),
            Some("0"),
        )?;
        // Epoch seconds, as a string: about now. SQS answers whole
        // seconds (`1700000000`); moto 5.2.5 answers a fraction as well
        // (`1796390826.069599`: `Queue.__init__` keeps `unix_time()`, a
        // float, in moto/sqs/models.py). Read as a number of seconds, both
        // are about now; that the value is whole is not checked.
        let created = present(
            "CreatedTimestamp",
            attributes
                .get(&QueueAttributeName::CreatedTimestamp)
                .map(String::as_str),
        )?;
        let created: f64 = created
            .parse()
            .map_err(|e| format!("CreatedTimestamp {created:?} is not epoch seconds: {e}"))?;
        let age = sqs::DateTime::now().secs() - created as i64;
        ensure!(
            (-300..=300).contains(&age),
            "CreatedTimestamp is {age} s from now"
        );

        // Only the attributes asked for.
        let two = sent(
            client
                .get_queue_attributes()
                .queue_url(&url)
                .attribute_names(QueueAttributeName::VisibilityTimeout)
                .attribute_names(QueueAttributeName::DelaySeconds)
                .send()
                .await,
        )?;
        let got: BTreeMap<_, _> = two
            .attributes()
            .ok_or("GetQueueAttributes answered none")?
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        eq(
            "the two attributes asked for",
            got,
            BTreeMap::from([("DelaySeconds", "5"), ("VisibilityTimeout", "45")]),
        )
    }
    .await;
    let deleted = delete_queue(&client, &url).await;
    outcome.and(deleted)
}

/// Bytes that are not UTF-8.
const NOT_UTF8: &[u8] = &[0x00, 0xff, 0xfe, 0x80, 0xc3, 0x28, 0x7f, b'a'];

fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

fn md5_of_body(body: &str) -> String {
    hex(&Md5::digest(body.as_bytes()))
}

/// MD5OfMessageAttributes as SQS computes it: for each attribute in name
/// order, its name, its data type, a transport byte (1 for String and
/// Number values, 2 for Binary) and its value, each but the byte preceded
/// by its length in 4 bytes, big-endian.
fn md5_of_attributes(attributes: &HashMap<String, MessageAttributeValue>) -> String {
    fn field(md5: &mut Md5, bytes: &[u8]) {
        md5.update((bytes.len() as u32).to_be_bytes());
        md5.update(bytes);
    }
    let mut md5 = Md5::new();
    let sorted: BTreeMap<_, _> = attributes.iter().collect();
    for (name, value) in sorted {
        field(&mut md5, name.as_bytes());
        field(&mut md5, value.data_type().unwrap_or_default().as_bytes());
        if let Some(text) = value.string_value() {
            md5.update([1]);
            field(&mut md5, text.as_bytes());
        } else if let Some(bytes) = value.binary_value() {
            md5.update([2]);
            field(&mut md5, bytes.as_bytes());
        }
    }
    hex(&md5.finalize())
}

fn attribute(data_type: &str, text: &str) -> MessageAttributeValue {
    MessageAttributeValue::builder()
        .data_type(data_type)
        .string_value(text)
        .build()
}

/// The attributes of message `index`.
fn attributes_of(index: usize) -> HashMap<String, MessageAttributeValue> {
    HashMap::from([
        (
            "text".to_string(),
            attribute("String", "héllo <wörld> & \"you\""),
        ),
        ("index".to_string(), attribute("Number", &index.to_string())),
        ("price".to_string(), attribute("Number", "-12.50")),
        (
            "custom".to_string(),
            attribute("String.e2e-custom", "a custom type"),
        ),
        (
            "raw".to_string(),
            MessageAttributeValue::builder()
                .data_type("Binary")
                .binary_value(Blob::new([NOT_UTF8, &[index as u8]].concat()))
                .build(),
        ),
    ])
}

fn body_of(index: usize) -> String {
    format!("message {index}: héllo <&> \"quoted\" 世界 \u{1F600}\nsecond line\ttab")
}

const MESSAGES: usize = 3;

/// How long the scenario waits for its messages to be received.
const RECEIVED_WITHIN: Duration = Duration::from_secs(20);

async fn messages(emulator: Emulator) -> Outcome {
    let client = client(&emulator);
    let name = unique("e2e-sqs-messages");
    let url = create_queue(
        &client,
        &name,
        &[(QueueAttributeName::VisibilityTimeout, "30")],
    )
    .await?;
    let outcome = send_receive_delete(&client, &url).await;
    let deleted = delete_queue(&client, &url).await;
    outcome.and(deleted)
}

async fn send_receive_delete(client: &Client, url: &str) -> Outcome {
    // Sent: the message id and both MD5s come back.
    let mut sent_ids = HashMap::new();
    for index in 0..MESSAGES {
        let output = sent(
            client
                .send_message()
                .queue_url(url)
                .message_body(body_of(index))
                .set_message_attributes(Some(attributes_of(index)))
                .send()
                .await,
        )?;
        let id = present("MessageId", output.message_id())?;
        eq(
            "SendMessage's MD5OfMessageBody",
            output.md5_of_message_body(),
            Some(md5_of_body(&body_of(index)).as_str()),
        )?;
        eq(
            "SendMessage's MD5OfMessageAttributes",
            output.md5_of_message_attributes(),
            Some(md5_of_attributes(&attributes_of(index)).as_str()),
        )?;
        sent_ids.insert(id.to_string(), index);
    }

    // Received: every message, with its body, attributes and MD5s.
    let started = Instant::now();
    let mut received = HashMap::new();
    while received.len() < MESSAGES {
        ensure!(
            started.elapsed() < RECEIVED_WITHIN,
            "received {} of {MESSAGES} messages within {} s",
            received.len(),
            RECEIVED_WITHIN.as_secs()
        );
        let output = sent(
            client
                .receive_message()
                .queue_url(url)
                .max_number_of_messages(10)
                .wait_time_seconds(1)
                .message_attribute_names("All")
                .send()
                .await,
        )?;
        for message in output.messages() {
            let id = present("MessageId", message.message_id())?;
            let index = *sent_ids
                .get(id)
                .ok_or_else(|| format!("received a message that was not sent: {id:?}"))?;
            let expected = attributes_of(index);
            eq("Body", message.body(), Some(body_of(index).as_str()))?;
            eq(
                "MD5OfBody",
                message.md5_of_body(),
                Some(md5_of_body(&body_of(index)).as_str()),
            )?;
            let attributes = message
                .message_attributes()
                .ok_or("the message has no MessageAttributes")?;
            let mut names: Vec<&str> = attributes.keys().map(String::as_str).collect();
            names.sort();
            eq(
                "the attributes' names",
                names,
                vec!["custom", "index", "price", "raw", "text"],
            )?;
            for (name, want) in &expected {
                let got = &attributes[name];
                eq(
                    &format!("{name}'s DataType"),
                    got.data_type(),
                    want.data_type(),
                )?;
                eq(
                    &format!("{name}'s StringValue"),
                    got.string_value(),
                    want.string_value(),
                )?;
                eq(
                    &format!("{name}'s BinaryValue"),
                    got.binary_value(),
                    want.binary_value(),
                )?;
            }
            eq(
                "MD5OfMessageAttributes",
                message.md5_of_message_attributes(),
                Some(md5_of_attributes(&expected).as_str()),
            )?;
            let receipt = present("ReceiptHandle", message.receipt_handle())?;
            ensure!(
                received.insert(index, receipt.to_string()).is_none(),
                "message {index} was received twice within its visibility timeout"
            );
        }
    }

    // Deleted: the queue is empty, none in flight.
    for receipt in received.values() {
        sent(
            client
                .delete_message()
                .queue_url(url)
                .receipt_handle(receipt)
                .send()
                .await,
        )?;
    }
    let counts = sent(
        client
            .get_queue_attributes()
            .queue_url(url)
            .attribute_names(QueueAttributeName::ApproximateNumberOfMessages)
            .attribute_names(QueueAttributeName::ApproximateNumberOfMessagesNotVisible)
            .send()
            .await,
    )?;
    let counts = counts
        .attributes()
        .ok_or("GetQueueAttributes answered none")?;
    for attribute in [
        QueueAttributeName::ApproximateNumberOfMessages,
        QueueAttributeName::ApproximateNumberOfMessagesNotVisible,
    ] {
        eq(
            attribute.as_str(),
            counts.get(&attribute).map(String::as_str),
            Some("0"),
        )?;
    }
    Ok(())
}

async fn list_queues(emulator: Emulator) -> Outcome {
    let client = client(&emulator);
    let base = unique("e2e-sqs-list");
    let mut urls = Vec::new();
    for suffix in ["listed-a", "listed-b", "other"] {
        urls.push(create_queue(&client, &format!("{base}-{suffix}"), &[]).await?);
    }
    let outcome = async {
        let output = sent(
            client
                .list_queues()
                .queue_name_prefix(format!("{base}-listed"))
                .send()
                .await,
        )?;
        let mut listed = output.queue_urls().to_vec();
        listed.sort();
        eq("the QueueUrls listed", listed, urls[..2].to_vec())?;
        // A prefix nothing has: no queues (moto answers `{}`, with no
        // QueueUrls member at all; the accessor gives an empty slice).
        let none = sent(
            client
                .list_queues()
                .queue_name_prefix(format!("{base}-nothing"))
                .send()
                .await,
        )?;
        eq(
            "the QueueUrls of an unused prefix",
            none.queue_urls(),
            &[][..],
        )?;
        // GetQueueUrl finds each by name, at the URL CreateQueue gave.
        for (suffix, url) in ["listed-a", "listed-b", "other"].iter().zip(&urls) {
            let found = sent(
                client
                    .get_queue_url()
                    .queue_name(format!("{base}-{suffix}"))
                    .send()
                    .await,
            )?;
            eq(
                "GetQueueUrl's QueueUrl",
                found.queue_url(),
                Some(url.as_str()),
            )?;
        }
        Ok(())
    }
    .await;
    let mut deleted = Ok(());
    for url in &urls {
        deleted = deleted.and(delete_queue(&client, url).await);
    }
    outcome.and(deleted)
}

/// GetQueueUrl of a queue never created: its error, as the service sent it.
async fn missing_queue_error(emulator: &Emulator) -> Result<SdkError<GetQueueUrlError>, String> {
    let result = client(emulator)
        .get_queue_url()
        .queue_name(unique("e2e-sqs-never-created"))
        .send()
        .await;
    failed("GetQueueUrl of a queue never created", result)
}

async fn missing_queue(emulator: Emulator) -> Outcome {
    let error = missing_queue_error(&emulator).await?;
    let e = error
        .as_service_error()
        .ok_or_else(|| format!("expected the service's error, got: {error}"))?;
    // SQS is query-compatible: the code a program matches on is the one
    // of the query protocol, from the `x-amzn-query-error` header
    // (`AWS.SimpleQueueService.NonExistentQueue;Sender`), not the JSON
    // `__type` (`com.amazonaws.sqs#QueueDoesNotExist`), as botocore
    // reports it (`Code`, with `QueryErrorCode` the `__type`).
    eq(
        "error code",
        e.code(),
        Some("AWS.SimpleQueueService.NonExistentQueue"),
    )?;
    eq("fault", e.meta().fault(), Some(Fault::Sender))?;
    eq("HTTP status", e.status(), 400)?;
    let message = present("error message", e.message())?;
    ensure!(
        message.contains("does not exist"),
        "the message does not say that the queue does not exist: {message:?}"
    );
    present("request id", e.request_id())?;
    Ok(())
}

/// The same error, typed as botocore types it: by the `__type`
/// (`QueueDoesNotExist`, the shape's name, the only code botocore 1.44.5's
/// SQS model gives), while the code users see is the query code of the
/// `x-amzn-query-error` header.
async fn missing_queue_typed(emulator: Emulator) -> Outcome {
    let error = missing_queue_error(&emulator).await?;
    let SdkError::Service {
        source: GetQueueUrlError::QueueDoesNotExist(e),
        ..
    } = &error
    else {
        return Err(format!("expected QueueDoesNotExist, got: {error}"));
    };
    eq(
        "error code",
        e.code(),
        Some("AWS.SimpleQueueService.NonExistentQueue"),
    )?;
    eq("fault", e.meta().fault(), Some(Fault::Sender))?;
    let message = present("the modeled message", e.message())?;
    eq("message()", ProvideErrorMetadata::message(e), Some(message))?;
    Ok(())
}
