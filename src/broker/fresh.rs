//! The broker and the fresh-token rule: the cached token when it stays valid for `min_valid`,
//! else a new one (fetched under the identity's lock, so one process fetches and the others take
//! what it stored); sign-in and sign-out.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use jiff::Timestamp;

use super::ask::{Ask, BrokerError, Issued, LockWaitNotice, NetSettings, Source};
use super::freshness;
use super::interactive::Prompt;
use super::refused::PasswordTarget;
use super::state::{ProfileState, StateStore};
use crate::atomic_file::FileLock;
use crate::audience::Audience;
use crate::entra::{EntraClient, EntraError};
use crate::paths::ConfigDir;
use crate::profile::Profile;
use crate::secret::{Secret, SecretKind, SecretStore};
use crate::token::TokenState;

/// How many token requests `fresh_all` keeps in flight: enough to refresh a hundred profiles
/// in about two seconds at Entra's usual 200 ms, few enough not to look like a flood.
pub const REFRESH_CONCURRENCY: usize = 10;

pub struct Broker {
    on_lock_wait: Option<LockWaitNotice>,
    // The fields and helpers the rest of the broker (`fetch`, `change`) works with are
    // `pub(super)`: the broker's own folder, nothing outside it.
    pub(super) states: StateStore,
    pub(super) dir: ConfigDir,
    pub(super) secrets: Arc<dyn SecretStore>,
    net: NetSettings,
    entra: OnceLock<EntraClient>,
}

impl Broker {
    pub fn new(dir: ConfigDir, secrets: Arc<dyn SecretStore>, net: NetSettings) -> Self {
        Self {
            on_lock_wait: None,
            states: StateStore::new(dir.clone()),
            dir,
            secrets,
            net,
            entra: OnceLock::new(),
        }
    }

    /// Says (on stderr, for a command) what the broker waits for when another process holds
    /// the profile's lock.
    #[must_use]
    pub fn on_lock_wait(mut self, notice: LockWaitNotice) -> Self {
        self.on_lock_wait = Some(notice);
        self
    }

    /// The longest another process can rightly hold a profile's lock: every attempt of a fetch
    /// within the retry budget. Longer means it is stuck. The `lock_wait` setting overrides it.
    pub fn lock_wait_limit(&self) -> Duration {
        self.net
            .lock_wait
            .unwrap_or(self.net.retry.budget + self.net.timeout * 2)
    }

    pub fn states(&self) -> &StateStore {
        &self.states
    }

    pub fn secrets(&self) -> &Arc<dyn SecretStore> {
        &self.secrets
    }

    /// The remembered password, unless it is held back: Entra refused the profile's password
    /// since the last successful sign-in, or the profile now points at another sign-in than the
    /// one the password was given for. Then the reason, so the caller can ask for a password.
    pub fn remembered_password(&self, profile: &Profile) -> Result<Result<Option<Secret>, String>, BrokerError> {
        let state = self.states.load(profile.name.as_str());
        if let Some(r) = state.password_refused {
            return Ok(Err(r.reason()));
        }
        if !profile.remember_password {
            return Ok(Ok(None));
        }
        let Some(password) = blocking(|| self.secrets.get(profile.name.as_str(), SecretKind::Password))? else {
            return Ok(Ok(None));
        };
        if let Some(why) = PasswordTarget::reason(state.password_for.as_ref(), &PasswordTarget::of(profile)) {
            return Ok(Err(why));
        }
        Ok(Ok(Some(password)))
    }

    pub(super) fn entra(&self) -> Result<&EntraClient, EntraError> {
        if let Some(c) = self.entra.get() {
            return Ok(c);
        }
        let client = EntraClient::new(self.net.timeout, self.net.retry)?;
        Ok(self.entra.get_or_init(|| client))
    }

    /// The cached LCS token if it is fresh by the rule of [`freshness`] (no network, no lock):
    /// valid for `min_valid`, or for half of Entra's lifetime when that is shorter (with a
    /// warning that says so).
    pub fn cached(
        &self,
        profile: &Profile,
        min_valid: Duration,
        now: Timestamp,
    ) -> Result<Option<Issued>, BrokerError> {
        self.cached_for(profile, &Audience::Lcs, min_valid, now)
    }

