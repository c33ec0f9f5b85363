//! A loopback HTTP/1.1 server that answers with an event stream as AWS
//! frames one (`application/vnd.amazon.eventstream`, chunked), written
//! step by step as the test scripts it: bytes cut wherever the test
//! likes, a pause until the test lets it go on, a connection dropped in
//! the middle of a frame. It records each request (for signature checks)
//! and tells when the client closed the connection.

use crate::server::Recorded;
use sdkgen_runtime::event_stream::{encode, Message};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, Semaphore};

/// One step of an answer.
#[derive(Debug, Clone)]
pub enum Step {
    /// These bytes, as one chunk of the chunked body, flushed.
    Send(Vec<u8>),
    /// Wait until the test calls [`EventServer::resume`].
    Pause,
    /// Close the connection here, without ending the body.
    Drop,
}

/// How the server answers one request.
#[derive(Debug, Clone)]
pub struct Script {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub steps: Vec<Step>,
}

impl Script {
    /// A 200 event stream of these steps, ended properly after them
    /// (unless a step drops the connection).
    pub fn stream(steps: Vec<Step>) -> Script {
        Script {
            status: 200,
            headers: vec![(
                "content-type".into(),
                sdkgen_runtime::event_stream::CONTENT_TYPE.into(),
            )],
            steps,
        }
    }

    /// A 200 event stream of these frames, each cut into chunks at
    /// pseudo-random places (same `seed`, same cuts), across frame
    /// boundaries too.
    pub fn cut(frames: &[Vec<u8>], seed: u64) -> Script {
        let all: Vec<u8> = frames.concat();
        let mut rng = seed | 1;
        let mut steps = Vec::new();
        let mut at = 0;
        while at < all.len() {
            // xorshift64: a fixed, seeded sequence of chunk sizes 1..=40.
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            let len = (1 + (rng % 40) as usize).min(all.len() - at);
            steps.push(Step::Send(all[at..at + len].to_vec()));
            at += len;
        }
        Script::stream(steps)
    }

    pub fn with_header(mut self, name: &str, value: &str) -> Script {
        self.headers.push((name.into(), value.into()));
        self
    }
}

/// An `event` message framed: `:event-type`, JSON content.
pub fn event(event_type: &str, json: &str) -> Vec<u8> {
    frame(
        Message::new(json.to_string())
            .header(":event-type", event_type.to_string())
            .header(":content-type", "application/json")
            .header(":message-type", "event"),
    )
}

/// An `event` message with a binary payload and no content type.
pub fn binary_event(event_type: &str, payload: &[u8]) -> Vec<u8> {
    frame(
        Message::new(payload.to_vec())
            .header(":event-type", event_type.to_string())
            .header(":message-type", "event"),
    )
}

/// An `exception` message: a modeled error, by its union member's name.
pub fn exception(exception_type: &str, json: &str) -> Vec<u8> {
    frame(
        Message::new(json.to_string())
            .header(":exception-type", exception_type.to_string())
            .header(":content-type", "application/json")
            .header(":message-type", "exception"),
    )
}

/// An `error` message: an error the model does not name.
pub fn error(code: &str, message: &str) -> Vec<u8> {
    frame(
        Message::new("")
            .header(":error-code", code.to_string())
            .header(":error-message", message.to_string())
            .header(":message-type", "error"),
    )
}

/// A message framed by the runtime's encoder.
pub fn frame(message: Message) -> Vec<u8> {
    encode(&message).expect("a valid test message").to_vec()
}

/// A running server; stops when dropped.
pub struct EventServer {
    url: String,
    requests: Arc<Mutex<Vec<Recorded>>>,
    resume: Arc<Semaphore>,
    closed: Arc<Notify>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for EventServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl EventServer {
    /// Starts a server on 127.0.0.1; `script` gives the answer to each
    /// request by its index (0 for the first).
    pub async fn start(script: impl Fn(usize) -> Script + Send + Sync + 'static) -> EventServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let resume = Arc::new(Semaphore::new(0));
        let closed = Arc::new(Notify::new());
        let script = Arc::new(script);
        let state = (requests.clone(), resume.clone(), closed.clone());
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let (requests, resume, closed) = state.clone();
                let script = script.clone();
                tokio::spawn(async move {
                    serve(stream, &*script, &requests, &resume, &closed).await;
                });
            }
        });
        EventServer {
            url,
            requests,
            resume,
            closed,
            task,
        }
    }

    pub fn url(&self) -> String {
        self.url.clone()
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }

    /// Lets one paused answer go on.
    pub fn resume(&self) {
        self.resume.add_permits(1);
    }

    /// Waits until a client closes a connection that the server was
    /// holding open (between requests, or at a pause).
    pub async fn client_closed(&self) {
        self.closed.notified().await;
    }
}

async fn serve(
    mut stream: TcpStream,
    script: &(dyn Fn(usize) -> Script + Send + Sync),
    requests: &Mutex<Vec<Recorded>>,
    resume: &Semaphore,
    closed: &Notify,
) {
    // Requests one after another on the connection, until the client
    // closes it (or a script drops it).
    loop {
        let Some(request) = read_request(&mut stream).await else {
            closed.notify_one();
            return;
        };
        if !answer(&mut stream, request, script, requests, resume, closed).await {
            return;
        }
    }
}

/// Answers one request as its script says; `false` when the connection is
/// gone.
async fn answer(
    stream: &mut TcpStream,
    request: Recorded,
    script: &(dyn Fn(usize) -> Script + Send + Sync),
    requests: &Mutex<Vec<Recorded>>,
    resume: &Semaphore,
    closed: &Notify,
) -> bool {
    let index = {
        let mut all = requests.lock().unwrap();
        all.push(request);
        all.len() - 1
    };
    let script = script(index);
    let mut head = format!("HTTP/1.1 {} OK\r\n", script.status);
    for (k, v) in &script.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("x-amzn-requestid: event-request-1\r\ntransfer-encoding: chunked\r\n\r\n");
    if stream.write_all(head.as_bytes()).await.is_err() {
        return false;
    }
    for step in script.steps {
        match step {
            Step::Send(bytes) => {
                let mut chunk = format!("{:x}\r\n", bytes.len()).into_bytes();
                chunk.extend_from_slice(&bytes);
                chunk.extend_from_slice(b"\r\n");
                if stream.write_all(&chunk).await.is_err() || stream.flush().await.is_err() {
                    closed.notify_one();
                    return false;
                }
            }
            Step::Pause => {
                let mut probe = [0u8; 1];
                tokio::select! {
                    permit = resume.acquire() => permit.expect("never closed").forget(),
                    // The client went away while the server waited.
                    Ok(0) = stream.read(&mut probe) => {
                        closed.notify_one();
                        return false;
                    }
                }
            }
            Step::Drop => return false,
        }
    }
    stream.write_all(b"0\r\n\r\n").await.is_ok()
}

/// The request head and its `content-length` body.
async fn read_request(stream: &mut TcpStream) -> Option<Recorded> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(at) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break at;
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut start = lines.next()?.split(' ');
    let method = start.next()?.to_string();
    let target = start.next()?.to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Some(Recorded {
        method,
        uri: target.clone(),
        target,
        headers,
        body,
    })
}
