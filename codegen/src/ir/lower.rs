//! Lowers the botocore model into the IR: names, types, bindings, docs.

use super::context_params;
use super::names::TypeNames;
use super::reach::{self, shape};
use super::*;
use crate::customize::Applied;
use crate::docs::html_to_markdown;
use crate::emit::protocol::Protocol;
use crate::error::Error;
use crate::model::{self, Service, ShapeType};
use crate::naming;
use std::collections::{BTreeMap, BTreeSet};

/// The signing names for which botocore reads a bearer token from
/// `AWS_BEARER_TOKEN_<SIGNING NAME>` (its `get_bearer_auth_supported_services`);
/// other services that accept a token take it from the configuration only.
const BEARER_TOKEN_ENV_SIGNING_NAMES: &[&str] = &["bedrock"];

/// Lowers the operations named in `selection` (all of them for `None`) and
/// the shapes they reach. `customizations` are those that made `service`
/// what it is, recorded in the IR.
pub fn lower(
    service: &Service,
    selection: Option<&[String]>,
    protocol: &'static dyn Protocol,
    customizations: Vec<Applied>,
) -> Result<Crate, Error> {
    let names: Vec<&String> = match selection {
        Some(selected) => {
            for name in selected {
                if !service.operations.contains_key(name) {
                    return Err(Error::Invalid(format!(
                        "operation `{name}` is not in the model"
                    )));
                }
            }
            let wanted: BTreeSet<&String> = selected.iter().collect();
            service
                .operations
                .keys()
                .filter(|k| wanted.contains(k))
                .collect()
        }
        None => service.operations.keys().collect(),
    };
    let lowering = Lowering {
        service,
        names: TypeNames::new(service),
        protocol,
    };
    let mut operations = names
        .iter()
        .map(|name| lowering.operation(name, &service.operations[*name]))
        .collect::<Result<Vec<_>, _>>()?;
    let features: Vec<String> = naming::RESERVED_FEATURES
        .iter()
        .map(|f| f.to_string())
        .chain(operations.iter().map(|o| o.feature.clone()))
        .collect();
    let features = naming::dedupe(features);
    for (op, feature) in operations
        .iter_mut()
        .zip(features.into_iter().skip(naming::RESERVED_FEATURES.len()))
    {
        op.feature = feature;
    }
    let op_types = naming::dedupe(operations.iter().map(|o| o.type_name.clone()).collect());
    let op_modules = naming::dedupe(operations.iter().map(|o| o.module.clone()).collect());
    for ((op, type_name), module) in operations.iter_mut().zip(op_types).zip(op_modules) {
        op.type_name = type_name;
        op.module = module;
    }

    // Which operations reach each shape, in requests and in responses:
    // what compiles a shape, and its wire code, under each feature.
    let mut in_requests: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut in_responses: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut error_users: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for name in &names {
        let op = &service.operations[*name];
        let requests = reach::reached(service, op.input.iter().map(|r| r.shape.as_str()))?;
        let response_roots = op.output.iter().chain(&op.errors).map(|r| r.shape.as_str());
        let responses = reach::reached(service, response_roots)?;
        for shape in requests {
            in_requests
                .entry(shape)
                .or_default()
                .insert((*name).clone());
        }
        for shape in responses {
            in_responses
                .entry(shape)
                .or_default()
                .insert((*name).clone());
        }
        let stream_errors = stream_exceptions(service, op)?.into_iter().map(|e| e.shape);
        for shape in op
            .errors
            .iter()
            .map(|e| e.shape.clone())
            .chain(stream_errors)
        {
            error_users
                .entry(shape)
                .or_default()
                .insert((*name).clone());
        }
    }
    let reached: BTreeSet<&String> = in_requests.keys().chain(in_responses.keys()).collect();
    let directions = |name: &String| Directions {
        request: in_requests.get(name).cloned().unwrap_or_default(),
        response: in_responses.get(name).cloned().unwrap_or_default(),
    };
    let mut structures = Vec::new();
    let mut unions = Vec::new();
    let mut enums = Vec::new();
    for name in reached {
        let shape = &service.shapes[name];
        match shape.kind {
            ShapeType::Structure if shape.eventstream => {
                let mut union = lowering.event_stream(name)?;
                union.directions = directions(name);
                unions.push(union);
            }
            ShapeType::Structure if shape.document || is_error_shape(shape) => {}
            ShapeType::Structure if shape.union => {
                let mut union = lowering.union(name)?;
                union.directions = directions(name);
                unions.push(union);
            }
            ShapeType::Structure => {
                let mut structure = lowering.structure(
                    name,
                    lowering.names.type_name(name),
                    Role::Nested,
                    &BTreeSet::new(),
                    None,
                )?;
                structure.directions = directions(name);
                structures.push(structure);
            }
            ShapeType::String if shape.enum_values.is_some() => {
                let mut e = lowering.enumeration(name, shape);
                e.operations = directions(name).operations();
                enums.push(e);
            }
            _ => {}
        }
    }
    let errors = error_users
        .iter()
        .map(|(name, users)| {
            let mut error = lowering.structure(
                name,
                lowering.names.error_name(name),
                Role::Error,
                &BTreeSet::new(),
                None,
            )?;
            error.directions.response = users.clone();
            Ok(error)
        })
        .collect::<Result<Vec<_>, Error>>()?;
    for op in &mut operations {
        let model_op = &service.operations[&op.name];
        op.calls = calls::lower(
            &op.name,
            &model_op.calls,
            &op.input,
            &op.output,
            &structures,
            &enums,
        )?;
        // Paths into the input follow its nested structures, known now.
        for (param, context) in &model_op.operation_context_params {
            let path = context_params::lower(param, &context.path, &op.input, &structures)?;
            op.endpoint_params
                .push((param.clone(), EndpointParam::Path(path)));
        }
    }

    let meta = &service.metadata;
    let signing_name = meta
        .signing_name
        .clone()
        .or_else(|| meta.endpoint_prefix.clone())
        .unwrap_or_default();
    let bearer_token_env = BEARER_TOKEN_ENV_SIGNING_NAMES.contains(&signing_name.as_str())
        && operations
            .iter()
            .any(|op| matches!(op.signing, Signing::Bearer | Signing::SigV4OrBearer));
    let bearer_token_sso = operations.iter().any(|op| op.signing == Signing::Bearer);
    Ok(Crate {
        service: ServiceInfo {
            title: meta
                .service_full_name
                .clone()
                .unwrap_or_else(|| meta.api_version.clone()),
            service_id: meta.service_id.clone().unwrap_or_default(),
            api_version: meta.api_version.clone(),
            signing_name,
            endpoint_prefix: meta.endpoint_prefix.clone().unwrap_or_default(),
            protocol,
            wire: WireMetadata {
                json_version: meta.json_version.clone(),
                target_prefix: meta.target_prefix.clone(),
                query_compatible: meta.aws_query_compatible.is_some(),
            },
            http2: Http2::from_model(meta.protocol_settings.h2.as_deref()),
            // Read from the endpoint rules, when they are attached.
            sigv4a: false,
            bearer_token_env,
            bearer_token_sso,
            runtime_hooks: customizations
                .iter()
                .find_map(|applied| applied.customization.runtime_hooks())
                .map(str::to_string),
            customizations,
            client_context_params: service.client_context_params.keys().cloned().collect(),
            docs: docs(service.documentation.as_deref()),
        },
        operations,
        structures,
        unions,
        errors,
        enums,
        waiters: Vec::new(),
    })
}

