//! Amazon S3's rules that its botocore model leaves out, beside those the
//! runtime applies at send time (`sdkgen_runtime::hooks::S3`).

use super::Customization;
use crate::error::Error;
use crate::model::{Service, Shape, ShapeType, UrlEncodedMembers};

/// `GetBucketLocation` answers a bare `<LocationConstraint>EU</LocationConstraint>`:
/// the output's one member is the document's root element, not a child of
/// it as the model's XML says (botocore's `parse_get_bucket_location`).
#[derive(Debug)]
pub struct BucketLocationRoot;

const OUTPUT: &str = "GetBucketLocationOutput";
const MEMBER: &str = "LocationConstraint";

impl Customization for BucketLocationRoot {
    fn name(&self) -> &'static str {
        "s3-bucket-location-root"
    }

    fn adjust_model(&self, service: &mut Service) -> Result<Vec<String>, Error> {
        let refuse = |reason: &str| Error::Customization {
            name: self.name().to_string(),
            shape: OUTPUT.to_string(),
            reason: reason.to_string(),
        };
        let Some(shape) = service.shapes.get_mut(OUTPUT) else {
            // A selection of S3 without the operation, or a model that
            // dropped it: nothing to adjust.
            return Ok(Vec::new());
        };
        if shape.kind != ShapeType::Structure {
            return Err(refuse("is not a structure"));
        }
        let members = shape
            .members
            .as_ref()
            .map(|m| m.0.as_slice())
            .unwrap_or(&[]);
        match members {
            [(name, _)] if name == MEMBER => {}
            _ => {
                return Err(refuse(
                    "does not have `LocationConstraint` as its one member",
                ))
            }
        }
        shape.xml_root_member = Some(MEMBER.to_string());
        Ok(vec![format!(
            "{OUTPUT}.{MEMBER} is read from the document's root element"
        )])
    }
}

/// The bucket is not in the path the model writes (`/{Bucket}/{Key+}`):
/// the endpoint rules put it in the host (virtual-hosted) or at the head
/// of the path (path-style), so the path starts after it, as botocore's
/// `remove_bucket_from_url_paths_from_model` makes it.
#[derive(Debug)]
pub struct BucketOutOfPath;

const BUCKET_LABEL: &str = "/{Bucket}";

impl Customization for BucketOutOfPath {
    fn name(&self) -> &'static str {
        "s3-bucket-out-of-path"
    }

    fn adjust_model(&self, service: &mut Service) -> Result<Vec<String>, Error> {
        let mut changed = Vec::new();
        for (name, op) in service.operations.iter_mut() {
            let Some(rest) = op.http.request_uri.strip_prefix(BUCKET_LABEL) else {
                continue;
            };
            // Only the whole label (`/{Bucket}/..`, `/{Bucket}?..`).
            if !(rest.is_empty() || rest.starts_with('/') || rest.starts_with('?')) {
                continue;
            }
            // Nothing of the path may remain (`?list-type=2`): the
            // request then goes to the endpoint's own path, `/bucket` or `/`.
            op.http.request_uri = rest.to_string();
            changed.push(name.clone());
        }
        if changed.is_empty() {
            return Ok(Vec::new());
        }
        Ok(vec![format!(
            "the bucket is left out of the path of {} operations; the endpoint rules place it",
            changed.len()
        )])
    }
}

/// S3's send-time rules: its SigV4 (the path as it is,
/// `x-amz-content-sha256` always) and its `200` answers that hold an error.
#[derive(Debug)]
pub struct Hooks;

impl Customization for Hooks {
    fn name(&self) -> &'static str {
        "s3-runtime-hooks"
    }

    fn adjust_model(&self, _service: &mut Service) -> Result<Vec<String>, Error> {
        Ok(Vec::new())
    }

    fn runtime_hooks(&self) -> Option<&'static str> {
        Some("S3")
    }
}

/// S3 Control's send-time rules: S3's SigV4, as its model's `s3v4`
/// signature version asks.
#[derive(Debug)]
pub struct ControlHooks;

impl Customization for ControlHooks {
    fn name(&self) -> &'static str {
        "s3-control-runtime-hooks"
    }

    fn adjust_model(&self, _service: &mut Service) -> Result<Vec<String>, Error> {
        Ok(Vec::new())
    }

    fn runtime_hooks(&self) -> Option<&'static str> {
        Some("S3Control")
    }
}

