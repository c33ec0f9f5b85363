//! The TLS algorithms the default transport offers: ring's, narrowed to
//! what AWS endpoints and the Web PKI use.
//!
//! rustls's `ring::default_provider()` lists every algorithm ring has, and
//! a program links whatever a provider lists. Four of them no AWS
//! endpoint needs, nor any server that speaks TLS 1.2 or 1.3 correctly:
//!
//! - **ChaCha20-Poly1305.** Every TLS 1.3 server implements
//!   `TLS_AES_128_GCM_SHA256` (RFC 8446, 9.1), and AWS endpoints offer
//!   AES-GCM in TLS 1.2 as well. It mainly helps CPUs without AES
//!   instructions, which AWS SDK users' machines all have.
//! - **Ed25519 certificate signatures.** Public CAs do not issue them (the
//!   CA/Browser Forum's requirements allow RSA and ECDSA P-256/P-384 keys);
//!   AWS's certificates are RSA or ECDSA.
//! - **X25519 and P-384 key exchange.** P-256 is offered alone: TLS 1.3
//!   requires every server to implement it (RFC 8446, 9.1), TLS 1.2
//!   servers all have it, and AWS's FIPS endpoints take only NIST curves.
//!   Its code is linked anyway, to check ECDSA certificates. P-384
//!   *signatures* stay: Amazon Root CA 4 is a P-384 key.
//!
//! Together they were about 280 KB of every program (ring's assembly for
//! ChaCha20 and Poly1305, its Curve25519 code and tables, the signing
//! code a key provider would reach). Client certificates are not
//! supported by the transport, so no private key is ever loaded, and the
//! signing code for one is left out too.

use rustls::crypto::ring::{cipher_suite, kx_group};
use rustls::crypto::{
    CryptoProvider, GetRandomFailed, KeyProvider, SecureRandom, WebPkiSupportedAlgorithms,
};
use rustls::pki_types::PrivateKeyDer;
use rustls::sign::SigningKey;
use rustls::SignatureScheme;
use std::sync::Arc;
use webpki::ring as algs;

/// The provider the default transport's TLS runs on.
pub(super) fn provider() -> CryptoProvider {
    CryptoProvider {
        // rustls's own order, less what is left out.
        cipher_suites: vec![
            cipher_suite::TLS13_AES_256_GCM_SHA384,
            cipher_suite::TLS13_AES_128_GCM_SHA256,
            cipher_suite::TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
            cipher_suite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
            cipher_suite::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
            cipher_suite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        ],
        kx_groups: vec![kx_group::SECP256R1],
        signature_verification_algorithms: SIGNATURES,
        secure_random: &Ring,
        key_provider: &Ring,
    }
}

/// Certificate and handshake signatures: ECDSA on P-256 and P-384, and RSA
/// (PKCS#1 v1.5 and PSS), as rustls's ring provider maps them.
static SIGNATURES: WebPkiSupportedAlgorithms = WebPkiSupportedAlgorithms {
    all: &[
        algs::ECDSA_P256_SHA256,
        algs::ECDSA_P256_SHA384,
        algs::ECDSA_P384_SHA256,
        algs::ECDSA_P384_SHA384,
        algs::RSA_PSS_2048_8192_SHA256_LEGACY_KEY,
        algs::RSA_PSS_2048_8192_SHA384_LEGACY_KEY,
        algs::RSA_PSS_2048_8192_SHA512_LEGACY_KEY,
        algs::RSA_PKCS1_2048_8192_SHA256,
        algs::RSA_PKCS1_2048_8192_SHA384,
        algs::RSA_PKCS1_2048_8192_SHA512,
        algs::RSA_PKCS1_2048_8192_SHA256_ABSENT_PARAMS,
        algs::RSA_PKCS1_2048_8192_SHA384_ABSENT_PARAMS,
        algs::RSA_PKCS1_2048_8192_SHA512_ABSENT_PARAMS,
    ],
    mapping: &[
        // In TLS 1.2 the curve is not fixed by the scheme; in 1.3 it is.
        (
            SignatureScheme::ECDSA_NISTP384_SHA384,
            &[algs::ECDSA_P384_SHA384, algs::ECDSA_P256_SHA384],
        ),
        (
            SignatureScheme::ECDSA_NISTP256_SHA256,
            &[algs::ECDSA_P256_SHA256, algs::ECDSA_P384_SHA256],
        ),
        (
            SignatureScheme::RSA_PSS_SHA512,
            &[algs::RSA_PSS_2048_8192_SHA512_LEGACY_KEY],
        ),
        (
            SignatureScheme::RSA_PSS_SHA384,
            &[algs::RSA_PSS_2048_8192_SHA384_LEGACY_KEY],
        ),
        (
            SignatureScheme::RSA_PSS_SHA256,
            &[algs::RSA_PSS_2048_8192_SHA256_LEGACY_KEY],
        ),
        (
            SignatureScheme::RSA_PKCS1_SHA512,
            &[algs::RSA_PKCS1_2048_8192_SHA512],
        ),
        (
            SignatureScheme::RSA_PKCS1_SHA384,
            &[algs::RSA_PKCS1_2048_8192_SHA384],
        ),
        (
            SignatureScheme::RSA_PKCS1_SHA256,
            &[algs::RSA_PKCS1_2048_8192_SHA256],
        ),
    ],
};

/// Randomness from the operating system, through ring; and no private keys.
#[derive(Debug)]
struct Ring;

impl SecureRandom for Ring {
    fn fill(&self, buf: &mut [u8]) -> Result<(), GetRandomFailed> {
        use ring::rand::SecureRandom as _;
        ring::rand::SystemRandom::new()
            .fill(buf)
            .map_err(|_| GetRandomFailed)
    }
}

impl KeyProvider for Ring {
    fn load_private_key(
        &self,
        _key_der: PrivateKeyDer<'static>,
    ) -> Result<Arc<dyn SigningKey>, rustls::Error> {
        Err(rustls::Error::General(
            "client certificates are not supported by this transport".into(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_provider_is_consistent_and_offers_tls_1_2_and_1_3() {
        let provider = provider();
        // rustls checks that every suite has a key exchange it can use.
        let config = rustls::ClientConfig::builder_with_provider(Arc::new(provider.clone()))
            .with_safe_default_protocol_versions()
            .expect("a consistent provider");
        drop(config);
        let versions: Vec<_> = provider
            .cipher_suites
            .iter()
            .map(|s| s.version().version)
            .collect();
        assert!(versions.contains(&rustls::ProtocolVersion::TLSv1_3));
        assert!(versions.contains(&rustls::ProtocolVersion::TLSv1_2));
        let mut random = [0u8; 32];
        provider.secure_random.fill(&mut random).unwrap();
        assert_ne!(random, [0u8; 32]);
    }
}
