//! S3 (`generated/s3`, rest-xml) against moto: a bucket; objects put, got,
//! headed, copied and deleted; a multipart upload, its parts listed by the
//! paginator; a listing walked by the
//! paginator with keys that need encoding; and the not-found answers.
//!
//! Addressing: the endpoint is `http://127.0.0.1:PORT`, an IP, for which
//! S3's endpoint rules choose path-style (`/bucket/key`) by themselves.
//! moto checks no signature, but every request is signed as S3 wants it
//! (the path as sent, `x-amz-content-sha256`); the loopback tests in
//! `tests/tests/s3.rs` check those signatures.

use crate::ensure;
use crate::scenario::{eq, failed, present, sent, step, unique, Emulator, Outcome, Scenario};
use s3::operation::head_object::HeadObjectError;
use s3::types::{CompletedMultipartUpload, CompletedPart, Delete, ObjectIdentifier};
use s3::{Client, ProvideErrorMetadata};

pub const SCENARIOS: &[Scenario] = &[
    Scenario {
        name: "s3: PutObject, GetObject, HeadObject, CopyObject and DeleteObject",
        run: |e| Box::pin(object_round_trip(e)),
    },
    Scenario {
        name: "s3: a multipart upload of two parts, listed by the ListParts paginator, completed and read back",
        run: |e| Box::pin(multipart(e)),
    },
    Scenario {
        name: "s3: ListObjectsV2 walked by the paginator, keys that need encoding",
        run: |e| Box::pin(listing(e)),
    },
    Scenario {
        name: "s3: a missing key is NoSuchKey for GetObject and 404 Not Found for HeadObject",
        run: |e| Box::pin(not_found(e)),
    },
];

fn client(emulator: &Emulator) -> Client {
    Client::new(emulator.config().build())
}

/// A bucket unique to the run (S3's rule: lowercase letters and digits).
async fn bucket(client: &Client, prefix: &str) -> Result<String, String> {
    let name = unique(prefix).to_lowercase();
    sent(client.create_bucket().bucket(&name).send().await)?;
    Ok(name)
}

/// Deletes every object of a bucket, then the bucket.
async fn remove(client: &Client, bucket: &str) -> Outcome {
    let listed = sent(client.list_objects_v2().bucket(bucket).send().await)?;
    let keys: Vec<ObjectIdentifier> = listed
        .contents()
        .iter()
        .filter_map(|o| o.key())
        .map(|k| ObjectIdentifier::builder().key(k).build())
        .collect();
    if !keys.is_empty() {
        let delete = Delete::builder().set_objects(Some(keys)).build();
        sent(
            client
                .delete_objects()
                .bucket(bucket)
                .delete(delete)
                .send()
                .await,
        )?;
    }
    sent(client.delete_bucket().bucket(bucket).send().await)?;
    Ok(())
}

/// Runs `body` against a fresh bucket, which is removed afterwards also
/// when `body` failed.
pub(crate) async fn with_bucket<F, Fut>(emulator: Emulator, prefix: &str, body: F) -> Outcome
where
    F: FnOnce(Client, String) -> Fut,
    Fut: std::future::Future<Output = Outcome>,
{
    let client = client(&emulator);
    let name = bucket(&client, prefix).await?;
    let outcome = body(client.clone(), name.clone()).await;
    let cleanup = remove(&client, &name).await;
    outcome.and(cleanup)
}

async fn object_round_trip(emulator: Emulator) -> Outcome {
    with_bucket(emulator, "objects", |s3, bucket| async move {
        let key = "folder/hello world+1.txt";
        let body = b"hello from the generated s3 crate".to_vec();
        let put = sent(
            s3.put_object()
                .bucket(&bucket)
                .key(key)
                .content_type("text/plain")
                .metadata("owner", "e2e")
                .body(body.clone())
                .send()
                .await,
        )?;
        present("PutObject's ETag", put.e_tag())?;

        let got = sent(s3.get_object().bucket(&bucket).key(key).send().await)?;
        eq(
            "GetObject's Content-Type",
            got.content_type(),
            Some("text/plain"),
        )?;
        eq(
            "GetObject's Content-Length",
            got.content_length(),
            Some(body.len() as i64),
        )?;
        eq(
            "GetObject's user metadata",
            got.metadata()
                .and_then(|m| m.get("owner"))
                .map(String::as_str),
            Some("e2e"),
        )?;
        let read = step(
            "reading GetObject's body",
            got.body.unwrap_or_default().collect().await,
        )?;
        eq("GetObject's body", &read[..], &body[..])?;

        let head = sent(s3.head_object().bucket(&bucket).key(key).send().await)?;
        eq(
            "HeadObject's Content-Length",
            head.content_length(),
            Some(body.len() as i64),
        )?;
        eq("HeadObject's ETag", head.e_tag(), put.e_tag())?;

        let copy = "copies/hello copy.txt";
        let copied = sent(
            s3.copy_object()
                .bucket(&bucket)
                .key(copy)
                .copy_source(format!("{bucket}/folder/hello%20world%2B1.txt"))
                .send()
                .await,
        )?;
        present(
            "CopyObject's ETag",
            copied.copy_object_result().and_then(|r| r.e_tag()),
        )?;
        let read = sent(s3.get_object().bucket(&bucket).key(copy).send().await)?;
        let read = step(
            "reading the copy",
            read.body.unwrap_or_default().collect().await,
        )?;
        eq("the copy's body", &read[..], &body[..])?;

        sent(s3.delete_object().bucket(&bucket).key(copy).send().await)?;
        let gone = failed(
            "HeadObject of the deleted copy",
            s3.head_object().bucket(&bucket).key(copy).send().await,
        )?;
        eq(
            "the deleted copy's HTTP status",
            gone.as_service_error().map(|e| e.meta().status()),
            Some(404),
        )?;
        Ok(())
    })
    .await
}

