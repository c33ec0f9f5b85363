//! `operationContextParams`: endpoint rule parameters an operation takes
//! from its input by a JMESPath expression (DynamoDB's `ResourceArnList`
//! from `keys(RequestItems)`). Smithy allows a part of JMESPath there, and
//! that is what is read: members (`a.b`), list projections (`a[*].b`),
//! multi-select lists (`[a, b]`), flattens (`[]`) and `keys(..)`. The path
//! is resolved against the input's types into [`ContextStep`]s that the
//! emitter writes as plain iterator code: no JMESPath at run time. Anything
//! else is refused with the expression.

use super::{ContextPath, ContextStep, Structure, Type};
use crate::error::Error;

/// A parsed expression.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Ast {
    /// A member of the current value, by model name.
    Field(String),
    /// The right side applied to the left's value.
    Sub(Box<Ast>, Box<Ast>),
    /// `left[*]`: the right side (the steps that follow) applied to each
    /// element of the left's list.
    Project(Box<Ast>),
    /// `left[]`
    Flatten(Box<Ast>),
    /// `[a, b]`: each of several expressions of the current value.
    Select(Vec<Ast>),
    /// `keys(x)`
    Keys(Box<Ast>),
}

/// Resolves `path` (of parameter `param`) against the operation's input.
/// `structures` are the crate's, to follow nested members.
pub fn lower(
    param: &str,
    path: &str,
    input: &Structure,
    structures: &[Structure],
) -> Result<ContextPath, Error> {
    let refuse = |what: String| Error::Unsupported {
        shape: input.shape.clone(),
        what: format!("the operation context parameter `{param}` = `{path}`: {what}"),
    };
    let ast = Parser::new(path).parse().map_err(&refuse)?;
    let mut steps = Vec::new();
    let ty = resolve(
        &ast,
        Type::Structure(input.type_name.clone()),
        input,
        structures,
        &mut steps,
    )
    .map_err(&refuse)?;
    if ty != Type::String {
        return Err(refuse(format!("it selects {ty:?}, not strings")));
    }
    let list = projects(&steps);
    Ok(ContextPath {
        text: path.to_string(),
        steps,
        list,
    })
}

/// Appends the steps of `ast` from a value of type `ty` to `steps`, and
/// returns the type of what they select (of each item, once a step yields
/// several).
fn resolve(
    ast: &Ast,
    ty: Type,
    input: &Structure,
    structures: &[Structure],
    steps: &mut Vec<ContextStep>,
) -> Result<Type, String> {
    match ast {
        Ast::Field(name) => {
            let Type::Structure(type_name) = &ty else {
                return Err(format!("`{name}` of {ty:?}, which is not a structure"));
            };
            let structure = if *type_name == input.type_name {
                input
            } else {
                structures
                    .iter()
                    .find(|s| s.type_name == *type_name)
                    .ok_or_else(|| format!("no structure `{type_name}`"))?
            };
            let member = structure
                .members
                .iter()
                .find(|m| m.name == *name)
                .ok_or_else(|| format!("`{}` has no member `{name}`", structure.shape))?;
            steps.push(ContextStep::Field {
                field: member.field.clone(),
                boxed: member.boxed,
            });
            Ok(member.ty.clone())
        }
        Ast::Sub(left, right) => {
            let ty = resolve(left, ty, input, structures, steps)?;
            resolve(right, ty, input, structures, steps)
        }
        Ast::Project(list) | Ast::Flatten(list) => {
            let flatten = matches!(ast, Ast::Flatten(_));
            match resolve(list, ty, input, structures, steps)? {
                Type::List {
                    element, sparse, ..
                } => {
                    steps.push(ContextStep::Elements { sparse });
                    Ok(*element)
                }
                // The items of a projection or a multi-select are already
                // one at a time: flattening them again changes nothing.
                other if flatten && projects(steps) => Ok(other),
                other => Err(format!("`[*]` or `[]` of {other:?}, which is not a list")),
            }
        }
        Ast::Keys(map) => match resolve(map, ty, input, structures, steps)? {
            Type::Map { key, .. } => {
                steps.push(ContextStep::Keys);
                Ok(*key)
            }
            other => Err(format!("`keys` of {other:?}, which is not a map")),
        },
        Ast::Select(choices) => {
            let mut selected = Vec::new();
            for choice in choices {
                let mut sub = Vec::new();
                let item = resolve(choice, ty.clone(), input, structures, &mut sub)?;
                if item != Type::String {
                    return Err(format!("a multi-select of {item:?}, not strings"));
                }
                selected.push(sub);
            }
            steps.push(ContextStep::Select(selected));
            Ok(Type::String)
        }
    }
}

