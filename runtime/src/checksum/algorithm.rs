//! The checksum algorithms S3 accepts and answers with, each computed as
//! the body goes by.

use base64::Engine;
use std::fmt;

/// A flexible checksum algorithm (the model's `ChecksumAlgorithm`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ChecksumAlgorithm {
    /// CRC-32 (IEEE), the default.
    Crc32,
    /// CRC-32C (Castagnoli).
    Crc32c,
    /// CRC-64/NVME.
    Crc64Nvme,
    /// SHA-1.
    Sha1,
    /// SHA-256.
    Sha256,
    /// SHA-512 (a response algorithm; S3 does not take it in requests).
    Sha512,
}

impl ChecksumAlgorithm {
    /// The order in which a response's checksums are preferred, as
    /// botocore's (`_ALGORITHMS_PRIORITY_LIST`, less the xxHash ones that
    /// it offers only with its CRT): the cheapest first.
    pub const PRIORITY: [ChecksumAlgorithm; 6] = [
        ChecksumAlgorithm::Crc64Nvme,
        ChecksumAlgorithm::Crc32c,
        ChecksumAlgorithm::Crc32,
        ChecksumAlgorithm::Sha1,
        ChecksumAlgorithm::Sha256,
        ChecksumAlgorithm::Sha512,
    ];

    /// The algorithm a model or a header names (`CRC32`, `crc64nvme`), in
    /// any case.
    pub fn from_name(name: &str) -> Option<ChecksumAlgorithm> {
        Self::PRIORITY
            .into_iter()
            .find(|a| a.name().eq_ignore_ascii_case(name.trim()))
    }

    /// The name the model and the `x-amz-sdk-checksum-algorithm` header
    /// give it.
    pub fn name(self) -> &'static str {
        match self {
            ChecksumAlgorithm::Crc32 => "CRC32",
            ChecksumAlgorithm::Crc32c => "CRC32C",
            ChecksumAlgorithm::Crc64Nvme => "CRC64NVME",
            ChecksumAlgorithm::Sha1 => "SHA1",
            ChecksumAlgorithm::Sha256 => "SHA256",
            ChecksumAlgorithm::Sha512 => "SHA512",
        }
    }

    /// The header (or aws-chunked trailer) that carries the checksum.
    pub fn header_name(self) -> &'static str {
        match self {
            ChecksumAlgorithm::Crc32 => "x-amz-checksum-crc32",
            ChecksumAlgorithm::Crc32c => "x-amz-checksum-crc32c",
            ChecksumAlgorithm::Crc64Nvme => "x-amz-checksum-crc64nvme",
            ChecksumAlgorithm::Sha1 => "x-amz-checksum-sha1",
            ChecksumAlgorithm::Sha256 => "x-amz-checksum-sha256",
            ChecksumAlgorithm::Sha512 => "x-amz-checksum-sha512",
        }
    }

    /// The length of the checksum in base64, as sent: an aws-chunked
    /// body's length is known before the checksum is.
    pub(crate) fn base64_len(self) -> usize {
        let digest: usize = match self {
            ChecksumAlgorithm::Crc32 | ChecksumAlgorithm::Crc32c => 4,
            ChecksumAlgorithm::Crc64Nvme => 8,
            ChecksumAlgorithm::Sha1 => 20,
            ChecksumAlgorithm::Sha256 => 32,
            ChecksumAlgorithm::Sha512 => 64,
        };
        digest.div_ceil(3) * 4
    }

    /// A checksum of this algorithm, to feed.
    pub fn hasher(self) -> Checksummer {
        let state = match self {
            ChecksumAlgorithm::Crc32 => State::Crc32(crc32fast::Hasher::new()),
            ChecksumAlgorithm::Crc32c => State::Crc32c(0),
            ChecksumAlgorithm::Crc64Nvme => State::Crc64(crc64fast_nvme::Digest::new()),
            ChecksumAlgorithm::Sha1 => State::Digest(Box::new(ring::digest::Context::new(
                &ring::digest::SHA1_FOR_LEGACY_USE_ONLY,
            ))),
            ChecksumAlgorithm::Sha256 => {
                State::Digest(Box::new(ring::digest::Context::new(&ring::digest::SHA256)))
            }
            ChecksumAlgorithm::Sha512 => {
                State::Digest(Box::new(ring::digest::Context::new(&ring::digest::SHA512)))
            }
        };
        Checksummer {
            algorithm: self,
            state,
        }
    }

    /// The checksum of `bytes`, in base64 as sent.
    pub fn checksum(self, bytes: &[u8]) -> String {
        let mut hasher = self.hasher();
        hasher.update(bytes);
        hasher.finish()
    }
}

