//! HTTP/1.1 keep-alive closes on loopback, through the generated Chime
//! client on its default transport: a server that says `Connection:
//! close`, one that closes an idle connection without a word (FIN or
//! reset), one that closes after reading a request, and the pool's idle
//! timeout and per-host limit.
//!
//! What they pin down: a request that provably never reached the server
//! goes again at once on a new connection, and is not an attempt
//! (`amz-sdk-request: attempt=1`, no back-off); one the server may have
//! read is retried by the orchestrator, counted (`attempt=2`).
//!
//! The tests run on tokio's single-threaded runtime, and the server on a
//! thread of its own. When the server closes a connection, the test waits
//! for it by blocking its thread: the client's reactor, which runs only
//! when the runtime does, has then not seen the FIN when the next call
//! starts. That is the case hyper alone gets wrong (it writes the request
//! onto the closed connection). No test waits on a timer: each waits for
//! an event the server reports.

#![allow(deprecated)]

use chime_sdk_voice::types::Capability;
use chime_sdk_voice::Client;
use script::{Close, Event, ScriptServer, Step};
use sdkgen_tests::test_config;
use std::time::Duration;

const BODY: &str = r#"{"ProxySession":{"ProxySessionId":"ps1"}}"#;
const ATTEMPT_1: &str = "attempt=1; max=3";
const ATTEMPT_2: &str = "attempt=2; max=3";

async fn get(client: &Client) {
    client
        .get_proxy_session()
        .voice_connector_id("vc1")
        .proxy_session_id("ps1")
        .send()
        .await
        .expect("GetProxySession succeeds");
}

/// `(connection, amz-sdk-request)` of each request the server read.
fn attempts(server: &ScriptServer) -> Vec<(usize, String)> {
    server
        .requests()
        .into_iter()
        .map(|r| {
            (
                r.connection,
                r.header("amz-sdk-request").unwrap_or("-").to_string(),
            )
        })
        .collect()
}

fn on(connection: usize, attempt: &str) -> (usize, String) {
    (connection, attempt.to_string())
}

/// Lets the tasks the last call woke run: among them the one that puts
/// its connection back in the pool.
async fn settle() {
    tokio::task::yield_now().await;
}

#[tokio::test]
async fn connection_close_is_honoured_and_the_next_call_opens_a_new_connection() {
    let server = ScriptServer::start(|_| vec![Step::AnswerAndClose]).await;
    let (config, sleep) = test_config(&server.url);
    let client = Client::new(config.build());
    get(&client).await;
    get(&client).await;
    assert_eq!(
        attempts(&server),
        [on(0, ATTEMPT_1), on(1, ATTEMPT_1)],
        "each call on a connection of its own, each on its first attempt"
    );
    assert!(sleep.waits().is_empty(), "no retry: {:?}", sleep.waits());
}

#[tokio::test]
async fn a_close_right_after_the_answer_costs_no_attempt() {
    // The server answers as if it kept the connection, and closes it at
    // once (a server's keep-alive request limit, reached without saying).
    let server = ScriptServer::start(|_| vec![Step::AnswerThenClose]).await;
    let (config, sleep) = test_config(&server.url);
    let client = Client::new(config.build());
    get(&client).await;
    server.block_until_closed(0);
    get(&client).await;
    assert_eq!(attempts(&server), [on(0, ATTEMPT_1), on(1, ATTEMPT_1)]);
    assert!(sleep.waits().is_empty(), "no retry: {:?}", sleep.waits());
}

