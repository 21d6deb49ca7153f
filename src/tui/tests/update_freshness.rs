//! The board under the core's freshness rule: a 45-minute min_valid with hour tokens is
//! refreshed in the background before 45 minutes are left, a 40-second token is shown valid
//! for its first half and refreshed once per half life, never in a loop.

use std::time::Duration;

use lcsauth::broker::{ProfileState, Source};

use super::fixtures::{app_with, now, profile, screen_text, snapshot, token};
use crate::tui::app::msg::{Command, Got, Msg};
use crate::tui::app::state::App;
use crate::tui::time::later;

const MINUTE: Duration = Duration::from_secs(60);

fn one_profile(state: ProfileState, min_valid: Duration) -> App {
    let mut snap = snapshot(vec![profile("contoso-prod")]);
    snap.config.settings.min_valid = min_valid;
    snap.states[0] = state;
    app_with(snap, 100, 30)
}

fn is_background_fetch(cmd: Option<Command>) -> bool {
    matches!(cmd, Some(Command::Fetch(job)) if job.force && job.copy.is_none() && !job.sign_in)
}

#[test]
fn a_45_minute_min_valid_is_refreshed_in_the_background_before_45_minutes_are_left() {
    let hour = token(Duration::ZERO, 60 * MINUTE, "https://lcsapi.eu.lcs.dynamics.com");
    let mut app = one_profile(hour, 45 * MINUTE);
    assert!(
        app.update(Msg::Tick, later(now(), 13 * MINUTE)).is_none(),
        "not due yet"
    );
    // Due within the jitter (up to a minute) before 45 minutes are left: at 15 minutes of age
    // at the latest, in the first half of the token's life.
    assert!(is_background_fetch(app.update(Msg::Tick, later(now(), 15 * MINUTE))));
    assert!(
        app.update(Msg::Tick, later(now(), 15 * MINUTE)).is_none(),
        "one request in flight"
    );
}

#[test]
fn a_forty_second_token_shows_valid_for_its_first_half_and_is_refreshed_once_per_half_life() {
    let short = token(
        Duration::ZERO,
        Duration::from_secs(40),
        "https://lcsapi.eu.lcs.dynamics.com",
    );
    let mut app = one_profile(short, 15 * MINUTE);
    let screen = screen_text(&app, later(now(), Duration::from_secs(5)));
    let row = screen.lines().find(|l| l.contains("* contoso-prod ")).unwrap();
    assert!(row.contains("valid") && !row.contains("expiring"), "{row}");
    assert!(row.contains("35s"), "{row}");
    for s in 1..16 {
        assert!(
            app.update(Msg::Tick, later(now(), Duration::from_secs(s))).is_none(),
            "no request at {s}s"
        );
    }
    let at = later(now(), Duration::from_secs(20));
    assert!(is_background_fetch(app.update(Msg::Tick, at)));
    // The new 40-second token arrives: planned again half a life later, not at once.
    let fresh = {
        let mut s = token(
            Duration::ZERO,
            Duration::from_secs(40),
            "https://lcsapi.eu.lcs.dynamics.com",
        );
        let t = s.token.as_mut().unwrap();
        t.obtained_at = at;
        t.expires_at = later(at, Duration::from_secs(40));
        s
    };
    app.update(
        Msg::Fetched {
            name: "contoso-prod".parse().unwrap(),
            state: Box::new(fresh),
            outcome: Ok(Got {
                expires_at: later(at, Duration::from_secs(40)),
                source: Source::Fetched(lcsauth::broker::Grant::RefreshToken),
                warnings: Vec::new(),
            }),
        },
        at,
    );
    for s in 21..36 {
        // (Every 30th tick reads the files again: that is no request to Entra.)
        let cmd = app.update(Msg::Tick, later(now(), Duration::from_secs(s)));
        assert!(!matches!(cmd, Some(Command::Fetch(_))), "no second request at {s}s");
    }
}
