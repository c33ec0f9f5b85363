//! A profile's credentials, worked out from the shared config files before
//! anything is called: a leaf (keys, a process, a named source, web
//! identity or SSO) and the roles assumed from it in turn, each with the
//! credentials of the step before.
//!
//! The rules are the AWS SDKs': `role_arn` in the selected profile wins over
//! its own keys; a profile reached as a `source_profile` that has keys uses
//! them, even with a `role_arn` of its own; a profile may name itself as its
//! source (its keys assume its role); any other repeated profile is a cycle.

use super::Credentials;
use super::CredentialsError;
use crate::profile::{ProfileSet, Section};
use std::path::PathBuf;

/// What the profile's credentials are made of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ProfileChain {
    pub leaf: Leaf,
    /// Applied in order: the first assumes its role with the leaf's
    /// credentials, the next with the first's, and so on.
    pub roles: Vec<RoleHop>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Leaf {
    AccessKey {
        profile: String,
        credentials: Credentials,
    },
    Process {
        profile: String,
        command: String,
    },
    /// `credential_source`.
    Named {
        profile: String,
        source: NamedSource,
    },
    WebIdentity {
        profile: String,
        role: WebIdentityRole,
    },
    Sso {
        profile: String,
        sso: SsoProfile,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NamedSource {
    Environment,
    Ec2InstanceMetadata,
    EcsContainer,
}

/// A role assumed with STS `AssumeRole`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RoleHop {
    pub profile: String,
    pub role_arn: String,
    pub external_id: Option<String>,
    pub session_name: Option<String>,
    pub duration_seconds: Option<i32>,
    pub mfa_serial: Option<String>,
}

/// A role assumed with STS `AssumeRoleWithWebIdentity` and a token file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct WebIdentityRole {
    pub role_arn: String,
    pub token_file: PathBuf,
    pub session_name: Option<String>,
}

/// Role credentials from IAM Identity Center.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SsoProfile {
    pub account_id: String,
    pub role_name: String,
    pub start_url: String,
    pub region: String,
    /// The `[sso-session]` the token belongs to; `None` for a legacy
    /// profile (`sso_start_url` in the profile itself), whose token cannot
    /// be refreshed.
    pub session: Option<String>,
}

