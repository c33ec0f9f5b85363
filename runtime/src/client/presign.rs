//! `Handle::presign`: an operation's request as `send()` would make it
//! (the same serialization, endpoint resolution and host prefix), signed
//! in its query string instead of sent. The URL reads as botocore's
//! `generate_presigned_url` writes it: the operation's own query first,
//! then the `X-Amz-*` parameters.

use super::wire::signed_path;
use super::Handle;
use crate::credentials::CredentialsError;
use crate::endpoint_rules::EndpointParam;
use crate::error::{BuildError, SdkError};
use crate::hooks::CallInfo;
use crate::http::HttpRequest;
use crate::operation::{Operation, Signing};
use crate::presign::{PresignedRequest, PresigningConfig};
use crate::sigv4::{
    sign_query, strict_query, SignablePayload, SignableRequest, SigningParams, SigningSettings,
    UNSIGNED_PAYLOAD,
};
use std::convert::Infallible;
use time::OffsetDateTime;

/// The media type of a query-protocol body, whose parameters a presigned
/// request carries in its URL (as botocore does), leaving no body.
const FORM: &str = "application/x-www-form-urlencoded";

impl Handle {
    /// Presigns operation `O` with `input`, as its builder built it. Only
    /// the serialization is generic: the rest is `presign_request`,
    /// compiled once.
    pub async fn presign<O: Operation>(
        &self,
        input: Result<O::Input, BuildError>,
        presigning: PresigningConfig,
    ) -> Result<PresignedRequest, SdkError<O::Error>> {
        let operation = O::NAME;
        let build = |source| SdkError::Build { operation, source };
        let input = input.map_err(build)?;
        let request = O::serialize(&input, &self.inner.serialize).map_err(build)?;
        let params = O::endpoint_params(&input);
        let call = CallInfo {
            operation,
            streaming_response: O::STREAMING_RESPONSE,
        };
        self.presign_request(call, O::SIGNING, request, params, presigning)
            .await
            .map_err(|e| {
                e.retype(|never| match never {})
                    .unwrap_or_else(|| unreachable_service(operation))
            })
    }

    /// [`Handle::presign`], waited for on the handle's runtime (a
    /// credentials provider may need the network). Refused inside an async
    /// runtime, as the blocking client's calls are.
    #[cfg(feature = "blocking")]
    pub fn presign_blocking<O: Operation>(
        &self,
        input: Result<O::Input, BuildError>,
        presigning: PresigningConfig,
    ) -> Result<PresignedRequest, SdkError<O::Error>> {
        self.block_on(O::NAME, self.presign::<O>(input, presigning))
    }

