//! What the S3 programs share, so that only the client differs between
//! them:
//!
//! ```text
//! BIN get --endpoint-url URL once
//! BIN get --endpoint-url URL bench N [--warmup W]
//! BIN put --endpoint-url URL --file PATH once
//! BIN put --endpoint-url URL --file PATH bench N [--warmup W]
//! ```
//!
//! `get` is GetObject of [`KEY`] in [`BUCKET`], the body read as it
//! arrives and dropped; `put` is PutObject of the same key with the file's
//! contents as the body, read from the file as it is sent. `once` prints
//! what one call did as JSON (for `get`, the bytes and whether they were
//! the object's ([`object`]), which only `once` checks), or names the error on stderr and exits 1.
//! `bench` makes W uncounted calls (at least one, which opens the
//! connection), then N one after the other on one client, and prints one
//! JSON line: bytes moved, throughput, and the process's CPU time (user +
//! system, every thread) over the N calls.
//!
//! Over `https` every program trusts the roots that `SSL_CERT_FILE` names
//! (the harness gives it the mock's test CA), as a user's program would.

pub mod object;

use crate::CallError;
use serde_json::json;
use std::future::Future;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

/// The bucket every program names, path-style: the mock answers S3 only
/// for it.
pub const BUCKET: &str = "bench-bucket";

/// The key every program names. Its space must be percent-encoded once in
/// the path, and signed so (S3 does not encode the path a second time).
pub const KEY: &str = "data/bench object.bin";

/// The path of the object on the wire, as the floor sends it.
pub const PATH: &str = "/bench-bucket/data/bench%20object.bin";

/// Bytes read from a GetObject body, and, when asked for, whether they
/// were the object's.
pub struct Sink {
    bytes: u64,
    /// The object's block, to compare with; `None` when not checking.
    block: Option<Vec<u8>>,
    intact: bool,
}

impl Sink {
    /// A sink that counts bytes; with `check`, it also compares them with
    /// the object's (for `once`, never in a measured call).
    pub fn new(check: bool) -> Sink {
        Sink {
            bytes: 0,
            block: check.then(object::block),
            intact: true,
        }
    }

    pub fn take(&mut self, chunk: &[u8]) {
        if let Some(block) = &self.block {
            self.intact &= object::matches(block, self.bytes, chunk);
        }
        self.bytes += chunk.len() as u64;
    }

    pub fn finish(self) -> Got {
        Got {
            bytes: self.bytes,
            intact: self.block.map(|_| self.intact),
        }
    }
}

/// What one GetObject read.
pub struct Got {
    pub bytes: u64,
    /// Whether the bytes were the object's, when checked.
    pub intact: Option<bool>,
}

