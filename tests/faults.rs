//! Faults at the token endpoint while a profile is signed in: each is explained, retried only
//! where a second request is safe, and leaves the previous access and refresh tokens in place
//! (the cached token is still handed out, and the next refresh sends the stored refresh token).
//! The clock cases run the real binary under libfaketime.
#![allow(clippy::unwrap_used)]

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::{Harness, sim_config, stderr, stdout};
use lcsauth::sim::{Endpoint, Scripted};

/// A signed-in profile and the tokens the sign-in produced.
struct SignedIn {
    h: Harness,
    access: String,
    refresh: String,
}

fn signed_in() -> SignedIn {
    let h = Harness::new(sim_config());
    h.add_profile(&[]);
    h.login().success();
    let access = h.sim.last_access_token().unwrap();
    let refresh = h.sim.issued_refresh_tokens().last().cloned().unwrap();
    SignedIn { h, access, refresh }
}

impl SignedIn {
    /// `token --force`: skips the cached access token, so the refresh grant runs.
    fn force_refresh(&self) -> assert_cmd::assert::Assert {
        self.h.token(&["--force"])
    }

    /// The previous tokens survived: the cached access token is handed out without a request,
    /// and a later refresh sends the stored refresh token and succeeds.
    fn assert_tokens_kept(&self) {
        let before = self.h.token_requests().len();
        let cached = self.h.token(&["--min-valid", "1m"]).success();
        assert_eq!(
            stdout(&cached).trim(),
            self.access,
            "the previous access token is served"
        );
        assert_eq!(
            self.h.token_requests().len(),
            before,
            "served from the cache, no request"
        );

        let refreshed = self.force_refresh().success();
        let reqs = self.h.token_requests();
        let last = reqs.last().unwrap();
        assert_eq!(last.field("grant_type"), Some("refresh_token"));
        assert_eq!(
            last.field("refresh_token"),
            Some(self.refresh.as_str()),
            "the stored refresh token is the one from before the fault"
        );
        assert_eq!(stdout(&refreshed).trim(), self.h.sim.last_access_token().unwrap());
    }

    /// Every token request after the sign-in, checked to be a refresh with the stored token.
    fn refreshes_since_sign_in(&self) -> usize {
        let reqs = self.h.token_requests();
        for r in &reqs[1..] {
            assert_eq!(r.field("grant_type"), Some("refresh_token"));
            assert_eq!(r.field("refresh_token"), Some(self.refresh.as_str()));
        }
        reqs.len() - 1
    }

    fn set_http_timeout(&self, value: &str) {
        let file = self.h.config_dir().join("profiles.toml");
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(text.contains("http_timeout = \"30s\""), "{text}");
        let text = text.replace("http_timeout = \"30s\"", &format!("http_timeout = \"{value}\""));
        std::fs::write(&file, text).unwrap();
    }

    /// Points the profile's authority elsewhere by editing the file (no command touches tokens).
    fn swap_authority(&self, from: &str, to: &str) {
        let file = self.h.config_dir().join("profiles.toml");
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(text.contains(from), "{text}");
        std::fs::write(&file, text.replace(from, to)).unwrap();
    }
}

