//! The SSO access token that `aws sso login` leaves in
//! `~/.aws/sso/cache/<sha1 of the session name or start URL>.json`: read,
//! refreshed with SSO-OIDC `CreateToken` when it nears expiry (for an
//! `[sso-session]`, which keeps a refresh token), and written back in place
//! atomically so that the AWS CLI and other SDKs see the new token.

use super::context::ProviderContext;
use super::profile_chain::SsoProfile;
use super::{blocking, read_to_string, BoxFuture, CredentialsError};
use sdkgen_runtime::document::Document;
use sdkgen_runtime::json::{self, JsonWriter, Kind, Reader};
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// Refresh a token this long before it expires.
const REFRESH_WINDOW: Duration = Duration::from_secs(5 * 60);

/// The cache file of a session (`[sso-session NAME]`: the name) or of a
/// legacy profile (its start URL).
pub(crate) fn cache_path(home: &Path, key: &str) -> PathBuf {
    // SHA-1 names a file here (as the AWS CLI names it), it protects nothing.
    let digest = ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, key.as_bytes());
    let hex = sdkgen_runtime::sigv4::hex(digest.as_ref());
    home.join(".aws")
        .join("sso")
        .join("cache")
        .join(format!("{hex}.json"))
}

/// A valid access token for `sso`, refreshed first if it expires within
/// five minutes and can be; `now` is the current time.
///
/// Boxed: the SSO credentials and the SSO bearer token both await it, and
/// a program would otherwise carry its state machine once in each.
pub(crate) fn access_token<'a>(
    context: &'a ProviderContext,
    profile: &'a str,
    sso: &'a SsoProfile,
    now: SystemTime,
) -> BoxFuture<'a, Result<String, CredentialsError>> {
    Box::pin(read_or_refresh(context, profile, sso, now))
}

async fn read_or_refresh(
    context: &ProviderContext,
    profile: &str,
    sso: &SsoProfile,
    now: SystemTime,
) -> Result<String, CredentialsError> {
    let file = CacheFile::new(context, profile, sso)?;
    let text = read_to_string(file.path.clone())
        .await
        .map_err(|e| file.fail(format_args!("no SSO token in {} ({e})", file.shown())))?;
    let mut cached = members(&text).map_err(|e| {
        file.fail(format_args!(
            "the SSO token cache {} is not valid JSON ({e})",
            file.shown()
        ))
    })?;
    let (Some(token), Some(expires_at)) = (
        text_of(&cached, "accessToken").filter(|v| !v.is_empty()),
        text_of(&cached, "expiresAt").and_then(time),
    ) else {
        return Err(file.fail(format_args!(
            "the SSO token cache {} has no usable accessToken and expiresAt",
            file.shown()
        )));
    };
    if expires_at > now + REFRESH_WINDOW {
        return Ok(token.to_string());
    }
    let token = token.to_string();
    if sso.session.is_some() {
        let refreshed = match RefreshRequest::from_cache(&cached, sso, now) {
            Some(request) => request.send(context, now).await.map(Some),
            None => Ok(None),
        };
        match refreshed {
            Ok(Some(fresh)) => {
                fresh.apply(&mut cached);
                let path = file.path.clone();
                let bytes = write_json(&cached);
                if let Err(e) = write_atomically(path, bytes).await {
                    return Err(CredentialsError::with_source(
                        format!(
                            "profile {profile:?}: the SSO token was refreshed but {} could not be written",
                            file.shown()
                        ),
                        e,
                    ));
                }
                tracing::debug!(profile, "SSO token refreshed");
                return Ok(fresh.access_token);
            }
            Ok(None) => {}
            Err(e) if expires_at > now => {
                tracing::debug!(profile, error = %e, "SSO token refresh failed; the current token still works");
            }
            Err(e) => {
                return Err(file.fail(format_args!(
                    "the SSO session has expired and refreshing it failed ({e})"
                )))
            }
        }
    }
    if expires_at > now {
        return Ok(token);
    }
    Err(file.fail(format_args!("the SSO session has expired")))
}

/// Where a profile's token is cached, and how its errors read.
struct CacheFile<'a> {
    profile: &'a str,
    path: PathBuf,
    /// The command that logs in again.
    login: String,
}

impl<'a> CacheFile<'a> {
    fn new(
        context: &ProviderContext,
        profile: &'a str,
        sso: &SsoProfile,
    ) -> Result<Self, CredentialsError> {
        let login = match &sso.session {
            Some(session) => format!("aws sso login --sso-session {session}"),
            None => format!("aws sso login --profile {profile}"),
        };
        let home = crate::profile::home(&context.sources.env).ok_or_else(|| {
            CredentialsError::new(format!(
                "profile {profile:?}: no home directory (HOME) to find the SSO token cache in"
            ))
        })?;
        let key = sso.session.as_deref().unwrap_or(&sso.start_url);
        Ok(CacheFile {
            profile,
            path: cache_path(&home, key),
            login,
        })
    }

    fn shown(&self) -> std::path::Display<'_> {
        self.path.display()
    }

    /// `profile "dev": WHAT; run `aws sso login ...``: one formatting
    /// function for every error that logging in again mends.
    #[inline(never)]
    fn fail(&self, what: fmt::Arguments<'_>) -> CredentialsError {
        CredentialsError::new(format!(
            "profile {:?}: {what}; run `{}`",
            self.profile, self.login
        ))
    }
}

/// The members of the cache's object, in the file's order (duplicates
/// included: the last one counts, as when reading a member), each value
/// kept whole so that what we do not read is written back as it was.
type Members = Vec<(String, Document)>;