/// S3's object listings are asked for URL-encoded keys when the caller
/// chose no `EncodingType`, and what S3 then encodes is decoded before the
/// caller sees it (botocore's `set_list_objects_encoding_type_url` and
/// `decode_list_object*`): XML 1.0 cannot carry every character a key may
/// hold, and a paginator hands a decoded key back as the next marker.
/// When the caller sets `EncodingType`, the keys are theirs to decode, as
/// in botocore.
#[derive(Debug)]
pub struct ListingsUrlEncoded;

/// One listing: the members botocore decodes, at the top of the output and
/// in each element of a list, as `handlers.py` (botocore 1.44.5) names them.
struct Listing {
    operation: &'static str,
    members: &'static [&'static str],
    in_lists: &'static [(&'static str, &'static str)],
}

/// botocore registers the three listings of objects, not
/// `ListMultipartUploads`, whose `EncodingType` stays the caller's.
const LISTINGS: [Listing; 3] = [
    Listing {
        operation: "ListObjects",
        members: &["Delimiter", "Marker", "NextMarker"],
        in_lists: &[("Contents", "Key"), ("CommonPrefixes", "Prefix")],
    },
    Listing {
        operation: "ListObjectsV2",
        members: &["Delimiter", "Prefix", "StartAfter"],
        in_lists: &[("Contents", "Key"), ("CommonPrefixes", "Prefix")],
    },
    Listing {
        operation: "ListObjectVersions",
        members: &["KeyMarker", "NextKeyMarker", "Prefix", "Delimiter"],
        in_lists: &[
            ("Versions", "Key"),
            ("DeleteMarkers", "Key"),
            ("CommonPrefixes", "Prefix"),
        ],
    },
];

/// The member that asks, and says, and the value that means URL-encoded.
const ENCODING_TYPE: &str = "EncodingType";
const URL: &str = "url";

impl Customization for ListingsUrlEncoded {
    fn name(&self) -> &'static str {
        "s3-listing-url-encoding"
    }

    fn adjust_model(&self, service: &mut Service) -> Result<Vec<String>, Error> {
        let mut changed = Vec::new();
        for listing in &LISTINGS {
            let Some(op) = service.operations.get(listing.operation) else {
                continue;
            };
            let (Some(input), Some(output)) = (&op.input, &op.output) else {
                return Err(self.refuse(listing.operation, "has no input or no output"));
            };
            let (input, output) = (input.shape.clone(), output.shape.clone());
            let asks = self.member(service, &input, ENCODING_TYPE)?;
            let says = self.member(service, &output, ENCODING_TYPE)?;
            let enum_values = service
                .shapes
                .get(&asks)
                .and_then(|s| s.enum_values.as_deref())
                .unwrap_or(&[]);
            if !enum_values.iter().any(|v| v == URL) || says != asks {
                return Err(self.refuse(
                    &asks,
                    "is not a string enum with the value `url` in both the input and the output",
                ));
            }
            for name in listing.members {
                self.string_member(service, &output, name)?;
            }
            for (list, name) in listing.in_lists {
                let list_shape = self.member(service, &output, list)?;
                let element = service
                    .shapes
                    .get(&list_shape)
                    .filter(|s| s.kind == ShapeType::List)
                    .and_then(|s| s.member.as_ref())
                    .map(|m| m.shape.clone())
                    .ok_or_else(|| self.refuse(&list_shape, "is not a list"))?;
                self.string_member(service, &element, name)?;
            }
            if let Some(op) = service.operations.get_mut(listing.operation) {
                op.calls.url_encoded = Some(UrlEncodedMembers {
                    input: ENCODING_TYPE.to_string(),
                    value: URL.to_string(),
                    output: ENCODING_TYPE.to_string(),
                    members: listing.members.iter().map(|m| m.to_string()).collect(),
                    in_lists: listing
                        .in_lists
                        .iter()
                        .map(|(l, m)| (l.to_string(), m.to_string()))
                        .collect(),
                });
            }
            changed.push(listing.operation);
        }
        if changed.is_empty() {
            return Ok(Vec::new());
        }
        Ok(vec![format!(
            "{} ask for URL-encoded keys when the caller sets no EncodingType, and decode them",
            changed.join(", ")
        )])
    }
}

