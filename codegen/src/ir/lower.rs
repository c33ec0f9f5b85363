//! Lowers the botocore model into the IR: names, types, bindings, docs.

use super::reach::{self, shape};
use super::*;
use crate::docs::html_to_markdown;
use crate::error::Error;
use crate::model::{self, Service, ShapeType};
use crate::naming;
use std::collections::{BTreeMap, BTreeSet};

/// Lowers the operations named in `selection` (all of them for `None`) and
/// the shapes they reach.
pub fn lower(service: &Service, selection: Option<&[String]>) -> Result<Crate, Error> {
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
    let operations = names
        .iter()
        .map(|name| lower_operation(service, &service.operations[*name]))
        .collect::<Result<Vec<_>, _>>()?;

    let mut roots: Vec<&str> = Vec::new();
    let mut error_shapes = BTreeSet::new();
    for name in &names {
        let op = &service.operations[*name];
        roots.extend(
            op.input
                .iter()
                .chain(op.output.iter())
                .map(|r| r.shape.as_str()),
        );
        for e in &op.errors {
            roots.push(e.shape.as_str());
            error_shapes.insert(e.shape.clone());
        }
    }
    let reached = reach::reached(service, roots)?;

    let mut structures = Vec::new();
    let mut enums = Vec::new();
    for name in &reached {
        let shape = &service.shapes[name];
        match shape.kind {
            ShapeType::Structure if !shape.document && !is_error_shape(shape) => {
                let type_name = naming::type_name(name);
                structures.push(lower_structure(
                    service,
                    name,
                    type_name,
                    Role::Nested,
                    &BTreeSet::new(),
                )?);
            }
            ShapeType::String if shape.enum_values.is_some() => {
                enums.push(lower_enum(name, shape)?)
            }
            _ => {}
        }
    }
    let errors = error_shapes
        .iter()
        .map(|name| {
            lower_structure(
                service,
                name,
                naming::type_name(name),
                Role::Error,
                &BTreeSet::new(),
            )
        })
        .collect::<Result<Vec<_>, _>>()?;

    check_unique(
        structures
            .iter()
            .map(|s| (&s.type_name, &s.shape))
            .chain(enums.iter().map(|e| (&e.type_name, &e.shape))),
        "types",
    )?;
    check_unique(
        errors.iter().map(|s| (&s.type_name, &s.shape)),
        "types::error",
    )?;
    check_unique(
        operations.iter().map(|o| (&o.type_name, &o.name)),
        "operation",
    )?;

    let meta = &service.metadata;
    Ok(Crate {
        service: ServiceInfo {
            title: meta
                .service_full_name
                .clone()
                .unwrap_or_else(|| meta.api_version.clone()),
            service_id: meta.service_id.clone().unwrap_or_default(),
            api_version: meta.api_version.clone(),
            signing_name: meta
                .signing_name
                .clone()
                .or_else(|| meta.endpoint_prefix.clone())
                .unwrap_or_default(),
            endpoint_prefix: meta.endpoint_prefix.clone().unwrap_or_default(),
            protocol: meta.protocol.clone(),
            docs: docs(service.documentation.as_deref()),
        },
        operations,
        structures,
        errors,
        enums,
    })
}

fn is_error_shape(shape: &model::Shape) -> bool {
    shape.exception || shape.error.is_some() || shape.fault
}

