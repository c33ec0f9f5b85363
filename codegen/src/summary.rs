//! A plain-text API summary per operation, rendered from the IR, for
//! snapshot tests: a model update shows as a short diff of what changed in
//! the API (bindings, members, errors, deprecation), not of generated code.

use crate::error::Error;
use crate::ir::{
    self, Binding, Constraints, Crate, EndpointParam, HostPart, ItemsKind, Member, Operation,
    Paginator, PathPart, Signing, Structure, TimestampFormat, Type,
};
use crate::model::{Paginators, Service};
use std::collections::BTreeMap;
use std::fmt::Write;

/// The summary of every operation of the model, by operation name, with
/// its paginator where `paginators` gives one, after the service's
/// customizations, as `crate::generate` sees it. Each operation is lowered
/// alone so that its summary lists exactly the shapes it reaches.
pub fn summaries(
    service: &Service,
    paginators: Option<&Paginators>,
    protocol: Option<&str>,
) -> Result<BTreeMap<String, String>, Error> {
    let mut service = service.clone();
    let customizations = crate::customize::apply(&mut service)?;
    let service = &service;
    let protocol = crate::emit::protocol::select(&service.metadata, protocol)?;
    service
        .operations
        .keys()
        .map(|name| {
            let selection = Some(std::slice::from_ref(name));
            let mut krate = match ir::lower(service, selection, protocol, customizations.clone()) {
                Ok(krate) => krate,
                // Left out of the crate, by name: a summary says so, and the
                // day it generates shows in the diff.
                Err(e @ Error::EventStream { .. }) => {
                    return Ok((
                        name.clone(),
                        format!("operation {name}\n  not generated: {e}\n"),
                    ))
                }
                Err(e) => return Err(e),
            };
            let refusals = match paginators {
                Some(paginators) => ir::attach_paginators(&mut krate, service, paginators)
                    .into_iter()
                    .filter(|r| r.operation == *name)
                    .collect(),
                None => Vec::new(),
            };
            let mut summary = render(&krate, &krate.operations[0]);
            // A paginator that stops generating shows in the diff.
            for refusal in refusals {
                let _ = writeln!(summary, "paginator refused: {}", refusal.reason);
            }
            Ok((name.clone(), summary))
        })
        .collect()
}

/// What a service's rules do to the operation's calls.
fn calls(out: &mut String, calls: &ir::Calls) {
    if calls.greedy_dot_segments {
        let _ = writeln!(out, "  greedy labels keep `.` and `..` segments");
    }
    if !calls.last_segment.is_empty() {
        let fields = calls.last_segment.join(", ");
        let _ = writeln!(out, "  sends the text after the last `/` of {fields}");
    }
    if let Some(encoded) = &calls.url_encoded {
        let decoded: Vec<String> = encoded
            .decoded
            .iter()
            .map(|d| match d {
                ir::Decoded::Field(f) => f.clone(),
                ir::Decoded::EachElement { list, field } => format!("{list}[].{field}"),
            })
            .collect();
        let _ = writeln!(
            out,
            "  {} = {} unless set; then decodes {} when {} = {}",
            encoded.input_field,
            encoded.value,
            decoded.join(", "),
            encoded.output_field,
            encoded.value
        );
    }
}

