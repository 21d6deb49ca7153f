//! The real X11 clipboard (Xvfb in CI): `copy` exits, the token stays pasteable for other
//! programs, and it is cleared after --clear-after only if the clipboard still holds it.
//! All clipboard assertions live in this one test: there is one X selection.
#![allow(clippy::unwrap_used)]

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::real::{has_command, require, xclip_out};
use common::{Harness, sim_config, stderr};

fn wait_for(mut ok: impl FnMut() -> bool, limit: Duration) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        if ok() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

#[test]
fn copy_stays_pasteable_after_exit_and_is_cleared_only_if_unchanged() {
    let display = std::env::var_os("DISPLAY").is_some_and(|d| !d.is_empty());
    if !require(display && has_command("xclip"), "an X display (Xvfb) with xclip") {
        return;
    }
    let h = Harness::signed_in(sim_config(), &[]);
    let token = h.sim.last_access_token().unwrap();

    // 1. copy exits at once; another process pastes the token; it is gone after clear-after.
    let started = Instant::now();
    let out = h
        .cmd()
        .args(["copy", &h.name, "--clear-after", "2s"])
        .assert()
        .success();
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "copy returns without waiting for the clear"
    );
    assert!(stderr(&out).contains("cleared in 2s"), "{}", stderr(&out));
    assert_eq!(
        xclip_out().as_deref(),
        Some(token.as_str()),
        "pasteable after copy exited"
    );
    assert!(
        wait_for(|| xclip_out().is_none_or(|t| t.is_empty()), Duration::from_secs(6)),
        "the clipboard was cleared after --clear-after"
    );

    // 2. --format bearer copies `Bearer <token>` (header is the whole line, as in `token`).
    h.cmd()
        .args(["copy", &h.name, "--format", "bearer", "--clear-after", "1s"])
        .assert()
        .success();
    assert_eq!(xclip_out().as_deref(), Some(format!("Bearer {token}").as_str()));
    assert!(wait_for(
        || xclip_out().is_none_or(|t| t.is_empty()),
        Duration::from_secs(5)
    ));

    // 3. Something else copied meanwhile is left alone at the deadline.
    h.cmd()
        .args(["copy", &h.name, "--clear-after", "2s"])
        .assert()
        .success();
    let mut other = Command::new("xclip")
        .args(["-selection", "clipboard", "-i", "-quiet"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        other
            .stdin
            .take()
            .unwrap()
            .write_all(b"something the user copied")
            .unwrap();
    }
    assert!(wait_for(
        || xclip_out().as_deref() == Some("something the user copied"),
        Duration::from_secs(3)
    ));
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(
        xclip_out().as_deref(),
        Some("something the user copied"),
        "not cleared: it was not ours any more"
    );
    let _ = other.kill();
    let _ = other.wait();
}
