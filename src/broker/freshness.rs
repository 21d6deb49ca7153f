//! What "fresh" means, once, for every front end: `token`, `copy`, `exec`, the board's `c` and
//! `r`, `status`, and the board's background refresh all ask this module.
//!
//! A token is fresh while it stays valid for `min_valid`. Entra decides the lifetime, though,
//! and a tenant may issue tokens that live less than `min_valid` (a Conditional Access
//! sign-in frequency, a test tenant, the simulator). Asking again cannot make such a token
//! longer, so for those the bar is half of the lifetime Entra issues: the freshest token is
//! handed out with a warning that names the lifetime and the setting to lower, and a new one
//! is fetched at most once per half lifetime instead of on every call.

use std::time::Duration;

use jiff::Timestamp;

use super::state::TokenMeta;
use crate::time::duration::text as human;
use crate::token::{self, TokenState};

/// The most a background refresh is moved earlier by the jitter.
pub const MAX_JITTER: Duration = Duration::from_secs(60);

/// How long tokens of this kind live, as Entra issued the one described by `meta`.
///
/// The measure is the time from the token's arrival to its end, rounded up to the second. It
/// falls short by the time the answer took, and by up to a second more when `exp` was cut to a
/// whole second, so a 40-second token can measure 39 s. The token's own `exp - iat` (whole
/// seconds of Entra's clock) says the lifetime exactly, and is believed when it is at most
/// [`CLAIMED_SLACK`] longer than the measure and not shorter: claims that say otherwise are not
/// trusted over what was measured.
pub fn lifetime(meta: &TokenMeta) -> Duration {
    let exact = token::remaining(meta.expires_at, meta.obtained_at);
    let measured = Duration::from_secs(exact.as_millis().div_ceil(1000) as u64);
    match (meta.claims.iat, meta.claims.exp) {
        (Some(iat), Some(exp)) if exp > iat => {
            let claimed = Duration::from_secs(exp.abs_diff(iat));
            if claimed >= measured && claimed <= measured + CLAIMED_SLACK {
                claimed
            } else {
                measured
            }
        }
        _ => measured,
    }
}

/// How much longer than the measure a token's claimed lifetime may be and still be believed.
pub const CLAIMED_SLACK: Duration = Duration::from_secs(5);

/// True when Entra issues tokens that cannot stay valid for `min_valid`.
pub fn short_lived(min_valid: Duration, lifetime: Duration) -> bool {
    lifetime <= min_valid
}

/// How long a token whose kind lives `lifetime` must still be valid to be handed out:
/// `min_valid`, or half the lifetime when Entra issues tokens shorter than `min_valid`.
pub fn required(min_valid: Duration, lifetime: Duration) -> Duration {
    if short_lived(min_valid, lifetime) {
        lifetime / 2
    } else {
        min_valid
    }
}

/// The token's state at `now` under the freshness rule (`failed`: the last attempt failed).
pub fn state(meta: Option<&TokenMeta>, now: Timestamp, min_valid: Duration, failed: bool) -> TokenState {
    let need = meta.map_or(min_valid, |m| required(min_valid, lifetime(m)));
    TokenState::at(meta.map(|m| m.expires_at), now, need, failed)
}

/// The warning that goes with a token handed out under `min_valid` because Entra issues no
/// longer ones; `None` when the token meets `min_valid`.
pub fn short_warning(profile: &str, meta: &TokenMeta, now: Timestamp, min_valid: Duration) -> Option<String> {
    let life = lifetime(meta);
    let left = token::remaining(meta.expires_at, now);
    if left >= min_valid {
        return None;
    }
    if !short_lived(min_valid, life) {
        return None;
    }
    Some(format!(
        "Entra issues tokens for '{profile}' that live {}, less than min_valid {}: this one is valid {} more. \
         Lower min_valid (`--min-valid`, or the `min_valid` setting in profiles.toml) below {} to silence this.",
        human(life),
        human(min_valid),
        human(left),
        human(life)
    ))
}

/// When a profile with a refresh token should be refreshed in the background: the required
/// time plus a per-profile jitter before the end, whatever the token's age, but never sooner
/// than a twentieth of its life after it was obtained (so a bar set next to the lifetime
/// cannot turn into a loop of requests).
pub fn refresh_due(name: &str, meta: &TokenMeta, min_valid: Duration) -> Timestamp {
    let life = lifetime(meta);
    let need = required(min_valid, life);
    let slack = life.saturating_sub(need);
    let span = MAX_JITTER.min(life / 10).min(slack / 2);
    let lead = need + jitter(name, meta.obtained_at, span);
    let target = sub(meta.expires_at, lead);
    let floor = add(meta.obtained_at, life / 20);
    target.max(floor)
}

