//! What a model update changes in a crate's API (`api_diff`): a real
//! update of Chime SDK Voice (botocore 1.43.49 to 1.43.50, vendored under
//! `tests/data/api-diff/`), and each class of change on a small model.

use sdkgen_codegen::api_diff::{self, Bump, Diff, Level};
use sdkgen_codegen::Inputs;
use serde_json::{json, Value};
use std::fs;
use std::path::PathBuf;

fn data(path: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/api-diff")
        .join(path);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `class: item: what`, one line per change, in the diff's order.
fn lines(diff: &Diff) -> Vec<String> {
    diff.changes
        .iter()
        .map(|c| format!("{}: {c}", c.level.heading()))
        .collect()
}

fn proxy_deprecation(op: &str) -> String {
    format!(
        "additive: operation `{op}`: deprecated since 2026-04-07: End of support notice: On April 7, 2026, \
         AWS ended support for Amazon Chime SDK proxy sessions. For more information, refer to \
         https://docs.aws.amazon.com/chime-sdk/latest/APIReference/API_voice-chime_{op}.html"
    )
}

#[test]
fn chime_sdk_voice_from_botocore_1_43_49_to_1_43_50() {
    let (old_service, old_pages) = (
        data("chime-sdk-voice/1.43.49/service-2.json"),
        data("chime-sdk-voice/1.43.49/paginators-1.json"),
    );
    let (new_service, new_pages) = (
        data("chime-sdk-voice/1.43.50/service-2.json"),
        data("chime-sdk-voice/1.43.50/paginators-1.json"),
    );
    let old = Inputs {
        service: &old_service,
        paginators: Some(&old_pages),
        ..Default::default()
    };
    let new = Inputs {
        service: &new_service,
        paginators: Some(&new_pages),
        ..Default::default()
    };
    let diff = api_diff::compare(&old, &new, None, None).unwrap();

    let mut expected: Vec<String> = vec![
        "breaking: `CreateSipRuleInput.target_applications`: became required: `build()` fails without it".into(),
        "breaking: `UpdateGlobalSettingsInput.voice_connector`: became required: `build()` fails without it".into(),
        "breaking: `PhoneNumberOrder.foc_date`: type changed from `DateTime` to `String`".into(),
        proxy_deprecation("CreateProxySession"),
        "additive: `CreateVoiceConnectorGroupInput.call_distribution_type`: added".into(),
        "additive: `CreateVoiceConnectorGroupError::NotFoundException`: added".into(),
        proxy_deprecation("DeleteProxySession"),
        proxy_deprecation("DeleteVoiceConnectorProxy"),
        proxy_deprecation("GetProxySession"),
        "additive: `GetSipMediaApplicationAlexaSkillConfigurationError::GoneException`: added".into(),
        proxy_deprecation("GetVoiceConnectorProxy"),
        proxy_deprecation("ListProxySessions"),
        "additive: `ListSipRulesError::NotFoundException`: added".into(),
        "additive: `PutSipMediaApplicationAlexaSkillConfigurationError::GoneException`: added".into(),
        "additive: `PutVoiceConnectorOriginationError::AccessDeniedException`: added".into(),
        proxy_deprecation("PutVoiceConnectorProxy"),
        proxy_deprecation("UpdateProxySession"),
        "additive: `UpdateVoiceConnectorGroupInput.call_distribution_type`: added".into(),
        "additive: type `CallDistributionType`: added (a string enum)".into(),
        "additive: `ErrorCode::Validation`: added (the value `Validation`)".into(),
        "additive: `PhoneNumber.phone_number_arn`: added".into(),
        "additive: `VoiceConnectorGroup.call_distribution_type`: added".into(),
    ];
    // `NonEmptyString128` (at least 1 character) became `VoiceConnectorId`
    // (a pattern, which the client does not check).
    for input in [
        "CreateProxySession",
        "DeleteProxySession",
        "DeleteVoiceConnectorProxy",
        "GetProxySession",
        "GetSpeakerSearchTask",
        "GetVoiceConnectorProxy",
        "GetVoiceToneAnalysisTask",
        "ListProxySessions",
        "PutVoiceConnectorExternalSystemsConfiguration",
        "PutVoiceConnectorProxy",
        "StartSpeakerSearchTask",
        "StartVoiceToneAnalysisTask",
        "StopSpeakerSearchTask",
        "StopVoiceToneAnalysisTask",
        "UpdateProxySession",
    ] {
        expected.push(format!(
            "behaviour: `{input}Input.voice_connector_id`: minimum removed (was 1): `build()` accepts more"
        ));
    }
    for item in [
        "operation `CreateProxySession`",
        "`CreateVoiceConnectorInput.integration_type`",
        "`CreateVoiceConnectorInput.network_type`",
        "operation `DeleteProxySession`",
        "operation `DeleteVoiceConnectorProxy`",
        "operation `GetProxySession`",
        "operation `GetVoiceConnectorProxy`",
        "operation `ListProxySessions`",
        "operation `PutVoiceConnectorProxy`",
        "operation `UpdateProxySession`",
        "`VoiceConnector.network_type`",
    ] {
        expected.push(format!("docs only: {item}: documentation changed"));
    }
    assert_eq!(lines(&diff), expected);
    assert!(diff.inputs_changed);
    assert!(diff.dropped.is_empty() && diff.not_selected.is_empty());
    assert_eq!(diff.bump(), Some(Bump::Breaking));
    assert_eq!(api_diff::bump("0.1.0", Bump::Breaking).unwrap(), "0.2.0");

    // The committed crate's selection is every operation: the same answer.
    let manifest: Value = serde_json::from_str(
        &fs::read_to_string(
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../model/chime-sdk-voice/codegen.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let selection: Vec<String> = serde_json::from_value(manifest["operations"].clone()).unwrap();
    let selected = api_diff::compare(&old, &new, Some(&selection), None).unwrap();
    assert_eq!(lines(&selected), expected);

    // Nothing changes from a model to itself.
    let same = api_diff::compare(&new, &new, None, None).unwrap();
    assert_eq!(same, Diff::default());
    assert_eq!(same.bump(), None);
}

/// A small rest-json service: `GetThing` (a label, a query enum, an
/// output with a nested structure, a union and a timestamp, one error)
/// and `ListThings`, which pages.
fn base() -> Value {
    json!({
        "metadata": {
            "apiVersion": "2020-01-01", "endpointPrefix": "tiny", "protocol": "rest-json",
            "protocols": ["rest-json"], "serviceId": "Tiny", "signatureVersion": "v4",
            "signingName": "tiny"
        },
        "operations": {
            "GetThing": {
                "name": "GetThing",
                "http": {"method": "GET", "requestUri": "/things/{Id}"},
                "input": {"shape": "GetThingRequest"},
                "output": {"shape": "GetThingResponse"},
                "errors": [{"shape": "NotFound"}],
                "documentation": "<p>Gets a thing.</p>"
            },
            "ListThings": {
                "name": "ListThings",
                "http": {"method": "GET", "requestUri": "/things"},
                "input": {"shape": "ListThingsRequest"},
                "output": {"shape": "ListThingsResponse"}
            }
        },
        "shapes": {
            "GetThingRequest": {
                "type": "structure",
                "required": ["Id"],
                "members": {
                    "Id": {"shape": "Id", "location": "uri", "locationName": "Id"},
                    "Color": {"shape": "Color", "location": "querystring", "locationName": "color"},
                    "Note": {"shape": "String", "location": "querystring", "locationName": "note"}
                }
            },
            "GetThingResponse": {
                "type": "structure",
                "required": ["Thing"],
                "members": {
                    "Thing": {"shape": "Thing"},
                    "Created": {"shape": "Timestamp"}
                }
            },
            "ListThingsRequest": {
                "type": "structure",
                "members": {
                    "NextToken": {"shape": "String", "location": "querystring", "locationName": "next"},
                    "MaxResults": {"shape": "Integer", "location": "querystring", "locationName": "max"}
                }
            },
            "ListThingsResponse": {
                "type": "structure",
                "members": {
                    "Things": {"shape": "ThingList"},
                    "NextToken": {"shape": "String"}
                }
            },
            "Thing": {
                "type": "structure",
                "members": {
                    "Name": {"shape": "String", "documentation": "<p>Its name.</p>"},
                    "Choice": {"shape": "Choice"}
                }
            },
            "Choice": {
                "type": "structure",
                "union": true,
                "members": {"A": {"shape": "String"}, "B": {"shape": "Integer"}}
            },
            "Color": {"type": "string", "enum": ["red", "green"]},
            "NotFound": {
                "type": "structure",
                "members": {"message": {"shape": "String"}},
                "error": {"httpStatusCode": 404},
                "exception": true
            },
            "Gone": {
                "type": "structure",
                "members": {"message": {"shape": "String"}},
                "error": {"httpStatusCode": 410},
                "exception": true
            },
            "ThingList": {"type": "list", "member": {"shape": "Thing"}},
            "Id": {"type": "string", "min": 1},
            "String": {"type": "string"},
            "Integer": {"type": "integer"},
            "Timestamp": {"type": "timestamp"}
        }
    })
}

const PAGINATORS: &str = r#"{"pagination": {"ListThings": {"input_token": "NextToken",
    "output_token": "NextToken", "limit_key": "MaxResults", "result_key": "Things"}}}"#;

