//! A local clock that is wrong: the binary runs under libfaketime, minutes or hours off, and
//! still hands out tokens that are valid, names the clock as the cause, and loses no token.
#![allow(clippy::unwrap_used)]

mod common;

use std::path::{Path, PathBuf};

use common::signed::{assert_no_panic, signed_in};
use common::{Harness, sim_config, stderr, stdout};

/// libfaketime's preload library, from the `faketime` Debian package.
fn libfaketime() -> Option<PathBuf> {
    let lib = std::fs::read_dir("/usr/lib").ok()?.flatten().find_map(|e| {
        let p = e.path().join("faketime/libfaketime.so.1");
        p.exists().then_some(p)
    });
    lib.or_else(|| Some(PathBuf::from("/usr/lib/faketime/libfaketime.so.1")).filter(|p| p.exists()))
}

fn faketime_or_skip() -> Option<PathBuf> {
    let lib = libfaketime();
    if common::real::require(lib.is_some(), "libfaketime (apt-get install faketime)") {
        lib
    } else {
        None
    }
}

/// The binary with its wall clock shifted by `offset` (`-10m`, `+2h`); monotonic time is left
/// alone so timers behave.
fn skewed(h: &Harness, lib: &Path, offset: &str) -> assert_cmd::Command {
    let mut cmd = h.cmd();
    cmd.env("LD_PRELOAD", lib)
        .env("FAKETIME", offset)
        .env("FAKETIME_DONT_FAKE_MONOTONIC", "1");
    cmd
}

fn state(h: &Harness) -> serde_json::Value {
    let path = h.config_dir().join("state").join(format!("{}.json", h.name));
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn state_expires_at(h: &Harness) -> i64 {
    let text = state(h)["token"]["expires_at"].as_str().unwrap().to_string();
    text.parse::<jiff::Timestamp>().unwrap().as_second()
}

fn remaining_seconds(out: &assert_cmd::assert::Assert) -> i64 {
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    v[0]["remaining_seconds"].as_i64().unwrap()
}

#[test]
fn faketime_really_shifts_the_clock_of_the_binary() {
    let Some(lib) = faketime_or_skip() else { return };
    let mut cmd = std::process::Command::new("date");
    cmd.arg("+%s").env("LD_PRELOAD", &lib).env("FAKETIME", "-10m");
    let skewed: i64 = String::from_utf8(cmd.output().unwrap().stdout)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    let real = jiff::Timestamp::now().as_second();
    assert!((real - skewed - 600).abs() < 30, "real {real}, skewed {skewed}");
}

/// Signs the test's new profile in under a clock shifted by `offset`; returns stderr.
fn signed_in_skewed(h: &Harness, lib: &Path, offset: &str) -> String {
    h.add_profile(&[]);
    let out = skewed(h, lib, offset)
        .args(["login", &h.name, "--password-stdin"])
        .write_stdin(format!("{}\n", common::PASSWORD))
        .assert()
        .success();
    stderr(&out)
}

/// Under the shifted clock the cached `access` is still served without a request, and a forced
/// refresh sends the refresh token of the sign-in.
fn assert_cache_then_refresh(h: &Harness, lib: &Path, offset: &str, access: &str) {
    let before = h.token_requests().len();
    let cached = skewed(h, lib, offset)
        .args(["token", &h.name, "--min-valid", "1m"])
        .assert()
        .success();
    assert_eq!(stdout(&cached).trim(), access);
    assert_eq!(h.token_requests().len(), before);
    let refreshed = skewed(h, lib, offset)
        .args(["token", &h.name, "--force"])
        .assert()
        .success();
    assert_eq!(stdout(&refreshed).trim(), h.sim.last_access_token().unwrap());
    let issued = h.sim.issued_refresh_tokens();
    assert_eq!(
        h.token_requests().last().unwrap().field("refresh_token"),
        Some(issued[0].as_str())
    );
}

#[test]
fn clock_10_minutes_behind_hands_out_tokens_that_end_before_the_real_end_and_warns() {
    let Some(lib) = faketime_or_skip() else { return };
    let h = Harness::new(sim_config());
    let err = signed_in_skewed(&h, &lib, "-10m");
    assert!(err.contains("is the local clock right?"), "{err}");
    let access = h.sim.last_access_token().unwrap();

    // Never past the token's real end: the stored end is at or before the JWT's exp.
    let exp = state(&h)["token"]["claims"]["exp"].as_i64().unwrap();
    let end = state_expires_at(&h);
    assert!(end <= exp, "expires_at {end} is after exp {exp}");
    // By the slow clock the token has its full hour.
    let status = skewed(&h, &lib, "-10m").args(["status", "--json"]).assert().success();
    let left = remaining_seconds(&status);
    assert!((3500..=3600).contains(&left), "{left}");

    // The slow clock still serves the cache, then refreshes with the stored refresh token.
    assert_cache_then_refresh(&h, &lib, "-10m", &access);
}

#[test]
fn clock_10_minutes_ahead_ends_tokens_at_the_jwt_exp_and_warns() {
    let Some(lib) = faketime_or_skip() else { return };
    let h = Harness::new(sim_config());
    let err = signed_in_skewed(&h, &lib, "+10m");
    assert!(
        err.contains("disagree by") && err.contains("is the local clock right?"),
        "{err}"
    );
    let access = h.sim.last_access_token().unwrap();

    // The fast clock would put the end 10 minutes late; the exp claim (Entra's clock) wins.
    let exp = state(&h)["token"]["claims"]["exp"].as_i64().unwrap();
    assert_eq!(state_expires_at(&h), exp);
    let status = skewed(&h, &lib, "+10m").args(["status", "--json"]).assert().success();
    let left = remaining_seconds(&status);
    assert!(
        (2900..=3000).contains(&left),
        "about 50 minutes by the fast clock: {left}"
    );

    // The fast clock too serves the cache, then refreshes with the stored refresh token.
    assert_cache_then_refresh(&h, &lib, "+10m", &access);
}

#[test]
fn clock_hours_ahead_is_named_as_the_cause_and_the_rotated_refresh_token_is_kept() {
    let Some(lib) = faketime_or_skip() else { return };
    let s = signed_in();
    // Two hours ahead: every token Entra issues is already past its exp by the local clock.
    let out = skewed(&s.h, &lib, "+2h")
        .args(["token", &s.h.name, "--force"])
        .assert()
        .code(4);
    let err = stderr(&out);
    assert!(err.contains("already expired by the local clock"), "{err}");
    assert!(
        err.contains("is the local clock right?") && err.contains("lcsauth doctor"),
        "{err}"
    );
    assert_no_panic(&err);
    // The access token from before is still served; the refresh token Entra rotated in the
    // refused answer was stored, so the next refresh sends the newest one.
    let cached = s.h.token(&["--min-valid", "1m"]).success();
    assert_eq!(stdout(&cached).trim(), s.access);
    let issued = s.h.sim.issued_refresh_tokens();
    let newest = issued.last().unwrap().clone();
    assert_ne!(newest, s.refresh);
    s.force_refresh().success();
    let reqs = s.h.token_requests();
    assert_eq!(reqs.last().unwrap().field("refresh_token"), Some(newest.as_str()));
}
