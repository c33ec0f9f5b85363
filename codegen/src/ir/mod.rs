//! The intermediate representation: every decision about the generated
//! crate, made once by [`lower`], read by the emitters.
//!
//! Names here are final Rust names; the wire names they came from are kept
//! beside them. Nothing in the IR refers back to the model.

mod calls;
mod context_params;
mod jmespath;
mod lower;
mod names;
mod paginators;
mod reach;
mod waiters;

use crate::customize::Applied;
use crate::emit::protocol::Protocol;
pub use calls::{Calls, Decoded, UrlEncoded};
pub use lower::lower;
pub use paginators::{attach_paginators, Refusal};
use std::collections::BTreeSet;
pub use waiters::{
    attach_waiters, Acceptor, CmpOp, Cond, Length, Literal, Matcher, Node, Operand, State, Waiter,
};

/// Everything one generated crate contains.
#[derive(Debug, Clone)]
pub struct Crate {
    pub service: ServiceInfo,
    /// The selected operations, in model (alphabetical) order.
    pub operations: Vec<Operation>,
    /// Structures reached from the operations, other than their inputs,
    /// outputs and errors; sorted by shape name.
    pub structures: Vec<Structure>,
    /// Unions reached from the operations; sorted by shape name.
    pub unions: Vec<Union>,
    /// Error shapes the operations name; sorted by shape name.
    pub errors: Vec<Structure>,
    /// String enums reached from the operations; sorted by shape name.
    pub enums: Vec<Enum>,
    /// The waiters of the selected operations (`waiters-2.json`), sorted
    /// by name.
    pub waiters: Vec<Waiter>,
}

/// The service as a whole.
#[derive(Debug, Clone)]
pub struct ServiceInfo {
    /// `Amazon Chime SDK Voice`
    pub title: String,
    /// `Chime SDK Voice`
    pub service_id: String,
    pub api_version: String,
    /// The SigV4 signing name, `chime`.
    pub signing_name: String,
    pub endpoint_prefix: String,
    /// The protocol the crate speaks, chosen as botocore chooses it; it
    /// owns every decision that depends on the wire format.
    pub protocol: &'static dyn Protocol,
    /// What the protocols read from the model's metadata.
    pub wire: WireMetadata,
    /// The HTTP versions the service is reached with, from the model's
    /// `metadata.protocolSettings.h2`.
    pub http2: Http2,
    /// Some endpoint of the rule set may ask for SigV4a: the crate has a
    /// `sigv4a` feature, on by default, that turns on the runtime's.
    pub sigv4a: bool,
    /// The loader reads a bearer token from `AWS_BEARER_TOKEN_<signing
    /// name>`: some operation accepts one, and the signing name is one
    /// botocore reads that variable for.
    pub bearer_token_env: bool,
    /// The loader takes bearer tokens from the profile's SSO session: some
    /// operation takes a token only (CodeCatalyst), as botocore's token
    /// provider serves them.
    pub bearer_token_sso: bool,
    /// The service's customizations that changed its model before it was
    /// lowered, in the order applied (`crate::customize`).
    pub customizations: Vec<Applied>,
    /// The runtime's hooks for the service (a type of
    /// `sdkgen_runtime::hooks`), from its customizations; none for most.
    pub runtime_hooks: Option<String>,
    /// The endpoint rule parameters the configuration may set by their own
    /// names (the model's `clientContextParams`), sorted by name.
    pub client_context_params: Vec<String>,
    pub docs: String,
}

/// Which HTTP versions a service is reached with: the runtime's
/// `Http2Policy`, and whether the crate compiles HTTP/2 at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Http2 {
    /// No `h2` setting, or one this generator does not know: HTTP/1.1,
    /// which every service speaks.
    Http1Only,
    /// `optional`: the server may choose HTTP/2.
    Optional,
    /// `eventstream`: streams in both directions need HTTP/2.
    Required,
}

impl Http2 {
    /// From the model's `protocolSettings.h2`.
    pub fn from_model(h2: Option<&str>) -> Http2 {
        match h2 {
            Some("eventstream") => Http2::Required,
            Some("optional") => Http2::Optional,
            _ => Http2::Http1Only,
        }
    }
}

