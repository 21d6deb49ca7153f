//! `App::update` driven by keys and messages built here: no terminal, no runtime, a fixed clock.

use std::time::Duration;

use crossterm::event::KeyCode;

use lcsauth::broker::Source;
use lcsauth::secret::Secret;

use super::fixtures::{
    app_with, board_snapshot, ch, ctrl, key, needs_sign_in, now, profile, snapshot, token, type_text, unreachable,
};
use crate::tui::app::msg::{Command, CopyVia, FetchJob, Got, Msg, Purpose};
use crate::tui::app::state::App;
use crate::tui::prompt::state::Prompt;
use crate::tui::time::later;

fn board() -> App {
    app_with(board_snapshot(), 100, 30)
}

fn selected(app: &App) -> String {
    app.roster.selected().unwrap().name().to_string()
}

fn fetch(cmd: Option<Command>) -> FetchJob {
    match cmd {
        Some(Command::Fetch(job)) => job,
        other => panic!("expected a fetch, got {other:?}"),
    }
}

fn got(expires_in: u64) -> Got {
    Got {
        expires_at: later(now(), Duration::from_secs(expires_in)),
        source: Source::Fetched(lcsauth::broker::Grant::RefreshToken),
        warnings: Vec::new(),
    }
}

#[test]
fn j_and_k_move_the_selection_and_stop_at_the_ends() {
    let mut app = board();
    assert_eq!(selected(&app), "contoso-prod");
    app.update(ch('j'), now());
    app.update(key(KeyCode::Down), now());
    assert_eq!(selected(&app), "fabrikam-ops");
    for _ in 0..5 {
        app.update(ch('j'), now());
    }
    assert_eq!(selected(&app), "northwind-dev");
    app.update(ch('k'), now());
    assert_eq!(selected(&app), "fabrikam-ops");
    app.update(ch('g'), now());
    assert_eq!(selected(&app), "contoso-prod");
    app.update(key(KeyCode::Up), now());
    assert_eq!(selected(&app), "contoso-prod");
    app.update(ch('G'), now());
    assert_eq!(selected(&app), "northwind-dev");
}

#[test]
fn enter_makes_the_selected_profile_the_default_and_dash_goes_back() {
    let mut app = board();
    app.update(ch('j'), now());
    match app.update(key(KeyCode::Enter), now()) {
        Some(Command::SetDefault(name)) => assert_eq!(name.as_str(), "contoso-test"),
        other => panic!("{other:?}"),
    }
    // The worker saved it; the next reading of the file says so.
    let mut snap = board_snapshot();
    snap.config.default_profile = Some("contoso-test".parse().unwrap());
    app.update(Msg::Loaded(Ok(snap)), now());
    app.update(ch('j'), now());
    app.update(ch('j'), now());
    match app.update(ch('-'), now()) {
        Some(Command::SetDefault(name)) => assert_eq!(name.as_str(), "contoso-prod"),
        other => panic!("{other:?}"),
    }
    assert_eq!(selected(&app), "contoso-prod", "the cursor follows the jump");
    assert_eq!(
        app.previous.as_ref().unwrap().as_str(),
        "contoso-test",
        "a second - comes back"
    );
}

#[test]
fn dash_without_a_previous_default_only_explains() {
    let mut app = board();
    assert!(app.update(ch('-'), now()).is_none());
    assert!(app.notice.as_ref().unwrap().text.contains("No previous profile"));
}

#[test]
fn c_copies_a_token_fresh_for_min_valid_and_a_second_c_in_flight_starts_nothing() {
    let mut app = board();
    let job = fetch(app.update(ch('c'), now()));
    assert_eq!(job.profile.name.as_str(), "contoso-prod");
    assert!(!job.force, "a cached token that stays valid for min_valid is fine");
    assert_eq!(job.min_valid, app.roster.settings.min_valid);
    assert_eq!(job.copy, Some(app.roster.settings.clear_after));
    assert!(app.update(ch('c'), now()).is_none(), "one request per profile");
    assert!(app.update(ch('r'), now()).is_none(), "one request per profile");
}

#[test]
fn c_during_a_refresh_copies_once_the_refresh_ends() {
    let mut app = board();
    let job = fetch(app.update(ch('r'), now()));
    assert!(job.force && job.copy.is_none());
    assert!(app.update(ch('c'), now()).is_none());
    let state = token(
        Duration::ZERO,
        Duration::from_secs(3600),
        "https://lcsapi.eu.lcs.dynamics.com",
    );
    let next = app.update(
        Msg::Fetched {
            name: "contoso-prod".parse().unwrap(),
            state: Box::new(state),
            outcome: Ok(got(3600)),
        },
        now(),
    );
    let copy = fetch(next);
    assert!(copy.copy.is_some() && !copy.force, "the copy joins the fresh token");
}

