//! Which shapes the selected operations use, and which members need a box.

use crate::error::Error;
use crate::model::{Service, Shape, ShapeType};
use std::collections::BTreeSet;

/// Looks a shape up, or names the dangling reference.
pub fn shape<'a>(service: &'a Service, name: &str, referrer: &str) -> Result<&'a Shape, Error> {
    service.shapes.get(name).ok_or_else(|| {
        Error::Invalid(format!(
            "`{referrer}` refers to shape `{name}`, which is not in the model"
        ))
    })
}

/// The shapes a shape refers to: members, list element, map key and value.
pub fn children(shape: &Shape) -> impl Iterator<Item = &str> {
    let members = shape
        .members
        .iter()
        .flat_map(|m| m.0.iter().map(|(_, m)| m.shape.as_str()));
    let others = [&shape.member, &shape.key, &shape.value]
        .into_iter()
        .flatten()
        .map(|m| m.shape.as_str());
    members.chain(others)
}

/// Every shape reachable from the members of `roots` (the roots themselves
/// only if something refers back to them).
pub fn reached<'a>(
    service: &Service,
    roots: impl IntoIterator<Item = &'a str>,
) -> Result<BTreeSet<String>, Error> {
    let mut seen = BTreeSet::new();
    let mut stack: Vec<(String, String)> = Vec::new();
    for root in roots {
        for child in children(shape(service, root, root)?) {
            stack.push((child.to_string(), root.to_string()));
        }
    }
    while let Some((name, referrer)) = stack.pop() {
        if seen.contains(&name) {
            continue;
        }
        let target = shape(service, &name, &referrer)?;
        for child in children(target) {
            stack.push((child.to_string(), name.clone()));
        }
        seen.insert(name);
    }
    Ok(seen)
}

/// Whether a structure member pointing at `target` closes a cycle back to
/// `owner` through structure members held inline (lists and maps already
/// hold their elements on the heap, so they break cycles by themselves).
pub fn closes_cycle(service: &Service, target: &str, owner: &str) -> bool {
    let mut seen = BTreeSet::new();
    let mut stack = vec![target.to_string()];
    while let Some(name) = stack.pop() {
        if name == owner {
            return true;
        }
        if !seen.insert(name.clone()) {
            continue;
        }
        let Some(shape) = service.shapes.get(&name) else {
            continue;
        };
        if shape.kind != ShapeType::Structure {
            continue;
        }
        for (_, member) in shape.members.iter().flat_map(|m| m.0.iter()) {
            if service
                .shapes
                .get(&member.shape)
                .is_some_and(|s| s.kind == ShapeType::Structure)
            {
                stack.push(member.shape.clone());
            }
        }
    }
    false
}
