//! Typing of waiter expressions: each path is resolved against the
//! operation's output and the structures it holds, each comparison is
//! checked to compare like with like, and each matcher gets the form its
//! test takes. What JMESPath would answer with null or a type error for
//! every response (a member the shape does not have, a string compared
//! with a number) is refused here, with the waiter's expression.

use super::expr::{self, Ast, CmpOp, Step};
use super::{Acceptor, Cond, Length, Literal, Matcher, Node, Operand, State, Waiter};
use crate::ir::{Crate, Operation, Structure, Type};
use crate::model::{AcceptorDef, WaiterDef};
use crate::naming;
use serde_json::Value;

pub fn waiter(
    krate: &Crate,
    op: &Operation,
    name: &str,
    def: &WaiterDef,
) -> Result<Waiter, String> {
    if op.input.streaming {
        return Err("its input streams, and a waiter sends it again for each attempt".into());
    }
    if op
        .output
        .members
        .iter()
        .any(|m| matches!(m.ty, Type::Stream | Type::EventStream { .. }))
    {
        return Err("its output streams".into());
    }
    let acceptors = def
        .acceptors
        .iter()
        .map(|a| acceptor(krate, op, a))
        .collect::<Result<Vec<_>, _>>()?;
    let snake = naming::snake(name);
    Ok(Waiter {
        name: name.to_string(),
        method: format!("wait_until_{snake}"),
        type_name: format!("WaitUntil{}", naming::camel(name)),
        module: snake,
        operation: op.name.clone(),
        description: def.description.clone(),
        delay: def.delay,
        max_attempts: def.max_attempts,
        acceptors,
    })
}

fn acceptor(krate: &Crate, op: &Operation, a: &AcceptorDef) -> Result<Acceptor, String> {
    let state = match a.state.as_str() {
        "success" => State::Success,
        "failure" => State::Failure,
        "retry" => State::Retry,
        other => return Err(format!("unknown acceptor state `{other}`")),
    };
    let argument = || {
        a.argument
            .as_deref()
            .ok_or_else(|| format!("a `{}` acceptor without an argument", a.matcher))
    };
    let expected = serde_json::to_string(&a.expected).unwrap_or_default();
    let (matcher, description) = match a.matcher.as_str() {
        "path" => {
            let text = argument()?;
            let typed = compile(krate, op, text)?;
            (
                path(typed, &a.expected, text)?,
                format!("path {text} == {expected}"),
            )
        }
        "pathAll" | "pathAny" => {
            let text = argument()?;
            let typed = compile(krate, op, text)?;
            let (items, element) = many(typed)
                .ok_or_else(|| format!("`{text}` is not a list, which `{}` needs", a.matcher))?;
            let test = equals(element_value(Node::Item, element), &a.expected, text)?;
            let matcher = if a.matcher == "pathAll" {
                Matcher::PathAll { items, test }
            } else {
                Matcher::PathAny { items, test }
            };
            (matcher, format!("{} {text} == {expected}", a.matcher))
        }
        "error" => {
            let matcher = match &a.expected {
                Value::String(code) => Matcher::ErrorCode(code.clone()),
                Value::Bool(true) => Matcher::AnyError,
                Value::Bool(false) => Matcher::NoError,
                other => return Err(format!("an `error` acceptor expecting {other}")),
            };
            (matcher, format!("error == {expected}"))
        }
        "status" => {
            let status = a
                .expected
                .as_u64()
                .and_then(|s| u16::try_from(s).ok())
                .ok_or_else(|| format!("a `status` acceptor expecting {}", a.expected))?;
            (Matcher::Status(status), format!("status == {status}"))
        }
        other => return Err(format!("unknown matcher `{other}`")),
    };
    Ok(Acceptor {
        state,
        matcher,
        description,
    })
}

/// What an expression is, once typed.
#[derive(Debug, Clone)]
enum Typed {
    /// One value of this type (absent: null).
    One(Node, Type),
    /// The values of a projection, each of this type.
    Many(Node, Type),
    Cond(Cond),
    Operand(Operand),
}

/// Where paths start: the output, or the element a filter tests.
struct Scope<'a> {
    krate: &'a Crate,
    op: &'a Operation,
    start: (Node, Type),
}

fn compile(krate: &Crate, op: &Operation, text: &str) -> Result<Typed, String> {
    let ast = expr::parse(text)?;
    let scope = Scope {
        krate,
        op,
        start: (Node::Root, Type::Structure(op.output.type_name.clone())),
    };
    typed(&scope, &ast).map_err(|e| format!("`{text}`: {e}"))
}