/// The chain of `selected`, or `None` when it has nothing to do with
/// credentials (the next source of the default chain is tried). A profile
/// that is configured for credentials but wrongly is an error naming it.
pub(crate) fn resolve(
    profiles: &ProfileSet,
    selected: &str,
) -> Result<Option<ProfileChain>, CredentialsError> {
    let mut roles = Vec::new();
    let mut visited = vec![selected.to_string()];
    let mut name = selected.to_string();
    let leaf = loop {
        let profile = profiles.profile(&name).ok_or_else(|| {
            CredentialsError::new(format!(
                "profile {name:?} is not in the shared config files"
            ))
        })?;
        let is_source = name != selected;
        if is_source && profile.get("aws_access_key_id").is_some() {
            break access_key(&name, profile)?;
        }
        if let Some(role_arn) = value(profile, "role_arn") {
            if let Some(token_file) = value(profile, "web_identity_token_file") {
                break Leaf::WebIdentity {
                    profile: name.clone(),
                    role: WebIdentityRole {
                        role_arn,
                        token_file: PathBuf::from(token_file),
                        session_name: value(profile, "role_session_name"),
                    },
                };
            }
            roles.push(role_hop(&name, role_arn, profile)?);
            match (
                value(profile, "source_profile"),
                value(profile, "credential_source"),
            ) {
                (Some(_), Some(_)) => {
                    return Err(CredentialsError::new(format!(
                        "profile {name:?} has both source_profile and credential_source; a role needs exactly one"
                    )))
                }
                (None, None) => {
                    return Err(CredentialsError::new(format!(
                        "profile {name:?} has role_arn but neither source_profile nor credential_source to assume it with"
                    )))
                }
                (None, Some(source)) => {
                    break Leaf::Named {
                        profile: name.clone(),
                        source: named_source(&name, &source)?,
                    }
                }
                (Some(source), None) if source == name => {
                    // Its own keys assume its own role.
                    if profile.get("aws_access_key_id").is_none() {
                        return Err(CredentialsError::new(format!(
                            "profile {name:?} is its own source_profile but has no aws_access_key_id"
                        )));
                    }
                    break access_key(&name, profile)?;
                }
                (Some(source), None) => {
                    if visited.contains(&source) {
                        visited.push(source);
                        return Err(CredentialsError::new(format!(
                            "the source_profile chain {} is a cycle",
                            visited.join(" -> ")
                        )));
                    }
                    if profiles.profile(&source).is_none() {
                        return Err(CredentialsError::new(format!(
                            "profile {name:?} names source_profile {source:?}, which is not in the shared config files"
                        )));
                    }
                    visited.push(source.clone());
                    name = source;
                    continue;
                }
            }
        }
        if value(profile, "web_identity_token_file").is_some() {
            return Err(CredentialsError::new(format!(
                "profile {name:?} has web_identity_token_file but no role_arn to assume with it"
            )));
        }
        if [
            "sso_session",
            "sso_start_url",
            "sso_account_id",
            "sso_role_name",
        ]
        .iter()
        .any(|key| profile.get(key).is_some())
        {
            break Leaf::Sso {
                profile: name.clone(),
                sso: sso_profile(profiles, &name, profile)?,
            };
        }
        if profile.get("aws_access_key_id").is_some()
            || profile.get("aws_secret_access_key").is_some()
        {
            break access_key(&name, profile)?;
        }
        if let Some(command) = value(profile, "credential_process") {
            break Leaf::Process {
                profile: name.clone(),
                command,
            };
        }
        if is_source {
            return Err(CredentialsError::new(format!(
                "profile {name:?} is a source_profile ({}) but has no credentials",
                visited.join(" -> ")
            )));
        }
        return Ok(None);
    };
    roles.reverse();
    Ok(Some(ProfileChain { leaf, roles }))
}

/// A property's trimmed value; empty counts as unset. Not inlined: the
/// chain's rules ask for some twenty properties.
#[inline(never)]
fn value(profile: &Section, key: &str) -> Option<String> {
    profile
        .get(key)
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
}

fn access_key(name: &str, profile: &Section) -> Result<Leaf, CredentialsError> {
    match (
        value(profile, "aws_access_key_id"),
        value(profile, "aws_secret_access_key"),
    ) {
        (Some(id), Some(secret)) => {
            let credentials =
                Credentials::new(id, secret, value(profile, "aws_session_token"), None);
            Ok(Leaf::AccessKey {
                profile: name.to_string(),
                credentials: match value(profile, "aws_account_id") {
                    Some(account) => credentials.with_account_id(account),
                    None => credentials,
                },
            })
        }
        (Some(_), None) => Err(CredentialsError::new(format!(
            "profile {name:?} has aws_access_key_id but no aws_secret_access_key"
        ))),
        (None, _) => Err(CredentialsError::new(format!(
            "profile {name:?} has aws_secret_access_key but no aws_access_key_id"
        ))),
    }
}

fn role_hop(name: &str, role_arn: String, profile: &Section) -> Result<RoleHop, CredentialsError> {
    let duration_seconds = match value(profile, "duration_seconds") {
        Some(text) => Some(text.parse::<i32>().ok().filter(|s| *s > 0).ok_or_else(|| {
            CredentialsError::new(format!(
                "profile {name:?}: duration_seconds must be a whole number of seconds, not {text:?}"
            ))
        })?),
        None => None,
    };
    Ok(RoleHop {
        profile: name.to_string(),
        role_arn,
        external_id: value(profile, "external_id"),
        session_name: value(profile, "role_session_name"),
        duration_seconds,
        mfa_serial: value(profile, "mfa_serial"),
    })
}

fn named_source(name: &str, source: &str) -> Result<NamedSource, CredentialsError> {
    match source {
        "Environment" => Ok(NamedSource::Environment),
        "Ec2InstanceMetadata" => Ok(NamedSource::Ec2InstanceMetadata),
        "EcsContainer" => Ok(NamedSource::EcsContainer),
        other => Err(CredentialsError::new(format!(
            "profile {name:?} has credential_source {other:?}; it can be Environment, Ec2InstanceMetadata or EcsContainer"
        ))),
    }
}