/// The diff from the base model to the one `edit` makes of it.
fn diff_after(edit: impl FnOnce(&mut Value)) -> Diff {
    let mut new = base();
    edit(&mut new);
    diff_between(&base(), &new, Some(PAGINATORS), Some(PAGINATORS), None)
}

fn diff_between(
    old: &Value,
    new: &Value,
    old_pages: Option<&str>,
    new_pages: Option<&str>,
    selection: Option<&[String]>,
) -> Diff {
    let (old, new) = (old.to_string(), new.to_string());
    let old = Inputs {
        service: &old,
        paginators: old_pages,
        ..Default::default()
    };
    let new = Inputs {
        service: &new,
        paginators: new_pages,
        ..Default::default()
    };
    api_diff::compare(&old, &new, selection, None).unwrap()
}

fn changes_after(edit: impl FnOnce(&mut Value)) -> Vec<String> {
    lines(&diff_after(edit))
}

#[test]
fn an_operation_removed_breaks_one_added_does_not() {
    let removed = changes_after(|m| {
        m["operations"].as_object_mut().unwrap().remove("GetThing");
    });
    assert_eq!(
        removed,
        [
            "breaking: operation `GetThing`: removed: `Client::get_thing`, the feature `get-thing`, \
             `GetThingInput`, `GetThingOutput` and `GetThingError` are gone",
            // `ListThings` still uses `Thing` and `Choice`.
            "breaking: type `Color`: removed (a string enum)",
            "breaking: error `NotFound`: removed",
        ]
    );
    let added = changes_after(|m| {
        m["operations"]["Ping"] =
            json!({"name": "Ping", "http": {"method": "POST", "requestUri": "/ping"}});
    });
    assert_eq!(
        added,
        ["additive: operation `Ping`: added: `Client::ping`, feature `ping`"]
    );
}