fn typed(scope: &Scope, ast: &Ast) -> Result<Typed, String> {
    match ast {
        Ast::Path(steps) => path_steps(scope, steps),
        Ast::Literal(value) => Ok(Typed::Operand(Operand::Literal(literal(value)?))),
        Ast::Length(inner) => {
            let length = match typed(scope, inner)? {
                Typed::One(node, Type::List { .. } | Type::Map { .. }) => Length::Collection(node),
                Typed::One(node, Type::String) => Length::Text(node),
                Typed::Many(node, _) => Length::Items(node),
                Typed::Operand(op) if category(&op) == Some(Category::Text) => {
                    Length::TextOf(Box::new(op))
                }
                other => return Err(format!("`length` of {}", what(&other))),
            };
            Ok(Typed::Operand(Operand::Length(length)))
        }
        Ast::Compare(op, left, right) => {
            let left = operand(typed(scope, left)?)?;
            let right = operand(typed(scope, right)?)?;
            compare(*op, left, right).map(Typed::Cond)
        }
        Ast::And(left, right) => Ok(Typed::Cond(Cond::And(
            Box::new(cond(typed(scope, left)?)?),
            Box::new(cond(typed(scope, right)?)?),
        ))),
        Ast::Not(inner) => Ok(Typed::Cond(negate(cond(typed(scope, inner)?)?))),
        Ast::Or(left, right) => match (typed(scope, left)?, typed(scope, right)?) {
            (Typed::Cond(l), Typed::Cond(r)) => Ok(Typed::Cond(Cond::Or(Box::new(l), Box::new(r)))),
            (l, r) => {
                let (l, r) = (operand(l)?, operand(r)?);
                if category(&l) == Some(Category::Text) && category(&r) == Some(Category::Text) {
                    Ok(Typed::Operand(Operand::FirstText(Box::new(l), Box::new(r))))
                } else {
                    Err("`||` of values that are neither both conditions nor both strings".into())
                }
            }
        },
    }
}

fn path_steps(scope: &Scope, steps: &[Step]) -> Result<Typed, String> {
    let (mut node, mut ty) = scope.start.clone();
    let mut is_many = false;
    for step in steps {
        match step {
            Step::Member(name) => {
                let owner = match &ty {
                    Type::Structure(type_name) => structure(scope, type_name),
                    _ => None,
                }
                .ok_or_else(|| format!("`{name}` of a value that is not a structure"))?;
                let member = owner
                    .members
                    .iter()
                    .find(|m| m.name == *name)
                    .ok_or_else(|| format!("`{}` has no member `{name}`", owner.shape))?;
                node = Node::Member {
                    of: Box::new(node),
                    field: member.field.clone(),
                    boxed: member.boxed,
                    many: is_many,
                };
                ty = member.ty.clone();
            }
            Step::Flatten => match ty.clone() {
                Type::List {
                    element, sparse, ..
                } => {
                    node = Node::Flatten {
                        of: Box::new(node),
                        of_many: is_many,
                        sparse,
                    };
                    ty = *element;
                    is_many = true;
                }
                // Flattening the values of a projection that are not
                // lists keeps them as they are.
                _ if is_many => {}
                _ => return Err("`[]` of a value that is not a list".into()),
            },
            Step::Values => match ty.clone() {
                Type::Map { value, sparse, .. } => {
                    node = Node::Values {
                        of: Box::new(node),
                        of_many: is_many,
                        sparse,
                    };
                    ty = *value;
                    is_many = true;
                }
                _ => return Err("`.*` of a value that is not a map".into()),
            },
            Step::Filter(condition) => match ty.clone() {
                Type::List {
                    element, sparse, ..
                } if !is_many => {
                    let inner = Scope {
                        krate: scope.krate,
                        op: scope.op,
                        start: (Node::Item, (*element).clone()),
                    };
                    let test = cond(typed(&inner, condition)?)?;
                    node = Node::Filter {
                        of: Box::new(node),
                        sparse,
                        cond: Box::new(test),
                    };
                    ty = *element;
                    is_many = true;
                }
                _ => return Err("a filter `[?...]` of a value that is not one list".into()),
            },
        }
    }
    Ok(if is_many {
        Typed::Many(node, ty)
    } else {
        Typed::One(node, ty)
    })
}

fn structure<'a>(scope: &Scope<'a>, type_name: &str) -> Option<&'a Structure> {
    if scope.op.output.type_name == type_name {
        return Some(&scope.op.output);
    }
    scope
        .krate
        .structures
        .iter()
        .find(|s| s.type_name == type_name)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Category {
    Text,
    Number,
    Flag,
}

impl Category {
    fn word(self) -> &'static str {
        match self {
            Category::Text => "a string",
            Category::Number => "a number",
            Category::Flag => "a boolean",
        }
    }
}

fn category(op: &Operand) -> Option<Category> {
    Some(match op {
        Operand::Text { .. } | Operand::FirstText(..) | Operand::Literal(Literal::Text(_)) => {
            Category::Text
        }
        Operand::Number { .. } | Operand::Length(_) | Operand::Literal(Literal::Number(_)) => {
            Category::Number
        }
        Operand::Flag(_) | Operand::Literal(Literal::Flag(_)) => Category::Flag,
    })
}

/// A single value as a comparison reads it.
fn operand(typed: Typed) -> Result<Operand, String> {
    match typed {
        Typed::Operand(op) => Ok(op),
        Typed::One(node, ty) => {
            let word = what(&Typed::One(Node::Root, ty.clone()));
            element_value(node, ty).ok_or_else(|| format!("{word} compared"))
        }
        other => Err(format!("{} compared", what(&other))),
    }
}

