//! Paginators of Chime SDK Voice, against a loopback server that serves
//! pages by their `next-token`: three pages walked to the end, as pages and
//! as items, with the page size sent on every request; a starting token
//! taken from the request; and a token served twice ending the walk with
//! an error instead of a loop.
//!
//! Then every other form of botocore's paginators, on the `paginators`
//! fixture (`mod forms`): a `more_results` flag that ends the walk though
//! the page has a token, several tokens at once, a token in a nested
//! structure, a map of structures as the token (DynamoDB's), several
//! result keys, `NextMarker || Contents[-1].Key`, an integer token and a
//! map of items.

use chime_sdk_voice::Client;
use sdkgen_tests::server::{MockServer, Recorded, Reply};
use sdkgen_tests::sigv4_verify::verify;
use sdkgen_tests::{test_config, SECRET_KEY};

/// The value of a query parameter, decoded.
fn param(request: &Recorded, name: &str) -> Option<String> {
    let (_, query) = request.target.split_once('?')?;
    query
        .split('&')
        .filter_map(|p| p.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| {
            percent_encoding::percent_decode_str(v)
                .decode_utf8()
                .unwrap()
                .into_owned()
        })
}

fn page(ids: &[&str], next: Option<&str>) -> Reply {
    let rules: Vec<String> = ids
        .iter()
        .map(|id| format!(r#"{{"SipRuleId":"{id}","Name":"rule {id}"}}"#))
        .collect();
    let next = next
        .map(|t| format!(r#","NextToken":"{t}""#))
        .unwrap_or_default();
    Reply::json(
        200,
        &format!(r#"{{"SipRules":[{}]{next}}}"#, rules.join(",")),
    )
}

/// Three pages: none → `t1` → `t2` → the end.
fn three_pages(request: &Recorded, _: usize) -> Reply {
    match param(request, "next-token").as_deref() {
        None => page(&["a", "b"], Some("t1")),
        Some("t1") => page(&["c"], Some("t2")),
        Some("t2") => page(&["d", "e"], None),
        Some(other) => Reply::error(400, "BadRequestException", &format!("token {other}")),
    }
}

#[tokio::test]
async fn pages_follow_the_token_to_the_end() {
    let server = MockServer::start(three_pages).await;
    let client = Client::new(test_config(&server.url()).0.build());
    let mut pages = client
        .list_sip_rules()
        .sip_media_application_id("sma-1")
        .into_paginator()
        .page_size(2)
        .send();
    let mut sizes = Vec::new();
    while let Some(page) = pages.next().await {
        sizes.push(page.unwrap().sip_rules().len());
    }
    assert_eq!(sizes, [2, 1, 2]);
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    let tokens: Vec<Option<String>> = requests.iter().map(|r| param(r, "next-token")).collect();
    assert_eq!(tokens, [None, Some("t1".into()), Some("t2".into())]);
    for request in &requests {
        assert_eq!(param(request, "max-results").as_deref(), Some("2"));
        assert_eq!(
            param(request, "sip-media-application").as_deref(),
            Some("sma-1")
        );
        verify(request, SECRET_KEY).unwrap();
    }
}

#[tokio::test]
async fn items_come_from_every_page() {
    let server = MockServer::start(three_pages).await;
    let client = Client::new(test_config(&server.url()).0.build());
    let rules = client
        .list_sip_rules()
        .into_paginator()
        .items()
        .collect()
        .await
        .unwrap();
    let ids: Vec<&str> = rules.iter().filter_map(|r| r.sip_rule_id()).collect();
    assert_eq!(ids, ["a", "b", "c", "d", "e"]);
}

#[tokio::test]
async fn a_token_set_on_the_request_is_where_paging_starts() {
    let server = MockServer::start(three_pages).await;
    let client = Client::new(test_config(&server.url()).0.build());
    let pages = client
        .list_sip_rules()
        .next_token("t1")
        .into_paginator()
        .send()
        .collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 2);
    assert_eq!(
        param(&server.requests()[0], "next-token").as_deref(),
        Some("t1")
    );
}

#[tokio::test]
async fn a_repeated_token_ends_the_walk_with_an_error() {
    // `t1` leads to `t2`, which leads back to `t1`.
    let server = MockServer::start(|request, _| match param(request, "next-token").as_deref() {
        None => page(&["a"], Some("t1")),
        Some("t1") => page(&["b"], Some("t2")),
        _ => page(&["c"], Some("t1")),
    })
    .await;
    let client = Client::new(test_config(&server.url()).0.build());
    // The third page points back at `t1`: no fourth request.
    let mut pages = client.list_sip_rules().into_paginator().send();
    let mut results = Vec::new();
    while let Some(page) = pages.next().await {
        results.push(page.map(|p| p.next_token().map(str::to_string)));
    }
    assert_eq!(results.len(), 3, "{results:?}");
    let err = results.pop().unwrap().unwrap_err();
    assert!(err.to_string().contains("\"t1\" a second time"), "{err}");
    assert!(results.iter().all(Result::is_ok));
    assert_eq!(server.requests().len(), 3);
}

mod forms {
    use super::param;
    use fixture_paginators::types::{AttributeValue, RecordType};
    use fixture_paginators::Client;
    use sdkgen_tests::server::{MockServer, Recorded, Reply};
    use sdkgen_tests::test_config;
    use serde_json::{json, Value};
    use std::collections::HashMap;

    fn client(server: &MockServer) -> Client {
        Client::new(test_config(&server.url()).0.build())
    }

    fn reply(body: Value) -> Reply {
        Reply::json(200, &body.to_string())
    }

    /// The JSON body of a request.
    fn body(request: &Recorded) -> Value {
        serde_json::from_slice(&request.body).unwrap()
    }

    /// A query parameter of each request.
    fn params(server: &MockServer, name: &str) -> Vec<Option<String>> {
        server.requests().iter().map(|r| param(r, name)).collect()
    }

    #[tokio::test]
    async fn a_false_more_results_flag_ends_the_walk_though_the_page_has_a_token() {
        // IAM's `IsTruncated`: the last page still carries a marker.
        let server = MockServer::start(|request, _| match param(request, "marker").as_deref() {
            None => reply(json!({"Things": ["a", "b"], "IsTruncated": true, "Marker": "m1"})),
            Some("m1") => reply(json!({"Things": ["c"], "IsTruncated": false, "Marker": "m2"})),
            Some(other) => Reply::error(400, "BadRequest", &format!("marker {other}")),
        })
        .await;
        let things = client(&server)
            .list_things()
            .into_paginator()
            .page_size(2)
            .items()
            .collect()
            .await
            .unwrap();
        assert_eq!(things, ["a", "b", "c"]);
        assert_eq!(params(&server, "marker"), [None, Some("m1".into())]);
        assert_eq!(
            params(&server, "max-items"),
            [Some("2".into()), Some("2".into())]
        );
    }

    #[tokio::test]
    async fn an_absent_flag_is_a_last_page_too() {
        let server =
            MockServer::start(|_, _| reply(json!({"Things": ["a"], "Marker": "m1"}))).await;
        let pages = client(&server)
            .list_things()
            .into_paginator()
            .send()
            .collect()
            .await
            .unwrap();
        assert_eq!(pages.len(), 1);
        assert_eq!(server.requests().len(), 1);
    }

    #[tokio::test]
    async fn several_tokens_are_sent_together_and_an_absent_one_is_left_out() {
        // Route 53: name, type and identifier; the first page gives no
        // identifier, the second all three, the third says it is the last.
        let server = MockServer::start(|request, _| {
            let tokens = (
                param(request, "name"),
                param(request, "type"),
                param(request, "identifier"),
            );
            match tokens {
                (Some(n), None, None) if n == "start" => reply(json!({
                    "Records": [{"Name": "start", "Type": "A"}],
                    "IsTruncated": true, "NextName": "b", "NextType": "AAAA"
                })),
                (Some(n), Some(t), None) if n == "b" && t == "AAAA" => reply(json!({
                    "Records": [{"Name": "b", "Type": "AAAA"}],
                    "IsTruncated": true, "NextName": "c", "NextType": "TXT", "NextIdentifier": "id-1"
                })),
                (Some(n), Some(t), Some(i)) if n == "c" && t == "TXT" && i == "id-1" => reply(json!({
                    "Records": [{"Name": "c", "Type": "TXT"}],
                    "IsTruncated": false, "NextName": "d", "NextType": "A"
                })),
                other => Reply::error(400, "BadRequest", &format!("{other:?}")),
            }
        })
        .await;
        let records = client(&server)
            .list_records()
            .start_name("start")
            .into_paginator()
            .page_size(100)
            .items()
            .collect()
            .await
            .unwrap();
        let seen: Vec<(&str, &RecordType)> = records
            .iter()
            .map(|r| (r.name().unwrap(), r.r#type().unwrap()))
            .collect();
        assert_eq!(
            seen,
            [
                ("start", &RecordType::A),
                ("b", &RecordType::Aaaa),
                ("c", &RecordType::Txt)
            ]
        );
        // The page size is a string member: sent as its text.
        assert_eq!(
            params(&server, "maxitems"),
            vec![Some("100".to_string()); 3]
        );
        assert_eq!(
            params(&server, "identifier"),
            [None, None, Some("id-1".into())]
        );
    }

    #[tokio::test]
    async fn a_token_flag_and_items_in_a_nested_structure() {
        // CloudFront: `DistributionList.NextMarker`, `.IsTruncated`, `.Items`.
        let server = MockServer::start(|request, _| {
            let page = |ids: &[&str], next: Option<&str>| {
                let items: Vec<Value> = ids.iter().map(|id| json!({"Id": id})).collect();
                reply(json!({"DistributionList": {
                    "Items": items, "IsTruncated": next.is_some(), "NextMarker": next,
                    "Marker": param(request, "Marker")
                }}))
            };
            match param(request, "Marker").as_deref() {
                None => page(&["d1", "d2"], Some("n1")),
                Some("n1") => page(&["d3"], Some("n2")),
                Some("n2") => page(&["d4"], None),
                Some(other) => Reply::error(400, "BadRequest", other),
            }
        })
        .await;
        let ids: Vec<String> = client(&server)
            .list_distributions()
            .into_paginator()
            .items()
            .collect()
            .await
            .unwrap()
            .into_iter()
            .filter_map(|d| d.id)
            .collect();
        assert_eq!(ids, ["d1", "d2", "d3", "d4"]);
        assert_eq!(
            params(&server, "Marker"),
            [None, Some("n1".into()), Some("n2".into())]
        );
    }

    /// DynamoDB's key: a map of attribute values (structures).
    fn key(pk: &str) -> Value {
        json!({"pk": {"S": pk}, "sk": {"N": "1"}})
    }

    fn item(pk: &str) -> Value {
        json!({"pk": {"S": pk}, "sk": {"N": "1"}, "data": {"S": format!("row {pk}")}})
    }

    #[tokio::test]
    async fn a_map_of_structures_is_the_token() {
        let server = MockServer::start(|request, _| {
            let request = body(request);
            if request["TableName"] != "things" || request["Limit"] != 2 {
                return Reply::error(400, "ValidationException", &request.to_string());
            }
            match request.get("ExclusiveStartKey") {
                None => reply(json!({
                    "Items": [item("a"), item("b")], "Count": 2, "ScannedCount": 3,
                    "LastEvaluatedKey": key("b")
                })),
                Some(k) if *k == key("b") => reply(json!({
                    "Items": [item("c")], "Count": 1, "ScannedCount": 1,
                    "LastEvaluatedKey": {}
                })),
                Some(other) => Reply::error(400, "ValidationException", &other.to_string()),
            }
        })
        .await;
        let scan = client(&server)
            .scan()
            .table_name("things")
            .into_paginator()
            .page_size(2);
        let items: Vec<HashMap<String, AttributeValue>> =
            scan.clone().items().collect().await.unwrap();
        let rows: Vec<&str> = items
            .iter()
            .map(|i| i["data"].as_s().unwrap().as_str())
            .collect();
        assert_eq!(rows, ["row a", "row b", "row c"]);
        // The other result keys stream their values, one a page.
        assert_eq!(scan.clone().count().collect().await.unwrap(), [2, 1]);
        assert_eq!(scan.scanned_count().collect().await.unwrap(), [3, 1]);
        let starts: Vec<Option<Value>> = server
            .requests()
            .iter()
            .map(|r| body(r).get("ExclusiveStartKey").cloned())
            .collect();
        assert_eq!(starts[..2], [None, Some(key("b"))]);
    }

    #[tokio::test]
    async fn a_repeated_map_token_ends_the_walk_with_an_error() {
        let server = MockServer::start(|request, _| {
            let next = match body(request).get("ExclusiveStartKey") {
                None => key("a"),
                Some(k) if *k == key("a") => key("b"),
                Some(_) => key("a"),
            };
            reply(json!({"Items": [], "LastEvaluatedKey": next}))
        })
        .await;
        let mut pages = client(&server)
            .scan()
            .table_name("things")
            .into_paginator()
            .send();
        let mut results = Vec::new();
        while let Some(page) = pages.next().await {
            results.push(page);
        }
        assert_eq!(results.len(), 3);
        let err = results.pop().unwrap().unwrap_err();
        assert!(err.to_string().contains("a second time"), "{err}");
        assert_eq!(server.requests().len(), 3);
    }

    #[tokio::test]
    async fn several_result_keys_each_have_a_stream() {
        let server =
            MockServer::start(|request, _| match param(request, "next-token").as_deref() {
                None => reply(json!({
                    "Users": [{"UserName": "ann"}], "Groups": ["admins"],
                    "Summary": {"Send": "first"}, "NextToken": "t1"
                })),
                Some("t1") => {
                    reply(json!({"Users": [{"UserName": "bob"}, {"UserName": "cy"}], "Groups": []}))
                }
                Some(other) => Reply::error(400, "BadRequest", other),
            })
            .await;
        let paginator = client(&server).list_entities().into_paginator();
        let users: Vec<String> = paginator
            .clone()
            .users()
            .collect()
            .await
            .unwrap()
            .into_iter()
            .filter_map(|u| u.user_name)
            .collect();
        assert_eq!(users, ["ann", "bob", "cy"]);
        assert_eq!(
            paginator.clone().groups().collect().await.unwrap(),
            ["admins"]
        );
        // `Summary.Send` is named like `send()`: its stream is `send_2`.
        assert_eq!(paginator.send_2().collect().await.unwrap(), ["first"]);
        assert_eq!(server.requests().len(), 6);
    }

    #[tokio::test]
    async fn the_next_marker_else_the_last_key_of_the_page() {
        // S3's `NextMarker || Contents[-1].Key`.
        let server = MockServer::start(|request, _| match param(request, "marker").as_deref() {
            None => reply(json!({"IsTruncated": true, "Contents": [{"Key": "k1"}, {"Key": "k2"}]})),
            Some("k2") => {
                reply(json!({"IsTruncated": true, "NextMarker": "n3", "Contents": [{"Key": "k3"}]}))
            }
            Some("n3") => reply(json!({"IsTruncated": false, "Contents": [{"Key": "k4"}]})),
            Some(other) => Reply::error(400, "BadRequest", other),
        })
        .await;
        let keys: Vec<String> = client(&server)
            .list_objects()
            .into_paginator()
            .items()
            .collect()
            .await
            .unwrap()
            .into_iter()
            .filter_map(|o| o.key)
            .collect();
        assert_eq!(keys, ["k1", "k2", "k3", "k4"]);
        assert_eq!(
            params(&server, "marker"),
            [None, Some("k2".into()), Some("n3".into())]
        );
    }

    #[tokio::test]
    async fn an_integer_token() {
        let server =
            MockServer::start(
                |request, _| match param(request, "part-number-marker").as_deref() {
                    None => reply(
                        json!({"IsTruncated": true, "NextPartNumberMarker": 2, "Parts": [1, 2]}),
                    ),
                    Some("2") => reply(
                        json!({"IsTruncated": false, "NextPartNumberMarker": 3, "Parts": [3]}),
                    ),
                    Some(other) => Reply::error(400, "BadRequest", other),
                },
            )
            .await;
        let parts = client(&server)
            .list_parts()
            .into_paginator()
            .items()
            .collect()
            .await
            .unwrap();
        assert_eq!(parts, [1, 2, 3]);
    }

    #[tokio::test]
    async fn the_entries_of_a_map_of_items() {
        // API Gateway's `GetUsage`: `items` maps a key to its usage.
        let server = MockServer::start(|request, _| match param(request, "position").as_deref() {
            None => {
                reply(json!({"usagePlanId": "p", "items": {"key-a": [1, 2]}, "position": "p1"}))
            }
            Some("p1") => reply(json!({"usagePlanId": "p", "items": {"key-b": [3]}})),
            Some(other) => Reply::error(400, "BadRequest", other),
        })
        .await;
        let usage = client(&server)
            .get_usage()
            .usage_plan_id("p")
            .into_paginator()
            .page_size(5)
            .items()
            .collect()
            .await
            .unwrap();
        assert_eq!(
            usage,
            [
                ("key-a".to_string(), vec![1, 2]),
                ("key-b".to_string(), vec![3])
            ]
        );
        assert!(server.requests()[0]
            .path()
            .starts_with("/usageplans/p/usage"));
    }
}