/// Whether the steps so far yield items one at a time.
fn projects(steps: &[ContextStep]) -> bool {
    steps
        .iter()
        .any(|s| !matches!(s, ContextStep::Field { .. }))
}

/// A recursive-descent parser of the subset.
struct Parser<'a> {
    text: &'a str,
    rest: &'a str,
}

impl<'a> Parser<'a> {
    fn new(text: &'a str) -> Self {
        Parser { text, rest: text }
    }

    fn parse(mut self) -> Result<Ast, String> {
        let ast = self.expression()?;
        self.skip_space();
        if self.rest.is_empty() {
            Ok(ast)
        } else {
            Err(self.unexpected())
        }
    }

    fn unexpected(&self) -> String {
        let at = self.text.len() - self.rest.len();
        format!(
            "JMESPath beyond members, `[*]`, `[]`, `[a, b]` and `keys(..)` at offset {at} (`{}`)",
            self.rest
        )
    }

    fn skip_space(&mut self) {
        self.rest = self.rest.trim_start();
    }

    fn eat(&mut self, token: &str) -> bool {
        self.skip_space();
        match self.rest.strip_prefix(token) {
            Some(rest) => {
                self.rest = rest;
                true
            }
            None => false,
        }
    }

    /// A primary, then any `.x`, `.[..]`, `[*]` and `[]` after it.
    fn expression(&mut self) -> Result<Ast, String> {
        let mut ast = self.primary()?;
        loop {
            if self.eat("[*]") {
                ast = Ast::Project(Box::new(ast));
            } else if self.eat("[]") {
                ast = Ast::Flatten(Box::new(ast));
            } else if self.eat(".") {
                let right = if self.eat("[") {
                    self.select()?
                } else {
                    Ast::Field(self.identifier()?)
                };
                ast = Ast::Sub(Box::new(ast), Box::new(right));
            } else {
                return Ok(ast);
            }
        }
    }

    fn primary(&mut self) -> Result<Ast, String> {
        if self.eat("[") {
            return self.select();
        }
        let name = self.identifier()?;
        if name == "keys" && self.eat("(") {
            let inner = self.expression()?;
            if !self.eat(")") {
                return Err(self.unexpected());
            }
            return Ok(Ast::Keys(Box::new(inner)));
        }
        Ok(Ast::Field(name))
    }

    /// After `[`: `a, b, ...]`.
    fn select(&mut self) -> Result<Ast, String> {
        let mut choices = vec![self.expression()?];
        while self.eat(",") {
            choices.push(self.expression()?);
        }
        if self.eat("]") {
            Ok(Ast::Select(choices))
        } else {
            Err(self.unexpected())
        }
    }

    fn identifier(&mut self) -> Result<String, String> {
        self.skip_space();
        let end = self
            .rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(self.rest.len());
        let name = &self.rest[..end];
        if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
            return Err(self.unexpected());
        }
        self.rest = &self.rest[end..];
        Ok(name.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(name: &str) -> Box<Ast> {
        Box::new(Ast::Field(name.into()))
    }

    fn sub(left: Box<Ast>, right: Box<Ast>) -> Box<Ast> {
        Box::new(Ast::Sub(left, right))
    }

    #[test]
    fn every_form_botocore_models_use() {
        let table: Vec<(&str, Ast)> = vec![
            ("keys(RequestItems)", Ast::Keys(field("RequestItems"))),
            (
                "TableCreationParameters.TableName",
                *sub(field("TableCreationParameters"), field("TableName")),
            ),
            (
                "TransactItems[*].Get.TableName",
                *sub(
                    sub(Box::new(Ast::Project(field("TransactItems"))), field("Get")),
                    field("TableName"),
                ),
            ),
            (
                "TransactItems[*].[ConditionCheck.TableName, Put.TableName][]",
                Ast::Flatten(sub(
                    Box::new(Ast::Project(field("TransactItems"))),
                    Box::new(Ast::Select(vec![
                        *sub(field("ConditionCheck"), field("TableName")),
                        *sub(field("Put"), field("TableName")),
                    ])),
                )),
            ),
        ];
        for (text, expected) in table {
            assert_eq!(Parser::new(text).parse(), Ok(expected), "{text}");
        }
    }

    #[test]
    fn more_than_that_is_refused() {
        for text in [
            "",
            "a.",
            "a[0]",
            "a[?b]",
            "length(a)",
            "keys(a",
            "[a, b",
            "a | b",
            "a || b",
            "1a",
            "a.*",
        ] {
            let err = Parser::new(text).parse().unwrap_err();
            assert!(err.contains("JMESPath beyond"), "{text}: {err}");
        }
    }
}
