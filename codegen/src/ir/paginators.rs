//! Paginators from `paginators-1.json`, attached to the operations that
//! page, in every form botocore's `PageIterator` reads: one token or
//! several, tokens of any type (DynamoDB's key map, S3's part number),
//! paths into nested structures, `more_results` flags, several result keys
//! or none, and page sizes that are strings. A paginator that cannot be
//! resolved against the operation's members is a [`Refusal`] naming the
//! operation and why, never dropped in silence.

use super::jmespath::{self, Step};
use super::{
    Crate, ItemsKind, Member, Operation, OutputPath, PageItems, PageLimit, PageToken, Paginator,
    PathStep, Structure, Type,
};
use crate::model::{Pagination, Paginators, Service};
use crate::naming;

/// The most tokens a paginator sends at once: the runtime's `PageToken`
/// covers tuples of up to six (botocore's models have three at most).
const MAX_TOKENS: usize = 6;

/// Methods every paginator has; a result key named like one gets a suffix.
const PAGINATOR_METHODS: &[&str] = &["send", "page_size", "clone", "fmt"];

/// A paginator the model lists that is not generated, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub operation: String,
    pub reason: String,
}

/// Gives each selected operation listed in `paginators` its paginator;
/// returns those that cannot be generated, and the entries that name no
/// operation of the model. Entries for operations that are not selected
/// are not looked at.
///
/// `paginators-1.json` names an operation by its key in the model's
/// `operations`, as botocore's Python method names do; the operation's
/// `name` can differ (CloudFront's `ListDistributions` is named
/// `ListDistributions2020_05_31`).
pub fn attach_paginators(
    krate: &mut Crate,
    service: &Service,
    paginators: &Paginators,
) -> Vec<Refusal> {
    let mut refusals = Vec::new();
    let mut resolved = Vec::new();
    for (key, pagination) in &paginators.pagination {
        let Some(model_op) = service.operations.get(key) else {
            refusals.push(Refusal {
                operation: key.clone(),
                reason: "the model has no such operation".into(),
            });
            continue;
        };
        let Some(index) = krate
            .operations
            .iter()
            .position(|op| op.name == model_op.name)
        else {
            continue;
        };
        match paginator(krate, &krate.operations[index], pagination) {
            Ok(paginator) => resolved.push((index, paginator)),
            Err(reason) => refusals.push(Refusal {
                operation: key.clone(),
                reason,
            }),
        }
    }
    for (index, paginator) in resolved {
        krate.operations[index].paginator = Some(paginator);
    }
    refusals
}

fn paginator(krate: &Crate, op: &Operation, p: &Pagination) -> Result<Paginator, String> {
    if op.input.streaming {
        return Err("its input streams, and a paginator sends it again for each page".into());
    }
    if p.input_token.len() != p.output_token.len() {
        return Err(format!(
            "{} input tokens for {} output tokens",
            p.input_token.len(),
            p.output_token.len()
        ));
    }
    if p.input_token.is_empty() || p.input_token.len() > MAX_TOKENS {
        return Err(format!(
            "{} tokens (a paginator sends 1 to {MAX_TOKENS})",
            p.input_token.len()
        ));
    }
    let tokens = p
        .input_token
        .iter()
        .zip(&p.output_token)
        .map(|(input, output)| token(krate, op, input, output))
        .collect::<Result<Vec<_>, _>>()?;
    let more_results = match &p.more_results {
        None => None,
        Some(text) => {
            let path = single_path(krate, &op.output, text, "more_results")?;
            if path.ty != Type::Boolean {
                return Err(format!("more_results `{text}` is not a boolean"));
            }
            Some(path)
        }
    };
    let limit = p
        .limit_key
        .as_deref()
        .map(|key| limit(op, key))
        .transpose()?;
    let tokens_alias = (tokens.len() > 1).then(|| naming::paginator_tokens(&op.name));
    Ok(Paginator {
        tokens,
        tokens_alias,
        more_results,
        limit,
        items: items(krate, op, &p.result_key)?,
        non_aggregate_keys: p.non_aggregate_keys.clone(),
    })
}

/// One token: a top-level input member (botocore sets it as a request
/// parameter) of a type the runtime can follow, and the places in the
/// output that hold the next one, each of that same type.
fn token(krate: &Crate, op: &Operation, input: &str, output: &str) -> Result<PageToken, String> {
    let member = input_member(op, input, "input_token")?;
    if !is_token_type(&member.ty) {
        return Err(format!(
            "input_token `{input}` is {}, which cannot be a next-page token",
            type_word(&member.ty)
        ));
    }
    let places = jmespath::parse(output)?
        .iter()
        .map(|steps| resolve(krate, &op.output, output, steps))
        .collect::<Result<Vec<_>, _>>()?;
    for place in &places {
        if !same_rust_type(&place.ty, &member.ty) {
            return Err(format!(
                "output_token `{output}` is {}, input_token `{input}` {}",
                type_word(&place.ty),
                type_word(&member.ty)
            ));
        }
    }
    Ok(PageToken {
        input: member.field.clone(),
        input_name: member.name.clone(),
        ty: member.ty.clone(),
        output: places,
    })
}

/// `limit_key`: a number, or a string that the size is written into.
fn limit(op: &Operation, key: &str) -> Result<PageLimit, String> {
    let member = input_member(op, key, "limit_key")?;
    let (size, as_text) = match &member.ty {
        Type::Integer | Type::Long => (member.ty.clone(), false),
        Type::String => (Type::Integer, true),
        other => {
            return Err(format!(
                "limit_key `{key}` is {}, not a number",
                type_word(other)
            ))
        }
    };
    Ok(PageLimit {
        field: member.field.clone(),
        name: member.name.clone(),
        size,
        as_text,
    })
}

