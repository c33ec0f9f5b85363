//! A loopback mock of the GetProxySession endpoint: a full, realistic
//! response; a proxy session id starting with `missing` gets a 404
//! `NotFoundException`. Prints `http://127.0.0.1:PORT` once listening.

use bytes::Bytes;
use http_body_util::Full;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use std::convert::Infallible;
use tokio::net::TcpListener;

const BODY: &str = r#"{"ProxySession":{"VoiceConnectorId":"abcdef1234567890abcdef","ProxySessionId":"321c2b4a-b0cf-4f4c-9b65-0a2a18c7e1c9","Name":"support-line","Status":"InProgress","ExpiryMinutes":60,"Capabilities":["Voice","SMS"],"CreatedTimestamp":"2024-01-02T03:04:05.123Z","UpdatedTimestamp":"2024-01-02T03:14:05.000Z","EndedTimestamp":"2024-01-02T03:44:05.500Z","Participants":[{"PhoneNumber":"+12065550100","ProxyPhoneNumber":"+12065550199"},{"PhoneNumber":"+12065550101","ProxyPhoneNumber":"+12065550198"}],"NumberSelectionBehavior":"PreferSticky","GeoMatchLevel":"AreaCode","GeoMatchParams":{"Country":"US","AreaCode":"206"}}}"#;

async fn answer(req: hyper::Request<hyper::body::Incoming>) -> Result<hyper::Response<Full<Bytes>>, Infallible> {
    let path = req.uri().path();
    let mut parts = path.trim_start_matches('/').split('/');
    let valid = parts.next() == Some("voice-connectors") && parts.next().is_some() && parts.next() == Some("proxy-sessions");
    let session = parts.next().unwrap_or("");
    let response = if !valid || session.is_empty() {
        hyper::Response::builder().status(400).header("x-amzn-errortype", "BadRequestException").body(Full::new(Bytes::from_static(br#"{"Message":"bad path"}"#)))
    } else if session.starts_with("missing") {
        hyper::Response::builder()
            .status(404)
            .header("content-type", "application/json")
            .header("x-amzn-errortype", "NotFoundException")
            .header("x-amzn-requestid", "mock-request-id")
            .body(Full::new(Bytes::from_static(br#"{"Message":"The proxy session was not found."}"#)))
    } else {
        hyper::Response::builder()
            .status(200)
            .header("content-type", "application/json")
            .header("x-amzn-requestid", "mock-request-id")
            .body(Full::new(Bytes::from_static(BODY.as_bytes())))
    };
    Ok(response.expect("a valid response"))
}

#[tokio::main]
async fn main() {
    let port: u16 = std::env::args().nth(1).and_then(|p| p.parse().ok()).unwrap_or(0);
    let listener = TcpListener::bind(("127.0.0.1", port)).await.expect("bind 127.0.0.1");
    println!("http://{}", listener.local_addr().unwrap());
    loop {
        let Ok((stream, _)) = listener.accept().await else { continue };
        let _ = stream.set_nodelay(true);
        tokio::spawn(async move {
            let _ = http1::Builder::new().serve_connection(TokioIo::new(stream), service_fn(answer)).await;
        });
    }
}
