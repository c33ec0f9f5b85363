//! botocore's endpoint tests of the committed crates that have endpoint
//! rules (those this crate depends on), against their generated resolvers, through the harness that
//! `cargo xtask coverage --endpoints` runs for every service
//! (`sdkgen-endpoint-harness`); prints per run how many cases ran, passed
//! and were skipped (a custom harness, so the counts always show). A case
//! we cannot pass would be listed in `SKIPPED` with the reason; the list is
//! empty.
//!
//! Each case is checked at the resolver: its parameters set by name (each
//! one the rule set must have), the endpoint compared as botocore's runner
//! compares it (URL, every property, headers) with the scheme chosen to
//! sign with, or the error's message. S3's and S3 Control's
//! `operationInputs` are also called through the client, written by hand
//! here (`endpoint_cases/calls.rs`): a `Config` built from the case's
//! built-ins with the public setters, the operation called through its
//! fluent builder with the case's input, and the request a recording
//! transport saw compared (URL, SigV4 credential scope, the rules'
//! headers), or the call failed before sending with the rules' error. The
//! other services' calls are made by the xtask, which generates them.

mod endpoint_cases {
    pub mod calls;
    pub mod profile;
}

use sdkgen_endpoint_harness::{resolver, Service, Skip};
use std::path::Path;
use std::process::ExitCode;

/// (service, case documentation, why it is skipped)
const SKIPPED: &[Skip] = &[];

resolver!(fn bedrock_runtime_rules, bedrock_runtime::endpoint);
resolver!(fn chime_sdk_voice_rules, chime_sdk_voice::endpoint);
resolver!(fn dynamodb_rules, dynamodb::endpoint);
resolver!(fn ec2_rules, ec2::endpoint);
resolver!(fn kinesis_rules, kinesis::endpoint);
resolver!(fn lambda_rules, lambda::endpoint);
resolver!(fn lex_runtime_v2_rules, lex_runtime_v2::endpoint);
resolver!(fn s3_rules, s3::endpoint);
resolver!(fn s3_control_rules, s3_control::endpoint);
resolver!(fn sqs_rules, sqs::endpoint);
resolver!(fn sts_rules, sts::endpoint);

fn main() -> ExitCode {
    // By botocore's directory names.
    let services = [
        Service {
            name: "bedrock-runtime",
            resolve: Ok(bedrock_runtime_rules),
            call: None,
        },
        Service {
            name: "chime-sdk-voice",
            resolve: Ok(chime_sdk_voice_rules),
            call: None,
        },
        Service {
            name: "dynamodb",
            resolve: Ok(dynamodb_rules),
            call: None,
        },
        Service {
            name: "ec2",
            resolve: Ok(ec2_rules),
            call: None,
        },
        Service {
            name: "kinesis",
            resolve: Ok(kinesis_rules),
            call: None,
        },
        Service {
            name: "lambda",
            resolve: Ok(lambda_rules),
            call: None,
        },
        Service {
            name: "lexv2-runtime",
            resolve: Ok(lex_runtime_v2_rules),
            call: None,
        },
        Service {
            name: "s3",
            resolve: Ok(s3_rules),
            call: Some(endpoint_cases::calls::s3),
        },
        Service {
            name: "s3control",
            resolve: Ok(s3_control_rules),
            call: Some(endpoint_cases::calls::s3_control),
        },
        Service {
            name: "sqs",
            resolve: Ok(sqs_rules),
            call: None,
        },
        Service {
            name: "sts",
            resolve: Ok(sts_rules),
            call: None,
        },
    ];
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/endpoint-rules");
    let mut ok = match sdkgen_endpoint_harness::run(&dir, &services, SKIPPED) {
        Ok(report) => {
            report.print(SKIPPED);
            report.ok()
        }
        Err(why) => {
            println!("FAILED {why}");
            false
        }
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    match runtime.block_on(endpoint_cases::profile::check()) {
        Ok(()) => println!("endpoint settings of a shared config file reach S3's request: ok"),
        Err(why) => {
            println!("FAILED endpoint settings of a shared config file: {why}");
            ok = false;
        }
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
