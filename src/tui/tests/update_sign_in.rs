//! Interactive sign-in on the board: the device-code and browser dialogs and `i`, driven by
//! keys and worker messages built here.

use std::time::Duration;

use crossterm::event::KeyCode;

use lcsauth::broker::{DeviceCodeInfo, Grant, Source};
use lcsauth::profile::Flow;
use lcsauth::secret::Secret;

use super::fixtures::{
    app_with, board_snapshot, ch, dialog_text, key, needs_sign_in, now, refused, screen_text, token,
};
use crate::tui::app::msg::{Command, CopyVia, FetchJob, Got, Msg, Purpose};
use crate::tui::app::state::App;
use crate::tui::sign_in::dialog::Stage;
use crate::tui::time::later;

fn board() -> App {
    app_with(board_snapshot(), 100, 30)
}

fn fetch(cmd: Option<Command>) -> FetchJob {
    match cmd {
        Some(Command::Fetch(job)) => job,
        other => panic!("expected a fetch, got {other:?}"),
    }
}

fn sign_in_needed(name: &str) -> Msg {
    Msg::Fetched {
        name: name.parse().unwrap(),
        state: Box::default(),
        outcome: Err(needs_sign_in(name, "there is no refresh token").into()),
    }
}

fn device_code(name: &str, lifetime: Duration) -> Msg {
    Msg::DeviceCode {
        name: name.parse().unwrap(),
        info: DeviceCodeInfo {
            user_code: "HXQ7-K2PM".into(),
            verification_uri: "https://microsoft.com/devicelogin".into(),
            message: "To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code HXQ7-K2PM to authenticate.".into(),
            expires_at: later(now(), lifetime),
        },
    }
}

/// The board with `r` pressed on northwind-dev (device code, never signed in) and the broker's
/// answer that a sign-in is needed: the dialog is open, the sign-in job returned.
fn signing_in() -> (App, FetchJob) {
    let mut app = board();
    app.update(ch('G'), now());
    let first = fetch(app.update(ch('r'), now()));
    assert!(!first.sign_in, "r tries the refresh token first");
    let job = fetch(app.update(sign_in_needed("northwind-dev"), now()));
    (app, job)
}

#[test]
fn r_on_a_device_code_profile_without_tokens_opens_the_dialog_and_starts_the_sign_in() {
    let (app, job) = signing_in();
    assert!(job.sign_in && job.copy.is_none());
    assert_eq!(job.profile.flow, Flow::DeviceCode);
    let dialog = app.sign_in.as_ref().unwrap();
    assert_eq!(dialog.profile.as_str(), "northwind-dev");
    assert!(matches!(dialog.stage, Stage::Starting));
    let busy = app.roster.get("northwind-dev").unwrap().busy.unwrap();
    assert_eq!(busy.purpose, Purpose::SignIn);
    assert!(screen_text(&app, now()).contains("Asking Entra for a device code"));
}

#[test]
fn the_device_code_is_copied_and_shown_with_a_countdown_to_its_expiry() {
    let (mut app, _) = signing_in();
    match app.update(device_code("northwind-dev", Duration::from_secs(900)), now()) {
        Some(Command::CopyCode { name, text }) => {
            assert_eq!(name.as_str(), "northwind-dev");
            assert_eq!(text, "HXQ7-K2PM");
        }
        other => panic!("expected the code to be copied, got {other:?}"),
    }
    let copied = Msg::CodeCopied {
        name: "northwind-dev".parse().unwrap(),
        result: Ok(CopyVia::Clipboard {
            clear_after: Duration::ZERO,
        }),
    };
    assert!(app.update(copied, now()).is_none());
    let shown = screen_text(&app, now());
    for needle in [
        "https://microsoft.com/devicelogin",
        "HXQ7-K2PM",
        "copied to the clipboard",
        "Expires in   15m 00s",
        "Esc cancel",
    ] {
        assert!(shown.contains(needle), "{needle} is missing:\n{shown}");
    }
    // The countdown is computed at draw time from the code's expiry.
    let later_screen = screen_text(&app, later(now(), Duration::from_secs(61)));
    assert!(later_screen.contains("Expires in   13m 59s"), "{later_screen}");
    let expired = screen_text(&app, later(now(), Duration::from_secs(901)));
    assert!(expired.contains("expired: Esc, then r for a new code"), "{expired}");
}

