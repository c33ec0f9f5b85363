//! An endpoint as a compiled rule set gives it: borrowed pieces that one
//! call of [`EndpointTemplate::build`] turns into a [`ResolvedEndpoint`].
//!
//! A rule set has as many endpoints as it has rules that end in one (S3's
//! has 180). Built inline, each allocated its own strings and vectors, so
//! each carried its own allocation, copy and unwinding code: S3's resolver
//! was 181 KB of machine code, more than the rest of its crate. As a
//! template, an endpoint is a few stores of `&str`s (constant ones are
//! promoted to statics), and the owning copies are made here, once.

use super::{AuthScheme, Property, ResolvedEndpoint};

/// The pieces of a string template (`https://{Bucket}.s3.{Region}`),
/// joined in order.
pub type Pieces<'a> = &'a [&'a str];

/// An endpoint rule's result: URL, `authSchemes`, headers and other
/// properties, as templates.
#[derive(Debug, Clone, Copy)]
pub struct EndpointTemplate<'a> {
    pub url: Pieces<'a>,
    pub auth_schemes: &'a [AuthTemplate<'a>],
    /// One entry per header value, in the rule set's order.
    pub headers: &'a [(&'a str, Pieces<'a>)],
    pub properties: &'a [(&'a str, PropertyTemplate<'a>)],
}

/// One `authSchemes` entry.
#[derive(Debug, Clone, Copy)]
pub struct AuthTemplate<'a> {
    pub name: &'a str,
    pub signing_name: Option<Pieces<'a>>,
    pub signing_region: Option<Pieces<'a>>,
    pub signing_region_set: &'a [Pieces<'a>],
    pub disable_double_encoding: bool,
}

/// An endpoint property's value.
#[derive(Debug, Clone, Copy)]
pub enum PropertyTemplate<'a> {
    String(Pieces<'a>),
    Bool(bool),
    List(&'a [PropertyTemplate<'a>]),
    Map(&'a [(&'a str, PropertyTemplate<'a>)]),
}

impl EndpointTemplate<'_> {
    /// The owned endpoint.
    pub fn build(&self) -> ResolvedEndpoint {
        let auth_schemes = self.auth_schemes.iter().map(AuthTemplate::build).collect();
        let headers = self
            .headers
            .iter()
            .map(|(name, value)| (name.to_string(), value.concat()))
            .collect();
        let properties = self
            .properties
            .iter()
            .map(|(name, value)| (name.to_string(), value.build()))
            .collect();
        ResolvedEndpoint::new(self.url.concat(), auth_schemes, headers).with_properties(properties)
    }
}

impl AuthTemplate<'_> {
    fn build(&self) -> AuthScheme {
        AuthScheme {
            name: self.name.to_string(),
            signing_name: self.signing_name.map(<[&str]>::concat),
            signing_region: self.signing_region.map(<[&str]>::concat),
            signing_region_set: self.signing_region_set.iter().map(|r| r.concat()).collect(),
            disable_double_encoding: self.disable_double_encoding,
        }
    }
}

impl PropertyTemplate<'_> {
    fn build(&self) -> Property {
        match self {
            PropertyTemplate::String(pieces) => Property::String(pieces.concat()),
            PropertyTemplate::Bool(b) => Property::Bool(*b),
            PropertyTemplate::List(items) => {
                Property::List(items.iter().map(PropertyTemplate::build).collect())
            }
            PropertyTemplate::Map(entries) => Property::Map(
                entries
                    .iter()
                    .map(|(name, value)| (name.to_string(), value.build()))
                    .collect(),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_template_builds_the_endpoint_it_describes() {
        let bucket = String::from("my-bucket");
        let region = "us-west-2";
        let built = EndpointTemplate {
            url: &["https://", &bucket, ".s3express-", region, ".amazonaws.com"],
            auth_schemes: &[
                AuthTemplate {
                    name: "sigv4a",
                    signing_name: Some(&["s3"]),
                    signing_region: None,
                    signing_region_set: &[&["*"]],
                    disable_double_encoding: true,
                },
                AuthTemplate {
                    name: "sigv4",
                    signing_name: Some(&["s3express"]),
                    signing_region: Some(&[region]),
                    signing_region_set: &[],
                    disable_double_encoding: false,
                },
            ],
            headers: &[("x-amz-a", &["1"]), ("x-amz-a", &["2", region])],
            properties: &[
                ("backend", PropertyTemplate::String(&["S3", "Express"])),
                (
                    "metricValues",
                    PropertyTemplate::List(&[
                        PropertyTemplate::Bool(true),
                        PropertyTemplate::Map(&[("k", PropertyTemplate::String(&[region]))]),
                    ]),
                ),
            ],
        }
        .build();
        let sigv4 = AuthScheme {
            name: "sigv4".into(),
            signing_name: Some("s3express".into()),
            signing_region: Some("us-west-2".into()),
            signing_region_set: vec![],
            disable_double_encoding: false,
        };
        let sigv4a = AuthScheme {
            name: "sigv4a".into(),
            signing_name: Some("s3".into()),
            signing_region: None,
            signing_region_set: vec!["*".into()],
            disable_double_encoding: true,
        };
        let expected = ResolvedEndpoint::new(
            "https://my-bucket.s3express-us-west-2.amazonaws.com".into(),
            vec![sigv4a, sigv4],
            vec![
                ("x-amz-a".into(), "1".into()),
                ("x-amz-a".into(), "2us-west-2".into()),
            ],
        )
        .with_properties(vec![
            ("backend".into(), Property::String("S3Express".into())),
            (
                "metricValues".into(),
                Property::List(vec![
                    Property::Bool(true),
                    Property::Map(vec![("k".into(), Property::String("us-west-2".into()))]),
                ]),
            ),
        ]);
        assert_eq!(built, expected);
    }
}
