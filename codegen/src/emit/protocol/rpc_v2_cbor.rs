//! smithy-rpc-v2-cbor: every operation is a `POST` to
//! `/service/{targetPrefix}/operation/{Operation}`, whose body, when the
//! operation has an input, is a CBOR map of it; the answer is a CBOR map,
//! and an error's code is in the body's `__type` (or, for a
//! query-compatible service, `x-amzn-query-error`). The bodies hold JSON's
//! data model, so their readers and writers are the JSON ones' in form,
//! on the runtime's CBOR module (`json::Codec::Cbor`).

use super::json::{self, Codec};
use super::rest::host_prefix;
use super::{body_members, error_arms, operation_module, refuse_in_body, OperationParts};
use super::{Protocol, Suites};
use crate::emit::support::unsupported;
use crate::emit::tokens::rt;
use crate::error::Error;
use crate::ir::{Crate, Operation, Structure, TimestampFormat, Type, Union};
use crate::naming::ident;
use proc_macro2::TokenStream;
use quote::quote;

/// smithy-rpc-v2-cbor: CloudWatch, and the services that list only it.
#[derive(Debug)]
pub struct RpcV2Cbor;

impl Protocol for RpcV2Cbor {
    fn name(&self) -> &'static str {
        "smithy-rpc-v2-cbor"
    }

    /// Tag 1 carries every timestamp, as epoch seconds.
    fn body_timestamp_format(&self) -> TimestampFormat {
        TimestampFormat::EpochSeconds
    }

    fn http_bindings(&self) -> bool {
        false
    }

    /// The path names the service by its `targetPrefix`; a CBOR map
    /// carries no stream (event streams are refused by name, as this
    /// protocol does not read them).
    fn check(&self, krate: &Crate) -> Result<(), Error> {
        if krate.service.wire.target_prefix.is_none() {
            return Err(unsupported(
                &krate.service.service_id,
                "a `smithy-rpc-v2-cbor` service without a `targetPrefix`",
            ));
        }
        refuse_in_body(krate, "a CBOR body", |t| matches!(t, Type::Stream))
    }

    fn runtime_features(&self) -> &'static [&'static str] {
        &["cbor"]
    }

    fn structure_file(&self, krate: &Crate, s: &Structure) -> TokenStream {
        json::structure_file(Codec::Cbor, krate, s)
    }

    fn union_file(&self, krate: &Crate, u: &Union) -> TokenStream {
        json::union_file(Codec::Cbor, krate, u)
    }

    fn error_file(&self, _krate: &Crate, s: &Structure) -> TokenStream {
        json::error_file(Codec::Cbor, s, Vec::new())
    }

    fn operation_file(&self, krate: &Crate, op: &Operation) -> TokenStream {
        let rt = rt();
        let wire = &krate.service.wire;
        let op_name = &op.name;
        let service = wire.target_prefix.as_deref().unwrap_or_default();
        let wire_name = &op.wire_name;
        let query_compatible = wire.query_compatible;
        let host = host_prefix(op);
        // An operation without an input sends no body at all; one with an
        // input, however empty, sends a map.
        let body = op.has_input.then(|| {
            let write = json::body_object(Codec::Cbor, &body_members(&op.input.members));
            quote! {
                #write
                #rt::protocol::rpc_v2_cbor::body(&mut request, body);
            }
        });
        let output = ident(&op.output.type_name);
        let read_body = body_members(&op.output.members);
        let de_output = if read_body.is_empty() {
            quote! {
                fn de_output(_response: &mut #rt::HttpResponse) -> Result<#output, #rt::error::WireError> {
                    Ok(#output::default())
                }
            }
        } else {
            let read = json::read_body_members(Codec::Cbor, &read_body);
            quote! {
                fn de_output(response: &mut #rt::HttpResponse) -> Result<#output, #rt::error::WireError> {
                    let mut out = #output::default();
                    #read
                    Ok(out)
                }
            }
        };
        let parts = OperationParts {
            request: quote! {
                #host
                #rt::protocol::rpc_v2_cbor::frame(&mut request, #op_name, #service, #wire_name, #query_compatible)?;
                #body
            },
            read: quote! {
                #rt::protocol::rpc_v2_cbor::deserialize(#op_name, response, de_error, de_output)
            },
            de_output,
            error_response: quote!(#rt::protocol::rpc_v2_cbor::ErrorResponse<'_>),
            error_arms: error_arms(op, query_compatible),
        };
        operation_module(op, self.name(), parts)
    }

    fn suites(&self) -> Suites {
        Suites {
            modern: &[
                "smithy-rpc-v2-cbor",
                "smithy-rpc-v2-cbor-query-compatible",
                "smithy-rpc-v2-cbor-non-query-compatible",
            ],
            legacy: &[],
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::emit::protocol::select;
    use crate::model::Metadata;

    fn metadata(protocols: &[&str]) -> Metadata {
        serde_json::from_value(serde_json::json!({
            "apiVersion": "2020-01-01",
            "protocol": protocols[0],
            "protocols": protocols,
            "serviceId": "Example",
            "targetPrefix": "Example",
        }))
        .expect("metadata")
    }

    #[test]
    fn json_is_chosen_before_cbor_unless_the_manifest_asks() {
        let both = metadata(&["smithy-rpc-v2-cbor", "json"]);
        assert_eq!(select(&both, None).unwrap().name(), "json");
        let forced = select(&both, Some("smithy-rpc-v2-cbor")).unwrap();
        assert_eq!(forced.name(), "smithy-rpc-v2-cbor");
        let only = metadata(&["smithy-rpc-v2-cbor"]);
        assert_eq!(select(&only, None).unwrap().name(), "smithy-rpc-v2-cbor");
        // Asked for, but not listed: an error, not a guess.
        assert!(select(&metadata(&["json"]), Some("smithy-rpc-v2-cbor")).is_err());
    }
}
