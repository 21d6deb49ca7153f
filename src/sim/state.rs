//! The simulator's shared state: recorded requests, scripted failures, issued
//! tokens, device codes, authorization codes and the shutdown signal.

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant, SystemTime};

use tokio::sync::watch;

use super::config::{SimConfig, SimUser};
use super::recorded::RecordedRequest;
use super::scripted::{Endpoint, Scripted};

/// What a refresh token stands for.
#[derive(Debug, Clone)]
pub struct RefreshGrant {
    pub username: String,
    pub client_id: String,
    pub amr: Vec<String>,
    pub revoked: bool,
    pub redeemed: bool,
}

/// What the LCS endpoint needs to know about an access token.
#[derive(Debug, Clone)]
pub struct AccessInfo {
    /// Unix seconds.
    pub exp: i64,
    pub aud: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeviceStatus {
    Pending,
    Approved(String),
    Declined,
    Redeemed,
}

/// One device-code sign-in in progress.
#[derive(Debug, Clone)]
pub struct DeviceEntry {
    pub device_code: String,
    pub user_code: String,
    pub client_id: String,
    pub scope: String,
    pub expires_at: Instant,
    pub status: DeviceStatus,
    /// Server-side arrival time of every poll, `slow_down` ones included.
    pub polls: Vec<SystemTime>,
    pub last_poll: Option<Instant>,
    /// Polls answered without `slow_down`.
    pub counted_polls: u32,
}

/// One authorization code handed out by `/authorize`.
#[derive(Debug, Clone)]
pub struct AuthCode {
    pub client_id: String,
    pub redirect_uri: String,
    /// `(challenge, method)` when the client used PKCE.
    pub challenge: Option<(String, String)>,
    pub username: String,
    pub scope: String,
    /// Copied into the id token.
    pub nonce: Option<String>,
    pub issued: Instant,
    pub redeemed: bool,
}

/// Authorization codes live this long, as in Entra.
pub const AUTH_CODE_LIFETIME: Duration = Duration::from_secs(600);

/// One Database Movement or environment-copy operation the simulator runs.
#[derive(Debug, Clone)]
pub struct SimOperation {
    pub id: String,
    /// `refresh`, `export` or `copy`.
    pub kind: &'static str,
    pub environment: String,
    pub started: Instant,
    pub started_at: SystemTime,
}

/// How one LCS or Power Platform API request was authenticated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiAuth {
    pub at: SystemTime,
    pub method: String,
    pub path: String,
    /// The bearer token's `exp` (Unix seconds), when the simulator issued it.
    pub token_exp: Option<i64>,
    /// Whether the token was accepted: issued here, unexpired, for this API.
    pub valid: bool,
}

#[derive(Debug, Default)]
pub struct Inner {
    pub operations: Vec<SimOperation>,
    pub api_auth: Vec<ApiAuth>,
    pub requests: Vec<RecordedRequest>,
    /// How many recorded requests were cleared away before `requests[0]`.
    pub requests_cleared: usize,
    pub scripts: [VecDeque<Scripted>; 4],
    pub refresh: HashMap<String, RefreshGrant>,
    pub refresh_order: Vec<String>,
    pub access: HashMap<String, AccessInfo>,
    pub last_access: Option<String>,
    pub devices: Vec<DeviceEntry>,
    pub codes: HashMap<String, AuthCode>,
    /// An interactive sign-in passed the configured claims challenge.
    pub claims_answered: bool,
}

impl Inner {
    pub fn device_by_user_code(&mut self, user_code: &str) -> Option<&mut DeviceEntry> {
        let wanted = normalize_user_code(user_code);
        self.devices
            .iter_mut()
            .find(|d| normalize_user_code(&d.user_code) == wanted)
    }

    pub fn device_by_code(&mut self, device_code: &str) -> Option<&mut DeviceEntry> {
        self.devices.iter_mut().find(|d| d.device_code == device_code)
    }
}

/// User codes compare without case and without the dashes people type.
fn normalize_user_code(code: &str) -> String {
    code.chars()
        .filter(|c| *c != '-' && !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// State shared by every handler and by the `Simulator` handle.
#[derive(Debug)]
pub struct Shared {
    pub config: SimConfig,
    /// `http://127.0.0.1:PORT` or `https://…`: what the discovery documents point at.
    pub base_url: String,
    inner: Mutex<Inner>,
    shutdown: watch::Sender<bool>,
}

impl Shared {
    pub fn new(config: SimConfig, base_url: String) -> Self {
        Self {
            config,
            base_url,
            inner: Mutex::new(Inner::default()),
            shutdown: watch::channel(false).0,
        }
    }

    /// `127.0.0.1:PORT`: the host (and port) of the base URL.
    pub fn netloc(&self) -> &str {
        self.base_url
            .split_once("://")
            .map_or(self.base_url.as_str(), |(_, rest)| rest)
    }

    pub fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Takes the next scripted answer for `endpoint`, if any is queued.
    pub fn next_script(&self, endpoint: Endpoint) -> Option<Scripted> {
        self.lock().scripts[endpoint.index()].pop_front()
    }

    /// The configured user, or one made up for a name approved by a test
    /// (approving a sign-in needs no password).
    pub fn user_or_guest(&self, username: &str) -> SimUser {
        self.config
            .find_user(username)
            .cloned()
            .unwrap_or_else(|| SimUser::new(username, ""))
    }

    pub fn trigger_shutdown(&self) {
        self.shutdown.send_replace(true);
    }

    /// Resolves once shutdown has been requested.
    pub async fn shutdown_requested(&self) {
        let mut rx = self.shutdown.subscribe();
        // An error means the sender is gone, which also means shutting down.
        let _ = rx.wait_for(|stop| *stop).await;
    }
}

/// Operations shared by the `Simulator` handle and the `/_sim/` surface.
impl Shared {
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.lock().requests.clone()
    }

    pub fn clear_requests(&self) {
        let mut inner = self.lock();
        inner.requests_cleared += inner.requests.len();
        inner.requests.clear();
    }

    pub fn token_requests(&self) -> usize {
        self.lock().requests.iter().filter(|r| r.is_token()).count()
    }

    pub fn script(&self, endpoint: Endpoint, failure: Scripted) {
        self.lock().scripts[endpoint.index()].push_back(failure);
    }

    /// Revokes every refresh token issued so far; returns how many.
    pub fn revoke_refresh_tokens(&self) -> usize {
        let mut inner = self.lock();
        inner.refresh.values_mut().for_each(|grant| grant.revoked = true);
        inner.refresh.len()
    }

    pub fn issued_refresh_tokens(&self) -> Vec<String> {
        self.lock().refresh_order.clone()
    }

    pub fn last_access_token(&self) -> Option<String> {
        self.lock().last_access.clone()
    }

    /// User codes in issue order.
    pub fn user_codes(&self) -> Vec<String> {
        self.lock().devices.iter().map(|d| d.user_code.clone()).collect()
    }

    /// Server-side arrival times of the polls for one user code.
    pub fn device_polls(&self, user_code: &str) -> Vec<SystemTime> {
        self.lock()
            .device_by_user_code(user_code)
            .map(|d| d.polls.clone())
            .unwrap_or_default()
    }
}