/// The model's metadata that some protocol reads.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WireMetadata {
    /// awsJson's `jsonVersion` (`1.0`, `1.1`): its media type.
    pub json_version: Option<String>,
    /// awsJson's `targetPrefix`: `X-Amz-Target` is `{prefix}.{operation}`.
    pub target_prefix: Option<String>,
    /// `awsQueryCompatible`: a JSON service that used to speak awsQuery,
    /// whose errors still carry the query error codes users match on.
    pub query_compatible: bool,
}

/// One operation.
#[derive(Debug, Clone)]
pub struct Operation {
    /// `GetProxySession`: the model's key for the operation, unique in the
    /// crate.
    pub name: String,
    /// The name the wire carries (the operation's own `name`, as botocore's
    /// `wire_name`): the same as `name` in every real model; the protocol
    /// suites give several operations one wire name.
    pub wire_name: String,
    /// `GetProxySession`, the unit struct that names the operation.
    pub type_name: String,
    /// `get_proxy_session`: its module and its client method.
    pub module: String,
    /// `get-proxy-session`: the cargo feature that compiles it.
    pub feature: String,
    /// `GET`
    pub http_method: String,
    /// The path template, split into literals and labels.
    pub path: Vec<PathPart>,
    /// Literal query parameters written in the `requestUri` (`?versioning`).
    pub literal_query: Option<String>,
    /// The status the model gives for success; every 2xx is accepted.
    pub success_code: u16,
    /// Whether the model names an input shape (`input` is empty
    /// otherwise): the RPC v2 protocols send a body only then.
    pub has_input: bool,
    pub input: Structure,
    pub output: Structure,
    /// The errors the operation names, in model order.
    pub errors: Vec<ErrorRef>,
    /// `GetProxySessionError`
    pub error_type: String,
    pub docs: String,
    pub deprecated: Option<Deprecation>,
    pub idempotent: bool,
    /// `endpoint.hostPrefix`, such as `{AccountId}.`, split into literals
    /// and labels bound to `hostLabel` members; empty for none.
    pub host_prefix: Vec<HostPart>,
    /// How requests are signed.
    pub signing: Signing,
    /// `httpChecksumRequired` without `httpChecksum`: the request carries
    /// `Content-MD5`.
    pub content_md5: bool,
    /// `httpChecksum`: flexible request and response checksums, which the
    /// runtime applies.
    pub http_checksum: Option<HttpChecksum>,
    /// `requestcompression` lists `gzip`: a large body is sent gzipped.
    pub request_compression: bool,
    /// Endpoint rule parameters the operation sets, by rule parameter name.
    pub endpoint_params: Vec<(String, EndpointParam)>,
    /// How the operation pages, from `paginators-1.json`.
    pub paginator: Option<Paginator>,
    /// awsQuery: the response element that holds the output
    /// (`GetCallerIdentityResult`).
    pub result_wrapper: Option<String>,
    /// rest-xml: the element that holds the input's body members.
    pub xml_root: XmlElement,
    /// A service's rules for the calls, from its customizations.
    pub calls: Calls,
}

impl Operation {
    /// Whether the caller sends a stream of events: a request that stays
    /// open while the response streams back, which only HTTP/2 carries.
    pub fn sends_events(&self) -> bool {
        self.input
            .members
            .iter()
            .any(|m| matches!(m.ty, Type::InputEventStream(_)))
    }
}

/// An operation's `httpChecksum`, with its members resolved to the
/// headers they are sent in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpChecksum {
    pub request_required: bool,
    /// The header of `requestAlgorithmMember`.
    pub algorithm_header: Option<String>,
    /// The header of `requestValidationModeMember`.
    pub validation_mode_header: Option<String>,
    /// `responseAlgorithms`, as the model names them.
    pub response_algorithms: Vec<String>,
}

/// An element of an XML body: its name, and the namespace it declares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlElement {
    pub name: String,
    pub namespace: Option<XmlNamespace>,
}

/// An XML namespace an element declares: `xmlns="uri"`, or with a prefix
/// `xmlns:prefix="uri"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlNamespace {
    pub uri: String,
    pub prefix: Option<String>,
}