    /// The cached token of `audience` if it stays valid for `min_valid` (no network, no lock).
    pub fn cached_for(
        &self,
        profile: &Profile,
        audience: &Audience,
        min_valid: Duration,
        now: Timestamp,
    ) -> Result<Option<Issued>, BrokerError> {
        let name = profile.name.as_str();
        let state = self.states.load(name);
        let Some(meta) = state.slot(audience).token else {
            return Ok(None);
        };
        if freshness::state(Some(&meta), now, min_valid, false) != TokenState::Valid {
            return Ok(None);
        }
        Ok(self
            .secrets
            .get(&audience.secret_owner(name), SecretKind::AccessToken)?
            .map(|access_token| Issued {
                access_token,
                expires_at: meta.expires_at,
                source: Source::Cache,
                warnings: freshness::short_warning(name, &meta, now, min_valid)
                    .into_iter()
                    .collect(),
            }))
    }

    /// A token valid for at least `ask.min_valid`, fetching one if needed.
    pub async fn fresh(&self, profile: &Profile, ask: Ask) -> Result<Issued, BrokerError> {
        let started = Timestamp::now();
        let audience = &ask.audience;
        if !ask.force
            && let Some(t) = self.blocking_cached(profile, audience, ask.min_valid, started)?
        {
            return Ok(t);
        }
        let _lock = self.lock(profile).await?;
        // Another process may have fetched while this one waited for the lock.
        let state = self.states.load(profile.name.as_str());
        if let Some(meta) = &state.slot(audience).token {
            let fetched_meanwhile = meta.obtained_at >= started;
            if (fetched_meanwhile || !ask.force)
                && let Some(mut t) = self.blocking_cached(profile, audience, ask.min_valid, Timestamp::now())?
            {
                if fetched_meanwhile {
                    t.source = Source::Joined;
                }
                return Ok(t);
            }
        }
        let mut result = self
            .fetch(
                profile,
                audience,
                ask.password,
                None,
                state.refresh_token.is_some(),
                false,
            )
            .await;
        self.record(profile, audience, &result);
        if let Ok(t) = &mut result {
            // Entra's lifetime is shorter than min_valid: the token is handed out all the same
            // (asking again cannot make it longer), and the caller hears why.
            let meta = self.states.load(profile.name.as_str()).slot(audience).token;
            if let Some(w) =
                meta.and_then(|m| freshness::short_warning(profile.name.as_str(), &m, Timestamp::now(), ask.min_valid))
            {
                t.warnings.push(w);
            }
        }
        result
    }

    /// Makes every profile fresh, at most `concurrency` requests at a time (a board full of
    /// profiles at start-up, a script warming the cache). Results come in the profiles' order.
    pub async fn fresh_all(
        &self,
        profiles: &[Profile],
        min_valid: Duration,
        concurrency: usize,
    ) -> Vec<Result<Issued, BrokerError>> {
        use futures_util::stream::{self, StreamExt};
        let mut results: Vec<(usize, Result<Issued, BrokerError>)> = stream::iter(profiles.iter().enumerate())
            .map(|(i, p)| async move {
                (
                    i,
                    self.fresh(
                        p,
                        Ask {
                            min_valid,
                            ..Ask::default()
                        },
                    )
                    .await,
                )
            })
            .buffer_unordered(concurrency.max(1))
            .collect()
            .await;
        results.sort_by_key(|(i, _)| *i);
        results.into_iter().map(|(_, r)| r).collect()
    }

    /// Signs in with the profile's own flow now, ignoring any cached or refresh token.
    pub async fn login(&self, profile: &Profile, password: Option<Secret>) -> Result<Issued, BrokerError> {
        self.login_for(profile, &Audience::Lcs, password).await
    }

    /// [`Broker::login`] asking for a token of `audience`; the refresh token serves them all.
    pub async fn login_for(
        &self,
        profile: &Profile,
        audience: &Audience,
        password: Option<Secret>,
    ) -> Result<Issued, BrokerError> {
        let _lock = self.lock(profile).await?;
        let result = self.fetch(profile, audience, password, None, false, true).await;
        self.record(profile, audience, &result);
        result
    }