#[test]
fn a_selected_operation_the_model_drops_is_dropped_and_new_ones_are_named() {
    let mut new = base();
    new["operations"]
        .as_object_mut()
        .unwrap()
        .remove("ListThings");
    new["operations"]["Ping"] =
        json!({"name": "Ping", "http": {"method": "POST", "requestUri": "/ping"}});
    let selection = vec!["GetThing".to_string(), "ListThings".to_string()];
    let diff = diff_between(&base(), &new, None, None, Some(&selection));
    assert_eq!(diff.dropped, ["ListThings"]);
    assert_eq!(diff.not_selected, ["Ping"]);
    assert_eq!(
        lines(&diff),
        [
            "breaking: operation `ListThings`: removed: `Client::list_things`, the feature `list-things`, \
             `ListThingsInput`, `ListThingsOutput` and `ListThingsError` are gone"
        ]
    );
}

#[test]
fn a_selected_operation_the_old_model_lacked_is_added() {
    let mut new = base();
    new["operations"]["Ping"] =
        json!({"name": "Ping", "http": {"method": "POST", "requestUri": "/ping"}});
    let selection = vec!["GetThing".to_string(), "Ping".to_string()];
    let diff = diff_between(&base(), &new, None, None, Some(&selection));
    assert!(diff.dropped.is_empty() && diff.not_selected.is_empty());
    assert_eq!(
        lines(&diff),
        ["additive: operation `Ping`: added: `Client::ping`, feature `ping`"]
    );
}

