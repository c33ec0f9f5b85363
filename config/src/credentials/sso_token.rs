//! The SSO access token that `aws sso login` leaves in
//! `~/.aws/sso/cache/<sha1 of the session name or start URL>.json`: read,
//! refreshed with SSO-OIDC `CreateToken` when it nears expiry (for an
//! `[sso-session]`, which keeps a refresh token), and written back in place
//! atomically so that the AWS CLI and other SDKs see the new token.

use super::context::ProviderContext;
use super::profile_chain::SsoProfile;
use super::CredentialsError;
use serde_json::{Map, Value};
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
pub(crate) async fn access_token(
    context: &ProviderContext,
    profile: &str,
    sso: &SsoProfile,
    now: SystemTime,
) -> Result<String, CredentialsError> {
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
    let path = cache_path(&home, key);
    let text = tokio::fs::read_to_string(&path).await.map_err(|e| {
        CredentialsError::new(format!(
            "profile {profile:?}: no SSO token in {} ({e}); run `{login}`",
            path.display()
        ))
    })?;
    let mut cached: Map<String, Value> = serde_json::from_str(&text).map_err(|e| {
        CredentialsError::new(format!(
            "profile {profile:?}: the SSO token cache {} is not valid JSON ({e}); run `{login}`",
            path.display()
        ))
    })?;
    let field = |cached: &Map<String, Value>, key: &str| {
        cached
            .get(key)
            .and_then(Value::as_str)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    };
    let token = field(&cached, "accessToken");
    let expires_at = field(&cached, "expiresAt").and_then(|t| time(&t));
    let (Some(token), Some(expires_at)) = (token, expires_at) else {
        return Err(CredentialsError::new(format!(
            "profile {profile:?}: the SSO token cache {} has no usable accessToken and expiresAt; run `{login}`",
            path.display()
        )));
    };
    if expires_at > now + REFRESH_WINDOW {
        return Ok(token);
    }
    if sso.session.is_some() {
        match refresh(context, sso, &mut cached, now).await {
            Ok(Some(fresh)) => {
                write_atomically(&path, &cached).await.map_err(|e| {
                    CredentialsError::with_source(
                        format!(
                            "profile {profile:?}: the SSO token was refreshed but {} could not be written",
                            path.display()
                        ),
                        e,
                    )
                })?;
                tracing::debug!(profile, "SSO token refreshed");
                return Ok(fresh);
            }
            Ok(None) => {}
            Err(e) if expires_at > now => {
                tracing::debug!(profile, error = %e, "SSO token refresh failed; the current token still works");
            }
            Err(e) => {
                return Err(CredentialsError::new(format!(
                    "profile {profile:?}: the SSO session has expired and refreshing it failed ({e}); run `{login}`"
                )))
            }
        }
    }
    if expires_at > now {
        return Ok(token);
    }
    Err(CredentialsError::new(format!(
        "profile {profile:?}: the SSO session has expired; run `{login}`"
    )))
}

/// Asks SSO-OIDC for a new access token with the cached refresh token and
/// client registration, and updates `cached`; `None` when the cache has no
/// refresh token or registration (or the registration has expired).
async fn refresh(
    context: &ProviderContext,
    sso: &SsoProfile,
    cached: &mut Map<String, Value>,
    now: SystemTime,
) -> Result<Option<String>, String> {
    let text = |key: &str| cached.get(key).and_then(Value::as_str).map(str::to_string);
    let (Some(refresh_token), Some(client_id), Some(client_secret)) =
        (text("refreshToken"), text("clientId"), text("clientSecret"))
    else {
        return Ok(None);
    };
    if text("registrationExpiresAt")
        .and_then(|t| time(&t))
        .is_some_and(|expiry| expiry <= now)
    {
        return Ok(None);
    }
    let region = text("region").unwrap_or_else(|| sso.region.clone());
    let output = context
        .sso_oidc(&region)
        .map_err(|e| e.message().to_string())?
        .create_token()
        .client_id(client_id)
        .client_secret(client_secret)
        .grant_type("refresh_token")
        .refresh_token(refresh_token)
        .send()
        .await
        .map_err(|e| format!("SSO-OIDC CreateToken: {e}"))?;
    let token = output
        .access_token()
        .ok_or("SSO-OIDC CreateToken answered without an access token")?
        .to_string();
    let lifetime = output
        .expires_in()
        .and_then(|s| u64::try_from(s).ok())
        .ok_or("SSO-OIDC CreateToken answered without expiresIn")?;
    let expires = sdkgen_runtime::DateTime::from(now + Duration::from_secs(lifetime));
    cached.insert("accessToken".into(), Value::from(token.clone()));
    cached.insert(
        "expiresAt".into(),
        Value::from(sdkgen_runtime::timestamp::format_iso8601(&expires)),
    );
    if let Some(new_refresh) = output.refresh_token() {
        cached.insert("refreshToken".into(), Value::from(new_refresh));
    }
    Ok(Some(token))
}

fn time(text: &str) -> Option<SystemTime> {
    let parsed = sdkgen_runtime::timestamp::parse(text).ok()?;
    SystemTime::try_from(parsed).ok()
}

/// Writes beside the file and renames over it: a reader sees the old file
/// or the new one, never half of one.
async fn write_atomically(path: &Path, cached: &Map<String, Value>) -> std::io::Result<()> {
    let text = serde_json::to_string_pretty(cached).map_err(std::io::Error::other)?;
    let temp = path.with_extension(format!("json.{}.tmp", std::process::id()));
    tokio::fs::write(&temp, text).await?;
    if let Err(e) = tokio::fs::rename(&temp, path).await {
        let _ = tokio::fs::remove_file(&temp).await;
        return Err(e);
    }
    Ok(())
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