/// A scalar at `node` of type `ty` as an operand; `None` for a structure,
/// list or other value that is not compared.
fn element_value(node: Node, ty: Type) -> Option<Operand> {
    Some(match ty {
        Type::String => Operand::Text {
            node,
            enum_value: false,
        },
        Type::Enum(_) => Operand::Text {
            node,
            enum_value: true,
        },
        Type::Integer | Type::Long | Type::Float => Operand::Number {
            node,
            double: false,
        },
        Type::Double => Operand::Number { node, double: true },
        Type::Boolean => Operand::Flag(node),
        _ => return None,
    })
}

fn compare(op: CmpOp, left: Operand, right: Operand) -> Result<Cond, String> {
    let (l, r) = (category(&left), category(&right));
    if l != r {
        return Err(format!(
            "`{}` compares {} with {}, which is never true",
            op.symbol(),
            l.map_or("a value", Category::word),
            r.map_or("a value", Category::word)
        ));
    }
    if !matches!(op, CmpOp::Eq | CmpOp::Ne) && l != Some(Category::Number) {
        return Err(format!(
            "`{}` orders {}, which JMESPath does not",
            op.symbol(),
            l.map_or("values", Category::word)
        ));
    }
    Ok(Cond::Compare(op, left, right))
}

fn cond(typed: Typed) -> Result<Cond, String> {
    match typed {
        Typed::Cond(c) => Ok(c),
        other => Err(format!(
            "{} where a condition belongs (a comparison, `&&`, `||` or `!`)",
            what(&other)
        )),
    }
}

/// `!c`, with the negation taken inside where that is exact (an equality
/// is always true or false; `l < r` is false when either is null, so its
/// negation stays one).
fn negate(c: Cond) -> Cond {
    match c {
        Cond::Compare(CmpOp::Eq, l, r) => Cond::Compare(CmpOp::Ne, l, r),
        Cond::Compare(CmpOp::Ne, l, r) => Cond::Compare(CmpOp::Eq, l, r),
        Cond::And(a, b) => Cond::Or(Box::new(negate(*a)), Box::new(negate(*b))),
        Cond::Or(a, b) => Cond::And(Box::new(negate(*a)), Box::new(negate(*b))),
        Cond::Not(inner) => *inner,
        ordering => Cond::Not(Box::new(ordering)),
    }
}

/// `path`: the expression's value equals `expected`.
fn path(typed: Typed, expected: &Value, text: &str) -> Result<Matcher, String> {
    match (typed, expected) {
        (Typed::Cond(c), Value::Bool(true)) => Ok(Matcher::Path(c)),
        (Typed::Cond(c), Value::Bool(false)) => Ok(Matcher::Path(negate(c))),
        (Typed::Many(..), _) => Err(format!(
            "`{text}` is a list, which never equals {expected} (use `pathAll` or `pathAny`)"
        )),
        (typed, _) => {
            let value = operand(typed).map_err(|e| format!("`{text}`: {e}"))?;
            let test = compare(CmpOp::Eq, value, Operand::Literal(literal(expected)?))
                .map_err(|e| format!("`{text}` expecting {expected}: {e}"))?;
            Ok(Matcher::Path(test))
        }
    }
}

/// `pathAll`/`pathAny`: the element compared with `expected`.
fn equals(value: Option<Operand>, expected: &Value, text: &str) -> Result<Cond, String> {
    let value = value
        .ok_or_else(|| format!("`{text}`: its elements are not strings, numbers or booleans"))?;
    compare(CmpOp::Eq, value, Operand::Literal(literal(expected)?))
        .map_err(|e| format!("`{text}` expecting {expected}: {e}"))
}

/// The values of a projection, or of a list.
fn many(typed: Typed) -> Option<(Node, Type)> {
    match typed {
        Typed::Many(node, ty) => Some((node, ty)),
        Typed::One(
            node,
            Type::List {
                element, sparse, ..
            },
        ) => Some((
            Node::Flatten {
                of: Box::new(node),
                of_many: false,
                sparse,
            },
            *element,
        )),
        _ => None,
    }
}

fn literal(value: &Value) -> Result<Literal, String> {
    match value {
        Value::String(s) => Ok(Literal::Text(s.clone())),
        Value::Bool(b) => Ok(Literal::Flag(*b)),
        Value::Number(n) => n
            .as_f64()
            .map(Literal::Number)
            .ok_or_else(|| format!("the number {n}")),
        other => Err(format!(
            "the literal {other}, which is not a string, number or boolean"
        )),
    }
}

fn what(typed: &Typed) -> String {
    match typed {
        Typed::One(_, ty) | Typed::Many(_, ty) => {
            let word = match ty {
                Type::Structure(name) => format!("a structure `{name}`"),
                Type::List { .. } => "a list".into(),
                Type::Map { .. } => "a map".into(),
                Type::Document => "a value".into(),
                other => format!("a {}", format!("{other:?}").to_lowercase()),
            };
            if matches!(typed, Typed::Many(..)) {
                format!("a projection of {word}")
            } else {
                word
            }
        }
        Typed::Cond(_) => "a condition".into(),
        Typed::Operand(_) => "a value".into(),
    }
}
