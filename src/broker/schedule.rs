//! When to refresh a profile in the background, for a front end that keeps tokens fresh (the
//! board): the rule of [`super::freshness`] says when, with a per-profile jitter; after
//! failures, a growing pause.

use std::time::Duration;

use jiff::Timestamp;

use super::freshness;
use super::state::ProfileState;
use crate::audience::Audience;
use crate::profile::Profile;

/// The longest pause between failed background attempts.
pub const MAX_BACKOFF: Duration = Duration::from_secs(300);

/// When the profile's token should be refreshed in the background, by the core's rule.
/// `None` without a refresh token or a token.
pub fn due_at(name: &str, state: &ProfileState, min_valid: Duration) -> Option<Timestamp> {
    state.refresh_token.as_ref()?;
    let token = state.token.as_ref()?;
    Some(freshness::refresh_due(name, token, min_valid))
}

/// The earliest background refresh among the identity's audiences, and which audience it is
/// for; `lcs` when nothing is due. Each audience's token is planned as `due_at` plans one; a
/// configured audience that has no token yet is due when the refresh token was obtained.
pub fn plan(profile: &Profile, state: &ProfileState, min_valid: Duration) -> (Option<Timestamp>, Audience) {
    let name = profile.name.as_str();
    let mut best: (Option<Timestamp>, Audience) = (due_at(name, state, min_valid), Audience::Lcs);
    for audience in super::audiences_of(profile, state).into_iter().filter(|a| !a.is_lcs()) {
        // An audience whose last attempt failed waits for the user (r), like a refused profile.
        if state.slot(&audience).last_error.is_some() {
            continue;
        }
        let key = format!("{name}#{}", audience.slot().unwrap_or_default());
        let view = state.view(&audience);
        // A configured audience without a token yet is fetched as soon as the identity has a
        // refresh token: one sign-in fills them all.
        let first = (view.token.is_none() && profile.audiences.contains(&audience))
            .then(|| state.refresh_token.as_ref().map(|r| r.obtained_at))
            .flatten();
        if let Some(at) = first.or_else(|| due_at(&key, &view, min_valid))
            && best.0.is_none_or(|b| at < b)
        {
            best = (Some(at), audience);
        }
    }
    best
}

/// The pause after `failures` background failures in a row: 30 s, 1 min, 2 min, … up to 5 min.
pub fn backoff(failures: u32) -> Duration {
    let doublings = failures.saturating_sub(1).min(8);
    (Duration::from_secs(30) * 2u32.pow(doublings)).min(MAX_BACKOFF)
}

#[cfg(test)]
mod tests {
    use super::super::state::{Grant, RefreshMeta, TokenMeta};
    use super::*;
    use crate::time::later;

    fn state(obtained: i64, lifetime: u64, refresh: bool) -> ProfileState {
        let obtained_at = Timestamp::from_second(obtained).unwrap();
        ProfileState {
            audiences: std::collections::BTreeMap::new(),
            token: Some(TokenMeta {
                expires_at: later(obtained_at, Duration::from_secs(lifetime)),
                obtained_at,
                grant: Grant::Password,
                claims: crate::token::Claims::default(),
                warning: None,
            }),
            refresh_token: refresh.then_some(RefreshMeta { obtained_at }),
            ..ProfileState::default()
        }
    }

    #[test]
    fn refresh_is_due_min_valid_plus_jitter_before_the_end() {
        let s = state(1_000_000, 3600, true);
        let due = due_at("prod", &s, Duration::from_secs(900)).unwrap();
        let end = 1_000_000 + 3600;
        let lead = end - due.as_second();
        assert!((900..=960).contains(&lead), "lead {lead}");
    }

    #[test]
    fn a_45_minute_min_valid_is_planned_in_the_first_half_of_the_life() {
        let s = state(1_000_000, 3600, true);
        let due = due_at("prod", &s, Duration::from_secs(45 * 60)).unwrap();
        let age = due.as_second() - 1_000_000;
        assert!((840..=900).contains(&age), "age {age}");
    }

    #[test]
    fn without_refresh_token_nothing_is_planned() {
        assert!(due_at("p", &state(1_000_000, 3600, false), Duration::from_secs(900)).is_none());
        assert!(due_at("p", &ProfileState::default(), Duration::from_secs(900)).is_none());
    }

    #[test]
    fn backoff_doubles_from_thirty_seconds_up_to_five_minutes() {
        assert_eq!(backoff(1), Duration::from_secs(30));
        assert_eq!(backoff(2), Duration::from_secs(60));
        assert_eq!(backoff(3), Duration::from_secs(120));
        assert_eq!(backoff(4), Duration::from_secs(240));
        assert_eq!(backoff(5), MAX_BACKOFF);
        assert_eq!(backoff(u32::MAX), MAX_BACKOFF);
    }
}
