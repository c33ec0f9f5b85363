//! DynamoDB's rules that its botocore model leaves out (and DynamoDB
//! Streams', whose model shares the shape).

use super::Customization;
use crate::error::Error;
use crate::model::{Service, ShapeType};

/// `AttributeValue` is a union: the service sets exactly one of its
/// members, and DynamoDB's Smithy model says so (`@union`), as the SDKs
/// generated from it show. botocore's model leaves the trait out, which
/// would make it a structure of ten optional members (224 bytes, and a
/// type in which "no member" and "two members" can be written). Marked a
/// union before lowering, it is the enum the generator emits for every
/// union, with the same wire form: an object of one member.
#[derive(Debug)]
pub struct AttributeValueUnion;

/// The shape it adjusts.
const SHAPE: &str = "AttributeValue";

/// The kinds of value the shape must have, by member name: a shape called
/// `AttributeValue` without them is not DynamoDB's, and is refused. A
/// member beyond these (a kind the service adds) becomes one more variant.
const KINDS: [&str; 10] = ["S", "N", "B", "SS", "NS", "BS", "M", "L", "NULL", "BOOL"];

impl Customization for AttributeValueUnion {
    fn name(&self) -> &'static str {
        "attribute-value-union"
    }

    fn adjust_model(&self, service: &mut Service) -> Result<Vec<String>, Error> {
        let refuse = |reason: String| Error::Customization {
            name: self.name().to_string(),
            shape: SHAPE.to_string(),
            reason,
        };
        let shape = service
            .shapes
            .get_mut(SHAPE)
            .ok_or_else(|| refuse("is not in the model".into()))?;
        if shape.kind != ShapeType::Structure {
            return Err(refuse(format!("is a {:?}, not a structure", shape.kind)));
        }
        if shape.union {
            return Ok(Vec::new());
        }
        if shape.exception || shape.error.is_some() || shape.fault {
            return Err(refuse("is an error shape".into()));
        }
        if shape.document || shape.eventstream {
            return Err(refuse("is a document or an event stream".into()));
        }
        if !shape.required.is_empty() {
            return Err(refuse(format!(
                "has required members ({}), which a union cannot have",
                shape.required.join(", ")
            )));
        }
        let members: Vec<&str> = shape
            .members
            .iter()
            .flat_map(|m| m.0.iter())
            .map(|(name, _)| name.as_str())
            .collect();
        let missing: Vec<&str> = KINDS
            .iter()
            .copied()
            .filter(|kind| !members.contains(kind))
            .collect();
        if !missing.is_empty() {
            return Err(refuse(format!(
                "has no member {}: it is not DynamoDB's attribute value",
                missing.join(", ")
            )));
        }
        shape.union = true;
        Ok(vec![format!("{SHAPE} made a union")])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::customize::apply;
    use serde_json::{json, Value};

    /// A model of `service_id` whose `AttributeValue` is `shape`.
    fn model(service_id: &str, shape: Value) -> Service {
        let text = json!({
            "metadata": {"apiVersion": "2012-08-10", "protocol": "json", "serviceId": service_id},
            "operations": {},
            "shapes": {"AttributeValue": shape, "String": {"type": "string"}}
        });
        Service::from_json(&text.to_string()).unwrap()
    }

    /// DynamoDB's shape as botocore 1.44.5 has it, every member a string
    /// for brevity (the customization looks at names only).
    fn botocore_shape() -> Value {
        let members: serde_json::Map<String, Value> = KINDS
            .iter()
            .map(|k| (k.to_string(), json!({"shape": "String"})))
            .collect();
        json!({"type": "structure", "members": members})
    }

    fn refusal(service: &mut Service) -> String {
        match AttributeValueUnion.adjust_model(service) {
            Err(e @ Error::Customization { .. }) => e.to_string(),
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn dynamodb_and_streams_get_the_union_and_no_other_service_does() {
        for id in ["DynamoDB", "DynamoDB Streams"] {
            let mut service = model(id, botocore_shape());
            let applied = apply(&mut service).unwrap();
            let names: Vec<_> = applied.iter().map(|a| a.name()).collect();
            assert_eq!(names, ["attribute-value-union"], "{id}");
            assert_eq!(applied[0].changes, ["AttributeValue made a union"]);
            assert!(service.shapes["AttributeValue"].union, "{id}");
        }
        // The same shape under another service id (or none) is untouched.
        for id in ["Dynamo DB", "dynamodb", "GameLift", "SSM"] {
            let mut service = model(id, botocore_shape());
            assert!(apply(&mut service).unwrap().is_empty(), "{id}");
            assert!(!service.shapes["AttributeValue"].union, "{id}");
        }
        let mut no_id = model("x", botocore_shape());
        no_id.metadata.service_id = None;
        assert!(apply(&mut no_id).unwrap().is_empty());
    }

    #[test]
    fn a_model_that_says_union_already_needs_nothing() {
        let mut shape = botocore_shape();
        shape["union"] = json!(true);
        let mut service = model("DynamoDB", shape);
        assert!(apply(&mut service).unwrap().is_empty());
        assert!(service.shapes["AttributeValue"].union);
    }

    #[test]
    fn a_kind_the_service_adds_is_one_more_member_of_the_union() {
        let mut shape = botocore_shape();
        shape["members"]["V"] = json!({"shape": "String"});
        let mut service = model("DynamoDB", shape);
        assert_eq!(apply(&mut service).unwrap().len(), 1);
        assert!(service.shapes["AttributeValue"].union);
    }

    #[test]
    fn a_shape_missing_or_not_as_expected_is_an_error_naming_it() {
        let mut service = model("DynamoDB", botocore_shape());
        service.shapes.remove("AttributeValue");
        assert_eq!(
            refusal(&mut service),
            "customization `attribute-value-union`: shape `AttributeValue` is not in the model"
        );
        let cases = [
            (json!({"type": "string"}), "is a String, not a structure"),
            (
                {
                    let mut s = botocore_shape();
                    s["required"] = json!(["S"]);
                    s
                },
                "has required members (S), which a union cannot have",
            ),
            (
                {
                    let mut s = botocore_shape();
                    s["members"].as_object_mut().unwrap().remove("NULL");
                    s["members"].as_object_mut().unwrap().remove("M");
                    s
                },
                "has no member M, NULL: it is not DynamoDB's attribute value",
            ),
            (
                {
                    let mut s = botocore_shape();
                    s["exception"] = json!(true);
                    s
                },
                "is an error shape",
            ),
            (
                {
                    let mut s = botocore_shape();
                    s["document"] = json!(true);
                    s
                },
                "is a document or an event stream",
            ),
        ];
        for (shape, reason) in cases {
            let mut service = model("DynamoDB", shape);
            let text = refusal(&mut service);
            assert_eq!(
                text,
                format!("customization `attribute-value-union`: shape `AttributeValue` {reason}")
            );
            assert!(!service.shapes["AttributeValue"].union, "{text}");
            // Through the registry, the refusal is the generation's error.
            assert!(apply(&mut service).is_err());
        }
    }
}
