//! Noticing that the server closed a pooled connection before the next
//! request is written on it.
//!
//! hyper looks for an end of stream on an idle connection each time the
//! connection's task runs, before it takes the next request from the
//! pool's channel. When it finds one, it hands the request back unsent
//! (`is_canceled`), and hyper-util sends it again on a new connection
//! (`retry_canceled_requests`, on by default, and only for a connection
//! that was reused: a fresh one failing is an error). That happens inside
//! [`HttpClient::send`](super::HttpClient::send), so the orchestrator never
//! sees it: no attempt, no retry quota. The request is handed back whole,
//! so any body qualifies, a stream included: hyper had not polled it.
//!
//! The gap is in what hyper can see. It reads through tokio, and tokio
//! tries a socket only after its reactor has reported it readable; a FIN
//! that arrived since the reactor last looked reads as "nothing yet". hyper
//! then writes the request onto the closed connection, and fails with
//! "connection closed before message completed"
//! (`is_incomplete_message`) or a reset. That cannot be told apart from a
//! server that read the request and died, so it may only be retried as a
//! counted attempt, which the orchestrator does.
//!
//! So when an idle connection's read would wait, [`CheckedStream`] asks the
//! socket itself, with one non-blocking read (urllib3, under botocore,
//! polls a pooled socket the same way before reusing it). Idle means: no
//! request bytes written since the last bytes came in, and the previous
//! read already found nothing; so nothing is asked while a response is
//! awaited, nor on the first wait after one, hyper settling into idle. The
//! cost: hyper 1.x also wakes an idle connection twice while the caller
//! consumes the response, before the next request's wake-up, the one that
//! matters; nothing at this level tells them apart. That is three reads
//! that find nothing per reused request, about 0.3 µs each (a loopback
//! socket, measured as 260-280 ns a read).
//!
//! What remains is a close that crosses the request on the wire (within
//! half a round trip of it): the request may have reached the server, and
//! the counted retry applies, as in botocore and the Rust SDK.
//!
//! An HTTP/2 connection goes through the same check, and it is harmless
//! there: the check is a read, and whatever it finds (frames, the end of
//! the stream, a reset) reaches hyper as a read through tokio would have.
//! HTTP/2 reads all the time, so "idle" is less telling there: while every
//! open stream waits for the server, nothing is written, and each wake-up
//! of the connection costs one read that finds nothing. Below TLS, the
//! check reads TLS records, never plain text.

use hyper::rt::ReadBufCursor;
use hyper_util::client::legacy::connect::{Connected, Connection};
use hyper_util::rt::TokioIo;
use socket2::SockRef;
use std::io::{self, Read};
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::net::TcpStream;

/// The most an idle check reads: enough for what a server sends before it
/// closes (a TLS close_notify, a short 408); more is read as usual.
const PROBE_BYTES: usize = 512;

/// A TCP connection that checks the socket itself when an idle read would
/// wait.
pub(super) struct CheckedStream {
    io: TokioIo<TcpStream>,
    /// Request bytes went out since the last bytes came in.
    awaiting_response: bool,
    /// The last read found nothing (and no request was written since).
    idle: bool,
}

impl CheckedStream {
    pub(super) fn new(io: TokioIo<TcpStream>) -> Self {
        CheckedStream {
            io,
            awaiting_response: false,
            idle: false,
        }
    }
}

impl Connection for CheckedStream {
    fn connected(&self) -> Connected {
        self.io.connected()
    }
}

impl hyper::rt::Read for CheckedStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        mut buf: ReadBufCursor<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.idle && !this.awaiting_response {
            if let Some(read) = probe(this.io.inner(), &mut buf) {
                this.idle = false;
                return Poll::Ready(read);
            }
        }
        match Pin::new(&mut this.io).poll_read(cx, buf) {
            Poll::Pending => {
                this.idle = !this.awaiting_response;
                Poll::Pending
            }
            ready => {
                this.awaiting_response = false;
                this.idle = false;
                ready
            }
        }
    }
}

impl hyper::rt::Write for CheckedStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let written = Pin::new(&mut this.io).poll_write(cx, buf);
        if let Poll::Ready(Ok(1..)) = written {
            this.awaiting_response = true;
            this.idle = false;
        }
        written
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_shutdown(cx)
    }
}

