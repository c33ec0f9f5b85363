//! The load: `concurrency` workers on one client, each calling
//! GetProxySession in a loop until the deadline. Every call runs on a task
//! of its own, so that a panic ends that call (the panic hook counts it)
//! and not the worker; when a call ends, its attempts are taken from the
//! ledger and its error, if any, traced to a fault.

use crate::faults::Ledger;
use crate::imds::Imds;
use crate::stats::Stats;
use crate::trace::{account, observe, trace};
use chime_sdk_voice::operation::get_proxy_session::{GetProxySessionError, GetProxySessionOutput};
use chime_sdk_voice::{Client, SdkError};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

/// What the workers share.
pub struct Load {
    pub client: Client,
    pub ledger: Arc<Ledger>,
    pub imds: Arc<Imds>,
    pub stats: Arc<Stats>,
}

/// Runs until `deadline`; the calls in flight then finish.
pub async fn run(load: Arc<Load>, concurrency: usize, deadline: Instant) {
    let next = Arc::new(AtomicU64::new(0));
    let workers: Vec<_> = (0..concurrency)
        .map(|_| tokio::spawn(worker(load.clone(), next.clone(), deadline)))
        .collect();
    for worker in workers {
        // A worker's own code does not panic; the hook would count it.
        let _ = worker.await;
    }
}

async fn worker(load: Arc<Load>, next: Arc<AtomicU64>, deadline: Instant) {
    while Instant::now() < deadline {
        let call = next.fetch_add(1, Ordering::Relaxed);
        let imds_failed = load.imds.counts().failed;
        let started = Instant::now();
        let result = tokio::spawn(get_proxy_session(load.client.clone(), call)).await;
        let elapsed = started.elapsed();
        let attempts = load.ledger.take(call);
        load.stats.call(elapsed, attempts.len());
        match result {
            Ok(Ok(output)) => {
                if let Err(why) = check(&output).and_then(|()| account(&attempts, true)) {
                    load.stats.mismatch(format!("call {call}: {why}"));
                }
            }
            Ok(Err(error)) => {
                let imds_failed = load.imds.counts().failed > imds_failed;
                match trace(&observe(&error), &attempts, imds_failed) {
                    Ok(cause) => {
                        load.stats.error(cause);
                        if let Err(why) = account(&attempts, false) {
                            load.stats.mismatch(format!("call {call}: {error}: {why}"));
                        }
                    }
                    Err(why) => load.stats.untraced(format!("call {call}: {error}: {why}")),
                }
            }
            // A panic, which the hook has counted and printed.
            Err(_) => {}
        }
    }
}

/// The call, proxy session `soak-<call>` so that the mock files its
/// attempts under the call.
#[allow(deprecated)] // the model deprecates GetProxySession
async fn get_proxy_session(
    client: Client,
    call: u64,
) -> Result<GetProxySessionOutput, SdkError<GetProxySessionError>> {
    client
        .get_proxy_session()
        .voice_connector_id("vc-soak")
        .proxy_session_id(format!("soak-{call}"))
        .send()
        .await
}

/// The mock's answer, read back: a wrong one is a failure too.
fn check(output: &GetProxySessionOutput) -> Result<(), String> {
    let session = output.proxy_session().ok_or("no proxy session")?;
    let participants = session.participants.as_ref().map_or(0, Vec::len);
    if session.name() == Some("support-line") && participants == 2 {
        Ok(())
    } else {
        Err(format!(
            "name {:?} and {participants} participants, not the mock's",
            session.name()
        ))
    }
}
