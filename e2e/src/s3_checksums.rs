//! S3's flexible checksums against moto: an object put with each
//! algorithm (the default CRC32 too, from a file), and got back with the
//! checksum asked for and checked by the client as the body streams.
//!
//! The endpoint is plain HTTP, so each checksum goes in a header, as
//! botocore sends it there (the aws-chunked trailer is for TLS; the
//! loopback tests in `tests/tests/s3_checksums.rs` check it byte for byte).

use crate::s3::with_bucket;
use crate::scenario::{eq, present, sent, step, Emulator, Outcome, Scenario};
use s3::config::ChecksumAlgorithm as Algorithm;
use s3::operation::get_object::GetObjectOutput;
use s3::types::{ChecksumAlgorithm, ChecksumMode};

pub const SCENARIOS: &[Scenario] = &[
    Scenario {
        name: "s3: objects put with each checksum algorithm and got back checked",
        run: |e| Box::pin(each_algorithm(e)),
    },
    Scenario {
        name: "s3: a file put with the default CRC32 and got back checked",
        run: |e| Box::pin(default_from_a_file(e)),
    },
];

/// The checksum a GetObject output says the object has.
fn stated(got: &GetObjectOutput, algorithm: Algorithm) -> Option<&str> {
    match algorithm {
        Algorithm::Crc32 => got.checksum_crc32(),
        Algorithm::Crc32c => got.checksum_crc32_c(),
        Algorithm::Crc64Nvme => got.checksum_crc64_nvme(),
        Algorithm::Sha1 => got.checksum_sha1(),
        Algorithm::Sha256 => got.checksum_sha256(),
        _ => None,
    }
}

async fn each_algorithm(emulator: Emulator) -> Outcome {
    with_bucket(emulator, "checksums", |s3, bucket| async move {
        let algorithms = [
            (ChecksumAlgorithm::Crc32, Algorithm::Crc32),
            (ChecksumAlgorithm::Crc32C, Algorithm::Crc32c),
            (ChecksumAlgorithm::Crc64Nvme, Algorithm::Crc64Nvme),
            (ChecksumAlgorithm::Sha1, Algorithm::Sha1),
            (ChecksumAlgorithm::Sha256, Algorithm::Sha256),
        ];
        for (modeled, algorithm) in algorithms {
            let key = format!("by-{algorithm}");
            let body = format!("an object checked with {algorithm}").into_bytes();
            let expected = algorithm.checksum(&body);
            sent(
                s3.put_object()
                    .bucket(&bucket)
                    .key(&key)
                    .checksum_algorithm(modeled)
                    .body(body.clone())
                    .send()
                    .await,
            )?;
            let got = sent(
                s3.get_object()
                    .bucket(&bucket)
                    .key(&key)
                    .checksum_mode(ChecksumMode::Enabled)
                    .send()
                    .await,
            )?;
            let what = format!("GetObject's {algorithm} checksum");
            eq(&what, present(&what, stated(&got, algorithm))?, &expected)?;
            let read = step(
                "reading GetObject's body",
                got.body.unwrap_or_default().collect().await,
            )?;
            eq("GetObject's body", &read[..], &body[..])?;
        }
        Ok(())
    })
    .await
}

async fn default_from_a_file(emulator: Emulator) -> Outcome {
    with_bucket(emulator, "checksum-file", |s3, bucket| async move {
        let dir = step("a temporary directory", tempfile::tempdir())?;
        let path = dir.path().join("object.bin");
        let body: Vec<u8> = (0..300_000u32).map(|i| (i % 241) as u8).collect();
        step("writing the file", std::fs::write(&path, &body))?;
        let stream = step("opening the file", s3::ByteStream::from_path(&path).await)?;
        sent(
            s3.put_object()
                .bucket(&bucket)
                .key("file")
                .body(stream)
                .send()
                .await,
        )?;
        // No ChecksumMode given: the client asks for it by default.
        let got = sent(s3.get_object().bucket(&bucket).key("file").send().await)?;
        let crc = Algorithm::Crc32.checksum(&body);
        eq(
            "GetObject's CRC32 checksum",
            got.checksum_crc32(),
            Some(crc.as_str()),
        )?;
        let read = step(
            "reading GetObject's body",
            got.body.unwrap_or_default().collect().await,
        )?;
        eq("GetObject's body length", read.len(), body.len())?;
        eq("GetObject's body", read[..] == body[..], true)
    })
    .await
}
