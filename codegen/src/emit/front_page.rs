//! A generated crate's front page: the crate-level rustdoc of `lib.rs` and
//! the `README.md` a registry shows are one Markdown text, so that both
//! list the same operations, features, paginators and waiters.
//!
//! The text is plain Markdown without intra-doc links: an operation's
//! method is compiled only with its feature, and a link to it would break
//! the docs of a build without it.

use super::features::{CRATE_FEATURES, HTTP2_DOC};
use crate::ir::{Crate, Http2};
use crate::naming::{self, ALL_OPERATIONS, HTTP2, SIGV4A};

/// The front page, from its title to the last section. Each section is a
/// function of the IR that returns `None` when the crate has nothing to
/// say there.
pub fn markdown(krate: &Crate, crate_name: &str, version: &str) -> String {
    let sections = [
        intro(krate),
        usage(krate, crate_name, version),
        operations(krate),
        paginators(krate),
        waiters(krate),
        features(krate),
    ];
    sections
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("\n\n")
        + "\n"
}

fn intro(krate: &Crate) -> Option<String> {
    let service = &krate.service;
    let mut text = format!("# {}\n\n", service.title);
    if !service.docs.is_empty() {
        text.push_str(&service.docs);
        text.push_str("\n\n");
    }
    text.push_str(&format!(
        "This crate is generated from the botocore model of the service (API version {}); \
         do not edit it, regenerate it with `cargo xtask codegen`.",
        service.api_version
    ));
    Some(text)
}

/// How a program picks the operations it calls: the example is the first
/// operation, so that it names one that exists.
fn usage(krate: &Crate, crate_name: &str, version: &str) -> Option<String> {
    let first = krate.operations.first()?;
    Some(format!(
        "## Using it\n\n\
         Every operation is compiled by default. A program that calls only some \
         names their features, and compiles only what they use:\n\n\
         ```toml\n[dependencies]\n{crate_name} = {{ version = \"{version}\", \
         default-features = false, features = [\"{feature}\"] }}\n```",
        version = caret(version),
        feature = first.feature,
    ))
}

/// `0.1.0` as a user depends on it: `0.1` (a 0.x minor is a breaking
/// release under cargo's rules), `1.4.2` as `1`.
fn caret(version: &str) -> String {
    let mut parts = version.split(['.', '-', '+']);
    match (parts.next(), parts.next()) {
        (Some("0"), Some(minor)) => format!("0.{minor}"),
        (Some(major), _) => major.to_string(),
        (None, _) => version.to_string(),
    }
}

fn operations(krate: &Crate) -> Option<String> {
    let mut text = format!(
        "## Operations\n\n\
         Each operation is compiled by a cargo feature of its own, named below; \
         `{ALL_OPERATIONS}` (the default) turns them all on. The client's method \
         is the operation's name in snake case.\n"
    );
    for op in &krate.operations {
        text.push_str(&format!(
            "\n- `{}` (`Client::{}`): feature `{}`",
            op.name, op.module, op.feature
        ));
    }
    Some(text)
}

fn paginators(krate: &Crate) -> Option<String> {
    let paging: Vec<_> = krate
        .operations
        .iter()
        .filter_map(|op| op.paginator.as_ref().map(|p| (op, p)))
        .collect();
    if paging.is_empty() {
        return None;
    }
    let mut text = String::from(
        "## Paginators\n\n\
         These operations return their results a page at a time; \
         `into_paginator()` on the operation's builder follows the tokens, \
         `.send()` streams the pages and the named methods stream the items.\n",
    );
    for (op, p) in paging {
        let items: Vec<String> = p
            .items
            .iter()
            .map(|i| format!("`.{}()` (`{}`)", i.method, i.path.text))
            .collect();
        let name = naming::paginator(&op.name);
        text.push_str(&format!(
            "\n- `{}`: `{name}`, from `Client::{}().into_paginator()`",
            op.name, op.module
        ));
        if !items.is_empty() {
            text.push_str(&format!("; items: {}", items.join(", ")));
        }
    }
    Some(text)
}

fn waiters(krate: &Crate) -> Option<String> {
    if krate.waiters.is_empty() {
        return None;
    }
    let mut text = String::from(
        "## Waiters\n\n\
         Each waiter calls its operation until the service reaches a state: \
         `Client::wait_until_...()` takes the operation's input, and \
         `.wait(max_wait)` returns the last output, or an error that says which \
         acceptor failed, that time ran out, or that a call failed. A waiter is \
         compiled with its operation's feature.\n",
    );
    for waiter in &krate.waiters {
        let op = krate.operations.iter().find(|o| o.name == waiter.operation);
        let Some(op) = op else { continue };
        text.push_str(&format!(
            "\n- `{}`: `Client::{}()`, calls `{}` (feature `{}`), every {} s at first",
            waiter.name, waiter.method, op.name, op.feature, waiter.delay
        ));
    }
    Some(text)
}

fn features(krate: &Crate) -> Option<String> {
    let mut text = format!(
        "## Features\n\n\
         Besides one feature per operation and `{ALL_OPERATIONS}`:\n"
    );
    if krate.service.sigv4a {
        text.push_str(&format!(
            "\n- `{SIGV4A}` (on by default): SigV4a signing, for the endpoints whose \
             rules ask for it (signatures valid in a set of regions); without it such an \
             endpoint is refused, naming this feature, unless its rules also allow SigV4."
        ));
    }
    if krate.service.http2 == Http2::Optional {
        text.push_str(&format!("\n- `{HTTP2}`: {}", HTTP2_DOC.join(" ")));
    }
    for feature in CRATE_FEATURES {
        text.push_str(&format!(
            "\n- `{}`: {}",
            feature.name,
            feature.doc.join(" ")
        ));
    }
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_user_writes_the_version_as_cargo_matches_it() {
        assert_eq!(caret("0.1.0"), "0.1");
        assert_eq!(caret("0.12.3"), "0.12");
        assert_eq!(caret("1.4.2"), "1");
        assert_eq!(caret("2.0.0-beta.1"), "2");
        assert_eq!(caret("0.3"), "0.3");
    }
}