/// Read with the runtime's JSON reader, as every other JSON document.
fn members(text: &str) -> Result<Members, String> {
    let mut r = Reader::new(text.as_bytes());
    let kind = r.kind().map_err(|e| e.to_string())?;
    if kind != Kind::Object {
        return Err(format!("{} instead of an object", kind.name()));
    }
    let mut members = Vec::new();
    let mut read = || {
        if r.enter_object()? {
            loop {
                let key = r.key()?.into_owned();
                members.push((key, json::document(&mut r)?));
                if !r.more_members()? {
                    break;
                }
            }
        }
        r.finish()
    };
    read().map_err(|e| e.to_string())?;
    Ok(members)
}

/// A string member's value (the last one, if it repeats).
fn text_of<'m>(members: &'m Members, key: &str) -> Option<&'m str> {
    members
        .iter()
        .rev()
        .find(|(k, _)| k == key)
        .and_then(|(_, v)| v.as_str())
}

/// What SSO-OIDC `CreateToken` needs from the cache to refresh a token.
struct RefreshRequest {
    refresh_token: String,
    client_id: String,
    client_secret: String,
    region: String,
}

impl RefreshRequest {
    /// `None` when the cache has no refresh token or registration (or the
    /// registration has expired).
    fn from_cache(cached: &Members, sso: &SsoProfile, now: SystemTime) -> Option<Self> {
        let text = |key: &str| text_of(cached, key).map(str::to_string);
        let (Some(refresh_token), Some(client_id), Some(client_secret)) =
            (text("refreshToken"), text("clientId"), text("clientSecret"))
        else {
            return None;
        };
        if text_of(cached, "registrationExpiresAt")
            .and_then(time)
            .is_some_and(|expiry| expiry <= now)
        {
            return None;
        }
        Some(RefreshRequest {
            refresh_token,
            client_id,
            client_secret,
            region: text("region").unwrap_or_else(|| sso.region.clone()),
        })
    }

    /// Asks SSO-OIDC for a new access token with the cached refresh token
    /// and client registration.
    async fn send(self, context: &ProviderContext, now: SystemTime) -> Result<Fresh, String> {
        let output = context
            .sso_oidc(&self.region)
            .map_err(|e| e.message().to_string())?
            .create_token()
            .client_id(self.client_id)
            .client_secret(self.client_secret)
            .grant_type("refresh_token")
            .refresh_token(self.refresh_token)
            .send()
            .await
            .map_err(|e| format!("SSO-OIDC CreateToken: {e}"))?;
        let access_token = output
            .access_token()
            .ok_or("SSO-OIDC CreateToken answered without an access token")?
            .to_string();
        let lifetime = output
            .expires_in()
            .and_then(|s| u64::try_from(s).ok())
            .ok_or("SSO-OIDC CreateToken answered without expiresIn")?;
        let expires = sdkgen_runtime::DateTime::from(now + Duration::from_secs(lifetime));
        Ok(Fresh {
            access_token,
            expires_at: sdkgen_runtime::timestamp::format_iso8601(&expires),
            refresh_token: output.refresh_token().map(str::to_string),
        })
    }
}

/// A refreshed token, to write into the cache.
struct Fresh {
    access_token: String,
    expires_at: String,
    refresh_token: Option<String>,
}

impl Fresh {
    /// Sets the new values in the cache's members; the rest is kept.
    fn apply(&self, cached: &mut Members) {
        let mut set = |key: &'static str, value: &str| {
            cached.retain(|(k, _)| k != key);
            cached.push((key.to_string(), Document::String(value.to_string())));
        };
        set("accessToken", &self.access_token);
        set("expiresAt", &self.expires_at);
        if let Some(refresh_token) = &self.refresh_token {
            set("refreshToken", refresh_token);
        }
    }
}

fn time(text: &str) -> Option<SystemTime> {
    let parsed = sdkgen_runtime::timestamp::parse(text).ok()?;
    SystemTime::try_from(parsed).ok()
}

/// The cache's members as a JSON object, in their order.
fn write_json(cached: &Members) -> Vec<u8> {
    let mut writer = JsonWriter::new();
    writer.begin_object();
    for (key, value) in cached {
        writer.key(key);
        writer.document(value);
    }
    writer.end_object();
    writer.finish()
}

/// Writes beside the file and renames over it: a reader sees the old file
/// or the new one, never half of one.
async fn write_atomically(path: PathBuf, bytes: Vec<u8>) -> std::io::Result<()> {
    blocking(Box::new(move || {
        let temp = path.with_extension(format!("json.{}.tmp", std::process::id()));
        std::fs::write(&temp, bytes)?;
        if let Err(e) = std::fs::rename(&temp, &path) {
            let _ = std::fs::remove_file(&temp);
            return Err(e);
        }
        Ok(Vec::new())
    }))
    .await
    .map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_files_are_named_by_the_sha1_of_the_key() {
        // sha1("my-sso-session") and sha1 of a start URL, as the AWS CLI names them.
        let home = Path::new("/home/u");
        let path = cache_path(home, "my-sso-session");
        assert_eq!(path.parent().unwrap(), Path::new("/home/u/.aws/sso/cache"));
        let name = path.file_name().unwrap().to_str().unwrap();
        assert_eq!(name.len(), 40 + 5);
        assert_eq!(
            cache_path(home, "abc").file_name().unwrap(),
            "a9993e364706816aba3e25717850c26c9cd0d89d.json"
        );
    }
}
