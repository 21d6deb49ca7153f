//! The HTTP server: routes for Entra's v2 endpoints and metadata, the LCS
//! endpoint and the control surface, request recording and graceful shutdown.

use std::sync::Arc;

use axum::Router;
use axum::middleware::from_fn_with_state;
use axum::routing::{get, post};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use super::state::Shared;
use super::{authorize, control, dbmovement, device, discovery, lcs, record, token};

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
        .route(
            "/databasemovement/v1/databases/project/{project}",
            get(dbmovement::list_backups),
        )
        .route(
            "/databasemovement/v1/refresh/project/{project}/source/{source}/target/{target}",
            post(dbmovement::refresh),
        )
        .route(
            "/databasemovement/v1/export/project/{project}/environment/{environment}/backupName/{name}",
            post(dbmovement::export),
        )
        .route(
            "/databasemovement/v1/fetchstatus/project/{project}/environment/{environment}/operationactivity/{activity}",
            get(dbmovement::fetchstatus),
        )
        .route(
            "/environmentmanagement/environments/{target}/copy",
            post(dbmovement::pp_copy),
        )
        .route("/environmentmanagement/operations/{id}", get(dbmovement::pp_operation))
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