/// The client reuses connection 0, then the server closes it while it is
/// idle, as a server whose idle timeout is shorter than ours does.
async fn stale_connection(close: Close) -> ScriptServer {
    let server = ScriptServer::start(|i| match i {
        0 => vec![Step::Answer, Step::Answer],
        _ => vec![Step::Answer],
    })
    .await;
    let (config, sleep) = test_config(&server.url);
    let client = Client::new(config.build());
    get(&client).await;
    get(&client).await;
    assert_eq!(server.connections(), 1, "the connection was reused");
    settle().await;
    server.close_idle(0, close);
    get(&client).await;
    assert_eq!(
        attempts(&server),
        [on(0, ATTEMPT_1), on(0, ATTEMPT_1), on(1, ATTEMPT_1)],
        "the call after the close went on a new connection, on its first attempt"
    );
    assert!(sleep.waits().is_empty(), "no retry: {:?}", sleep.waits());
    server
}

#[tokio::test]
async fn an_idle_connection_the_server_closed_is_not_an_attempt() {
    let server = stale_connection(Close::Fin).await;
    // The server half-closed, so it still sees what the client does with
    // the connection: it closes it, and writes nothing on it.
    assert_eq!(server.wait_for_end(0).await, Event::ClientClosed);
}

#[tokio::test]
async fn an_idle_connection_the_server_reset_is_not_an_attempt() {
    stale_connection(Close::Reset).await;
}

#[tokio::test]
async fn a_request_body_goes_whole_on_the_new_connection() {
    let server = ScriptServer::start(|_| vec![Step::Answer]).await;
    let (config, sleep) = test_config(&server.url);
    let client = Client::new(config.build());
    let update = || {
        client
            .update_proxy_session()
            .voice_connector_id("vc1")
            .proxy_session_id("ps1")
            .capabilities(Capability::Voice)
            .expiry_minutes(5)
            .send()
    };
    update().await.expect("first call");
    settle().await;
    server.close_idle(0, Close::Fin);
    update().await.expect("second call");
    let requests = server.requests();
    assert_eq!(
        attempts(&server),
        [on(0, ATTEMPT_1), on(1, ATTEMPT_1)],
        "{requests:?}"
    );
    assert_eq!(requests[1].body, requests[0].body);
    assert!(
        String::from_utf8_lossy(&requests[1].body).contains("\"ExpiryMinutes\":5"),
        "{:?}",
        requests[1]
    );
    assert!(sleep.waits().is_empty(), "no retry: {:?}", sleep.waits());
    assert_eq!(server.wait_for_end(0).await, Event::ClientClosed);
}

#[tokio::test]
async fn a_request_the_server_may_have_read_is_a_counted_retry() {
    // The server reads the request head, then closes without answering:
    // the request may have been processed, so only the orchestrator's
    // retry, counted and backed off, may send it again.
    let server = ScriptServer::start(|i| match i {
        0 => vec![Step::CloseUnanswered],
        _ => vec![Step::Answer],
    })
    .await;
    let (config, sleep) = test_config(&server.url);
    let client = Client::new(config.build());
    get(&client).await;
    assert_eq!(attempts(&server), [on(0, ATTEMPT_1), on(1, ATTEMPT_2)]);
    assert_eq!(sleep.waits().len(), 1, "one back-off: {:?}", sleep.waits());
}

#[tokio::test]
async fn a_reused_connection_closed_after_the_request_is_a_counted_retry() {
    // As above, on a connection that served a call before: reuse does not
    // make a request that reached the server free to send again.
    let server = ScriptServer::start(|i| match i {
        0 => vec![Step::Answer, Step::CloseUnanswered],
        _ => vec![Step::Answer],
    })
    .await;
    let (config, sleep) = test_config(&server.url);
    let client = Client::new(config.build());
    get(&client).await;
    get(&client).await;
    assert_eq!(
        attempts(&server),
        [on(0, ATTEMPT_1), on(0, ATTEMPT_1), on(1, ATTEMPT_2)]
    );
    assert_eq!(sleep.waits().len(), 1, "one back-off: {:?}", sleep.waits());
}

#[tokio::test]
async fn connections_are_reused_by_default() {
    let server = ScriptServer::start(|_| vec![Step::Answer; 3]).await;
    let client = Client::new(test_config(&server.url).0.build());
    for _ in 0..3 {
        get(&client).await;
    }
    assert_eq!(server.connections(), 1);
}

