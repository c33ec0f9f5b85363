//! When the default transport speaks HTTP/2: per service, as its model's
//! `metadata.protocolSettings.h2` says, and how long streams are kept alive.

use std::time::Duration;

/// Which HTTP versions the default transport speaks to a service.
///
/// A model that streams events in both directions needs HTTP/2 (an
/// HTTP/1.1 request cannot receive before its body is sent); a few others
/// allow it; every other service is reached with HTTP/1.1 only, the
/// version the AWS SDKs use there.
///
/// HTTP/2 is compiled in by the runtime's `http2` feature, which the
/// generated crates of services that require it always turn on, and those
/// of services that offer it by their own `http2` feature (a default, and
/// on with each operation that sends events). Without it, `Optional`
/// speaks HTTP/1.1 and `Required` fails the transport's build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Http2Policy {
    /// HTTP/1.1 only, and no ALPN offered (as before HTTP/2 was built in).
    /// The model has no `h2` setting.
    #[default]
    Http1Only,
    /// TLS offers `h2` and `http/1.1` (ALPN) and the server picks; plain
    /// `http://` stays on HTTP/1.1. The model's `h2` is `optional`.
    Optional,
    /// HTTP/2 only: TLS offers `h2` alone, and plain `http://` (local
    /// emulators, loopback tests) speaks HTTP/2 with prior knowledge (h2c).
    /// The model's `h2` is `eventstream`.
    Required,
}

impl Http2Policy {
    /// Whether connections may be HTTP/2.
    pub fn allows_http2(self) -> bool {
        self != Http2Policy::Http1Only
    }
}

/// The default time between keep-alive pings on an HTTP/2 connection that
/// has open streams. A long event stream may go quiet for minutes; a ping
/// every 30 s keeps NATs and load balancers (AWS's own close idle flows
/// after 60 to 350 s) from dropping it, and finds a dead peer instead of
/// waiting forever. Idle connections are not pinged: the pool's idle
/// timeout closes them anyway.
pub const DEFAULT_HTTP2_KEEP_ALIVE_INTERVAL: Duration = Duration::from_secs(30);

/// How long a keep-alive ping may go unanswered before the connection,
/// and every stream on it, is closed with an error (hyper's default).
pub const DEFAULT_HTTP2_KEEP_ALIVE_TIMEOUT: Duration = Duration::from_secs(20);
