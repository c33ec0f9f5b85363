//! In whose name a request is signed: the algorithm the endpoint asks for,
//! the region (SigV4a's region set) and the signing name. Sending and
//! presigning both read it, so a presigned URL signs as the call would.

use crate::endpoint_rules::AuthScheme;
use crate::error::BuildError;
use crate::sigv4::Algorithm;
use std::borrow::Cow;

pub(super) struct SigningScope<'a> {
    pub algorithm: Algorithm,
    /// The signing region; for SigV4a, the comma-separated region set.
    pub region: Cow<'a, str>,
    pub service: &'a str,
}

/// The scope of a signature for an endpoint's chosen scheme (none: SigV4
/// in the client's region under the service's signing name).
///
/// SigV4a's region set is the configuration's, else the endpoint's
/// `signingRegionSet`, else the region: the order of the SDKs'
/// `sigv4a_signing_region_set` setting.
pub(super) fn signing_scope<'a>(
    auth: Option<&'a AuthScheme>,
    region: &'a str,
    signing_name: &'a str,
    #[cfg_attr(not(feature = "sigv4a"), allow(unused_variables))] region_set: Option<&'a str>,
) -> SigningScope<'a> {
    let service = auth
        .and_then(|a| a.signing_name.as_deref())
        .unwrap_or(signing_name);
    #[cfg(feature = "sigv4a")]
    if let Some(auth) = auth.filter(|a| a.name == "sigv4a") {
        let region = match (region_set, auth.signing_region_set.as_slice()) {
            (Some(set), _) => Cow::Borrowed(set),
            (None, []) => Cow::Borrowed(region),
            (None, [one]) => Cow::Borrowed(one.as_str()),
            (None, many) => Cow::Owned(many.join(",")),
        };
        return SigningScope {
            algorithm: Algorithm::EcdsaP256,
            region,
            service,
        };
    }
    SigningScope {
        algorithm: Algorithm::HmacSha256,
        region: Cow::Borrowed(
            auth.and_then(|a| a.signing_region.as_deref())
                .unwrap_or(region),
        ),
        service,
    }
}

/// Refuses an endpoint whose scheme this build cannot sign with, naming
/// what would: SigV4a is the runtime's `sigv4a` feature.
pub(super) fn check_scheme(
    auth: Option<&AuthScheme>,
    operation: &str,
    what: &str,
) -> Result<(), BuildError> {
    let Some(auth) = auth else { return Ok(()) };
    match auth.name.as_str() {
        "sigv4" => Ok(()),
        #[cfg(feature = "sigv4a")]
        "sigv4a" => Ok(()),
        #[cfg(not(feature = "sigv4a"))]
        "sigv4a" => Err(BuildError::config(format!(
            "the endpoint for {operation} asks for SigV4a signing: turn on the crate's `sigv4a` feature"
        ))),
        other => Err(BuildError::config(format!(
            "the endpoint for {operation} asks for {other} signing, which {what} not support yet"
        ))),
    }
}