fn assert_no_panic(err: &str) {
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn unavailable_503_twice_then_success_retries_the_refresh_with_the_same_refresh_token() {
    let s = signed_in();
    s.h.sim.script(Endpoint::Token, Scripted::service_unavailable(Some(0)));
    s.h.sim.script(Endpoint::Token, Scripted::service_unavailable(Some(1)));
    let out = s.force_refresh().success();
    assert_eq!(s.refreshes_since_sign_in(), 3, "two 503s, then the answer");
    assert_eq!(stdout(&out).trim(), s.h.sim.last_access_token().unwrap());
    // The rotated refresh token replaced the old one.
    s.force_refresh().success();
    let reqs = s.h.token_requests();
    let issued = s.h.sim.issued_refresh_tokens();
    assert_eq!(
        reqs.last().unwrap().field("refresh_token"),
        Some(issued[issued.len() - 2].as_str())
    );
}

#[test]
fn persistent_503_gives_up_after_four_attempts_and_keeps_the_tokens() {
    let s = signed_in();
    for _ in 0..4 {
        s.h.sim.script(Endpoint::Token, Scripted::service_unavailable(Some(0)));
    }
    let err = stderr(&s.force_refresh().code(4));
    assert!(err.contains("unavailable (HTTP 503)"), "{err}");
    assert!(err.contains("kept the tokens it had"), "{err}");
    assert_eq!(s.refreshes_since_sign_in(), 4);
    assert_no_panic(&err);
    s.assert_tokens_kept();
}

#[test]
fn throttled_429_with_retry_after_waits_that_long_then_refreshes() {
    let s = signed_in();
    s.h.sim.script(Endpoint::Token, Scripted::too_many_requests(2));
    let started = Instant::now();
    let out = s.force_refresh().success();
    assert!(
        started.elapsed() >= Duration::from_millis(1900),
        "Retry-After: 2 was honoured"
    );
    assert_eq!(s.refreshes_since_sign_in(), 2);
    assert_eq!(stdout(&out).trim(), s.h.sim.last_access_token().unwrap());
}

#[test]
fn throttled_429_asking_for_longer_than_the_longest_wait_gives_up_at_once_and_keeps_the_tokens() {
    let s = signed_in();
    s.h.sim.script(Endpoint::Token, Scripted::too_many_requests(120));
    let started = Instant::now();
    let err = stderr(&s.force_refresh().code(4));
    assert!(started.elapsed() < Duration::from_secs(30), "did not sit out the 120 s");
    assert!(err.contains("HTTP 429") && err.contains("retry after 120s"), "{err}");
    assert_eq!(s.refreshes_since_sign_in(), 1, "not retried");
    s.assert_tokens_kept();
}

#[test]
fn html_page_with_200_is_not_retried_and_keeps_the_tokens() {
    let s = signed_in();
    s.h.sim.script(Endpoint::Token, Scripted::Html200);
    let err = stderr(&s.force_refresh().code(4));
    assert!(err.contains("HTML page instead of JSON"), "{err}");
    assert!(!err.contains("Guest Wi-Fi"), "the page is described, not quoted: {err}");
    assert_eq!(s.refreshes_since_sign_in(), 1);
    s.assert_tokens_kept();
}

#[test]
fn an_endpoint_that_never_answers_times_out_once_and_keeps_the_tokens() {
    let s = signed_in();
    s.set_http_timeout("1s");
    s.h.sim.script(Endpoint::Token, Scripted::Hang);
    let started = Instant::now();
    let err = stderr(&s.force_refresh().code(4));
    assert!(err.contains("no answer from") && err.contains("within 1s"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(20), "bounded by the timeout");
    // The request may have reached Entra: it is not sent again.
    assert_eq!(s.refreshes_since_sign_in(), 1);
    s.assert_tokens_kept();
}

#[test]
fn connection_refused_is_retried_once_and_keeps_the_tokens() {
    let s = signed_in();
    let dead = {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        format!("http://127.0.0.1:{port}")
    };
    let live = s.h.sim.base_url();
    s.swap_authority(&live, &dead);
    let started = Instant::now();
    let err = stderr(&s.force_refresh().code(4));
    assert!(err.contains("cannot reach") && err.contains(&dead), "{err}");
    assert!(err.contains("kept the tokens it had"), "{err}");
    // Nothing reached a server, so one retry after 1 s is safe; more would only delay the message.
    let took = started.elapsed();
    assert!(
        took >= Duration::from_secs(1) && took < Duration::from_secs(4),
        "{took:?}"
    );
    assert_no_panic(&err);
    s.swap_authority(&dead, &live);
    assert_eq!(s.refreshes_since_sign_in(), 0);
    s.assert_tokens_kept();
}

#[test]
fn revoked_refresh_token_is_explained_dropped_and_the_cached_access_token_still_served() {
    let s = signed_in();
    s.h.sim.revoke_refresh_tokens();
    let err = stderr(&s.force_refresh().code(3));
    assert!(err.contains("AADSTS50173") && err.contains("revoked"), "{err}");
    assert!(err.contains(&format!("lcsauth login {}", s.h.name)), "{err}");
    assert_eq!(s.refreshes_since_sign_in(), 1, "a refusal is not retried");

    // The access token is still good for its remaining life: it is handed out.
    let before = s.h.token_requests().len();
    let cached = s.h.token(&["--min-valid", "1m"]).success();
    assert_eq!(stdout(&cached).trim(), s.access);
    // The dead refresh token is never sent again: a sign-in is asked for, without a request.
    let again = s.force_refresh().code(7);
    assert!(stderr(&again).contains("needs a sign-in"), "{}", stderr(&again));
    assert_eq!(s.h.token_requests().len(), before);
    s.h.login().success();
    let last = s.h.token_requests().last().unwrap().clone();
    assert_eq!(last.field("grant_type"), Some("password"));
}

// --- The local clock, 10 minutes off -------------------------------------------------------

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

#[test]
fn clock_10_minutes_behind_hands_out_tokens_that_end_before_the_real_end_and_warns() {
    let Some(lib) = faketime_or_skip() else { return };
    let h = Harness::new(sim_config());
    h.add_profile(&[]);
    let out = skewed(&h, &lib, "-10m")
        .args(["login", &h.name, "--password-stdin"])
        .write_stdin(format!("{}\n", common::PASSWORD))
        .assert()
        .success();
    let err = stderr(&out);
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
    let before = h.token_requests().len();
    let cached = skewed(&h, &lib, "-10m")
        .args(["token", &h.name, "--min-valid", "1m"])
        .assert()
        .success();
    assert_eq!(stdout(&cached).trim(), access);
    assert_eq!(h.token_requests().len(), before);
    let refreshed = skewed(&h, &lib, "-10m")
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
fn clock_10_minutes_ahead_ends_tokens_at_the_jwt_exp_and_warns() {
    let Some(lib) = faketime_or_skip() else { return };
    let h = Harness::new(sim_config());
    h.add_profile(&[]);
    let out = skewed(&h, &lib, "+10m")
        .args(["login", &h.name, "--password-stdin"])
        .write_stdin(format!("{}\n", common::PASSWORD))
        .assert()
        .success();
    let err = stderr(&out);
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

    let cached = skewed(&h, &lib, "+10m")
        .args(["token", &h.name, "--min-valid", "1m"])
        .assert()
        .success();
    assert_eq!(stdout(&cached).trim(), access);
    let refreshed = skewed(&h, &lib, "+10m")
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