async fn multipart(emulator: Emulator) -> Outcome {
    with_bucket(emulator, "multipart", |s3, bucket| async move {
        let key = "big/object.bin";
        // S3's least part size is 5 MiB, but for the last part.
        let first: Vec<u8> = (0..5 * 1024 * 1024).map(|i| (i % 251) as u8).collect();
        let second = b"the last part".to_vec();
        let created = sent(
            s3.create_multipart_upload()
                .bucket(&bucket)
                .key(key)
                .send()
                .await,
        )?;
        let upload_id =
            present("CreateMultipartUpload's UploadId", created.upload_id())?.to_string();
        let mut parts = Vec::new();
        for (number, data) in [(1, first.clone()), (2, second.clone())] {
            let part = sent(
                s3.upload_part()
                    .bucket(&bucket)
                    .key(key)
                    .upload_id(&upload_id)
                    .part_number(number)
                    .body(data)
                    .send()
                    .await,
            )?;
            let etag = present("UploadPart's ETag", part.e_tag())?;
            parts.push(
                CompletedPart::builder()
                    .part_number(number)
                    .e_tag(etag)
                    .build(),
            );
        }
        // The parts listed one per page by ListParts' paginator, which
        // ends on `IsTruncated` and goes on from `NextPartNumberMarker`.
        let mut pages = s3
            .list_parts()
            .bucket(&bucket)
            .key(key)
            .upload_id(&upload_id)
            .max_parts(1)
            .into_paginator()
            .send();
        let (mut listed, mut page_count) = (Vec::new(), 0);
        while let Some(page) = pages.next().await {
            let page = sent(page)?;
            page_count += 1;
            listed.extend(page.parts().iter().map(|p| (p.part_number(), p.size())));
        }
        eq(
            "the parts listed",
            listed,
            vec![
                (Some(1), Some(first.len() as i64)),
                (Some(2), Some(second.len() as i64)),
            ],
        )?;
        eq("the pages of 1 part", page_count, 2)?;
        let completed = sent(
            s3.complete_multipart_upload()
                .bucket(&bucket)
                .key(key)
                .upload_id(&upload_id)
                .multipart_upload(
                    CompletedMultipartUpload::builder()
                        .set_parts(Some(parts))
                        .build(),
                )
                .send()
                .await,
        )?;
        eq("CompleteMultipartUpload's Key", completed.key(), Some(key))?;
        let got = sent(s3.get_object().bucket(&bucket).key(key).send().await)?;
        let read = step(
            "reading the object",
            got.body.unwrap_or_default().collect().await,
        )?;
        ensure!(
            read.len() == first.len() + second.len(),
            "the object has {} bytes, not {}",
            read.len(),
            first.len() + second.len()
        );
        ensure!(
            read[..first.len()] == first[..] && read[first.len()..] == second[..],
            "the object's bytes are not its parts in order"
        );

        // An upload aborted is gone.
        let aborted = sent(
            s3.create_multipart_upload()
                .bucket(&bucket)
                .key("aborted")
                .send()
                .await,
        )?;
        let id = present("the second UploadId", aborted.upload_id())?;
        sent(
            s3.abort_multipart_upload()
                .bucket(&bucket)
                .key("aborted")
                .upload_id(id)
                .send()
                .await,
        )?;
        Ok(())
    })
    .await
}

async fn listing(emulator: Emulator) -> Outcome {
    with_bucket(emulator, "listing", |s3, bucket| async move {
        let mut keys: Vec<String> = (0..7)
            .map(|i| format!("dir/key {i} & ü+=?#%.txt"))
            .collect();
        keys.push("other/x".into());
        for key in &keys {
            sent(
                s3.put_object()
                    .bucket(&bucket)
                    .key(key)
                    .body(key.clone().into_bytes())
                    .send()
                    .await,
            )?;
        }
        // Three pages of at most 3 under `dir/`.
        let mut pages = s3
            .list_objects_v2()
            .bucket(&bucket)
            .prefix("dir/")
            .max_keys(3)
            .into_paginator()
            .send();
        let mut listed = Vec::new();
        let mut page_count = 0;
        while let Some(page) = pages.next().await {
            let page = sent(page)?;
            page_count += 1;
            listed.extend(
                page.contents()
                    .iter()
                    .filter_map(|o| o.key())
                    .map(str::to_string),
            );
        }
        let mut expected: Vec<String> = keys
            .iter()
            .filter(|k| k.starts_with("dir/"))
            .cloned()
            .collect();
        expected.sort();
        eq("the keys listed under dir/", listed, expected)?;
        eq("the pages of 3", page_count, 3)?;
        Ok(())
    })
    .await
}

async fn not_found(emulator: Emulator) -> Outcome {
    with_bucket(emulator, "missing", |s3, bucket| async move {
        let got = failed(
            "GetObject of a missing key",
            s3.get_object().bucket(&bucket).key("nope").send().await,
        )?;
        let service = got
            .as_service_error()
            .ok_or_else(|| format!("not a service error: {got}"))?;
        eq("GetObject's error code", service.code(), Some("NoSuchKey"))?;
        ensure!(
            service.is_no_such_key(),
            "GetObjectError is not NoSuchKey: {service:?}"
        );

        let head = failed(
            "HeadObject of a missing key",
            s3.head_object().bucket(&bucket).key("nope").send().await,
        )?;
        let service: &HeadObjectError = head
            .as_service_error()
            .ok_or_else(|| format!("not a service error: {head}"))?;
        eq(
            "HeadObject's error",
            (service.code(), service.message(), service.meta().status()),
            (Some("404"), Some("Not Found"), 404),
        )?;
        Ok(())
    })
    .await
}
