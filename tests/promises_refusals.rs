//! A refusal is never sent again by itself, and retries follow the body, not only the status:
//! the real binary against a hostile token endpoint on loopback that counts what it saw.
#![allow(clippy::unwrap_used)]

mod common;

use common::PASSWORD;
use common::hostile::{Hostile, Reply, Victim};
use common::stderr as err;

const WRONG: &str = "Error validating credentials due to invalid username or password.";

#[test]
fn a_refused_remembered_password_is_sent_once_then_held_back_until_a_sign_in() {
    let ep = Hostile::start(vec![
        Reply::token("AT-1", None),
        Reply::refusal(400, "invalid_grant", 50126, WRONG),
    ]);
    let v = Victim::new(ep.clone(), &["--remember-password"]);
    v.login(PASSWORD).success();
    assert_eq!(ep.grants("password"), 1);

    // A polling script: five calls, one password grant.
    let first = v.run(&["token", &v.name, "--force"]).code(3);
    assert!(err(&first).contains("AADSTS50126"), "{}", err(&first));
    for _ in 0..4 {
        let later = v.run(&["token", &v.name, "--force"]).code(7);
        let e = err(&later);
        assert!(
            e.contains("Entra refused its password") && e.contains("AADSTS50126"),
            "{e}"
        );
        assert!(e.contains(&format!("lcsauth login {} --password-stdin", v.name)), "{e}");
    }
    assert_eq!(ep.grants("password"), 2, "the refused password was sent again");

    // `login` without a typed password does not use the held-back one either.
    let e = err(&v.run(&["login", &v.name]).code(7));
    assert!(e.contains("needs a password") && e.contains("refused"), "{e}");
    assert_eq!(ep.grants("password"), 2);

    // A successful sign-in with a typed password lifts the hold.
    ep.then(vec![Reply::token("AT-2", None)]);
    v.login(PASSWORD).success();
    v.run(&["token", &v.name, "--force"]).success();
    assert_eq!(ep.grants("password"), 4);
}

#[test]
fn every_password_refusal_code_holds_the_password_back() {
    for (code, error) in [
        (50053, "invalid_grant"),
        (50055, "invalid_grant"),
        (50056, "invalid_grant"),
        (50057, "invalid_grant"),
        (50034, "invalid_request"),
    ] {
        let ep = Hostile::start(vec![
            Reply::token("AT-1", None),
            Reply::refusal(400, error, code, "refused"),
        ]);
        let v = Victim::new(ep.clone(), &["--remember-password"]);
        v.login(PASSWORD).success();
        v.run(&["token", &v.name, "--force"]).code(3);
        let e = err(&v.run(&["token", &v.name, "--force"]).code(7));
        assert!(e.contains(&format!("AADSTS{code}")), "{code}: {e}");
        assert_eq!(ep.grants("password"), 2, "AADSTS{code}: the password was sent again");
    }
}

#[test]
fn a_refused_refresh_token_is_never_sent_again() {
    let ep = Hostile::start(vec![
        Reply::token("AT-1", Some("RT-1")),
        Reply::refusal(
            400,
            "interaction_required",
            50076,
            "you must use multi-factor authentication",
        ),
    ]);
    let v = Victim::new(ep.clone(), &[]);
    v.login(PASSWORD).success();
    v.run(&["token", &v.name, "--force"]).code(3);
    for _ in 0..3 {
        v.run(&["token", &v.name, "--force"]).code(7);
    }
    assert_eq!(
        ep.grants("refresh_token"),
        1,
        "the refused refresh token was sent again"
    );
}

#[test]
fn a_refusal_sent_with_a_503_is_a_refusal_and_is_not_retried() {
    let ep = Hostile::start(vec![Reply::refusal(503, "invalid_grant", 50126, WRONG)]);
    let v = Victim::new(ep.clone(), &[]);
    let e = err(&v.login(PASSWORD).code(3));
    assert!(e.contains("AADSTS50126"), "{e}");
    assert_eq!(ep.grants("password"), 1, "a refused password was retried");
}

#[test]
fn a_refusal_sent_with_a_429_is_not_retried_for_a_refresh_token() {
    let ep = Hostile::start(vec![
        Reply::token("AT-1", Some("RT-1")),
        Reply::refusal(429, "invalid_grant", 50053, "Your account is locked.").with_header("Retry-After", "1"),
    ]);
    let v = Victim::new(ep.clone(), &[]);
    v.login(PASSWORD).success();
    let e = err(&v.run(&["token", &v.name, "--force"]).code(3));
    assert!(e.contains("AADSTS50053"), "{e}");
    assert_eq!(ep.grants("refresh_token"), 1);
}

#[test]
fn a_password_form_cut_off_after_it_was_sent_is_not_sent_again() {
    for cut in [Reply::CloseAfterRead, Reply::ResetAfterHead] {
        let ep = Hostile::start(vec![cut.clone(), Reply::token("AT-1", None)]);
        let v = Victim::new(ep.clone(), &[]);
        let e = err(&v.login(PASSWORD).code(4));
        assert!(e.contains("cannot reach"), "{cut:?}: {e}");
        assert_eq!(ep.seen().len(), 1, "{cut:?}: the password was sent again");
    }
}

#[test]
fn a_5xx_without_a_refusal_is_not_retried_for_the_password_but_is_for_a_refresh_token() {
    let ep = Hostile::start(vec![Reply::json(503, "{}"), Reply::token("AT-1", Some("RT-1"))]);
    let v = Victim::new(ep.clone(), &[]);
    v.login(PASSWORD).code(4);
    assert_eq!(ep.seen().len(), 1, "the password grant was retried after a 503");

    ep.then(vec![Reply::token("AT-1", Some("RT-1"))]);
    v.login(PASSWORD).success();
    ep.then(vec![
        Reply::json(503, r#"{"error":"temporarily_unavailable"}"#),
        Reply::token("AT-2", Some("RT-2")),
    ]);
    v.run(&["token", &v.name, "--force"]).success();
    assert_eq!(ep.grants("refresh_token"), 2, "Entra's own 'try again' is retried");
}
