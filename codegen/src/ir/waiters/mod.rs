//! Waiters from `waiters-2.json`, compiled against the typed output and
//! errors of their operation. Every acceptor becomes a typed test
//! ([`Matcher`]) that the emitter writes as plain Rust: the generated crate
//! reads no JMESPath at run time. A waiter whose acceptors cannot be
//! compiled is a [`Refusal`](super::Refusal) naming the waiter and why.

mod compile;
mod expr;

use super::{Crate, Refusal};
use crate::model::{Service, Waiters};
use crate::naming;
pub use expr::CmpOp;

/// One waiter of an operation the crate holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Waiter {
    /// `TableExists`, as the model names it.
    pub name: String,
    /// `wait_until_table_exists`: the client's method.
    pub method: String,
    /// `WaitUntilTableExists`: the builder the method returns.
    pub type_name: String,
    /// `table_exists`: its file in `src/waiters/`.
    pub module: String,
    /// The operation it calls: its `name` in the IR.
    pub operation: String,
    pub description: Option<String>,
    /// Seconds: the minimum delay between attempts.
    pub delay: u64,
    /// botocore's attempts; with `delay`, how long botocore waits in all.
    pub max_attempts: u64,
    pub acceptors: Vec<Acceptor>,
}

/// An acceptor, in model order: the first that matches decides.
#[derive(Debug, Clone, PartialEq)]
pub struct Acceptor {
    pub state: State,
    pub matcher: Matcher,
    /// As the model writes it (`path Table.TableStatus == "ACTIVE"`), for
    /// docs and for the error a `failure` acceptor gives.
    pub description: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Success,
    Failure,
    Retry,
}

/// What an acceptor tests.
#[derive(Debug, Clone, PartialEq)]
pub enum Matcher {
    /// `path`: a condition on the output (`output` in the emitted code).
    Path(Cond),
    /// `pathAll`: `items` is not empty and `test` holds for each (`item`
    /// in the emitted code).
    PathAll { items: Node, test: Cond },
    /// `pathAny`: `test` holds for one of `items`.
    PathAny { items: Node, test: Cond },
    /// `error` with a code: the service's error has it.
    ErrorCode(String),
    /// `error: true`: the service answered with an error.
    AnyError,
    /// `error: false`: the call succeeded.
    NoError,
    /// `status`: the answer's HTTP status.
    Status(u16),
}

/// A place in the output, typed. A node is one value (`Option<&T>` in the
/// emitted code) unless a flatten or a filter made it many (an iterator of
/// `&T`); the steps after those apply to each element.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// The operation's output.
    Root,
    /// The element a filter or a `pathAll`/`pathAny` test is looking at.
    Item,
    /// A member, by field; `boxed` when stored as `Box<T>`; `many` when
    /// `of` is many (then taken from each element that has it).
    Member {
        of: Box<Node>,
        field: String,
        boxed: bool,
        many: bool,
    },
    /// `[]`: the elements of the list `of` (or of each list, when `of` is
    /// many); `sparse` lists skip their nulls.
    Flatten {
        of: Box<Node>,
        of_many: bool,
        sparse: bool,
    },
    /// `.*`: the values of the map `of` (or of each map, when `of` is
    /// many); `sparse` maps skip their nulls.
    Values {
        of: Box<Node>,
        of_many: bool,
        sparse: bool,
    },
    /// `[?cond]`: the elements of the list `of` for which `cond` holds.
    Filter {
        of: Box<Node>,
        sparse: bool,
        cond: Box<Cond>,
    },
}

/// A condition: JMESPath's comparisons and logic, over [`Operand`]s.
#[derive(Debug, Clone, PartialEq)]
pub enum Cond {
    /// Both sides of one category; ordering compares numbers only.
    Compare(CmpOp, Operand, Operand),
    And(Box<Cond>, Box<Cond>),
    Or(Box<Cond>, Box<Cond>),
    Not(Box<Cond>),
}

/// A value a comparison reads, as an `Option` of text (`&str`), number
/// (`f64`) or flag (`bool`); `None` is JMESPath's null.
#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    /// A string member (`enum_value`: a string enum, read with `as_str`).
    Text {
        node: Node,
        enum_value: bool,
    },
    /// A number member of any width; `double` when it is an `f64`
    /// already.
    Number {
        node: Node,
        double: bool,
    },
    Flag(Node),
    /// `length(x)`.
    Length(Length),
    /// `a || b` of two texts: the first that is not null or empty.
    FirstText(Box<Operand>, Box<Operand>),
    Literal(Literal),
}

/// What `length` counts.
#[derive(Debug, Clone, PartialEq)]
pub enum Length {
    /// A list's or a map's entries.
    Collection(Node),
    /// A string member's characters.
    Text(Node),
    /// A text operand's characters.
    TextOf(Box<Operand>),
    /// The values of a projection (a many node).
    Items(Node),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Text(String),
    Number(f64),
    Flag(bool),
}

/// Gives the crate the waiters of its selected operations; returns those
/// that cannot be generated, and those whose operation the model does not
/// have. Waiters of operations that are not selected are not looked at.
pub fn attach_waiters(krate: &mut Crate, service: &Service, waiters: &Waiters) -> Vec<Refusal> {
    let mut refusals = Vec::new();
    let mut attached = Vec::new();
    for (name, def) in &waiters.waiters {
        let refuse = |reason: String| Refusal {
            operation: def.operation.clone(),
            reason: format!("waiter `{name}`: {reason}"),
        };
        let Some(model_op) = service.operations.get(&def.operation) else {
            refusals.push(refuse("the model has no such operation".into()));
            continue;
        };
        let Some(op) = krate.operations.iter().find(|op| op.name == model_op.name) else {
            continue;
        };
        match compile::waiter(krate, op, name, def) {
            Ok(waiter) => attached.push(waiter),
            Err(reason) => refusals.push(refuse(reason)),
        }
    }
    // Method names are unique: waiter names are keys of one map, and
    // `wait_until_` is no operation's prefix in any model; deduped anyway.
    let methods = naming::dedupe(attached.iter().map(|w| w.method.clone()).collect());
    for (waiter, method) in attached.iter_mut().zip(methods) {
        waiter.method = method;
    }
    krate.waiters = attached;
    refusals
}