/// `result_key`: each key a path to a list, a map or a value; the one key
/// streams as `items`, several each as a method named after it.
fn items(krate: &Crate, op: &Operation, keys: &[String]) -> Result<Vec<PageItems>, String> {
    let paths = keys
        .iter()
        .map(|key| single_path(krate, &op.output, key, "result_key"))
        .collect::<Result<Vec<_>, _>>()?;
    let methods: Vec<String> = if paths.len() == 1 {
        vec!["items".to_string()]
    } else {
        // Named after the member at the end (`ResourceCollection.Tags` is
        // `tags`); an index after it (`Lists[0]`) changes nothing.
        let named = paths.iter().map(|path| {
            path.steps
                .iter()
                .rev()
                .find_map(|s| match s {
                    PathStep::Member { field, .. } => Some(field.clone()),
                    PathStep::Index { .. } => None,
                })
                .unwrap_or_else(|| "items".to_string())
        });
        let all = PAGINATOR_METHODS
            .iter()
            .map(|m| m.to_string())
            .chain(named)
            .collect();
        naming::dedupe(all)
            .into_iter()
            .skip(PAGINATOR_METHODS.len())
            .collect()
    };
    paths
        .into_iter()
        .zip(methods)
        .map(|(path, method)| {
            let kind = match &path.ty {
                Type::List { .. } => ItemsKind::List,
                Type::Map { .. } => ItemsKind::Map,
                Type::Stream => {
                    return Err(format!("result_key `{}` is a stream, not items", path.text))
                }
                _ => ItemsKind::Value,
            };
            Ok(PageItems { method, path, kind })
        })
        .collect()
}

fn input_member<'a>(op: &'a Operation, name: &str, key: &str) -> Result<&'a Member, String> {
    op.input
        .members
        .iter()
        .find(|m| m.name == name)
        .ok_or_else(|| format!("{key} `{name}` is not a member of the input"))
}

/// An expression that is one path, not a choice of several.
fn single_path(
    krate: &Crate,
    output: &Structure,
    text: &str,
    key: &str,
) -> Result<OutputPath, String> {
    match jmespath::parse(text)?.as_slice() {
        [steps] => resolve(krate, output, text, steps),
        _ => Err(format!(
            "{key} `{text}` is a choice (`||`), which botocore's models use only for tokens"
        )),
    }
}

/// Walks `steps` from the output structure through nested structures and
/// list elements.
fn resolve(
    krate: &Crate,
    output: &Structure,
    text: &str,
    steps: &[Step],
) -> Result<OutputPath, String> {
    let mut resolved = Vec::with_capacity(steps.len());
    let mut structure = Some(output);
    let mut ty: Option<Type> = None;
    for step in steps {
        match step {
            Step::Member(name) => {
                let owner = structure.ok_or_else(|| {
                    format!("`{text}`: `{name}` is looked for in a value that is not a structure")
                })?;
                let member = owner
                    .members
                    .iter()
                    .find(|m| m.name == *name)
                    .ok_or_else(|| format!("`{text}`: `{}` has no member `{name}`", owner.shape))?;
                resolved.push(PathStep::Member {
                    field: member.field.clone(),
                    boxed: member.boxed,
                });
                ty = Some(member.ty.clone());
            }
            Step::Index(index) => match ty {
                Some(Type::List {
                    ref element,
                    sparse,
                    ..
                }) => {
                    resolved.push(PathStep::Index {
                        index: *index,
                        sparse,
                    });
                    ty = Some((**element).clone());
                }
                _ => {
                    return Err(format!(
                        "`{text}`: `[{index}]` of a value that is not a list"
                    ))
                }
            },
        }
        structure = match &ty {
            Some(Type::Structure(name)) => krate.structures.iter().find(|s| s.type_name == *name),
            _ => None,
        };
    }
    let ty = ty.ok_or_else(|| format!("`{text}` names no member"))?;
    Ok(OutputPath {
        text: text.to_string(),
        steps: resolved,
        ty,
    })
}

/// Types the runtime's `PageToken` covers: scalars, string enums (through
/// the runtime's enum macro), lists and maps. Structures, unions and
/// documents are not tokens in any botocore model.
fn is_token_type(ty: &Type) -> bool {
    !matches!(
        ty,
        Type::Structure(_) | Type::Union(_) | Type::Document | Type::Stream
    )
}

/// Whether two types are the same Rust type (wire details such as XML
/// element names or timestamp formats aside).
fn same_rust_type(a: &Type, b: &Type) -> bool {
    match (a, b) {
        (Type::Timestamp(_), Type::Timestamp(_)) => true,
        (
            Type::List {
                element: a,
                sparse: sa,
                ..
            },
            Type::List {
                element: b,
                sparse: sb,
                ..
            },
        ) => sa == sb && same_rust_type(a, b),
        (
            Type::Map {
                key: ka,
                value: va,
                sparse: sa,
                ..
            },
            Type::Map {
                key: kb,
                value: vb,
                sparse: sb,
                ..
            },
        ) => sa == sb && same_rust_type(ka, kb) && same_rust_type(va, vb),
        _ => a == b,
    }
}

/// A type, as a refusal names it, with its article.
fn type_word(ty: &Type) -> String {
    match ty {
        Type::Enum(name) => format!("a string enum `{name}`"),
        Type::Structure(name) => format!("a structure `{name}`"),
        Type::Union(name) => format!("a union `{name}`"),
        Type::List { .. } => "a list".into(),
        Type::Map { .. } => "a map".into(),
        Type::Timestamp(_) => "a timestamp".into(),
        Type::Integer => "an integer".into(),
        other => {
            let word = format!("{other:?}").to_lowercase();
            format!("a {word}")
        }
    }
}
