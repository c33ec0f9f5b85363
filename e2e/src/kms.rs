//! KMS (`generated/kms`, awsJson 1.1) against moto: a key made and
//! described, Encrypt and Decrypt of bytes that are not UTF-8, the errors
//! moto does raise (a wrong encryption context, a key that does not
//! exist), and a key disabled or scheduled for deletion.
//!
//! Keys that cannot be used: KMS refuses Encrypt with a disabled key
//! (`DisabledException`) and with a key pending deletion
//! (`KMSInvalidStateException`). moto 5.2.5 refuses neither: its
//! `KmsBackend.encrypt` (moto/kms/models.py, lines 589-601) and
//! `KmsResponse.encrypt` (moto/kms/responses.py, lines 425-441) only check
//! that the key exists, never its state, and neither exception appears
//! anywhere in moto/kms. So the scenarios of those keys check what moto
//! does get right (DescribeKey's KeyState, Enabled, DeletionDate) and do
//! not call Encrypt: its success would be moto's, not KMS's, answer.
//!
//! moto answers KMS's successes with `Content-Type: text/html`; the
//! client reads the body whatever the content type says, as botocore does.

use crate::ensure;
use crate::scenario::{eq, failed, present, sent, unique, Emulator, Outcome, Scenario};
use kms::operation::decrypt::DecryptError;
use kms::operation::encrypt::EncryptError;
use kms::types::{
    EncryptionAlgorithmSpec, KeyManagerType, KeyMetadata, KeySpec, KeyState, KeyUsageType,
    OriginType,
};
use kms::{Blob, Client, DateTime, ProvideErrorMetadata, SdkError};

pub const SCENARIOS: &[Scenario] = &[
    Scenario {
        name: "kms: CreateKey, then Encrypt and Decrypt of bytes that are not UTF-8",
        run: |e| Box::pin(round_trip(e)),
    },
    Scenario {
        name: "kms: Decrypt with another EncryptionContext is DecryptError::InvalidCiphertextException",
        run: |e| Box::pin(wrong_context(e)),
    },
    Scenario {
        name: "kms: Encrypt under a key that does not exist is EncryptError::NotFoundException",
        run: |e| Box::pin(missing_key(e)),
    },
    Scenario {
        name: "kms: DisableKey leaves the key Disabled (moto 5.2.5 does not refuse Encrypt with it)",
        run: |e| Box::pin(disabled_key(e)),
    },
    Scenario {
        name: "kms: ScheduleKeyDeletion leaves the key PendingDeletion with its DeletionDate",
        run: |e| Box::pin(pending_deletion(e)),
    },
];

fn client(emulator: &Emulator) -> Client {
    Client::new(emulator.config().build())
}

/// The shortest waiting period KMS accepts.
const PENDING_DAYS: i32 = 7;

/// Makes a symmetric key and checks what CreateKey says of it.
async fn create_key(client: &Client, label: &str) -> Result<KeyMetadata, String> {
    let description = unique(label);
    let started = DateTime::now();
    // KeyUsage is named although ENCRYPT_DECRYPT is KMS's default: moto
    // 5.2.5 keeps what the request says (`Key.__init__`,
    // moto/kms/models.py) and answers `"KeyUsage": null` when it says
    // nothing, where KMS answers the default.
    let output = sent(
        client
            .create_key()
            .description(&description)
            .key_usage(KeyUsageType::EncryptDecrypt)
            .send()
            .await,
    )?;
    let key = output
        .key_metadata()
        .ok_or("CreateKey answered no KeyMetadata")?
        .clone();
    let id = present("KeyId", key.key_id())?;
    // A key id is a UUID.
    ensure!(
        id.len() == 36 && id.chars().filter(|c| *c == '-').count() == 4,
        "KeyId is not a UUID: {id:?}"
    );
    let arn = present("Arn", key.arn())?;
    let account = present("AWSAccountId", key.aws_account_id())?;
    eq(
        "Arn",
        arn,
        format!("arn:aws:kms:us-east-1:{account}:key/{id}").as_str(),
    )?;
    eq("Description", key.description(), Some(description.as_str()))?;
    eq("Enabled", key.enabled(), Some(true))?;
    eq("KeyState", key.key_state(), Some(&KeyState::Enabled))?;
    eq(
        "KeyUsage",
        key.key_usage(),
        Some(&KeyUsageType::EncryptDecrypt),
    )?;
    eq("KeySpec", key.key_spec(), Some(&KeySpec::SymmetricDefault))?;
    eq(
        "KeyManager",
        key.key_manager(),
        Some(&KeyManagerType::Customer),
    )?;
    eq("Origin", key.origin(), Some(&OriginType::AwsKms))?;
    eq(
        "EncryptionAlgorithms",
        key.encryption_algorithms(),
        &[EncryptionAlgorithmSpec::SymmetricDefault][..],
    )?;
    let created = key.creation_date().ok_or("CreationDate is missing")?;
    let age = started.secs() - created.secs();
    ensure!(
        (-300..=300).contains(&age),
        "CreationDate is {age} s from now: {created}"
    );
    Ok(key)
}

