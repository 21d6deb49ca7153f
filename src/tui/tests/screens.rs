//! Whole screens rendered to a `TestBackend` at a fixed clock and compared with snapshots
//! (`src/tui/tests/snapshots/`). Any change to what the user sees shows up as a diff.

use std::time::Duration;

use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::fixtures::{app_with, board_snapshot, ch, key, needs_sign_in, now, snapshot, type_text};
use crate::tui::app::msg::Msg;
use crate::tui::app::state::App;
use crate::tui::keymap::{Keys, Layer};
use crate::tui::view::screen;

pub(super) fn screen(app: &App) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(app.size.0, app.size.1)).unwrap();
    terminal.draw(|f| screen::render(app, now(), f)).unwrap();
    terminal
}

pub(super) fn text(app: &App) -> String {
    screen(app).backend().to_string()
}

#[test]
fn board_at_80x24() {
    let app = app_with(board_snapshot(), 80, 24);
    insta::assert_snapshot!(screen(&app).backend());
}

#[test]
fn board_at_120x32_with_flow_column_and_claims() {
    let app = app_with(board_snapshot(), 120, 32);
    insta::assert_snapshot!(screen(&app).backend());
}

#[test]
fn detail_explains_an_aadsts_error_with_trace_and_correlation_ids() {
    let mut app = app_with(board_snapshot(), 100, 30);
    app.update(ch('j'), now());
    app.update(ch('j'), now());
    let shown = text(&app);
    for needle in [
        "AADSTS50076",
        "Conditional Access",
        "press i (switch to an interactive sign-in)",
        "Step 3",
        "0c2d7a3e-5b1f-4e8a-9c6d-2f4b8a1e7d30",
        "7e9f1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b",
    ] {
        assert!(shown.contains(needle), "{needle} is missing:\n{shown}");
    }
    insta::assert_snapshot!(screen(&app).backend());
}

#[test]
fn help_overlay_lists_the_keys_of_every_layer_at_80x24() {
    let mut app = app_with(board_snapshot(), 80, 24);
    app.update(ch('?'), now());
    let shown = text(&app);
    for layer in Layer::ALL {
        assert!(
            shown.contains(layer.title()),
            "help lacks the layer {layer:?}:\n{shown}"
        );
        match layer.keys() {
            // The board and the form are listed row by row, the small layers by their hints.
            keys @ (Keys::Board(_) | Keys::Form(_)) => {
                for row in keys.rows() {
                    assert!(
                        shown.contains(row.help),
                        "help lacks {:?} of {layer:?}:\n{shown}",
                        row.help
                    );
                }
            }
            keys @ Keys::List(_) => {
                for (k, w) in keys.hints() {
                    let entry = format!("{k} {w}");
                    assert!(shown.contains(&entry), "help lacks {entry:?} of {layer:?}:\n{shown}");
                }
            }
        }
    }
    assert!(
        shown.contains("clipboard clears after 45s"),
        "the settings note fits too:\n{shown}"
    );
    insta::assert_snapshot!(screen(&app).backend());
}

#[test]
fn add_form_with_a_validation_error() {
    let mut app = app_with(board_snapshot(), 80, 24);
    app.update(ch('a'), now());
    type_text(&mut app, "contoso-uat");
    app.update(key(KeyCode::Tab), now());
    type_text(&mut app, "contoso.onmicrosoft.com");
    app.update(key(KeyCode::Tab), now());
    type_text(&mut app, "12345");
    assert!(text(&app).contains("is not a GUID"));
    insta::assert_snapshot!(screen(&app).backend());
}

#[test]
fn onboarding_shows_the_setup_steps_and_the_add_form() {
    let app = app_with(snapshot(Vec::new()), 80, 24);
    let shown = text(&app);
    for needle in [
        "913c6de4-2a4a-4a61-a9ce-945d2b2ce2e0",
        "Grant admin consent",
        "Allow public client flows",
        "Add a profile",
    ] {
        assert!(shown.contains(needle), "{needle} is missing:\n{shown}");
    }
    insta::assert_snapshot!(screen(&app).backend());
}

#[test]
fn device_code_dialog_with_its_countdown_at_80x24() {
    let mut app = app_with(board_snapshot(), 80, 24);
    app.update(ch('G'), now());
    app.update(ch('r'), now());
    let name: lcsauth::profile::ProfileName = "northwind-dev".parse().unwrap();
    let needs = Msg::Fetched {
        name: name.clone(),
        state: Box::default(),
        outcome: Err(needs_sign_in("northwind-dev", "there is no refresh token").into()),
    };
    assert!(matches!(
        app.update(needs, now()),
        Some(crate::tui::app::msg::Command::Fetch(_))
    ));
    let info = lcsauth::broker::DeviceCodeInfo {
        user_code: "HXQ7-K2PM".into(),
        verification_uri: "https://microsoft.com/devicelogin".into(),
        message: String::new(),
        expires_at: crate::tui::time::later(now(), Duration::from_secs(14 * 60 + 37)),
    };
    app.update(
        Msg::DeviceCode {
            name: name.clone(),
            info,
        },
        now(),
    );
    app.update(
        Msg::CodeCopied {
            name,
            result: Ok(crate::tui::app::msg::CopyVia::Clipboard {
                clear_after: Duration::ZERO,
            }),
        },
        now(),
    );
    assert!(text(&app).contains("Expires in   14m 37s"));
    insta::assert_snapshot!(screen(&app).backend());
}

#[test]
fn probe_verdict_in_the_detail_pane_at_100x30() {
    let mut snap = board_snapshot();
    snap.config.profiles[0].project_id = Some("1234567".parse().unwrap());
    let mut app = app_with(snap, 100, 30);
    assert!(matches!(
        app.update(ch('p'), now()),
        Some(crate::tui::app::msg::Command::Probe(_))
    ));
    let env = |name: &str, kind: &str| lcsauth::lcs::EnvironmentSummary {
        environment_name: Some(name.into()),
        environment_type: Some(kind.into()),
        deployment_status_display: Some("Deployed".into()),
    };
    let verdict = lcsauth::lcs::Verdict::Works {
        environments: vec![env("contoso-uat", "Sandbox"), env("contoso-prod", "Production")],
        more_pages: false,
    };
    let at = crate::tui::time::earlier(now(), Duration::from_secs(7));
    app.update(
        Msg::Probed {
            name: "contoso-prod".parse().unwrap(),
            project: "1234567".parse().unwrap(),
            outcome: crate::tui::app::msg::ProbeOutcome::Verdict(verdict),
            state: None,
        },
        at,
    );
    assert!(text(&app).contains("works: the token reads project 1234567 (2 environments) (7s ago)"));
    insta::assert_snapshot!(screen(&app).backend());
}
