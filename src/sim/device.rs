//! The device-code flow: `POST /{tenant}/oauth2/v2.0/devicecode`, polling
//! the token endpoint with the device-code grant (pending, slow_down,
//! declined, expired, approved) and approval from tests or automatically.

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Response};
use serde::Serialize;

use super::aadsts::AadError;
use super::client::{check_client, check_member};
use super::issue::{self, Grant, TokenBody, parse_scope};
use super::jwt;
use super::script::{Preflight, preflight};
use super::scripted::Endpoint;
use super::state::{DeviceEntry, DeviceStatus, Shared};
use super::wire::{self, Fields, Num};

pub const VERIFICATION_URI: &str = "https://microsoft.com/devicelogin";

/// Polls closer together than the interval by less than this still pass.
const POLL_SLACK: Duration = Duration::from_millis(50);

#[derive(Serialize)]
struct DeviceCodeBody {
    user_code: String,
    device_code: String,
    verification_uri: &'static str,
    expires_in: Num,
    interval: Num,
    message: String,
}

/// Whole seconds, rounded up (a 200 ms interval is announced as 1).
fn wire_seconds(d: Duration) -> u64 {
    d.as_secs() + u64::from(d.subsec_nanos() > 0)
}

/// The device authorization endpoint.
pub async fn devicecode(
    State(shared): State<Arc<Shared>>,
    Path(tenant): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response<Body> {
    let correlation = wire::correlation_id(&headers);
    match preflight(&shared, Endpoint::DeviceCode).await {
        Preflight::Continue => {}
        Preflight::Respond(response) => return response,
        Preflight::Aadsts(err) => return wire::error_response(&err, &correlation),
    }
    let form = Fields::from_body(&headers, &body);
    match start(&shared, &tenant, &form) {
        Ok(body) => wire::json_response(200, &body, &correlation),
        Err(err) => wire::error_response(&err, &correlation),
    }
}

fn start(shared: &Shared, tenant: &str, form: &Fields) -> Result<DeviceCodeBody, AadError> {
    form.reject_duplicates()?;
    let client_id = check_client(shared, tenant, form)?;
    let scope = form.require("scope")?;
    parse_scope(scope)?;
    answer_claims(shared, form.get("claims"));
    let config = &shared.config;
    let entry = DeviceEntry {
        device_code: jwt::device_code(),
        user_code: jwt::user_code(),
        client_id: client_id.to_owned(),
        scope: scope.to_owned(),
        expires_at: Instant::now() + config.device_code_expires_in,
        status: DeviceStatus::Pending,
        polls: Vec::new(),
        last_poll: None,
        counted_polls: 0,
    };
    let strings = config.numbers_as_strings;
    let body = DeviceCodeBody {
        message: format!(
            "To sign in, use a web browser to open the page {VERIFICATION_URI} and enter the code {} to authenticate.",
            entry.user_code
        ),
        user_code: entry.user_code.clone(),
        device_code: entry.device_code.clone(),
        verification_uri: VERIFICATION_URI,
        expires_in: Num::new(wire_seconds(config.device_code_expires_in), strings),
        interval: Num::new(wire_seconds(config.device_code_interval), strings),
    };
    shared.lock().devices.push(entry);
    Ok(body)
}

/// One poll of the token endpoint with the device-code grant.
pub fn redeem(shared: &Shared, tenant: &str, client_id: &str, form: &Fields) -> Result<TokenBody, AadError> {
    let device_code = form.require("device_code")?;
    let config = &shared.config;
    let now = Instant::now();
    let (username, scope) = {
        let mut inner = shared.lock();
        let entry = inner
            .device_by_code(device_code)
            .filter(|e| e.client_id == client_id)
            .ok_or_else(|| AadError::new(70018))?;
        entry.polls.push(SystemTime::now());
        let too_fast = config.enforce_slow_down
            && entry
                .last_poll
                .is_some_and(|last| now.duration_since(last) + POLL_SLACK < config.device_code_interval);
        entry.last_poll = Some(now);
        if entry.status == DeviceStatus::Redeemed {
            return Err(already_redeemed());
        }
        if now >= entry.expires_at {
            // What the token endpoint answers (Azure/azure-cli#22251); 70019 is
            // the verification page's own "code expired".
            return Err(AadError::new(70020));
        }
        if too_fast {
            return Err(AadError::with_text(
                70016,
                "OAuth 2.0 device flow error. The client is polling too frequently; wait for the interval before polling again.",
            )
            .error("slow_down"));
        }
        entry.counted_polls += 1;
        if entry.status == DeviceStatus::Pending
            && let Some(auto) = &config.device_auto_approve
            && entry.counted_polls > auto.after_polls
        {
            entry.status = DeviceStatus::Approved(auto.username.clone());
        }
        match &entry.status {
            DeviceStatus::Pending => return Err(AadError::new(70016)),
            DeviceStatus::Declined => {
                return Err(AadError::with_text(
                    70000,
                    "The user declined to authorize the request on the other device.",
                )
                .error("authorization_declined"));
            }
            DeviceStatus::Approved(username) => {
                let username = username.clone();
                entry.status = DeviceStatus::Redeemed;
                (username, entry.scope.clone())
            }
            DeviceStatus::Redeemed => return Err(already_redeemed()),
        }
    };
    let scope = parse_scope(&scope)?;
    issue::check_consent(shared, client_id, &scope)?;
    let user = shared.user_or_guest(&username);
    check_member(&user, tenant)?;
    Ok(issue::issue(
        shared,
        &Grant {
            user: &user,
            tenant,
            client_id,
            scope: &scope,
            amr: issue::amr_interactive(),
            refresh: scope.offline_access,
            client_info: form.get("client_info") == Some("1"),
            nonce: None,
        },
    ))
}

/// A sign-in that carries the configured claims challenge answers it.
pub fn answer_claims(shared: &Shared, claims: Option<&str>) {
    if let (Some(wanted), Some(given)) = (&shared.config.claims_challenge, claims)
        && wanted == given
    {
        shared.lock().claims_answered = true;
    }
}

fn already_redeemed() -> AadError {
    AadError::with_text(
        70000,
        "Provided grant is invalid or malformed. The device code has already been redeemed.",
    )
}

/// Marks a pending, unexpired code as approved by `username`.
pub fn approve(shared: &Shared, user_code: &str, username: &str) -> bool {
    settle(shared, user_code, DeviceStatus::Approved(username.to_owned()))
}

/// Marks a pending, unexpired code as declined.
pub fn decline(shared: &Shared, user_code: &str) -> bool {
    settle(shared, user_code, DeviceStatus::Declined)
}

/// Makes a code run out now; false if it is unknown.
pub fn expire(shared: &Shared, user_code: &str) -> bool {
    let mut inner = shared.lock();
    inner
        .device_by_user_code(user_code)
        .map(|entry| entry.expires_at = Instant::now())
        .is_some()
}

fn settle(shared: &Shared, user_code: &str, status: DeviceStatus) -> bool {
    let mut inner = shared.lock();
    match inner.device_by_user_code(user_code) {
        Some(entry) if entry.status == DeviceStatus::Pending && Instant::now() < entry.expires_at => {
            entry.status = status;
            true
        }
        _ => false,
    }
}
