//! Command-line arguments, parsed by hand so that a value is taken exactly
//! as given: a label may start with `-`, be `--`, or hold spaces, newlines
//! or any Unicode.

pub const USAGE: &str = "usage: get-proxy-session --voice-connector-id ID --proxy-session-id ID
                         [--region REGION] [--endpoint-url URL] [--profile NAME] [--debug]";

/// The parsed arguments.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Args {
    pub voice_connector_id: String,
    pub proxy_session_id: String,
    pub region: Option<String>,
    pub endpoint_url: Option<String>,
    pub profile: Option<String>,
    pub debug: bool,
    pub help: bool,
}

/// Options that take a value.
const VALUED: &[&str] = &[
    "--voice-connector-id",
    "--proxy-session-id",
    "--region",
    "--endpoint-url",
    "--profile",
];

/// Parses the arguments after the program name; the error says what is
/// wrong, for a usage message.
pub fn parse(args: &[String]) -> Result<Args, String> {
    let mut values: Vec<(&str, String)> = Vec::new();
    let mut parsed = Args::default();
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        i += 1;
        match arg.as_str() {
            "--debug" => parsed.debug = true,
            "--help" | "-h" | "help" => parsed.help = true,
            _ => {
                let (name, inline) = match arg.split_once('=') {
                    Some((name, value)) if name.starts_with("--") => {
                        (name, Some(value.to_string()))
                    }
                    _ => (arg.as_str(), None),
                };
                let Some(&name) = VALUED.iter().find(|v| **v == name) else {
                    return Err(format!("unknown argument {arg:?}"));
                };
                let value = match inline {
                    Some(value) => value,
                    None => {
                        let value = args
                            .get(i)
                            .ok_or_else(|| format!("argument {name}: expected one argument"))?;
                        i += 1;
                        value.clone()
                    }
                };
                if values.iter().any(|(n, _)| *n == name) {
                    return Err(format!("argument {name}: given more than once"));
                }
                values.push((name, value));
            }
        }
    }
    if parsed.help {
        return Ok(parsed);
    }
    let mut take = |name: &str| {
        values
            .iter()
            .position(|(n, _)| *n == name)
            .map(|i| values.remove(i).1)
    };
    let connector = take("--voice-connector-id");
    let session = take("--proxy-session-id");
    parsed.region = take("--region");
    parsed.endpoint_url = take("--endpoint-url");
    parsed.profile = take("--profile");
    let missing: Vec<&str> = [
        ("--voice-connector-id", &connector),
        ("--proxy-session-id", &session),
    ]
    .iter()
    .filter(|(_, v)| v.is_none())
    .map(|(n, _)| *n)
    .collect();
    if !missing.is_empty() {
        return Err(format!(
            "the following arguments are required: {}",
            missing.join(", ")
        ));
    }
    parsed.voice_connector_id = connector.unwrap_or_default();
    parsed.proxy_session_id = session.unwrap_or_default();
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_strs(args: &[&str]) -> Result<Args, String> {
        parse(&args.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn both_option_forms() {
        let args = parse_strs(&[
            "--voice-connector-id",
            "vc",
            "--proxy-session-id=ps",
            "--region=eu-west-1",
            "--debug",
        ])
        .unwrap();
        assert_eq!(args.voice_connector_id, "vc");
        assert_eq!(args.proxy_session_id, "ps");
        assert_eq!(args.region.as_deref(), Some("eu-west-1"));
        assert!(args.debug);
    }

    #[test]
    fn values_are_taken_verbatim() {
        for value in [
            "-x",
            "--",
            "--region",
            "a b",
            "line\nbreak",
            "日本",
            "a=b",
            "",
        ] {
            let args =
                parse_strs(&["--voice-connector-id", value, "--proxy-session-id", value]).unwrap();
            assert_eq!(args.voice_connector_id, value);
            assert_eq!(args.proxy_session_id, value);
        }
        let args = parse_strs(&["--voice-connector-id=--x=y", "--proxy-session-id=-"]).unwrap();
        assert_eq!(
            (
                args.voice_connector_id.as_str(),
                args.proxy_session_id.as_str()
            ),
            ("--x=y", "-")
        );
    }

    #[test]
    fn usage_errors() {
        assert_eq!(
            parse_strs(&["--proxy-session-id", "p"]).unwrap_err(),
            "the following arguments are required: --voice-connector-id"
        );
        assert_eq!(
            parse_strs(&["--voice-connector-id"]).unwrap_err(),
            "argument --voice-connector-id: expected one argument"
        );
        assert_eq!(
            parse_strs(&["--bogus", "x"]).unwrap_err(),
            "unknown argument \"--bogus\""
        );
        assert!(parse_strs(&[
            "--region",
            "a",
            "--region",
            "b",
            "--voice-connector-id",
            "v",
            "--proxy-session-id",
            "p"
        ])
        .is_err());
        assert!(parse_strs(&["stray"]).is_err());
    }
}
