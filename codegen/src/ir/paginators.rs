//! Paginators from `paginators-1.json`, attached to the operations that
//! page. Only the plain form is generated (one token member each way, an
//! optional page-size member, one list of items); the rarer forms (token
//! lists, member paths, `more_results` flags) are left without a
//! paginator: the operation is still there, paged by hand.

use super::{Crate, Paginator, Type};
use crate::model::{Pagination, Paginators};
use serde_json::Value;

/// Gives each selected operation listed in `paginators` its paginator.
pub fn attach_paginators(krate: &mut Crate, paginators: &Paginators) {
    for op in &mut krate.operations {
        let Some(pagination) = paginators.pagination.get(&op.name) else {
            continue;
        };
        op.paginator = plain(pagination).and_then(|(input_token, output_token, items)| {
            let field = |members: &[super::Member], name: &str, fits: fn(&Type) -> bool| {
                members
                    .iter()
                    .find(|m| m.name == name && fits(&m.ty))
                    .map(|m| m.field.clone())
            };
            let string = |ty: &Type| *ty == Type::String;
            let list = |ty: &Type| matches!(ty, Type::List { .. });
            let integer = |ty: &Type| matches!(ty, Type::Integer | Type::Long);
            Some(Paginator {
                input_token: field(&op.input.members, input_token, string)?,
                output_token: field(&op.output.members, output_token, string)?,
                limit: match &pagination.limit_key {
                    Some(key) => Some(field(&op.input.members, key, integer)?),
                    None => None,
                },
                items: match items {
                    Some(key) => Some(field(&op.output.members, key, list)?),
                    None => None,
                },
            })
        });
    }
}

/// The tokens and result key of a plain paginator; `None` for the rarer
/// forms.
fn plain(p: &Pagination) -> Option<(&str, &str, Option<&str>)> {
    if p.more_results.is_some() {
        return None;
    }
    let input = p.input_token.as_str()?;
    let output = p.output_token.as_str()?;
    let items = match &p.result_key {
        None => None,
        Some(Value::String(key)) => Some(key.as_str()),
        Some(_) => return None,
    };
    // Member paths (`Result.NextToken`) are not top-level members.
    [input, output]
        .iter()
        .chain(items.iter())
        .all(|name| !name.contains('.'))
        .then_some((input, output, items))
}
