//! The functions of the endpoint rules language, written once here; each
//! service's rule set is compiled into Rust by the generator and calls them.

mod template;

pub use template::{AuthTemplate, EndpointTemplate, Pieces, PropertyTemplate};

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use std::borrow::Cow;
use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

/// What the client configuration gives the rules (their `builtIn`s).
#[derive(Debug, Clone, Copy, Default)]
pub struct BuiltIns<'a> {
    /// `AWS::Region`
    pub region: Option<&'a str>,
    /// `AWS::UseFIPS`
    pub use_fips: bool,
    /// `AWS::UseDualStack`
    pub use_dual_stack: bool,
    /// `SDK::Endpoint`
    pub endpoint: Option<&'a str>,
    /// The other built-ins the configuration sets, by the name rule sets
    /// give them (`AWS::S3::ForcePathStyle`), and the client context
    /// parameters no built-in binds, by their own names
    /// (`DisableS3ExpressSessionAuth`). Most belong to one or two
    /// services, so they are a list rather than fields: a rule set takes
    /// those its parameters name, and a parameter the configuration leaves
    /// unset keeps the rule set's default.
    pub other: &'a [(&'static str, EndpointParam)],
}

impl<'a> BuiltIns<'a> {
    /// The value of a built-in from [`other`](Self::other), if the
    /// configuration sets it.
    pub fn get(&self, name: &str) -> Option<&'a EndpointParam> {
        self.other.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }
}

/// A parameter an operation gives the rules: a `staticContextParams` value,
/// or an input member bound with `contextParam`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EndpointParam {
    String(String),
    Bool(bool),
    /// A `stringArray` parameter (DynamoDB's `ResourceArnList`).
    StringArray(Vec<String>),
}

/// Where a rule set sends a request, and how to sign it there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedEndpoint {
    pub url: String,
    /// The authentication scheme to sign with, if the rules list any
    /// (`authSchemes`): the first the client supports, else the first
    /// listed, which the client then refuses by name. It may rename the
    /// signing service or region.
    pub auth: Option<AuthScheme>,
    /// Every scheme the rules list, in their order of preference.
    pub auth_schemes: Vec<AuthScheme>,
    /// Headers the rules add to every request.
    pub headers: Vec<(String, String)>,
    /// The endpoint's other properties, by name, in the rule set's order
    /// (`backend`, `metricValues`): kept as the rules give them, for what
    /// reads them (a user's own code, the endpoint tests).
    pub properties: Vec<(String, Property)>,
}

/// The value of an endpoint property other than `authSchemes`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Property {
    String(String),
    Bool(bool),
    List(Vec<Property>),
    /// An object's entries, in the rule set's order.
    Map(Vec<(String, Property)>),
}

/// The `authSchemes` the client signs with, the first of an endpoint's
/// that is here. S3 on Outposts lists `sigv4a` before `sigv4`: without the
/// `sigv4a` feature the client takes `sigv4`, as botocore without its CRT.
#[cfg(feature = "sigv4a")]
pub const SUPPORTED_AUTH_SCHEMES: &[&str] = &["sigv4", "sigv4a"];
/// The `authSchemes` the client signs with, the first of an endpoint's
/// that is here. S3 on Outposts lists `sigv4a` before `sigv4`: without the
/// `sigv4a` feature the client takes `sigv4`, as botocore without its CRT.
#[cfg(not(feature = "sigv4a"))]
pub const SUPPORTED_AUTH_SCHEMES: &[&str] = &["sigv4"];

impl ResolvedEndpoint {
    /// An endpoint with the rules' authentication schemes, in their order,
    /// and headers.
    pub fn new(url: String, auth_schemes: Vec<AuthScheme>, headers: Vec<(String, String)>) -> Self {
        let auth = auth_schemes
            .iter()
            .find(|s| SUPPORTED_AUTH_SCHEMES.contains(&s.name.as_str()))
            .or(auth_schemes.first())
            .cloned();
        ResolvedEndpoint {
            url,
            auth,
            auth_schemes,
            headers,
            properties: Vec::new(),
        }
    }

