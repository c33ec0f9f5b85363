//! The awsJson crates (DynamoDB, SQS) against a loopback server that checks
//! every signature: the request each sends, the answers each reads, the
//! query-compatible errors of SQS and DynamoDB's `x-amz-crc32`, and
//! DynamoDB's `AttributeValue` as the union it is on the wire (made one by
//! the generator's customization of DynamoDB): every kind, written and
//! read, nested three deep.

use dynamodb::operation::get_item::{GetItemError, GetItemOutput};
use dynamodb::types::AttributeValue;
use dynamodb::{Blob, RetryConfig, SdkError};
use sdkgen_runtime::error::{DispatchErrorKind, Fault, ProvideErrorMetadata};
use sdkgen_tests::server::{MockServer, Recorded, Reply};
use sdkgen_tests::sigv4_verify::verify;
use sdkgen_tests::{test_config, SECRET_KEY};
use std::collections::HashMap;

const ITEM: &str = r#"{"Item":{"id":{"S":"k1"},"n":{"N":"1.5"},"b":{"B":"AAE="},"ok":{"BOOL":true},
"none":{"NULL":true},"tags":{"SS":["a","b"]},"nums":{"NS":["1","2"]},"bins":{"BS":["AA=="]},
"m":{"M":{"l":{"L":[{"M":{"deep":{"S":"x"}}},{"N":"7"}]}}}},"ConsumedCapacity":null}"#;

/// A DynamoDB answer with the CRC32 DynamoDB sends (`crc`, else the
/// body's own).
fn dynamodb_reply(body: &str, crc: Option<u32>) -> Reply {
    let crc = crc.unwrap_or_else(|| crc32(body.as_bytes()));
    Reply::Respond {
        status: 200,
        headers: vec![
            ("content-type".into(), "application/x-amz-json-1.0".into()),
            ("x-amzn-RequestId".into(), "ddb-request".into()),
            ("x-amz-crc32".into(), crc.to_string()),
        ],
        body: body.into(),
    }
}

/// CRC-32 (IEEE), bit by bit: independent of the client's implementation.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn dynamodb(url: &str, attempts: u32) -> dynamodb::Client {
    dynamodb::Client::new(
        test_config(url)
            .0
            .retry_config(RetryConfig::standard().with_max_attempts(attempts))
            .build(),
    )
}

async fn get_item(client: &dynamodb::Client) -> Result<GetItemOutput, SdkError<GetItemError>> {
    client
        .get_item()
        .table_name("things")
        .key("id", AttributeValue::S("k1".into()))
        .send()
        .await
}

fn map(entries: Vec<(&str, AttributeValue)>) -> HashMap<String, AttributeValue> {
    entries
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
}

/// `ITEM`'s item, as the client must read it.
fn item() -> HashMap<String, AttributeValue> {
    use AttributeValue::*;
    map(vec![
        ("id", S("k1".into())),
        ("n", N("1.5".into())),
        ("b", B(Blob::new(vec![0, 1]))),
        ("ok", Bool(true)),
        ("none", Null(true)),
        ("tags", Ss(vec!["a".into(), "b".into()])),
        ("nums", Ns(vec!["1".into(), "2".into()])),
        ("bins", Bs(vec![Blob::new(vec![0])])),
        (
            "m",
            M(map(vec![(
                "l",
                L(vec![M(map(vec![("deep", S("x".into()))])), N("7".into())]),
            )])),
        ),
    ])
}

fn assert_signed(request: &Recorded) {
    verify(request, SECRET_KEY).unwrap_or_else(|e| panic!("{}: {e}", request.target));
}

