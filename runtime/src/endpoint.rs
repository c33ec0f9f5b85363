//! Where a request goes: the configured endpoint URL, or the service's
//! regional endpoint.

use crate::endpoint_rules::{AuthScheme, ResolvedEndpoint};
use crate::error::BuildError;

/// A resolved endpoint: scheme, `host[:port]` and a path prefix (no
/// trailing `/`) that request paths are appended to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub scheme: String,
    pub authority: String,
    pub base_path: String,
    /// How the endpoint rules say to sign there, if they say.
    pub auth: Option<AuthScheme>,
    /// Headers the endpoint rules add.
    pub headers: Vec<(String, String)>,
}

impl Endpoint {
    /// Parses an endpoint URL such as `https://example.com:8443/prefix`.
    pub fn parse(url: &str) -> Result<Endpoint, BuildError> {
        let invalid = |why: &str| {
            BuildError::config(format!("the endpoint URL {url:?} is not usable: {why}"))
        };
        let uri: http::Uri = url.trim().parse().map_err(|_| invalid("not a URL"))?;
        let scheme = match uri.scheme_str() {
            Some(s @ ("http" | "https")) => s.to_string(),
            Some(_) => return Err(invalid("the scheme must be http or https")),
            None => return Err(invalid("it has no scheme (http:// or https://)")),
        };
        let authority = uri.authority().ok_or_else(|| invalid("it has no host"))?;
        if authority.as_str().contains('@') {
            return Err(invalid(
                "user information in an endpoint URL is not supported",
            ));
        }
        if uri.query().is_some() {
            return Err(invalid("it has a query string"));
        }
        Ok(Endpoint {
            scheme,
            authority: authority.as_str().to_ascii_lowercase(),
            base_path: uri.path().trim_end_matches('/').to_string(),
            auth: None,
            headers: Vec::new(),
        })
    }

    /// What a rule set resolved: its URL, with its signing and headers.
    pub fn resolved(resolved: ResolvedEndpoint) -> Result<Endpoint, BuildError> {
        let mut endpoint = Endpoint::parse(&resolved.url)?;
        endpoint.auth = resolved.auth;
        endpoint.headers = resolved.headers;
        Ok(endpoint)
    }

    /// The regional endpoint `https://{prefix}.{region}.{dns suffix}`.
    ///
    /// The region becomes part of a host name, so it must be a valid host
    /// label: a region like `evil.example/` could otherwise send signed
    /// requests elsewhere.
    pub fn regional(endpoint_prefix: &str, region: &str) -> Result<Endpoint, BuildError> {
        let valid = !region.is_empty()
            && region.len() <= 63
            && region
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !region.starts_with('-')
            && !region.ends_with('-');
        if !valid {
            return Err(BuildError::config(format!(
                "{region:?} is not a valid region name"
            )));
        }
        let suffix = if region.starts_with("cn-") {
            "amazonaws.com.cn"
        } else {
            "amazonaws.com"
        };
        Ok(Endpoint {
            scheme: "https".into(),
            authority: format!("{endpoint_prefix}.{}.{suffix}", region.to_ascii_lowercase()),
            base_path: String::new(),
            auth: None,
            headers: Vec::new(),
        })
    }

    /// The endpoint with an operation's host prefix (`data.`) before its
    /// host. An IP address has no name to put a prefix on: it stays as it is.
    pub fn with_host_prefix(&self, prefix: &str) -> Endpoint {
        let host = self
            .authority
            .rsplit_once(':')
            .filter(|(_, port)| port.bytes().all(|b| b.is_ascii_digit()))
            .map_or(self.authority.as_str(), |(host, _)| host);
        let is_ip = host.starts_with('[') || host.parse::<std::net::Ipv4Addr>().is_ok();
        if is_ip {
            return self.clone();
        }
        Endpoint {
            authority: format!("{prefix}{}", self.authority),
            ..self.clone()
        }
    }

    /// The `Host` header value.
    pub fn host(&self) -> &str {
        &self.authority
    }

    /// The full URI of a request path (which starts with `/`).
    pub fn uri(&self, path_and_query: &str) -> String {
        format!(
            "{}://{}{}{}",
            self.scheme, self.authority, self.base_path, path_and_query
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_urls() {
        let e = Endpoint::parse("http://127.0.0.1:8080").unwrap();
        assert_eq!(e.uri("/a/%2E"), "http://127.0.0.1:8080/a/%2E");
        let e = Endpoint::parse("https://Example.com/prefix/").unwrap();
        assert_eq!(
            (e.host(), e.uri("/x")),
            ("example.com", "https://example.com/prefix/x".to_string())
        );
        for bad in [
            "",
            "example.com",
            "ftp://example.com",
            "https://",
            "https://a.com/?x=1",
            "https://user:pw@a.com",
        ] {
            assert!(Endpoint::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn regional_endpoints() {
        assert_eq!(
            Endpoint::regional("voice-chime", "us-east-1")
                .unwrap()
                .uri("/x"),
            "https://voice-chime.us-east-1.amazonaws.com/x"
        );
        assert_eq!(
            Endpoint::regional("voice-chime", "cn-north-1")
                .unwrap()
                .host(),
            "voice-chime.cn-north-1.amazonaws.com.cn"
        );
        for bad in [
            "",
            "evil.com/",
            "us-east-1.evil.com",
            "a b",
            "-x",
            "us-east-1#",
        ] {
            assert!(Endpoint::regional("voice-chime", bad).is_err(), "{bad:?}");
        }
    }
}
