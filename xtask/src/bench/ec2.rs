//! `cargo xtask bench --ec2`: a program that calls DescribeInstances with
//! only that operation compiled (`bench/ours-ec2`) against the official
//! aws-sdk-ec2 (`bench/official-ec2`), for what hurts EC2's users most:
//! the build.
//!
//! - cold release build: wall time from an empty target directory, and
//!   the peak memory of the largest compiler process (`getrusage` of the
//!   build's children, read by a child of our own per build, so that no
//!   earlier build counts);
//! - rebuild of the service crate alone (`cargo clean -p` of `sdkgen-ec2` or
//!   `aws-sdk-ec2`, then a build): what an update of the model, or of the
//!   SDK, costs a user whose dependencies are built;
//! - the stripped binary;
//! - both programs call DescribeInstances on a loopback server that
//!   answers one reservation, and must print its instance ids: neither
//!   figure is of a program that does not work.
//!
//! Each program is built in a target directory of its own, in turn, so
//! one build never competes with the other for the machine's two cores.

use super::environment::AwsEnvironment;
use super::{median, stripped_size};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const OURS: &str = "ours-ec2";
const OFFICIAL: &str = "official-ec2";
const TARGETS: &[(&str, &str)] = &[(OURS, "sdkgen-ec2"), (OFFICIAL, "aws-sdk-ec2")];

/// What the loopback server answers every request with, and the ids the
/// programs must print from it.
const ANSWER: &str =
    "<DescribeInstancesResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">\
<requestId>r-1</requestId><reservationSet><item><reservationId>r-0a</reservationId>\
<ownerId>123456789012</ownerId><instancesSet>\
<item><instanceId>i-0123456789abcdef0</instanceId><instanceType>t3.micro</instanceType></item>\
<item><instanceId>i-0fedcba9876543210</instanceId><instanceType>t3.small</instanceType></item>\
</instancesSet></item></reservationSet></DescribeInstancesResponse>";
const IDS: &str = "[\"i-0123456789abcdef0\",\"i-0fedcba9876543210\"]";

struct Figures {
    cold_seconds: f64,
    crates: usize,
    peak_kb: u64,
    rebuild_seconds: f64,
    stripped: u64,
}

pub fn run(root: &Path) -> Result<(), String> {
    let bench = root.join("bench");
    let manifest = bench.join("Cargo.toml");
    let env = AwsEnvironment::write(&bench.join("target/bench-aws"))?;
    let url = serve_describe_instances()?;
    let mut figures = Vec::new();
    for (program, service_crate) in TARGETS {
        println!("{program}: cold release build ...");
        let target = std::env::temp_dir().join(format!("bench-ec2-{program}"));
        let _ = std::fs::remove_dir_all(&target);
        let (cold_seconds, crates, peak_kb) = timed_build(&manifest, program, &target)?;
        let bin = target.join("release").join(program);
        check(&bin, &url, &env)?;
        let stripped = stripped_size(&bin)?;
        println!("{program}: rebuilding {service_crate} three times ...");
        let mut rebuilds = Vec::new();
        for _ in 0..3 {
            clean(&manifest, service_crate, &target)?;
            rebuilds.push(timed_build(&manifest, program, &target)?.0);
        }
        let _ = std::fs::remove_dir_all(&target);
        figures.push(Figures {
            cold_seconds,
            crates,
            peak_kb,
            rebuild_seconds: median(rebuilds),
            stripped,
        });
    }
    println!("\n{}", render(&figures[0], &figures[1]));
    Ok(())
}

/// A release build of `program` into `target`: wall seconds, crates
/// compiled, and the peak resident memory of its largest process in KiB.
fn timed_build(manifest: &Path, program: &str, target: &Path) -> Result<(f64, usize, u64), String> {
    let xtask = std::env::current_exe().map_err(|e| e.to_string())?;
    let started = Instant::now();
    let out = Command::new(xtask)
        .args(["peak-rss", "cargo", "build", "--release", "-p", program])
        .arg("--manifest-path")
        .arg(manifest)
        .arg("--target-dir")
        .arg(target)
        .env("CARGO_INCREMENTAL", "0")
        .output()
        .map_err(|e| e.to_string())?;
    let seconds = started.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        return Err(format!("the build of {program} failed:\n{stderr}"));
    }
    let crates = stderr
        .lines()
        .filter(|l| l.trim_start().starts_with("Compiling "))
        .count();
    let peak_kb = String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("peak_rss_kb "))
        .and_then(|n| n.trim().parse().ok())
        .ok_or("peak-rss printed no peak")?;
    Ok((seconds, crates, peak_kb))
}

