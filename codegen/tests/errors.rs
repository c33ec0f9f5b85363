//! Models the generator cannot (yet) turn into correct code are refused with
//! an error that names the shape; bad models and selections are errors too.

mod common;

use common::options;
use sdkgen_codegen::{Error, Inputs, Options};
use serde_json::{json, Value};

/// A one-operation model: `GET /things/{Id}` whose input and output have
/// the given extra members and shapes.
fn model(input_members: Value, output_members: Value, shapes: Value) -> String {
    let mut input = json!({"Id": {"shape": "String", "location": "uri", "locationName": "Id"}});
    input
        .as_object_mut()
        .unwrap()
        .extend(input_members.as_object().unwrap().clone());
    let mut all_shapes = json!({
        "GetThingRequest": {"type": "structure", "required": ["Id"], "members": input},
        "GetThingResponse": {"type": "structure", "members": output_members},
        "String": {"type": "string"}
    });
    all_shapes
        .as_object_mut()
        .unwrap()
        .extend(shapes.as_object().unwrap().clone());
    json!({
        "metadata": {"apiVersion": "2024-01-01", "protocol": "rest-json", "serviceId": "T"},
        "operations": {"GetThing": {
            "name": "GetThing",
            "http": {"method": "GET", "requestUri": "/things/{Id}"},
            "input": {"shape": "GetThingRequest"},
            "output": {"shape": "GetThingResponse"}
        }},
        "shapes": all_shapes
    })
    .to_string()
}

fn generate(
    model: &str,
    selection: &[String],
    options: &Options,
) -> Result<sdkgen_codegen::Files, Error> {
    let inputs = Inputs {
        service: model,
        ..Inputs::default()
    };
    sdkgen_codegen::generate(&inputs, Some(selection), options)
}

fn run(model: &str) -> Result<(), Error> {
    generate(model, &["GetThing".to_string()], &options()).map(|_| ())
}

fn unsupported(model: &str) -> (String, String) {
    match run(model) {
        Err(Error::Unsupported { shape, what }) => (shape, what),
        other => panic!("expected an unsupported-construct error, got {other:?}"),
    }
}

#[test]
fn the_base_model_generates() {
    run(&model(json!({}), json!({}), json!({}))).unwrap();
}

#[test]
fn every_rest_json_binding_generates() {
    let files = generate(
        &model(
            json!({
                "Filter": {"shape": "String", "location": "header", "locationName": "x-filter"},
                "Since": {"shape": "Time", "location": "querystring", "locationName": "since"},
                "Meta": {"shape": "Tags", "location": "headers", "locationName": "x-meta-"},
                "Token": {"shape": "String", "idempotencyToken": true},
                "Window": {"shape": "Window"},
                "Data": {"shape": "Data"},
                "Doc": {"shape": "Doc"},
                "Choice": {"shape": "Choice"}
            }),
            json!({
                "ETag": {"shape": "String", "location": "header", "locationName": "ETag"},
                "Status": {"shape": "Int", "location": "statusCode"},
                "Times": {"shape": "Times"}
            }),
            json!({
                "Int": {"type": "integer"},
                "Time": {"type": "timestamp"},
                "Times": {"type": "list", "member": {"shape": "Time"}, "sparse": true},
                "Tags": {"type": "map", "key": {"shape": "String"}, "value": {"shape": "String"}},
                "Window": {"type": "structure", "members": {"Start": {"shape": "Time"}}},
                "Data": {"type": "blob"},
                "Doc": {"type": "structure", "members": {}, "document": true},
                "Choice": {"type": "structure", "union": true, "members": {"A": {"shape": "String"}, "unknown": {"shape": "Int"}}}
            }),
        ),
        &["GetThing".to_string()],
        &options(),
    )
    .unwrap();
    let union = &files["src/types/choice.rs"];
    assert!(union.contains("UnknownValue(i32)"), "{union}");
    assert!(files.contains_key("src/protocol_serde/shape_choice.rs"));
}