    /// The endpoint with the rules' other properties.
    pub fn with_properties(mut self, properties: Vec<(String, Property)>) -> Self {
        self.properties = properties;
        self
    }
}

/// An `authSchemes` entry of an endpoint's properties.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthScheme {
    /// `sigv4`, `sigv4a`, ...
    pub name: String,
    pub signing_name: Option<String>,
    pub signing_region: Option<String>,
    /// The regions a `sigv4a` signature is valid in (`signingRegionSet`).
    pub signing_region_set: Vec<String>,
    /// `disableDoubleEncoding`: the path is signed as it is sent, not
    /// percent-encoded a second time (S3's rule sets say so).
    pub disable_double_encoding: bool,
}

/// A rule set's `error` rule, or no rule matching.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolveError {
    message: String,
}

impl ResolveError {
    pub fn new(message: impl Into<String>) -> Self {
        ResolveError {
            message: message.into(),
        }
    }

    /// A tree rule whose conditions matched but none of whose rules did.
    pub fn no_rule_matched() -> Self {
        ResolveError::new("no endpoint rule matched the parameters")
    }

    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ResolveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ResolveError {}

/// The `outputs` of a partition: what `aws.partition` returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Partition {
    pub name: &'static str,
    pub dns_suffix: &'static str,
    pub dual_stack_dns_suffix: &'static str,
    pub supports_fips: bool,
    pub supports_dual_stack: bool,
    pub implicit_global_region: &'static str,
}

/// One partition of `partitions.json`, as generated code declares it.
#[derive(Debug)]
pub struct PartitionSpec {
    pub id: &'static str,
    /// The partition's `regionRegex`, which is always `^` prefix
    /// `\-\w+\-\d+$`, as the prefixes it allows (the generator checks
    /// the shape): no regex engine in the binary for a handful of prefixes.
    pub region_prefixes: &'static [&'static str],
    pub regions: &'static [&'static str],
    pub outputs: Partition,
}

impl PartitionSpec {
    pub const fn new(
        id: &'static str,
        region_prefixes: &'static [&'static str],
        regions: &'static [&'static str],
        outputs: Partition,
    ) -> Self {
        PartitionSpec {
            id,
            region_prefixes,
            regions,
            outputs,
        }
    }

    /// Whether `region` is one of the prefixes, `-`, a word (`\w+`: ASCII
    /// letters, digits, `_`), `-` and a number, as the pattern says.
    fn matches(&self, region: &str) -> bool {
        self.region_prefixes.iter().any(|prefix| {
            let Some(rest) = region
                .strip_prefix(prefix)
                .and_then(|r| r.strip_prefix('-'))
            else {
                return false;
            };
            rest.rsplit_once('-').is_some_and(|(word, number)| {
                !word.is_empty()
                    && word.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
                    && !number.is_empty()
                    && number.bytes().all(|b| b.is_ascii_digit())
            })
        })
    }
}

/// `aws.partition`: the partition listing the region, else the first whose
/// region pattern matches, else the `aws` partition.
pub fn aws_partition(
    region: &str,
    partitions: &'static [PartitionSpec],
) -> Option<&'static Partition> {
    partitions
        .iter()
        .find(|p| p.regions.contains(&region))
        .or_else(|| partitions.iter().find(|p| p.matches(region)))
        .or_else(|| partitions.iter().find(|p| p.id == "aws"))
        .map(|p| &p.outputs)
}

/// What `parseURL` returns, borrowed from the URL it read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url<'a> {
    pub scheme: &'a str,
    pub authority: &'a str,
    pub path: &'a str,
    /// The path with a trailing `/`.
    pub normalized_path: Cow<'a, str>,
    pub is_ip: bool,
}