impl fmt::Display for ChecksumAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A checksum being computed.
pub struct Checksummer {
    algorithm: ChecksumAlgorithm,
    state: State,
}

enum State {
    Crc32(crc32fast::Hasher),
    Crc32c(u32),
    Crc64(crc64fast_nvme::Digest),
    /// Boxed: a SHA context is ten times a CRC's state.
    Digest(Box<ring::digest::Context>),
}

impl Checksummer {
    pub fn algorithm(&self) -> ChecksumAlgorithm {
        self.algorithm
    }

    pub fn update(&mut self, bytes: &[u8]) {
        match &mut self.state {
            State::Crc32(h) => h.update(bytes),
            State::Crc32c(crc) => *crc = crc32c::crc32c_append(*crc, bytes),
            State::Crc64(d) => d.write(bytes),
            State::Digest(c) => c.update(bytes),
        }
    }

    /// The digest's bytes, big-endian for the CRCs (as S3 sends them).
    pub fn finish_bytes(self) -> Vec<u8> {
        match self.state {
            State::Crc32(h) => h.finalize().to_be_bytes().to_vec(),
            State::Crc32c(crc) => crc.to_be_bytes().to_vec(),
            State::Crc64(d) => d.sum64().to_be_bytes().to_vec(),
            State::Digest(c) => c.finish().as_ref().to_vec(),
        }
    }

    /// The checksum in base64, as a header or a trailer carries it.
    pub fn finish(self) -> String {
        base64::engine::general_purpose::STANDARD.encode(self.finish_bytes())
    }
}

impl fmt::Debug for Checksummer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Checksummer")
            .field("algorithm", &self.algorithm)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each algorithm's checksum of `Hello world`, as S3's documentation
    /// and botocore give them, and the CRCs' check values of `123456789`.
    #[test]
    fn known_checksums() {
        let hello = b"Hello world";
        assert_eq!(ChecksumAlgorithm::Crc32.checksum(hello), "i9aeUg==");
        assert_eq!(ChecksumAlgorithm::Crc32c.checksum(hello), "crUfeA==");
        assert_eq!(ChecksumAlgorithm::Crc64Nvme.checksum(hello), "OOJZ0D8xKts=");
        assert_eq!(
            ChecksumAlgorithm::Sha1.checksum(hello),
            "e1AsOh9IyGCa4hLN+2Od7jlnP14="
        );
        assert_eq!(
            ChecksumAlgorithm::Sha256.checksum(hello),
            "ZOyIygCyaOW6GjVnihtTFtIS9PNmskdyMlNKiuyjfzw="
        );
        let check = |a: ChecksumAlgorithm| {
            let mut h = a.hasher();
            h.update(b"1234");
            h.update(b"56789");
            h.finish_bytes()
        };
        assert_eq!(
            check(ChecksumAlgorithm::Crc32),
            0xCBF4_3926u32.to_be_bytes()
        );
        assert_eq!(
            check(ChecksumAlgorithm::Crc32c),
            0xE306_9283u32.to_be_bytes()
        );
        assert_eq!(
            check(ChecksumAlgorithm::Crc64Nvme),
            0xAE8B_1486_0A79_9888u64.to_be_bytes()
        );
    }

    #[test]
    fn names_and_lengths() {
        for a in ChecksumAlgorithm::PRIORITY {
            assert_eq!(ChecksumAlgorithm::from_name(a.name()), Some(a));
            assert_eq!(
                ChecksumAlgorithm::from_name(&a.name().to_ascii_lowercase()),
                Some(a)
            );
            assert_eq!(a.checksum(b"x").len(), a.base64_len(), "{a}");
            assert!(a.header_name().ends_with(&a.name().to_ascii_lowercase()));
        }
        assert_eq!(ChecksumAlgorithm::from_name("MD5"), None);
        assert_eq!(ChecksumAlgorithm::from_name("XXHASH64"), None);
    }
}