#[tokio::test]
async fn with_no_idle_connections_kept_each_call_opens_one() {
    // The server would keep each connection; the client keeps none.
    let server = ScriptServer::start(|_| vec![Step::Answer; 3]).await;
    let config = test_config(&server.url).0.pool_max_idle_per_host(0);
    let client = Client::new(config.build());
    for _ in 0..3 {
        get(&client).await;
    }
    assert_eq!(
        attempts(&server),
        [on(0, ATTEMPT_1), on(1, ATTEMPT_1), on(2, ATTEMPT_1)]
    );
    for connection in 0..3 {
        assert_eq!(
            server.wait_for_end(connection).await,
            Event::ClientClosed,
            "connection {connection}"
        );
    }
}

#[tokio::test]
async fn the_pool_closes_a_connection_idle_past_its_timeout() {
    let server = ScriptServer::start(|_| vec![Step::Answer; 3]).await;
    let config = test_config(&server.url)
        .0
        .pool_idle_timeout(Duration::from_millis(100));
    let client = Client::new(config.build());
    get(&client).await;
    // No other call comes: the pool's own timer closes the connection.
    assert_eq!(server.wait_for_end(0).await, Event::ClientClosed);
    get(&client).await;
    assert_eq!(attempts(&server), [on(0, ATTEMPT_1), on(1, ATTEMPT_1)]);
}

/// A raw HTTP/1.1 server whose every connection follows a script, and
/// that reports what happens to each connection as events.
///
/// The shared helpers do not fit here: `MockServer` (hyper) cannot close
/// an idle connection on demand or see what a client writes after a FIN,
/// and `FaultServer` serves one request per connection. It runs on a
/// thread and runtime of its own, so that a test can wait for it to close
/// a connection without letting the client's runtime run.
mod script {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{mpsc as std_mpsc, Arc, Mutex};
    use std::time::Duration;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::{TcpListener, TcpStream};
    use tokio::sync::{mpsc, oneshot};

    /// What the server does with one request on a connection.
    #[derive(Debug, Clone, Copy)]
    pub enum Step {
        /// Answer, and keep the connection open.
        Answer,
        /// Answer with `Connection: close`, then close.
        AnswerAndClose,
        /// Answer as if the connection stayed open, then close it at once.
        AnswerThenClose,
        /// Read the request, then close without answering.
        CloseUnanswered,
    }

    /// How the server closes an idle connection when told to.
    #[derive(Debug, Clone, Copy)]
    pub enum Close {
        /// Shuts down its sending side (FIN), and keeps reading.
        Fin,
        /// Closes with a reset (RST).
        Reset,
    }

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Event {
        /// The server closed the connection (a FIN or RST is on its way,
        /// on loopback already in the client's socket).
        ServerClosed,
        /// The client closed the connection.
        ClientClosed,
        /// The client wrote bytes the server has no script for: a request
        /// after the script's end, or after the server's FIN. The server
        /// then drops the connection.
        Unexpected,
    }

    #[derive(Debug, Clone)]
    pub struct Request {
        pub connection: usize,
        pub head: String,
        pub body: Vec<u8>,
    }

    impl Request {
        pub fn header(&self, name: &str) -> Option<&str> {
            self.head.split("\r\n").skip(1).find_map(|line| {
                let (k, v) = line.split_once(':')?;
                k.trim().eq_ignore_ascii_case(name).then(|| v.trim())
            })
        }
    }

    struct Shared {
        requests: Mutex<Vec<Request>>,
        closers: Mutex<Vec<Option<oneshot::Sender<Close>>>>,
        events: mpsc::UnboundedSender<(usize, Event)>,
        /// The same `ServerClosed` events, for a waiter that blocks.
        closed: Mutex<std_mpsc::Sender<usize>>,
    }