/// One non-blocking read of the socket, whatever tokio last heard of it:
/// `None` when there is nothing to read yet (tokio then waits as usual),
/// an empty read at the end of the stream, the error of a reset.
///
/// Reading past tokio loses no wake-up: tokio forgets a socket's readiness
/// only when its own read finds nothing, and every byte that arrives after
/// that is reported again.
fn probe(socket: &TcpStream, buf: &mut ReadBufCursor<'_>) -> Option<io::Result<()>> {
    let want = buf.remaining().min(PROBE_BYTES);
    if want == 0 {
        // A read into no room would look like the end of the stream.
        return None;
    }
    let mut bytes = [0u8; PROBE_BYTES];
    let socket = SockRef::from(socket);
    match (&*socket).read(&mut bytes[..want]) {
        Ok(n) => {
            buf.put_slice(&bytes[..n]);
            Some(Ok(()))
        }
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::WouldBlock | io::ErrorKind::Interrupted
            ) =>
        {
            None
        }
        Err(e) => Some(Err(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hyper::rt::{Read as _, Write as _};
    use std::future::poll_fn;

    /// A client connection and the server's end of it, a blocking std
    /// socket, so that the server acts without giving tokio's reactor a
    /// turn.
    async fn pair() -> (CheckedStream, std::net::TcpStream) {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let client = TcpStream::connect(listener.local_addr().unwrap())
            .await
            .unwrap();
        let (server, _) = listener.accept().unwrap();
        (CheckedStream::new(TokioIo::new(client)), server)
    }

    /// Polls one read, once, without yielding (the reactor does not run).
    async fn read_once(stream: &mut CheckedStream) -> Poll<io::Result<Vec<u8>>> {
        poll_fn(|cx| {
            let mut bytes = [0u8; 64];
            let mut buf = hyper::rt::ReadBuf::new(&mut bytes);
            let read = Pin::new(&mut *stream).poll_read(cx, buf.unfilled());
            Poll::Ready(read.map(|r| r.map(|()| buf.filled().to_vec())))
        })
        .await
    }

    async fn write_once(stream: &mut CheckedStream, bytes: &[u8]) {
        let written = poll_fn(|cx| Poll::Ready(Pin::new(&mut *stream).poll_write(cx, bytes))).await;
        assert!(matches!(written, Poll::Ready(Ok(n)) if n == bytes.len()));
    }

    // The server's writes below are loopback writes: in the client's
    // socket before `write`/`drop` return.

    #[tokio::test]
    async fn an_idle_close_the_reactor_has_not_seen_is_the_end_of_the_stream() {
        let (mut client, server) = pair().await;
        assert!(read_once(&mut client).await.is_pending());
        drop(server);
        match read_once(&mut client).await {
            Poll::Ready(Ok(bytes)) => assert!(bytes.is_empty(), "{bytes:?}"),
            other => panic!("the close went unseen: {other:?}"),
        }
    }

    #[tokio::test]
    async fn bytes_on_an_idle_connection_are_read() {
        let (mut client, mut server) = pair().await;
        assert!(read_once(&mut client).await.is_pending());
        io::Write::write_all(&mut server, b"HTTP/1.1 408").unwrap();
        match read_once(&mut client).await {
            Poll::Ready(Ok(bytes)) => assert_eq!(bytes, b"HTTP/1.1 408"),
            other => panic!("{other:?}"),
        }
    }

    #[tokio::test]
    async fn a_reset_idle_connection_is_an_error() {
        let (mut client, server) = pair().await;
        assert!(read_once(&mut client).await.is_pending());
        socket2::SockRef::from(&server)
            .set_linger(Some(std::time::Duration::ZERO))
            .unwrap();
        drop(server);
        match read_once(&mut client).await {
            Poll::Ready(Err(e)) => assert_eq!(e.kind(), io::ErrorKind::ConnectionReset),
            other => panic!("{other:?}"),
        }
    }

    #[tokio::test]
    async fn the_first_wait_after_a_response_is_not_checked() {
        // The first wait after bytes came in is hyper settling into idle:
        // the socket is not asked.
        let (mut client, mut server) = pair().await;
        io::Write::write_all(&mut server, b"response").unwrap();
        // The reactor has not seen these bytes yet: tokio waits.
        assert!(read_once(&mut client).await.is_pending());
        // Now idle: the socket is asked, and the bytes are there.
        assert_eq!(
            read_once(&mut client).await.map(Result::unwrap),
            Poll::Ready(b"response".to_vec())
        );
    }

    #[tokio::test]
    async fn a_connection_awaiting_a_response_is_left_to_tokio() {
        let (mut client, mut server) = pair().await;
        let request = b"GET / HTTP/1.1\r\n\r\n";
        write_once(&mut client, request).await;
        assert!(read_once(&mut client).await.is_pending());
        // Read before closing, or the close would be a reset.
        let mut received = [0u8; 64];
        let n = io::Read::read(&mut server, &mut received).unwrap();
        assert_eq!(&received[..n], request);
        drop(server);
        // The close reaches the caller when the reactor reports it, as
        // the end of a response would: no system call while waiting.
        assert!(read_once(&mut client).await.is_pending());
        tokio::task::yield_now().await;
        let seen = tokio::time::timeout(std::time::Duration::from_secs(20), async {
            loop {
                if let Poll::Ready(read) = read_once(&mut client).await {
                    return read;
                }
                tokio::task::yield_now().await;
            }
        })
        .await
        .expect("the reactor reports the close");
        assert!(seen.unwrap().is_empty());
    }
}
