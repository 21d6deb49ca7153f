//! Runs the simulator standalone: `cargo run --example sim [config.json]`.

use std::net::SocketAddr;

use lcsauth::sim::{SimConfig, demo_config, run_standalone};

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let config = match std::env::args().nth(1) {
        Some(path) => SimConfig::from_json(&std::fs::read_to_string(path)?)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?,
        None => demo_config(),
    };
    run_standalone(SocketAddr::from(([127, 0, 0, 1], 0)), config).await
}
