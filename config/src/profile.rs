//! The shared config files, `~/.aws/config` and `~/.aws/credentials`, parsed
//! as the AWS SDKs specify them.
//!
//! - `[default]` and `[profile NAME]` in the config file, `[NAME]` in the
//!   credentials file; `[profile default]` wins over `[default]`; other
//!   config sections (`[sso-session ..]`, `[services ..]`) are kept apart.
//! - Full-line comments start with `#` or `;`; in a value, ` #` or ` ;`
//!   (after whitespace) starts a comment.
//! - An empty value followed by indented `key = value` lines holds
//!   sub-properties; an indented line after a value continues it.
//! - Property names are case-insensitive; a later duplicate wins; the
//!   credentials file wins over the config file.
//! - Anything else is an error naming the file and the line.

use sdkgen_runtime::env::Env;
use std::fmt;
use std::path::{Path, PathBuf};

/// Values by name, sorted by name, each name once.
///
/// A sorted `Vec` rather than a `BTreeMap`: the files hold a few sections
/// of a few properties, and a B-tree's insertion and removal code is
/// compiled once per value type (three here), which made it the largest
/// part of the files' reader in a program's binary.
#[derive(Clone, PartialEq, Eq)]
pub struct Named<V>(Vec<(String, V)>);

impl<V> Default for Named<V> {
    fn default() -> Self {
        Named(Vec::new())
    }
}

impl<V> Named<V> {
    fn find(&self, name: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| k.as_str().cmp(name))
    }

    pub fn get(&self, name: &str) -> Option<&V> {
        self.find(name).ok().map(|i| &self.0[i].1)
    }

    pub fn get_mut(&mut self, name: &str) -> Option<&mut V> {
        self.find(name).ok().map(|i| &mut self.0[i].1)
    }

    /// Sets `name` to `value`, replacing what it had.
    pub fn insert(&mut self, name: String, value: V) {
        match self.find(&name) {
            Ok(i) => self.0[i].1 = value,
            Err(i) => self.0.insert(i, (name, value)),
        }
    }

    /// The value of `name`, made empty first if it has none.
    pub fn get_or_default(&mut self, name: &str) -> &mut V
    where
        V: Default,
    {
        let i = match self.find(name) {
            Ok(i) => i,
            Err(i) => {
                self.0.insert(i, (name.to_string(), V::default()));
                i
            }
        };
        &mut self.0[i].1
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Names and values, sorted by name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &V)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }
}

impl<V: fmt::Debug> fmt::Debug for Named<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// A property value, with its sub-properties if it has any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Property {
    pub value: String,
    pub sub: Named<String>,
}

/// The properties of one section.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Section {
    pub properties: Named<Property>,
}

/// Properties whose values are secrets, redacted by `Debug`.
const SECRET_PROPERTIES: [&str; 3] = [
    "aws_secret_access_key",
    "aws_session_token",
    "aws_security_token",
];

/// Every property, but the values of secret ones redacted.
impl fmt::Debug for Section {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (name, property) in self.properties.iter() {
            if SECRET_PROPERTIES.contains(&name) {
                map.entry(&name, &"** redacted **");
            } else {
                map.entry(&name, property);
            }
        }
        map.finish()
    }
}

impl Section {
    /// A property's value, by name (any case). Not inlined: the loader
    /// and the chain's rules call it some forty times.
    #[inline(never)]
    pub fn get(&self, name: &str) -> Option<&str> {
        self.properties
            .get(&name.to_ascii_lowercase())
            .map(|p| p.value.as_str())
    }

    pub fn sub_property(&self, name: &str, sub: &str) -> Option<&str> {
        self.properties
            .get(&name.to_ascii_lowercase())
            .and_then(|p| p.sub.get(&sub.to_ascii_lowercase()))
            .map(String::as_str)
    }
}

/// Both files, merged.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProfileSet {
    pub profiles: Named<Section>,
    /// `[services NAME]` sections of the config file.
    pub services: Named<Section>,
    /// `[sso-session NAME]` sections of the config file.
    pub sso_sessions: Named<Section>,
}

impl ProfileSet {
    pub fn profile(&self, name: &str) -> Option<&Section> {
        self.profiles.get(name)
    }
}

/// A file that cannot be read as a shared config file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileError {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for ProfileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.path.display(), self.message),
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

impl std::error::Error for ProfileError {}

/// Which file a text came from: section names follow different rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Config,
    Credentials,
}