/// `parseURL`: `None` for anything but an `http`/`https` URL with a host
/// and no query string.
pub fn parse_url(url: &str) -> Option<Url<'_>> {
    let (scheme, rest) = url.split_once("://")?;
    if scheme != "http" && scheme != "https" {
        return None;
    }
    if rest.contains(['?', '#']) {
        return None;
    }
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    if authority.is_empty() || authority.contains('@') {
        return None;
    }
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => authority.rsplit_once(':').map_or(authority, |(h, port)| {
            if port.chars().all(|c| c.is_ascii_digit()) {
                h
            } else {
                authority
            }
        }),
    };
    let is_ip = host.parse::<Ipv4Addr>().is_ok() || host.parse::<Ipv6Addr>().is_ok();
    let normalized_path = if path.ends_with('/') {
        Cow::Borrowed(path)
    } else {
        Cow::Owned(format!("{path}/"))
    };
    Some(Url {
        scheme,
        authority,
        path,
        normalized_path,
        is_ip,
    })
}

/// What `aws.parseArn` returns, borrowed from the ARN it read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arn<'a> {
    pub partition: &'a str,
    pub service: &'a str,
    pub region: &'a str,
    pub account_id: &'a str,
    /// The resource, split at every `:` and `/`.
    pub resource_id: Vec<&'a str>,
}

/// `aws.parseArn`: `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`, with a
/// partition, a service and a resource; `None` for anything else.
pub fn parse_arn(text: &str) -> Option<Arn<'_>> {
    let mut parts = text.splitn(6, ':');
    if parts.next()? != "arn" {
        return None;
    }
    let (partition, service, region, account_id, resource) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    if partition.is_empty() || service.is_empty() || resource.is_empty() {
        return None;
    }
    Some(Arn {
        partition,
        service,
        region,
        account_id,
        resource_id: resource.split([':', '/']).collect(),
    })
}

/// An element of a list by index (`resourceId[0]`), if there is one.
pub fn index<S: AsRef<str>>(list: &[S], i: usize) -> Option<&str> {
    list.get(i).map(AsRef::as_ref)
}

/// `isValidHostLabel`: 1 to 63 letters, digits and hyphens, not starting
/// with a hyphen; with `allow_subdomains`, several such labels joined by `.`.
pub fn is_valid_host_label(value: &str, allow_subdomains: bool) -> bool {
    let valid = |label: &str| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    if allow_subdomains {
        value.split('.').all(valid)
    } else {
        valid(value)
    }
}

/// `aws.isVirtualHostableS3Bucket`: a bucket name that can lead a host
/// name (`bucket.s3.amazonaws.com`): 3 to 63 lowercase letters, digits
/// and hyphens, starting and ending with a letter or digit, not written
/// as an IPv4 address; with `allow_subdomains`, dots may separate labels
/// (never `..`, `.-` or `-.`).
pub fn is_virtual_hostable_s3_bucket(value: &str, allow_subdomains: bool) -> bool {
    let bytes = value.as_bytes();
    let edge = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    let inner = |b: &u8| edge(b) || *b == b'-' || (allow_subdomains && *b == b'.');
    let ipv4 = value.split('.').count() == 4
        && value
            .split('.')
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()));
    (3..=63).contains(&bytes.len())
        && bytes.first().is_some_and(edge)
        && bytes.last().is_some_and(edge)
        && bytes.iter().all(inner)
        && !value.contains("..")
        && !value.contains(".-")
        && !value.contains("-.")
        && !ipv4
}

/// `substring`: characters `start..stop` (counted from the end when
/// `reverse`); `None` for a non-ASCII input or indices out of range.
/// Borrowed from the input, as every use only compares or copies it.
pub fn substring(input: &str, start: usize, stop: usize, reverse: bool) -> Option<&str> {
    if !input.is_ascii() || start >= stop || stop > input.len() {
        return None;
    }
    let (start, stop) = if reverse {
        (input.len() - stop, input.len() - start)
    } else {
        (start, stop)
    };
    Some(&input[start..stop])
}

