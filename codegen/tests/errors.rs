//! Models the generator cannot (yet) turn into correct code are refused with
//! an error that names the shape; bad models and selections are errors too.

use sdkgen_codegen::{Error, Inputs, Options};
use serde_json::{json, Value};

fn options() -> Options {
    Options {
        crate_name: "t".into(),
        crate_version: "0.0.0".into(),
        model_path: "test".into(),
        runtime_path: "../runtime".into(),
    }
}

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
    sdkgen_codegen::generate(&inputs, selection, options)
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
fn request_headers_and_unsupported_query_or_body_members_are_refused() {
    let (shape, what) = unsupported(&model(
        json!({"Filter": {"shape": "String", "location": "header", "locationName": "x-filter"}}),
        json!({}),
        json!({}),
    ));
    assert_eq!(shape, "GetThingRequest");
    assert!(what.contains("`Filter`"), "{what}");

    let (shape, what) = unsupported(&model(
        json!({"Filter": {"shape": "Nested", "location": "querystring", "locationName": "filter"}}),
        json!({}),
        json!({"Nested": {"type": "structure", "members": {}}}),
    ));
    assert_eq!(shape, "GetThingRequest");
    assert!(what.contains("`Filter`"), "{what}");

    let (shape, what) = unsupported(&model(
        json!({"Window": {"shape": "Window"}}),
        json!({}),
        json!({"Window": {"type": "structure", "members": {"Start": {"shape": "Time"}}}, "Time": {"type": "timestamp"}}),
    ));
    assert_eq!(shape, "GetThingRequest");
    assert!(what.contains("timestamps in a request body"), "{what}");
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
    };
    let files = sdkgen_codegen::generate(&inputs, &all, &options()).unwrap();
    assert!(files.len() > all.len() * 5, "{} files", files.len());
}

#[test]
fn response_headers_blobs_documents_and_unions_are_refused() {
    let cases = [
        (
            json!({"ETag": {"shape": "String", "location": "header", "locationName": "ETag"}}),
            json!({}),
            "GetThingResponse",
        ),
        (
            json!({"Data": {"shape": "Data"}}),
            json!({"Data": {"type": "blob"}}),
            "GetThingResponse",
        ),
        (
            json!({"Doc": {"shape": "Doc"}}),
            json!({"Doc": {"type": "structure", "members": {}, "document": true}}),
            "GetThingResponse",
        ),
        (
            json!({"Choice": {"shape": "Choice"}}),
            json!({"Choice": {"type": "structure", "union": true, "members": {"A": {"shape": "String"}}}}),
            "Choice",
        ),
        (
            json!({"Times": {"shape": "Times"}}),
            json!({"Times": {"type": "list", "member": {"shape": "T"}}, "T": {"type": "timestamp"}}),
            "GetThingResponse",
        ),
    ];
    for (members, shapes, expected) in cases {
        let (shape, what) = unsupported(&model(json!({}), members.clone(), shapes));
        assert_eq!(shape, expected, "{members}: {what}");
    }
}

#[test]
fn the_message_names_the_shape_and_the_construct() {
    let err = run(&model(
        json!({}),
        json!({"Data": {"shape": "Data"}}),
        json!({"Data": {"type": "blob"}}),
    ))
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "shape `GetThingResponse`: member `Data` of type Blob is not supported by the generator yet"
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

    let clash = model(
        json!({}),
        json!({"A": {"shape": "SMS"}, "B": {"shape": "Sms"}}),
        json!({"SMS": {"type": "string", "enum": ["a"]}, "Sms": {"type": "string", "enum": ["b"]}}),
    );
    let err = run(&clash).unwrap_err();
    assert!(
        err.to_string().contains("would both be named `types::Sms`"),
        "{err}"
    );

    let unbound = model(
        json!({"Other": {"shape": "String", "location": "uri", "locationName": "Other"}}),
        json!({}),
        json!({}),
    );
    assert!(matches!(run(&unbound), Err(Error::Invalid(_))));
}
