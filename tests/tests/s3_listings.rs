//! S3's object listings with `EncodingType=url`, as botocore sends and
//! reads them: asked for when the caller sets no encoding, and what S3
//! then encodes decoded (`+` as a space) before the caller or a paginator
//! sees it; left as S3 sent it when the caller asked for the encoding.

use s3::types::EncodingType;
use s3::Client;
use sdkgen_runtime::PresigningConfig;
use sdkgen_tests::server::{MockServer, Recorded, Reply};
use sdkgen_tests::sigv4_verify::verify_s3;
use sdkgen_tests::{test_config, SECRET_KEY};
use std::time::Duration;

fn xml(body: String) -> Reply {
    Reply::Respond {
        status: 200,
        headers: vec![
            ("content-type".into(), "application/xml".into()),
            ("x-amz-request-id".into(), "R".into()),
        ],
        body,
    }
}

fn client(server: &MockServer) -> Client {
    let (config, _) = test_config(&server.url());
    Client::new(config.build())
}

/// The query parameter `name` of a request, as sent (still encoded).
fn param<'a>(r: &'a Recorded, name: &str) -> Option<&'a str> {
    let (_, query) = r.target.split_once('?')?;
    query
        .split('&')
        .filter_map(|p| p.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A `ListObjectsV2` page whose values S3 URL-encoded; `encoding` is the
/// `EncodingType` element, if any.
fn v2_page(encoding: Option<&str>) -> String {
    let encoding = encoding
        .map(|e| format!("<EncodingType>{e}</EncodingType>"))
        .unwrap_or_default();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\
         <Name>my+bucket</Name><Prefix>dir%2F</Prefix><Delimiter>%2F</Delimiter><StartAfter>dir%2Fa+0</StartAfter>\
         {encoding}<KeyCount>2</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>\
         <ContinuationToken>t%2B1</ContinuationToken>\
         <Contents><Key>dir%2Fa+b%2Bc.txt</Key><Size>1</Size></Contents>\
         <Contents><Key>dir%2Fline%0Abreak%E6%97%A5</Key><Size>2</Size></Contents>\
         <CommonPrefixes><Prefix>dir%2Fsub+dir%2F</Prefix></CommonPrefixes></ListBucketResult>"
    )
}

fn keys(out: &s3::operation::list_objects_v2::ListObjectsV2Output) -> Vec<&str> {
    out.contents().iter().filter_map(|o| o.key()).collect()
}

#[tokio::test]
async fn a_listing_asks_for_url_encoding_and_decodes_what_botocore_decodes() {
    let server = MockServer::start(|_, _| xml(v2_page(Some("url")))).await;
    let out = client(&server)
        .list_objects_v2()
        .bucket("b")
        .prefix("dir/")
        .delimiter("/")
        .send()
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(param(&requests[0], "encoding-type"), Some("url"));
    verify_s3(&requests[0], SECRET_KEY).unwrap();
    assert_eq!(keys(&out), ["dir/a b+c.txt", "dir/line\nbreak日"]);
    assert_eq!(out.prefix(), Some("dir/"));
    assert_eq!(out.delimiter(), Some("/"));
    assert_eq!(out.start_after(), Some("dir/a 0"));
    let prefixes: Vec<_> = out.common_prefixes().iter().map(|p| p.prefix()).collect();
    assert_eq!(prefixes, [Some("dir/sub dir/")]);
    // What botocore leaves alone stays as sent: the token is opaque.
    assert_eq!(out.continuation_token(), Some("t%2B1"));
    assert_eq!(out.name(), Some("my+bucket"));
    assert_eq!(out.encoding_type(), Some(&EncodingType::Url));
}

#[tokio::test]
async fn a_caller_who_asks_for_the_encoding_gets_it_as_sent() {
    let server = MockServer::start(|_, _| xml(v2_page(Some("url")))).await;
    let out = client(&server)
        .list_objects_v2()
        .bucket("b")
        .encoding_type(EncodingType::Url)
        .send()
        .await
        .unwrap();
    assert_eq!(param(&server.requests()[0], "encoding-type"), Some("url"));
    assert_eq!(
        keys(&out),
        ["dir%2Fa+b%2Bc.txt", "dir%2Fline%0Abreak%E6%97%A5"]
    );
    assert_eq!(out.prefix(), Some("dir%2F"));
}