    async fn presign_request(
        &self,
        call: CallInfo<'static>,
        signing: Signing,
        mut request: HttpRequest,
        params: Vec<(&'static str, EndpointParam)>,
        presigning: PresigningConfig,
    ) -> Result<PresignedRequest, SdkError<Infallible>> {
        let operation = call.operation;
        let build = |source: BuildError| SdkError::Build { operation, source };
        let inner = &*self.inner;
        let config = &inner.config;
        match signing {
            Signing::SigV4 | Signing::SigV4UnsignedPayload | Signing::SigV4OrBearer => {}
            Signing::Anonymous => {
                return Err(build(BuildError::config(format!(
                    "{operation} is not signed, so it has no presigned form: send it as it is"
                ))))
            }
            Signing::Bearer => {
                return Err(build(BuildError::config(format!(
                    "{operation} authenticates with a bearer token only; presigned requests are signed with SigV4"
                ))))
            }
            Signing::SigV2 => {
                return Err(build(BuildError::config(format!(
                    "{operation} is signed with SigV2, whose requests are forms sent with POST; \
                     presigned requests are signed with SigV4"
                ))))
            }
        }
        let region = self.region().map_err(build)?;
        let account_id = match &config.credentials {
            Some(provider) if inner.service.account_id_endpoints => provider
                .provide_credentials()
                .await
                .map_err(|source| SdkError::Credentials {
                    operation,
                    source,
                    attempts: 0,
                })?
                .account_id()
                .map(str::to_string),
            _ => None,
        };
        let endpoint = self
            .operation_endpoint(
                region,
                &params,
                account_id.as_deref(),
                request.host_prefix.as_deref(),
            )
            .map_err(build)?;
        // S3 Express: signed with the bucket's session, as a call is (the
        // URL then works as long as the session lives, five minutes).
        let session = self
            .signing_session(&endpoint, operation, "presigned requests do")
            .map_err(build)?;
        let provider = config
            .credentials
            .as_ref()
            .ok_or_else(|| SdkError::Credentials {
                operation,
                source: CredentialsError::not_loaded(
                    "set a credentials provider, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
                ),
                attempts: 0,
            })?;
        let credentials = match session {
            Some(scheme) => (scheme.fetch)(self, scheme.auth, &endpoint, &params)
                .await
                .map_err(|e| e.into_credentials_error(scheme.auth)),
            None => provider.provide_credentials().await,
        }
        .map_err(|source| SdkError::Credentials {
            operation,
            source,
            attempts: 0,
        })?;

        // The service's own rules, as `send()` applies them (S3's: the
        // path as sent, `UNSIGNED-PAYLOAD`).
        let mut settings = SigningSettings::default();
        if let Some(hooks) = inner.service.hooks {
            hooks.before_signing(&call, &mut request, &mut settings);
        }
        if let Some(scheme) = session {
            super::session::token_names(&mut settings, scheme.auth);
        }
        let (path, query) = request
            .path_and_query
            .split_once('?')
            .unwrap_or((&request.path_and_query, ""));
        let mut query = strict_query(query);
        let mut headers: Vec<(String, String)> = endpoint
            .headers
            .iter()
            .chain(&request.headers)
            .cloned()
            .collect();
        let is_form = |(name, value): &(String, String)| {
            name.eq_ignore_ascii_case("content-type") && value.starts_with(FORM)
        };
        let mut body = request.body.bytes().map(bytes::Bytes::copy_from_slice);
        if let (Some(form), true) = (&body, headers.iter().any(is_form)) {
            let moved = strict_query(&String::from_utf8_lossy(form));
            if !moved.is_empty() {
                if !query.is_empty() {
                    query.push('&');
                }
                query.push_str(&moved);
            }
            headers.retain(|h| !is_form(h));
            body = Some(bytes::Bytes::new());
        }
        let unsigned =
            settings.presign_unsigned_payload || signing == Signing::SigV4UnsignedPayload;
        let body = match body {
            // The caller sends any body it likes: none is part of the URL.
            _ if unsigned => bytes::Bytes::new(),
            Some(body) => body,
            None => {
                return Err(build(BuildError::config(format!(
                    "{operation} signs its streamed body, which a presigned request cannot carry"
                ))))
            }
        };
        let payload = match unsigned {
            true => SignablePayload::Precomputed(UNSIGNED_PAYLOAD),
            false => SignablePayload::Bytes(&body),
        };

        let full_path = signed_path(&endpoint, path);
        let signable = SignableRequest {
            method: request.method,
            path: &full_path,
            query: &query,
            headers: std::iter::once(("host", endpoint.host()))
                .chain(headers.iter().map(|(k, v)| (k.as_str(), v.as_str())))
                .collect(),
            payload,
        };
        let time = presigning
            .start()
            .unwrap_or_else(|| config.time_source.now());
        let scope = super::scope::signing_scope(
            endpoint.auth.as_ref(),
            region,
            inner.service.signing_name,
            config.sigv4a_signing_region_set.as_deref(),
        );
        let params = SigningParams {
            credentials: &credentials,
            region: &scope.region,
            service: scope.service,
            time: OffsetDateTime::from(time),
            settings,
            key_cache: Some(&inner.signing_keys),
            algorithm: scope.algorithm,
        };
        let signature = sign_query(&signable, &params, presigning.expires().as_secs());
        // `https://bucket.s3.region.amazonaws.com/?list-type=2`, as
        // botocore writes a path that is all the endpoint's.
        let mut uri = endpoint.uri(if full_path == "/" { "/" } else { path });
        uri.push('?');
        uri.push_str(&query);
        for (name, value) in &signature.params {
            if !uri.ends_with('?') {
                uri.push('&');
            }
            uri.push_str(name);
            uri.push('=');
            uri.push_str(value);
        }
        // Never the URI: it is a credential.
        tracing::debug!(operation, expires_in = ?presigning.expires(), "presigned");
        Ok(PresignedRequest::new(request.method, uri, headers, body))
    }
}

/// The presigning path has no service error: this cannot be reached.
fn unreachable_service<E>(operation: &'static str) -> SdkError<E> {
    SdkError::Build {
        operation,
        source: BuildError::config("internal error: presigning produced a service error"),
    }
}
