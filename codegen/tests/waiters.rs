//! Waiters the generator cannot compile are refused by name: the waiter,
//! its operation and the expression, never a panic and never a waiter
//! left out in silence.

mod common;

use common::options;
use sdkgen_codegen::{generate, generate_with_report, Error, Inputs};

const MODEL: &str = include_str!("fixtures/waiters/service-2.json");

/// `waiters-2.json` with one waiter, `Probe`, of these acceptors.
fn waiters(operation: &str, acceptors: &str) -> String {
    format!(
        r#"{{"version": 2, "waiters": {{"Probe": {{"operation": "{operation}", "delay": 1, "maxAttempts": 2, "acceptors": [{acceptors}]}}}}}}"#
    )
}

fn refusal(operation: &str, acceptors: &str) -> String {
    let waiters = waiters(operation, acceptors);
    let inputs = Inputs {
        service: MODEL,
        waiters: Some(&waiters),
        ..Inputs::default()
    };
    match generate(&inputs, None, &options()) {
        Err(e @ Error::Waiter { .. }) => e.to_string(),
        other => panic!("{acceptors}: {:?}", other.map(|files| files.len())),
    }
}

#[test]
fn expressions_beyond_the_subset_name_the_waiter_and_the_expression() {
    let cases = [
        (
            r#"{"matcher": "path", "argument": "Thing.Parts[0].State", "expected": "UP", "state": "success"}"#,
            "`Thing.Parts[0].State`",
            "index",
        ),
        (
            r#"{"matcher": "path", "argument": "Thing.Nope", "expected": "x", "state": "success"}"#,
            "`Thing.Nope`",
            "has no member `Nope`",
        ),
        (
            r#"{"matcher": "path", "argument": "Thing.Count == 'two'", "expected": true, "state": "success"}"#,
            "`Thing.Count == 'two'`",
            "compares a number with a string",
        ),
        (
            r#"{"matcher": "path", "argument": "Thing.Status", "expected": 3, "state": "success"}"#,
            "`Thing.Status`",
            "compares a string with a number",
        ),
        (
            r#"{"matcher": "path", "argument": "Thing.Parts[].State", "expected": "UP", "state": "success"}"#,
            "`Thing.Parts[].State`",
            "use `pathAll` or `pathAny`",
        ),
        (
            r#"{"matcher": "pathAll", "argument": "Thing.Status", "expected": "READY", "state": "success"}"#,
            "`Thing.Status`",
            "is not a list",
        ),
        (
            r#"{"matcher": "path", "argument": "Thing.Status < 'READY'", "expected": true, "state": "success"}"#,
            "`Thing.Status < 'READY'`",
            "orders a string",
        ),
        (
            r#"{"matcher": "path", "argument": "to_string(Thing.Count)", "expected": "2", "state": "success"}"#,
            "`to_string(Thing.Count)`",
            "function `to_string`",
        ),
        (
            r#"{"matcher": "path", "argument": "Thing.Name | length(@)", "expected": 1, "state": "success"}"#,
            "`Thing.Name | length(@)`",
            "JMESPath beyond",
        ),
        (
            r#"{"matcher": "path", "argument": "Thing && Thing.Name", "expected": true, "state": "success"}"#,
            "`Thing && Thing.Name`",
            "where a condition belongs",
        ),
        (
            r#"{"matcher": "sometimes", "expected": true, "state": "success"}"#,
            "waiter `Probe`",
            "unknown matcher `sometimes`",
        ),
        (
            r#"{"matcher": "status", "expected": 70000, "state": "success"}"#,
            "waiter `Probe`",
            "a `status` acceptor expecting 70000",
        ),
        (
            r#"{"matcher": "error", "expected": "NotFound", "state": "maybe"}"#,
            "waiter `Probe`",
            "unknown acceptor state `maybe`",
        ),
    ];
    for (acceptor, quoted, why) in cases {
        let err = refusal("DescribeThing", acceptor);
        assert!(
            err.starts_with("operation `DescribeThing`: waiter `Probe`: "),
            "{err}"
        );
        assert!(err.contains(quoted), "{acceptor}: {err}");
        assert!(err.contains(why), "{acceptor}: {err}");
    }
}

#[test]
fn a_waiter_of_an_operation_the_model_lacks_is_refused() {
    let err = refusal(
        "DescribeNothing",
        r#"{"matcher": "error", "expected": "NotFound", "state": "success"}"#,
    );
    assert_eq!(
        err,
        "operation `DescribeNothing`: waiter `Probe`: the model has no such operation"
    );
}

#[test]
fn the_report_counts_waiters_of_the_selected_operations() {
    let waiters = include_str!("fixtures/waiters/waiters-2.json");
    let inputs = Inputs {
        service: MODEL,
        waiters: Some(waiters),
        ..Inputs::default()
    };
    let (files, report) = generate_with_report(&inputs, None, &options()).unwrap();
    assert_eq!((report.waiters_listed, report.waiters_generated), (7, 7));
    assert!(files.contains_key("src/waiters/thing_ready.rs"));
    // Only ListThings: its one waiter; DescribeThing's are not looked at.
    let only = ["ListThings".to_string()];
    let (files, report) = generate_with_report(&inputs, Some(&only), &options()).unwrap();
    assert_eq!((report.waiters_listed, report.waiters_generated), (1, 1));
    assert!(!files.contains_key("src/waiters/thing_ready.rs"));
    assert!(files.contains_key("src/waiters/things_listed.rs"));
}