/// Two model names that become one Rust name would make the crate not
/// compile, or worse, silently merge; refuse them.
fn check_unique<'a>(
    names: impl Iterator<Item = (&'a String, &'a String)>,
    module: &str,
) -> Result<(), Error> {
    let mut seen: BTreeMap<&String, &String> = BTreeMap::new();
    for (rust, model) in names {
        if let Some(other) = seen.insert(rust, model) {
            return Err(Error::Invalid(format!(
                "`{other}` and `{model}` would both be named `{module}::{rust}`"
            )));
        }
    }
    Ok(())
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

fn lower_operation(service: &Service, op: &model::Operation) -> Result<Operation, Error> {
    let (path_template, literal_query) = match op.http.request_uri.split_once('?') {
        Some((path, query)) => (path, Some(query.to_string())),
        None => (op.http.request_uri.as_str(), None),
    };
    let path = parse_path(path_template, &op.name)?;
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

    let input_name = naming::operation_input(&op.name);
    let output_name = naming::operation_output(&op.name);
    let input = match &op.input {
        Some(r) => lower_structure(service, &r.shape, input_name, Role::Input, &greedy)?,
        None => empty_structure(&op.name, input_name, Role::Input),
    };
    let output = match &op.output {
        Some(r) => lower_structure(service, &r.shape, output_name, Role::Output, &greedy)?,
        None => empty_structure(&op.name, output_name, Role::Output),
    };
    let path = bind_labels(path, &input, &op.name)?;

    let errors = op
        .errors
        .iter()
        .map(|e| {
            let shape = shape(service, &e.shape, &op.name)?;
            Ok(ErrorRef {
                code: e.shape.clone(),
                type_name: naming::type_name(&e.shape),
                predicate: format!("is_{}", naming::snake(&e.shape)),
                http_status: shape.error.as_ref().and_then(|e| e.http_status_code),
                fault: shape.fault,
            })
        })
        .collect::<Result<Vec<_>, Error>>()?;

    Ok(Operation {
        name: op.name.clone(),
        type_name: naming::type_name(&op.name),
        module: naming::module(&op.name),
        http_method: op.http.method.to_ascii_uppercase(),
        path,
        literal_query,
        success_code: op.http.response_code.unwrap_or(200),
        input,
        output,
        errors,
        error_type: naming::operation_error(&op.name),
        docs: docs(op.documentation.as_deref()),
        deprecated: deprecation(op.deprecated, &op.deprecated_message, &op.deprecated_since),
        idempotent: op.idempotent,
        host_prefix: op.endpoint.as_ref().map(|e| e.host_prefix.clone()),
    })
}

fn empty_structure(op: &str, type_name: String, role: Role) -> Structure {
    Structure {
        shape: op.to_string(),
        module: naming::module(&type_name),
        type_name,
        role,
        docs: String::new(),
        members: Vec::new(),
        sensitive: false,
        deprecated: None,
        error: None,
        union: false,
    }
}

/// Splits `/a/{b}/c/{d+}` into literals and labels (by wire name for now).
fn parse_path(template: &str, op: &str) -> Result<Vec<PathPart>, Error> {
    let mut parts = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        if open > 0 {
            parts.push(PathPart::Literal(rest[..open].to_string()));
        }
        let close = rest[open..].find('}').ok_or_else(|| {
            Error::Invalid(format!(
                "operation `{op}`: unclosed `{{` in requestUri `{template}`"
            ))
        })?;
        let label = &rest[open + 1..open + close];
        let (name, greedy) = match label.strip_suffix('+') {
            Some(name) => (name, true),
            None => (label, false),
        };
        if name.is_empty() {
            return Err(Error::Invalid(format!(
                "operation `{op}`: empty label in requestUri `{template}`"
            )));
        }
        parts.push(PathPart::Label {
            member: name.to_string(),
            greedy,
        });
        rest = &rest[open + close + 1..];
    }
    if !rest.is_empty() {
        parts.push(PathPart::Literal(rest.to_string()));
    }
    Ok(parts)
}

/// Replaces each label's wire name with the member bound to it, and checks
/// that labels and `uri` members match one to one.
fn bind_labels(path: Vec<PathPart>, input: &Structure, op: &str) -> Result<Vec<PathPart>, Error> {
    let uri_members: Vec<&Member> = input
        .members
        .iter()
        .filter(|m| matches!(m.binding, Binding::Label { .. }))
        .collect();
    let mut bound = 0;
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
                bound += 1;
                Ok(PathPart::Label {
                    member: member.name.clone(),
                    greedy,
                })
            }
            literal => Ok(literal),
        })
        .collect::<Result<Vec<_>, Error>>()?;
    if bound < uri_members.len() {
        return Err(Error::Invalid(format!(
            "operation `{op}`: a `uri` member of `{}` has no label in the requestUri",
            input.shape
        )));
    }
    Ok(path)
}

fn lower_structure(
    service: &Service,
    name: &str,
    type_name: String,
    role: Role,
    greedy_labels: &BTreeSet<String>,
) -> Result<Structure, Error> {
    let shape = shape(service, name, name)?;
    if shape.kind != ShapeType::Structure {
        return Err(Error::Invalid(format!(
            "`{name}` is used as a structure but is a {:?}",
            shape.kind
        )));
    }
    let members = shape
        .members
        .iter()
        .flat_map(|m| m.0.iter())
        .map(|(member_name, member)| {
            lower_member(service, name, shape, member_name, member, greedy_labels)
        })
        .collect::<Result<Vec<_>, _>>()?;
    check_unique(members.iter().map(|m| (&m.field, &m.name)), &type_name)?;
    let module = match role {
        Role::Input => "input".to_string(),
        Role::Output => "output".to_string(),
        _ => naming::module(name),
    };
    Ok(Structure {
        shape: name.to_string(),
        type_name,
        module,
        role,
        docs: docs(shape.documentation.as_deref()),
        members,
        sensitive: shape.sensitive,
        deprecated: deprecation(shape.deprecated, &shape.deprecated_message, &None),
        error: is_error_shape(shape).then(|| ErrorInfo {
            http_status: shape.error.as_ref().and_then(|e| e.http_status_code),
            fault: shape.fault,
        }),
        union: shape.union,
    })
}