impl ListingsUrlEncoded {
    fn refuse(&self, shape: &str, reason: &str) -> Error {
        Error::Customization {
            name: self.name().to_string(),
            shape: shape.to_string(),
            reason: reason.to_string(),
        }
    }

    /// The target of `structure`'s member `name`.
    fn member(&self, service: &Service, structure: &str, name: &str) -> Result<String, Error> {
        service
            .shapes
            .get(structure)
            .and_then(|s| members(s).iter().find(|(n, _)| n == name))
            .map(|(_, m)| m.shape.clone())
            .ok_or_else(|| self.refuse(structure, &format!("has no member `{name}`")))
    }

    /// As [`member`](Self::member), refusing a target that is not a plain
    /// string.
    fn string_member(&self, service: &Service, structure: &str, name: &str) -> Result<(), Error> {
        let target = self.member(service, structure, name)?;
        match service.shapes.get(&target) {
            Some(s) if s.kind == ShapeType::String && s.enum_values.is_none() => Ok(()),
            _ => Err(self.refuse(
                structure,
                &format!("has a member `{name}` that is not a string"),
            )),
        }
    }
}

/// A structure's members, in model order; none for another shape.
fn members(shape: &Shape) -> &[(String, crate::model::Member)] {
    shape
        .members
        .as_ref()
        .map(|m| m.0.as_slice())
        .unwrap_or(&[])
}

/// A key may hold `.` and `..` segments (`a/../b`), and S3 reads and signs
/// the path as it is sent: botocore sends such a key as it is. Elsewhere a
/// greedy label with them is refused, since an HTTP stack could resolve
/// them and reach another resource; for S3 they are the key.
#[derive(Debug)]
pub struct KeysWithDotSegments;