#[tokio::test]
async fn a_listing_that_does_not_say_it_is_encoded_is_not_decoded() {
    // A store that ignores `encoding-type` answers plain keys, which may
    // hold `+` and `%` of their own.
    let server = MockServer::start(|_, _| xml(v2_page(None))).await;
    let out = client(&server)
        .list_objects_v2()
        .bucket("b")
        .send()
        .await
        .unwrap();
    assert_eq!(param(&server.requests()[0], "encoding-type"), Some("url"));
    assert_eq!(keys(&out)[0], "dir%2Fa+b%2Bc.txt");
    assert_eq!(out.encoding_type(), None);
}

#[tokio::test]
async fn the_paginator_sends_the_decoded_last_key_as_the_next_marker() {
    // ListObjects without a delimiter has no NextMarker: the next page
    // starts after the last key, which the page had encoded.
    let server = MockServer::start(|_, i| {
        let (keys, truncated) = match i {
            0 => ("<Contents><Key>a+1</Key></Contents><Contents><Key>b%2B2%2F%C3%A9</Key></Contents>", true),
            _ => ("<Contents><Key>c</Key></Contents>", false),
        };
        xml(format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\
             <Name>b</Name><Prefix>p+q</Prefix><Marker></Marker><MaxKeys>2</MaxKeys><EncodingType>url</EncodingType>\
             <IsTruncated>{truncated}</IsTruncated>{keys}</ListBucketResult>"
        ))
    })
    .await;
    let s3 = client(&server);
    let objects = s3
        .list_objects()
        .bucket("b")
        .into_paginator()
        .contents()
        .collect()
        .await
        .unwrap();
    let keys: Vec<_> = objects.iter().filter_map(|o| o.key()).collect();
    assert_eq!(keys, ["a 1", "b+2/é", "c"]);
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert!(requests
        .iter()
        .all(|r| param(r, "encoding-type") == Some("url")));
    assert_eq!(param(&requests[0], "marker"), None);
    // The decoded key, encoded once for the query string.
    assert_eq!(param(&requests[1], "marker"), Some("b%2B2%2F%C3%A9"));
    for r in &requests {
        verify_s3(r, SECRET_KEY).unwrap();
    }

    // botocore decodes ListObjects' Delimiter, Marker and NextMarker, not
    // its Prefix; so does this client.
    let page = s3.list_objects().bucket("b").send().await.unwrap();
    assert_eq!(page.prefix(), Some("p+q"));
}

#[tokio::test]
async fn versions_and_delete_markers_are_decoded() {
    let server = MockServer::start(|_, _| {
        xml("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListVersionsResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\
             <Name>b</Name><Prefix>a+</Prefix><KeyMarker>k%3D1</KeyMarker><VersionIdMarker>v+1</VersionIdMarker>\
             <NextKeyMarker>k+2</NextKeyMarker><NextVersionIdMarker>v+2</NextVersionIdMarker>\
             <MaxKeys>2</MaxKeys><EncodingType>url</EncodingType><IsTruncated>true</IsTruncated>\
             <Version><Key>a+b</Key><VersionId>1</VersionId><IsLatest>true</IsLatest></Version>\
             <DeleteMarker><Key>a%26c</Key><VersionId>2</VersionId><IsLatest>true</IsLatest></DeleteMarker>\
             </ListVersionsResult>"
            .to_string())
    })
    .await;
    let out = client(&server)
        .list_object_versions()
        .bucket("b")
        .send()
        .await
        .unwrap();
    assert_eq!(param(&server.requests()[0], "encoding-type"), Some("url"));
    assert_eq!(out.versions()[0].key(), Some("a b"));
    assert_eq!(out.delete_markers()[0].key(), Some("a&c"));
    assert_eq!(out.prefix(), Some("a "));
    assert_eq!(out.key_marker(), Some("k=1"));
    assert_eq!(out.next_key_marker(), Some("k 2"));
    // Version ids are not keys: as sent.
    assert_eq!(out.next_version_id_marker(), Some("v+2"));
}

#[tokio::test]
async fn a_presigned_listing_asks_what_the_call_would_ask() {
    let server = MockServer::start(|_, _| xml(String::new())).await;
    let s3 = client(&server);
    let presigned = s3
        .list_objects_v2()
        .bucket("b")
        .presigned(PresigningConfig::expires_in(Duration::from_secs(60)).unwrap())
        .await
        .unwrap();
    assert!(
        presigned.uri().contains("encoding-type=url"),
        "{}",
        presigned.uri()
    );
    let chosen = s3
        .list_objects_v2()
        .bucket("b")
        .encoding_type(EncodingType::from("other"))
        .presigned(PresigningConfig::expires_in(Duration::from_secs(60)).unwrap())
        .await
        .unwrap();
    assert!(
        chosen.uri().contains("encoding-type=other"),
        "{}",
        chosen.uri()
    );
}
