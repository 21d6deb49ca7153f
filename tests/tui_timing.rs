//! The board keeps time in a real terminal (a private tmux server): keys are answered within
//! 100 ms while a token request hangs, a 40-second token causes no request storm, and a logout
//! in another process shows within 2 s. What each key shows is in `tui_e2e.rs`.
//!
//! Outside CI a missing tmux or DISPLAY skips these tests with a printed reason; with
//! `CI=true` it fails them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod tmux;

use std::time::{Duration, Instant};

use common::{Harness, sim_config};
use tmux::{Session, TIMEOUT, board_is_up, countdown, post, ready, row, simulator_url};

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

/// The real board (`lcsauth` without a command) on the user's files, pointed at a simulator
/// whose tokens live 40 seconds: it shows the token valid by the core's rule without asking
/// again and again, and a `logout` in another process shows on the board within 2 seconds.
#[test]
fn the_board_on_a_forty_second_token_makes_no_request_storm_and_shows_a_logout_elsewhere_within_2_s() {
    let Some(display) = ready(false) else { return };
    let h = Harness::signed_in(sim_config().lifetime(Duration::from_secs(40)), &[]);
    let (sim, name) = (&h.sim, h.name.as_str());
    assert_eq!(sim.token_requests(), 1);
    let s = Session::start_with(
        &display,
        "",
        &[("LCSAUTH_CONFIG_DIR", h.config_dir().display().to_string())],
    );
    let up = s.wait("the board with the signed-in profile", |t| {
        t.contains("Profiles") && t.contains(name) && countdown(row(t, name)).is_some()
    });
    assert!(row(&up, name).contains("valid"), "valid by the half-life rule:\n{up}");
    // Three seconds of the board: no request for a token that cannot get longer.
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(sim.token_requests(), 1, "the board asked again for a 40-second token");

    h.cmd().args(["logout", name]).assert().success();
    let start = Instant::now();
    let after = s.wait("the logout to show", |t| row(t, name).contains("none"));
    let took = start.elapsed();
    assert!(took < Duration::from_secs(2), "took {} ms:\n{after}", took.as_millis());
    s.keys(&["q"]);
    assert_eq!(s.wait_file("rc").trim(), "0");
}