/// Where the files are: `AWS_CONFIG_FILE` and `AWS_SHARED_CREDENTIALS_FILE`,
/// else `~/.aws/config` and `~/.aws/credentials` (`~` is `HOME`, or
/// `USERPROFILE` on Windows).
pub fn file_paths(env: &Env) -> (Option<PathBuf>, Option<PathBuf>) {
    let lookup = |name: &str| env.get(name);
    let home = home(env);
    let expand = |value: String| -> Option<PathBuf> {
        match value
            .strip_prefix("~/")
            .or_else(|| value.strip_prefix("~\\"))
        {
            Some(rest) => home.as_ref().map(|h| Path::new(h).join(rest)),
            None if value == "~" => home.as_ref().map(PathBuf::from),
            None => Some(PathBuf::from(value)),
        }
    };
    let config = lookup("AWS_CONFIG_FILE")
        .filter(|v| !v.is_empty())
        .and_then(expand)
        .or_else(|| {
            home.as_ref()
                .map(|h| Path::new(h).join(".aws").join("config"))
        });
    let credentials = lookup("AWS_SHARED_CREDENTIALS_FILE")
        .filter(|v| !v.is_empty())
        .and_then(expand)
        .or_else(|| {
            home.as_ref()
                .map(|h| Path::new(h).join(".aws").join("credentials"))
        });
    (config, credentials)
}

/// The home directory: `HOME`, or `USERPROFILE` on Windows.
pub fn home(env: &Env) -> Option<PathBuf> {
    env.get("HOME")
        .or_else(|| env.get("USERPROFILE"))
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
}

