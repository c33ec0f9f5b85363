//! The HTTPS listener's configuration for the cold-start figure: a test CA
//! and a server certificate for 127.0.0.1 it signed, made at start.

use std::sync::Arc;

/// A test CA, written to `ca_file` as PEM (for the clients'
/// `SSL_CERT_FILE` or `AWS_CA_BUNDLE`), and a server configuration whose
/// certificate it signed.
pub fn config(ca_file: &str) -> Arc<rustls::ServerConfig> {
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
