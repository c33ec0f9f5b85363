//! The operations botocore's S3 and S3 Control endpoint cases name, called
//! through the generated fluent builders with a case's `operationParams`,
//! written by hand as a user writes them (`cargo xtask coverage
//! --endpoints` generates the same calls for every service). A parameter
//! the call does not use fails the case, so that no input is silently
//! dropped.

use sdkgen_endpoint_harness::{chain, CallInput, Outcome};
use sdkgen_runtime::Config;
use serde_json::Value;
use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;

/// The string parameters of a case, remembering which were read.
struct Params<'a> {
    params: &'a Value,
    read: RefCell<Vec<&'static str>>,
}

impl<'a> Params<'a> {
    fn new(params: &'a Value) -> Self {
        Params {
            params,
            read: RefCell::new(Vec::new()),
        }
    }

    fn s(&self, name: &'static str) -> Option<String> {
        self.read.borrow_mut().push(name);
        self.params[name].as_str().map(str::to_string)
    }

    /// A list or structure parameter that the case gives empty, or as it is
    /// for the few the cases fill in.
    fn given(&self, name: &'static str) -> Option<&'a Value> {
        self.read.borrow_mut().push(name);
        self.params.get(name)
    }

    /// Every parameter was read.
    fn all_read(&self) -> Result<(), String> {
        let read = self.read.borrow();
        match self
            .params
            .as_object()
            .into_iter()
            .flatten()
            .find(|(k, _)| !read.contains(&k.as_str()))
        {
            Some((k, v)) => Err(format!("the call does not use the parameter {k} = {v}")),
            None => Ok(()),
        }
    }
}

macro_rules! send {
    ($call:expr) => {
        $call.send().await.err().map(|e| chain(&e))
    };
}

pub fn s3(
    which: CallInput,
    config: Config,
) -> Pin<Box<dyn Future<Output = Result<Outcome, String>>>> {
    Box::pin(async move {
        let CallInput {
            operation: op,
            params,
            ..
        } = which;
        let client = s3::Client::new(config);
        let p = Params::new(&params);
        let mut host_prefix = None;
        let error = match op.as_str() {
            "GetObject" => send!(client
                .get_object()
                .set_bucket(p.s("Bucket"))
                .set_key(p.s("Key"))),
            "CreateBucket" => send!(client.create_bucket().set_bucket(p.s("Bucket"))),
            "ListObjects" => send!(client
                .list_objects()
                .set_bucket(p.s("Bucket"))
                .set_prefix(p.s("Prefix"))),
            "ListBuckets" => send!(client.list_buckets()),
            "ListDirectoryBuckets" => send!(client.list_directory_buckets()),
            "WriteGetObjectResponse" => {
                host_prefix = p.s("RequestRoute").map(|r| format!("{r}."));
                send!(client
                    .write_get_object_response()
                    .set_request_route(p.s("RequestRoute"))
                    .set_request_token(p.s("RequestToken")))
            }
            other => return Err(format!("no call for the S3 operation {other}")),
        };
        p.all_read()?;
        Ok(Outcome {
            operation: op,
            error,
            host_prefix,
        })
    })
}

pub fn s3_control(
    which: CallInput,
    config: Config,
) -> Pin<Box<dyn Future<Output = Result<Outcome, String>>>> {
    use s3_control::types::{BucketVersioningStatus, Scope, VersioningConfiguration};
    Box::pin(async move {
        let CallInput {
            operation: op,
            params,
            ..
        } = which;
        let client = s3_control::Client::new(config);
        let p = Params::new(&params);
        let account = || p.s("AccountId");
        let error = match op.as_str() {
            "GetAccessPoint" => send!(client
                .get_access_point()
                .set_account_id(account())
                .set_name(p.s("Name"))),
            "DeleteAccessPoint" => send!(client
                .delete_access_point()
                .set_account_id(account())
                .set_name(p.s("Name"))),
            "CreateAccessPoint" => {
                let scope = p.given("Scope").map(|_| Scope::builder().build());
                send!(client
                    .create_access_point()
                    .set_account_id(account())
                    .set_name(p.s("Name"))
                    .set_bucket(p.s("Bucket"))
                    .set_scope(scope))
            }
            "CreateBucket" => send!(client
                .create_bucket()
                .set_bucket(p.s("Bucket"))
                .set_outpost_id(p.s("OutpostId"))),
            "ListRegionalBuckets" => send!(client
                .list_regional_buckets()
                .set_account_id(account())
                .set_outpost_id(p.s("OutpostId"))),
            "GetBucket" => send!(client
                .get_bucket()
                .set_account_id(account())
                .set_bucket(p.s("Bucket"))),
            "GetBucketVersioning" => send!(client
                .get_bucket_versioning()
                .set_account_id(account())
                .set_bucket(p.s("Bucket"))),
            "PutBucketVersioning" => {
                let status = p.given("VersioningConfiguration").map(|v| {
                    assert_eq!(v["Status"], "Enabled", "the one value the cases use");
                    VersioningConfiguration::builder()
                        .status(BucketVersioningStatus::Enabled)
                        .build()
                });
                send!(client
                    .put_bucket_versioning()
                    .set_account_id(account())
                    .set_bucket(p.s("Bucket"))
                    .set_versioning_configuration(status))
            }
            "TagResource" => {
                let tags = p.given("Tags").map(|_| Vec::new());
                send!(client
                    .tag_resource()
                    .set_account_id(account())
                    .set_resource_arn(p.s("ResourceArn"))
                    .set_tags(tags))
            }
            "UntagResource" => {
                let keys = p.given("TagKeys").map(|_| Vec::new());
                send!(client
                    .untag_resource()
                    .set_account_id(account())
                    .set_resource_arn(p.s("ResourceArn"))
                    .set_tag_keys(keys))
            }
            "ListTagsForResource" => send!(client
                .list_tags_for_resource()
                .set_account_id(account())
                .set_resource_arn(p.s("ResourceArn"))),
            "PutAccessPointScope" => {
                let scope = p.given("Scope").map(|_| Scope::builder().build());
                send!(client
                    .put_access_point_scope()
                    .set_account_id(account())
                    .set_name(p.s("Name"))
                    .set_scope(scope))
            }
            "GetAccessPointScope" => send!(client
                .get_access_point_scope()
                .set_account_id(account())
                .set_name(p.s("Name"))),
            "DeleteAccessPointScope" => send!(client
                .delete_access_point_scope()
                .set_account_id(account())
                .set_name(p.s("Name"))),
            "PutAccessPointPolicy" => send!(client
                .put_access_point_policy()
                .set_account_id(account())
                .set_name(p.s("Name"))
                .set_policy(p.s("Policy"))),
            "GetAccessPointPolicy" => send!(client
                .get_access_point_policy()
                .set_account_id(account())
                .set_name(p.s("Name"))),
            "DeleteAccessPointPolicy" => send!(client
                .delete_access_point_policy()
                .set_account_id(account())
                .set_name(p.s("Name"))),
            "GetAccessPointPolicyStatus" => send!(client
                .get_access_point_policy_status()
                .set_account_id(account())
                .set_name(p.s("Name"))),
            "ListAccessPointsForDirectoryBuckets" => send!(client
                .list_access_points_for_directory_buckets()
                .set_account_id(account())
                .set_directory_bucket(p.s("DirectoryBucket"))),
            other => return Err(format!("no call for the S3 Control operation {other}")),
        };
        p.all_read()?;
        Ok(Outcome {
            operation: op,
            error,
            host_prefix: None,
        })
    })
}