/// What one PutObject answered.
pub struct Put {
    /// The object's ETag as the service sent it.
    pub e_tag: Option<String>,
    /// The CRC32 the service says it received (`x-amz-checksum-crc32`),
    /// when the client sent one.
    pub checksum_crc32: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Operation {
    Get,
    Put,
}

#[derive(Debug, PartialEq, Eq)]
enum Mode {
    Once,
    Bench { n: usize, warmup: usize },
}

#[derive(Debug, PartialEq, Eq)]
struct Args {
    operation: Operation,
    url: String,
    file: Option<PathBuf>,
    mode: Mode,
}

fn parse(args: &[String]) -> Result<Args, String> {
    let usage = "usage: BIN get --endpoint-url URL once|bench N [--warmup W] | BIN put --endpoint-url URL --file PATH once|bench N [--warmup W]";
    let number = |s: &String| s.parse::<usize>().map_err(|_| format!("not a number: {s}"));
    let (operation, rest) = match args {
        [op, flag, url, rest @ ..] if flag == "--endpoint-url" => match op.as_str() {
            "get" => (Operation::Get, rest),
            "put" => (Operation::Put, rest),
            _ => return Err(usage.into()),
        },
        _ => return Err(usage.into()),
    };
    let url = args[2].clone();
    let (file, rest) = match (operation, rest) {
        (Operation::Put, [flag, path, rest @ ..]) if flag == "--file" => {
            (Some(PathBuf::from(path)), rest)
        }
        (Operation::Put, _) => return Err(usage.into()),
        (Operation::Get, rest) => (None, rest),
    };
    let mode = match rest {
        [m] if m == "once" => Mode::Once,
        [m, n] if m == "bench" => Mode::Bench {
            n: number(n)?,
            warmup: 1,
        },
        [m, n, w, warm] if m == "bench" && w == "--warmup" => Mode::Bench {
            n: number(n)?,
            warmup: number(warm)?,
        },
        _ => return Err(usage.into()),
    };
    Ok(Args {
        operation,
        url,
        file,
        mode,
    })
}

/// Runs the program: `make` builds the client once from the endpoint URL;
/// `get` makes one GetObject call and reads the body into the sink it is
/// given; `put` makes one PutObject call with the file as the body.
pub fn main<C, M, MF, G, GF, P, PF>(make: M, get: G, put: P) -> ExitCode
where
    M: FnOnce(String) -> MF,
    MF: Future<Output = C>,
    G: Fn(Arc<C>, Sink) -> GF,
    GF: Future<Output = Result<Got, CallError>>,
    P: Fn(Arc<C>, PathBuf) -> PF,
    PF: Future<Output = Result<Put, CallError>>,
{
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args = match parse(&args) {
        Ok(parsed) => parsed,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async move {
        let client = Arc::new(make(args.url).await);
        let file = args.file.unwrap_or_default();
        // One call; `digest` only for `once`.
        let call = |digest: bool| {
            let (client, file) = (client.clone(), file.clone());
            let (get, put) = (&get, &put);
            async move {
                match args.operation {
                    Operation::Get => get(client, Sink::new(digest))
                        .await
                        .map(|got| json!({ "bytes": got.bytes, "intact": got.intact })),
                    Operation::Put => put(client, file).await.map(
                        |put| json!({ "e_tag": put.e_tag, "checksum_crc32": put.checksum_crc32 }),
                    ),
                }
            }
        };
        let result = match args.mode {
            Mode::Once => call(true).await,
            Mode::Bench { n, warmup } => bench(&call, args.operation, &file, n, warmup).await,
        };
        match result {
            Ok(json) => {
                println!("{json}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!(
                    "error {}: {}",
                    e.code.as_deref().unwrap_or("(no code)"),
                    e.message
                );
                ExitCode::FAILURE
            }
        }
    })
}

async fn bench<F, Fut>(
    call: &F,
    operation: Operation,
    file: &std::path::Path,
    n: usize,
    warmup: usize,
) -> Result<serde_json::Value, CallError>
where
    F: Fn(bool) -> Fut,
    Fut: Future<Output = Result<serde_json::Value, CallError>>,
{
    // The first uncounted call also tells the bytes of one call: a GET's
    // as read, a PUT's as the file holds.
    let first = call(false).await?;
    let per_call = match operation {
        Operation::Get => first["bytes"].as_u64().unwrap_or(0),
        Operation::Put => std::fs::metadata(file)
            .map_err(|e| CallError {
                code: None,
                message: format!("{}: {e}", file.display()),
            })?
            .len(),
    };
    for _ in 1..warmup {
        call(false).await?;
    }
    let cpu_before = crate::bedrock::process_cpu_seconds();
    let started = Instant::now();
    for _ in 0..n {
        let answer = call(false).await?;
        if operation == Operation::Get && answer["bytes"] != first["bytes"] {
            return Err(CallError {
                code: None,
                message: format!(
                    "a GET read {} bytes, the first {}",
                    answer["bytes"], first["bytes"]
                ),
            });
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    let cpu = crate::bedrock::process_cpu_seconds() - cpu_before;
    let bytes = per_call * n as u64;
    let gib = bytes as f64 / (1u64 << 30) as f64;
    Ok(json!({
        "n": n, "warmup": warmup, "errors": 0,
        "bytes": bytes,
        "elapsed_s": elapsed,
        "mib_per_s": bytes as f64 / (1u64 << 20) as f64 / elapsed,
        "cpu_s": cpu,
        "cpu_s_per_gib": if gib > 0.0 { cpu / gib } else { 0.0 },
        "vmhwm_kb": crate::vmhwm_kb(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split(' ').map(str::to_string).collect()
    }

    #[test]
    fn the_arguments_name_an_operation_and_a_mode() {
        assert_eq!(
            parse(&args("get --endpoint-url https://x bench 3 --warmup 2")).unwrap(),
            Args {
                operation: Operation::Get,
                url: "https://x".into(),
                file: None,
                mode: Mode::Bench { n: 3, warmup: 2 },
            }
        );
        assert_eq!(
            parse(&args("put --endpoint-url http://x --file /tmp/o once")).unwrap(),
            Args {
                operation: Operation::Put,
                url: "http://x".into(),
                file: Some("/tmp/o".into()),
                mode: Mode::Once,
            }
        );
        assert_eq!(
            parse(&args("put --endpoint-url http://x --file f bench 5"))
                .unwrap()
                .mode,
            Mode::Bench { n: 5, warmup: 1 }
        );
        // A PUT needs its file; a GET takes none.
        assert!(parse(&args("put --endpoint-url http://x once")).is_err());
        assert!(parse(&args("get --endpoint-url http://x --file f once")).is_err());
        assert!(parse(&args("head --endpoint-url http://x once")).is_err());
        assert!(parse(&args("get --endpoint-url http://x bench many")).is_err());
        assert!(parse(&args("get once")).is_err());
    }

    #[test]
    fn the_sink_counts_and_checks_only_when_asked() {
        let block = object::block();
        let mut sink = Sink::new(true);
        sink.take(&block[..1000]);
        sink.take(&block[1000..5000]);
        let got = sink.finish();
        assert_eq!((got.bytes, got.intact), (5000, Some(true)));
        // The same bytes, one short at the start: every later byte is off.
        let mut sink = Sink::new(true);
        sink.take(&block[1..5000]);
        assert_eq!(sink.finish().intact, Some(false));
        let mut sink = Sink::new(false);
        sink.take(b"123");
        let got = sink.finish();
        assert_eq!((got.bytes, got.intact), (3, None));
    }
}
