//! A loopback mock of the GetProxySession endpoint: a full, realistic
//! response; a proxy session id starting with `missing` gets a 404
//! `NotFoundException`. Prints `http://127.0.0.1:PORT` once listening.
//!
//! `mock [PORT] [--tls CA_FILE]` also serves HTTPS on a second port, with a
//! server certificate for 127.0.0.1 signed by a test CA made at start and
//! written to CA_FILE (PEM, for the clients' `SSL_CERT_FILE` or
//! `AWS_CA_BUNDLE`); it then prints `https://127.0.0.1:PORT` second.

use bytes::Bytes;
use http_body_util::Full;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use std::convert::Infallible;
use std::sync::Arc;
use tokio::net::TcpListener;

const BODY: &str = r#"{"ProxySession":{"VoiceConnectorId":"abcdef1234567890abcdef","ProxySessionId":"321c2b4a-b0cf-4f4c-9b65-0a2a18c7e1c9","Name":"support-line","Status":"InProgress","ExpiryMinutes":60,"Capabilities":["Voice","SMS"],"CreatedTimestamp":"2024-01-02T03:04:05.123Z","UpdatedTimestamp":"2024-01-02T03:14:05.000Z","EndedTimestamp":"2024-01-02T03:44:05.500Z","Participants":[{"PhoneNumber":"+12065550100","ProxyPhoneNumber":"+12065550199"},{"PhoneNumber":"+12065550101","ProxyPhoneNumber":"+12065550198"}],"NumberSelectionBehavior":"PreferSticky","GeoMatchLevel":"AreaCode","GeoMatchParams":{"Country":"US","AreaCode":"206"}}}"#;

async fn answer(
    req: hyper::Request<hyper::body::Incoming>,
) -> Result<hyper::Response<Full<Bytes>>, Infallible> {
    let path = req.uri().path();
    let mut parts = path.trim_start_matches('/').split('/');
    let valid = parts.next() == Some("voice-connectors")
        && parts.next().is_some()
        && parts.next() == Some("proxy-sessions");
    let session = parts.next().unwrap_or("");
    let response = if !valid || session.is_empty() {
        hyper::Response::builder()
            .status(400)
            .header("x-amzn-errortype", "BadRequestException")
            .body(Full::new(Bytes::from_static(br#"{"Message":"bad path"}"#)))
    } else if session.starts_with("missing") {
        hyper::Response::builder()
            .status(404)
            .header("content-type", "application/json")
            .header("x-amzn-errortype", "NotFoundException")
            .header("x-amzn-requestid", "mock-request-id")
            .body(Full::new(Bytes::from_static(
                br#"{"Message":"The proxy session was not found."}"#,
            )))
    } else {
        hyper::Response::builder()
            .status(200)
            .header("content-type", "application/json")
            .header("x-amzn-requestid", "mock-request-id")
            .body(Full::new(Bytes::from_static(BODY.as_bytes())))
    };
    Ok(response.expect("a valid response"))
}

/// A test CA, and a server configuration whose certificate it signed.
fn tls_config(ca_file: &str) -> Arc<rustls::ServerConfig> {
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).expect("CA params");
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "sdkgen bench test CA");
    let ca_key = rcgen::KeyPair::generate().expect("a CA key");
    let ca = ca_params.self_signed(&ca_key).expect("the CA certificate");
    std::fs::write(ca_file, ca.pem()).expect("write the CA file");
    let params =
        rcgen::CertificateParams::new(vec!["127.0.0.1".to_string(), "localhost".to_string()])
            .expect("server params");
    let key = rcgen::KeyPair::generate().expect("a server key");
    let issuer = rcgen::Issuer::new(ca_params, ca_key);
    let cert = params
        .signed_by(&key, &issuer)
        .expect("the server certificate");
    let chain = vec![cert.der().clone(), ca.der().clone()];
    let key = rustls::pki_types::PrivateKeyDer::try_from(key.serialize_der()).expect("a key");
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("TLS versions")
    .with_no_client_auth()
    .with_single_cert(chain, key)
    .expect("the server certificate");
    Arc::new(config)
}

async fn serve_tls(listener: TcpListener, config: Arc<rustls::ServerConfig>) {
    let acceptor = tokio_rustls::TlsAcceptor::from(config);
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let _ = stream.set_nodelay(true);
        let acceptor = acceptor.clone();
        tokio::spawn(async move {
            let Ok(stream) = acceptor.accept(stream).await else {
                return;
            };
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service_fn(answer))
                .await;
        });
    }
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let port: u16 = args.first().and_then(|p| p.parse().ok()).unwrap_or(0);
    let ca_file = args
        .iter()
        .position(|a| a == "--tls")
        .and_then(|i| args.get(i + 1));
    let listener = TcpListener::bind(("127.0.0.1", port))
        .await
        .expect("bind 127.0.0.1");
    println!("http://{}", listener.local_addr().unwrap());
    if let Some(ca_file) = ca_file {
        let tls = TcpListener::bind(("127.0.0.1", 0))
            .await
            .expect("bind 127.0.0.1");
        let config = tls_config(ca_file);
        println!("https://{}", tls.local_addr().unwrap());
        tokio::spawn(serve_tls(tls, config));
    }
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let _ = stream.set_nodelay(true);
        tokio::spawn(async move {
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service_fn(answer))
                .await;
        });
    }
}