fn clean(manifest: &Path, service_crate: &str, target: &Path) -> Result<(), String> {
    let status = Command::new("cargo")
        .args(["clean", "--release", "--quiet", "-p", service_crate])
        .arg("--manifest-path")
        .arg(manifest)
        .arg("--target-dir")
        .arg(target)
        .status()
        .map_err(|e| e.to_string())?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("cargo clean -p {service_crate} failed"))
    }
}

/// `cargo xtask peak-rss COMMAND...`: runs the command, then prints the
/// peak resident memory of the largest process it waited for (itself or
/// a descendant: rustc, under cargo) as `peak_rss_kb N`. A process of its
/// own, so that only this command's children count.
pub fn peak_rss(command: &[String]) -> Result<(), String> {
    let (program, args) = command.split_first().ok_or("peak-rss needs a command")?;
    let status = Command::new(program)
        .args(args)
        .status()
        .map_err(|e| format!("{program}: {e}"))?;
    // SAFETY: getrusage writes the struct it is given, which is zeroed
    // and of the right type.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage);
        usage
    };
    // Linux gives ru_maxrss in KiB.
    println!("peak_rss_kb {}", usage.ru_maxrss);
    if status.success() {
        Ok(())
    } else {
        Err(format!("{program} failed: {status}"))
    }
}

/// A loopback server that answers every request with [`ANSWER`], on a
/// thread for the rest of the run.
fn serve_describe_instances() -> Result<String, String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    let url = format!(
        "http://{}",
        listener.local_addr().map_err(|e| e.to_string())?
    );
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream);
            let mut length = 0usize;
            let mut line = String::new();
            // Headers, then the form body, read whole before answering.
            while reader.read_line(&mut line).map(|n| n > 0).unwrap_or(false) {
                if line == "\r\n" {
                    break;
                }
                if let Some((name, value)) = line.split_once(':') {
                    if name.eq_ignore_ascii_case("content-length") {
                        length = value.trim().parse().unwrap_or(0);
                    }
                }
                line.clear();
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            let mut stream = reader.into_inner();
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\ncontent-type: text/xml\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{ANSWER}",
                ANSWER.len()
            );
        }
    });
    Ok(url)
}

fn check(bin: &PathBuf, url: &str, env: &AwsEnvironment) -> Result<(), String> {
    let mut cmd = Command::new(bin);
    env.apply(&mut cmd).arg(url);
    let out = cmd
        .output()
        .map_err(|e| format!("{}: {e}", bin.display()))?;
    let printed = String::from_utf8_lossy(&out.stdout);
    if out.status.success() && printed.trim() == IDS {
        Ok(())
    } else {
        Err(format!(
            "{} printed {printed:?}, not {IDS}: {}",
            bin.display(),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

fn render(ours: &Figures, official: &Figures) -> String {
    let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { f64::NAN };
    let mut out = String::from(
        "| DescribeInstances only | ours (`ec2`, one feature) | official (`aws-sdk-ec2`) | ratio | target |\n\
         | --- | --- | --- | --- | --- |\n",
    );
    let rows = [
        (
            "cold release build (s)",
            ours.cold_seconds,
            official.cold_seconds,
            Some(0.1),
        ),
        (
            "peak compiler memory (MiB)",
            ours.peak_kb as f64 / 1024.0,
            official.peak_kb as f64 / 1024.0,
            Some(0.1),
        ),
        (
            "rebuild of the service crate (s, median of 3)",
            ours.rebuild_seconds,
            official.rebuild_seconds,
            Some(0.1),
        ),
        (
            "stripped binary (KiB)",
            ours.stripped as f64 / 1024.0,
            official.stripped as f64 / 1024.0,
            None,
        ),
    ];
    for (name, a, b, target) in rows {
        let r = ratio(a, b);
        let target = match target {
            Some(t) if r <= t => format!("<= {t}x: met"),
            Some(t) => format!("<= {t}x: missed"),
            None => "-".to_string(),
        };
        out.push_str(&format!(
            "| {name} | {a:.1} | {b:.1} | {r:.3}x | {target} |\n"
        ));
    }
    out.push_str(&format!(
        "| crates compiled (cold) | {} | {} | | |\n",
        ours.crates, official.crates
    ));
    out
}