/// The SSO session `name`'s profile names for a bearer token (its
/// `sso_session`), with no account or role: `None` when it names none.
pub(crate) fn sso_token_session(
    profiles: &ProfileSet,
    name: &str,
) -> Option<Result<SsoProfile, CredentialsError>> {
    let profile = profiles.profile(name)?;
    let session_name = value(profile, "sso_session")?;
    Some((|| {
        let session = sso_session(profiles, name, &session_name)?;
        let setting = |key: &str| {
            value(session, key).ok_or_else(|| {
                CredentialsError::new(format!("[sso-session {session_name}] has no {key}"))
            })
        };
        Ok(SsoProfile {
            account_id: String::new(),
            role_name: String::new(),
            start_url: setting("sso_start_url")?,
            region: setting("sso_region")?,
            session: Some(session_name.clone()),
        })
    })())
}

/// The `[sso-session NAME]` section profile `name` names.
fn sso_session<'a>(
    profiles: &'a ProfileSet,
    name: &str,
    session_name: &str,
) -> Result<&'a Section, CredentialsError> {
    profiles.sso_sessions.get(session_name).ok_or_else(|| {
        CredentialsError::new(format!(
            "profile {name:?} names sso_session {session_name:?}, which has no [sso-session {session_name}] section"
        ))
    })
}

