//! The blocking client: the same builders with a `send()` that blocks, for
//! programs without an async runtime. The loopback server runs on a
//! runtime of the test's own, as a remote service would run elsewhere.
#![allow(deprecated)] // the model deprecates GetProxySession

use chime_sdk_voice::blocking::Client;
use chime_sdk_voice::error::SdkError;
use chime_sdk_voice::operation::get_proxy_session::GetProxySessionError;
use sdkgen_tests::server::{MockServer, Reply};
use sdkgen_tests::sigv4_verify::verify;
use sdkgen_tests::{test_config, SECRET_KEY};

const BODY: &str = r#"{"ProxySession":{"ProxySessionId":"ps1","Name":"line"}}"#;

/// A server on a runtime that lives as long as the test.
fn serve(
    handler: impl Fn(&sdkgen_tests::server::Recorded, usize) -> Reply + Send + Sync + 'static,
) -> (tokio::runtime::Runtime, MockServer) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(MockServer::start(handler));
    (runtime, server)
}

fn get(client: &Client, session: &str) -> Result<Option<String>, SdkError<GetProxySessionError>> {
    let output = client
        .get_proxy_session()
        .voice_connector_id("vc1")
        .proxy_session_id(session)
        .send()?;
    Ok(output
        .proxy_session()
        .and_then(|s| s.name())
        .map(str::to_string))
}

#[test]
fn send_blocks_until_the_signed_call_is_answered() {
    let (_runtime, server) = serve(|_, _| Reply::json(200, BODY));
    let client = Client::new(test_config(&server.url()).0.build());
    assert_eq!(get(&client, "ps1").unwrap().as_deref(), Some("line"));
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    verify(&requests[0], SECRET_KEY).expect("signed");
}

#[test]
fn retries_work_as_in_the_async_client() {
    let (_runtime, server) = serve(|_, n| match n {
        0 => Reply::json(503, "{}"),
        _ => Reply::json(200, BODY),
    });
    let client = Client::new(test_config(&server.url()).0.build());
    assert_eq!(get(&client, "ps1").unwrap().as_deref(), Some("line"));
    assert_eq!(server.requests().len(), 2);

    let (_runtime2, missing) =
        serve(|_, _| Reply::json(404, r#"{"Code":"NotFoundException","Message":"gone"}"#));
    let client = Client::new(test_config(&missing.url()).0.build());
    let err = get(&client, "ps1").unwrap_err();
    assert!(err
        .as_service_error()
        .is_some_and(GetProxySessionError::is_not_found_exception));
}

#[test]
fn several_threads_call_one_client_at_once() {
    let (_runtime, server) = serve(|_, _| Reply::json(200, BODY));
    let client = Client::new(test_config(&server.url()).0.build());
    let threads: Vec<_> = (0..8)
        .map(|n| {
            let client = client.clone();
            std::thread::spawn(move || get(&client, &format!("ps{n}")))
        })
        .collect();
    for thread in threads {
        assert_eq!(thread.join().unwrap().unwrap().as_deref(), Some("line"));
    }
    let requests = server.requests();
    assert_eq!(requests.len(), 8);
    for request in &requests {
        verify(request, SECRET_KEY).expect("signed");
    }
}

#[tokio::test]
async fn inside_an_async_runtime_send_refuses_and_sends_nothing() {
    let server = MockServer::start(|_, _| Reply::json(200, BODY)).await;
    let client = Client::new(test_config(&server.url()).0.build());
    let err = get(&client, "ps1").unwrap_err();
    assert!(!err.was_sent());
    assert!(
        err.to_string().contains("called inside an async runtime"),
        "{err}"
    );
    assert!(server.requests().is_empty());
}

#[test]
fn a_client_dropped_inside_an_async_runtime_does_not_panic() {
    let (runtime, server) = serve(|_, _| Reply::json(200, BODY));
    let client = Client::new(test_config(&server.url()).0.build());
    get(&client, "ps1").unwrap();
    runtime.block_on(async move { drop(client) });
}
