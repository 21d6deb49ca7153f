//! Two copies in a row keep the second: the pending clear of the first copy never clears the
//! token the second one put there (the real X11 clipboard, Xvfb in CI).
#![allow(clippy::unwrap_used)]

mod common;

use std::time::{Duration, Instant};

use common::PASSWORD;
use common::hostile::{Hostile, Reply, Victim};
use common::real::{has_command, require, xclip_out};

#[test]
fn a_second_copy_survives_the_pending_clear_of_the_first() {
    let display = std::env::var_os("DISPLAY").is_some_and(|d| !d.is_empty());
    if !require(display && has_command("xclip"), "an X display (Xvfb) with xclip") {
        return;
    }
    let v = Victim::new(Hostile::start(vec![Reply::token("AT-COPY", None)]), &[]);
    v.login(PASSWORD).success();
    let first = Instant::now();
    v.run(&["copy", &v.name, "--clear-after", "3s"]).success();
    std::thread::sleep(Duration::from_millis(1500));
    // The same cached token, copied again: its own clear is due 3 s from now.
    v.run(&["copy", &v.name, "--clear-after", "3s"]).success();
    let second = Instant::now();
    // Past the first copy's deadline, before the second's.
    std::thread::sleep(Duration::from_secs(4).saturating_sub(first.elapsed()));
    assert!(
        second.elapsed() < Duration::from_millis(2800),
        "the machine was too slow to test this"
    );
    assert_eq!(
        xclip_out().as_deref(),
        Some("AT-COPY"),
        "the first copy's clear wiped the second"
    );
    // The second copy's own clear still happens.
    let end = Instant::now() + Duration::from_secs(10);
    while xclip_out().as_deref() == Some("AT-COPY") && Instant::now() < end {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_ne!(
        xclip_out().as_deref(),
        Some("AT-COPY"),
        "the second copy was never cleared"
    );
}