#[test]
fn constructs_without_a_correct_encoding_are_refused() {
    let (shape, what) = unsupported(&model(
        json!({"Filter": {"shape": "Nested", "location": "header", "locationName": "x-filter"}}),
        json!({}),
        json!({"Nested": {"type": "structure", "members": {}}}),
    ));
    assert_eq!(shape, "GetThingRequest");
    assert!(what.contains("`Filter`"), "{what}");

    let (shape, what) = unsupported(&model(
        json!({}),
        json!({"ById": {"shape": "ById"}}),
        json!({"ById": {"type": "map", "key": {"shape": "Int"}, "value": {"shape": "String"}}, "Int": {"type": "integer"}}),
    ));
    assert_eq!(shape, "ById");
    assert!(what.contains("a map keyed by Integer"), "{what}");

    let err = run(&model(
        json!({}),
        json!({"At": {"shape": "Time"}}),
        json!({"Time": {"type": "timestamp", "timestampFormat": "rfc3339"}}),
    ))
    .unwrap_err();
    assert_eq!(
        err,
        Error::Invalid("`Time` has the unknown timestampFormat `rfc3339`".into())
    );
}

#[test]
fn input_event_streams_generate_as_the_payload_only() {
    let events = json!({
        "Events": {"type": "structure", "eventstream": true, "members": {"tick": {"shape": "Tick"}}},
        "Tick": {"type": "structure", "event": true, "members": {"Data": {"shape": "Bytes", "eventpayload": true}}},
        "Bytes": {"type": "blob"}
    });
    let not_payload = model(
        json!({"Events": {"shape": "Events"}}),
        json!({}),
        events.clone(),
    );
    let (shape, what) = unsupported(&not_payload);
    assert_eq!(shape, "GetThingRequest");
    assert!(what.contains("not the payload"), "{what}");
    let payload = not_payload.replace(
        r#""required":["Id"]"#,
        r#""required":["Id"],"payload":"Events""#,
    );
    assert_ne!(payload, not_payload);
    run(&payload).expect("an input stream that is the payload generates");
}

#[test]
fn output_event_streams_generate_and_odd_ones_are_refused() {
    let events = json!({
        "Events": {"type": "structure", "eventstream": true, "members": {
            "tick": {"shape": "Tick"},
            "boom": {"shape": "Boom"}
        }},
        "Tick": {"type": "structure", "event": true, "members": {
            "At": {"shape": "Long", "eventheader": true},
            "Data": {"shape": "Bytes", "eventpayload": true}
        }},
        "Boom": {"type": "structure", "exception": true, "members": {"message": {"shape": "String"}}},
        "Long": {"type": "long"},
        "Bytes": {"type": "blob"},
        "Double": {"type": "double"}
    });
    let mut output = json!({"Events": {"shape": "Events"}});
    let payload = model(json!({}), output.clone(), events.clone()).replace(
        r#""members":{"Events""#,
        r#""payload":"Events","members":{"Events""#,
    );
    run(&payload).expect("an output stream that is the payload generates");

    // Not the payload: rest-json has nowhere else to put it.
    let (shape, what) = unsupported(&model(json!({}), output.clone(), events.clone()));
    assert_eq!(shape, "GetThingResponse");
    assert!(what.contains("not the payload"), "{what}");

    // A header type event headers do not carry.
    let mut odd = events.clone();
    odd["Tick"]["members"]["At"]["shape"] = json!("Double");
    let odd = model(json!({}), output.clone(), odd).replace(
        r#""members":{"Events""#,
        r#""payload":"Events","members":{"Events""#,
    );
    let (shape, what) = unsupported(&odd);
    assert_eq!(shape, "Tick");
    assert!(what.contains("`At`"), "{what}");

    // A stream inside a structure is not an operation's stream.
    output = json!({"Wrapper": {"shape": "Wrapper"}});
    let mut nested = events;
    nested["Wrapper"] = json!({"type": "structure", "members": {"Events": {"shape": "Events"}}});
    let err = run(&model(json!({}), output, nested)).unwrap_err();
    assert!(
        matches!(&err, Error::EventStream { shape, .. } if shape == "Events"),
        "{err:?}"
    );
}

