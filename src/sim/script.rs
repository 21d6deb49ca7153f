//! Scripted failures: a FIFO queue per endpoint of answers that replace the
//! natural one (AADSTS errors, 5xx, 429, captive-portal HTML, garbage JSON,
//! delays, hangs), plus the global per-request delay.

use super::aadsts::{AadError, default_status};
use super::scripted::{Endpoint, Scripted};
use super::state::Shared;
use super::wire;
use axum::body::Body;
use axum::http::Response;
use axum::http::header::{HeaderValue, RETRY_AFTER};

/// What a handler does before its natural work.
pub enum Preflight {
    Continue,
    Respond(Response<Body>),
    Aadsts(AadError),
}

const CAPTIVE_PORTAL: &str = "<!DOCTYPE html><html><head><title>Guest Wi-Fi</title></head><body><h1>Welcome to Guest Wi-Fi</h1><p>Please accept the terms of use to continue.</p><form method=\"post\" action=\"/accept\"><button>Accept</button></form></body></html>";

const TRUNCATED_JSON: &str =
    r#"{"token_type":"Bearer","scope":"https://lcsapi.lcs.dynamics.com//user_impersonation","expires_in":42"#;

/// Applies the global delay and the next scripted answer for `endpoint`.
pub async fn preflight(shared: &Shared, endpoint: Endpoint) -> Preflight {
    if let Some(delay) = shared.config.request_delay {
        tokio::time::sleep(delay).await;
    }
    let Some(script) = shared.next_script(endpoint) else {
        return Preflight::Continue;
    };
    match script {
        Scripted::Aadsts {
            code,
            error,
            suberror,
            status,
        } => {
            let mut err = AadError::new(code);
            match error {
                Some(error) => err = err.error(&error),
                // A scripted refusal in the browser is the user saying no.
                None if endpoint == Endpoint::Authorize => err = err.error("access_denied"),
                None => {}
            }
            if suberror.is_some() {
                err.suberror = suberror;
            }
            err.status = status.unwrap_or_else(|| default_status(&err.error));
            Preflight::Aadsts(err)
        }
        Scripted::Status {
            status,
            retry_after,
            body,
            content_type,
        } => {
            let mut response = wire::raw(status, &content_type, body);
            if let Some(seconds) = retry_after {
                response.headers_mut().insert(RETRY_AFTER, HeaderValue::from(seconds));
            }
            Preflight::Respond(response)
        }
        Scripted::Html200 => Preflight::Respond(wire::raw(200, wire::HTML, CAPTIVE_PORTAL)),
        Scripted::Garbage => Preflight::Respond(wire::raw(200, wire::JSON, TRUNCATED_JSON)),
        Scripted::Delay(delay) => {
            tokio::time::sleep(delay).await;
            Preflight::Continue
        }
        Scripted::Hang => {
            shared.shutdown_requested().await;
            Preflight::Respond(wire::raw(503, "", ""))
        }
        Scripted::RawJson(status, body) => Preflight::Respond(wire::raw(status, wire::JSON, body)),
    }
}