/// The summary of one operation of `krate`.
pub fn render(krate: &Crate, op: &Operation) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "operation {}", op.name);
    let _ = writeln!(out, "  protocol {}", krate.service.protocol.name());
    for applied in &krate.service.customizations {
        for change in &applied.changes {
            let _ = writeln!(out, "  customization {}: {change}", applied.name());
        }
    }
    if op.wire_name != op.name {
        let _ = writeln!(out, "  wire name {}", op.wire_name);
    }
    if let Some(dep) = &op.deprecated {
        let since = dep
            .since
            .as_deref()
            .map(|s| format!(" since {s}"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  deprecated{since}: {}",
            dep.message.as_deref().unwrap_or("(no message)")
        );
    }
    let path: String = op
        .path
        .iter()
        .map(|p| match p {
            PathPart::Literal(text) => text.clone(),
            PathPart::Label {
                member,
                greedy: false,
            } => format!("{{{member}}}"),
            PathPart::Label {
                member,
                greedy: true,
            } => format!("{{{member}+}}"),
        })
        .collect();
    let query = op
        .literal_query
        .as_deref()
        .map(|q| format!("?{q}"))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "  {} {path}{query} -> {}",
        op.http_method, op.success_code
    );
    if op.idempotent {
        let _ = writeln!(out, "  idempotent");
    }
    if !op.host_prefix.is_empty() {
        let prefix: String = op
            .host_prefix
            .iter()
            .map(|p| match p {
                HostPart::Literal(text) => text.clone(),
                HostPart::Label(member) => format!("{{{member}}}"),
            })
            .collect();
        let _ = writeln!(out, "  host prefix {prefix}");
    }
    match op.signing {
        Signing::SigV4 => {}
        Signing::SigV4UnsignedPayload => {
            let _ = writeln!(out, "  signed without the body");
        }
        Signing::Anonymous => {
            let _ = writeln!(out, "  not signed");
        }
        Signing::Bearer => {
            let _ = writeln!(out, "  bearer token");
        }
        Signing::SigV4OrBearer => {
            let _ = writeln!(out, "  bearer token when one is configured");
        }
        Signing::SigV2 => {
            let _ = writeln!(out, "  signed with SigV2");
        }
    }
    if op.content_md5 {
        let _ = writeln!(out, "  checksum required (Content-MD5)");
    }
    if let Some(c) = &op.http_checksum {
        let _ = writeln!(
            out,
            "  checksums: request {}{}{}{}",
            if c.request_required {
                "required"
            } else {
                "optional"
            },
            c.algorithm_header
                .as_ref()
                .map(|h| format!(", algorithm in {h}"))
                .unwrap_or_default(),
            c.validation_mode_header
                .as_ref()
                .map(|h| format!(", response checked when {h} is set"))
                .unwrap_or_default(),
            if c.response_algorithms.is_empty() {
                String::new()
            } else {
                format!(" ({})", c.response_algorithms.join(", "))
            },
        );
    }
    if op.request_compression {
        let _ = writeln!(out, "  request compression gzip");
    }
    calls(&mut out, &op.calls);
    if let Some(p) = &op.paginator {
        paginator(&mut out, p);
    }
    for (name, value) in &op.endpoint_params {
        match value {
            EndpointParam::Path(path) => {
                let _ = writeln!(
                    out,
                    "  endpoint parameter {name} = input path {}",
                    path.text
                );
            }
            _ => {
                let _ = writeln!(out, "  endpoint parameter {name} = {value:?}");
            }
        }
    }
    structure(&mut out, "input", &op.input);
    structure(&mut out, "output", &op.output);
    let _ = writeln!(out, "  errors");
    for e in &op.errors {
        let status = e
            .http_status
            .map(|s| s.to_string())
            .unwrap_or_else(|| "-".into());
        let fault = if e.fault { " fault" } else { "" };
        let _ = writeln!(out, "    {} {status}{fault}", e.code);
    }
    if !krate.structures.is_empty() || !krate.unions.is_empty() || !krate.enums.is_empty() {
        let _ = writeln!(out, "  shapes");
        for s in &krate.structures {
            structure(&mut out, "  structure", s);
        }
        for u in &krate.unions {
            let kind = if u.event_stream.is_some() {
                "event stream"
            } else {
                "union"
            };
            let _ = writeln!(out, "    {kind} {} ({})", u.type_name, u.shape);
            for m in &u.members {
                let _ = writeln!(out, "      {}", member(m));
            }
            for x in u.event_stream.iter().flat_map(|s| &s.exceptions) {
                let _ = writeln!(out, "      {}: exception {}", x.wire_name, x.shape);
            }
        }
        for e in &krate.enums {
            let values: Vec<&str> = e.variants.iter().map(|v| v.value.as_str()).collect();
            let _ = writeln!(out, "    enum {}: {}", e.type_name, values.join(" | "));
        }
    }
    out
}

fn structure(out: &mut String, label: &str, s: &Structure) {
    let mut flags = String::new();
    if s.sensitive {
        flags.push_str(" sensitive");
    }
    if s.deprecated.is_some() {
        flags.push_str(" deprecated");
    }
    let _ = writeln!(out, "  {label} {} ({}){flags}", s.type_name, s.shape);
    let indent = " ".repeat(label.len() - label.trim_start().len() + 4);
    for m in &s.members {
        let _ = writeln!(out, "{indent}{}", member(m));
    }
}