#[tokio::test]
async fn get_item_posts_its_target_and_reads_every_attribute_kind() {
    let server = MockServer::start(|_, _| dynamodb_reply(ITEM, None)).await;
    let out = get_item(&dynamodb(&server.url(), 1)).await.unwrap();

    let requests = server.requests();
    let request = &requests[0];
    assert_signed(request);
    assert_eq!(
        (request.method.as_str(), request.target.as_str()),
        ("POST", "/")
    );
    assert_eq!(
        request.header("x-amz-target"),
        Some("DynamoDB_20120810.GetItem")
    );
    assert_eq!(
        request.header("content-type"),
        Some("application/x-amz-json-1.0")
    );
    assert_eq!(request.header("x-amzn-query-mode"), None);
    let body: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"TableName": "things", "Key": {"id": {"S": "k1"}}})
    );

    assert_eq!(out.item(), Some(&item()));
    let deep = out.item().unwrap()["m"].as_m().unwrap()["l"]
        .as_l()
        .unwrap()[0]
        .as_m()
        .unwrap();
    assert_eq!(deep["deep"].as_s().map(String::as_str), Ok("x"));
    assert!(out.consumed_capacity().is_none());
}

#[tokio::test]
async fn every_kind_is_sent_as_an_object_of_one_member_nested_three_deep() {
    let server = MockServer::start(|_, _| dynamodb_reply("{}", None)).await;
    let mut every_kind = item();
    // Three deep under a list: a map in a list in a map in a list.
    every_kind.insert(
        "l".into(),
        AttributeValue::L(vec![AttributeValue::M(every_kind.clone())]),
    );
    dynamodb(&server.url(), 1)
        .get_item()
        .table_name("things")
        .set_key(Some(every_kind))
        .send()
        .await
        .unwrap();
    let requests = server.requests();
    assert_signed(&requests[0]);
    let body: serde_json::Value = serde_json::from_slice(&requests[0].body).unwrap();
    let kinds = serde_json::json!({
        "id": {"S": "k1"},
        "n": {"N": "1.5"},
        "b": {"B": "AAE="},
        "ok": {"BOOL": true},
        "none": {"NULL": true},
        "tags": {"SS": ["a", "b"]},
        "nums": {"NS": ["1", "2"]},
        "bins": {"BS": ["AA=="]},
        "m": {"M": {"l": {"L": [{"M": {"deep": {"S": "x"}}}, {"N": "7"}]}}}
    });
    let mut key = kinds.clone();
    key["l"] = serde_json::json!({"L": [{"M": kinds}]});
    assert_eq!(body, serde_json::json!({"TableName": "things", "Key": key}));
}

#[tokio::test]
async fn a_value_with_two_kinds_is_an_error_not_a_guess() {
    let body = r#"{"Item":{"id":{"M":{"x":{"S":"a","N":"1"}}}}}"#;
    let server = MockServer::start(move |_, _| dynamodb_reply(body, None)).await;
    let err = get_item(&dynamodb(&server.url(), 1)).await.unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("Item.id.M.x: a union must have one member set, it has `S` and `N`"),
        "{text}"
    );
    assert!(matches!(err, SdkError::Response { .. }), "{err:?}");
}

#[tokio::test]
async fn a_kind_the_model_does_not_know_is_read_as_unknown_and_never_sent() {
    let body =
        r#"{"Item":{"id":{"S":"k1"},"v":{"VECTOR":[0.5,1.5]},"nil":{"NULL":true,"S":null}}}"#;
    let server = MockServer::start(move |_, _| dynamodb_reply(body, None)).await;
    let client = dynamodb(&server.url(), 1);
    let out = get_item(&client).await.unwrap();
    let item = out.item().unwrap();
    assert!(item["v"].is_unknown(), "{:?}", item["v"]);
    // A member that is null is no member.
    assert_eq!(item["nil"], AttributeValue::Null(true));
    let err = client
        .get_item()
        .table_name("things")
        .key("id", item["v"].clone())
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, SdkError::Build { .. }), "{err:?}");
    assert!(err.to_string().contains("AttributeValue"), "{err}");
    assert_eq!(server.requests().len(), 1, "the unknown value was not sent");
}

