//! What a profile's metadata says at a moment, without a keyring read: the token state, expiry
//! and remaining validity of each of its audiences.

use std::time::Duration;

use jiff::Timestamp;

use super::fresh::Broker;
use super::freshness;
use super::state::ProfileState;
use crate::audience::Audience;
use crate::profile::Profile;
use crate::token::{self, TokenState};

impl Broker {
    /// What `status` and the board show, from metadata only.
    pub fn status(&self, profile: &Profile, now: Timestamp, min_valid: Duration) -> Status {
        Status::of(self.states.load(profile.name.as_str()), now, min_valid)
    }

    /// The status of each of the profile's audiences: `lcs`, the configured ones, then any
    /// other the state holds a token or error for (asked by name once).
    pub fn audience_statuses(&self, profile: &Profile, now: Timestamp, min_valid: Duration) -> Vec<(Audience, Status)> {
        let state = self.states.load(profile.name.as_str());
        audiences_of(profile, &state)
            .into_iter()
            .map(|a| {
                let status = Status::of(state.view(&a), now, min_valid);
                (a, status)
            })
            .collect()
    }
}

/// The audiences a profile shows: `lcs`, the configured ones, then those only its state knows.
pub fn audiences_of(profile: &Profile, state: &ProfileState) -> Vec<Audience> {
    let mut list = profile.audience_list();
    for a in state.known_audiences() {
        if !list.contains(&a) {
            list.push(a);
        }
    }
    list
}

/// A profile's token state at a moment.
#[derive(Clone, Debug)]
pub struct Status {
    pub token_state: TokenState,
    pub expires_at: Option<Timestamp>,
    pub remaining: Option<Duration>,
    pub state: ProfileState,
}

impl Status {
    /// When the account Entra signed in (the token's `upn`) is not the profile's username: a
    /// sentence that says so (another account was picked in the browser, or a typo).
    pub fn user_mismatch(&self, profile: &Profile) -> Option<String> {
        let signed_in = self.state.token.as_ref()?.claims.user.as_deref()?;
        let expected = profile.username.as_deref()?;
        (!signed_in.eq_ignore_ascii_case(expected)).then(|| {
            format!("signed in as {signed_in}, not the profile's username {expected}: the token acts as {signed_in}")
        })
    }

    /// The state of the token a profile's metadata describes, seen at `now`.
    pub fn of(state: ProfileState, now: Timestamp, min_valid: Duration) -> Self {
        let expires_at = state.token.as_ref().map(|t| t.expires_at);
        Self {
            token_state: freshness::state(state.token.as_ref(), now, min_valid, state.last_error.is_some()),
            expires_at,
            remaining: expires_at.map(|e| token::remaining(e, now)),
            state,
        }
    }
}