    impl Shared {
        fn report(&self, connection: usize, event: Event) {
            if event == Event::ServerClosed {
                let _ = self.closed.lock().unwrap().send(connection);
            }
            let _ = self.events.send((connection, event));
        }
    }

    type Events = (mpsc::UnboundedReceiver<(usize, Event)>, Vec<(usize, Event)>);

    pub struct ScriptServer {
        pub url: String,
        shared: Arc<Shared>,
        connections: Arc<AtomicUsize>,
        events: tokio::sync::Mutex<Events>,
        closed: Mutex<(std_mpsc::Receiver<usize>, Vec<usize>)>,
        _stop: oneshot::Sender<()>,
    }

    /// A bound on every wait, so that a broken client fails the test
    /// instead of hanging it; never reached when the client behaves.
    const FAILSAFE: Duration = Duration::from_secs(20);

    impl ScriptServer {
        /// Connection `i` follows `script(i)`, then waits idle. Stops
        /// when dropped.
        pub async fn start(script: impl Fn(usize) -> Vec<Step> + Send + 'static) -> ScriptServer {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            listener.set_nonblocking(true).unwrap();
            let url = format!("http://{}", listener.local_addr().unwrap());
            let (events, events_rx) = mpsc::unbounded_channel();
            let (closed, closed_rx) = std_mpsc::channel();
            let shared = Arc::new(Shared {
                requests: Mutex::default(),
                closers: Mutex::default(),
                events,
                closed: Mutex::new(closed),
            });
            let connections = Arc::new(AtomicUsize::new(0));
            let (stop, stopped) = oneshot::channel::<()>();
            let (task_shared, counter) = (shared.clone(), connections.clone());
            std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                runtime.block_on(async move {
                    let listener = TcpListener::from_std(listener).unwrap();
                    let accept = async {
                        while let Ok((stream, _)) = listener.accept().await {
                            let index = counter.fetch_add(1, Ordering::SeqCst);
                            let (close_tx, close_rx) = oneshot::channel();
                            task_shared.closers.lock().unwrap().push(Some(close_tx));
                            let shared = task_shared.clone();
                            tokio::spawn(serve(index, stream, script(index), close_rx, shared));
                        }
                    };
                    tokio::select! {
                        _ = accept => {}
                        _ = stopped => {}
                    }
                });
            });
            ScriptServer {
                url,
                shared,
                connections,
                events: tokio::sync::Mutex::new((events_rx, Vec::new())),
                closed: Mutex::new((closed_rx, Vec::new())),
                _stop: stop,
            }
        }

        /// Connections accepted so far.
        pub fn connections(&self) -> usize {
            self.connections.load(Ordering::SeqCst)
        }

        /// Every request read, in order.
        pub fn requests(&self) -> Vec<Request> {
            self.shared.requests.lock().unwrap().clone()
        }

        /// Closes idle connection `connection`, and returns once it is
        /// closed. Blocks the caller's thread on purpose (see
        /// [`Self::block_until_closed`]).
        pub fn close_idle(&self, connection: usize, how: Close) {
            let closer = self.shared.closers.lock().unwrap()[connection]
                .take()
                .expect("each connection is closed once");
            closer.send(how).expect("the connection is idle, waiting");
            self.block_until_closed(connection);
        }

        /// Waits until the server has closed `connection`, blocking the
        /// thread: a test's single-threaded runtime then does not run, so
        /// its reactor has not seen the close when the next call starts.
        pub fn block_until_closed(&self, connection: usize) {
            let mut closed = self.closed.lock().unwrap();
            let (rx, seen) = &mut *closed;
            while !seen.contains(&connection) {
                match rx.recv_timeout(FAILSAFE) {
                    Ok(c) => seen.push(c),
                    Err(_) => panic!("the server did not close connection {connection}"),
                }
            }
        }

        /// Waits until the connection ends on the client's side: it closed
        /// it, or wrote on it what the server did not expect.
        pub async fn wait_for_end(&self, connection: usize) -> Event {
            let mut events = self.events.lock().await;
            let (rx, seen) = &mut *events;
            let ends = |(c, e): &(usize, Event)| *c == connection && *e != Event::ServerClosed;
            if let Some(&(_, e)) = seen.iter().find(|x| ends(x)) {
                return e;
            }
            loop {
                let next = tokio::time::timeout(FAILSAFE, rx.recv()).await;
                let Ok(Some(event)) = next else {
                    panic!("connection {connection} did not end; saw {seen:?}");
                };
                seen.push(event);
                if ends(&event) {
                    return event.1;
                }
            }
        }
    }

    fn response(connection: usize, close: bool) -> Vec<u8> {
        let body = super::BODY;
        let close = if close { "connection: close\r\n" } else { "" };
        format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
             x-amzn-requestid: conn-{connection}\r\n{close}\r\n{body}",
            body.len()
        )
        .into_bytes()
    }

    /// Reads one request (head, and a body of `content-length` bytes);
    /// `None` when the client closes or fails first.
    async fn read_request(
        stream: &mut TcpStream,
        buffered: &mut Vec<u8>,
        connection: usize,
    ) -> Option<Request> {
        let mut chunk = [0u8; 4096];
        let head_end = loop {
            if let Some(at) = buffered.windows(4).position(|w| w == b"\r\n\r\n") {
                break at + 4;
            }
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return None,
                Ok(n) => buffered.extend_from_slice(&chunk[..n]),
            }
        };
        let head = String::from_utf8_lossy(&buffered[..head_end]).into_owned();
        buffered.drain(..head_end);
        let mut request = Request {
            connection,
            head,
            body: Vec::new(),
        };
        let length: usize = request
            .header("content-length")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        while buffered.len() < length {
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return None,
                Ok(n) => buffered.extend_from_slice(&chunk[..n]),
            }
        }
        request.body = buffered.drain(..length).collect();
        Some(request)
    }

    async fn serve(
        connection: usize,
        mut stream: TcpStream,
        script: Vec<Step>,
        close: oneshot::Receiver<Close>,
        shared: Arc<Shared>,
    ) {
        let report = |event| shared.report(connection, event);
        let mut buffered = Vec::new();
        for step in script {
            let Some(request) = read_request(&mut stream, &mut buffered, connection).await else {
                return report(Event::ClientClosed);
            };
            shared.requests.lock().unwrap().push(request);
            match step {
                Step::Answer => {
                    if stream
                        .write_all(&response(connection, false))
                        .await
                        .is_err()
                    {
                        return;
                    }
                }
                Step::AnswerAndClose | Step::AnswerThenClose => {
                    let close = matches!(step, Step::AnswerAndClose);
                    let _ = stream.write_all(&response(connection, close)).await;
                    let _ = stream.shutdown().await;
                    return report(Event::ServerClosed);
                }
                Step::CloseUnanswered => {
                    let _ = stream.shutdown().await;
                    return report(Event::ServerClosed);
                }
            }
        }
        // Idle until told to close, unless the client acts first.
        let mut chunk = [0u8; 4096];
        tokio::select! {
            how = close => match how {
                Ok(Close::Fin) => {
                    let _ = stream.shutdown().await;
                    report(Event::ServerClosed);
                }
                Ok(Close::Reset) => {
                    let _ = stream.set_zero_linger();
                    drop(stream);
                    return report(Event::ServerClosed);
                }
                Err(_) => return,
            },
            read = stream.read(&mut chunk) => {
                return report(match read {
                    Ok(0) | Err(_) => Event::ClientClosed,
                    Ok(_) => Event::Unexpected,
                });
            }
        }
        // Half-closed: whatever the client writes now was written onto a
        // connection the server had already closed.
        report(match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => Event::ClientClosed,
            Ok(_) => Event::Unexpected,
        });
    }
}