#[tokio::test]
async fn an_input_without_members_sends_an_empty_object() {
    let server = MockServer::start(|_, _| dynamodb_reply(r#"{"TableNames":["t"]}"#, None)).await;
    let out = dynamodb(&server.url(), 1)
        .list_tables()
        .send()
        .await
        .unwrap();
    assert_eq!(out.table_names(), ["t"]);
    let requests = server.requests();
    assert_signed(&requests[0]);
    assert_eq!(requests[0].body, b"{}");
}

#[tokio::test]
async fn a_damaged_answer_is_retried_and_the_next_one_read() {
    let server = MockServer::start(|_, i| {
        let bad = crc32(ITEM.as_bytes()) ^ 1;
        dynamodb_reply(ITEM, (i == 0).then_some(bad))
    })
    .await;
    let out = get_item(&dynamodb(&server.url(), 3)).await.unwrap();
    assert_eq!(out.item(), Some(&item()));
    assert_eq!(server.requests().len(), 2, "the damaged answer was retried");
}

#[tokio::test]
async fn answers_damaged_every_time_end_in_an_error_not_a_wrong_output() {
    let server = MockServer::start(|_, _| dynamodb_reply(ITEM, Some(12345))).await;
    let err = get_item(&dynamodb(&server.url(), 2)).await.unwrap_err();
    match &err {
        SdkError::Dispatch { source, .. } => {
            assert_eq!(source.kind(), DispatchErrorKind::Checksum);
            assert_eq!(source.attempts(), 2);
        }
        other => panic!("expected a checksum failure, got {other:?}"),
    }
    assert!(err.to_string().contains("x-amz-crc32 says 12345"), "{err}");
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_modeled_error_is_typed_by_its_type() {
    let server = MockServer::start(|_, _| Reply::Respond {
        status: 400,
        headers: vec![("x-amzn-RequestId".into(), "r-404".into())],
        body: r#"{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"Requested resource not found"}"#.into(),
    })
    .await;
    let err = get_item(&dynamodb(&server.url(), 1))
        .await
        .unwrap_err()
        .into_service_error()
        .unwrap();
    assert!(err.is_resource_not_found_exception(), "{err:?}");
    assert_eq!(err.code(), Some("ResourceNotFoundException"));
    assert_eq!(err.message(), Some("Requested resource not found"));
    assert_eq!(err.request_id(), Some("r-404"));
}

#[tokio::test]
async fn an_html_page_is_an_error_with_the_status_as_its_code() {
    let page = "<html>\n<body>404 Not Found</body>\n</html>\n";
    let server = MockServer::start(move |_, _| Reply::Respond {
        status: 404,
        headers: vec![("content-type".into(), "text/html".into())],
        body: page.into(),
    })
    .await;
    let err = get_item(&dynamodb(&server.url(), 1))
        .await
        .unwrap_err()
        .into_service_error()
        .unwrap();
    assert_eq!(err.code(), Some("404"));
    assert_eq!(err.message(), Some(page));
    assert_eq!(
        err.meta().raw_response().map(|r| r.body()),
        Some(page.as_bytes())
    );
}

#[tokio::test]
async fn sqs_asks_for_query_errors_and_types_them_by_shape() {
    let server = MockServer::start(|_, _| Reply::Respond {
        status: 400,
        headers: vec![
            ("x-amzn-RequestId".into(), "sqs-1".into()),
            (
                "x-amzn-query-error".into(),
                "AWS.SimpleQueueService.NonExistentQueue;Sender".into(),
            ),
        ],
        body: r#"{"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"The specified queue does not exist."}"#.into(),
    })
    .await;
    let client = sqs::Client::new(test_config(&server.url()).0.build());
    let err = client
        .get_queue_url()
        .queue_name("missing")
        .send()
        .await
        .unwrap_err()
        .into_service_error()
        .unwrap();
    assert!(err.is_queue_does_not_exist(), "{err:?}");
    assert_eq!(err.code(), Some("AWS.SimpleQueueService.NonExistentQueue"));
    assert_eq!(err.meta().fault(), Some(Fault::Sender));
    assert_eq!(
        ProvideErrorMetadata::message(&err),
        Some("The specified queue does not exist.")
    );

    let requests = server.requests();
    assert_signed(&requests[0]);
    assert_eq!(
        requests[0].header("x-amz-target"),
        Some("AmazonSQS.GetQueueUrl")
    );
    assert_eq!(requests[0].header("x-amzn-query-mode"), Some("true"));
    assert_eq!(
        requests[0].header("content-type"),
        Some("application/x-amz-json-1.0")
    );
}