/// The exceptions that an operation's output event stream may carry,
/// in model order; none for an operation that does not stream.
fn stream_exceptions(
    service: &Service,
    op: &model::Operation,
) -> Result<Vec<StreamException>, Error> {
    let Some(output) = &op.output else {
        return Ok(Vec::new());
    };
    let output = reach::shape(service, &output.shape, &op.name)?;
    let mut found = Vec::new();
    for (_, member) in output.members.iter().flat_map(|m| m.0.iter()) {
        let stream = reach::shape(service, &member.shape, &op.name)?;
        if !stream.eventstream {
            continue;
        }
        for (name, event) in stream.members.iter().flat_map(|m| m.0.iter()) {
            if is_error_shape(reach::shape(service, &event.shape, &member.shape)?) {
                found.push(StreamException {
                    wire_name: name.clone(),
                    shape: event.shape.clone(),
                });
            }
        }
    }
    Ok(found)
}

fn is_error_shape(shape: &model::Shape) -> bool {
    shape.exception || shape.error.is_some() || shape.fault
}

fn docs(html: Option<&str>) -> String {
    html.map(html_to_markdown).unwrap_or_default()
}

fn deprecation(
    deprecated: bool,
    message: &Option<String>,
    since: &Option<String>,
) -> Option<Deprecation> {
    deprecated.then(|| Deprecation {
        message: message.clone(),
        since: since.clone(),
    })
}

/// Where a member is, for the default format of its timestamps.
#[derive(Clone, Copy)]
enum Place {
    Body,
    Header,
    /// A label or a query string.
    Uri,
}

impl Place {
    /// botocore's default for the place: HTTP's own for headers and URIs,
    /// the protocol's for a body.
    fn timestamp_default(self, protocol: &dyn Protocol) -> TimestampFormat {
        match self {
            Place::Body => protocol.body_timestamp_format(),
            Place::Header => TimestampFormat::HttpDate,
            Place::Uri => TimestampFormat::DateTime,
        }
    }
}

/// The structure or union whose members are being lowered.
struct Owner<'a> {
    name: &'a str,
    shape: &'a model::Shape,
    /// Its payload member, where it is an operation's input or output.
    payload: Option<&'a str>,
    /// It is an operation's input.
    input: bool,
}

/// The model and the names of its types, while lowering.
struct Lowering<'a> {
    service: &'a Service,
    names: TypeNames,
    protocol: &'static dyn Protocol,
}

