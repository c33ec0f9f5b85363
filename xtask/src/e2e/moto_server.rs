//! A `moto_server` process on 127.0.0.1, owned by a guard: dropping it
//! (after the run, on an error, on a panic) kills the process, and
//! `on_signal` kills it on Ctrl-C or a termination signal.

use super::on_signal;
use std::fs::File;
use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// moto imports a few hundred modules before it listens: about 2 s here,
/// more on a loaded machine.
const STARTUP_LIMIT: Duration = Duration::from_secs(60);

pub struct MotoServer {
    child: Child,
    /// `http://127.0.0.1:PORT`
    pub url: String,
    /// moto's stdout and stderr (it logs every request there).
    pub log: PathBuf,
}

impl MotoServer {
    /// Starts `program` on a free port and waits until it answers.
    pub fn start(program: &Path, log: &Path) -> Result<MotoServer, String> {
        let port = free_port()?;
        // A file, not a pipe: nobody reads moto's output while it runs, and
        // a full pipe would stall it.
        let out = File::create(log).map_err(|e| format!("cannot create {}: {e}", log.display()))?;
        let err = out
            .try_clone()
            .map_err(|e| format!("cannot share {}: {e}", log.display()))?;
        let mut cmd = Command::new(program);
        cmd.args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err);
        println!("$ {}", super::shown(&cmd));
        let child = cmd
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", program.display()))?;
        on_signal::kill_on_signal(child.id());
        let mut server = MotoServer {
            child,
            url: format!("http://127.0.0.1:{port}"),
            log: log.to_path_buf(),
        };
        server.wait_until_it_answers(port)?;
        Ok(server)
    }

    /// Polls moto's own API until it answers 200; fails early if the
    /// process exits (a port taken in the meantime, a broken install).
    fn wait_until_it_answers(&mut self, port: u16) -> Result<(), String> {
        let started = Instant::now();
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!(
                    "moto_server exited ({status}) before answering on port {port}; its output:\n{}",
                    self.log_tail()
                ));
            }
            if answers(port) {
                println!(
                    "moto_server answers at {} after {:.1} s (its log: {})",
                    self.url,
                    started.elapsed().as_secs_f64(),
                    self.log.display()
                );
                return Ok(());
            }
            if started.elapsed() > STARTUP_LIMIT {
                return Err(format!(
                    "moto_server did not answer at {} within {} s; its output:\n{}",
                    self.url,
                    STARTUP_LIMIT.as_secs(),
                    self.log_tail()
                ));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The last lines moto wrote.
    fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(30)..].join("\n")
    }
}

impl Drop for MotoServer {
    fn drop(&mut self) {
        on_signal::forget();
        // SIGKILL: moto keeps nothing worth flushing, and the run must not
        // wait on it.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port nothing listens on now: bound on port 0, then released for moto
/// to take. Another process could take it in between; moto then exits at
/// once, and the error shows its output.
fn free_port() -> Result<u16, String> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .map_err(|e| format!("cannot find a free port on 127.0.0.1: {e}"))?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| format!("cannot read the free port: {e}"))
}

/// Whether moto answers `GET /moto-api/` with 200 (a page only moto
/// serves, so another program on the port does not pass for it).
fn answers(port: u16) -> bool {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let Ok(mut stream) = TcpStream::connect_timeout(&addr, Duration::from_secs(1)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let request =
        format!("GET /moto-api/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut head = [0u8; 16];
    let mut read = 0;
    while read < head.len() {
        match stream.read(&mut head[read..]) {
            Ok(0) | Err(_) => break,
            Ok(n) => read += n,
        }
    }
    let status = String::from_utf8_lossy(&head[..read]);
    status.starts_with("HTTP/1.1 200") || status.starts_with("HTTP/1.0 200")
}