/// An operation that returns its results a page at a time: its entry of
/// botocore's `paginators-1.json`, resolved against its members. The
/// runtime follows the tokens (`sdkgen_runtime::paginator`); the generated
/// code only says where each part is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paginator {
    /// The tokens, sent together: one for most operations, several for
    /// some (Route 53's name, type and identifier).
    pub tokens: Vec<PageToken>,
    /// With several tokens, the public alias of the tuple they travel in
    /// (`ListRecordsTokens`): a caller can name the stream's type, and
    /// clippy finds the tuple too complex to write out in signatures.
    pub tokens_alias: Option<String>,
    /// `more_results`: a boolean in the page; when it is not true, the page
    /// is the last, whatever token it carries.
    pub more_results: Option<OutputPath>,
    /// `limit_key`: the input member that limits a page's size.
    pub limit: Option<PageLimit>,
    /// `result_key`: where each page's items are, each with the
    /// paginator's method that streams them.
    pub items: Vec<PageItems>,
    /// `non_aggregate_keys`, as the model writes them: members that are the
    /// same on every page. They have no stream; a caller reads them from
    /// any page. Kept for the docs.
    pub non_aggregate_keys: Vec<String>,
}

/// One token: the input member that sends it and where a page has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageToken {
    /// The input member's field (`next_token`).
    pub input: String,
    /// The input member's model name (`NextToken`), for docs.
    pub input_name: String,
    /// The token's type: the input member's, which every place in
    /// `output` has too.
    pub ty: Type,
    /// Where the next token is: the first of these places that holds one
    /// (`NextMarker || Contents[-1].Key`).
    pub output: Vec<OutputPath>,
}

/// A place in an operation's output: a member, a member of a nested
/// structure (`DistributionList.IsTruncated`), or a list element
/// (`Contents[-1].Key`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputPath {
    /// As the model writes it.
    pub text: String,
    /// From the output structure to the value; the first is a member.
    pub steps: Vec<PathStep>,
    /// The type of the value it reaches.
    pub ty: Type,
}

/// One step of an [`OutputPath`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathStep {
    /// A structure member, by field; `boxed` when stored as `Box<T>`.
    Member { field: String, boxed: bool },
    /// A list element; a negative index counts from the end (`-1` is the
    /// last). Elements of a `sparse` list are `Option`s.
    Index { index: i64, sparse: bool },
}

/// The input member that limits a page's size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageLimit {
    /// Its field (`max_results`).
    pub field: String,
    /// Its model name, for docs.
    pub name: String,
    /// The type `page_size` takes: `Integer` or `Long`.
    pub size: Type,
    /// The member is a string (API Gateway V2's `MaxResults`): the size is
    /// sent as its decimal text, as botocore sends it.
    pub as_text: bool,
}

/// Where a page's items are, and how the paginator streams them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageItems {
    /// The paginator's method: `items` for the one result key; with
    /// several, one method for each, named after it (DynamoDB's `Query`
    /// has `items`, `count` and `scanned_count`).
    pub method: String,
    pub path: OutputPath,
    pub kind: ItemsKind,
}

/// What one page gives as items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemsKind {
    /// The elements of a list.
    List,
    /// The entries of a map, as `(key, value)`.
    Map,
    /// The value itself, once per page where it is set (RDS's
    /// `LogFileData`, DynamoDB's `Count`).
    Value,
}

/// Where an endpoint rule parameter of an operation comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EndpointParam {
    /// `staticContextParams`
    Str(String),
    Bool(bool),
    /// A string or boolean input member (`contextParam`), by model name.
    Member(String),
    /// Strings selected from the input by a path (`operationContextParams`).
    Path(ContextPath),
}

/// An `operationContextParams` path, resolved against the input's types.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContextPath {
    /// The model's JMESPath text (`keys(RequestItems)`).
    pub text: String,
    /// From the input, each step applied to every item the one before
    /// yields.
    pub steps: Vec<ContextStep>,
    /// Whether it selects a list of strings (a `stringArray` parameter)
    /// rather than one string.
    pub list: bool,
}

/// One step of a [`ContextPath`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContextStep {
    /// A structure's member, when set.
    Field { field: String, boxed: bool },
    /// Each element of a list (`[*]`, `[]`); a sparse list's null elements
    /// are skipped, as JMESPath's projections skip nulls.
    Elements { sparse: bool },
    /// The keys of a map (`keys(..)`).
    Keys,
    /// Several paths from the same value, their strings in order (a
    /// multi-select list, `[a.b, c.d]`).
    Select(Vec<Vec<ContextStep>>),
}