impl Lowering<'_> {
    fn operation(&self, key: &str, op: &model::Operation) -> Result<Operation, Error> {
        let service = self.service;
        // An RPC protocol always posts to the endpoint's own path.
        let request_uri = if self.protocol.http_bindings() {
            op.http.request_uri.as_str()
        } else {
            "/"
        };
        let (path_template, literal_query) = match request_uri.split_once('?') {
            Some((path, query)) => (path, Some(query.to_string())),
            None => (request_uri, None),
        };
        let path = parse_path(path_template, key)?;
        let greedy: BTreeSet<String> = path
            .iter()
            .filter_map(|p| match p {
                PathPart::Label {
                    member,
                    greedy: true,
                } => Some(member.clone()),
                _ => None,
            })
            .collect();

        let input_name = naming::operation_input(key);
        let output_name = naming::operation_output(key);
        if let (Some(r), false) = (&op.input, self.protocol.input_event_streams()) {
            self.refuse_event_streams(key, &r.shape)?;
        }
        if let (Some(r), false) = (&op.output, self.protocol.output_event_streams()) {
            self.refuse_event_streams(key, &r.shape)?;
        }
        let input = match &op.input {
            Some(r) => self.structure(
                &r.shape,
                input_name,
                Role::Input,
                &greedy,
                r.payload.as_deref(),
            )?,
            None => empty_structure(key, input_name, Role::Input),
        };
        let mut output = match &op.output {
            Some(r) => self.structure(
                &r.shape,
                output_name,
                Role::Output,
                &greedy,
                r.payload.as_deref(),
            )?,
            None => empty_structure(key, output_name, Role::Output),
        };
        let error_type = naming::operation_error(key);
        for m in &mut output.members {
            if let Type::EventStream { error, .. } = &mut m.ty {
                error.clone_from(&error_type);
            }
        }
        let endpoint_params = self.endpoint_params(op, &input)?;
        let routed: BTreeSet<&str> = endpoint_params
            .iter()
            .filter_map(|(_, p)| match p {
                EndpointParam::Member(name) => Some(name.as_str()),
                _ => None,
            })
            .collect();
        let path = bind_labels(path, &input, key, &routed)?;

        // The stream's exceptions are the operation's errors too: one
        // error type for a call, whether it fails before the stream or in it.
        let mut seen = BTreeSet::new();
        let stream_errors = stream_exceptions(service, op)?.into_iter().map(|e| e.shape);
        let errors = op
            .errors
            .iter()
            .map(|e| e.shape.clone())
            .chain(stream_errors)
            .filter(|e| seen.insert(e.clone()))
            .map(|e| {
                let shape = shape(service, &e, key)?;
                let type_name = self.names.error_name(&e);
                Ok(ErrorRef {
                    code: shape
                        .error
                        .as_ref()
                        .and_then(|e| e.code.clone())
                        .unwrap_or_else(|| e.clone()),
                    shape: e,
                    variant: naming::error_variant(&type_name),
                    predicate: format!("is_{}", naming::snake(&type_name)),
                    type_name,
                    http_status: shape.error.as_ref().and_then(|e| e.http_status_code),
                    fault: shape.fault,
                })
            })
            .collect::<Result<Vec<_>, Error>>()?;

        let host_prefix = match &op.endpoint {
            // The endpoint rules already lead the host with the account
            // (S3 Control): a second `{AccountId}.` would make a host that
            // does not exist. botocore drops the prefix on this condition.
            Some(endpoint)
                if endpoint.host_prefix == "{AccountId}."
                    && op
                        .static_context_params
                        .get("RequiresAccountId")
                        .is_some_and(|p| p.value == serde_json::Value::Bool(true)) =>
            {
                Vec::new()
            }
            Some(endpoint) => parse_host_prefix(&endpoint.host_prefix, &input, key)?,
            None => Vec::new(),
        };
        let http_checksum = http_checksum(op, &input)?;
        let this = BTreeSet::from([key.to_string()]);
        let mut input = input;
        input.directions.request = this.clone();
        output.directions.response = this;
        Ok(Operation {
            name: key.to_string(),
            wire_name: op.name.clone(),
            type_name: naming::type_name(key),
            module: naming::module(key),
            feature: naming::feature(key),
            http_method: op.http.method.to_ascii_uppercase(),
            path,
            literal_query,
            success_code: op.http.response_code.unwrap_or(200),
            has_input: op.input.is_some(),
            input,
            output,
            errors,
            error_type,
            docs: docs(op.documentation.as_deref()),
            deprecated: deprecation(op.deprecated, &op.deprecated_message, &op.deprecated_since),
            idempotent: op.idempotent,
            host_prefix,
            signing: self.signing(op)?,
            content_md5: op.http_checksum_required && op.http_checksum.is_none(),
            http_checksum,
            request_compression: op
                .requestcompression
                .as_ref()
                .is_some_and(|c| c.encodings.iter().any(|e| e == "gzip")),
            endpoint_params,
            paginator: None,
            result_wrapper: op.output.as_ref().and_then(|r| r.result_wrapper.clone()),
            xml_root: self.xml_root(op, key)?,
            // Resolved once the crate's structures and enums are.
            calls: Calls::default(),
        })
    }

    /// The endpoint rule parameters an operation sets: fixed values, then
    /// input members (string or boolean) bound with `contextParam`.
    fn endpoint_params(
        &self,
        op: &model::Operation,
        input: &Structure,
    ) -> Result<Vec<(String, EndpointParam)>, Error> {
        let mut params = Vec::new();
        for (name, param) in &op.static_context_params {
            let value = match &param.value {
                serde_json::Value::String(s) => EndpointParam::Str(s.clone()),
                serde_json::Value::Bool(b) => EndpointParam::Bool(*b),
                other => {
                    return Err(Error::Unsupported {
                        shape: op.name.clone(),
                        what: format!("the static endpoint parameter `{name}` = {other}"),
                    })
                }
            };
            params.push((name.clone(), value));
        }
        let Some(r) = &op.input else {
            return Ok(params);
        };
        let shape = shape(self.service, &r.shape, &op.name)?;
        for (member_name, member) in shape.members.iter().flat_map(|m| m.0.iter()) {
            let Some(context) = &member.context_param else {
                continue;
            };
            let lowered = input.members.iter().find(|m| &m.name == member_name);
            if !lowered.is_some_and(|m| matches!(m.ty, Type::String | Type::Boolean)) {
                return Err(Error::Unsupported {
                    shape: r.shape.clone(),
                    what: format!(
                        "member `{member_name}` bound to the endpoint parameter `{}` (not a string or boolean)",
                        context.name
                    ),
                });
            }
            params.push((
                context.name.clone(),
                EndpointParam::Member(member_name.clone()),
            ));
        }
        Ok(params)
    }

    /// The first authentication scheme the client supports, from the
    /// operation's `auth`, its legacy `authtype`, or the service's. SigV4
    /// and a bearer token both listed, in either order, are
    /// [`Signing::SigV4OrBearer`]: botocore prefers a token when one is
    /// configured, and signs otherwise.
    fn signing(&self, op: &model::Operation) -> Result<Signing, Error> {
        let meta = &self.service.metadata;
        let legacy = |authtype: &str| match authtype {
            "none" => "smithy.api#noAuth",
            "bearer" => "smithy.api#httpBearerAuth",
            // Not a Smithy trait: botocore's name for SigV2, kept apart
            // from the schemes a model's `auth` lists.
            "v2" => "v2",
            _ => "aws.auth#sigv4",
        };
        let schemes: Vec<&str> = if !op.auth.is_empty() {
            op.auth.iter().map(String::as_str).collect()
        } else if let Some(authtype) = &op.authtype {
            vec![legacy(authtype)]
        } else if !meta.auth.is_empty() {
            meta.auth.iter().map(String::as_str).collect()
        } else {
            vec![legacy(meta.signature_version.as_deref().unwrap_or("v4"))]
        };
        let unsigned_body =
            op.unsigned_payload || op.authtype.as_deref() == Some("v4-unsigned-body");
        let bearer_too = schemes.contains(&"smithy.api#httpBearerAuth");
        let sigv4_too = schemes.contains(&"aws.auth#sigv4");
        for scheme in &schemes {
            match *scheme {
                // No model has both; a body left unsigned takes SigV4 only
                // rather than a variant for a case that never happens.
                "smithy.api#httpBearerAuth" if sigv4_too && unsigned_body => {}
                // Listed first, a token is still used only when there is
                // one: SigV4 then rather than an error.
                "smithy.api#httpBearerAuth" if sigv4_too => return Ok(Signing::SigV4OrBearer),
                "aws.auth#sigv4" if unsigned_body => return Ok(Signing::SigV4UnsignedPayload),
                "aws.auth#sigv4" if bearer_too => return Ok(Signing::SigV4OrBearer),
                "aws.auth#sigv4" => return Ok(Signing::SigV4),
                "smithy.api#noAuth" => return Ok(Signing::Anonymous),
                "smithy.api#httpBearerAuth" => return Ok(Signing::Bearer),
                "v2" => return Ok(Signing::SigV2),
                _ => {}
            }
        }
        Err(Error::Unsupported {
            shape: op.name.clone(),
            what: format!("the authentication schemes {schemes:?}"),
        })
    }

    /// An input or output whose payload is an event stream.
    fn refuse_event_streams(&self, op: &str, structure: &str) -> Result<(), Error> {
        let shape = shape(self.service, structure, op)?;
        for (_, member) in shape.members.iter().flat_map(|m| m.0.iter()) {
            if self
                .service
                .shapes
                .get(&member.shape)
                .is_some_and(|s| s.eventstream)
            {
                return Err(Error::EventStream {
                    operation: op.to_string(),
                    shape: member.shape.clone(),
                });
            }
        }
        Ok(())
    }

    /// A structure; `payload` is the operation's reference to it naming a
    /// payload member of its own (as botocore lets a reference add to the
    /// shape's traits), else the shape's.
    fn structure(
        &self,
        name: &str,
        type_name: String,
        role: Role,
        greedy_labels: &BTreeSet<String>,
        payload: Option<&str>,
    ) -> Result<Structure, Error> {
        let shape = shape(self.service, name, name)?;
        let payload = payload.or(shape.payload.as_deref());
        if shape.kind != ShapeType::Structure || shape.union && role != Role::Nested {
            return Err(Error::Invalid(format!(
                "`{name}` is used as a structure but is a {}",
                if shape.union {
                    "union".to_string()
                } else {
                    format!("{:?}", shape.kind)
                }
            )));
        }
        // Only what a request or response carries itself has bindings; a
        // nested structure is all body, as in botocore.
        let top_level = role != Role::Nested;
        let mut members = shape
            .members
            .iter()
            .flat_map(|m| m.0.iter())
            .map(|(member_name, member)| {
                let at = Owner {
                    name,
                    shape,
                    payload,
                    input: role == Role::Input,
                };
                self.member(&at, member_name, member, greedy_labels, top_level)
            })
            .collect::<Result<Vec<_>, _>>()?;
        let fields = naming::dedupe(members.iter().map(|m| m.field.clone()).collect());
        for (member, field) in members.iter_mut().zip(fields) {
            member.field = field;
        }
        let module = match role {
            Role::Input => "input".to_string(),
            Role::Output => "output".to_string(),
            _ => naming::module(&type_name),
        };
        let error = is_error_shape(shape).then(|| ErrorInfo {
            code: shape
                .error
                .as_ref()
                .and_then(|e| e.code.clone())
                .unwrap_or_else(|| name.to_string()),
            http_status: shape.error.as_ref().and_then(|e| e.http_status_code),
            fault: shape.fault,
            message_field: members
                .iter()
                .find(|m| {
                    m.name.eq_ignore_ascii_case("message")
                        && m.ty == Type::String
                        && m.binding == Binding::Body
                })
                .map(|m| m.field.clone()),
        });
        let xml_root_member = shape.xml_root_member.as_ref().map(|root| {
            members
                .iter()
                .find(|m| &m.name == root)
                .map_or_else(|| root.clone(), |m| m.field.clone())
        });
        Ok(Structure {
            shape: name.to_string(),
            module,
            type_name,
            role,
            directions: Directions::default(),
            docs: docs(shape.documentation.as_deref()),
            streaming: members.iter().any(|m| {
                matches!(
                    m.ty,
                    Type::Stream | Type::EventStream { .. } | Type::InputEventStream(_)
                )
            }),
            members,
            sensitive: shape.sensitive,
            deprecated: deprecation(shape.deprecated, &shape.deprecated_message, &None),
            error,
            xml_root_member,
        })
    }

    fn union(&self, name: &str) -> Result<Union, Error> {
        let shape = shape(self.service, name, name)?;
        let members = shape
            .members
            .iter()
            .flat_map(|m| m.0.iter())
            .map(|(member_name, member)| {
                let at = Owner {
                    name,
                    shape,
                    payload: None,
                    input: false,
                };
                self.member(&at, member_name, member, &BTreeSet::new(), false)
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(self.union_of(name, shape, members))
    }

    /// The union `name` of these lowered members.
    fn union_of(&self, name: &str, shape: &model::Shape, members: Vec<Member>) -> Union {
        let variant_names = naming::dedupe(
            members
                .iter()
                .map(|m| naming::union_variant(&m.name))
                .collect(),
        );
        let type_name = self.names.type_name(name);
        Union {
            shape: name.to_string(),
            module: naming::module(&type_name),
            type_name,
            docs: docs(shape.documentation.as_deref()),
            members,
            variant_names,
            sensitive: shape.sensitive,
            deprecated: deprecation(shape.deprecated, &shape.deprecated_message, &None),
            directions: Directions::default(),
            event_stream: None,
        }
    }

    /// An event stream: a union of its events, its exceptions set apart.
    fn event_stream(&self, name: &str) -> Result<Union, Error> {
        let shape = shape(self.service, name, name)?;
        let mut exceptions = Vec::new();
        let mut members = Vec::new();
        for (member_name, member) in shape.members.iter().flat_map(|m| m.0.iter()) {
            let referrer = format!("{name}.{member_name}");
            let target = reach::shape(self.service, &member.shape, &referrer)?;
            if is_error_shape(target) {
                exceptions.push(StreamException {
                    wire_name: member_name.clone(),
                    shape: member.shape.clone(),
                });
                continue;
            }
            if target.kind != ShapeType::Structure || !target.event {
                return Err(Error::Unsupported {
                    shape: referrer,
                    what: format!(
                        "the event stream member `{}` is not an event structure",
                        member.shape
                    ),
                });
            }
            let at = Owner {
                name,
                shape,
                payload: None,
                input: false,
            };
            members.push(self.member(&at, member_name, member, &BTreeSet::new(), false)?);
        }
        let mut union = self.union_of(name, shape, members);
        // Every `:event-type` and `:exception-type` the stream may carry,
        // once each: the readers decode them as static strings.
        let mut names: Vec<String> = union.members.iter().map(|m| m.wire_name.clone()).collect();
        for x in &exceptions {
            if !names.contains(&x.wire_name) {
                names.push(x.wire_name.clone());
            }
        }
        union.event_stream = Some(EventStream { exceptions, names });
        Ok(union)
    }

    fn member(
        &self,
        owner: &Owner<'_>,
        name: &str,
        member: &model::Member,
        greedy_labels: &BTreeSet<String>,
        top_level: bool,
    ) -> Result<Member, Error> {
        let service = self.service;
        let owner_name = owner.name;
        let referrer = format!("{owner_name}.{name}");
        let target = shape(service, &member.shape, &referrer)?;
        // A member takes its target's serialization traits where it has none
        // of its own (botocore's `ShapeResolver` merges them so).
        let location_name = member
            .location_name
            .as_ref()
            .or(target.location_name.as_ref());
        let location = member.location.as_deref().or(target.location.as_deref());
        // The RPC protocols put every member in the body, whatever HTTP
        // binding the model gives it (as botocore's serializers do).
        let http = top_level && self.protocol.http_bindings();
        let location = if http { location } else { None };
        // The prefix of a `headers` map is its name on the wire, and empty
        // (every header) when it has none; elsewhere the member's name is
        // the default.
        let wire_name = match (location_name, location) {
            (Some(wire), _) => wire.clone(),
            (None, Some("headers")) => String::new(),
            (None, _) => name.to_string(),
        };
        let binding = match location {
            // An event's members are bound to its message instead.
            _ if owner.shape.event && member.eventheader => Binding::Header,
            _ if owner.shape.event && member.eventpayload => Binding::Payload,
            _ if owner.shape.event => Binding::Body,
            Some("uri") => Binding::Label {
                greedy: greedy_labels.contains(&wire_name),
            },
            Some("querystring") => Binding::Query,
            Some("header") => Binding::Header,
            Some("headers") => Binding::PrefixHeaders,
            Some("statusCode") => Binding::StatusCode,
            None if http && owner.payload == Some(name) => Binding::Payload,
            None => Binding::Body,
            Some(other) => {
                return Err(Error::Invalid(format!(
                    "`{referrer}` has unknown location `{other}`"
                )))
            }
        };
        // A payload's element is named by the member, else by its shape
        // (botocore's `serialization['name']`, merged from both), else
        // after its shape.
        let wire_name = match binding {
            Binding::Payload if location_name.is_none() && !owner.shape.event => {
                member.shape.clone()
            }
            _ => wire_name,
        };
        let place = match binding {
            Binding::Header | Binding::PrefixHeaders => Place::Header,
            Binding::Label { .. } | Binding::Query => Place::Uri,
            _ => Place::Body,
        };
        let streaming = target.kind == ShapeType::Blob && (target.streaming || member.streaming);
        let ty = match &member.timestamp_format {
            _ if streaming && binding == Binding::Payload => Type::Stream,
            _ if target.eventstream && top_level && owner.input => {
                Type::InputEventStream(self.names.type_name(&member.shape))
            }
            // Filled with the operation's error type by `operation`.
            _ if target.eventstream && top_level => Type::EventStream {
                events: self.names.type_name(&member.shape),
                error: String::new(),
            },
            Some(format) if target.kind == ShapeType::Timestamp => {
                Type::Timestamp(timestamp_format(format, &referrer)?)
            }
            _ => self.resolve_type(&member.shape, &referrer, 0, place)?,
        };
        // A member can flatten its list or map whatever the shape says.
        let ty = match ty {
            Type::List {
                element,
                sparse,
                mut xml,
            } if member.flattened => {
                xml.flattened = true;
                Type::List {
                    element,
                    sparse,
                    xml,
                }
            }
            Type::Map {
                key,
                value,
                sparse,
                mut xml,
            } if member.flattened => {
                xml.flattened = true;
                Type::Map {
                    key,
                    value,
                    sparse,
                    xml,
                }
            }
            ty => ty,
        };
        let member_docs = member
            .documentation
            .as_deref()
            .or(target.documentation.as_deref());
        let mut lowered = Member {
            name: name.to_string(),
            field: naming::field(name),
            wire_name,
            form_name: String::new(),
            target: member.shape.clone(),
            ty,
            binding,
            required: owner.shape.required.iter().any(|r| r == name),
            docs: docs(member_docs),
            sensitive: is_sensitive(service, &member.shape),
            deprecated: deprecation(member.deprecated, &member.deprecated_message, &None),
            idempotency_token: member.idempotency_token,
            boxed: target.kind == ShapeType::Structure
                && !target.document
                && reach::closes_cycle(service, &member.shape, owner_name),
            constraints: Constraints {
                min: target.min,
                max: target.max,
                pattern: target.pattern.clone(),
            },
            json_value: member.jsonvalue || target.jsonvalue,
            host_label: member.host_label,
            xml_attribute: member.xml_attribute,
            xml_namespace: xml_namespace(&member.xml_namespace, &target.xml_namespace),
        };
        lowered.form_name = self
            .protocol
            .form_name(
                name,
                location_name.map(String::as_str),
                member.query_name.as_deref(),
            )
            .unwrap_or_else(|| lowered.xml_name().to_string());
        Ok(lowered)
    }

    /// The element that holds an operation's input body members: named
    /// by the input reference, else by the input shape, else after it; its
    /// namespace likewise (botocore merges the reference over the shape).
    fn xml_root(&self, op: &model::Operation, key: &str) -> Result<XmlElement, Error> {
        let Some(input) = &op.input else {
            return Ok(XmlElement {
                name: key.to_string(),
                namespace: None,
            });
        };
        let target = shape(self.service, &input.shape, key)?;
        Ok(XmlElement {
            name: input
                .location_name
                .as_ref()
                .or(target.location_name.as_ref())
                .unwrap_or(&input.shape)
                .clone(),
            namespace: xml_namespace(&input.xml_namespace, &target.xml_namespace),
        })
    }

    /// The namespace of a list item's or a map key's or value's element:
    /// its own, else its shape's.
    fn element_namespace(&self, member: Option<&model::Member>) -> Option<XmlNamespace> {
        let member = member?;
        let target = self.service.shapes.get(&member.shape);
        xml_namespace(
            &member.xml_namespace,
            &target.and_then(|t| t.xml_namespace.clone()),
        )
    }

    fn resolve_type(
        &self,
        name: &str,
        referrer: &str,
        depth: usize,
        place: Place,
    ) -> Result<Type, Error> {
        if depth > 16 {
            return Err(Error::Invalid(format!(
                "`{referrer}`: lists and maps nested more than 16 deep"
            )));
        }
        let target = shape(self.service, name, referrer)?;
        let element = |m: &Option<model::Member>, what: &str| -> Result<Box<Type>, Error> {
            let m = m
                .as_ref()
                .ok_or_else(|| Error::Invalid(format!("`{name}` has no `{what}`")))?;
            let element_shape = shape(self.service, &m.shape, name)?;
            Ok(Box::new(match &m.timestamp_format {
                Some(format) if element_shape.kind == ShapeType::Timestamp => {
                    Type::Timestamp(timestamp_format(format, name)?)
                }
                _ => self.resolve_type(&m.shape, name, depth + 1, place)?,
            }))
        };
        Ok(match target.kind {
            ShapeType::String if target.enum_values.is_some() => {
                Type::Enum(self.names.type_name(name))
            }
            ShapeType::String => Type::String,
            ShapeType::Boolean => Type::Boolean,
            ShapeType::Integer => Type::Integer,
            ShapeType::Long => Type::Long,
            ShapeType::Float => Type::Float,
            ShapeType::Double => Type::Double,
            ShapeType::Blob => Type::Blob,
            ShapeType::Timestamp => Type::Timestamp(match &target.timestamp_format {
                Some(format) => timestamp_format(format, name)?,
                None => place.timestamp_default(self.protocol),
            }),
            ShapeType::Structure if target.eventstream => {
                return Err(Error::EventStream {
                    operation: referrer.to_string(),
                    shape: name.to_string(),
                })
            }
            ShapeType::Structure if target.document => Type::Document,
            ShapeType::Structure if is_error_shape(target) => {
                return Err(Error::Unsupported {
                    shape: referrer.to_string(),
                    what: format!("the error shape `{name}` used as a member"),
                })
            }
            ShapeType::Structure if target.union => Type::Union(self.names.type_name(name)),
            ShapeType::Structure => Type::Structure(self.names.type_name(name)),
            ShapeType::List => Type::List {
                element: element(&target.member, "member")?,
                sparse: target.sparse,
                xml: ListXml {
                    flattened: target.flattened,
                    item: target.member.as_ref().and_then(|m| m.location_name.clone()),
                    flattened_by_shape: target.flattened,
                    item_namespace: self.element_namespace(target.member.as_ref()),
                },
            },
            ShapeType::Map => {
                let key = element(&target.key, "key")?;
                if !matches!(*key, Type::String | Type::Enum(_)) {
                    return Err(Error::Unsupported {
                        shape: name.to_string(),
                        what: format!("a map keyed by {key:?}"),
                    });
                }
                Type::Map {
                    key,
                    value: element(&target.value, "value")?,
                    sparse: target.sparse,
                    xml: MapXml {
                        flattened: target.flattened,
                        key: target.key.as_ref().and_then(|m| m.location_name.clone()),
                        value: target.value.as_ref().and_then(|m| m.location_name.clone()),
                        key_namespace: self.element_namespace(target.key.as_ref()),
                        value_namespace: self.element_namespace(target.value.as_ref()),
                    },
                }
            }
        })
    }

    fn enumeration(&self, name: &str, shape: &model::Shape) -> Enum {
        let values: Vec<&String> = shape.enum_values.iter().flatten().collect();
        let variant_names =
            naming::dedupe(values.iter().map(|v| naming::enum_variant(v)).collect());
        let variants = values
            .into_iter()
            .zip(variant_names)
            .map(|(value, name)| Variant {
                name,
                value: value.clone(),
            })
            .collect();
        let type_name = self.names.type_name(name);
        Enum {
            shape: name.to_string(),
            module: naming::module(&type_name),
            type_name,
            docs: docs(shape.documentation.as_deref()),
            variants,
            sensitive: shape.sensitive,
            operations: BTreeSet::new(),
        }
    }
}

/// `timestampFormat` as botocore spells it.
/// A namespace as the IR keeps it: the reference's, else the shape's.
fn xml_namespace(
    own: &Option<model::XmlNamespace>,
    shape: &Option<model::XmlNamespace>,
) -> Option<XmlNamespace> {
    own.as_ref().or(shape.as_ref()).map(|ns| match ns {
        model::XmlNamespace::Uri(uri) => XmlNamespace {
            uri: uri.clone(),
            prefix: None,
        },
        model::XmlNamespace::Full { uri, prefix } => XmlNamespace {
            uri: uri.clone(),
            prefix: prefix.clone().filter(|p| !p.is_empty()),
        },
    })
}

fn timestamp_format(format: &str, referrer: &str) -> Result<TimestampFormat, Error> {
    match format {
        "unixTimestamp" => Ok(TimestampFormat::EpochSeconds),
        "iso8601" => Ok(TimestampFormat::DateTime),
        "rfc822" => Ok(TimestampFormat::HttpDate),
        other => Err(Error::Invalid(format!(
            "`{referrer}` has the unknown timestampFormat `{other}`"
        ))),
    }
}

fn empty_structure(op: &str, type_name: String, role: Role) -> Structure {
    Structure {
        shape: op.to_string(),
        module: match role {
            Role::Input => "input".to_string(),
            _ => "output".to_string(),
        },
        type_name,
        role,
        docs: String::new(),
        members: Vec::new(),
        sensitive: false,
        deprecated: None,
        error: None,
        streaming: false,
        directions: Directions::default(),
        xml_root_member: None,
    }
}

/// Splits `/a/{b}/c/{d+}` into literals and labels (by wire name for now).
fn parse_path(template: &str, op: &str) -> Result<Vec<PathPart>, Error> {
    let mut parts = Vec::new();
    for part in split_template(template, op)? {
        parts.push(match part {
            Template::Literal(text) => PathPart::Literal(text.to_string()),
            Template::Label(label) => {
                let (name, greedy) = match label.strip_suffix('+') {
                    Some(name) => (name, true),
                    None => (label, false),
                };
                PathPart::Label {
                    member: name.to_string(),
                    greedy,
                }
            }
        });
    }
    Ok(parts)
}

enum Template<'a> {
    Literal(&'a str),
    Label(&'a str),
}

/// Literal text and `{label}`s of a URI or host template.
fn split_template<'a>(template: &'a str, op: &str) -> Result<Vec<Template<'a>>, Error> {
    let mut parts = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        if open > 0 {
            parts.push(Template::Literal(&rest[..open]));
        }
        let close = rest[open..].find('}').ok_or_else(|| {
            Error::Invalid(format!("operation `{op}`: unclosed `{{` in `{template}`"))
        })?;
        let label = &rest[open + 1..open + close];
        if label.trim_end_matches('+').is_empty() {
            return Err(Error::Invalid(format!(
                "operation `{op}`: empty label in `{template}`"
            )));
        }
        parts.push(Template::Label(label));
        rest = &rest[open + close + 1..];
    }
    if !rest.is_empty() {
        parts.push(Template::Literal(rest));
    }
    Ok(parts)
}

