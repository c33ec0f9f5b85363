//! A loopback instance metadata service that speaks IMDSv2 as EC2 does (a
//! session token from `PUT /latest/api/token`, then the role name, then the
//! role's credentials as JSON), hands out new credentials at every fetch,
//! short-lived so that the client replaces them every few minutes
//! ([`ROTATION`]), and fails a fifth of the fetches with a 500 at one of
//! the three steps.
//!
//! The client reaches it through `sdkgen-config`'s own instance-metadata
//! source, pointed here with `AWS_EC2_METADATA_SERVICE_ENDPOINT`. The
//! credentials it issued are the only keys the mock accepts, each until its
//! `Expiration`: a client that signs with expired or made-up credentials
//! gets a 403 that no fault explains, and the run fails.

use mock::{Key, Reply};
use sdkgen_runtime::credentials::ADVISORY_REFRESH_WINDOW;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// How long after the client's refresh begins the credentials expire: they
/// expire [`ADVISORY_REFRESH_WINDOW`] plus this after they are issued, the
/// shortest life that the client's cache does not refresh at once.
///
/// The client's instance-metadata source then extends them as botocore
/// and the Rust SDK do (static stability: credentials expiring within 15
/// minutes plus 2 to 10 minutes of jitter get that as their expiry), so it
/// refreshes them 2 to 10 minutes after they were issued, never past the
/// `Expiration` written here, which is as long as the mock accepts them.
pub const ROTATION: Duration = Duration::from_secs(2 * 60);

/// Refreshes that fail, in parts per thousand.
pub const FAILURE_PER_MILLE: u32 = 200;

const ROLE: &str = "soak-role";
const TOKEN_PATH: &str = "/latest/api/token";
const ROLE_PATH: &str = "/latest/meta-data/iam/security-credentials/";
const TOKEN_HEADER: &str = "x-aws-ec2-metadata-token";
const TTL_HEADER: &str = "x-aws-ec2-metadata-token-ttl-seconds";

/// The step of a refresh at which it fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Token,
    Role,
    Credentials,
}

/// A session token handed out, and the fate of the refresh it began.
struct Session {
    issued: Instant,
    fails_at: Option<Step>,
}

/// Credentials handed out, accepted until they expire.
struct Issued {
    key: Key,
    expires: SystemTime,
}

/// The service's state, shared by its connections and by the mock, which
/// asks it which keys are valid.
#[derive(Default)]
pub struct Imds {
    sessions: Mutex<HashMap<String, Session>>,
    keys: Mutex<HashMap<String, Issued>>,
    refreshes: AtomicU64,
    failed: AtomicU64,
    issued: AtomicU64,
}

/// How the refreshes went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// Fetches begun (token requests), the client's retries of a failed
    /// one included.
    pub refreshes: u64,
    /// Fetches failed on purpose.
    pub failed: u64,
    /// Credentials handed out.
    pub issued: u64,
}

impl Imds {
    /// The key of an access key id this service issued and that has not
    /// expired.
    pub fn key(&self, access_key: &str) -> Option<Key> {
        let keys = self.keys.lock().unwrap_or_else(|e| e.into_inner());
        keys.get(access_key)
            .filter(|issued| SystemTime::now() < issued.expires)
            .map(|issued| issued.key.clone())
    }

    pub fn counts(&self) -> Counts {
        Counts {
            refreshes: self.refreshes.load(Ordering::Relaxed),
            failed: self.failed.load(Ordering::Relaxed),
            issued: self.issued.load(Ordering::Relaxed),
        }
    }

    /// The most credentials a client should have fetched in `elapsed`: one
    /// at start, and one per [`ROTATION`] at the most (2 to 10 minutes
    /// apart), and one for a refresh that the end of the run cut short.
    pub fn most_issued(elapsed: Duration) -> u64 {
        (elapsed.as_secs() / ROTATION.as_secs()) + 2
    }

    /// The answer to one request (none has a body).
    pub fn respond(&self, method: &hyper::Method, path: &str, headers: &hyper::HeaderMap) -> Reply {
        let (status, body) = self.answer(method, path, headers);
        hyper::Response::builder()
            .status(status)
            .body(body.into_bytes().into())
            .expect("a valid response")
    }

    /// The status and body of the answer.
    fn answer(
        &self,
        method: &hyper::Method,
        path: &str,
        headers: &hyper::HeaderMap,
    ) -> (u16, String) {
        let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
        if method == hyper::Method::PUT && path == TOKEN_PATH {
            return match header(TTL_HEADER).and_then(|v| v.parse::<u32>().ok()) {
                Some(1..=21600) => self.begin(),
                _ => reply(
                    400,
                    "a token needs x-aws-ec2-metadata-token-ttl-seconds in 1..21600",
                ),
            };
        }
        if method != hyper::Method::GET || !path.starts_with(ROLE_PATH) {
            return reply(404, "not found");
        }
        let Some(token) = header(TOKEN_HEADER) else {
            return reply(401, "IMDSv2 needs a session token");
        };
        let step = match &path[ROLE_PATH.len()..] {
            "" => Step::Role,
            ROLE => Step::Credentials,
            _ => return reply(404, "no such role"),
        };
        let mut sessions = self.sessions.lock().unwrap_or_else(|e| e.into_inner());
        let Some(session) = sessions.get(token) else {
            return reply(401, "unknown session token");
        };
        if session.fails_at == Some(step) {
            sessions.remove(token);
            return self.fail();
        }
        match step {
            Step::Role => reply(200, ROLE),
            _ => {
                sessions.remove(token);
                drop(sessions);
                self.issue()
            }
        }
    }

