//! The botocore service model (`service-2.json`) as plain serde types.
//!
//! These types mirror the JSON and decide nothing: names, bindings and types
//! are worked out in [`crate::ir`]. Every key that botocore models use for
//! shapes and operations has a typed field here. Keys that only matter to
//! features we do not emit yet (`staticContextParams`, ...) are kept, untyped,
//! in the `other` maps, so that a model round-trips without silent loss and the IR
//! can report them if it ever needs to.

use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// A whole `service-2.json` document.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Service {
    #[serde(default)]
    pub version: Option<String>,
    pub metadata: Metadata,
    pub operations: BTreeMap<String, Operation>,
    pub shapes: BTreeMap<String, Shape>,
    #[serde(default)]
    pub documentation: Option<String>,
    /// Endpoint rule parameters a client's configuration sets by name,
    /// beside the built-ins (botocore's `client_context_params`; S3's
    /// `DisableS3ExpressSessionAuth`).
    #[serde(default, rename = "clientContextParams")]
    pub client_context_params: BTreeMap<String, serde_json::Value>,
}

/// The `metadata` block: service identity, protocol and signing.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Metadata {
    pub api_version: String,
    #[serde(default)]
    pub endpoint_prefix: Option<String>,
    pub protocol: String,
    #[serde(default)]
    pub protocols: Vec<String>,
    #[serde(default)]
    pub service_full_name: Option<String>,
    #[serde(default)]
    pub service_abbreviation: Option<String>,
    #[serde(default)]
    pub service_id: Option<String>,
    #[serde(default)]
    pub signature_version: Option<String>,
    #[serde(default)]
    pub signing_name: Option<String>,
    #[serde(default)]
    pub uid: Option<String>,
    #[serde(default)]
    pub auth: Vec<String>,
    #[serde(default)]
    pub json_version: Option<String>,
    #[serde(default)]
    pub target_prefix: Option<String>,
    #[serde(default)]
    pub global_endpoint: Option<String>,
    /// A JSON service that used to speak awsQuery (an empty object when
    /// set): its errors still carry the query error codes.
    #[serde(default)]
    pub aws_query_compatible: Option<Value>,
    /// How the service may be reached beyond HTTP/1.1.
    #[serde(default)]
    pub protocol_settings: ProtocolSettings,
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

/// `metadata.protocolSettings`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ProtocolSettings {
    /// `eventstream`: the service needs HTTP/2; `optional`: it may be
    /// reached with HTTP/2; absent: HTTP/1.1.
    #[serde(default)]
    pub h2: Option<String>,
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

/// One entry of `operations`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Operation {
    pub name: String,
    #[serde(default)]
    pub http: Http,
    #[serde(default)]
    pub input: Option<ShapeRef>,
    #[serde(default)]
    pub output: Option<ShapeRef>,
    #[serde(default)]
    pub errors: Vec<ShapeRef>,
    #[serde(default)]
    pub documentation: Option<String>,
    #[serde(default)]
    pub documentation_url: Option<String>,
    #[serde(default)]
    pub deprecated: bool,
    #[serde(default)]
    pub deprecated_message: Option<String>,
    #[serde(default)]
    pub deprecated_since: Option<String>,
    #[serde(default)]
    pub idempotent: bool,
    #[serde(default)]
    pub endpoint: Option<OperationEndpoint>,
    #[serde(default)]
    pub authtype: Option<String>,
    #[serde(default)]
    pub auth: Vec<String>,
    #[serde(default)]
    pub http_checksum_required: bool,
    #[serde(default)]
    pub http_checksum: Option<HttpChecksum>,
    /// The body is not part of the signature (as `authtype: v4-unsigned-body`).
    #[serde(default)]
    pub unsigned_payload: bool,
    /// The encodings a large request body may be compressed with.
    #[serde(default)]
    pub requestcompression: Option<RequestCompression>,
    /// Endpoint rule parameters this operation sets to fixed values.
    #[serde(default)]
    pub static_context_params: BTreeMap<String, StaticContextParam>,
    /// Endpoint rule parameters this operation takes from its input by a
    /// JMESPath expression.
    #[serde(default)]
    pub operation_context_params: BTreeMap<String, OperationContextParam>,
    /// What a service customization says of the operation's calls that no
    /// botocore model states; never read from the JSON (`crate::customize`).
    #[serde(skip)]
    pub calls: CallRules,
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

