//! The HTTP server: routes for Entra's v2 endpoints and metadata, the LCS
//! endpoint and the control surface, request recording, graceful shutdown, and the standalone
//! entry point.

use std::io::Write as _;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::middleware::from_fn_with_state;
use axum::routing::{get, post};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use super::config::SimConfig;
use super::state::Shared;
use super::{Simulator, authorize, control, device, discovery, lcs, record, token};

/// Every route the simulator answers, with recording around them.
pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/{tenant}/oauth2/v2.0/token", post(token::token))
        .route("/{tenant}/oauth2/v2.0/devicecode", post(device::devicecode))
        .route("/{tenant}/oauth2/v2.0/authorize", get(authorize::authorize))
        .route("/{tenant}/oauth2/v2.0/logout", get(discovery::logout))
        .route(
            "/{tenant}/v2.0/.well-known/openid-configuration",
            get(discovery::openid),
        )
        .route("/{tenant}/discovery/v2.0/keys", get(discovery::keys_v2))
        .route("/{tenant}/discovery/{what}", get(discovery::discovery_v1))
        .route("/{tenant}/userrealm/{upn}", get(discovery::userrealm))
        .route(
            "/environmentinfo/v1/detail/project/{project}",
            get(lcs::environment_detail),
        )
        .route(
            "/environmentinfo/v1/detail/project/{project}/",
            get(lcs::environment_detail),
        )
        .merge(control::routes())
        .layer(from_fn_with_state(shared.clone(), record::record))
        .with_state(shared)
}

/// Serves on `listener` until shutdown is requested on `shared`.
pub fn spawn(listener: TcpListener, shared: Arc<Shared>) -> JoinHandle<()> {
    let app = router(shared.clone());
    tokio::spawn(async move {
        let served = axum::serve(listener, app)
            .with_graceful_shutdown(async move { shared.shutdown_requested().await })
            .await;
        if let Err(err) = served {
            tracing::warn!(%err, "simulator stopped with an error");
        }
    })
}

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
