//! `ec2`: EC2's own relative of awsQuery. The request is the same form with
//! EC2's keys (the IR's `form_name`) and lists (`FormStyle::Ec2`); the
//! response is XML whose members sit directly under
//! `<OperationResponse>`; errors are `<Response><Errors><Error>`. Everything
//! else is awsQuery's (`super::query`).

use super::form::FormStyle;
use super::query;
use super::{Protocol, Suites};
use crate::emit::tokens::rt;
use crate::error::Error;
use crate::ir::{Crate, Operation, Structure, TimestampFormat, Union};
use crate::naming;
use proc_macro2::TokenStream;
use quote::quote;

/// The ec2 protocol, which only EC2 speaks.
#[derive(Debug)]
pub struct Ec2;

impl Protocol for Ec2 {
    fn name(&self) -> &'static str {
        "ec2"
    }

    fn body_timestamp_format(&self) -> TimestampFormat {
        TimestampFormat::DateTime
    }

    fn http_bindings(&self) -> bool {
        false
    }

    fn form_name(
        &self,
        member: &str,
        location_name: Option<&str>,
        query_name: Option<&str>,
    ) -> Option<String> {
        Some(naming::ec2_form_name(member, location_name, query_name))
    }

    fn check(&self, krate: &Crate) -> Result<(), Error> {
        query::check(krate)
    }

    fn structure_file(&self, krate: &Crate, s: &Structure) -> TokenStream {
        query::structure_file(krate, s, FormStyle::Ec2)
    }

    fn union_file(&self, krate: &Crate, u: &Union) -> TokenStream {
        query::union_file(krate, u, FormStyle::Ec2)
    }

    fn error_file(&self, _krate: &Crate, s: &Structure) -> TokenStream {
        query::error_file(s)
    }

    /// The output is read from the response's root element: ec2 has no
    /// result wrapper, whatever a model says.
    fn operation_file(&self, krate: &Crate, op: &Operation) -> TokenStream {
        let rt = rt();
        let op_name = &op.name;
        let read = quote! {
            #rt::protocol::ec2::deserialize(#op_name, response, de_error, de_output)
        };
        query::operation_file(krate, op, FormStyle::Ec2, read)
    }

    fn suites(&self) -> Suites {
        Suites {
            modern: &["ec2"],
            legacy: &["ec2"],
        }
    }
}