/// A service's rules for an operation's calls, which botocore applies in
/// handlers and a customization writes here, by model names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallRules {
    /// Greedy labels may hold `.` and `..` segments, sent as they are: the
    /// service reads and signs its path as sent (S3's keys).
    pub greedy_dot_segments: bool,
    /// Input members of which only the text after the last `/` is sent
    /// (Route 53's `/hostedzone/Z1` is `Z1`).
    pub last_segment: Vec<String>,
    /// Output members the client asks the service to URL-encode, and
    /// decodes (S3's listings).
    pub url_encoded: Option<UrlEncodedMembers>,
}

/// Output members a service URL-encodes when an input member asks it to:
/// the client asks when the caller did not choose, and then decodes them
/// if the output says they are encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlEncodedMembers {
    /// The input member that asks (`EncodingType`), a string enum.
    pub input: String,
    /// The value that asks for URL encoding (`url`).
    pub value: String,
    /// The output member that says the members are encoded: they are when
    /// it holds `value`.
    pub output: String,
    /// Output members decoded: strings of the output itself.
    pub members: Vec<String>,
    /// Output members decoded in each element of a list: the list member
    /// of the output and the element's string member (`Contents`, `Key`).
    pub in_lists: Vec<(String, String)>,
}

/// An operation's `httpChecksum` trait.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HttpChecksum {
    #[serde(default)]
    pub request_checksum_required: bool,
    #[serde(default)]
    pub request_algorithm_member: Option<String>,
    #[serde(default)]
    pub request_validation_mode_member: Option<String>,
    #[serde(default)]
    pub response_algorithms: Vec<String>,
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

/// A `staticContextParams` entry: a string or a boolean.
#[derive(Debug, Clone, Deserialize)]
pub struct StaticContextParam {
    pub value: Value,
}

/// An `operationContextParams` entry: where in the input the value is.
#[derive(Debug, Clone, Deserialize)]
pub struct OperationContextParam {
    pub path: String,
}

/// A member's `contextParam`: the endpoint rule parameter it sets.
#[derive(Debug, Clone, Deserialize)]
pub struct ContextParam {
    pub name: String,
}

/// An operation's `requestcompression` trait.
#[derive(Debug, Clone, Deserialize)]
pub struct RequestCompression {
    #[serde(default)]
    pub encodings: Vec<String>,
}

/// The `http` block of an operation. Absent parts take botocore's
/// defaults (`Serializer.DEFAULT_METHOD`, the default request's `/`): the
/// RPC protocols' suites leave them out.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Http {
    #[serde(default = "post")]
    pub method: String,
    #[serde(default = "root")]
    pub request_uri: String,
    #[serde(default)]
    pub response_code: Option<u16>,
}

impl Default for Http {
    fn default() -> Self {
        Http {
            method: post(),
            request_uri: root(),
            response_code: None,
        }
    }
}

fn post() -> String {
    "POST".to_string()
}

fn root() -> String {
    "/".to_string()
}

/// `endpoint` of an operation: a host prefix template such as `{Bucket}.data.`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OperationEndpoint {
    pub host_prefix: String,
}

/// A reference to a shape, as used by `input`, `output` and `errors`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ShapeRef {
    pub shape: String,
    #[serde(default)]
    pub documentation: Option<String>,
    /// awsQuery: the element of the response that holds the output.
    #[serde(default)]
    pub result_wrapper: Option<String>,
    /// The member that is the whole body, named on the reference instead
    /// of the shape (the legacy protocol suites do this; botocore merges a
    /// reference's traits into the shape's).
    #[serde(default)]
    pub payload: Option<String>,
    /// rest-xml: the root element of a request body of members (the
    /// input's), and its namespace.
    #[serde(default)]
    pub location_name: Option<String>,
    #[serde(default)]
    pub xml_namespace: Option<XmlNamespace>,
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

/// An XML namespace: `xmlns="uri"`, or `xmlns:prefix="uri"`. Models write
/// it as an object; botocore also reads a bare URI.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum XmlNamespace {
    Uri(String),
    Full {
        uri: String,
        #[serde(default)]
        prefix: Option<String>,
    },
}

/// The `type` of a shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ShapeType {
    Structure,
    /// `character`, which the legacy protocol suites use, is a string as
    /// botocore reads and writes it (`_handle_character = _handle_string`).
    #[serde(alias = "character")]
    String,
    Integer,
    Long,
    Float,
    Double,
    Boolean,
    Blob,
    Timestamp,
    List,
    Map,
}