#[test]
fn without_a_display_the_code_goes_to_the_terminal_clipboard_and_the_dialog_says_so() {
    let (mut app, _) = signing_in();
    app.update(device_code("northwind-dev", Duration::from_secs(900)), now());
    let cmd = app.update(
        Msg::CodeCopied {
            name: "northwind-dev".parse().unwrap(),
            result: Ok(CopyVia::Terminal {
                text: Secret::new("HXQ7-K2PM"),
                reason: "neither DISPLAY nor WAYLAND_DISPLAY is set".into(),
            }),
        },
        now(),
    );
    assert!(matches!(cmd, Some(Command::Osc52(t)) if t.expose() == "HXQ7-K2PM"));
    assert!(screen_text(&app, now()).contains("sent to your terminal's clipboard (OSC 52)"));
}

#[test]
fn esc_cancels_the_sign_in_closes_the_dialog_and_frees_the_profile() {
    let (mut app, _) = signing_in();
    app.update(device_code("northwind-dev", Duration::from_secs(900)), now());
    assert!(app.update(ch('j'), now()).is_none(), "the dialog takes the keys");
    assert_eq!(app.roster.selected().unwrap().name().as_str(), "northwind-dev");
    match app.update(key(KeyCode::Esc), now()) {
        Some(Command::CancelSignIn(name)) => assert_eq!(name.as_str(), "northwind-dev"),
        other => panic!("expected the sign-in to be cancelled, got {other:?}"),
    }
    assert!(app.sign_in.is_none());
    assert!(!app.quit, "Esc closes the dialog, it does not quit");
    assert!(app.roster.get("northwind-dev").unwrap().busy.is_none());
    assert!(
        app.notice
            .as_ref()
            .unwrap()
            .text
            .contains("cancelled; nothing was stored")
    );
    // A message of the dropped task that was already under way opens nothing again.
    assert!(
        app.update(device_code("northwind-dev", Duration::from_secs(900)), now())
            .is_none()
    );
    assert!(app.sign_in.is_none());
    // q cancels as well, without quitting.
    fetch(app.update(ch('r'), now()));
    fetch(app.update(sign_in_needed("northwind-dev"), now()));
    assert!(matches!(app.update(ch('q'), now()), Some(Command::CancelSignIn(_))));
    assert!(!app.quit);
}

#[test]
fn the_token_arriving_closes_the_dialog_and_the_row_turns_valid() {
    let (mut app, _) = signing_in();
    app.update(device_code("northwind-dev", Duration::from_secs(900)), now());
    let state = token(
        Duration::ZERO,
        Duration::from_secs(3600),
        "https://lcsapi.ch.lcs.dynamics.com",
    );
    let arrived = Msg::Fetched {
        name: "northwind-dev".parse().unwrap(),
        state: Box::new(state),
        outcome: Ok(Got {
            expires_at: later(now(), Duration::from_secs(3600)),
            source: Source::Fetched(Grant::DeviceCode),
            warnings: Vec::new(),
        }),
    };
    assert!(app.update(arrived, now()).is_none());
    assert!(app.sign_in.is_none());
    let shown = screen_text(&app, now());
    let row = shown.lines().find(|l| l.contains("│▸  northwind-dev ")).unwrap();
    assert!(row.contains("valid") && row.contains("1h 00m 00s"), "{row}");
    assert!(
        app.notice
            .as_ref()
            .unwrap()
            .text
            .contains("Signed in to 'northwind-dev' (1h 00m 00s left)")
    );
}

