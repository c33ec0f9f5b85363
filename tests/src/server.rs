//! A loopback HTTP/1.1 server for tests: records every request exactly as
//! received (raw request target included) and answers as the test says.

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::TcpListener;

/// A request as the server received it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    /// The request target's path and query, exactly as sent: `/a%2Fb/c?x=1`.
    pub target: String,
    /// The whole request target: absolute (`http://host/path`) when sent
    /// to a proxy, `host:port` for `CONNECT`.
    pub uri: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn path(&self) -> &str {
        self.target
            .split_once('?')
            .map_or(self.target.as_str(), |(p, _)| p)
    }
}

/// What the server does with a request.
#[derive(Debug, Clone)]
pub enum Reply {
    Respond {
        status: u16,
        headers: Vec<(String, String)>,
        body: String,
    },
    /// An answer whose body is not text (CBOR).
    Binary {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Never answer (until the test ends).
    Hang,
}

impl Reply {
    pub fn json(status: u16, body: &str) -> Reply {
        Reply::Respond {
            status,
            headers: vec![
                ("content-type".into(), "application/json".into()),
                ("x-amzn-RequestId".into(), "test-request-id".into()),
            ],
            body: body.into(),
        }
    }

    /// An error response with its code in `X-Amzn-ErrorType`.
    pub fn error(status: u16, code: &str, message: &str) -> Reply {
        Reply::Respond {
            status,
            headers: vec![
                ("content-type".into(), "application/json".into()),
                ("x-amzn-RequestId".into(), "test-request-id".into()),
                ("X-Amzn-ErrorType".into(), code.into()),
            ],
            body: format!(r#"{{"message":"{message}"}}"#),
        }
    }

    pub fn with_header(mut self, name: &str, value: &str) -> Reply {
        if let Reply::Respond { headers, .. } = &mut self {
            headers.push((name.into(), value.into()));
        }
        self
    }
}

type Handler = dyn Fn(&Recorded, usize) -> Reply + Send + Sync;

/// A running server; stops when dropped.
pub struct MockServer {
    addr: SocketAddr,
    requests: Arc<Mutex<Vec<Recorded>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for MockServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl MockServer {
    /// Starts a server on 127.0.0.1; `handler` gets each request and its
    /// index (0 for the first).
    pub async fn start(
        handler: impl Fn(&Recorded, usize) -> Reply + Send + Sync + 'static,
    ) -> MockServer {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let addr = listener.local_addr().unwrap();
        let requests: Arc<Mutex<Vec<Recorded>>> = Arc::default();
        let handler: Arc<Handler> = Arc::new(handler);
        let recorded = requests.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let handler = handler.clone();
                let recorded = recorded.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
                        let handler = handler.clone();
                        let recorded = recorded.clone();
                        async move {
                            let (parts, body) = req.into_parts();
                            let body = body
                                .collect()
                                .await
                                .map(|b| b.to_bytes().to_vec())
                                .unwrap_or_default();
                            let request = Recorded {
                                method: parts.method.to_string(),
                                uri: parts.uri.to_string(),
                                target: parts
                                    .uri
                                    .path_and_query()
                                    .map(|p| p.as_str().to_string())
                                    .unwrap_or_default(),
                                headers: parts
                                    .headers
                                    .iter()
                                    .map(|(k, v)| {
                                        (
                                            k.to_string(),
                                            String::from_utf8_lossy(v.as_bytes()).into_owned(),
                                        )
                                    })
                                    .collect(),
                                body,
                            };
                            let index = {
                                let mut all = recorded.lock().unwrap();
                                all.push(request.clone());
                                all.len() - 1
                            };
                            match handler(&request, index) {
                                Reply::Respond {
                                    status,
                                    headers,
                                    body,
                                } => {
                                    let mut response = hyper::Response::builder().status(status);
                                    for (k, v) in headers {
                                        response = response.header(k, v);
                                    }
                                    Ok::<_, Infallible>(
                                        response.body(Full::new(Bytes::from(body))).unwrap(),
                                    )
                                }
                                Reply::Binary {
                                    status,
                                    headers,
                                    body,
                                } => {
                                    let mut response = hyper::Response::builder().status(status);
                                    for (k, v) in headers {
                                        response = response.header(k, v);
                                    }
                                    Ok(response.body(Full::new(Bytes::from(body))).unwrap())
                                }
                                Reply::Hang => {
                                    tokio::time::sleep(Duration::from_secs(3600)).await;
                                    Ok(hyper::Response::new(Full::new(Bytes::new())))
                                }
                            }
                        }
                    });
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        MockServer {
            addr,
            requests,
            task,
        }
    }

    /// `http://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }
}

/// A loopback port with nothing listening on it.
pub async fn closed_port_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{addr}")
}
