//! A transport that takes every request to a loopback server, whatever
//! host its URI names: for tests of virtual-hosted requests, whose host
//! (`my-bucket.localhost`) no resolver need know.

use crate::server::MockServer;
use sdkgen_runtime::body::SdkBody;
use sdkgen_runtime::credentials::BoxFuture;
use sdkgen_runtime::transport::{SendError, Transport};
use sdkgen_runtime::HttpClient;

/// Sends every request to `addr` (`127.0.0.1:PORT`) over HTTP, whatever
/// host and scheme its URI names; the request is otherwise untouched, so
/// its `Host` header (set and signed by the client) arrives as the client
/// wrote it.
#[derive(Debug)]
pub struct ToLoopback {
    client: HttpClient,
    pub addr: http::uri::Authority,
}

impl Transport for ToLoopback {
    fn send(
        &self,
        mut request: http::Request<SdkBody>,
    ) -> BoxFuture<'_, Result<http::Response<SdkBody>, SendError>> {
        let mut parts = request.uri().clone().into_parts();
        parts.authority = Some(self.addr.clone());
        parts.scheme = Some(http::uri::Scheme::HTTP);
        *request.uri_mut() = http::Uri::from_parts(parts).expect("a URI with another authority");
        Box::pin(self.client.send(request))
    }
}

/// A transport to `server`.
pub fn to_loopback(server: &MockServer) -> ToLoopback {
    ToLoopback {
        client: HttpClient::builder().build().unwrap(),
        addr: server
            .url()
            .strip_prefix("http://")
            .expect("an http URL")
            .parse()
            .unwrap(),
    }
}