/// How an operation's requests are signed (`authtype` / `auth`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signing {
    SigV4,
    /// `v4-unsigned-body`: the body is not part of the signature.
    SigV4UnsignedPayload,
    /// `none` / `smithy.api#noAuth`: not signed, no credentials needed.
    Anonymous,
    /// `smithy.api#httpBearerAuth` alone (CodeCatalyst): a bearer token,
    /// or an error saying that one is needed.
    Bearer,
    /// `aws.auth#sigv4` with `smithy.api#httpBearerAuth` also listed
    /// (Bedrock): a configured bearer token if there is one, else SigV4.
    SigV4OrBearer,
    /// `signatureVersion: v2` (SimpleDB, Import/Export): the form's
    /// parameters signed with SigV2.
    SigV2,
}

/// A part of an endpoint host prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostPart {
    Literal(String),
    /// A label filled from the input member with this model name.
    Label(String),
}

/// A part of a request path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathPart {
    Literal(String),
    /// A label bound to the input member with this model name.
    Label {
        member: String,
        greedy: bool,
    },
}

/// An operation's reference to one of its error shapes.
#[derive(Debug, Clone)]
pub struct ErrorRef {
    /// The code services send for it: the `error` trait's `code`, else
    /// the shape name (as botocore matches them).
    pub code: String,
    /// The error shape's name, which a query-compatible service sends as
    /// the `__type` when the query code is not in a header.
    pub shape: String,
    /// The error struct's name in `types::error`.
    pub type_name: String,
    /// The operation error enum's variant for it.
    pub variant: String,
    /// `is_not_found_exception`
    pub predicate: String,
    pub http_status: Option<u16>,
    pub fault: bool,
}

/// A structure: an input, output, nested structure or error shape.
#[derive(Debug, Clone)]
pub struct Structure {
    /// The model's shape name (`GetProxySessionRequest`).
    pub shape: String,
    /// The Rust type name (`GetProxySessionInput`).
    pub type_name: String,
    /// The file (module) it is written to.
    pub module: String,
    pub role: Role,
    pub docs: String,
    pub members: Vec<Member>,
    /// The whole structure is `sensitive`: its `Debug` shows nothing.
    pub sensitive: bool,
    pub deprecated: Option<Deprecation>,
    /// Set for error shapes.
    pub error: Option<ErrorInfo>,
    /// A member is a streaming payload, which can be neither cloned nor
    /// compared: the type derives neither `Clone` nor `PartialEq`.
    pub streaming: bool,
    /// Whether requests, responses or both carry it: which wire code it needs.
    pub directions: Directions,
    /// XML: the field of the member that is the document's root element
    /// itself (set by a customization: S3's `GetBucketLocation`).
    pub xml_root_member: Option<String>,
}

impl Structure {
    /// Whether its `Debug` hides something: the whole structure or a
    /// member is sensitive. Other structures derive `Debug`.
    pub fn redacts(&self) -> bool {
        self.sensitive || self.members.iter().any(|m| m.sensitive)
    }
}

/// Which operations carry a shape, by model name: in their requests, and
/// in their responses (outputs and errors). A shape is compiled when one of
/// them is; its wire code for each direction when one of that direction's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Directions {
    pub request: BTreeSet<String>,
    pub response: BTreeSet<String>,
}

impl Directions {
    /// Every operation that uses the shape.
    pub fn operations(&self) -> BTreeSet<String> {
        self.request.union(&self.response).cloned().collect()
    }
}

/// A union: exactly one of its members is set. A value the model does not
/// know (from a newer service) is `Unknown`.
#[derive(Debug, Clone)]
pub struct Union {
    pub shape: String,
    pub type_name: String,
    pub module: String,
    pub docs: String,
    /// One variant per member, in model order. Each variant's Rust name is
    /// in `variant_names`, at the same index.
    pub members: Vec<Member>,
    pub variant_names: Vec<String>,
    pub sensitive: bool,
    pub deprecated: Option<Deprecation>,
    pub directions: Directions,
    /// Set when the union is an event stream (`eventstream`): its members
    /// are the events, each read from one message; the exceptions the
    /// stream may carry are here instead, since they become the
    /// operation's error.
    pub event_stream: Option<EventStream>,
}

