//! Paginators of Chime SDK Voice, against a loopback server that serves
//! pages by their `next-token`: three pages walked to the end, as pages and
//! as items, with the page size sent on every request; a starting token
//! taken from the request; and a token served twice ending the walk with
//! an error instead of a loop.

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
