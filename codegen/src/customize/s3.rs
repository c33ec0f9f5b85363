//! Amazon S3's rules that its botocore model leaves out, beside those the
//! runtime applies at send time (`sdkgen_runtime::hooks::S3`).

use super::Customization;
use crate::error::Error;
use crate::model::{Service, ShapeType};

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
