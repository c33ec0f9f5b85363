//! SigV4a: the same canonical request as SigV4, signed with an ECDSA P-256
//! key derived from the secret, so that one signature is valid in a set of
//! regions (`x-amz-region-set`) rather than one.
//!
//! The key is derived once per credentials (NIST SP 800-108 in counter
//! mode over HMAC-SHA256, as the SigV4a specification says) and kept in
//! the client's [`super::SigningKeyCache`]. Nonces follow RFC 6979, so a
//! signature is a function of key and string to sign: the vectors of
//! `runtime/tests/sigv4a_vectors.rs` compare whole signatures with the
//! official SDK's, and verify the CRT suite's randomised ones.

use p256::ecdsa::signature::hazmat::PrehashSigner;
use p256::ecdsa::{Signature, SigningKey};
use ring::hmac;

pub(super) const ALGORITHM: &str = "AWS4-ECDSA-P256-SHA256";

/// The order of P-256's base point, less 2: a derived candidate above it
/// is discarded and the counter moves on.
const ORDER_MINUS_2: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x4f,
];

/// The signing key of an access key and its secret.
///
/// The derivation's fixed input is `1` (the KDF's counter, 32 bits), the
/// algorithm's name, a zero byte, the access key id, the candidate's
/// counter (one byte, from 1), and the output length in bits (256, 32
/// bits); the key is the first candidate `c <= n - 2`, plus one.
pub fn derive_key(access_key_id: &str, secret_access_key: &str) -> SigningKey {
    let mut input_key = Vec::with_capacity(secret_access_key.len() + 5);
    input_key.extend_from_slice(b"AWS4A");
    input_key.extend_from_slice(secret_access_key.as_bytes());
    let mac = hmac::Key::new(hmac::HMAC_SHA256, &input_key);
    input_key.fill(0);
    for counter in 1..=u8::MAX {
        let mut fixed = Vec::with_capacity(ALGORITHM.len() + access_key_id.len() + 10);
        fixed.extend_from_slice(&1u32.to_be_bytes());
        fixed.extend_from_slice(ALGORITHM.as_bytes());
        fixed.push(0);
        fixed.extend_from_slice(access_key_id.as_bytes());
        fixed.push(counter);
        fixed.extend_from_slice(&256u32.to_be_bytes());
        let tag = hmac::sign(&mac, &fixed);
        let mut candidate: [u8; 32] = tag.as_ref().try_into().expect("HMAC-SHA256 is 32 bytes");
        // Big-endian: byte order is numeric order.
        if candidate <= ORDER_MINUS_2 {
            increment(&mut candidate);
            let key = SigningKey::from_bytes(&candidate.into())
                .expect("1 <= c + 1 <= n - 1 is a valid P-256 scalar");
            candidate.fill(0);
            return key;
        }
    }
    // Each candidate is above n - 2 with probability about 2^-32: 255 in
    // a row do not happen.
    unreachable!("no SigV4a key in 255 candidates")
}

/// Adds one to a big-endian number that is below the maximum.
fn increment(n: &mut [u8; 32]) {
    for byte in n.iter_mut().rev() {
        let (sum, carry) = byte.overflowing_add(1);
        *byte = sum;
        if !carry {
            return;
        }
    }
}

/// The hex DER ECDSA signature of a string to sign (SHA-256 of it, then
/// the RFC 6979 nonce).
pub(super) fn sign(key: &SigningKey, string_to_sign: &str) -> String {
    let digest = super::sha256(string_to_sign.as_bytes());
    let signature: Signature = key
        .sign_prehash(digest.as_ref())
        .expect("a 32-byte prehash always signs");
    super::hex(signature.to_der().as_bytes())
}

/// The public key of a derived key, uncompressed: `04 || X || Y`. What a
/// verifier holds (the test suites give `X` and `Y`).
pub fn public_key(key: &SigningKey) -> Vec<u8> {
    key.verifying_key().to_sec1_point(false).as_bytes().to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn increment_carries() {
        let mut n = [0u8; 32];
        n[31] = 0xff;
        n[30] = 0xff;
        increment(&mut n);
        assert_eq!(&n[29..], &[1, 0, 0]);
    }

    #[test]
    fn the_same_credentials_derive_the_same_key_and_others_another() {
        let a = public_key(&derive_key("AKID", "secret"));
        assert_eq!(a, public_key(&derive_key("AKID", "secret")));
        assert_ne!(a, public_key(&derive_key("AKID2", "secret")));
        assert_ne!(a, public_key(&derive_key("AKID", "secret2")));
        assert_eq!(a.len(), 65);
        assert_eq!(a[0], 4);
    }

    #[test]
    fn signatures_are_deterministic() {
        let key = derive_key("AKID", "secret");
        assert_eq!(sign(&key, "string"), sign(&key, "string"));
        assert_ne!(sign(&key, "string"), sign(&key, "other"));
    }
}
