//! [`ReplayTransport`]: recorded answers, and the requests that got them.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, Mutex};

use bytes::Bytes;

use crate::body::{CollectError, SdkBody};
use crate::credentials::BoxFuture;
use crate::error::{DispatchError, DispatchErrorKind};
use crate::transport::{SendError, Transport};

/// A request the code is expected to make, and the response it gets.
#[derive(Debug, Clone)]
pub struct ReplayEvent {
    expected: http::Request<Bytes>,
    response: http::Response<Bytes>,
}

impl ReplayEvent {
    pub fn new(
        expected: http::Request<impl Into<Bytes>>,
        response: http::Response<impl Into<Bytes>>,
    ) -> Self {
        ReplayEvent {
            expected: expected.map(Into::into),
            response: response.map(Into::into),
        }
    }
}

/// A transport that answers each request with the next recorded response
/// and keeps the requests, so that a test can check what its code sent
/// with [`assert_requests_match`](Self::assert_requests_match). Clones
/// share the recording: give one to the client, keep one to check.
#[derive(Clone, Default)]
pub struct ReplayTransport {
    state: Arc<Mutex<Recording>>,
}

#[derive(Default)]
struct Recording {
    events: Vec<ReplayEvent>,
    actual: Vec<http::Request<Bytes>>,
}

impl fmt::Debug for ReplayTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.lock();
        f.debug_struct("ReplayTransport")
            .field("events", &state.events.len())
            .field("requests", &state.actual.len())
            .finish()
    }
}

impl ReplayTransport {
    pub fn new(events: Vec<ReplayEvent>) -> Self {
        ReplayTransport {
            state: Arc::new(Mutex::new(Recording {
                events,
                actual: Vec::new(),
            })),
        }
    }

    /// The requests made so far, in order.
    pub fn actual_requests(&self) -> Vec<http::Request<Bytes>> {
        self.lock().actual.clone()
    }

    /// Compares the requests made with the expected ones: as many, and
    /// each with the same method, path, query parameters (in any order),
    /// body (as JSON when both are JSON) and every header the expected
    /// request has, except those named in `ignore` (such as
    /// `x-amz-date`). Panics with the first difference.
    #[track_caller]
    pub fn assert_requests_match(&self, ignore: &[&str]) {
        if let Err(difference) = self.check_requests(ignore) {
            panic!("{difference}");
        }
    }

    /// What [`assert_requests_match`](Self::assert_requests_match) checks,
    /// as a `Result`.
    pub fn check_requests(&self, ignore: &[&str]) -> Result<(), String> {
        let state = self.lock();
        if state.actual.len() != state.events.len() {
            return Err(format!(
                "{} request(s) made, {} expected",
                state.actual.len(),
                state.events.len()
            ));
        }
        for (n, (actual, event)) in state.actual.iter().zip(&state.events).enumerate() {
            compare(actual, &event.expected, ignore)
                .map_err(|difference| format!("request {}: {difference}", n + 1))?;
        }
        Ok(())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Recording> {
        super::lock(&self.state)
    }
}

impl Transport for ReplayTransport {
    fn send(
        &self,
        request: http::Request<SdkBody>,
    ) -> BoxFuture<'_, Result<http::Response<SdkBody>, SendError>> {
        Box::pin(async move {
            let (parts, body) = request.into_parts();
            let target = format!("{} {}", parts.method, parts.uri);
            let body = body.collect_limited(usize::MAX).await.map_err(|e| {
                let cause = match e {
                    CollectError::Io(cause) => Some(cause),
                    CollectError::TooLarge => None,
                };
                SendError::Dispatch(DispatchError::new(
                    DispatchErrorKind::Io,
                    format!("the body of {target} could not be read"),
                    cause,
                ))
            })?;
            let mut state = self.lock();
            let n = state.actual.len();
            state.actual.push(http::Request::from_parts(parts, body));
            let response = state.events.get(n).map(|e| e.response.clone());
            let response = response.ok_or_else(|| {
                SendError::Dispatch(DispatchError::new(
                    DispatchErrorKind::Other,
                    format!("no recorded response left for {target} (request {})", n + 1),
                    None,
                ))
            })?;
            Ok(response.map(SdkBody::from_bytes))
        })
    }
}

fn compare(
    actual: &http::Request<Bytes>,
    expected: &http::Request<Bytes>,
    ignore: &[&str],
) -> Result<(), String> {
    if actual.method() != expected.method() {
        return Err(format!(
            "method {} instead of {}",
            actual.method(),
            expected.method()
        ));
    }
    if actual.uri().path() != expected.uri().path() {
        return Err(format!(
            "path {} instead of {}",
            actual.uri().path(),
            expected.uri().path()
        ));
    }
    let (got, want) = (query(actual.uri()), query(expected.uri()));
    if got != want {
        return Err(format!("query {got:?} instead of {want:?}"));
    }
    for (name, value) in expected.headers() {
        if ignore.iter().any(|i| name.as_str().eq_ignore_ascii_case(i)) {
            continue;
        }
        let got: Vec<_> = actual.headers().get_all(name).iter().collect();
        if !got.contains(&value) {
            return Err(format!("header {name}: {got:?} instead of {value:?}"));
        }
    }
    let (got, want) = (actual.body(), expected.body());
    let as_json = |body: &[u8]| {
        crate::json::read_body(body, crate::json::document)
            .ok()
            .flatten()
    };
    let same = match (as_json(got), as_json(want)) {
        (Some(got), Some(want)) => got == want,
        _ => got == want,
    };
    if !same {
        return Err(format!(
            "body {:?} instead of {:?}",
            String::from_utf8_lossy(got),
            String::from_utf8_lossy(want)
        ));
    }
    Ok(())
}

/// Query parameters as a sorted multiset of raw (still encoded) pairs.
fn query(uri: &http::Uri) -> BTreeMap<String, Vec<String>> {
    let mut params: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for pair in uri
        .query()
        .unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
    {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        params.entry(k.to_string()).or_default().push(v.to_string());
    }
    for values in params.values_mut() {
        values.sort();
    }
    params
}
