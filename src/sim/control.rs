//! The HTTP control surface under `/_sim/`, so a simulator running in another
//! process can be scripted and inspected by tests and benchmark scripts.

use std::sync::Arc;
use std::time::SystemTime;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::Response;
use axum::routing::{get, post};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use super::device;
use super::scripted::{Endpoint, Scripted};
use super::state::{DeviceStatus, Shared};
use super::wire;

type Sim = State<Arc<Shared>>;

fn reply(status: u16, body: &Value) -> Response<Body> {
    wire::raw(status, wire::JSON, body.to_string())
}

/// Parses a JSON body whatever its content type says.
fn parse<T: DeserializeOwned>(body: &Bytes) -> Result<T, Box<Response<Body>>> {
    serde_json::from_slice(body).map_err(|e| Box::new(reply(400, &json!({ "error": e.to_string() }))))
}

fn unix(at: SystemTime) -> f64 {
    at.duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

#[derive(Deserialize)]
struct ScriptRequest {
    endpoint: Endpoint,
    failure: Scripted,
    #[serde(default = "one")]
    count: usize,
}

fn one() -> usize {
    1
}

#[derive(Deserialize)]
struct DeviceRequest {
    user_code: String,
    #[serde(default)]
    username: Option<String>,
}

async fn script(State(shared): Sim, body: Bytes) -> Response<Body> {
    let request: ScriptRequest = match parse(&body) {
        Ok(r) => r,
        Err(response) => return *response,
    };
    for _ in 0..request.count {
        shared.script(request.endpoint, request.failure.clone());
    }
    reply(200, &json!({ "queued": request.count }))
}

async fn requests(State(shared): Sim) -> Response<Body> {
    let body = serde_json::to_value(shared.requests()).unwrap_or_default();
    reply(200, &body)
}

async fn clear_requests(State(shared): Sim) -> Response<Body> {
    shared.clear_requests();
    reply(200, &json!({ "cleared": true }))
}

async fn approve(State(shared): Sim, body: Bytes) -> Response<Body> {
    let request: DeviceRequest = match parse(&body) {
        Ok(r) => r,
        Err(response) => return *response,
    };
    let Some(username) = request.username else {
        return reply(400, &json!({ "error": "username is required" }));
    };
    let done = device::approve(&shared, &request.user_code, &username);
    reply(if done { 200 } else { 404 }, &json!({ "approved": done }))
}

async fn decline(State(shared): Sim, body: Bytes) -> Response<Body> {
    let request: DeviceRequest = match parse(&body) {
        Ok(r) => r,
        Err(response) => return *response,
    };
    let done = device::decline(&shared, &request.user_code);
    reply(if done { 200 } else { 404 }, &json!({ "declined": done }))
}

async fn expire(State(shared): Sim, body: Bytes) -> Response<Body> {
    let request: DeviceRequest = match parse(&body) {
        Ok(r) => r,
        Err(response) => return *response,
    };
    let done = device::expire(&shared, &request.user_code);
    reply(if done { 200 } else { 404 }, &json!({ "expired": done }))
}

async fn device_codes(State(shared): Sim) -> Response<Body> {
    let codes: Vec<Value> = shared
        .lock()
        .devices
        .iter()
        .map(|d| {
            let status = match &d.status {
                DeviceStatus::Pending => "pending",
                DeviceStatus::Approved(_) => "approved",
                DeviceStatus::Declined => "declined",
                DeviceStatus::Redeemed => "redeemed",
            };
            json!({
                "user_code": d.user_code,
                "status": status,
                "polls": d.polls.iter().copied().map(unix).collect::<Vec<_>>(),
            })
        })
        .collect();
    reply(200, &Value::Array(codes))
}

async fn revoke(State(shared): Sim) -> Response<Body> {
    let revoked = shared.revoke_refresh_tokens();
    reply(200, &json!({ "revoked": revoked }))
}

async fn tokens(State(shared): Sim) -> Response<Body> {
    reply(
        200,
        &json!({
            "token_requests": shared.token_requests(),
            "issued_refresh_tokens": shared.issued_refresh_tokens(),
            "last_access_token": shared.last_access_token(),
        }),
    )
}

async fn health() -> Response<Body> {
    reply(200, &json!({ "status": "ok" }))
}

/// The `/_sim/` routes.
pub fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/_sim/health", get(health))
        .route("/_sim/script", post(script))
        .route("/_sim/requests", get(requests).delete(clear_requests))
        .route("/_sim/device/approve", post(approve))
        .route("/_sim/device/decline", post(decline))
        .route("/_sim/device/expire", post(expire))
        .route("/_sim/device/codes", get(device_codes))
        .route("/_sim/revoke", post(revoke))
        .route("/_sim/tokens", get(tokens))
}