/// `{AccountId}.data.`: each label is a `hostLabel` string member of the
/// input.
fn parse_host_prefix(template: &str, input: &Structure, op: &str) -> Result<Vec<HostPart>, Error> {
    split_template(template, op)?
        .into_iter()
        .map(|part| match part {
            Template::Literal(text) => Ok(HostPart::Literal(text.to_string())),
            Template::Label(label) => {
                let member = input
                    .members
                    .iter()
                    .find(|m| m.name == label && m.host_label)
                    .ok_or_else(|| {
                        Error::Invalid(format!(
                            "operation `{op}`: host prefix label `{label}` has no `hostLabel` member in `{}`",
                            input.shape
                        ))
                    })?;
                if member.ty != Type::String {
                    return Err(Error::Unsupported {
                        shape: input.shape.clone(),
                        what: format!("the host label `{label}` of type {:?}", member.ty),
                    });
                }
                Ok(HostPart::Label(member.name.clone()))
            }
        })
        .collect()
}

/// Replaces each label's wire name with the member bound to it, and checks
/// that labels and `uri` members match one to one.
/// Binds each label of the path to its `uri` member. A `uri` member
/// without a label is refused, but for one the endpoint rules take
/// (`routed`): S3's bucket, which the rules put in the host or the path.
fn bind_labels(
    path: Vec<PathPart>,
    input: &Structure,
    op: &str,
    routed: &BTreeSet<&str>,
) -> Result<Vec<PathPart>, Error> {
    let uri_members: Vec<&Member> = input
        .members
        .iter()
        .filter(|m| matches!(m.binding, Binding::Label { .. }))
        .collect();
    let labelled = |m: &&Member| {
        path.iter()
            .any(|p| matches!(p, PathPart::Label { member, .. } if *member == m.wire_name))
    };
    let uri_members: Vec<&Member> = uri_members
        .into_iter()
        .filter(|m| labelled(m) || !routed.contains(m.name.as_str()))
        .collect();
    let mut bound = BTreeMap::new();
    let path = path
        .into_iter()
        .map(|part| match part {
            PathPart::Label {
                member: wire,
                greedy,
            } => {
                let member = uri_members
                    .iter()
                    .find(|m| m.wire_name == wire)
                    .ok_or_else(|| {
                        Error::Invalid(format!(
                            "operation `{op}`: label `{wire}` has no `uri` member"
                        ))
                    })?;
                bound.insert(member.name.clone(), ());
                Ok(PathPart::Label {
                    member: member.name.clone(),
                    greedy,
                })
            }
            literal => Ok(literal),
        })
        .collect::<Result<Vec<_>, Error>>()?;
    if bound.len() < uri_members.len() {
        return Err(Error::Invalid(format!(
            "operation `{op}`: a `uri` member of `{}` has no label in the requestUri",
            input.shape
        )));
    }
    Ok(path)
}

