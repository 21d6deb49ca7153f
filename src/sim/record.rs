//! Request recording: every request outside `/_sim/` is stored on arrival
//! (time, path, tenant, decoded form and query, headers of interest) and
//! completed with the status once answered.

use std::sync::Arc;
use std::time::SystemTime;

use super::recorded::RecordedRequest;
use super::state::Shared;
use super::wire::{self, Fields};
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::header::{AUTHORIZATION, USER_AGENT};
use axum::http::{HeaderMap, Response};
use axum::middleware::Next;

/// Largest request body the simulator reads.
const BODY_LIMIT: usize = 1 << 20;

fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned)
}

fn tenant_of(path: &str) -> Option<String> {
    let mut segments = path.trim_start_matches('/').split('/');
    let tenant = segments.next()?;
    (segments.next() == Some("oauth2") && !tenant.is_empty()).then(|| tenant.to_owned())
}

/// Middleware: records the request, runs the handler, records the status.
pub async fn record(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response<Body> {
    let path = request.uri().path().to_owned();
    if path.starts_with("/_sim/") {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let Ok(bytes) = to_bytes(body, BODY_LIMIT).await else {
        return wire::raw(413, "", "");
    };
    let form = Fields::from_body(&parts.headers, &bytes).0;
    let query = Fields::parse(parts.uri.query().unwrap_or_default().as_bytes()).0;
    let grant_type = form.iter().find(|(n, _)| n == "grant_type").map(|(_, v)| v.clone());
    let method = parts.method.to_string();
    let entry = RecordedRequest {
        at: SystemTime::now(),
        method: method.clone(),
        path: path.clone(),
        tenant: tenant_of(&path),
        form,
        query,
        user_agent: header(&parts.headers, USER_AGENT.as_str()),
        client_request_id: header(&parts.headers, "client-request-id"),
        x_ms_version: header(&parts.headers, "x-ms-version"),
        has_authorization: parts.headers.contains_key(AUTHORIZATION),
        status: 0,
    };
    let serial = {
        let mut inner = shared.lock();
        inner.requests.push(entry);
        inner.requests_cleared + inner.requests.len() - 1
    };
    let response = next.run(Request::from_parts(parts, Body::from(bytes))).await;
    let status = response.status().as_u16();
    let mut inner = shared.lock();
    if let Some(index) = serial.checked_sub(inner.requests_cleared)
        && let Some(entry) = inner.requests.get_mut(index)
    {
        entry.status = status;
    }
    drop(inner);
    tracing::debug!(%method, %path, grant_type = grant_type.as_deref().unwrap_or("-"), status, "sim request");
    response
}