#[test]
fn endpoint_rules_and_partitions_are_behaviour() {
    let service = base().to_string();
    let old = Inputs {
        service: &service,
        endpoint_rules: Some(r#"{"version": "1.0", "rules": []}"#),
        partitions: Some(r#"{"partitions": []}"#),
        ..Default::default()
    };
    // The same JSON, formatted otherwise, is no change.
    let reformatted = Inputs {
        endpoint_rules: Some("{\n  \"version\": \"1.0\",\n  \"rules\": []\n}"),
        ..old
    };
    let same = api_diff::compare(&old, &reformatted, None, None).unwrap();
    assert!(same.changes.is_empty());
    assert_eq!(same.bump(), Some(Bump::Patch), "the files differ");
    let new = Inputs {
        endpoint_rules: Some(r#"{"version": "1.1", "rules": []}"#),
        partitions: Some(r#"{"partitions": [{}]}"#),
        ..old
    };
    let diff = api_diff::compare(&old, &new, None, None).unwrap();
    assert_eq!(
        lines(&diff),
        [
            "behaviour: endpoint resolution: the service's endpoint rules changed",
            "behaviour: endpoint resolution: the partition table changed (regions, DNS suffixes)",
        ]
    );
}

#[test]
fn members_removed_retyped_or_newly_required_break() {
    let changes = changes_after(|m| {
        let shapes = &mut m["shapes"];
        shapes["GetThingRequest"]["members"]
            .as_object_mut()
            .unwrap()
            .remove("Note");
        shapes["GetThingRequest"]["required"] = json!(["Id", "Color"]);
        shapes["Thing"]["members"]["Name"]["shape"] = json!("Integer");
        shapes["Thing"]["members"]["Size"] = json!({"shape": "Integer"});
        shapes["GetThingRequest"]["members"]["Token"] = json!({"shape": "String"});
        shapes["GetThingRequest"]["required"] = json!(["Id", "Color", "Token"]);
    });
    assert_eq!(
        changes,
        [
            "breaking: `GetThingInput.note`: removed",
            "breaking: `GetThingInput.color`: became required: `build()` fails without it",
            "breaking: `GetThingInput.token`: added, required: `build()` fails without it",
            "breaking: `Thing.name`: type changed from `String` to `i32`",
            "additive: `Thing.size`: added",
        ]
    );
}

#[test]
fn required_matters_on_inputs_only() {
    let changes = changes_after(|m| {
        m["shapes"]["GetThingRequest"]["required"] = json!([]);
        // Outputs and nested structures never check it.
        m["shapes"]["GetThingResponse"]["required"] = json!([]);
        m["shapes"]["Thing"]["required"] = json!(["Name"]);
    });
    assert_eq!(
        changes,
        ["additive: `GetThingInput.id`: no longer required"]
    );
}

#[test]
fn enum_values_added_are_additive_removed_break() {
    let changes = changes_after(|m| {
        m["shapes"]["Color"]["enum"] = json!(["red", "blue"]);
    });
    assert_eq!(
        changes,
        [
            "breaking: `Color::Green`: removed (the value `green`)",
            "additive: `Color::Blue`: added (the value `blue`)",
        ]
    );
}

#[test]
fn operation_errors_added_are_additive_removed_break() {
    let changes = changes_after(|m| {
        m["operations"]["GetThing"]["errors"] = json!([{"shape": "Gone"}]);
    });
    assert_eq!(
        changes,
        [
            "breaking: `GetThingError::NotFound`: removed",
            "breaking: error `NotFound`: removed",
            "additive: `GetThingError::Gone`: added",
            "additive: error `Gone`: added",
        ]
    );
}

#[test]
fn union_variants_added_are_additive_removed_break() {
    let changes = changes_after(|m| {
        let members = m["shapes"]["Choice"]["members"].as_object_mut().unwrap();
        members.remove("B");
        members.insert("C".into(), json!({"shape": "Timestamp"}));
    });
    assert_eq!(
        changes,
        [
            "breaking: `Choice::B`: removed",
            "additive: `Choice::C`: added",
        ]
    );
}

#[test]
fn a_type_that_changes_kind_breaks() {
    let changes = changes_after(|m| {
        m["shapes"]["Choice"]
            .as_object_mut()
            .unwrap()
            .remove("union");
    });
    assert_eq!(
        changes,
        ["breaking: type `Choice`: is a structure (was a union)"]
    );
}

#[test]
fn docs_alone_are_docs_only_and_a_patch() {
    let diff = diff_after(|m| {
        m["operations"]["GetThing"]["documentation"] = json!("<p>Gets one thing.</p>");
        m["shapes"]["Thing"]["documentation"] = json!("<p>A thing.</p>");
    });
    assert_eq!(
        lines(&diff),
        [
            "docs only: operation `GetThing`: documentation changed",
            // An undocumented member shows its type's documentation.
            "docs only: `GetThingOutput.thing`: documentation changed",
            "docs only: type `Thing`: documentation changed",
        ]
    );
    assert_eq!(diff.bump(), Some(Bump::Patch));
    assert_eq!(api_diff::bump("0.1.0", Bump::Patch).unwrap(), "0.1.1");
}

#[test]
fn deprecation_is_additive() {
    let diff = diff_after(|m| {
        m["operations"]["GetThing"]["deprecated"] = json!(true);
        m["shapes"]["Thing"]["members"]["Name"]["deprecated"] = json!(true);
        m["shapes"]["Thing"]["members"]["Name"]["deprecatedMessage"] = json!("use Id");
    });
    assert_eq!(
        lines(&diff),
        [
            "additive: operation `GetThing`: deprecated",
            "additive: `Thing.name`: deprecated: use Id",
        ]
    );
    assert_eq!(diff.bump(), Some(Bump::Additive));
}

#[test]
fn the_wire_changing_under_the_same_api_is_behaviour() {
    let changes = changes_after(|m| {
        let members = &mut m["shapes"]["GetThingRequest"]["members"];
        members["Note"] =
            json!({"shape": "String", "location": "header", "locationName": "x-note"});
        m["shapes"]["GetThingResponse"]["members"]["Created"]["timestampFormat"] = json!("iso8601");
        m["operations"]["GetThing"]["http"]["method"] = json!("POST");
        m["operations"]["GetThing"]["http"]["requestUri"] = json!("/thing/{Id}");
        m["shapes"]["String"]["sensitive"] = json!(true);
    });
    assert_eq!(
        changes,
        [
            "behaviour: operation `GetThing`: method: POST (was GET)",
            "behaviour: operation `GetThing`: path: /thing/{Id} (was /things/{Id})",
            "behaviour: `GetThingInput.note`: sent or read as header `x-note` (was query parameter `note`)",
            "behaviour: `GetThingInput.note`: now sensitive: redacted in `Debug`",
            "behaviour: `GetThingOutput.created`: timestamps written as date-time (was epoch seconds)",
            "behaviour: `ListThingsInput.next_token`: now sensitive: redacted in `Debug`",
            "behaviour: `ListThingsOutput.next_token`: now sensitive: redacted in `Debug`",
            "behaviour: `Thing.name`: now sensitive: redacted in `Debug`",
            "behaviour: `NotFound.message`: now sensitive: redacted in `Debug`",
        ]
    );
}

#[test]
fn an_input_minimum_raised_breaks_one_lowered_does_not() {
    let raised = changes_after(|m| {
        m["shapes"]["Id"]["min"] = json!(3);
    });
    assert_eq!(
        raised,
        ["breaking: `GetThingInput.id`: minimum raised to 3 (was 1): `build()` refuses what is below it"]
    );
    let removed = changes_after(|m| {
        m["shapes"]["Id"].as_object_mut().unwrap().remove("min");
    });
    assert_eq!(
        removed,
        ["behaviour: `GetThingInput.id`: minimum removed (was 1): `build()` accepts more"]
    );
}

#[test]
fn a_type_compiled_by_fewer_features_breaks() {
    // `Thing` is used by both operations; when `ListThings` returns names
    // instead, a crate built with only `list-things` has no `Thing`.
    let changes = changes_after(|m| {
        m["shapes"]["ThingList"]["member"]["shape"] = json!("String");
    });
    assert_eq!(
        changes,
        [
            "breaking: `ListThingsOutput.things`: type changed from `Vec<Thing>` to `Vec<String>`",
            "breaking: paginator of `ListThings`: `items()` yields another type",
            "breaking: type `Choice`: no longer compiled by the feature `list-things`",
            "breaking: type `Thing`: no longer compiled by the feature `list-things`",
        ]
    );
}

#[test]
fn paginators_added_are_additive_removed_break() {
    let old = base();
    let removed = diff_between(&old, &old, Some(PAGINATORS), None, None);
    assert_eq!(
        lines(&removed),
        ["breaking: paginator of `ListThings`: removed: `into_paginator()` is gone"]
    );
    let added = diff_between(&old, &old, None, Some(PAGINATORS), None);
    assert_eq!(
        lines(&added),
        ["additive: paginator of `ListThings`: added: `into_paginator()`"]
    );
}

#[test]
fn the_bump_follows_the_most_serious_change() {
    let mut diff = Diff::default();
    assert_eq!(diff.bump(), None);
    diff.inputs_changed = true;
    assert_eq!(diff.bump(), Some(Bump::Patch), "the crate's files change");
    let breaking = diff_after(|m| {
        m["shapes"]["Color"]["enum"] = json!(["red"]);
        m["shapes"]["Thing"]["members"]["Size"] = json!({"shape": "Integer"});
    });
    assert_eq!(
        breaking.changes.iter().map(|c| c.level).collect::<Vec<_>>(),
        [Level::Breaking, Level::Additive]
    );
    assert_eq!(breaking.bump(), Some(Bump::Breaking));
}

const WAITERS: &str = r#"{"version": 2, "waiters": {"ThingExists": {"operation": "GetThing",
    "delay": 5, "maxAttempts": 10, "acceptors": [
      {"state": "success", "matcher": "status", "expected": 200},
      {"state": "retry", "matcher": "error", "expected": "NotFound"}]}}}"#;

#[test]
fn waiters_added_are_additive_removed_break() {
    let service = base().to_string();
    let with = Inputs {
        service: &service,
        waiters: Some(WAITERS),
        ..Default::default()
    };
    let without = Inputs {
        service: &service,
        ..Default::default()
    };
    let added = api_diff::compare(&without, &with, None, None).unwrap();
    assert_eq!(
        lines(&added),
        ["additive: waiter `ThingExists`: added: `Client::wait_until_thing_exists`"]
    );
    let removed = api_diff::compare(&with, &without, None, None).unwrap();
    assert_eq!(
        lines(&removed),
        ["breaking: waiter `ThingExists`: removed: `Client::wait_until_thing_exists` is gone"]
    );
    let slower = WAITERS.replace("\"delay\": 5", "\"delay\": 20");
    let changed = Inputs {
        waiters: Some(&slower),
        ..with
    };
    let diff = api_diff::compare(&with, &changed, None, None).unwrap();
    assert_eq!(
        lines(&diff),
        ["behaviour: waiter `ThingExists`: waits otherwise (operation, delays or acceptors)"]
    );
}
