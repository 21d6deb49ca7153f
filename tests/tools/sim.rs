//! Runs the simulator standalone: `cargo run --example sim [--tls] [config.json]`.
//! With `--tls` it answers on `https://` with its loopback certificate; the CA to trust is
//! printed to stderr.

use std::net::SocketAddr;

use lcsauth::sim::{SimConfig, TLS_CA_PEM, demo_config, run_standalone, run_standalone_tls};

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let tls = args.iter().position(|a| a == "--tls").map(|i| args.remove(i)).is_some();
    let config = match args.first() {
        Some(path) => SimConfig::from_json(&std::fs::read_to_string(path)?)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?,
        None => demo_config(),
    };
    if tls {
        eprint!("{TLS_CA_PEM}");
        run_standalone_tls(config).await
    } else {
        run_standalone(SocketAddr::from(([127, 0, 0, 1], 0)), config).await
    }
}