    /// A token request: the start of a refresh, whose fate is decided now.
    fn begin(&self) -> (u16, String) {
        let n = self.refreshes.fetch_add(1, Ordering::Relaxed);
        let fails_at = (fastrand::u32(..1000) < FAILURE_PER_MILLE)
            .then(|| [Step::Token, Step::Role, Step::Credentials][fastrand::usize(..3)]);
        if fails_at == Some(Step::Token) {
            return self.fail();
        }
        let token = format!("soak-session-{n}-{}", random_text(16));
        let mut sessions = self.sessions.lock().unwrap_or_else(|e| e.into_inner());
        // A refresh abandoned halfway leaves its session behind.
        sessions.retain(|_, s| s.issued.elapsed() < Duration::from_secs(60));
        sessions.insert(
            token.clone(),
            Session {
                issued: Instant::now(),
                fails_at,
            },
        );
        reply(200, &token)
    }

    fn fail(&self) -> (u16, String) {
        self.failed.fetch_add(1, Ordering::Relaxed);
        reply(500, "injected failure")
    }

    /// New credentials, valid for [`ADVISORY_REFRESH_WINDOW`] +
    /// [`ROTATION`].
    fn issue(&self) -> (u16, String) {
        let n = self.issued.fetch_add(1, Ordering::Relaxed);
        let now = SystemTime::now();
        let expires = now + ADVISORY_REFRESH_WINDOW + ROTATION;
        let access_key = format!("ASIASOAK{n:012}");
        let key = Key {
            secret: random_text(40),
            session_token: Some(random_text(64)),
        };
        let document = serde_json::json!({
            "Code": "Success",
            "LastUpdated": rfc3339(now),
            "Type": "AWS-HMAC",
            "AccessKeyId": access_key,
            "SecretAccessKey": key.secret,
            "Token": key.session_token,
            "Expiration": rfc3339(expires),
        });
        let mut keys = self.keys.lock().unwrap_or_else(|e| e.into_inner());
        keys.retain(|_, issued| now < issued.expires);
        keys.insert(access_key, Issued { key, expires });
        reply(200, &document.to_string())
    }
}

fn reply(status: u16, body: &str) -> (u16, String) {
    (status, body.to_string())
}

/// Letters and digits, as AWS's keys and tokens look.
fn random_text(len: usize) -> String {
    std::iter::repeat_with(fastrand::alphanumeric)
        .take(len)
        .collect()
}

/// `2024-01-02T03:04:05Z`, whole seconds, as IMDS writes it.
fn rfc3339(at: SystemTime) -> String {
    let at = OffsetDateTime::from(at);
    at.replace_nanosecond(0)
        .unwrap_or(at)
        .format(&Rfc3339)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use hyper::{HeaderMap, Method};

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(k, v)| {
                (
                    hyper::header::HeaderName::from_static(k),
                    v.parse().unwrap(),
                )
            })
            .collect()
    }

    /// One refresh as the client makes it; `Err(status)` where it failed.
    fn refresh(imds: &Imds) -> Result<serde_json::Value, u16> {
        let ok = |(status, body): (u16, String)| if status == 200 { Ok(body) } else { Err(status) };
        let token = ok(imds.answer(&Method::PUT, TOKEN_PATH, &headers(&[(TTL_HEADER, "21600")])))?;
        let with_token = headers(&[(TOKEN_HEADER, &token)]);
        let role = ok(imds.answer(&Method::GET, ROLE_PATH, &with_token))?;
        let path = format!("{ROLE_PATH}{role}");
        let credentials = ok(imds.answer(&Method::GET, &path, &with_token))?;
        Ok(serde_json::from_str(&credentials).unwrap())
    }

    #[test]
    fn every_refresh_issues_a_new_key_or_fails_with_a_500() {
        fastrand::seed(19);
        let imds = Imds::default();
        let (mut issued, mut failed) = (Vec::new(), 0);
        for _ in 0..200 {
            match refresh(&imds) {
                Ok(document) => issued.push(document),
                Err(status) => {
                    assert_eq!(status, 500);
                    failed += 1;
                }
            }
        }
        // A fifth fail, give or take what 200 rolls of a seeded RNG give.
        assert!((25..=55).contains(&failed), "{failed} of 200 failed");
        assert_eq!(imds.counts().failed, failed);
        assert_eq!(imds.counts().issued, issued.len() as u64);
        let first = &issued[0];
        assert_eq!(first["AccessKeyId"], "ASIASOAK000000000000");
        assert_eq!(issued[1]["AccessKeyId"], "ASIASOAK000000000001");
        let key = imds.key("ASIASOAK000000000000").expect("a valid key");
        assert_eq!(first["SecretAccessKey"].as_str(), Some(key.secret.as_str()));
        assert_eq!(first["Token"].as_str(), key.session_token.as_deref());
        let expiration = first["Expiration"].as_str().unwrap();
        assert!(
            expiration.ends_with('Z') && !expiration.contains('.'),
            "{expiration}"
        );
    }

    #[test]
    fn imdsv1_and_strangers_are_refused() {
        let imds = Imds::default();
        let no_ttl = imds.answer(&Method::PUT, TOKEN_PATH, &HeaderMap::new());
        assert_eq!(no_ttl.0, 400);
        let no_token = imds.answer(&Method::GET, ROLE_PATH, &HeaderMap::new());
        assert_eq!(no_token.0, 401);
        let made_up = headers(&[(TOKEN_HEADER, "made-up")]);
        assert_eq!(imds.answer(&Method::GET, ROLE_PATH, &made_up).0, 401);
        assert!(imds.key("ASIASOAK000000000000").is_none());
    }
}