const URI_ENCODE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// `uriEncode`: every byte but the unreserved characters as `%XX`.
pub fn uri_encode(value: &str) -> String {
    utf8_percent_encode(value, URI_ENCODE).to_string()
}

/// `booleanEquals`.
pub fn boolean_equals(a: bool, b: bool) -> bool {
    a == b
}

/// `stringEquals`.
pub fn string_equals(a: &str, b: &str) -> bool {
    a == b
}

#[cfg(test)]
mod tests {
    use super::*;

    static PARTITIONS: [PartitionSpec; 2] = [
        PartitionSpec::new(
            "aws",
            &["us", "eu"],
            &["aws-global"],
            Partition {
                name: "aws",
                dns_suffix: "amazonaws.com",
                dual_stack_dns_suffix: "api.aws",
                supports_fips: true,
                supports_dual_stack: true,
                implicit_global_region: "us-east-1",
            },
        ),
        PartitionSpec::new(
            "aws-cn",
            &["cn"],
            &[],
            Partition {
                name: "aws-cn",
                dns_suffix: "amazonaws.com.cn",
                dual_stack_dns_suffix: "api.amazonwebservices.com.cn",
                supports_fips: true,
                supports_dual_stack: true,
                implicit_global_region: "cn-northwest-1",
            },
        ),
    ];

    #[test]
    fn region_patterns_match_as_the_regex_did() {
        let aws = &PARTITIONS[0];
        for region in ["us-east-1", "eu-west-12", "us-west_x-3", "eu-A9-0"] {
            assert!(aws.matches(region), "{region}");
        }
        // `\w` has no `-`: the GovCloud regions are not `aws`'s.
        for region in [
            "us-gov-west-1",
            "us-east-1a",
            "us-east-",
            "us--1",
            "useast-1",
            "us-east",
            "xus-east-1",
            "us-éast-1",
        ] {
            assert!(!aws.matches(region), "{region}");
        }
    }

    #[test]
    fn built_ins_beyond_the_four_are_found_by_name() {
        let other = [
            ("AWS::S3::Accelerate", EndpointParam::Bool(true)),
            (
                "AWS::Auth::AccountId",
                EndpointParam::String("123456789012".into()),
            ),
        ];
        let builtins = BuiltIns {
            other: &other,
            ..BuiltIns::default()
        };
        assert_eq!(
            builtins.get("AWS::S3::Accelerate"),
            Some(&EndpointParam::Bool(true))
        );
        assert_eq!(
            builtins.get("AWS::Auth::AccountId"),
            Some(&EndpointParam::String("123456789012".into()))
        );
        assert_eq!(builtins.get("AWS::S3::ForcePathStyle"), None);
        assert_eq!(BuiltIns::default().get("AWS::S3::Accelerate"), None);
    }

    #[test]
    fn the_first_supported_auth_scheme_is_chosen() {
        let scheme = |name: &str| AuthScheme {
            name: name.into(),
            signing_name: Some("s3-outposts".into()),
            signing_region: None,
            signing_region_set: Vec::new(),
            disable_double_encoding: true,
        };
        let outposts = ResolvedEndpoint::new(
            "https://x".into(),
            vec![scheme("sigv4a"), scheme("sigv4")],
            Vec::new(),
        );
        let first_supported = if cfg!(feature = "sigv4a") {
            "sigv4a"
        } else {
            "sigv4"
        };
        assert_eq!(outposts.auth, Some(scheme(first_supported)));
        assert_eq!(outposts.auth_schemes.len(), 2);
        // None supported: the first, for the client to refuse by name.
        let mrap = ResolvedEndpoint::new("https://x".into(), vec![scheme("sigv4a")], Vec::new());
        assert_eq!(mrap.auth, Some(scheme("sigv4a")));
        let plain = ResolvedEndpoint::new("https://x".into(), Vec::new(), Vec::new());
        assert_eq!((plain.auth, plain.auth_schemes), (None, Vec::new()));
    }

