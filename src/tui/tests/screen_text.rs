//! What whole screens say, read as text at a fixed clock: masking, escapes, colour, the welcome
//! screen, the filter, tiny terminals. The screens compared whole with snapshots are in
//! `screens`, whose renderers these share.

use std::time::Duration;

use crossterm::event::KeyCode;
use ratatui::style::Color;

use lcsauth::broker::LastError;
use lcsauth::secret::Secret;

use super::fixtures::{app_with, board_snapshot, ch, key, now, profile, snapshot, token, type_text};
use crate::tui::app::msg::Msg;
use crate::tui::app::state::App;
use crate::tui::view::theme::Theme;

use super::screens::{screen, text};

#[test]
fn a_failed_refresh_with_a_live_token_shows_on_the_row_and_keeps_counting() {
    let mut snap = board_snapshot();
    let mut state = token(
        Duration::from_secs(600),
        Duration::from_secs(4199),
        "https://lcsapi.eu.lcs.dynamics.com",
    );
    state.last_error = Some(LastError::new(now(), "no answer from http://127.0.0.1:9/ within 30s"));
    snap.states[0] = state;
    let app = app_with(snap, 80, 24);
    let shown = text(&app);
    let row = shown.lines().find(|l| l.contains("▸* contoso-prod")).unwrap();
    assert!(row.contains("valid !") && row.contains("59m 59s"), "{row}");
    assert!(shown.contains("no answer from"), "the detail pane names the failure");
}

#[test]
fn the_token_is_masked_until_revealed_and_the_password_never_shows() {
    let mut app = app_with(board_snapshot(), 100, 30);
    assert!(text(&app).contains("•••••••• (v shows it)"));
    app.update(
        Msg::Revealed {
            name: "contoso-prod".parse().unwrap(),
            token: Ok(Some(Secret::new("eyJhbGciOi.revealed-payload.sig"))),
        },
        now(),
    );
    assert!(text(&app).contains("eyJhbGciOi.revealed-payload.sig"));
    app.update(ch('e'), now());
    for _ in 0..6 {
        app.update(key(KeyCode::Tab), now());
    }
    type_text(&mut app, "hunter2-pw");
    let shown = text(&app);
    assert!(!shown.contains("hunter2"), "{shown}");
    assert!(shown.contains("••••••••••"));
}

#[test]
fn an_audience_for_another_region_is_flagged() {
    let mut snap = board_snapshot();
    snap.states[0] = token(
        Duration::from_secs(60),
        Duration::from_secs(3600),
        "https://lcsapi.lcs.dynamics.com",
    );
    let app = app_with(snap, 100, 30);
    assert!(text(&app).contains("the API will answer 401"));
}

#[test]
fn ten_thousand_profiles_render_the_window_around_the_cursor() {
    let profiles = (0..10_000).map(|i| profile(&format!("p{i:05}"))).collect();
    let mut app = app_with(snapshot(profiles), 80, 24);
    for _ in 0..5000 {
        app.update(ch('j'), now());
    }
    let shown = text(&app);
    assert!(shown.contains("▸* p05000") || shown.contains("▸  p05000"), "{shown}");
    assert!(shown.contains("5001/10000"));
    assert!(!shown.contains("p04000") && !shown.contains("p06000"));
}

#[test]
fn no_color_keeps_the_screen_free_of_colour() {
    let mut app = app_with(board_snapshot(), 80, 24);
    let colours = |app: &App| {
        let t = screen(app);
        t.backend()
            .buffer()
            .content()
            .iter()
            .filter(|c| c.fg != Color::Reset || c.bg != Color::Reset)
            .count()
    };
    assert_eq!(colours(&app), 0);
    app.theme = Theme { color: true };
    assert!(colours(&app) > 0);
}

#[test]
fn a_tiny_terminal_gets_a_message_instead_of_a_broken_board() {
    let app = app_with(board_snapshot(), 40, 10);
    assert!(text(&app).contains("needs at least 60×12"));
}