#[test]
fn query_and_body_members_are_generated() {
    run(&model(
        json!({
            "Limit": {"shape": "Int", "location": "querystring", "locationName": "max-results"},
            "Tags": {"shape": "Tags", "location": "querystring", "locationName": "tag"},
            "Name": {"shape": "String"}
        }),
        json!({}),
        json!({"Int": {"type": "integer"}, "Tags": {"type": "list", "member": {"shape": "String"}}}),
    ))
    .unwrap();
}

#[test]
fn the_whole_chime_model_generates() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap();
    let service =
        std::fs::read_to_string(root.join("model/chime-sdk-voice/service-2.json")).unwrap();
    let rules =
        std::fs::read_to_string(root.join("model/chime-sdk-voice/endpoint-rule-set-1.json"))
            .unwrap();
    let partitions = std::fs::read_to_string(root.join("model/partitions.json")).unwrap();
    let parsed: serde_json::Value = serde_json::from_str(&service).unwrap();
    let all: Vec<String> = parsed["operations"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    let inputs = Inputs {
        service: &service,
        endpoint_rules: Some(&rules),
        partitions: Some(&partitions),
        paginators: None,
        waiters: None,
    };
    let files = sdkgen_codegen::generate(&inputs, Some(&all), &options()).unwrap();
    assert!(files.len() > all.len() * 5, "{} files", files.len());
}

#[test]
fn the_message_names_the_shape_and_the_construct() {
    let err = run(&model(
        json!({}),
        json!({"Data": {"shape": "Data", "location": "header", "locationName": "x-data"}}),
        json!({"Data": {"type": "structure", "members": {}}}),
    ))
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "shape `GetThingResponse`: member `Data` (Structure(\"Data\")) bound to Header is not supported by the generator yet"
    );
}

#[test]
fn colliding_names_get_numbered_not_refused() {
    let files = generate(
        &model(
            json!({}),
            json!({"A": {"shape": "SMS"}, "B": {"shape": "Sms"}, "C": {"shape": "Code"}}),
            json!({
                "SMS": {"type": "string", "enum": ["a"]},
                "Sms": {"type": "string", "enum": ["b"]},
                "Code": {"type": "string", "enum": ["INVALID_REQUEST", "invalid_request"]}
            }),
        ),
        &["GetThing".to_string()],
        &options(),
    )
    .unwrap();
    assert!(files["src/types/sms.rs"].contains("pub enum Sms {"));
    assert!(files["src/types/sms2.rs"].contains("pub enum Sms2 {"));
    let code = &files["src/types/code.rs"];
    assert!(
        code.contains("InvalidRequest,") && code.contains("InvalidRequest2,"),
        "{code}"
    );
}

#[test]
fn an_error_listed_twice_is_one_variant() {
    let mut service: Value = serde_json::from_str(&model(
        json!({}),
        json!({}),
        json!({"Oops": {"type": "structure", "members": {}, "exception": true}}),
    ))
    .unwrap();
    service["operations"]["GetThing"]["errors"] = json!([{"shape": "Oops"}, {"shape": "Oops"}]);
    let files = generate(&service.to_string(), &["GetThing".to_string()], &options()).unwrap();
    let error = &files["src/operation/get_thing/error.rs"];
    assert_eq!(
        error.matches("Oops(crate::types::error::Oops)").count(),
        1,
        "{error}"
    );
}

#[test]
fn invalid_models_and_selections_are_errors() {
    let base = model(json!({}), json!({}), json!({}));
    let err = generate(&base, &["Nope".to_string()], &options()).unwrap_err();
    assert_eq!(
        err,
        Error::Invalid("operation `Nope` is not in the model".into())
    );

    assert!(matches!(
        generate("{", &[], &options()),
        Err(Error::Model(_))
    ));

    let dangling = model(json!({}), json!({"X": {"shape": "Missing"}}), json!({}));
    let err = run(&dangling).unwrap_err();
    assert_eq!(
        err,
        Error::Invalid(
            "`GetThingResponse.X` refers to shape `Missing`, which is not in the model".into()
        )
    );

    let unbound = model(
        json!({"Other": {"shape": "String", "location": "uri", "locationName": "Other"}}),
        json!({}),
        json!({}),
    );
    assert!(matches!(run(&unbound), Err(Error::Invalid(_))));
}