#[test]
fn a_declined_sign_in_closes_the_dialog_and_says_why() {
    let (mut app, _) = signing_in();
    app.update(device_code("northwind-dev", Duration::from_secs(900)), now());
    app.update(
        Msg::Fetched {
            name: "northwind-dev".parse().unwrap(),
            state: Box::default(),
            outcome: Err(refused("authorization_declined", 70000, None).into()),
        },
        now(),
    );
    assert!(app.sign_in.is_none());
    assert!(app.notice.as_ref().unwrap().text.contains("authorization_declined"));
}

#[test]
fn c_on_a_device_code_profile_that_needs_a_sign_in_copies_the_token_once_signed_in() {
    let mut app = board();
    app.update(ch('G'), now());
    fetch(app.update(ch('c'), now()));
    let job = fetch(app.update(sign_in_needed("northwind-dev"), now()));
    assert!(job.sign_in);
    assert_eq!(job.copy, Some(app.roster.settings.clear_after));
}

fn browser_board() -> App {
    let mut snap = board_snapshot();
    snap.config.profiles[3].flow = Flow::Browser;
    let mut app = app_with(snap, 100, 30);
    app.update(ch('G'), now());
    fetch(app.update(ch('r'), now()));
    fetch(app.update(sign_in_needed("northwind-dev"), now()));
    app
}

#[test]
fn a_browser_sign_in_shows_the_address_and_copies_it_only_when_no_browser_opened() {
    let url = "http://127.0.0.1:4000/northwind.onmicrosoft.com/oauth2/v2.0/authorize?client_id=0a1b&state=xyz";
    let mut app = browser_board();
    assert!(screen_text(&app, now()).contains("Starting the browser sign-in"));
    let opened = Msg::BrowserOpened {
        name: "northwind-dev".parse().unwrap(),
        url: url.into(),
        opened: true,
    };
    assert!(app.update(opened, now()).is_none(), "a browser opened: nothing to copy");
    let shown = dialog_text(&app, now());
    assert!(shown.contains("Your browser was opened at the sign-in page"), "{shown}");
    assert!(shown.contains("Waiting for the browser (at most 5m)"), "{shown}");
    assert!(!shown.contains("Address"), "nothing was copied: {shown}");

    let mut app = browser_board();
    // The session's own reason, found at start (here: an SSH session).
    app.no_browser = Some("this is an SSH session: a browser here is not yours".into());
    let none = Msg::BrowserOpened {
        name: "northwind-dev".parse().unwrap(),
        url: url.into(),
        opened: false,
    };
    match app.update(none, now()) {
        Some(Command::CopyCode { text, .. }) => assert_eq!(text, url),
        other => panic!("expected the address to be copied, got {other:?}"),
    }
    app.update(
        Msg::CodeCopied {
            name: "northwind-dev".parse().unwrap(),
            result: Ok(CopyVia::Clipboard {
                clear_after: Duration::ZERO,
            }),
        },
        now(),
    );
    let shown = dialog_text(&app, now());
    assert!(
        shown.contains("No browser was started (this is an SSH session: a browser here is not yours)"),
        "{shown}"
    );
    // The whole address is on screen, cut where the dialog ends.
    assert!(shown.replace(' ', "").contains(url), "{shown}");
    assert!(shown.contains("Address      copied to the clipboard"), "{shown}");
    assert!(matches!(
        app.update(key(KeyCode::Esc), now()),
        Some(Command::CancelSignIn(_))
    ));
}

#[test]
fn over_ssh_a_browser_sign_in_warns_that_the_answer_comes_back_to_this_machine() {
    let mut app = browser_board();
    app.interactive_flow = Flow::DeviceCode;
    app.update(
        Msg::BrowserOpened {
            name: "northwind-dev".parse().unwrap(),
            url: "http://127.0.0.1:4000/authorize".into(),
            opened: false,
        },
        now(),
    );
    let shown = dialog_text(&app, now());
    assert!(shown.contains("if your browser runs elsewhere"), "{shown}");
}
