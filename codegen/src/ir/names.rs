//! The Rust names of a model's types, fixed for the whole model so that a
//! type keeps its name whichever operations a crate selects.

use crate::model::{Service, ShapeType};
use crate::naming;
use std::collections::BTreeMap;

/// Type names by shape name: one namespace for `types` (structures, unions,
/// enums), one for `types::error`. Two shapes whose names would collide
/// get numbered in shape-name order ([`naming::dedupe`]).
pub struct TypeNames {
    types: BTreeMap<String, String>,
    errors: BTreeMap<String, String>,
}

impl TypeNames {
    pub fn new(service: &Service) -> Self {
        let mut types = Vec::new();
        let mut errors = Vec::new();
        for (name, shape) in &service.shapes {
            let is_error = shape.exception || shape.error.is_some() || shape.fault;
            match shape.kind {
                ShapeType::Structure if shape.document => {}
                ShapeType::Structure if is_error => errors.push(name),
                ShapeType::Structure => types.push(name),
                ShapeType::String if shape.enum_values.is_some() => types.push(name),
                _ => {}
            }
        }
        let table = |shapes: Vec<&String>| {
            let unique = naming::dedupe(shapes.iter().map(|s| naming::type_name(s)).collect());
            shapes.into_iter().cloned().zip(unique).collect()
        };
        TypeNames {
            types: table(types),
            errors: table(errors),
        }
    }

    /// The name of a structure, union or enum in `types`.
    pub fn type_name(&self, shape: &str) -> String {
        self.types
            .get(shape)
            .cloned()
            .unwrap_or_else(|| naming::type_name(shape))
    }

    /// The name of an error shape in `types::error`.
    pub fn error_name(&self, shape: &str) -> String {
        self.errors
            .get(shape)
            .cloned()
            .unwrap_or_else(|| naming::type_name(shape))
    }
}
