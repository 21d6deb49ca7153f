//! `lcsauth demo` in a real terminal (a private tmux server) with a real X clipboard (Xvfb via
//! `DISPLAY`, read back with xclip).
//!
//! Outside CI a missing tmux, DISPLAY or xclip skips these tests with a printed reason; with
//! `CI=true` it fails them, so the pipeline can never pass without running them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod tmux;

use std::process::Command;
use std::time::{Duration, Instant};

use lcsauth::token::Claims;

use tmux::{Session, TIMEOUT, board_is_up, countdown, post, ready, row, simulator_url, xclip_read};

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

/// Sends `key` and polls the screen until `ok` holds; returns how long that took. tmux's own
/// round trips are part of the figure: `send-keys` and each `capture-pane` are a process.
fn latency(s: &Session, key: &str, ok: impl Fn(&str) -> bool) -> Duration {
    let start = Instant::now();
    s.keys(&[key]);
    loop {
        let screen = s.screen();
        if ok(&screen) {
            return start.elapsed();
        }
        assert!(start.elapsed() < TIMEOUT, "{key} never showed:\n{screen}");
    }
}

/// `n` moves between contoso-test and fabrikam-ops (j, k, j, …), each measured; starts and
/// ends on contoso-test.
fn move_latencies(s: &Session, n: usize) -> Vec<Duration> {
    let mut all: Vec<Duration> = (0..n)
        .map(|i| {
            if i % 2 == 0 {
                latency(s, "j", |t| row(t, "fabrikam-ops").starts_with("│▸"))
            } else {
                latency(s, "k", |t| row(t, "contoso-test").starts_with("│▸"))
            }
        })
        .collect();
    all.sort();
    all
}

fn ms(d: Duration) -> u128 {
    d.as_millis()
}

/// How many moves are measured in each phase.
const MOVES: usize = 20;

/// Issue 5 asks for keys answered within 100 ms while a request hangs. Measured from the
/// test's side, a key's time includes tmux: `send-keys` (a process), the pseudo-terminal both
/// ways, tmux parsing the frame, and `capture-pane` (a process per poll). So the same moves are
/// measured first with nothing in flight (the baseline: tmux and the machine) and then while
/// the token endpoint hangs; both are printed. Every key under the hang must show within
/// 100 ms, tmux included. Measured on the two-core CI machine: medians 4–5 ms idle, 11 ms with
/// both cores busy (slowest 33 ms); a key that waited for the request would take the 10 s
/// timeout.
#[test]
fn keys_are_answered_within_100_ms_and_countdowns_move_while_a_token_request_hangs() {
    let Some(display) = ready(false) else { return };
    let s = Session::start(&display);
    let first = s.wait("the demo board", board_is_up);
    s.keys(&["j"]);
    s.wait("j to select contoso-test", |t| row(t, "contoso-test").starts_with("│▸"));
    let baseline = move_latencies(&s, MOVES);

    let answer = post(
        &simulator_url(&first),
        "/_sim/script",
        r#"{"endpoint":"token","failure":{"kind":"hang"}}"#,
    );
    assert!(answer.starts_with("HTTP/1.1 2"), "{answer}");
    s.keys(&["r"]);
    let hanging = s.wait("the refresh in flight", |t| {
        row(t, "contoso-test").contains("refreshing")
    });
    let before = countdown(row(&hanging, "contoso-prod")).unwrap();
    let under_hang = move_latencies(&s, MOVES);
    let later = s.wait("the countdown to keep moving", |t| {
        countdown(row(t, "contoso-prod")).is_some_and(|c| c != before)
    });
    assert!(
        row(&later, "contoso-test").contains("refreshing"),
        "still in flight:\n{later}"
    );
    let (median, max) = (under_hang[MOVES / 2], under_hang[MOVES - 1]);
    eprintln!(
        "key to screen, {MOVES} moves each: no request in flight median {} ms, max {} ms; \
         token request hanging median {} ms, max {} ms",
        ms(baseline[MOVES / 2]),
        ms(baseline[MOVES - 1]),
        ms(median),
        ms(max)
    );
    assert!(
        max <= Duration::from_millis(100),
        "slowest key {} ms under a hanging request (median {} ms; without the request: median {} ms, slowest {} ms)",
        ms(max),
        ms(median),
        ms(baseline[MOVES / 2]),
        ms(baseline[MOVES - 1])
    );

    s.keys(&["r"]);
    s.wait("a second r to be refused while one is in flight", |t| {
        t.contains("already running")
    });
    let started = Instant::now();
    s.keys(&["q"]);
    s.assert_restored();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "quitting waited for the hanging request"
    );
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

/// The real board (`lcsauth` without a command) on the user's files, pointed at a simulator
/// whose tokens live 40 seconds: it shows the token valid by the core's rule without asking
/// again and again, and a `logout` in another process shows on the board within 2 seconds.
#[test]
fn the_board_on_a_forty_second_token_makes_no_request_storm_and_shows_a_logout_elsewhere_within_2_s() {
    let Some(display) = ready(false) else { return };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let config =
        lcsauth::sim::SimConfig::with_users(vec![lcsauth::sim::SimUser::new("ops@contoso.onmicrosoft.com", "pw-1")])
            .client_id("0a1b2c3d-4e5f-6789-abcd-ef0123456789")
            .lifetime(Duration::from_secs(40));
    let sim = rt.block_on(lcsauth::sim::Simulator::start(config)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let name = format!("b{}", &uuid::Uuid::new_v4().simple().to_string()[..10]);
    let cli = |args: &[&str], stdin: &str| {
        let mut c = assert_cmd::Command::cargo_bin("lcsauth").unwrap();
        c.env("LCSAUTH_CONFIG_DIR", dir.path())
            .env_remove("LCSAUTH_PROFILE")
            .args(args)
            .write_stdin(stdin.to_string())
            .timeout(TIMEOUT)
            .assert()
            .success();
    };
    let url = sim.base_url();
    cli(
        &[
            "profile",
            "add",
            &name,
            "--tenant",
            "contoso.onmicrosoft.com",
            "--client-id",
            "0a1b2c3d-4e5f-6789-abcd-ef0123456789",
            "--username",
            "ops@contoso.onmicrosoft.com",
            "--authority",
            &url,
        ],
        "",
    );
    cli(&["login", &name, "--password-stdin"], "pw-1\n");
    assert_eq!(sim.token_requests(), 1);
    let s = Session::start_with(
        &display,
        "",
        &[("LCSAUTH_CONFIG_DIR", dir.path().display().to_string())],
    );
    let up = s.wait("the board with the signed-in profile", |t| {
        t.contains("Profiles") && t.contains(&name) && countdown(row(t, &name)).is_some()
    });
    assert!(row(&up, &name).contains("valid"), "valid by the half-life rule:\n{up}");
    // Three seconds of the board: no request for a token that cannot get longer.
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(sim.token_requests(), 1, "the board asked again for a 40-second token");

    cli(&["logout", &name], "");
    let start = Instant::now();
    let after = s.wait("the logout to show", |t| row(t, &name).contains("none"));
    let took = start.elapsed();
    assert!(took < Duration::from_secs(2), "took {} ms:\n{after}", took.as_millis());
    s.keys(&["q"]);
    assert_eq!(s.wait_file("rc").trim(), "0");
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
