//! Nothing from outside can drive the user's terminal: Entra's error fields, device-code
//! messages, JWT claims, profiles.toml values and argv all reach stdout and stderr with their
//! control characters made visible, while `--json` keeps the exact values.
#![allow(clippy::unwrap_used)]

mod common;

use base64::Engine as _;
use common::PASSWORD;
use common::hostile::{Hostile, Reply, Victim};
use common::{stderr as err, stdout as out};

/// OSC 52 (sets the clipboard), a window title, BEL, erase-line, a bare CR and a C1 CSI.
const ATTACK: &str = "\u{1b}]52;c;cm0gLXJmIH4=\u{7}\u{1b}]0;owned\u{7}\u{1b}[2K\rall is well\u{9b}31m";

fn assert_inert(what: &str, text: &str) {
    let bad: Vec<char> = text
        .chars()
        .filter(|&c| c != '\n' && lcsauth::sanitize::is_hazard(c))
        .collect();
    assert!(bad.is_empty(), "{what} carries raw controls {bad:?}: {text:?}");
}

fn hostile_refusal() -> Reply {
    Reply::json(
        400,
        serde_json::json!({
            "error": format!("invalid_grant{ATTACK}"),
            "error_description": format!("AADSTS50126: {ATTACK}"),
            "error_codes": [50126],
            "trace_id": ATTACK,
            "correlation_id": ATTACK,
            "timestamp": ATTACK,
            "error_uri": ATTACK,
        })
        .to_string(),
    )
}

#[test]
fn a_crafted_error_body_reaches_the_terminal_as_visible_escapes_and_status_does_not_replay_it() {
    let ep = Hostile::start(vec![hostile_refusal()]);
    let v = Victim::new(ep.clone(), &[]);
    let e = err(&v.login(PASSWORD).code(3));
    assert_inert("login's stderr", &e);
    assert!(e.contains("\\e]52;c;"), "the attack is shown, not run: {e}");

    let status = v.run(&["status"]).success();
    assert_inert("status", &out(&status));
    assert_inert("status stderr", &err(&status));
    assert!(out(&status).contains("\\e]0;owned"), "{}", out(&status));
    let show = v.run(&["profile", "show", &v.name]).success();
    assert_inert("profile show", &out(&show));

    // --json keeps the exact value, JSON-escaped.
    let json = out(&v.run(&["status", "--json"]).success());
    assert_inert("status --json", &json);
    let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
    let last = &parsed[0]["last_error"];
    assert_eq!(last["trace_id"], ATTACK);
    assert!(last["message"].as_str().unwrap().contains(ATTACK), "{last}");
}

fn jwt(upn: &str) -> String {
    let b64 = |v: serde_json::Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
    let now = jiff::Timestamp::now().as_second();
    format!(
        "{}.{}.c2ln",
        b64(serde_json::json!({"typ": "JWT", "alg": "RS256"})),
        b64(
            serde_json::json!({"aud": "https://lcsapi.lcs.dynamics.com", "upn": upn, "name": upn,
                               "iat": now, "nbf": now, "exp": now + 3600})
        )
    )
}

#[test]
fn jwt_claims_are_shown_with_their_controls_escaped() {
    let ep = Hostile::start(vec![Reply::token(&jwt(&format!("ops{ATTACK}@contoso")), None)]);
    let v = Victim::new(ep, &[]);
    let login = v.login(PASSWORD).success();
    assert_inert("login", &err(&login));
    let show = out(&v.run(&["profile", "show", &v.name]).success());
    assert_inert("profile show", &show);
    assert!(show.contains("ops\\e]52"), "{show}");
}

#[test]
fn a_token_with_control_characters_is_refused_not_printed() {
    let ep = Hostile::start(vec![Reply::token(&format!("AT{ATTACK}"), None)]);
    let v = Victim::new(ep, &[]);
    let e = err(&v.login(PASSWORD).code(4));
    assert!(e.contains("without a usable access_token"), "{e}");
    let t = v.run(&["token", &v.name]);
    assert_inert("token stdout", &out(&t));
}

#[test]
fn a_device_code_message_and_user_code_cannot_drive_the_terminal() {
    let ep = Hostile::start(vec![
        Reply::json(
            200,
            serde_json::json!({
                "device_code": "DC-1", "user_code": format!("AB{ATTACK}"),
                "verification_uri": format!("https://microsoft.com/devicelogin{ATTACK}"),
                "expires_in": 900, "interval": 1,
                "message": format!("To sign in, open the page{ATTACK} and enter the code."),
            })
            .to_string(),
        ),
        Reply::token("AT-1", Some("RT-1")),
    ]);
    let v = Victim::new(ep, &["--flow", "device-code"]);
    let login = v.run(&["login", &v.name]).success();
    let e = err(&login);
    assert_inert("device-code prompt", &e);
    assert!(e.contains("AB\\e]52"), "{e}");
}

#[test]
fn values_from_profiles_toml_and_argv_are_echoed_inert() {
    let ep = Hostile::start(vec![Reply::refusal(400, "invalid_grant", 50126, "wrong")]);
    let v = Victim::new(ep, &[]);
    let path = v.dir.path().join("profiles.toml");
    let toml = std::fs::read_to_string(&path).unwrap();
    let hostile_user = "ops\\u001b]0;owned\\u0007\\u009b2J@contoso.onmicrosoft.com";
    let toml = toml.replace(common::USER, hostile_user);
    assert!(toml.contains(hostile_user));
    std::fs::write(&path, toml).unwrap();
    for args in [
        vec!["profile", "show", v.name.as_str()],
        vec!["profile", "list"],
        vec!["status"],
    ] {
        let a = v.run(&args);
        assert_inert(&format!("{args:?} stdout"), &out(&a));
        assert_inert(&format!("{args:?} stderr"), &err(&a));
    }
    let a = v.run(&["token", &format!("no{ATTACK}such")]);
    assert_inert("an unknown profile name from argv", &err(&a));
}