#[test]
fn outside_text_in_the_detail_pane_is_shown_as_visible_escapes() {
    let attack = "\u{1b}]52;c;cm0gLXJmIH4=\u{7}\u{1b}]0;owned\u{7}\rall is well";
    let mut snap = board_snapshot();
    let err = snap.states[2].last_error.as_mut().unwrap();
    err.message = format!("Entra refused the sign-in ({attack})");
    err.trace_id = Some(attack.into());
    if let Some(tok) = snap.states[0].token.as_mut() {
        tok.claims.user = Some(format!("ops{attack}@contoso"));
    }
    let mut app = app_with(snap, 120, 40);
    let first = text(&app);
    assert!(first.contains("ops\\e]52;c;"), "the upn claim is not escaped:\n{first}");
    app.update(ch('j'), now());
    app.update(ch('j'), now());
    let shown = text(&app);
    assert!(
        shown.contains("\\e]0;owned\\x07\\rall"),
        "the error is not escaped:\n{shown}"
    );
}

#[test]
fn v_shows_the_token_without_a_frame_so_a_mouse_selection_copies_it_alone() {
    let mut app = app_with(board_snapshot(), 80, 24);
    let token = format!("eyJ0eXAiOiJKV1QifQ.{}.sig", "x".repeat(150));
    app.update(
        Msg::Revealed {
            name: "contoso-prod".parse().unwrap(),
            token: Ok(Some(Secret::new(token.clone()))),
        },
        now(),
    );
    let shown = text(&app);
    // The lines that hold the token hold nothing else: joined, they are the token.
    let token_lines: Vec<&str> = shown
        .lines()
        .map(|l| l.trim_matches('"'))
        .filter(|l| {
            l.starts_with("eyJ0")
                || (!l.is_empty()
                    && l.trim_end()
                        .chars()
                        .all(|c| c == 'x' || c == '.' || c == 's' || c == 'i' || c == 'g'))
        })
        .collect();
    let joined: String = token_lines.iter().map(|l| l.trim_end()).collect();
    assert_eq!(joined, token, "{shown}");
    assert!(token_lines.iter().all(|l| !l.contains('│')), "{shown}");
}

#[test]
fn the_welcome_screen_mentions_the_demo_the_lcs_role_and_mfa_flows() {
    let app = app_with(snapshot(Vec::new()), 100, 40);
    let shown = text(&app);
    for needle in [
        "lcsauth demo",
        "Project owner or Environment admin",
        "MFA account → device code or browser",
    ] {
        assert!(shown.contains(needle), "{needle} is missing:\n{shown}");
    }
}

#[test]
fn no_profile_matches_is_shown_whole_and_the_filter_redraws_after_esc() {
    let mut app = app_with(board_snapshot(), 80, 24);
    app.update(ch('/'), now());
    type_text(&mut app, "nothing-like-this");
    app.update(key(KeyCode::Enter), now());
    let shown = text(&app);
    assert!(
        shown.contains("no profile matches the filter (Esc clears it, / changes it)"),
        "{shown}"
    );
    app.update(key(KeyCode::Esc), now());
    let shown = text(&app);
    assert!(!shown.contains("no profile matches"), "{shown}");
    assert!(
        shown.contains("northwind-dev") && shown.contains("contoso-test"),
        "{shown}"
    );
}

#[test]
fn a_profile_added_in_the_demo_starts_at_the_simulator() {
    let mut app = app_with(board_snapshot(), 100, 30);
    app.new_profile_host = Some("http://127.0.0.1:4000".into());
    app.update(ch('a'), now());
    let form = app.form.as_ref().unwrap();
    assert_eq!(form.authority.value(), "http://127.0.0.1:4000");
    assert_eq!(form.api_host.value(), "http://127.0.0.1:4000");
}

#[test]
fn state_and_countdown_on_the_selected_row_are_never_grey_or_dim() {
    // On northwind-dev (state "none", grey on other rows) and on contoso-prod (green).
    for moves in [3, 0] {
        let mut app = app_with(board_snapshot(), 80, 24);
        app.theme = Theme { color: true };
        for _ in 0..moves {
            app.update(ch('j'), now());
        }
        let t = screen(&app);
        let buf = t.backend().buffer();
        let y = (0..buf.area.height)
            .find(|&y| buf.cell((1, y)).is_some_and(|c| c.symbol() == "▸"))
            .unwrap();
        let selected_bg = buf.cell((2, y)).unwrap().bg;
        for x in 0..buf.area.width {
            let c = buf.cell((x, y)).unwrap();
            if c.symbol().trim().is_empty() || c.symbol() == "│" {
                continue;
            }
            assert_ne!(c.fg, Color::Indexed(245), "grey on the selection at x={x}");
            assert_ne!(c.fg, selected_bg, "text in the background's colour at x={x}");
            assert!(!c.modifier.contains(ratatui::style::Modifier::DIM), "dim at x={x}");
        }
    }
}
