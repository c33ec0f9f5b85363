//! The SSO session `corp` of IAM Identity Center, as `aws sso login`
//! leaves it: the profile that names it, and its token cache.

use std::path::{Path, PathBuf};

/// `~/.aws/sso/cache` entry for the session `corp`, as `aws sso login`
/// writes it: named by the SHA-1 of the session name. Its refresh token is
/// `refresh-1` for the client `client-1`.
pub fn sso_cache(home: &Path, access_token: &str, expires_at: &str) -> PathBuf {
    use sha1::{Digest, Sha1};
    let dir = home.join(".aws/sso/cache");
    std::fs::create_dir_all(&dir).unwrap();
    let name: String = Sha1::digest(b"corp")
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let path = dir.join(format!("{name}.json"));
    std::fs::write(
        &path,
        format!(
            r#"{{"startUrl":"https://corp.awsapps.com/start","region":"eu-west-1","accessToken":"{access_token}","expiresAt":"{expires_at}","clientId":"client-1","clientSecret":"client-secret","registrationExpiresAt":"2999-01-01T00:00:00Z","refreshToken":"refresh-1"}}"#
        ),
    )
    .unwrap();
    path
}

/// A profile `dev` in the session `corp`, with an account and a role.
pub const SSO_CONFIG: &str = "[profile dev]\nregion = us-east-1\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Developer\n\
     [sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n";