/// One entry of `shapes`. All shape types share this struct; which fields
/// are meaningful depends on [`Shape::kind`].
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Shape {
    #[serde(rename = "type")]
    pub kind: ShapeType,
    /// Structure members, in model order.
    #[serde(default)]
    pub members: Option<ordered::OrderedMembers>,
    #[serde(default)]
    pub required: Vec<String>,
    /// List element.
    #[serde(default)]
    pub member: Option<Member>,
    /// Map key and value.
    #[serde(default)]
    pub key: Option<Member>,
    #[serde(default)]
    pub value: Option<Member>,
    #[serde(default, rename = "enum")]
    pub enum_values: Option<Vec<String>>,
    #[serde(default)]
    pub min: Option<f64>,
    #[serde(default)]
    pub max: Option<f64>,
    #[serde(default)]
    pub pattern: Option<String>,
    #[serde(default)]
    pub sensitive: bool,
    #[serde(default)]
    pub deprecated: bool,
    #[serde(default)]
    pub deprecated_message: Option<String>,
    #[serde(default)]
    pub documentation: Option<String>,
    #[serde(default)]
    pub timestamp_format: Option<String>,
    #[serde(default)]
    pub payload: Option<String>,
    /// Serialization traits a shape may carry itself, which every member
    /// targeting it takes unless the member says otherwise (botocore's
    /// `ShapeResolver`): its name on the wire (the XML element name of a
    /// rest-xml payload, say), its HTTP location, JSON in a header.
    #[serde(default)]
    pub location_name: Option<String>,
    #[serde(default)]
    pub location: Option<String>,
    #[serde(default)]
    pub jsonvalue: bool,
    #[serde(default)]
    pub error: Option<ErrorTrait>,
    #[serde(default)]
    pub exception: bool,
    #[serde(default)]
    pub fault: bool,
    #[serde(default)]
    pub union: bool,
    #[serde(default)]
    pub document: bool,
    #[serde(default)]
    pub streaming: bool,
    #[serde(default)]
    pub eventstream: bool,
    /// A structure that is one event of an event stream: its members are
    /// bound to the message's headers (`eventheader`), its payload
    /// (`eventpayload`) or the payload's body.
    #[serde(default)]
    pub event: bool,
    /// A list or map whose elements may be null.
    #[serde(default)]
    pub sparse: bool,
    /// XML and query: a list or map whose items are not wrapped in an
    /// element of their own.
    #[serde(default)]
    pub flattened: bool,
    /// rest-xml: the namespace of the shape's element.
    #[serde(default)]
    pub xml_namespace: Option<XmlNamespace>,
    /// XML: the member that is the document's root element itself, not a
    /// child of it (S3's `GetBucketLocation` answers a bare
    /// `<LocationConstraint>`). No botocore model says it: only a
    /// customization sets it (`crate::customize`).
    #[serde(skip)]
    pub xml_root_member: Option<String>,
    /// A streaming blob whose length must be known before sending.
    #[serde(default)]
    pub requires_length: bool,
    #[serde(default)]
    pub retryable: Option<Value>,
    /// A primitive that may be absent (`null`) rather than default; every
    /// member is an `Option` in our output anyway.
    #[serde(default, rename = "box")]
    pub boxed: bool,
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

/// The `error` block of an exception shape.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorTrait {
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub http_status_code: Option<u16>,
    #[serde(default)]
    pub sender_fault: bool,
}

/// A structure member, list element or map key/value.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Member {
    pub shape: String,
    #[serde(default)]
    pub documentation: Option<String>,
    /// `uri`, `querystring`, `header`, `headers` or `statusCode`; absent for body.
    #[serde(default)]
    pub location: Option<String>,
    #[serde(default)]
    pub location_name: Option<String>,
    /// ec2: the member's key in a request's form, before `locationName`.
    #[serde(default)]
    pub query_name: Option<String>,
    #[serde(default)]
    pub deprecated: bool,
    #[serde(default)]
    pub deprecated_message: Option<String>,
    #[serde(default)]
    pub idempotency_token: bool,
    #[serde(default)]
    pub jsonvalue: bool,
    #[serde(default)]
    pub timestamp_format: Option<String>,
    #[serde(default)]
    pub host_label: bool,
    #[serde(default)]
    pub streaming: bool,
    /// An event's member carried in a message header.
    #[serde(default)]
    pub eventheader: bool,
    /// An event's member that is the whole message payload.
    #[serde(default)]
    pub eventpayload: bool,
    /// XML and query: the member's list or map is flattened here, whatever
    /// its shape says.
    #[serde(default)]
    pub flattened: bool,
    /// rest-xml: the member is an attribute of its structure's element.
    #[serde(default)]
    pub xml_attribute: bool,
    /// rest-xml: the namespace of the member's element.
    #[serde(default)]
    pub xml_namespace: Option<XmlNamespace>,
    #[serde(default, rename = "box")]
    pub boxed: bool,
    /// Sets an endpoint rule parameter (top-level input members only).
    #[serde(default)]
    pub context_param: Option<ContextParam>,
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

