//! The simulator as a process of its own (`lcsauth sim`, benchmarks): it prints where it
//! listens and serves until Ctrl-C or SIGTERM.

use std::io::Write as _;
use std::net::SocketAddr;

use super::config::SimConfig;
use super::simulator::Simulator;

/// Resolves on Ctrl-C, or on SIGTERM where there is one.
async fn termination() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

/// Runs a simulator until Ctrl-C or SIGTERM, after printing
/// `lcsauth-sim listening on http://127.0.0.1:PORT` to stdout.
pub async fn run_standalone(addr: SocketAddr, config: SimConfig) -> std::io::Result<()> {
    serve_until_terminated(Simulator::start_on(addr, config).await?).await
}

/// [`run_standalone`] on the TLS listener (`https://127.0.0.1:PORT`).
pub async fn run_standalone_tls(config: SimConfig) -> std::io::Result<()> {
    serve_until_terminated(Simulator::start_tls(config).await?).await
}

async fn serve_until_terminated(sim: Simulator) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "lcsauth-sim listening on {}", sim.base_url())?;
    out.flush()?;
    drop(out);
    termination().await;
    sim.shutdown().await;
    Ok(())
}