/// A sensitive shape, or a list or map that holds one. A structure's own
/// sensitive members are redacted by its own `Debug`.
fn is_sensitive(service: &Service, name: &str) -> bool {
    let Some(shape) = service.shapes.get(name) else {
        return false;
    };
    shape.sensitive
        || (shape.kind != ShapeType::Structure
            && reach::children(shape).any(|child| child != name && is_sensitive(service, child)))
}

/// An operation's `httpChecksum`, its members resolved to their headers:
/// the runtime reads and writes them on the serialized request. A member
/// bound elsewhere is refused, naming it (no model has one).
fn http_checksum(op: &model::Operation, input: &Structure) -> Result<Option<HttpChecksum>, Error> {
    let Some(trait_) = &op.http_checksum else {
        return Ok(None);
    };
    let header = |member: &Option<String>, role: &str| -> Result<Option<String>, Error> {
        let Some(name) = member else {
            return Ok(None);
        };
        match input.members.iter().find(|m| &m.name == name) {
            Some(m) if m.binding == Binding::Header => Ok(Some(m.wire_name.clone())),
            _ => Err(Error::Unsupported {
                shape: op.name.clone(),
                what: format!("the httpChecksum {role} `{name}`, which is not an input header"),
            }),
        }
    };
    Ok(Some(HttpChecksum {
        request_required: trait_.request_checksum_required || op.http_checksum_required,
        algorithm_header: header(&trait_.request_algorithm_member, "requestAlgorithmMember")?,
        validation_mode_header: header(
            &trait_.request_validation_mode_member,
            "requestValidationModeMember",
        )?,
        response_algorithms: trait_.response_algorithms.clone(),
    }))
}