/// Reads and merges both files; a missing file is an empty one.
pub fn load(config: Option<&Path>, credentials: Option<&Path>) -> Result<ProfileSet, ProfileError> {
    let mut set = ProfileSet::default();
    for (path, kind) in [
        (config, FileKind::Config),
        (credentials, FileKind::Credentials),
    ] {
        let Some(path) = path else { continue };
        let text = match std::fs::read(path) {
            Ok(bytes) => String::from_utf8(bytes).map_err(|_| ProfileError {
                path: path.to_path_buf(),
                line: None,
                message: "not UTF-8 text".into(),
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => {
                return Err(ProfileError {
                    path: path.to_path_buf(),
                    line: None,
                    message: format!("cannot read: {e}"),
                })
            }
        };
        parse_into(&mut set, &text, kind, path)?;
    }
    Ok(set)
}

/// Where a section's properties go.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Target {
    Profile(String),
    Services(String),
    SsoSession(String),
    /// A section the SDKs ignore (such as `[name]` in the config file); its
    /// properties are read and dropped.
    Ignored,
}

/// Parses one file into `set`; later definitions win.
pub fn parse_into(
    set: &mut ProfileSet,
    text: &str,
    kind: FileKind,
    path: &Path,
) -> Result<(), ProfileError> {
    let error = |line: usize, message: String| ProfileError {
        path: path.to_path_buf(),
        line: Some(line),
        message,
    };
    // `[profile default]` wins over `[default]` in the config file.
    let explicit_default = kind == FileKind::Config
        && text.lines().any(|l| {
            let l = l.trim();
            l.starts_with('[')
                && section_name(l).is_some_and(|n| {
                    n.split_whitespace().collect::<Vec<_>>() == ["profile", "default"]
                })
        });
    let mut target: Option<Target> = None;
    let mut last_property: Option<String> = None;
    // Where the properties of an ignored section go, to be dropped.
    let mut ignored = Section::default();
    for (index, raw) in text.lines().enumerate() {
        let number = index + 1;
        let line = raw.trim_end_matches('\r');
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with(';') {
            continue;
        }
        if trimmed.starts_with('[') {
            let name = section_name(trimmed).ok_or_else(|| {
                error(
                    number,
                    format!("section header {trimmed:?} has no closing `]`"),
                )
            })?;
            target =
                Some(section_target(name, kind, explicit_default).map_err(|m| error(number, m))?);
            last_property = None;
            ignored = Section::default();
            continue;
        }
        let Some(current) = &target else {
            return Err(error(
                number,
                "a property before any [section] header".into(),
            ));
        };
        let section = match current {
            Target::Profile(name) => set.profiles.get_or_default(name),
            Target::Services(name) => set.services.get_or_default(name),
            Target::SsoSession(name) => set.sso_sessions.get_or_default(name),
            Target::Ignored => &mut ignored,
        };
        let indented = line.starts_with([' ', '\t']);
        if indented {
            let Some(property_name) = &last_property else {
                return Err(error(
                    number,
                    "an indented line that continues no property".into(),
                ));
            };
            let property = section
                .properties
                .get_mut(property_name)
                .expect("set when last_property was");
            if property.value.is_empty() {
                let (key, value) = trimmed
                    .split_once('=')
                    .ok_or_else(|| error(number, format!("sub-property {trimmed:?} has no `=`")))?;
                let key = key.trim().to_ascii_lowercase();
                if key.is_empty() {
                    return Err(error(number, "a sub-property with no name".into()));
                }
                property.sub.insert(key, value.trim().to_string());
            } else {
                property.value.push('\n');
                property.value.push_str(trimmed);
            }
            continue;
        }
        let (key, value) = trimmed.split_once('=').ok_or_else(|| {
            error(
                number,
                format!("expected `name = value`, found {trimmed:?}"),
            )
        })?;
        let key = key.trim().to_ascii_lowercase();
        if key.is_empty() {
            return Err(error(number, "a property with no name".into()));
        }
        section.properties.insert(
            key.clone(),
            Property {
                value: strip_comment(value).trim().to_string(),
                sub: Named::default(),
            },
        );
        last_property = Some(key);
    }
    Ok(())
}

/// The text between `[` and `]`; anything after `]` is a comment.
fn section_name(line: &str) -> Option<&str> {
    let inner = line.strip_prefix('[')?;
    let end = inner.find(']')?;
    let rest = inner[end + 1..].trim();
    if !rest.is_empty() && !rest.starts_with(['#', ';']) {
        return None;
    }
    Some(inner[..end].trim())
}

fn section_target(name: &str, kind: FileKind, explicit_default: bool) -> Result<Target, String> {
    if name.is_empty() {
        return Err("an empty section name".into());
    }
    let mut words = name.splitn(2, char::is_whitespace);
    let first = words.next().unwrap_or_default();
    let rest = words.next().map(str::trim).unwrap_or_default();
    Ok(match (kind, first, rest.is_empty()) {
        (FileKind::Credentials, _, _) => Target::Profile(name.to_string()),
        (FileKind::Config, "default", true) if explicit_default => Target::Ignored,
        (FileKind::Config, "default", true) => Target::Profile("default".into()),
        (FileKind::Config, "profile", false) => Target::Profile(rest.to_string()),
        (FileKind::Config, "services", false) => Target::Services(rest.to_string()),
        (FileKind::Config, "sso-session", false) => Target::SsoSession(rest.to_string()),
        // `[name]` without `profile` in the config file: the SDKs ignore it.
        (FileKind::Config, _, _) => Target::Ignored,
    })
}

/// Removes a ` #` or ` ;` comment from a value.
fn strip_comment(value: &str) -> &str {
    let bytes = value.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if (*b == b'#' || *b == b';') && i > 0 && bytes[i - 1].is_ascii_whitespace() {
            return &value[..i];
        }
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(config: &str, credentials: &str) -> Result<ProfileSet, ProfileError> {
        let mut set = ProfileSet::default();
        parse_into(&mut set, config, FileKind::Config, Path::new("config"))?;
        parse_into(
            &mut set,
            credentials,
            FileKind::Credentials,
            Path::new("credentials"),
        )?;
        Ok(set)
    }

    #[test]
    fn sections_and_names() {
        let set = parse(
            "[default]\nregion = us-east-1\n[profile dev]\nregion=eu-west-1\n[  profile   spaced  ]\nregion = x\n[plain]\nregion = ignored\n[services s]\nchime_sdk_voice =\n  endpoint_url = http://localhost:1\n",
            "[dev]\naws_access_key_id = AKID\n[profile odd]\nk = v\n",
        )
        .unwrap();
        assert_eq!(
            set.profile("default").unwrap().get("region"),
            Some("us-east-1")
        );
        assert_eq!(set.profile("dev").unwrap().get("REGION"), Some("eu-west-1"));
        assert_eq!(
            set.profile("dev").unwrap().get("aws_access_key_id"),
            Some("AKID")
        );
        assert_eq!(set.profile("spaced").unwrap().get("region"), Some("x"));
        assert!(
            set.profile("plain").is_none(),
            "[plain] in the config file is ignored"
        );
        let ignored = parse("[plain]\ns3 =\n  x = y\nk = v\n  more\n", "").unwrap();
        assert!(ignored.profiles.is_empty());
        assert!(
            set.profile("profile odd").is_some(),
            "credentials file names are literal"
        );
        assert_eq!(
            set.services
                .get("s")
                .unwrap()
                .sub_property("chime_sdk_voice", "endpoint_url"),
            Some("http://localhost:1")
        );
    }

    #[test]
    fn profile_default_wins_over_default() {
        let set = parse("[default]\nregion = a\n[profile default]\nregion = b\n", "").unwrap();
        assert_eq!(set.profile("default").unwrap().get("region"), Some("b"));
        let set = parse("[profile default]\nregion = b\n[default]\nregion = a\n", "").unwrap();
        assert_eq!(set.profile("default").unwrap().get("region"), Some("b"));
    }

    #[test]
    fn comments_whitespace_duplicates_and_continuations() {
        let set = parse(
            "# comment\n; comment\n[profile p] # trailing\nregion = us-west-2 # inline\nurl = http://a/b#c\nregion = us-west-1\nlong = first\n  second\ns3 =\n  max_concurrent_requests = 10\n  Addressing_Style=path\n\n",
            "",
        )
        .unwrap();
        let p = set.profile("p").unwrap();
        assert_eq!(p.get("region"), Some("us-west-1"), "a later duplicate wins");
        assert_eq!(
            p.get("url"),
            Some("http://a/b#c"),
            "`#` without whitespace before is kept"
        );
        assert_eq!(p.get("long"), Some("first\nsecond"));
        assert_eq!(p.sub_property("s3", "addressing_style"), Some("path"));
    }

    #[test]
    fn the_credentials_file_wins() {
        let set = parse(
            "[profile p]\naws_access_key_id = FROM_CONFIG\n",
            "[p]\naws_access_key_id = FROM_CREDENTIALS\n",
        )
        .unwrap();
        assert_eq!(
            set.profile("p").unwrap().get("aws_access_key_id"),
            Some("FROM_CREDENTIALS")
        );
    }

    #[test]
    fn malformed_files_name_the_file_and_line() {
        let cases = [
            ("region = x\n", 1, "a property before any [section] header"),
            ("[default\nregion = x\n", 1, "has no closing `]`"),
            ("[default]\nnot a property\n", 2, "expected `name = value`"),
            ("[default]\n  indented = x\n", 2, "continues no property"),
            ("[default]\n= value\n", 2, "no name"),
            ("[]\n", 1, "empty section name"),
            ("[default]\ns3 =\n  no equals\n", 3, "has no `=`"),
        ];
        for (text, line, message) in cases {
            let err = parse(text, "").unwrap_err();
            assert_eq!(err.line, Some(line), "{text:?}: {err}");
            assert!(
                err.to_string().starts_with(&format!("config:{line}: ")),
                "{err}"
            );
            assert!(err.message.contains(message), "{text:?}: {err}");
        }
    }

    #[test]
    fn file_locations() {
        let env =
            |vars: &'static [(&'static str, &'static str)]| Env::from_pairs(vars.iter().copied());
        let (config, credentials) = file_paths(&env(&[("HOME", "/home/u")]));
        assert_eq!(config.unwrap(), Path::new("/home/u/.aws/config"));
        assert_eq!(credentials.unwrap(), Path::new("/home/u/.aws/credentials"));
        let (config, credentials) = file_paths(&env(&[
            ("HOME", "/home/u"),
            ("AWS_CONFIG_FILE", "~/cfg"),
            ("AWS_SHARED_CREDENTIALS_FILE", "/etc/creds"),
        ]));
        assert_eq!(config.unwrap(), Path::new("/home/u/cfg"));
        assert_eq!(credentials.unwrap(), Path::new("/etc/creds"));
        assert_eq!(file_paths(&env(&[])), (None, None));
    }

    #[test]
    fn missing_files_are_empty() {
        let set = load(Some(Path::new("/nonexistent/config")), None).unwrap();
        assert!(set.profiles.is_empty());
    }

    #[test]
    fn debug_redacts_secret_values() {
        let set = parse(
            "",
            "[dev]\naws_access_key_id = AKID\naws_secret_access_key = SECRET-1\naws_session_token = TOKEN-2\naws_security_token = TOKEN-3\n",
        )
        .unwrap();
        let text = format!("{set:?}");
        assert!(text.contains("AKID"), "{text}");
        for secret in ["SECRET-1", "TOKEN-2", "TOKEN-3"] {
            assert!(!text.contains(secret), "{text}");
        }
    }
}
