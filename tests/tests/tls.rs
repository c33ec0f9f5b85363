//! The default transport's TLS against servers of other kinds than the
//! HTTP/2 tests' (TLS 1.3, ECDSA P-256): a TLS 1.2 server with an RSA
//! certificate, as many AWS endpoints and proxies still are, is reached;
//! a server whose only key exchange the client does not offer is refused
//! with an error, not a hang.

use base64::Engine;
use sdkgen_runtime::body::SdkBody;
use sdkgen_runtime::transport::HttpClient;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio_rustls::rustls;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

/// A certificate for 127.0.0.1 signed by the test RSA key.
fn rsa_certificate() -> (CertificateDer<'static>, PrivateKeyDer<'static>) {
    let text = include_str!("../data/tls/rsa-2048-pkcs8.b64").replace('\n', "");
    let der = base64::engine::general_purpose::STANDARD
        .decode(text)
        .expect("the test key's base64");
    let key = rcgen::KeyPair::try_from(der.as_slice()).expect("an RSA key");
    let params = rcgen::CertificateParams::new(vec!["127.0.0.1".to_string()]).unwrap();
    let cert = params.self_signed(&key).expect("a self-signed certificate");
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(der));
    (cert.der().clone(), key)
}

/// What the server's handshake settled on.
#[derive(Debug, Default, Clone)]
struct Negotiated {
    version: Option<rustls::ProtocolVersion>,
    suite: Option<rustls::CipherSuite>,
    group: Option<rustls::NamedGroup>,
    /// The handshake's error, if it failed.
    error: Option<String>,
}

/// Serves one connection with `config`: the handshake, then one answer
/// to one request.
async fn serve_once(config: rustls::ServerConfig) -> (String, Arc<Mutex<Negotiated>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("https://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Negotiated::default()));
    let record = seen.clone();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    tokio::spawn(async move {
        let (socket, _) = listener.accept().await.unwrap();
        let mut tls = match acceptor.accept(socket).await {
            Ok(tls) => tls,
            Err(e) => {
                record.lock().unwrap().error = Some(e.to_string());
                return;
            }
        };
        {
            let connection = tls.get_ref().1;
            let mut seen = record.lock().unwrap();
            seen.version = connection.protocol_version();
            seen.suite = connection.negotiated_cipher_suite().map(|s| s.suite());
            seen.group = connection.negotiated_key_exchange_group().map(|g| g.name());
        }
        let mut request = Vec::new();
        let mut buf = [0u8; 1024];
        while !request.windows(4).any(|w| w == b"\r\n\r\n") {
            match tls.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => request.extend_from_slice(&buf[..n]),
            }
        }
        let answer = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok";
        let _ = tls.write_all(answer).await;
        let _ = tls.shutdown().await;
    });
    (url, seen)
}

fn server_config(
    provider: rustls::crypto::CryptoProvider,
    versions: &[&'static rustls::SupportedProtocolVersion],
) -> rustls::ServerConfig {
    let (cert, key) = rsa_certificate();
    rustls::ServerConfig::builder_with_provider(Arc::new(provider))
        .with_protocol_versions(versions)
        .expect("versions the provider supports")
        .with_no_client_auth()
        .with_single_cert(vec![cert], key)
        .expect("the certificate and key")
}

fn client() -> HttpClient {
    let (cert, _) = rsa_certificate();
    HttpClient::builder()
        .root_certificates([cert.to_vec()])
        .build()
        .expect("a client")
}

async fn get(client: &HttpClient, url: &str) -> Result<String, String> {
    let request = http::Request::get(format!("{url}/"))
        .body(SdkBody::empty())
        .unwrap();
    let send = async {
        let response = client.send(request).await.map_err(|e| format!("{e:?}"))?;
        let body = response
            .into_body()
            .collect_limited(1024)
            .await
            .map_err(|e| format!("{e:?}"))?;
        Ok(String::from_utf8_lossy(&body).into_owned())
    };
    tokio::time::timeout(Duration::from_secs(20), send)
        .await
        .expect("an answer or an error, not a hang")
}

#[tokio::test]
async fn a_tls_1_2_server_with_an_rsa_certificate_is_reached() {
    let config = server_config(
        rustls::crypto::ring::default_provider(),
        &[&rustls::version::TLS12],
    );
    let (url, seen) = serve_once(config).await;
    assert_eq!(get(&client(), &url).await.as_deref(), Ok("ok"));
    let seen = seen.lock().unwrap().clone();
    assert_eq!(
        seen.version,
        Some(rustls::ProtocolVersion::TLSv1_2),
        "{seen:?}"
    );
    let suite = format!("{:?}", seen.suite.unwrap());
    assert!(
        suite.contains("ECDHE_RSA") && suite.contains("GCM"),
        "{suite}"
    );
    assert_eq!(seen.group, Some(rustls::NamedGroup::secp256r1));
}

#[tokio::test]
async fn a_tls_1_3_server_with_an_rsa_certificate_is_reached_on_p256() {
    let config = server_config(
        rustls::crypto::ring::default_provider(),
        &[&rustls::version::TLS13],
    );
    let (url, seen) = serve_once(config).await;
    assert_eq!(get(&client(), &url).await.as_deref(), Ok("ok"));
    let seen = seen.lock().unwrap().clone();
    assert_eq!(
        seen.version,
        Some(rustls::ProtocolVersion::TLSv1_3),
        "{seen:?}"
    );
    assert_eq!(seen.group, Some(rustls::NamedGroup::secp256r1));
}

#[tokio::test]
async fn a_server_with_only_x25519_is_an_error_not_a_hang() {
    // The transport offers P-256 alone (runtime/src/transport/tls.rs),
    // which TLS 1.3 requires every server to have; one that lacks it
    // fails the handshake.
    let provider = rustls::crypto::CryptoProvider {
        kx_groups: vec![rustls::crypto::ring::kx_group::X25519],
        ..rustls::crypto::ring::default_provider()
    };
    let config = server_config(provider, &[&rustls::version::TLS13]);
    let (url, seen) = serve_once(config).await;
    let err = get(&client(), &url).await.unwrap_err();
    // A connect error (retried as one), which says the handshake failed.
    assert!(err.contains("kind: Connect"), "{err}");
    assert!(err.contains("HandshakeFailure"), "{err}");
    let server = seen.lock().unwrap().error.clone();
    assert!(server.is_some(), "the server saw the handshake fail");
}
