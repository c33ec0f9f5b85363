//! Proxies from HTTPS_PROXY / HTTP_PROXY / NO_PROXY, through the loader, as
//! the AWS SDKs honour them.
#![allow(deprecated)]

use chime_sdk_voice::{Client, Credentials};
use sdkgen_runtime::env::Env;
use sdkgen_tests::server::{closed_port_url, MockServer, Reply};
use sdkgen_tests::sigv4_verify::verify;

fn loader(vars: &[(&str, &str)]) -> chime_sdk_voice::ConfigBuilder {
    let mut pairs: Vec<(String, String)> = vec![
        ("HOME".into(), "/nonexistent-home".into()),
        ("AWS_REGION".into(), "us-east-1".into()),
        ("AWS_EC2_METADATA_DISABLED".into(), "true".into()),
    ];
    pairs.extend(vars.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    chime_sdk_voice::loader()
        .env(Env::from_pairs(pairs))
        .load()
        .unwrap()
        .credentials_provider(Credentials::new("AKID", "secret", None, None))
}

async fn call(client: &Client) -> Result<(), String> {
    client
        .get_proxy_session()
        .voice_connector_id("vc1")
        .proxy_session_id("ps1")
        .send()
        .await
        .map(|_| ())
        .map_err(|e| e.to_string())
}

#[tokio::test]
async fn http_goes_to_the_http_proxy_in_absolute_form() {
    let proxy = MockServer::start(|_, _| Reply::json(200, "{}")).await;
    let config = loader(&[("http_proxy", &proxy.url())])
        .endpoint_url("http://service.invalid:8080")
        .build();
    call(&Client::new(config)).await.unwrap();
    let requests = proxy.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0].uri,
        "http://service.invalid:8080/voice-connectors/vc1/proxy-sessions/ps1"
    );
    assert_eq!(requests[0].header("host"), Some("service.invalid:8080"));
    verify(&requests[0], "secret").unwrap();
}

#[tokio::test]
async fn https_tunnels_through_connect() {
    // The proxy refuses the tunnel; what matters is that it was asked.
    let proxy = MockServer::start(|_, _| Reply::json(403, "")).await;
    let config = loader(&[("HTTPS_PROXY", &proxy.url())])
        .endpoint_url("https://service.invalid")
        .retry_config(chime_sdk_voice::RetryConfig::disabled())
        .build();
    let err = call(&Client::new(config)).await.unwrap_err();
    assert!(err.contains("cannot connect"), "{err}");
    let requests = proxy.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].method, "CONNECT");
    assert_eq!(requests[0].uri, "service.invalid:443");
}

#[tokio::test]
async fn no_proxy_hosts_are_reached_directly() {
    let server = MockServer::start(|_, _| Reply::json(200, "{}")).await;
    let dead_proxy = closed_port_url().await;
    let config = loader(&[("HTTP_PROXY", &dead_proxy), ("NO_PROXY", "127.0.0.1")])
        .endpoint_url(server.url())
        .build();
    call(&Client::new(config)).await.unwrap();
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_proxy_can_be_set_in_config() {
    let proxy = MockServer::start(|_, _| Reply::json(200, "{}")).await;
    let config = loader(&[])
        .endpoint_url("http://service.invalid")
        .proxy(sdkgen_runtime::transport::ProxyConfig {
            http: Some(proxy.url()),
            ..Default::default()
        })
        .build();
    call(&Client::new(config)).await.unwrap();
    assert_eq!(proxy.requests().len(), 1);
}