fn member(m: &Member) -> String {
    let binding = match m.binding {
        Binding::Label { greedy: false } => format!("label {}", m.wire_name),
        Binding::Label { greedy: true } => format!("greedy label {}", m.wire_name),
        Binding::Query => format!("query {}", m.wire_name),
        Binding::Header => format!("header {}", m.wire_name),
        Binding::PrefixHeaders => format!("headers {}*", m.wire_name),
        Binding::StatusCode => "status code".to_string(),
        // A form may key the member apart from its XML name (ec2).
        Binding::Body if m.has_own_form_name() => {
            format!("body {} (form {})", m.wire_name, m.form_name)
        }
        Binding::Body => format!("body {}", m.wire_name),
        Binding::Payload => "payload".to_string(),
    };
    let mut text = format!("{}: {} = {binding}", m.name, type_text(&m.ty));
    let flags = [
        (m.required, "required"),
        (m.sensitive, "sensitive"),
        (m.deprecated.is_some(), "deprecated"),
        (m.idempotency_token, "idempotency token"),
        (m.boxed, "boxed"),
        (m.json_value, "json value"),
        (m.host_label, "host label"),
    ];
    for (set, flag) in flags {
        if set {
            text.push_str(", ");
            text.push_str(flag);
        }
    }
    text.push_str(&constraints(&m.constraints));
    text
}

fn constraints(c: &Constraints) -> String {
    let mut text = String::new();
    if let Some(min) = c.min {
        text.push_str(&format!(", min {min}"));
    }
    if let Some(max) = c.max {
        text.push_str(&format!(", max {max}"));
    }
    if let Some(pattern) = &c.pattern {
        text.push_str(&format!(", pattern {pattern:?}"));
    }
    text
}

fn type_text(ty: &Type) -> String {
    let sparse = |sparse: bool| if sparse { " sparse" } else { "" };
    match ty {
        Type::Enum(name) | Type::Structure(name) | Type::Union(name) => name.clone(),
        Type::EventStream { events, error } => format!("events of {events}, errors {error}"),
        Type::InputEventStream(events) => format!("events of {events}, sent"),
        Type::Timestamp(format) => match format {
            TimestampFormat::EpochSeconds => "Timestamp(epoch seconds)".into(),
            TimestampFormat::DateTime => "Timestamp(date-time)".into(),
            TimestampFormat::HttpDate => "Timestamp(http-date)".into(),
        },
        Type::List {
            element, sparse: s, ..
        } => format!("[{}]{}", type_text(element), sparse(*s)),
        Type::Map {
            key,
            value,
            sparse: s,
            ..
        } => format!("{{{}: {}}}{}", type_text(key), type_text(value), sparse(*s)),
        other => format!("{other:?}"),
    }
}

/// `paginated:` lines: the tokens (input <- output), the flag, the page
/// size and the items, by model name.
fn paginator(out: &mut String, p: &Paginator) {
    let tokens: Vec<String> = p
        .tokens
        .iter()
        .map(|t| {
            let places: Vec<&str> = t.output.iter().map(|o| o.text.as_str()).collect();
            format!("{} <- {}", t.input_name, places.join(" || "))
        })
        .collect();
    let _ = writeln!(out, "  paginated: {}", tokens.join(", "));
    if let Some(more) = &p.more_results {
        let _ = writeln!(out, "    more results {}", more.text);
    }
    if let Some(limit) = &p.limit {
        let text = if limit.as_text { " (as text)" } else { "" };
        let _ = writeln!(out, "    page size {}{text}", limit.name);
    }
    for items in &p.items {
        let kind = match items.kind {
            ItemsKind::List => "list",
            ItemsKind::Map => "map entries",
            ItemsKind::Value => "value",
        };
        let _ = writeln!(out, "    {}(): {} ({kind})", items.method, items.path.text);
    }
    if !p.non_aggregate_keys.is_empty() {
        let _ = writeln!(
            out,
            "    same on every page: {}",
            p.non_aggregate_keys.join(", ")
        );
    }
}