/// A paginator that cannot be resolved against the operation's members is
/// an error of `generate` naming the operation and why, and a refusal in
/// `generate_with_report`: never an operation silently left without one.
#[test]
fn paginators_that_cannot_be_generated_are_refused_by_name() {
    let service = model(
        json!({
            "Marker": {"shape": "String", "location": "querystring", "locationName": "marker"},
            "Size": {"shape": "Flag", "location": "querystring", "locationName": "size"}
        }),
        json!({
            "Marker": {"shape": "String"},
            "Count": {"shape": "Count"},
            "Flag": {"shape": "Flag"},
            "Items": {"shape": "Items"}
        }),
        json!({
            "Flag": {"type": "boolean"},
            "Count": {"type": "integer"},
            "Items": {"type": "list", "member": {"shape": "String"}}
        }),
    );
    let cases = [
        (
            json!({"input_token": "Nope", "output_token": "Marker"}),
            "input_token `Nope` is not a member of the input",
        ),
        (
            json!({"input_token": "Marker", "output_token": "Count"}),
            "output_token `Count` is an integer, input_token `Marker` a string",
        ),
        (
            json!({"input_token": "Marker", "output_token": "Missing.Marker"}),
            "`GetThingResponse` has no member `Missing`",
        ),
        (
            json!({"input_token": "Marker", "output_token": "Items[*]"}),
            "`Items[*]` is JMESPath beyond",
        ),
        (
            json!({"input_token": ["Marker", "Marker"], "output_token": "Marker"}),
            "2 input tokens for 1 output tokens",
        ),
        (
            json!({"input_token": "Marker", "output_token": "Marker", "more_results": "Count"}),
            "more_results `Count` is not a boolean",
        ),
        (
            json!({"input_token": "Marker", "output_token": "Marker", "limit_key": "Size"}),
            "limit_key `Size` is a boolean, not a number",
        ),
        (
            json!({"input_token": "Marker", "output_token": "Marker", "result_key": "Items || Marker"}),
            "result_key `Items || Marker` is a choice",
        ),
        (
            json!({"input_token": "Marker", "output_token": "Marker", "result_key": "Marker[0]"}),
            "`[0]` of a value that is not a list",
        ),
    ];
    for (pagination, why) in cases {
        let paginators = json!({"pagination": {"GetThing": pagination}}).to_string();
        let inputs = Inputs {
            service: &service,
            paginators: Some(&paginators),
            ..Inputs::default()
        };
        let selection = ["GetThing".to_string()];
        let err = sdkgen_codegen::generate(&inputs, Some(&selection), &options()).unwrap_err();
        let text = err.to_string();
        assert!(
            text.starts_with("operation `GetThing`: its paginator cannot be generated: ")
                && text.contains(why),
            "{pagination}: {text}"
        );
        let (_, report) =
            sdkgen_codegen::generate_with_report(&inputs, Some(&selection), &options()).unwrap();
        assert_eq!(
            (report.paginators_listed, report.paginators_generated),
            (1, 0)
        );
        assert_eq!(report.paginators_refused[0].operation, "GetThing");
    }
    // An entry for an operation the model does not have is refused too.
    let paginators = json!({"pagination": {
        "GetThing": {"input_token": "Marker", "output_token": "Marker", "result_key": "Items"},
        "ListGone": {"input_token": "Marker", "output_token": "Marker"}
    }})
    .to_string();
    let inputs = Inputs {
        service: &service,
        paginators: Some(&paginators),
        ..Inputs::default()
    };
    let (_, report) = sdkgen_codegen::generate_with_report(&inputs, None, &options()).unwrap();
    assert_eq!(
        (report.paginators_listed, report.paginators_generated),
        (2, 1)
    );
    assert_eq!(
        report.paginators_refused,
        [sdkgen_codegen::ir::Refusal {
            operation: "ListGone".into(),
            reason: "the model has no such operation".into()
        }]
    );
}
