//! One call's checksums, as the orchestrator applies them: planned once,
//! then a request body framed per attempt and each response checked. A
//! crate built without the `checksums` feature (no operation of its model
//! has the trait) carries none of it.

use super::HttpChecksum;
use crate::body::SdkBody;
use crate::config::Config;
use crate::error::BuildError;
use crate::http::HttpRequest;
use http::HeaderMap;

/// What a call does about checksums; nothing for most operations.
#[derive(Debug, Default)]
pub(crate) struct CallChecksums {
    #[cfg(feature = "checksums")]
    request: Option<super::RequestChecksum>,
    /// The response checksums to check, when the call asked for it.
    #[cfg(feature = "checksums")]
    validate: Option<HttpChecksum>,
}

impl CallChecksums {
    /// Decides the call's checksums and writes the headers that say so
    /// (see [`super::plan`]). `tls`: the endpoint is `https`.
    #[cfg(feature = "checksums")]
    pub(crate) fn plan(
        spec: Option<&HttpChecksum>,
        request: &mut HttpRequest,
        config: &Config,
        tls: bool,
    ) -> Result<CallChecksums, BuildError> {
        let Some(spec) = spec else {
            return Ok(CallChecksums::default());
        };
        let planned = super::plan(
            spec,
            request,
            config.request_checksum_calculation,
            config.response_checksum_validation,
            tls,
        )?;
        // botocore checks when the input names a mode at all.
        let validate = spec
            .validation_mode_header
            .filter(|h| request.header(h).is_some())
            .map(|_| *spec);
        Ok(CallChecksums {
            request: planned,
            validate,
        })
    }

    #[cfg(not(feature = "checksums"))]
    pub(crate) fn plan(
        spec: Option<&HttpChecksum>,
        _request: &mut HttpRequest,
        _config: &Config,
        _tls: bool,
    ) -> Result<CallChecksums, BuildError> {
        match spec {
            None => Ok(CallChecksums::default()),
            Some(_) => Err(BuildError::config(
                "this operation has checksums, and the runtime was built without its `checksums` feature",
            )),
        }
    }

    /// The checksum goes in an aws-chunked trailer.
    pub(crate) fn in_trailer(&self) -> bool {
        #[cfg(feature = "checksums")]
        {
            self.request
                .is_some_and(|r| r.location == super::Location::Trailer)
        }
        #[cfg(not(feature = "checksums"))]
        false
    }

    /// The header that carries the request's checksum, when one does.
    pub(crate) fn header_name(&self) -> Option<&'static str> {
        #[cfg(feature = "checksums")]
        {
            self.request
                .filter(|r| r.location == super::Location::Header)
                .map(|r| r.algorithm.header_name())
        }
        #[cfg(not(feature = "checksums"))]
        None
    }

    /// A checksum header still to compute, for a body read from a file:
    /// a hasher to feed while the file is read for the signature.
    #[cfg(feature = "checksums")]
    pub(crate) fn pending(&self) -> Option<super::Checksummer> {
        self.request
            .filter(|r| r.header_pending)
            .map(|r| r.algorithm.hasher())
    }

    /// The pending header, computed.
    #[cfg(feature = "checksums")]
    pub(crate) fn computed(&mut self, request: &mut HttpRequest, checksum: super::Checksummer) {
        let name = checksum.algorithm().header_name();
        request.headers.push((name.to_string(), checksum.finish()));
        if let Some(r) = &mut self.request {
            r.header_pending = false;
        }
    }

    /// The length the body is sent with: aws-chunked is longer.
    pub(crate) fn wire_length(&self, decoded: Option<u64>) -> Option<u64> {
        #[cfg(feature = "checksums")]
        if let Some(r) = self
            .request
            .filter(|r| r.location == super::Location::Trailer)
        {
            return decoded.map(|len| super::encoded_length(len, r.algorithm));
        }
        decoded
    }

    /// An attempt's body, framed aws-chunked when the checksum goes in
    /// its trailer.
    pub(crate) fn wrap_request(&self, body: SdkBody, decoded: Option<u64>) -> SdkBody {
        #[cfg(feature = "checksums")]
        if let Some(r) = self
            .request
            .filter(|r| r.location == super::Location::Trailer)
        {
            return SdkBody::from_body(super::AwsChunkedBody::new(body, r.algorithm, decoded));
        }
        let _ = decoded;
        body
    }

    /// Checks a response read whole: `Err` says how it is damaged.
    pub(crate) fn check_response(&self, headers: &HeaderMap, body: &[u8]) -> Result<(), String> {
        #[cfg(feature = "checksums")]
        if let Some((algorithm, expected)) =
            self.validate.and_then(|s| super::expected(&s, headers))
        {
            return super::check_body(algorithm, &expected, body).map_err(|e| e.to_string());
        }
        let _ = (headers, body);
        Ok(())
    }

    /// A streamed response body, checked as it is read.
    pub(crate) fn wrap_response(&self, headers: &HeaderMap, body: SdkBody) -> SdkBody {
        #[cfg(feature = "checksums")]
        if let Some((algorithm, expected)) =
            self.validate.and_then(|s| super::expected(&s, headers))
        {
            return SdkBody::from_body(super::ValidatingBody::new(body, algorithm, expected));
        }
        let _ = headers;
        body
    }
}
