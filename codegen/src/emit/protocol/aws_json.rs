//! awsJson (`json` in botocore, versions 1.0 and 1.1): every operation is
//! a `POST` of a JSON object to the endpoint's path, named by
//! `X-Amz-Target`; the answer is a JSON object, and an error's code is in
//! `X-Amzn-ErrorType` or the body's `__type`.

use super::rest::host_prefix;
use super::{
    body_members, construct, error_arms, operation_module, refuse_in_body, OperationParts,
    Protocol, Suites,
};
use super::{event_stream, json};
use crate::emit::support::unsupported;
use crate::emit::tokens::{field, rt};
use crate::error::Error;
use crate::ir::{Crate, Member, Operation, Structure, TimestampFormat, Type, Union};
use crate::naming::ident;
use proc_macro2::TokenStream;
use quote::quote;

/// awsJson: DynamoDB, SQS, KMS, Secrets Manager, SSM and most services
/// since.
#[derive(Debug)]
pub struct AwsJson;

impl Protocol for AwsJson {
    fn name(&self) -> &'static str {
        "json"
    }

    fn body_timestamp_format(&self) -> TimestampFormat {
        TimestampFormat::EpochSeconds
    }

    fn http_bindings(&self) -> bool {
        false
    }

    /// Every request is named by `{targetPrefix}.{Operation}`; a JSON body
    /// carries no stream.
    fn check(&self, krate: &Crate) -> Result<(), Error> {
        if krate.service.wire.target_prefix.is_none() {
            return Err(unsupported(
                &krate.service.service_id,
                "a `json` service without a `targetPrefix`",
            ));
        }
        refuse_in_body(krate, "a JSON body", |t| matches!(t, Type::Stream))
    }

    fn output_event_streams(&self) -> bool {
        true
    }

    fn structure_file(&self, krate: &Crate, s: &Structure) -> TokenStream {
        json::structure_file(json::Codec::Json, krate, s)
    }

    fn union_file(&self, krate: &Crate, u: &Union) -> TokenStream {
        json::union_file(json::Codec::Json, krate, u)
    }

    fn error_file(&self, _krate: &Crate, s: &Structure) -> TokenStream {
        json::error_file(json::Codec::Json, s, Vec::new())
    }

    fn operation_file(&self, krate: &Crate, op: &Operation) -> TokenStream {
        let rt = rt();
        let wire = &krate.service.wire;
        let op_name = &op.name;
        let target = format!(
            "{}.{}",
            wire.target_prefix.as_deref().unwrap_or_default(),
            op.wire_name
        );
        let version = wire.json_version.as_deref().unwrap_or("1.0");
        let query_compatible = wire.query_compatible;
        let host = host_prefix(op);
        let body = json::body_object(json::Codec::Json, &body_members(&op.input.members));
        let output = ident(&op.output.type_name);
        let read_body = body_members(&op.output.members);
        let read_error = quote!(#rt::protocol::aws_json::read_error(response, #query_compatible));
        let events = event_stream::operation_readers(krate, op, &read_error, true);
        let stream = op
            .output
            .members
            .iter()
            .find(|m| matches!(m.ty, Type::EventStream { .. }));
        let de_output = if let Some(m) = stream {
            // The body is the stream; the other members come in its
            // `initial-response` event, read by `read_initial`.
            let f = field(m);
            let read = construct(
                &quote!(#output),
                vec![
                    quote!(#f: Some(#rt::event_stream::EventReceiver::from_response(response, &EVENTS)),),
                ],
                op.output.members.len(),
            );
            let others: Vec<&Member> = read_body
                .iter()
                .copied()
                .filter(|o| o.name != m.name)
                .collect();
            let initial = (!others.is_empty()).then(|| {
                let reader = json::object_reader(json::Codec::Json, &others);
                let error = ident(&op.error_type);
                quote! {
                    /// The output's members that the stream's
                    /// `initial-response` event carries.
                    pub(crate) fn read_initial(
                        out: &mut #output,
                    ) -> #rt::credentials::BoxFuture<'_, Result<(), #rt::SdkError<#error>>> {
                        Box::pin(async move {
                            let Some(stream) = out.#f.as_mut() else {
                                return Ok(());
                            };
                            let Some(message) = stream.initial_response().await? else {
                                return Ok(());
                            };
                            #rt::json::read_object(message.payload(), #reader).map_err(|cause| {
                                #rt::SdkError::Response {
                                    operation: #op_name,
                                    source: #rt::ResponseError::new(200, None, cause),
                                }
                            })
                        })
                    }
                }
            });
            quote! {
                fn de_output(response: &mut #rt::HttpResponse) -> Result<#output, #rt::error::WireError> {
                    Ok(#read)
                }
                #events
                #initial
            }
        } else if read_body.is_empty() {
            quote! {
                fn de_output(_response: &mut #rt::HttpResponse) -> Result<#output, #rt::error::WireError> {
                    Ok(#output::default())
                }
            }
        } else {
            let read = json::read_body_members(json::Codec::Json, &read_body);
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
                request.literal("/");
                #rt::protocol::aws_json::target(&mut request, #op_name, #target, #query_compatible)?;
                #body
                request.json_body(body, #rt::protocol::aws_json::content_type(#version));
            },
            read: quote! {
                #rt::protocol::aws_json::deserialize(#op_name, response, #query_compatible, de_error, de_output)
            },
            de_output,
            error_response: quote!(#rt::protocol::aws_json::ErrorResponse<'_>),
            error_arms: error_arms(op, wire.query_compatible),
        };
        operation_module(op, self.name(), parts)
    }

    fn suites(&self) -> Suites {
        Suites {
            modern: &["json", "json_1_0", "json_1_0-query-compatible"],
            legacy: &["json"],
        }
    }
}
