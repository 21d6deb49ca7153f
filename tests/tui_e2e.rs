//! `lcsauth demo` in a real terminal (a private tmux server) with a real X clipboard (Xvfb via
//! `DISPLAY`, read back with xclip): what each key shows, and that the terminal is restored.
//! How fast the board answers, and how seldom it asks, is in `tui_timing.rs`.
//!
//! Outside CI a missing tmux, DISPLAY or xclip skips these tests with a printed reason; with
//! `CI=true` it fails them, so the pipeline can never pass without running them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod tmux;

use std::process::Command;

use lcsauth::token::Claims;

use tmux::{Session, board_is_up, countdown, ready, row, simulator_url, xclip_read};

#[test]
fn demo_counts_down_moves_with_j_and_k_and_q_restores_the_terminal() {
    let Some(display) = ready(false) else { return };
    let s = Session::start(&display);
    let first = s.wait("the demo board", |t| {
        board_is_up(t) && countdown(row(t, "contoso-prod")).is_some()
    });
    assert!(
        row(&first, "contoso-prod").starts_with("│▸*"),
        "the default starts selected:\n{first}"
    );
    assert!(
        row(&first, "fabrikam-ops").contains("error"),
        "the MFA account fails:\n{first}"
    );
    let before = countdown(row(&first, "contoso-prod")).unwrap();
    s.wait("the countdown to move", |t| {
        countdown(row(t, "contoso-prod")).is_some_and(|c| c != before)
    });

    s.keys(&["j"]);
    s.wait("j to select contoso-test", |t| row(t, "contoso-test").starts_with("│▸"));
    s.keys(&["j"]);
    let on_error = s.wait("j to select fabrikam-ops", |t| row(t, "fabrikam-ops").starts_with("│▸"));
    assert!(
        on_error.contains("AADSTS50076"),
        "the detail pane explains the refusal:\n{on_error}"
    );
    s.keys(&["k"]);
    let back = s.wait("k to go back", |t| row(t, "contoso-test").starts_with("│▸"));
    assert!(!row(&back, "fabrikam-ops").starts_with("│▸"));

    s.keys(&["q"]);
    s.assert_restored();
}

#[test]
fn sigterm_ends_the_demo_and_restores_the_terminal() {
    let Some(display) = ready(false) else { return };
    let s = Session::start(&display);
    s.wait("the demo board", board_is_up);
    let pid = s.wait_file("pid");
    let killed = Command::new("kill").args(["-TERM", pid.trim()]).status().unwrap();
    assert!(killed.success());
    s.assert_restored();
}

#[test]
fn p_in_the_demo_shows_the_lcs_verdict_in_the_detail_pane_and_honours_the_cooldown() {
    let Some(display) = ready(false) else { return };
    let s = Session::start(&display);
    s.wait("the demo board with a token", |t| {
        board_is_up(t) && countdown(row(t, "contoso-prod")).is_some()
    });
    s.keys(&["p"]);
    // The status line is drawn last: once it is there, the frame is whole.
    let shown = s.wait("the probe's verdict", |t| {
        t.contains("works: the token reads project 1234567") && t.contains("Probe of 'contoso-prod'")
    });
    for needle in [
        "(2 environments)",
        "contoso-uat · Sandbox · Deployed",
        "contoso-prod · Production · Deployed",
        "Probe of 'contoso-prod' (project 1234567): works",
    ] {
        assert!(shown.contains(needle), "{needle} is missing:\n{shown}");
    }
    // The simulator's answer carries environment and navigation URLs: none is shown.
    assert!(
        !shown.contains("dynamics.com/"),
        "a URL of the answer is on screen:\n{shown}"
    );
    s.keys(&["p"]);
    let again = s.wait("the cooldown", |t| {
        t.contains("Probe not sent") && t.contains("six calls a minute: wait")
    });
    assert!(
        again.contains("works: the token reads project 1234567"),
        "the verdict stays:\n{again}"
    );
    s.keys(&["q"]);
    s.assert_restored();
}

/// The word after "Code" in the sign-in dialog.
fn user_code(screen: &str) -> Option<String> {
    let line = screen.lines().find(|l| l.contains("│ Code "))?;
    let after = &line[line.find("│ Code ")? + "│ Code ".len()..];
    after.split_whitespace().next().map(str::to_string)
}