fn lower_member(
    service: &Service,
    owner_name: &str,
    owner: &model::Shape,
    name: &str,
    member: &model::Member,
    greedy_labels: &BTreeSet<String>,
) -> Result<Member, Error> {
    let referrer = format!("{owner_name}.{name}");
    let target = shape(service, &member.shape, &referrer)?;
    let wire_name = member
        .location_name
        .clone()
        .unwrap_or_else(|| name.to_string());
    let binding = match member.location.as_deref() {
        Some("uri") => Binding::Label {
            greedy: greedy_labels.contains(&wire_name),
        },
        Some("querystring") => Binding::Query,
        Some("header") => Binding::Header,
        Some("headers") => Binding::PrefixHeaders,
        Some("statusCode") => Binding::StatusCode,
        None if owner.payload.as_deref() == Some(name) => Binding::Payload,
        None => Binding::Body,
        Some(other) => {
            return Err(Error::Invalid(format!(
                "`{referrer}` has unknown location `{other}`"
            )))
        }
    };
    let member_docs = member
        .documentation
        .as_deref()
        .or(target.documentation.as_deref());
    Ok(Member {
        name: name.to_string(),
        field: naming::field(name),
        wire_name,
        target: member.shape.clone(),
        ty: resolve_type(service, &member.shape, &referrer, 0)?,
        binding,
        required: owner.required.iter().any(|r| r == name),
        docs: docs(member_docs),
        sensitive: is_sensitive(service, &member.shape),
        deprecated: deprecation(member.deprecated, &member.deprecated_message, &None),
        idempotency_token: member.idempotency_token,
        boxed: target.kind == ShapeType::Structure
            && reach::closes_cycle(service, &member.shape, owner_name),
        constraints: Constraints {
            min: target.min,
            max: target.max,
            pattern: target.pattern.clone(),
        },
        json_value: member.jsonvalue,
        timestamp_format: member
            .timestamp_format
            .clone()
            .or_else(|| target.timestamp_format.clone()),
    })
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

fn resolve_type(
    service: &Service,
    name: &str,
    referrer: &str,
    depth: usize,
) -> Result<Type, Error> {
    if depth > 16 {
        return Err(Error::Invalid(format!(
            "`{referrer}`: lists and maps nested more than 16 deep"
        )));
    }
    let target = shape(service, name, referrer)?;
    let element = |m: &Option<model::Member>, what: &str| -> Result<Box<Type>, Error> {
        let m = m
            .as_ref()
            .ok_or_else(|| Error::Invalid(format!("`{name}` has no `{what}`")))?;
        Ok(Box::new(resolve_type(service, &m.shape, name, depth + 1)?))
    };
    Ok(match target.kind {
        ShapeType::String if target.enum_values.is_some() => Type::Enum(naming::type_name(name)),
        ShapeType::String => Type::String,
        ShapeType::Boolean => Type::Boolean,
        ShapeType::Integer => Type::Integer,
        ShapeType::Long => Type::Long,
        ShapeType::Float => Type::Float,
        ShapeType::Double => Type::Double,
        ShapeType::Blob => Type::Blob,
        ShapeType::Timestamp => Type::Timestamp,
        ShapeType::Structure if target.document => Type::Document,
        ShapeType::Structure => Type::Structure(naming::type_name(name)),
        ShapeType::List => Type::List(element(&target.member, "member")?),
        ShapeType::Map => Type::Map(
            element(&target.key, "key")?,
            element(&target.value, "value")?,
        ),
    })
}

fn lower_enum(name: &str, shape: &model::Shape) -> Result<Enum, Error> {
    let variants: Vec<Variant> = shape
        .enum_values
        .iter()
        .flatten()
        .map(|value| Variant {
            name: naming::enum_variant(value),
            value: value.clone(),
        })
        .collect();
    let type_name = naming::type_name(name);
    check_unique(variants.iter().map(|v| (&v.name, &v.value)), &type_name)?;
    Ok(Enum {
        shape: name.to_string(),
        type_name,
        module: naming::module(name),
        docs: docs(shape.documentation.as_deref()),
        variants,
        sensitive: shape.sensitive,
    })
}
