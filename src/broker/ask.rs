//! What a caller asks of the broker (the validity it needs, the audience, a password typed now,
//! the network settings) and what it gets back: a token with where it came from, or why not.

use std::sync::Arc;
use std::time::Duration;

use jiff::Timestamp;

use super::state::Grant;
use crate::audience::Audience;
use crate::entra::{EntraError, RetryPolicy};
use crate::secret::{Secret, StoreError};

/// Where a handed-out token came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// The cached token was fresh enough.
    Cache,
    /// Another process fetched it while this one waited.
    Joined,
    /// Obtained now with this grant.
    Fetched(Grant),
}

/// A token handed out by the broker.
#[derive(Debug)]
pub struct Issued {
    pub access_token: Secret,
    pub expires_at: Timestamp,
    pub source: Source,
    /// Things the user should know that did not stop the token (e.g. the keyring kept only part).
    pub warnings: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum BrokerError {
    #[error("{0}")]
    Entra(#[from] EntraError),
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("profile '{profile}' needs a sign-in: {reason}; run `{command}`")]
    SignInNeeded {
        profile: String,
        reason: String,
        command: String,
    },
    #[error("{0}")]
    Unusable(String),
    #[error("cannot use {what}: {source}")]
    Io { what: String, source: std::io::Error },
    #[error("{0}")]
    Untrusted(#[from] crate::trust::Untrusted),
}

/// What a caller asks of the broker.
#[derive(Debug, Default)]
pub struct Ask {
    pub min_valid: Duration,
    /// Ignore the cached access token (a refresh token is still used).
    pub force: bool,
    /// A password typed now (`--password-stdin` or a form).
    pub password: Option<Secret>,
    /// Which of the identity's audiences the token is for (default: `lcs`).
    pub audience: Audience,
}

/// Network settings for the Entra client.
#[derive(Clone, Copy, Debug)]
pub struct NetSettings {
    pub timeout: Duration,
    pub retry: RetryPolicy,
    /// `lock_wait` from the settings: overrides [`Broker::lock_wait_limit`]'s reckoning.
    pub lock_wait: Option<Duration>,
}

impl Default for NetSettings {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
            lock_wait: None,
        }
    }
}

/// Told what the broker waits for when another process holds a profile's lock.
pub type LockWaitNotice = Arc<dyn Fn(&str) + Send + Sync>;