/// What an event stream carries besides its events.
#[derive(Debug, Clone, Default)]
pub struct EventStream {
    /// The modeled exceptions, in model order: `:exception-type` names the
    /// member.
    pub exceptions: Vec<StreamException>,
    /// The event types (the members' wire names) and then the exception
    /// types the events do not already name, once each: the strings a
    /// message's type headers may hold.
    pub names: Vec<String>,
}

/// A modeled exception of an event stream.
#[derive(Debug, Clone)]
pub struct StreamException {
    /// The union member's name, which `:exception-type` carries
    /// (`throttlingException`).
    pub wire_name: String,
    /// The error shape it targets, which the operation's errors include.
    pub shape: String,
}

/// What a structure is for; decides its builder and its serde support.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// An operation input: its builder checks required members.
    Input,
    /// An operation output: read from the response.
    Output,
    /// A structure nested in others.
    Nested,
    /// An error shape.
    Error,
}

/// The `error` trait of an error shape.
#[derive(Debug, Clone)]
pub struct ErrorInfo {
    /// The code the service sends for this error (the model's `error.code`,
    /// else the shape's name).
    pub code: String,
    pub http_status: Option<u16>,
    /// `fault` (server side) rather than a client error.
    pub fault: bool,
    /// The field of a string member named `message` (in any case): when the
    /// body does not set it, it takes the error's message, wherever the
    /// service put that (`message`, `Message`, `errorMessage`), so that it
    /// and `ProvideErrorMetadata::message` agree.
    pub message_field: Option<String>,
}

impl ErrorInfo {
    /// The HTTP status the service answers this error with: the model's,
    /// else 500 for a server fault and 400 for a client error.
    pub fn status(&self) -> u16 {
        self.http_status
            .unwrap_or(if self.fault { 500 } else { 400 })
    }
}

/// A member of a structure.
#[derive(Debug, Clone)]
pub struct Member {
    /// The model's member name (`VoiceConnectorId`), used in error messages.
    pub name: String,
    /// The Rust field and accessor name (`voice_connector_id`).
    pub field: String,
    /// The name on the wire: JSON key, header, query parameter or label.
    pub wire_name: String,
    /// Its key in a request's form (awsQuery, ec2), as the protocol names
    /// it: awsQuery's is its XML name ([`Member::xml_name`]), ec2's its
    /// `queryName`, else its `locationName` or name capitalized.
    pub form_name: String,
    /// The target shape's name, for messages.
    pub target: String,
    pub ty: Type,
    pub binding: Binding,
    /// Listed in the structure's `required`. Only inputs enforce it: a
    /// response member stays optional whatever the model says.
    pub required: bool,
    pub docs: String,
    /// Redacted in `Debug`: the target (or a list/map element) is sensitive.
    pub sensitive: bool,
    pub deprecated: Option<Deprecation>,
    pub idempotency_token: bool,
    /// Stored as `Box<T>` to break a cycle of structures.
    pub boxed: bool,
    pub constraints: Constraints,
    /// `jsonvalue` header members carry JSON in a header.
    pub json_value: bool,
    /// Fills a label of the operation's host prefix.
    pub host_label: bool,
    /// XML: an attribute of its structure's element, not an element.
    pub xml_attribute: bool,
    /// XML: the namespace the member's element declares (its own, else its
    /// shape's, as botocore merges them).
    pub xml_namespace: Option<XmlNamespace>,
}

impl Member {
    /// The member's element name in XML and its key in a query form: its
    /// wire name, or for a list flattened by its shape whose items are
    /// named, their name.
    pub fn xml_name(&self) -> &str {
        match &self.ty {
            Type::List { xml, .. } if xml.flattened && xml.flattened_by_shape => {
                xml.item.as_deref().unwrap_or(&self.wire_name)
            }
            _ => &self.wire_name,
        }
    }

    /// Whether its form key says more than its XML name, the first
    /// letter's case aside (ec2 capitalizes it): an ec2 `queryName`. What
    /// summaries show.
    pub fn has_own_form_name(&self) -> bool {
        let mut form = self.form_name.chars();
        let mut xml = self.xml_name().chars();
        match (form.next(), xml.next()) {
            (Some(a), Some(b)) => {
                !a.to_lowercase().eq(b.to_lowercase()) || form.as_str() != xml.as_str()
            }
            (a, b) => a != b,
        }
    }
}