#[test]
fn r_on_the_device_code_profile_shows_the_code_then_the_row_turns_valid() {
    if ready(false).is_none() {
        return;
    }
    // Without a display the code goes to the terminal's clipboard (OSC 52), so the X
    // selection stays with the clipboard test.
    let s = Session::start("");
    s.wait("the demo board", board_is_up);
    s.keys(&["G"]);
    let before = s.wait("G to select northwind-dev", |t| {
        row(t, "northwind-dev").starts_with("│▸")
    });
    assert!(row(&before, "northwind-dev").contains("none"), "{before}");
    s.keys(&["r"]);
    // The code shows first, where it was copied to in a later frame; and tmux may be caught
    // halfway through a frame, so the dialog's last line is waited for too.
    let dialog = s.wait("the device code, copied", |t| {
        user_code(t).is_some() && t.contains("sent to your terminal's clipboard") && t.contains("Esc cancels")
    });
    let code = user_code(&dialog).unwrap();
    assert!(
        code.len() >= 8 && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'),
        "{code}"
    );
    for needle in [
        "Sign in · northwind-dev · device code",
        "https://microsoft.com/devicelogin",
        "sent to your terminal's clipboard (OSC 52)",
        "Esc cancels",
    ] {
        assert!(dialog.contains(needle), "{needle} is missing:\n{dialog}");
    }
    let left = dialog
        .lines()
        .find(|l| l.contains("Expires in"))
        .and_then(countdown)
        .expect("a countdown to the code's expiry");
    assert!(left.starts_with("4m ") || left == "5m 00s", "{left}");
    // The simulator approves the code after two polls, two seconds apart.
    let done = s.wait("the row to turn valid", |t| {
        row(t, "northwind-dev").contains("valid")
            && !t.contains("Sign in ·")
            && t.contains("Signed in to 'northwind-dev'")
    });
    assert!(done.contains("by device_code"), "{done}");
    s.keys(&["q"]);
    s.assert_restored();
}

/// Every clipboard assertion lives here: there is one X selection, and parallel tests would
/// take it from each other.
#[test]
fn c_copies_the_token_the_simulator_issued_to_the_x_clipboard() {
    let Some(display) = ready(true) else { return };
    let s = Session::start(&display);
    let screen = s.wait("the demo board with claims", |t| {
        board_is_up(t) && t.contains("iat nbf exp")
    });
    s.keys(&["c"]);
    let copied = s.wait("the copy notice", |t| t.contains("Copied 'contoso-prod'"));
    assert!(
        copied.contains("clipboard clears in 4"),
        "the clear countdown runs:\n{copied}"
    );

    let token = xclip_read(&display);
    assert_eq!(token.split('.').count(), 3, "not a JWT: {} chars", token.len());
    let claims = Claims::decode(token.trim()).expect("the clipboard holds a JWT");
    assert_eq!(
        claims.aud.as_deref().map(|a| a.trim_end_matches('/')),
        Some(simulator_url(&screen).as_str()),
        "aud is contoso-prod's API host (the demo's LCS is its simulator)"
    );
    assert_eq!(claims.user.as_deref(), Some("ops@contoso.onmicrosoft.com"));
    // The very token the board shows: same tenant and end as in its detail pane.
    let exp = jiff::Timestamp::from_second(claims.exp.unwrap())
        .unwrap()
        .strftime("%H:%M:%S UTC")
        .to_string();
    assert!(
        screen.contains(&exp),
        "exp {exp} is not the one on the board:\n{screen}"
    );
    assert!(
        screen.contains(claims.tid.as_deref().unwrap()),
        "tid differs from the board's"
    );
    assert!(!screen.contains(token.trim()), "the token itself is never on screen");

    s.keys(&["q"]);
    s.assert_restored();
    // Still pasteable after quitting: handed to the clipboard server until the clear deadline.
    assert_eq!(
        xclip_read(&display),
        token,
        "the copied token did not outlive the board"
    );
    // Taking the selection ends that server at once (xclip -i would linger, holding this
    // test's output pipe).
    let mut own = arboard::Clipboard::new().unwrap();
    own.set_text("done").unwrap();
    assert_eq!(xclip_read(&display), "done");
}

/// The filter in a real terminal: after `Enter` the sentence for no match is whole, and after
/// `Esc` every row is drawn again with nothing of the filter left on screen.
#[test]
fn the_filter_redraws_fully_after_enter_and_esc() {
    let Some(display) = ready(false) else { return };
    let s = Session::start(&display);
    s.wait("the demo board", board_is_up);
    s.keys(&["/"]);
    s.keys(&["-l", "zzz-nothing"]);
    s.keys(&["Enter"]);
    let none = s.wait("no match", |t| t.contains("no profile matches"));
    assert!(
        none.contains("no profile matches the filter (Esc clears it, / changes it)"),
        "{none}"
    );
    s.keys(&["Escape"]);
    let back = s.wait("every row again", |t| {
        ["contoso-prod", "contoso-test", "fabrikam-ops", "northwind-dev"]
            .iter()
            .all(|n| t.contains(&format!(" {n} ")))
    });
    assert!(
        !back.contains("no profile matches") && !back.contains("zzz-nothing"),
        "{back}"
    );
    s.keys(&["q"]);
    s.assert_restored();
}