/// A stable pseudo-random offset in `[0, span)`, derived from the profile and its token, so it
/// needs no random state and tests can predict it.
pub fn jitter(name: &str, obtained_at: Timestamp, span: Duration) -> Duration {
    let span = span.as_millis() as u64;
    if span == 0 {
        return Duration::ZERO;
    }
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in name.bytes().chain(obtained_at.as_second().to_le_bytes()) {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    Duration::from_millis(hash % span)
}

fn add(t: Timestamp, d: Duration) -> Timestamp {
    let d = jiff::SignedDuration::try_from(d).unwrap_or(jiff::SignedDuration::MAX);
    t.saturating_add(d).unwrap_or(Timestamp::MAX)
}

fn sub(t: Timestamp, d: Duration) -> Timestamp {
    let d = jiff::SignedDuration::try_from(d).unwrap_or(jiff::SignedDuration::MAX);
    t.saturating_sub(d).unwrap_or(Timestamp::MIN)
}

#[cfg(test)]
mod tests {
    use super::super::Grant;
    use super::*;

    const MIN: Duration = Duration::from_secs(15 * 60);

    fn meta(obtained: i64, lifetime: i64) -> TokenMeta {
        TokenMeta {
            expires_at: Timestamp::from_second(obtained + lifetime).unwrap(),
            obtained_at: Timestamp::from_second(obtained).unwrap(),
            grant: Grant::Password,
            claims: crate::token::Claims::default(),
            warning: None,
        }
    }

    fn at(s: i64) -> Timestamp {
        Timestamp::from_second(s).unwrap()
    }

    #[test]
    fn an_hour_token_must_keep_min_valid() {
        let m = meta(1_000_000, 3600);
        assert_eq!(required(MIN, lifetime(&m)), MIN);
        assert_eq!(
            state(Some(&m), at(1_000_000 + 3600 - 901), MIN, false),
            TokenState::Valid
        );
        assert_eq!(
            state(Some(&m), at(1_000_000 + 3600 - 899), MIN, false),
            TokenState::Expiring
        );
        assert!(short_warning("p", &m, at(1_000_000 + 10), MIN).is_none());
    }

    #[test]
    fn the_lifetime_is_what_entra_issued_even_when_the_answer_arrived_a_second_late() {
        // Issued at 999.9 s on Entra's clock (iat 999, exp 1039), noted on arrival at 1000.1 s.
        let mut m = meta(0, 0);
        m.obtained_at = Timestamp::from_millisecond(1_000_100).unwrap();
        m.expires_at = at(1039);
        m.claims.iat = Some(999);
        m.claims.exp = Some(1039);
        assert_eq!(lifetime(&m), Duration::from_secs(40));
        // Claims that stretch or shrink the lifetime are not believed over the measure.
        m.claims.iat = Some(0);
        assert_eq!(lifetime(&m), Duration::from_secs(39));
        m.claims.iat = Some(1030);
        assert_eq!(lifetime(&m), Duration::from_secs(39));
        // Without the claims the measure falls short by the second that was cut.
        m.claims = crate::token::Claims::default();
        assert_eq!(lifetime(&m), Duration::from_secs(39));
    }

    #[test]
    fn a_forty_second_token_is_fresh_for_its_first_half_with_a_warning_naming_lifetime_and_setting() {
        let m = meta(1_000_000, 40);
        assert_eq!(required(MIN, lifetime(&m)), Duration::from_secs(20));
        assert_eq!(state(Some(&m), at(1_000_019), MIN, false), TokenState::Valid);
        assert_eq!(state(Some(&m), at(1_000_021), MIN, false), TokenState::Expiring);
        let w = short_warning("demo", &m, at(1_000_002), MIN).unwrap();
        assert!(w.contains("live 40s"), "{w}");
        assert!(w.contains("min_valid 15m 00s"), "{w}");
        assert!(w.contains("valid 38s more"), "{w}");
        assert!(w.contains("--min-valid"), "{w}");
    }

    #[test]
    fn a_45_minute_min_valid_with_hour_tokens_is_refreshed_before_it_falls_under_45_minutes() {
        let min = Duration::from_secs(45 * 60);
        let m = meta(1_000_000, 3600);
        let due = refresh_due("contoso", &m, min);
        let left = m.expires_at.as_second() - due.as_second();
        assert!((2700..=2760).contains(&left), "left at refresh {left}s");
    }

    #[test]
    fn a_16_minute_token_is_refreshed_before_15_minutes_left() {
        let m = meta(1_000_000, 16 * 60);
        let due = refresh_due("p", &m, MIN);
        let left = m.expires_at.as_second() - due.as_second();
        assert!((900..=930).contains(&left), "left at refresh {left}s");
    }

    #[test]
    fn short_tokens_are_refreshed_once_per_half_life_never_in_a_loop() {
        let m = meta(1_000_000, 40);
        let due = refresh_due("p", &m, MIN);
        let age = due.as_second() - 1_000_000;
        assert!((16..=20).contains(&age), "age at refresh {age}s");
        // A bar set next to the lifetime: never sooner than a twentieth of the life.
        let m = meta(1_000_000, 3600);
        let due = refresh_due("p", &m, Duration::from_secs(3599));
        assert!(due.as_second() - 1_000_000 >= 180);
    }

    #[test]
    fn jitter_differs_between_profiles_and_stays_in_bounds() {
        let t = at(1_000_000);
        let span = Duration::from_secs(60);
        assert_ne!(jitter("contoso-prod", t, span), jitter("fabrikam-test", t, span));
        for name in ["a", "b", "c", "d", "e"] {
            assert!(jitter(name, t, span) < span);
        }
        assert_eq!(jitter("a", t, Duration::ZERO), Duration::ZERO);
    }
}