/// Where a member goes in the request or comes from in the response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Binding {
    Label {
        greedy: bool,
    },
    Query,
    Header,
    /// `headers`: every header with the prefix in `wire_name`.
    PrefixHeaders,
    StatusCode,
    /// A member of the body: a JSON key, a form key or an XML element,
    /// as the protocol writes it.
    Body,
    /// The structure's `payload` member: the whole body.
    Payload,
}

/// A member's resolved type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Type {
    String,
    Boolean,
    Integer,
    Long,
    Float,
    Double,
    Blob,
    /// A streaming blob payload: sent and received as a stream.
    Stream,
    /// An operation's output member that streams events: the event-stream
    /// union (by Rust type name) whose variants it yields, and the
    /// operation's error type (in the operation's module), which a modeled
    /// exception in the stream becomes.
    EventStream {
        events: String,
        error: String,
    },
    /// An operation's input member that streams events: the event-stream
    /// union (by Rust type name) whose variants the caller sends.
    InputEventStream(String),
    /// A timestamp, and the format it has where it occurs: the member's or
    /// its shape's `timestampFormat`, else the default of its location
    /// (epoch seconds in a JSON body, HTTP-date in a header, date-time in a
    /// label or a query string).
    Timestamp(TimestampFormat),
    /// A `document` shape: arbitrary JSON.
    Document,
    /// A string enum, by Rust type name.
    Enum(String),
    /// A structure, by Rust type name.
    Structure(String),
    /// A union, by Rust type name.
    Union(String),
    /// `sparse` lists keep null elements (`Option<T>`).
    List {
        element: Box<Type>,
        sparse: bool,
        xml: ListXml,
    },
    /// `sparse` maps keep null values (`Option<V>`).
    Map {
        key: Box<Type>,
        value: Box<Type>,
        sparse: bool,
        xml: MapXml,
    },
}

/// How the XML and query protocols write a list; the JSON ones ignore it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListXml {
    /// Items repeat the member's own element (or key) instead of sitting
    /// in a wrapper.
    pub flattened: bool,
    /// The items' element name (`locationName` of the list's member);
    /// `member` when unset, and the member's own name when flattened.
    pub item: Option<String>,
    /// The list's own shape is flattened (not only the member that holds
    /// it): its items then take their element name from `item` where it is
    /// set, in place of the member's name (botocore's `_member_key_name`
    /// and query serializer; SQS's `AttributeName.1`).
    pub flattened_by_shape: bool,
    /// The namespace each item's element declares.
    pub item_namespace: Option<XmlNamespace>,
}

/// How the XML and query protocols write a map; the JSON ones ignore it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MapXml {
    /// Entries repeat the member's own element instead of `entry` elements
    /// in a wrapper.
    pub flattened: bool,
    /// The key's and the value's element names; `key` and `value` when unset.
    pub key: Option<String>,
    pub value: Option<String>,
    /// The namespaces the key's and the value's elements declare.
    pub key_namespace: Option<XmlNamespace>,
    pub value_namespace: Option<XmlNamespace>,
}

/// How a timestamp is written on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimestampFormat {
    /// `unixTimestamp`
    EpochSeconds,
    /// `iso8601`
    DateTime,
    /// `rfc822`
    HttpDate,
}

/// Validation constraints, recorded as the model states them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub pattern: Option<String>,
}

/// A `deprecated` mark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deprecation {
    pub message: Option<String>,
    pub since: Option<String>,
}

/// A string enum.
#[derive(Debug, Clone)]
pub struct Enum {
    pub shape: String,
    pub type_name: String,
    pub module: String,
    pub docs: String,
    pub variants: Vec<Variant>,
    pub sensitive: bool,
    /// The operations that use it (compiled when one of them is).
    pub operations: BTreeSet<String>,
}

/// One known value of a string enum.
#[derive(Debug, Clone)]
pub struct Variant {
    /// `InProgress`, `Sms`
    pub name: String,
    /// `InProgress`, `SMS`: exactly as on the wire.
    pub value: String,
}