    #[test]
    fn partitions() {
        assert_eq!(
            aws_partition("cn-north-1", &PARTITIONS).unwrap().name,
            "aws-cn"
        );
        assert_eq!(aws_partition("eu-west-1", &PARTITIONS).unwrap().name, "aws");
        assert_eq!(
            aws_partition("aws-global", &PARTITIONS).unwrap().name,
            "aws"
        );
        assert_eq!(
            aws_partition("mars-east-1", &PARTITIONS).unwrap().name,
            "aws",
            "falls back to aws"
        );
    }

    #[test]
    fn urls() {
        let url = parse_url("https://example.com:8443/a/b").unwrap();
        assert_eq!(
            (url.authority, url.path, &*url.normalized_path, url.is_ip),
            ("example.com:8443", "/a/b", "/a/b/", false)
        );
        assert!(parse_url("http://127.0.0.1").unwrap().is_ip);
        assert!(parse_url("http://[::1]:80/").unwrap().is_ip);
        for bad in [
            "example.com",
            "ftp://x",
            "https://x/?a=b",
            "https://",
            "https://u@x",
        ] {
            assert!(parse_url(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn host_labels_substrings_and_encoding() {
        assert!(is_valid_host_label("us-east-1", false));
        assert!(!is_valid_host_label("a.b", false));
        assert!(is_valid_host_label("a.b", true));
        assert!(!is_valid_host_label("-a", false));
        assert!(!is_valid_host_label(&"a".repeat(64), false));
        assert_eq!(substring("abcdef", 0, 2, false), Some("ab"));
        assert_eq!(substring("abcdef", 0, 2, true), Some("ef"));
        assert_eq!(substring("abc", 1, 5, false), None);
        assert_eq!(substring("äbc", 0, 1, false), None);
        assert_eq!(uri_encode("a b/c"), "a%20b%2Fc");
    }

    #[test]
    fn arns_split_into_their_parts() {
        let arn = parse_arn("arn:aws:cloudfront::123456789012:key-value-store/my-kvs:x").unwrap();
        assert_eq!(arn.partition, "aws");
        assert_eq!(arn.service, "cloudfront");
        assert_eq!(arn.region, "");
        assert_eq!(arn.account_id, "123456789012");
        assert_eq!(arn.resource_id, ["key-value-store", "my-kvs", "x"]);
        assert_eq!(index(&arn.resource_id, 1), Some("my-kvs"));
        assert_eq!(index(&arn.resource_id, 3), None);
        for bad in [
            "",
            "arn:aws:s3",
            "arn::s3:::b",
            "arn:aws::r:a:res",
            "arn:aws:s3:r:a:",
            "urn:a:b:c:d:e",
        ] {
            assert!(parse_arn(bad).is_none(), "{bad}");
        }
    }
}

#[cfg(test)]
mod s3_bucket_tests {
    use super::is_virtual_hostable_s3_bucket as hostable;

    #[test]
    fn s3_buckets_that_can_lead_a_host_name() {
        for ok in ["abc", "my-bucket", "b0", "a1b", "99-bottles"] {
            assert_eq!(hostable(ok, false), ok.len() >= 3, "{ok}");
        }
        for bad in ["ab", "-abc", "abc-", "Abc", "a_b", "a.b.c", &"a".repeat(64)] {
            assert!(!hostable(bad, false), "{bad}");
        }
        assert!(hostable("my.bucket.example", true));
        assert!(hostable("a.b", true), "labels of one character");
        for bad in [
            "a..b",
            "a.-b",
            "a-.b",
            "192.168.0.1",
            ".abc",
            "abc.",
            "My.bucket",
            "a_b.c",
        ] {
            assert!(!hostable(bad, true), "{bad}");
        }
    }
}