impl Customization for KeysWithDotSegments {
    fn name(&self) -> &'static str {
        "s3-key-dot-segments"
    }

    fn adjust_model(&self, service: &mut Service) -> Result<Vec<String>, Error> {
        let mut count = 0;
        for op in service.operations.values_mut() {
            if op.http.request_uri.contains("+}") {
                op.calls.greedy_dot_segments = true;
                count += 1;
            }
        }
        if count == 0 {
            return Ok(Vec::new());
        }
        Ok(vec![format!(
            "{count} operations send `.` and `..` segments of a key as they are"
        )])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::customize::apply;
    use serde_json::{json, Value};

    /// An S3 model with `ListObjectsV2` as botocore has it (the members the
    /// customizations look at), and `GetObject` with a greedy key;
    /// `change` edits its JSON first.
    fn model(change: impl FnOnce(&mut Value)) -> Service {
        let mut text = json!({
            "metadata": {"apiVersion": "2006-03-01", "protocol": "rest-xml", "serviceId": "S3"},
            "operations": {
                "ListObjectsV2": {"name": "ListObjectsV2",
                    "http": {"method": "GET", "requestUri": "/{Bucket}?list-type=2"},
                    "input": {"shape": "ListObjectsV2Request"},
                    "output": {"shape": "ListObjectsV2Output"}},
                "GetObject": {"name": "GetObject",
                    "http": {"method": "GET", "requestUri": "/{Bucket}/{Key+}"},
                    "input": {"shape": "GetObjectRequest"}}
            },
            "shapes": {
                "ListObjectsV2Request": {"type": "structure", "required": ["Bucket"], "members": {
                    "Bucket": {"shape": "String", "location": "uri", "locationName": "Bucket"},
                    "EncodingType": {"shape": "EncodingType", "location": "querystring", "locationName": "encoding-type"}}},
                "ListObjectsV2Output": {"type": "structure", "members": {
                    "Contents": {"shape": "ObjectList"},
                    "Prefix": {"shape": "String"},
                    "Delimiter": {"shape": "String"},
                    "StartAfter": {"shape": "String"},
                    "CommonPrefixes": {"shape": "CommonPrefixList"},
                    "EncodingType": {"shape": "EncodingType"}}},
                "GetObjectRequest": {"type": "structure", "required": ["Bucket", "Key"], "members": {
                    "Bucket": {"shape": "String", "location": "uri", "locationName": "Bucket"},
                    "Key": {"shape": "String", "location": "uri", "locationName": "Key"}}},
                "ObjectList": {"type": "list", "member": {"shape": "Object"}, "flattened": true},
                "Object": {"type": "structure", "members": {"Key": {"shape": "String"}}},
                "CommonPrefixList": {"type": "list", "member": {"shape": "CommonPrefix"}, "flattened": true},
                "CommonPrefix": {"type": "structure", "members": {"Prefix": {"shape": "String"}}},
                "EncodingType": {"type": "string", "enum": ["url"]},
                "String": {"type": "string"}
            }
        });
        change(&mut text);
        Service::from_json(&text.to_string()).unwrap()
    }

    fn changes(service: &mut Service) -> Vec<(&'static str, Vec<String>)> {
        apply(service)
            .unwrap()
            .into_iter()
            .map(|a| (a.name(), a.changes))
            .collect()
    }

    #[test]
    fn listings_ask_for_url_encoding_and_name_what_botocore_decodes() {
        let mut service = model(|_| {});
        let applied = changes(&mut service);
        assert!(applied.contains(&(
            "s3-listing-url-encoding",
            vec!["ListObjectsV2 ask for URL-encoded keys when the caller sets no EncodingType, and decode them".to_string()]
        )));
        let rules = &service.operations["ListObjectsV2"].calls;
        assert_eq!(
            rules.url_encoded,
            Some(UrlEncodedMembers {
                input: "EncodingType".into(),
                value: "url".into(),
                output: "EncodingType".into(),
                members: vec!["Delimiter".into(), "Prefix".into(), "StartAfter".into()],
                in_lists: vec![
                    ("Contents".into(), "Key".into()),
                    ("CommonPrefixes".into(), "Prefix".into())
                ],
            })
        );
        assert!(!rules.greedy_dot_segments, "no greedy label");
        assert_eq!(service.operations["GetObject"].calls.url_encoded, None);
    }

    #[test]
    fn keys_keep_their_dot_segments() {
        let mut service = model(|_| {});
        let applied = changes(&mut service);
        assert!(applied.contains(&(
            "s3-key-dot-segments",
            vec!["1 operations send `.` and `..` segments of a key as they are".to_string()]
        )));
        assert!(service.operations["GetObject"].calls.greedy_dot_segments);
        // Not for another service with the same paths.
        let mut other = model(|m| m["metadata"]["serviceId"] = json!("S3 Tables"));
        assert!(changes(&mut other).is_empty());
        assert!(!other.operations["GetObject"].calls.greedy_dot_segments);
        assert_eq!(other.operations["ListObjectsV2"].calls.url_encoded, None);
    }

    #[test]
    fn a_listing_not_as_botocore_has_it_is_refused_naming_the_shape() {
        /// An edit of the model, and the refusal it brings.
        type Case = (fn(&mut Value), &'static str);
        let cases: [Case; 4] = [
            (
                |m| m["shapes"]["EncodingType"]["enum"] = json!(["plain"]),
                "shape `EncodingType` is not a string enum with the value `url` in both the input and the output",
            ),
            (
                |m| {
                    m["shapes"]["ListObjectsV2Output"]["members"]
                        .as_object_mut()
                        .unwrap()
                        .remove("StartAfter");
                },
                "shape `ListObjectsV2Output` has no member `StartAfter`",
            ),
            (
                |m| m["shapes"]["Object"]["members"]["Key"] = json!({"shape": "EncodingType"}),
                "shape `Object` has a member `Key` that is not a string",
            ),
            (
                |m| m["shapes"]["ObjectList"] = json!({"type": "structure", "members": {}}),
                "shape `ObjectList` is not a list",
            ),
        ];
        for (change, reason) in cases {
            let mut service = model(change);
            let err = apply(&mut service).unwrap_err();
            assert_eq!(
                err.to_string(),
                format!("customization `s3-listing-url-encoding`: {reason}")
            );
        }
    }

    #[test]
    fn a_model_without_the_listings_needs_no_encoding() {
        let mut service = model(|m| {
            m["operations"]
                .as_object_mut()
                .unwrap()
                .remove("ListObjectsV2");
        });
        let names: Vec<_> = changes(&mut service).into_iter().map(|(n, _)| n).collect();
        assert!(!names.contains(&"s3-listing-url-encoding"), "{names:?}");
    }
}