    /// Signs in with an interactive flow (device code or browser) through `prompt`.
    pub async fn login_interactive(&self, profile: &Profile, prompt: &dyn Prompt) -> Result<Issued, BrokerError> {
        self.login_interactive_for(profile, &Audience::Lcs, prompt).await
    }

    /// [`Broker::login_interactive`] asking for a token of `audience`.
    pub async fn login_interactive_for(
        &self,
        profile: &Profile,
        audience: &Audience,
        prompt: &dyn Prompt,
    ) -> Result<Issued, BrokerError> {
        self.sign_in_interactive(profile, audience, prompt).await
    }

    /// Removes the profile's tokens (and the remembered password if asked) and its metadata.
    pub fn logout(&self, profile: &str, forget_password: bool) -> Result<(), BrokerError> {
        // The metadata goes first: without it no cached token is ever handed out, even if the
        // keyring fails below. A kept password keeps the record of where it may go and of a
        // refusal that holds it back.
        let state = self.states.load(profile);
        let audiences = state.known_audiences();
        let kept = ProfileState {
            password_for: state.password_for,
            password_refused: state.password_refused,
            ..ProfileState::default()
        };
        let io = |source| BrokerError::Io {
            what: "the token state file".into(),
            source,
        };
        if forget_password || (kept.password_for.is_none() && kept.password_refused.is_none()) {
            self.states.remove(profile).map_err(io)?;
        } else {
            self.states.save(profile, &kept).map_err(io)?;
        }
        for kind in [SecretKind::AccessToken, SecretKind::RefreshToken] {
            self.secrets.delete(profile, kind)?;
        }
        for audience in &audiences {
            self.secrets
                .delete(&audience.secret_owner(profile), SecretKind::AccessToken)?;
        }
        if forget_password {
            self.secrets.delete(profile, SecretKind::Password)?;
        }
        Ok(())
    }

    pub(super) fn blocking_cached(
        &self,
        profile: &Profile,
        audience: &Audience,
        min_valid: Duration,
        now: Timestamp,
    ) -> Result<Option<Issued>, BrokerError> {
        // Keyring reads are blocking calls; keep them off async worker threads.
        blocking(|| self.cached_for(profile, audience, min_valid, now))
    }

    pub(super) async fn lock(&self, profile: &Profile) -> Result<FileLock, BrokerError> {
        // Checked before the lock file is made (which would tighten `locks/` unasked): a
        // config another user can change could point the coming request anywhere.
        crate::trust::check(&self.dir)?;
        let path = self.dir.profile_lock(profile.name.as_str());
        let what = path.display().to_string();
        let limit = self.lock_wait_limit();
        let notice = self.on_lock_wait.clone();
        let name = profile.name.to_string();
        tokio::task::spawn_blocking(move || {
            FileLock::acquire_within(&path, limit, || {
                if let Some(n) = notice {
                    n(&format!(
                        "another lcsauth process is getting a token for '{name}'; waiting for it (at most {}s)",
                        limit.as_secs()
                    ));
                }
            })
        })
        .await
        .map_err(|e| BrokerError::Io {
            what: what.clone(),
            source: std::io::Error::other(e),
        })?
        .map_err(|source| BrokerError::Io { what, source })
    }
}

/// Runs a blocking call (a keyring round trip, 10–25 ms over D-Bus). On a worker thread of a
/// multi-thread runtime (the terminal UI's background tasks) it moves the worker's other tasks
/// elsewhere first; anywhere else (a command's `block_on` thread) it simply runs, which blocks
/// only that thread while the workers keep driving timers and sockets.
pub(super) fn blocking<T>(f: impl FnOnce() -> T) -> T {
    let on_worker = std::thread::current().name() == Some("tokio-runtime-worker");
    match tokio::runtime::Handle::try_current() {
        Ok(h) if on_worker && h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(f)
        }
        _ => f(),
    }
}