/// Structure members keep the model's order, which is the order users read
/// in the API reference; a `BTreeMap` would sort them alphabetically.
pub mod ordered {
    use super::Member;
    use serde::de::{MapAccess, Visitor};
    use serde::{Deserialize, Deserializer};
    use std::fmt;

    /// Members of a structure in the order the model lists them.
    #[derive(Debug, Clone, Default)]
    pub struct OrderedMembers(pub Vec<(String, Member)>);

    impl<'de> Deserialize<'de> for OrderedMembers {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = OrderedMembers;
                fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                    f.write_str("a map of member names to members")
                }
                fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                    let mut out = Vec::new();
                    while let Some((k, v)) = map.next_entry::<String, Member>()? {
                        out.push((k, v));
                    }
                    Ok(OrderedMembers(out))
                }
            }
            d.deserialize_map(V)
        }
    }
}

/// `paginators-1.json`: how the list operations page.
#[derive(Debug, Clone, Deserialize)]
pub struct Paginators {
    #[serde(default)]
    pub pagination: BTreeMap<String, Pagination>,
}

/// One operation's paging, as botocore's `PageIterator` reads it. Each
/// expression is JMESPath as botocore compiles it: a member, a path
/// (`DistributionList.NextMarker`), an index (`Contents[-1].Key`) or a
/// choice (`NextMarker || Contents[-1].Key`); the IR parses them.
#[derive(Debug, Clone, Deserialize)]
pub struct Pagination {
    /// The input members that carry the tokens: one, or a list (Route 53's
    /// `StartRecordName`, `StartRecordType`, `StartRecordIdentifier`).
    #[serde(deserialize_with = "one_or_many")]
    pub input_token: Vec<String>,
    /// Where each next token is in a page, in the order of `input_token`.
    #[serde(deserialize_with = "one_or_many")]
    pub output_token: Vec<String>,
    /// The input member that limits a page's size.
    #[serde(default)]
    pub limit_key: Option<String>,
    /// Where a page's items are: none, one, or several lists.
    #[serde(default, deserialize_with = "one_or_many")]
    pub result_key: Vec<String>,
    /// A boolean in a page that says whether another follows.
    #[serde(default)]
    pub more_results: Option<String>,
    /// Members that are the same on every page (botocore keeps them from
    /// the first page when it merges pages into one result).
    #[serde(default)]
    pub non_aggregate_keys: Vec<String>,
    /// Any other key: none in botocore's models; kept, not read.
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

/// A string or a list of strings, as `paginators-1.json` writes a token
/// or a result key.
fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match OneOrMany::deserialize(d)? {
        OneOrMany::One(one) => vec![one],
        OneOrMany::Many(many) => many,
    })
}

impl Service {
    /// Parses a `service-2.json` document.
    pub fn from_json(text: &str) -> Result<Service, serde_json::Error> {
        serde_json::from_str(text)
    }
}

/// `waiters-2.json`: how to wait for a resource to reach a state.
#[derive(Debug, Clone, Deserialize)]
pub struct Waiters {
    #[serde(default)]
    pub waiters: BTreeMap<String, WaiterDef>,
}

/// One waiter, as botocore's `waiter.py` reads it.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WaiterDef {
    /// The operation called, by its key in the model's `operations`.
    pub operation: String,
    /// Seconds between attempts (botocore's fixed delay; the Smithy
    /// minimum delay).
    pub delay: u64,
    pub max_attempts: u64,
    #[serde(default)]
    pub description: Option<String>,
    pub acceptors: Vec<AcceptorDef>,
}

/// One acceptor: a test of an answer and the state it leads to.
#[derive(Debug, Clone, Deserialize)]
pub struct AcceptorDef {
    /// `success`, `failure` or `retry`.
    pub state: String,
    /// `path`, `pathAll`, `pathAny`, `error` or `status`.
    pub matcher: String,
    /// The JMESPath expression of the path matchers.
    #[serde(default)]
    pub argument: Option<String>,
    /// A string, number or boolean.
    pub expected: Value,
}