/// Schedules a key's deletion: the nearest KMS comes to deleting one.
async fn retire(client: &Client, key_id: &str) -> Outcome {
    sent(
        client
            .schedule_key_deletion()
            .key_id(key_id)
            .pending_window_in_days(PENDING_DAYS)
            .send()
            .await,
    )
    .map(|_| ())
}

/// Plaintexts: bytes that are not UTF-8, a lone zero byte, and 4096 bytes
/// (KMS's most) of every value.
fn plaintexts() -> Vec<Vec<u8>> {
    vec![
        vec![0x00, 0xff, 0xfe, 0x80, 0xc3, 0x28, 0x7f, b'a'],
        vec![0x00],
        (0..=255u8).cycle().take(4096).collect(),
    ]
}

async fn round_trip(emulator: Emulator) -> Outcome {
    let client = client(&emulator);
    let key = create_key(&client, "e2e-kms-round-trip").await?;
    let id = present("KeyId", key.key_id())?;
    let arn = present("Arn", key.arn())?;
    let outcome = async {
        for plaintext in plaintexts() {
            let what = format!("{} bytes", plaintext.len());
            let encrypted = sent(
                client
                    .encrypt()
                    .key_id(id)
                    .plaintext(Blob::new(plaintext.clone()))
                    .send()
                    .await,
            )?;
            // Encrypt answers the key's ARN, whichever id it was given.
            eq(
                &format!("Encrypt's KeyId ({what})"),
                encrypted.key_id(),
                Some(arn),
            )?;
            let ciphertext = encrypted
                .ciphertext_blob()
                .ok_or_else(|| format!("Encrypt answered no CiphertextBlob ({what})"))?;
            ensure!(
                ciphertext.len() > plaintext.len(),
                "the ciphertext of {what} has only {} bytes",
                ciphertext.len()
            );
            if plaintext.len() >= 8 {
                ensure!(
                    !ciphertext
                        .as_bytes()
                        .windows(plaintext.len())
                        .any(|w| w == plaintext.as_slice()),
                    "the ciphertext of {what} holds the plaintext"
                );
            }
            // KMS answers the algorithm; moto 5.2.5 leaves it out
            // (`KmsResponse.encrypt` answers CiphertextBlob and KeyId), so
            // it is checked when present.
            if let Some(algorithm) = encrypted.encryption_algorithm() {
                eq(
                    "Encrypt's EncryptionAlgorithm",
                    algorithm,
                    &EncryptionAlgorithmSpec::SymmetricDefault,
                )?;
            }
            // A symmetric ciphertext names its key: Decrypt needs no KeyId,
            // and with one (the id, not the ARN) answers the same.
            for with_key in [false, true] {
                let mut request = client.decrypt().ciphertext_blob(ciphertext.clone());
                if with_key {
                    request = request.key_id(id);
                }
                let decrypted = sent(request.send().await)?;
                eq(
                    &format!("the decrypted {what} (KeyId given: {with_key})"),
                    decrypted.plaintext().map(Blob::as_bytes),
                    Some(plaintext.as_slice()),
                )?;
                eq(
                    &format!("Decrypt's KeyId ({what})"),
                    decrypted.key_id(),
                    Some(arn),
                )?;
            }
        }
        Ok(())
    }
    .await;
    let retired = retire(&client, id).await;
    outcome.and(retired)
}

async fn wrong_context(emulator: Emulator) -> Outcome {
    let client = client(&emulator);
    let key = create_key(&client, "e2e-kms-context").await?;
    let id = present("KeyId", key.key_id())?;
    let outcome = async {
        let plaintext = Blob::new(vec![0xde, 0xad, 0xbe, 0xef]);
        let encrypted = sent(
            client
                .encrypt()
                .key_id(id)
                .plaintext(plaintext.clone())
                .encryption_context("purpose", "e2e")
                .encryption_context("run", unique("run"))
                .send()
                .await,
        )?;
        let ciphertext = encrypted
            .ciphertext_blob()
            .ok_or("Encrypt answered no CiphertextBlob")?;
        // The same context decrypts.
        let decrypted = sent(
            client
                .decrypt()
                .ciphertext_blob(ciphertext.clone())
                .encryption_context("purpose", "e2e")
                .encryption_context("run", unique("run"))
                .send()
                .await,
        )?;
        eq(
            "the decrypted bytes",
            decrypted.plaintext(),
            Some(&plaintext),
        )?;
        // Another does not: KMS and moto both answer
        // InvalidCiphertextException (moto with no message at all).
        let result = client
            .decrypt()
            .ciphertext_blob(ciphertext.clone())
            .encryption_context("purpose", "other")
            .send()
            .await;
        let error = failed("Decrypt with another EncryptionContext", result)?;
        let SdkError::Service {
            source: DecryptError::InvalidCiphertextException(e),
            ..
        } = &error
        else {
            return Err(format!("expected InvalidCiphertextException, got: {error}"));
        };
        eq("error code", e.code(), Some("InvalidCiphertextException"))?;
        eq("HTTP status", e.status(), 400)?;
        present("request id", e.request_id())?;
        Ok(())
    }
    .await;
    let retired = retire(&client, id).await;
    outcome.and(retired)
}