#[test]
fn r_marks_the_row_refreshing_until_the_answer_arrives() {
    let mut app = board();
    fetch(app.update(ch('r'), now()));
    assert_eq!(
        app.roster.get("contoso-prod").unwrap().busy.unwrap().purpose,
        Purpose::Refresh
    );
    app.update(
        Msg::Fetched {
            name: "contoso-prod".parse().unwrap(),
            state: Box::new(token(
                Duration::ZERO,
                Duration::from_secs(3600),
                "https://lcsapi.eu.lcs.dynamics.com",
            )),
            outcome: Ok(got(3600)),
        },
        now(),
    );
    assert!(app.roster.get("contoso-prod").unwrap().busy.is_none());
    assert!(
        app.notice
            .as_ref()
            .unwrap()
            .text
            .contains("Fresh token for 'contoso-prod' (1h 00m 00s left)")
    );
}

#[test]
fn slash_filters_as_you_type_and_esc_clears_the_filter_before_quitting() {
    let mut app = board();
    app.update(ch('/'), now());
    type_text(&mut app, "fab");
    assert_eq!(app.roster.visible_len(), 1);
    assert_eq!(selected(&app), "fabrikam-ops");
    app.update(key(KeyCode::Enter), now());
    assert!(app.filter_input.is_none());
    assert_eq!(app.roster.visible_len(), 1, "Enter keeps the filter");
    assert!(
        app.update(key(KeyCode::Esc), now()).is_none(),
        "Esc clears the filter first"
    );
    assert_eq!(app.roster.visible_len(), 4);
    assert!(matches!(app.update(key(KeyCode::Esc), now()), Some(Command::Quit)));
    assert!(app.quit);
}

#[test]
fn filter_matches_tenant_user_and_region_too() {
    let mut app = board();
    app.update(ch('/'), now());
    type_text(&mut app, "northwind.onmicrosoft");
    assert_eq!(selected(&app), "northwind-dev");
    app.update(ctrl('u'), now());
    type_text(&mut app, "global");
    assert_eq!(selected(&app), "contoso-test");
    assert_eq!(app.roster.visible_len(), 1);
}

#[test]
fn q_quits_and_help_opens_and_closes_on_any_key() {
    let mut app = board();
    app.update(ch('?'), now());
    assert!(app.help);
    assert!(
        app.update(ch('q'), now()).is_none(),
        "q closes the help, not the program"
    );
    assert!(!app.help);
    assert!(matches!(app.update(ch('q'), now()), Some(Command::Quit)));
}

