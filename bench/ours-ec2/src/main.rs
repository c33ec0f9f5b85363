//! `ours-ec2 URL`: DescribeInstances at URL with our generated client;
//! prints the instance ids as a JSON array, as `official-ec2` does.

use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(url) = std::env::args().nth(1) else {
        eprintln!("usage: ours-ec2 URL");
        return ExitCode::from(2);
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let config = ec2::from_env()
            .expect("configuration from the environment")
            .endpoint_url(url);
        let client = ec2::Client::new(config.build());
        match client.describe_instances().send().await {
            Ok(output) => {
                let ids: Vec<String> = output
                    .reservations
                    .unwrap_or_default()
                    .into_iter()
                    .flat_map(|r| r.instances.unwrap_or_default())
                    .filter_map(|i| i.instance_id)
                    .map(|id| format!("\"{id}\""))
                    .collect();
                println!("[{}]", ids.join(","));
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("DescribeInstances failed: {e}");
                ExitCode::FAILURE
            }
        }
    })
}
