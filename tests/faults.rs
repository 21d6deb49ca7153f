//! Faults at the token endpoint while a profile is signed in: each is explained, retried only
//! where a second request is safe, and leaves the previous access and refresh tokens in place
//! (the cached token is still handed out, and the next refresh sends the stored refresh token).
//! The clock cases are in `faults_clock.rs`.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::{Duration, Instant};

use common::signed::{assert_no_panic, signed_in};
use common::{stderr, stdout};
use lcsauth::sim::{Endpoint, Scripted};

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
    s.h.set_http_timeout("1s");
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
    let dead = common::dead_url();
    let live = s.h.sim.base_url();
    s.h.replace_in_config(&live, &dead);
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
    s.h.replace_in_config(&dead, &live);
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
