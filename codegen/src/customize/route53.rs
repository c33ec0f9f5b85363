//! Amazon Route 53's rules that its botocore model leaves out.

use super::Customization;
use crate::error::Error;
use crate::model::{Service, ShapeType};

/// Route 53 answers ids with their kind in front (`/hostedzone/Z1`,
/// `/change/C2`, `/delegationset/N3`) and takes them bare in a request:
/// only the text after the last `/` of such an input member is sent, so
/// that an id read from one answer can be passed to the next call as it
/// is (botocore's `fix_route53_ids`). The members are those of an
/// operation's input whose shape is one of [`ID_SHAPES`], as botocore
/// picks them, wherever they are bound (label, query or body).
#[derive(Debug)]
pub struct IdsLastSegment;

/// The shapes of the ids, by name, as botocore 1.44.5 lists them; a name
/// the model does not have (`DelegationSetId` today: those members are
/// `ResourceId`s) matches nothing.
pub const ID_SHAPES: [&str; 3] = ["ResourceId", "DelegationSetId", "ChangeId"];

impl Customization for IdsLastSegment {
    fn name(&self) -> &'static str {
        "route53-ids"
    }

    fn adjust_model(&self, service: &mut Service) -> Result<Vec<String>, Error> {
        for id in ID_SHAPES {
            match service.shapes.get(id) {
                Some(shape) if shape.kind != ShapeType::String || shape.enum_values.is_some() => {
                    return Err(Error::Customization {
                        name: self.name().to_string(),
                        shape: id.to_string(),
                        reason: "is not a string".to_string(),
                    })
                }
                _ => {}
            }
        }
        let mut members = 0;
        let mut operations = 0;
        let shapes = &service.shapes;
        for op in service.operations.values_mut() {
            let Some(input) = op.input.as_ref().and_then(|r| shapes.get(&r.shape)) else {
                continue;
            };
            let ids: Vec<String> = input
                .members
                .iter()
                .flat_map(|m| m.0.iter())
                .filter(|(_, m)| ID_SHAPES.contains(&m.shape.as_str()))
                .map(|(name, _)| name.clone())
                .collect();
            if ids.is_empty() {
                continue;
            }
            members += ids.len();
            operations += 1;
            op.calls.last_segment = ids;
        }
        if members == 0 {
            return Ok(Vec::new());
        }
        Ok(vec![format!(
            "only the text after the last `/` is sent of {members} id members ({}) of {operations} operations",
            ID_SHAPES.join(", ")
        )])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::customize::apply;
    use serde_json::json;

    /// A Route 53 model (`service_id`) with a label id, a query id, a body
    /// id, a change id and a member that only looks like one.
    fn model(service_id: &str) -> Service {
        Service::from_json(&model_json(service_id).to_string()).unwrap()
    }

    fn model_json(service_id: &str) -> serde_json::Value {
        json!({
            "metadata": {"apiVersion": "2013-04-01", "protocol": "rest-xml", "serviceId": service_id},
            "operations": {
                "GetHostedZone": {"name": "GetHostedZone",
                    "http": {"method": "GET", "requestUri": "/2013-04-01/hostedzone/{Id}"},
                    "input": {"shape": "GetHostedZoneRequest"}},
                "ListHostedZones": {"name": "ListHostedZones",
                    "http": {"method": "GET", "requestUri": "/2013-04-01/hostedzone"},
                    "input": {"shape": "ListHostedZonesRequest"}},
                "GetChange": {"name": "GetChange",
                    "http": {"method": "GET", "requestUri": "/2013-04-01/change/{Id}"},
                    "input": {"shape": "GetChangeRequest"}},
                "GetCheckerIpRanges": {"name": "GetCheckerIpRanges",
                    "http": {"method": "GET", "requestUri": "/2013-04-01/checkeripranges"}}
            },
            "shapes": {
                "GetHostedZoneRequest": {"type": "structure", "required": ["Id"], "members": {
                    "Id": {"shape": "ResourceId", "location": "uri", "locationName": "Id"}}},
                "ListHostedZonesRequest": {"type": "structure", "members": {
                    "Marker": {"shape": "PageMarker", "location": "querystring", "locationName": "marker"},
                    "DelegationSetId": {"shape": "ResourceId", "location": "querystring", "locationName": "delegationsetid"},
                    "HostedZoneType": {"shape": "PageMarker"}}},
                "GetChangeRequest": {"type": "structure", "required": ["Id"], "members": {
                    "Id": {"shape": "ChangeId", "location": "uri", "locationName": "Id"}}},
                "ResourceId": {"type": "string", "max": 32},
                "ChangeId": {"type": "string", "max": 6500, "min": 1},
                "PageMarker": {"type": "string"}
            }
        })
    }

    #[test]
    fn route53_marks_the_members_of_the_id_shapes_of_every_input() {
        let mut service = model("Route 53");
        let applied = apply(&mut service).unwrap();
        assert_eq!(applied.len(), 1);
        assert_eq!(applied[0].name(), "route53-ids");
        assert_eq!(
            applied[0].changes,
            ["only the text after the last `/` is sent of 3 id members (ResourceId, DelegationSetId, ChangeId) of 3 operations"]
        );
        let marked = |op: &str| service.operations[op].calls.last_segment.clone();
        assert_eq!(marked("GetHostedZone"), ["Id"]);
        assert_eq!(marked("ListHostedZones"), ["DelegationSetId"]);
        assert_eq!(marked("GetChange"), ["Id"]);
        assert!(marked("GetCheckerIpRanges").is_empty());
    }

    #[test]
    fn the_calls_with_ids_go_through_the_prepared_call() {
        let mut text = model_json("Route 53");
        text["metadata"]["protocols"] = json!(["rest-xml"]);
        let files = crate::emit::generate_for_test(&text.to_string(), "t");
        let fluent = &files["src/operation/list_hosted_zones/fluent.rs"];
        assert!(
            fluent
                .contains("impl sdkgen_runtime::hooks::prepare::PrepareCall for ListHostedZones {"),
            "{fluent}"
        );
        assert!(
            fluent.contains(
                "sdkgen_runtime::hooks::prepare::keep_last_segment(&mut input.delegation_set_id);"
            ),
            "{fluent}"
        );
        // Only the id: the marker, a string too, is sent whole.
        assert_eq!(fluent.matches("keep_last_segment").count(), 1, "{fluent}");
        assert!(
            fluent.contains("sdkgen_runtime::hooks::prepare::call::<"),
            "{fluent}"
        );
        assert!(
            fluent.contains("sdkgen_runtime::hooks::prepare::presign::<"),
            "{fluent}"
        );
        let plain = &files["src/operation/get_checker_ip_ranges/fluent.rs"];
        assert!(!plain.contains("hooks::prepare"), "{plain}");
        assert!(
            plain.contains("self.handle.call::<GetCheckerIpRanges>"),
            "{plain}"
        );
    }

    #[test]
    fn another_service_keeps_its_ids_whole() {
        let mut service = model("Route 53 Domains");
        assert!(apply(&mut service).unwrap().is_empty());
        assert!(service
            .operations
            .values()
            .all(|op| op.calls.last_segment.is_empty()));
    }

    #[test]
    fn an_id_shape_that_is_not_a_string_is_refused() {
        let mut service = model("Route 53");
        service.shapes.get_mut("ChangeId").unwrap().kind = ShapeType::Integer;
        let err = apply(&mut service).unwrap_err();
        assert_eq!(
            err.to_string(),
            "customization `route53-ids`: shape `ChangeId` is not a string"
        );
    }
}
