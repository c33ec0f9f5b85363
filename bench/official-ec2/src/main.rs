//! `official-ec2 URL`: DescribeInstances at URL with the official SDK;
//! prints the instance ids as a JSON array, as `ours-ec2` does.

use aws_config::BehaviorVersion;
use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(url) = std::env::args().nth(1) else {
        eprintln!("usage: official-ec2 URL");
        return ExitCode::from(2);
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let config = aws_config::defaults(BehaviorVersion::latest())
            .endpoint_url(url)
            .load()
            .await;
        let client = aws_sdk_ec2::Client::new(&config);
        match client.describe_instances().send().await {
            Ok(output) => {
                let ids: Vec<String> = output
                    .reservations()
                    .iter()
                    .flat_map(|r| r.instances())
                    .filter_map(|i| i.instance_id())
                    .map(|id| format!("\"{id}\""))
                    .collect();
                println!("[{}]", ids.join(","));
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("DescribeInstances failed: {e:?}");
                ExitCode::FAILURE
            }
        }
    })
}