#[test]
fn d_asks_first_and_only_y_deletes() {
    let mut app = board();
    app.update(ch('d'), now());
    assert!(matches!(app.prompt, Some(Prompt::ConfirmDelete { .. })));
    assert!(app.update(ch('x'), now()).is_none());
    assert!(app.update(ch('n'), now()).is_none());
    assert!(app.prompt.is_none());
    app.update(ch('d'), now());
    match app.update(ch('y'), now()) {
        Some(Command::Delete(name)) => assert_eq!(name.as_str(), "contoso-prod"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn tick_starts_one_background_refresh_when_due_and_not_twice() {
    let mut app = board();
    // contoso-test ends in 599 s, under min_valid (15 min): due now.
    let job = fetch(app.update(Msg::Tick, now()));
    assert_eq!(job.profile.name.as_str(), "contoso-test");
    assert!(job.force && job.copy.is_none() && !job.sign_in);
    assert!(
        app.update(Msg::Tick, now()).is_none(),
        "already in flight; contoso-prod is not due yet"
    );
}

#[test]
fn a_failed_background_refresh_keeps_the_token_and_backs_off() {
    let mut app = board();
    fetch(app.update(Msg::Tick, now()));
    let mut state = token(
        Duration::from_secs(3000),
        Duration::from_secs(3599),
        "https://lcsapi.lcs.dynamics.com",
    );
    state.last_error = Some(lcsauth::broker::LastError::new(now(), "cannot reach the sign-in host"));
    app.update(
        Msg::Fetched {
            name: "contoso-test".parse().unwrap(),
            state: Box::new(state),
            outcome: Err(unreachable("http://login", "connection refused").into()),
        },
        now(),
    );
    let e = app.roster.get("contoso-test").unwrap();
    assert!(e.state.token.is_some(), "the old token stays until it really ends");
    assert_eq!(e.auto_at, Some(later(now(), Duration::from_secs(30))));
    assert!(app.update(Msg::Tick, now()).is_none());
    let job = fetch(app.update(Msg::Tick, later(now(), Duration::from_secs(31))));
    assert_eq!(job.profile.name.as_str(), "contoso-test");
}

#[test]
fn a_refresh_that_needs_a_sign_in_asks_for_the_password_and_signs_in() {
    let mut app = board();
    fetch(app.update(ch('r'), now()));
    app.update(
        Msg::Fetched {
            name: "contoso-prod".parse().unwrap(),
            state: Box::default(),
            outcome: Err(needs_sign_in("contoso-prod", "there is no refresh token").into()),
        },
        now(),
    );
    assert!(matches!(app.prompt, Some(Prompt::SignIn { .. })));
    assert!(
        app.update(key(KeyCode::Enter), now()).is_none(),
        "no password typed yet"
    );
    type_text(&mut app, "pw 1");
    assert!(!format!("{app:?}").contains("pw 1"));
    let job = fetch(app.update(key(KeyCode::Enter), now()));
    assert!(job.sign_in);
    assert_eq!(job.password.unwrap().expose(), "pw 1");
    assert!(app.prompt.is_none());
}

#[test]
fn a_copy_counts_down_to_the_clear_and_the_clear_ends_it() {
    let mut app = board();
    fetch(app.update(ch('c'), now()));
    app.update(
        Msg::Copied {
            name: "contoso-prod".parse().unwrap(),
            result: Ok(CopyVia::Clipboard {
                clear_after: Duration::from_secs(45),
            }),
        },
        now(),
    );
    let hold = app.clipboard.clone().unwrap();
    assert_eq!(hold.clear_at, later(now(), Duration::from_secs(45)));
    assert!(app.notice.as_ref().unwrap().text.starts_with("Copied 'contoso-prod'"));
    app.update(Msg::ClipboardSettled { cleared: true }, now());
    assert!(app.clipboard.is_none());
    assert_eq!(app.notice.as_ref().unwrap().text, "Clipboard cleared.");
}

#[test]
fn without_a_display_the_token_goes_through_osc52_and_says_so() {
    let mut app = board();
    let cmd = app.update(
        Msg::Copied {
            name: "contoso-prod".parse().unwrap(),
            result: Ok(CopyVia::Terminal {
                text: Secret::new("eyJ.token.sig"),
                reason: "neither DISPLAY nor WAYLAND_DISPLAY is set".into(),
            }),
        },
        now(),
    );
    match cmd {
        Some(Command::Osc52(text)) => assert_eq!(text.expose(), "eyJ.token.sig"),
        other => panic!("{other:?}"),
    }
    assert!(app.notice.as_ref().unwrap().text.contains("OSC 52"));
}

#[test]
fn v_reveals_only_on_request_and_moving_hides_it() {
    let mut app = board();
    match app.update(ch('v'), now()) {
        Some(Command::Reveal(p)) => assert_eq!(p.name.as_str(), "contoso-prod"),
        other => panic!("{other:?}"),
    }
    app.update(
        Msg::Revealed {
            name: "contoso-prod".parse().unwrap(),
            token: Ok(Some(Secret::new("eyJ.revealed.sig"))),
        },
        now(),
    );
    assert!(app.revealed.is_some());
    app.update(ch('j'), now());
    assert!(app.revealed.is_none(), "moving away hides the token");
}

#[test]
fn a_renamed_profile_in_a_reload_keeps_the_cursor_sensible() {
    let mut app = app_with(snapshot(vec![profile("a"), profile("b")]), 80, 24);
    app.update(ch('j'), now());
    app.update(Msg::Loaded(Ok(snapshot(vec![profile("a")]))), now());
    assert_eq!(selected(&app), "a");
}

#[test]
fn a_warning_about_profiles_toml_is_shown_once_loaded() {
    let mut snap = board_snapshot();
    snap.config
        .warnings
        .push("profiles.toml is readable by other users (mode 644)".into());
    let app = app_with(snap, 80, 24);
    assert!(app.notice.as_ref().unwrap().text.contains("mode 644"));
}

#[test]
fn a_smaller_terminal_scrolls_the_board_to_keep_the_selection_visible() {
    let profiles = (0..40).map(|i| profile(&format!("p{i:02}"))).collect();
    let mut app = app_with(snapshot(profiles), 100, 60);
    for _ in 0..20 {
        app.update(ch('j'), now());
    }
    assert_eq!(app.roster.offset(), 0, "20 rows fit at 60 lines");
    app.update(Msg::Resize { width: 80, height: 24 }, now());
    let rows = app.board_rows();
    assert_eq!(rows, 6);
    assert!(app.roster.offset() <= 20 && 20 < app.roster.offset() + rows);
}