fn sso_profile(
    profiles: &ProfileSet,
    name: &str,
    profile: &Section,
) -> Result<SsoProfile, CredentialsError> {
    let missing = |key: &str| {
        CredentialsError::new(format!(
            "profile {name:?} is set up for SSO but has no {key}"
        ))
    };
    let (start_url, region, session) = match value(profile, "sso_session") {
        Some(session_name) => {
            let session = sso_session(profiles, name, &session_name)?;
            let from_session = |key: &str| {
                let in_session = value(session, key).ok_or_else(|| {
                    CredentialsError::new(format!("[sso-session {session_name}] has no {key}"))
                })?;
                match value(profile, key) {
                    Some(in_profile) if in_profile != in_session => Err(CredentialsError::new(
                        format!(
                            "profile {name:?} sets {key} to {in_profile:?}, but its sso_session {session_name:?} says {in_session:?}"
                        ),
                    )),
                    _ => Ok(in_session),
                }
            };
            (
                from_session("sso_start_url")?,
                from_session("sso_region")?,
                Some(session_name),
            )
        }
        None => (
            value(profile, "sso_start_url").ok_or_else(|| missing("sso_start_url"))?,
            value(profile, "sso_region").ok_or_else(|| missing("sso_region"))?,
            None,
        ),
    };
    Ok(SsoProfile {
        account_id: value(profile, "sso_account_id").ok_or_else(|| missing("sso_account_id"))?,
        role_name: value(profile, "sso_role_name").ok_or_else(|| missing("sso_role_name"))?,
        start_url,
        region,
        session,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::{parse_into, FileKind};
    use std::path::Path;

    fn profiles(config: &str) -> ProfileSet {
        let mut set = ProfileSet::default();
        parse_into(&mut set, config, FileKind::Config, Path::new("config")).unwrap();
        set
    }

    fn chain(config: &str, selected: &str) -> Result<Option<ProfileChain>, String> {
        resolve(&profiles(config), selected).map_err(|e| e.message().to_string())
    }

    fn keys(profile: &str, id: &str, secret: &str) -> Leaf {
        Leaf::AccessKey {
            profile: profile.into(),
            credentials: Credentials::new(id, secret, None, None),
        }
    }

    fn arns(chain: &ProfileChain) -> Vec<&str> {
        chain.roles.iter().map(|r| r.role_arn.as_str()).collect()
    }

    #[test]
    fn a_role_from_a_source_profile_with_keys() {
        let c = chain(
            "[profile a]\nrole_arn = arn:a\nsource_profile = b\nexternal_id = ext\nrole_session_name = s\nduration_seconds = 1800\n\
             [profile b]\naws_access_key_id = AK\naws_secret_access_key = SK\n",
            "a",
        )
        .unwrap()
        .unwrap();
        assert_eq!(c.leaf, keys("b", "AK", "SK"));
        assert_eq!(
            c.roles,
            [RoleHop {
                profile: "a".into(),
                role_arn: "arn:a".into(),
                external_id: Some("ext".into()),
                session_name: Some("s".into()),
                duration_seconds: Some(1800),
                mfa_serial: None,
            }]
        );
    }

    #[test]
    fn keys_carry_the_account_the_profile_names() {
        let c = chain(
            "[profile a]\naws_access_key_id = AK\naws_secret_access_key = SK\naws_account_id = 111122223333\n",
            "a",
        )
        .unwrap()
        .unwrap();
        let Leaf::AccessKey { credentials, .. } = &c.leaf else {
            panic!("{:?}", c.leaf);
        };
        assert_eq!(credentials.account_id(), Some("111122223333"));
    }

    #[test]
    fn chains_apply_from_the_leaf_up() {
        let c = chain(
            "[profile a]\nrole_arn = arn:a\nsource_profile = b\n\
             [profile b]\nrole_arn = arn:b\nsource_profile = c\n\
             [profile c]\naws_access_key_id = AK\naws_secret_access_key = SK\n",
            "a",
        )
        .unwrap()
        .unwrap();
        assert_eq!(c.leaf, keys("c", "AK", "SK"));
        assert_eq!(arns(&c), ["arn:b", "arn:a"]);
    }

    #[test]
    fn keys_of_the_selected_profile_lose_to_its_role_and_a_source_profiles_keys_win() {
        let c = chain(
            "[profile a]\nrole_arn = arn:a\nsource_profile = b\naws_access_key_id = no\naws_secret_access_key = no\n\
             [profile b]\nrole_arn = arn:b\nsource_profile = c\naws_access_key_id = BK\naws_secret_access_key = BS\n\
             [profile c]\naws_access_key_id = no\naws_secret_access_key = no\n",
            "a",
        )
        .unwrap()
        .unwrap();
        assert_eq!(c.leaf, keys("b", "BK", "BS"));
        assert_eq!(arns(&c), ["arn:a"]);
    }

    #[test]
    fn a_profile_may_be_its_own_source() {
        let c = chain(
            "[profile a]\nrole_arn = arn:a\nsource_profile = a\naws_access_key_id = AK\naws_secret_access_key = SK\n",
            "a",
        )
        .unwrap()
        .unwrap();
        assert_eq!(c.leaf, keys("a", "AK", "SK"));
        assert_eq!(arns(&c), ["arn:a"]);
    }

    #[test]
    fn cycles_are_errors_naming_the_profiles() {
        let err = chain(
            "[profile a]\nrole_arn = arn:a\nsource_profile = b\naws_access_key_id = no\naws_secret_access_key = no\n\
             [profile b]\nrole_arn = arn:b\nsource_profile = c\n\
             [profile c]\nrole_arn = arn:c\nsource_profile = a\n",
            "a",
        )
        .unwrap_err();
        assert_eq!(err, "the source_profile chain a -> b -> c -> a is a cycle");
    }

    #[test]
    fn credential_sources() {
        for (name, source) in [
            ("Environment", NamedSource::Environment),
            ("Ec2InstanceMetadata", NamedSource::Ec2InstanceMetadata),
            ("EcsContainer", NamedSource::EcsContainer),
        ] {
            let c = chain(
                &format!("[profile a]\nrole_arn = arn:a\ncredential_source = {name}\n"),
                "a",
            )
            .unwrap()
            .unwrap();
            assert_eq!(
                c.leaf,
                Leaf::Named {
                    profile: "a".into(),
                    source
                }
            );
        }
        let err = chain(
            "[profile a]\nrole_arn = arn:a\ncredential_source = Moon\n",
            "a",
        );
        assert!(err.unwrap_err().contains("\"Moon\""));
    }

    #[test]
    fn web_identity_as_leaf_and_as_source() {
        let c = chain(
            "[profile a]\nrole_arn = arn:a\nsource_profile = b\n\
             [profile b]\nrole_arn = arn:b\nweb_identity_token_file = /t.jwt\nrole_session_name = s\n",
            "a",
        )
        .unwrap()
        .unwrap();
        assert_eq!(
            c.leaf,
            Leaf::WebIdentity {
                profile: "b".into(),
                role: WebIdentityRole {
                    role_arn: "arn:b".into(),
                    token_file: "/t.jwt".into(),
                    session_name: Some("s".into()),
                }
            }
        );
        assert_eq!(arns(&c), ["arn:a"]);
        let err = chain("[profile a]\nweb_identity_token_file = /t.jwt\n", "a").unwrap_err();
        assert!(err.contains("no role_arn"), "{err}");
    }

    #[test]
    fn sso_sessions_and_legacy_profiles() {
        let c = chain(
            "[profile a]\nsso_session = corp\nsso_account_id = 111\nsso_role_name = Dev\n\
             [sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n",
            "a",
        )
        .unwrap()
        .unwrap();
        assert_eq!(
            c.leaf,
            Leaf::Sso {
                profile: "a".into(),
                sso: SsoProfile {
                    account_id: "111".into(),
                    role_name: "Dev".into(),
                    start_url: "https://corp.awsapps.com/start".into(),
                    region: "eu-west-1".into(),
                    session: Some("corp".into()),
                }
            }
        );
        let c = chain(
            "[profile a]\nsso_start_url = https://x\nsso_region = us-east-1\nsso_account_id = 1\nsso_role_name = R\n",
            "a",
        )
        .unwrap()
        .unwrap();
        assert!(matches!(
            c.leaf,
            Leaf::Sso {
                sso: SsoProfile { session: None, .. },
                ..
            }
        ));
        for (config, message) in [
            ("[profile a]\nsso_session = nope\nsso_account_id = 1\nsso_role_name = R\n", "no [sso-session nope] section"),
            ("[profile a]\nsso_start_url = https://x\nsso_region = r\nsso_role_name = R\n", "no sso_account_id"),
            (
                "[profile a]\nsso_session = s\nsso_region = us-west-2\nsso_account_id = 1\nsso_role_name = R\n[sso-session s]\nsso_start_url = https://x\nsso_region = eu-west-1\n",
                "sets sso_region to \"us-west-2\"",
            ),
        ] {
            let err = chain(config, "a").unwrap_err();
            assert!(err.contains(message), "{err}");
        }
    }

    #[test]
    fn misconfigured_roles_are_errors_and_empty_profiles_are_not() {
        for (config, message) in [
            ("[profile a]\nrole_arn = arn:a\n", "neither source_profile nor credential_source"),
            (
                "[profile a]\nrole_arn = arn:a\nsource_profile = b\ncredential_source = Environment\n[profile b]\n",
                "both source_profile and credential_source",
            ),
            ("[profile a]\nrole_arn = arn:a\nsource_profile = b\n", "which is not in the shared config files"),
            ("[profile a]\nrole_arn = arn:a\nsource_profile = b\n[profile b]\nregion = x\n", "has no credentials"),
            (
                "[profile a]\nrole_arn = arn:a\nsource_profile = b\n[profile b]\naws_access_key_id = x\n",
                "no aws_secret_access_key",
            ),
            ("[profile a]\nrole_arn = arn:a\nsource_profile = a\n", "its own source_profile"),
            ("[profile a]\nrole_arn = arn:a\ncredential_source = Environment\nduration_seconds = soon\n", "duration_seconds"),
        ] {
            let err = chain(config, "a").unwrap_err();
            assert!(err.contains(message), "{config}: {err}");
        }
        assert_eq!(chain("[profile a]\nregion = eu-west-1\n", "a"), Ok(None));
        let c = chain("[profile a]\ncredential_process = /bin/creds\n", "a")
            .unwrap()
            .unwrap();
        assert_eq!(
            c.leaf,
            Leaf::Process {
                profile: "a".into(),
                command: "/bin/creds".into()
            }
        );
    }
}