async fn missing_key(emulator: Emulator) -> Outcome {
    // A well-formed key id that no key has (moto makes random UUIDs v4;
    // this one is not random).
    let id = "e2e00000-0000-4000-8000-000000000000";
    let result = client(&emulator)
        .encrypt()
        .key_id(id)
        .plaintext(Blob::new(vec![1, 2, 3]))
        .send()
        .await;
    let error = failed("Encrypt under a key that does not exist", result)?;
    let SdkError::Service {
        source: EncryptError::NotFoundException(e),
        ..
    } = &error
    else {
        return Err(format!("expected NotFoundException, got: {error}"));
    };
    eq("error code", e.code(), Some("NotFoundException"))?;
    eq("HTTP status", e.status(), 400)?;
    // `Key 'arn:aws:kms:us-east-1:ACCOUNT:key/ID' does not exist`, from
    // KMS and moto alike.
    let message = present("the modeled message", e.message())?;
    ensure!(
        message.contains(id) && message.contains("does not exist"),
        "the message does not say that key {id} does not exist: {message:?}"
    );
    eq("message()", ProvideErrorMetadata::message(e), Some(message))?;
    present("request id", e.request_id())?;
    Ok(())
}

async fn describe(client: &Client, key_id: &str) -> Result<KeyMetadata, String> {
    let output = sent(client.describe_key().key_id(key_id).send().await)?;
    output
        .key_metadata()
        .cloned()
        .ok_or_else(|| "DescribeKey answered no KeyMetadata".to_string())
}

async fn disabled_key(emulator: Emulator) -> Outcome {
    let client = client(&emulator);
    let key = create_key(&client, "e2e-kms-disabled").await?;
    let id = present("KeyId", key.key_id())?;
    let outcome = async {
        // DisableKey has no output; moto answers the body `null` to it.
        sent(client.disable_key().key_id(id).send().await)?;
        let described = describe(&client, id).await?;
        eq("Enabled", described.enabled(), Some(false))?;
        eq("KeyState", described.key_state(), Some(&KeyState::Disabled))?;
        eq("KeyId", described.key_id(), Some(id))?;
        // KMS now refuses Encrypt with this key: DisabledException
        // (`EncryptError::DisabledException`), 400, "... is disabled.".
        // moto 5.2.5 encrypts with it all the same (see the module's
        // comment for where), so the call is not made here: its success
        // would prove nothing about the client, and asserting it would
        // assert moto's deviation.
        Ok(())
    }
    .await;
    let retired = retire(&client, id).await;
    outcome.and(retired)
}

async fn pending_deletion(emulator: Emulator) -> Outcome {
    let client = client(&emulator);
    let key = create_key(&client, "e2e-kms-pending").await?;
    let id = present("KeyId", key.key_id())?;
    let arn = present("Arn", key.arn())?;
    let asked = DateTime::now();
    let scheduled = sent(
        client
            .schedule_key_deletion()
            .key_id(id)
            .pending_window_in_days(PENDING_DAYS)
            .send()
            .await,
    )?;
    let deletion = *scheduled
        .deletion_date()
        .ok_or("ScheduleKeyDeletion answered no DeletionDate")?;
    let days = PENDING_DAYS as i64 * 86_400;
    let after = deletion.secs() - asked.secs();
    ensure!(
        (days - 300..=days + 300).contains(&after),
        "DeletionDate is {after} s after the call, not {PENDING_DAYS} days: {deletion}"
    );
    // KMS answers the key's ARN as KeyId, and its KeyState and
    // PendingWindowInDays; moto 5.2.5 answers the KeyId as it was given
    // (the bare id here) and leaves the other two out
    // (`KmsResponse.schedule_key_deletion`, moto/kms/responses.py, lines
    // 524-541). So KeyId must name this key, as an ARN or an id, and the
    // others are checked when present.
    let key_id = present("ScheduleKeyDeletion's KeyId", scheduled.key_id())?;
    ensure!(
        key_id == arn || key_id == id,
        "ScheduleKeyDeletion's KeyId names another key: {key_id:?}"
    );
    if let Some(state) = scheduled.key_state() {
        eq(
            "ScheduleKeyDeletion's KeyState",
            state,
            &KeyState::PendingDeletion,
        )?;
    }
    if let Some(days) = scheduled.pending_window_in_days() {
        eq("PendingWindowInDays", days, PENDING_DAYS)?;
    }

    let described = describe(&client, id).await?;
    eq(
        "KeyState",
        described.key_state(),
        Some(&KeyState::PendingDeletion),
    )?;
    eq("Enabled", described.enabled(), Some(false))?;
    eq(
        "DescribeKey's DeletionDate",
        described.deletion_date().map(DateTime::secs),
        Some(deletion.secs()),
    )?;
    // KMS now refuses Encrypt with this key: KMSInvalidStateException
    // (`EncryptError::KmsInvalidStateException`), "... is pending
    // deletion.". moto 5.2.5 encrypts with it all the same (see the
    // module's comment), so the call is not made here.
    Ok(())
}
