//! Runs scenarios one after another and prints a line for each and the
//! summary.

use crate::scenario::{Emulator, Scenario};
use std::time::{Duration, Instant};

/// Longer than any scenario needs against a local emulator (a call that
/// hangs is retried and times out well within it), short enough that a
/// hang does not stall CI.
const LIMIT: Duration = Duration::from_secs(60);

/// Whether every scenario passed; `Err` when the async runtime cannot start.
pub fn run(scenarios: &[&Scenario], emulator: Emulator) -> Result<bool, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    let plural = if scenarios.len() == 1 { "" } else { "s" };
    println!(
        "e2e: {} scenario{plural} against {}",
        scenarios.len(),
        emulator.url
    );
    let mut failed = Vec::new();
    for scenario in scenarios {
        let started = Instant::now();
        let body = (scenario.run)(emulator.clone());
        let task = runtime.spawn(async move { tokio::time::timeout(LIMIT, body).await });
        let outcome = match runtime.block_on(task) {
            Ok(Ok(outcome)) => outcome,
            Ok(Err(_)) => Err(format!("no result within {} s", LIMIT.as_secs())),
            Err(e) if e.is_panic() => Err("panicked (the message is above)".into()),
            Err(e) => Err(format!("did not finish: {e}")),
        };
        let ms = started.elapsed().as_millis();
        match outcome {
            Ok(()) => println!("ok     {} ({ms} ms)", scenario.name),
            Err(why) => {
                println!("FAILED {} ({ms} ms): {why}", scenario.name);
                failed.push(scenario.name);
            }
        }
    }
    let passed = scenarios.len() - failed.len();
    if !failed.is_empty() {
        println!("\nfailed:");
        failed.iter().for_each(|name| println!("    {name}"));
    }
    println!("e2e: {passed} passed, {} failed", failed.len());
    Ok(failed.is_empty())
}
