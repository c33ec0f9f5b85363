//! The customization seam seen from outside: a service's customization
//! changes what `generate` writes and what the API summary says for that
//! service only, and a model it does not expect fails the generation with
//! an error naming the shape.

use sdkgen_codegen::model::Service;
mod common;

use common::options;
use sdkgen_codegen::{summary, Error, Files, Inputs};
use serde_json::{json, Value};

/// An awsJson model of `service_id` with one operation, `GetItem`, whose
/// output holds a map of `AttributeValue` shaped as botocore has
/// DynamoDB's (`value` replaces it where given).
fn model(service_id: &str, value: Option<Value>) -> String {
    let kinds = ["S", "N", "B", "SS", "NS", "BS", "M", "L", "NULL", "BOOL"];
    let targets = [
        "String", "String", "Blob", "Strings", "Strings", "Blobs", "Map", "List", "Bool", "Bool",
    ];
    let members: serde_json::Map<String, Value> = kinds
        .iter()
        .zip(targets)
        .map(|(k, t)| (k.to_string(), json!({"shape": t})))
        .collect();
    let value = value.unwrap_or(json!({"type": "structure", "members": members}));
    json!({
        "metadata": {
            "apiVersion": "2012-08-10", "protocol": "json", "protocols": ["json"],
            "jsonVersion": "1.0", "targetPrefix": "T_1", "serviceId": service_id
        },
        "operations": {"GetItem": {
            "name": "GetItem",
            "input": {"shape": "GetItemInput"},
            "output": {"shape": "GetItemOutput"}
        }},
        "shapes": {
            "GetItemInput": {"type": "structure", "members": {"Key": {"shape": "Map"}}},
            "GetItemOutput": {"type": "structure", "members": {"Item": {"shape": "Map"}}},
            "AttributeValue": value,
            "Map": {"type": "map", "key": {"shape": "String"}, "value": {"shape": "AttributeValue"}},
            "List": {"type": "list", "member": {"shape": "AttributeValue"}},
            "Strings": {"type": "list", "member": {"shape": "String"}},
            "Blobs": {"type": "list", "member": {"shape": "Blob"}},
            "String": {"type": "string"},
            "Blob": {"type": "blob"},
            "Bool": {"type": "boolean"}
        }
    })
    .to_string()
}

fn generate(model: &str) -> Result<Files, Error> {
    let inputs = Inputs {
        service: model,
        ..Inputs::default()
    };
    sdkgen_codegen::generate(&inputs, None, &options())
}

fn summary_of(model: &str) -> String {
    let service = Service::from_json(model).unwrap();
    summary::summaries(&service, None, None).unwrap()["GetItem"].clone()
}

#[test]
fn dynamodb_gets_attribute_value_as_a_union_and_says_so() {
    let model = model("DynamoDB", None);
    let files = generate(&model).unwrap();
    let ty = &files["src/types/attribute_value.rs"];
    assert!(ty.contains("pub enum AttributeValue {"), "{ty}");
    for variant in [
        "S(String)",
        "Ss(Vec<String>)",
        "M(std::collections::HashMap<String, crate::types::AttributeValue>)",
        "L(Vec<crate::types::AttributeValue>)",
        "Null(bool)",
        "Bool(bool)",
        "Unknown,",
    ] {
        assert!(ty.contains(variant), "{variant} in {ty}");
    }
    let wire = &files["src/protocol_serde/shape_attribute_value.rs"];
    assert!(wire.contains("sdkgen_runtime::json::union("), "{wire}");

    let summary = summary_of(&model);
    assert!(
        summary.contains("\n  customization attribute-value-union: AttributeValue made a union\n"),
        "{summary}"
    );
    assert!(
        summary.contains("\n    union AttributeValue (AttributeValue)\n"),
        "{summary}"
    );
}

#[test]
fn another_service_with_the_same_shape_keeps_the_model_as_it_is() {
    let model = model("Not DynamoDB", None);
    let files = generate(&model).unwrap();
    let ty = &files["src/types/attribute_value.rs"];
    assert!(ty.contains("pub struct AttributeValue {"), "{ty}");
    let summary = summary_of(&model);
    assert!(!summary.contains("customization"), "{summary}");
    assert!(
        summary.contains("\n    structure AttributeValue (AttributeValue)\n"),
        "{summary}"
    );
}

#[test]
fn a_dynamodb_model_the_customization_does_not_expect_is_an_error_naming_the_shape() {
    let not_a_structure = model("DynamoDB", Some(json!({"type": "string"})));
    let err = generate(&not_a_structure).unwrap_err();
    assert_eq!(
        err,
        Error::Customization {
            name: "attribute-value-union".into(),
            shape: "AttributeValue".into(),
            reason: "is a String, not a structure".into(),
        }
    );
    let service = Service::from_json(&not_a_structure).unwrap();
    assert_eq!(summary::summaries(&service, None, None).unwrap_err(), err);

    // The shape gone (its users pointed elsewhere, so the model is
    // otherwise whole).
    let mut gone: Value = serde_json::from_str(&model("DynamoDB", None)).unwrap();
    let shapes = gone["shapes"].as_object_mut().unwrap();
    shapes.remove("AttributeValue");
    shapes["Map"]["value"] = json!({"shape": "String"});
    shapes["List"]["member"] = json!({"shape": "String"});
    let err = generate(&gone.to_string()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "customization `attribute-value-union`: shape `AttributeValue` is not in the model"
    );
}
