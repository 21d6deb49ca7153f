//! A running simulator: started on a loopback port (plain or TLS), driven by tests (scripted
//! failures, device-code approvals, recorded requests) and shut down with a grace period.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use super::config::SimConfig;
use super::recorded::RecordedRequest;
use super::scripted::{Endpoint, Scripted};
use super::state::{ApiAuth, Shared};
use super::{device, server, tls};

/// `scheme://ip:port`, with the loopback address for an unspecified one.
fn base_url(scheme: &str, addr: SocketAddr) -> String {
    let ip = match addr.ip() {
        ip if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        ip => ip,
    };
    match ip {
        IpAddr::V4(v4) => format!("{scheme}://{v4}:{}", addr.port()),
        IpAddr::V6(v6) => format!("{scheme}://[{v6}]:{}", addr.port()),
    }
}

/// How long `shutdown` waits for in-flight requests before giving up on them.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// A running simulator. Cheap to clone; dropping it leaves the server
/// running, [`Simulator::shutdown`] stops it.
#[derive(Debug, Clone)]
pub struct Simulator {
    shared: Arc<Shared>,
    addr: SocketAddr,
    task: Arc<Mutex<Option<JoinHandle<()>>>>,
}

impl Simulator {
    /// Starts on `127.0.0.1` with an ephemeral port.
    pub async fn start(config: SimConfig) -> std::io::Result<Simulator> {
        Self::start_on(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)), config).await
    }

    /// Starts on `addr` (port 0 picks a free one).
    pub async fn start_on(addr: SocketAddr, config: SimConfig) -> std::io::Result<Simulator> {
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared::new(config, base_url("http", addr)));
        let task = server::spawn(listener, shared.clone());
        Ok(Simulator {
            shared,
            addr,
            task: Arc::new(Mutex::new(Some(task))),
        })
    }

    /// Starts a TLS listener on `127.0.0.1` with an ephemeral port, for
    /// clients that accept only `https://` authorities (MSAL). Its certificate
    /// names `127.0.0.1` and `localhost` and is issued by [`TLS_CA_PEM`](crate::sim::TLS_CA_PEM).
    pub async fn start_tls(config: SimConfig) -> std::io::Result<Simulator> {
        let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0))).await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared::new(config, base_url("https", addr)));
        let task = tls::spawn(listener, shared.clone())?;
        Ok(Simulator {
            shared,
            addr,
            task: Arc::new(Mutex::new(Some(task))),
        })
    }

    /// `http://127.0.0.1:PORT` (`https://` for [`Simulator::start_tls`]): the
    /// authority to put in a profile (and the LCS API base URL).
    pub fn base_url(&self) -> String {
        self.shared.base_url.clone()
    }

    /// The address the server is bound to.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The configuration it runs with.
    pub fn config(&self) -> &SimConfig {
        &self.shared.config
    }

    /// Queues `failure` for the next request to `endpoint` (FIFO).
    pub fn script(&self, endpoint: Endpoint, failure: Scripted) {
        self.shared.script(endpoint, failure);
    }

    /// Every request so far (outside `/_sim/`), in arrival order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.requests()
    }

    /// Forgets the recorded requests.
    pub fn clear_requests(&self) {
        self.shared.clear_requests();
    }

    /// How many `POST …/oauth2/v2.0/token` requests arrived.
    pub fn token_requests(&self) -> usize {
        self.shared.token_requests()
    }

    /// Approves a pending device code as `username`; false if the code is
    /// unknown, expired or already settled.
    pub fn approve_device_code(&self, user_code: &str, username: &str) -> bool {
        device::approve(&self.shared, user_code, username)
    }

    /// Declines a pending device code; false if it is not pending.
    pub fn decline_device_code(&self, user_code: &str) -> bool {
        device::decline(&self.shared, user_code)
    }

    /// Lets a device code run out now (the next poll gets AADSTS70020);
    /// false if the code is unknown.
    pub fn expire_device_code(&self, user_code: &str) -> bool {
        device::expire(&self.shared, user_code)
    }

    /// The user codes handed out so far, oldest first.
    pub fn user_codes(&self) -> Vec<String> {
        self.shared.user_codes()
    }

    /// Server-side arrival times of the token polls for `user_code`.
    pub fn device_polls(&self, user_code: &str) -> Vec<SystemTime> {
        self.shared.device_polls(user_code)
    }

    /// Invalidates every refresh token issued so far (AADSTS50173 from now on).
    pub fn revoke_refresh_tokens(&self) {
        self.shared.revoke_refresh_tokens();
    }

    /// Every refresh token issued, oldest first.
    pub fn issued_refresh_tokens(&self) -> Vec<String> {
        self.shared.issued_refresh_tokens()
    }

    /// How every LCS and Power Platform API request was authenticated, in arrival order.
    pub fn api_auth(&self) -> Vec<ApiAuth> {
        self.shared.lock().api_auth.clone()
    }

    /// The most recently issued access token.
    pub fn last_access_token(&self) -> Option<String> {
        self.shared.last_access_token()
    }

    /// Stops accepting, releases held (`Hang`) requests, and waits a little
    /// for requests in flight.
    pub async fn shutdown(self) {
        self.shared.trigger_shutdown();
        let task = self.task.lock().unwrap_or_else(PoisonError::into_inner).take();
        if let Some(mut task) = task
            && tokio::time::timeout(SHUTDOWN_GRACE, &mut task).await.is_err()
        {
            task.abort();
        }
    }
}
