//! Bad input from every side: token responses with wrong types, a huge body, opaque tokens and
//! absurd lifetimes; a config directory that cannot be written; no keyring; no clipboard; a
//! profiles.toml others can read. Nothing panics, and nothing on disk or in the keyring is lost:
//! after each failure the previous tokens are still served and refreshed.
//! (Broken profiles.toml files have their own fixtures in `config_fixtures.rs`.)
#![allow(clippy::unwrap_used)]

mod common;

use base64::Engine as _;
use common::signed::{SignedIn, assert_no_panic, signed_in};
use common::{Harness, sim_config, stderr, stdout};
use lcsauth::sim::{Endpoint, Scripted};

// What these tests ask of the signed-in profile beyond the faults' checks.
impl SignedIn {
    /// Scripts one 200 answer with this body for the next refresh and runs `token --force`.
    fn refresh_answered(&self, body: &str) -> assert_cmd::assert::Assert {
        self.h
            .sim
            .script(Endpoint::Token, Scripted::RawJson(200, body.to_string()));
        let out = self.h.token(&["--force"]);
        assert_no_panic(&stderr(&out));
        out
    }

    /// The cached access token is `access` (served without a request) and the next refresh
    /// sends the refresh token from the sign-in.
    fn assert_kept(&self, access: &str) {
        let before = self.h.token_requests().len();
        let cached = self.h.token(&["--min-valid", "1m"]).success();
        assert_eq!(stdout(&cached).trim(), access, "the cached access token is served");
        assert_eq!(self.h.token_requests().len(), before, "from the cache");
        self.h.token(&["--force"]).success();
        let last = self.h.token_requests().last().cloned().unwrap();
        assert_eq!(last.field("grant_type"), Some("refresh_token"));
        assert_eq!(last.field("refresh_token"), Some(self.refresh.as_str()));
    }

    fn remaining_seconds(&self) -> i64 {
        self.h.status_json()[0]["remaining_seconds"].as_i64().unwrap()
    }
}

/// An unsigned JWT whose payload ends at `exp_in` seconds from now.
fn jwt(exp_in: i64) -> String {
    let e = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let now = jiff::Timestamp::now().as_second();
    let payload = serde_json::json!({
        "aud": "https://lcsapi.lcs.dynamics.com", "iat": now, "nbf": now, "exp": now + exp_in,
        "upn": common::USER, "ver": "1.0",
    });
    format!(
        "{}.{}.c2ln",
        e.encode(r#"{"typ":"JWT","alg":"RS256"}"#),
        e.encode(payload.to_string())
    )
}

// --- Token responses ------------------------------------------------------------------------

#[test]
fn expires_in_as_text_falls_back_to_the_jwt_exp() {
    let s = signed_in();
    let token = jwt(1800);
    let out = s.refresh_answered(&format!(
        r#"{{"token_type":"Bearer","expires_in":"soon","access_token":"{token}"}}"#
    ));
    out.success();
    let left = s.remaining_seconds();
    assert!((1700..=1800).contains(&left), "{left}");
    // The answer had no refresh token: the stored one is kept.
    s.assert_kept(&token);
}

#[test]
fn expires_in_of_an_unexpected_json_type_falls_back_to_the_jwt_exp() {
    let s = signed_in();
    for odd in ["true", "[3599]", r#"{"seconds":3599}"#, "null"] {
        let token = jwt(1500);
        let out = s.refresh_answered(&format!(r#"{{"expires_in":{odd},"access_token":"{token}"}}"#));
        let err = stderr(&out);
        assert!(out.get_output().status.success(), "expires_in {odd}: {err}");
        assert_eq!(stdout(&out).trim(), token, "expires_in {odd}");
    }
    let left = s.remaining_seconds();
    assert!((1400..=1500).contains(&left), "{left}");
}

#[test]
fn no_usable_lifetime_at_all_is_refused_and_keeps_the_tokens() {
    let s = signed_in();
    let out = s.refresh_answered(r#"{"expires_in":"soon","access_token":"opaque-token"}"#);
    let err = stderr(&out.code(4));
    assert!(err.contains("no expires_in") && err.contains("no exp claim"), "{err}");
    s.assert_kept(&s.access);
}

#[test]
fn access_token_as_a_number_is_refused_without_quoting_the_body_and_keeps_the_tokens() {
    let s = signed_in();
    let out = s.refresh_answered(r#"{"access_token":42,"expires_in":3599,"refresh_token":"RT-NEVER-SHOWN"}"#);
    let err = stderr(&out.code(4));
    assert!(err.contains("JSON without a usable access_token"), "{err}");
    assert!(!err.contains("RT-NEVER-SHOWN"), "{err}");
    s.assert_kept(&s.access);
}

#[test]
fn a_body_over_1_mib_is_capped_and_keeps_the_tokens() {
    let s = signed_in();
    let huge = format!(
        r#"{{"expires_in":3599,"access_token":"{}"}}"#,
        "A".repeat(1024 * 1024 + 512)
    );
    let out = s.refresh_answered(&huge);
    let err = stderr(&out.code(4));
    assert!(err.contains("larger than 1 MiB"), "{err}");
    assert!(
        err.len() < 2000,
        "the body is not echoed ({} bytes of stderr)",
        err.len()
    );
    assert_eq!(s.h.token_requests().len(), 2, "not retried");
    s.assert_kept(&s.access);
}

#[test]
fn an_opaque_access_token_is_handed_out_with_the_lifetime_of_expires_in() {
    let s = signed_in();
    let out = s.refresh_answered(r#"{"token_type":"Bearer","expires_in":1234,"access_token":"opaque.v1-token_x"}"#);
    let out = out.success();
    assert_eq!(stdout(&out).trim(), "opaque.v1-token_x");
    let left = s.remaining_seconds();
    assert!((1134..=1234).contains(&left), "{left}");
    s.assert_kept("opaque.v1-token_x");
}

#[test]
fn negative_expires_in_is_not_trusted() {
    let s = signed_in();
    let out = s.refresh_answered(r#"{"expires_in":-5,"access_token":"opaque-token"}"#);
    let err = stderr(&out.code(4));
    assert!(err.contains("unusable lifetime (expires_in = -5)"), "{err}");
    s.assert_kept(&s.access);

    // With an exp claim the token is usable until then.
    let token = jwt(1800);
    let out = s.refresh_answered(&format!(r#"{{"expires_in":-5,"access_token":"{token}"}}"#));
    assert_eq!(stdout(&out.success()).trim(), token);
    let left = s.remaining_seconds();
    assert!((1700..=1800).contains(&left), "{left}");
}

#[test]
fn absurd_expires_in_is_capped_at_30_hours() {
    let s = signed_in();
    for absurd in ["1000000000000000", "1e300", "\"9223372036854775807\""] {
        let out = s.refresh_answered(&format!(
            r#"{{"expires_in":{absurd},"access_token":"opaque-{}"}}"#,
            absurd.len()
        ));
        out.success();
        let left = s.remaining_seconds();
        assert!((29 * 3600..=30 * 3600).contains(&left), "expires_in {absurd}: {left}");
    }
}

// --- The machine around it ------------------------------------------------------------------

#[test]
fn a_config_dir_below_a_regular_file_is_a_clear_failure_for_every_command() {
    let h = Harness::new(sim_config());
    let blocker = h.config_dir().join("not-a-dir");
    std::fs::write(&blocker, b"keep me").unwrap();
    let dir = blocker.join("lcsauth");
    let run = |args: &[&str]| {
        let mut cmd = h.cmd();
        cmd.env("LCSAUTH_CONFIG_DIR", &dir)
            .args(args)
            .write_stdin(format!("{}\n", common::PASSWORD));
        cmd.assert()
    };
    let add = [
        "profile",
        "add",
        "x",
        "--tenant",
        common::TENANT,
        "--client-id",
        common::CLIENT_ID,
        "--username",
        common::USER,
    ];
    let commands: [&[&str]; 7] = [
        &add,
        &["profile", "list"],
        &["status"],
        &["use", "x"],
        &["token", "x"],
        &["login", "x", "--password-stdin"],
        &["logout", "x"],
    ];
    for args in commands {
        let out = run(args).code(1);
        let err = stderr(&out);
        assert!(err.starts_with("error: cannot "), "{args:?}: {err}");
        assert!(
            err.contains(&dir.display().to_string()),
            "{args:?} names the path: {err}"
        );
        assert!(err.contains("Not a directory"), "{args:?}: {err}");
        assert!(out.get_output().stdout.is_empty(), "{args:?}");
        assert_no_panic(&err);
    }
    assert_eq!(std::fs::read(&blocker).unwrap(), b"keep me");
    assert!(h.sim.requests().is_empty(), "no sign-in was spent");
}

#[test]
fn an_absent_keyring_stops_a_refresh_before_any_request_and_loses_nothing() {
    let s = signed_in();
    let profiles = std::fs::read(s.h.config_dir().join("profiles.toml")).unwrap();
    let dead_keyring = |args: &[&str]| {
        let mut cmd = s.h.cmd();
        cmd.env("LCSAUTH_KEYRING", "secret-service")
            .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/lcsauth-test-bus")
            .args(args);
        cmd.assert()
    };
    let before = s.h.token_requests().len();
    let err = stderr(&dead_keyring(&["token", &s.h.name, "--force"]).code(5));
    assert!(err.contains("Secret Service") && err.contains("fix: "), "{err}");
    assert_no_panic(&err);
    assert_eq!(
        s.h.token_requests().len(),
        before,
        "no request it could not keep the answer of"
    );
    assert_eq!(std::fs::read(s.h.config_dir().join("profiles.toml")).unwrap(), profiles);
    // The kernel keyring still holds the access token, so a cached token needs no Secret Service.
    let cached = dead_keyring(&["token", &s.h.name, "--min-valid", "1m"]).success();
    assert_eq!(stdout(&cached).trim(), s.access);
    s.assert_kept(&s.access);
}

#[test]
fn copy_without_a_display_or_a_terminal_fails_clearly_and_changes_nothing() {
    let s = signed_in();
    let files = s.h.files();
    let out =
        s.h.cmd()
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .args(["copy", &s.h.name])
            .assert()
            .code(1);
    let err = stderr(&out);
    assert!(err.contains("cannot copy") && err.contains("DISPLAY"), "{err}");
    assert!(out.get_output().stdout.is_empty(), "the token is not printed instead");
    assert!(!err.contains(&s.access), "{err}");
    assert_no_panic(&err);
    assert_eq!(s.h.files(), files, "nothing on disk changed");
    s.assert_kept(&s.access);
}

#[test]
fn a_profiles_toml_others_can_read_is_reported_at_load_until_a_save_makes_it_private() {
    use std::os::unix::fs::PermissionsExt;
    let h = Harness::new(sim_config());
    h.add_profile(&[]);
    let file = h.config_dir().join("profiles.toml");
    let mode = || std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(), 0o600);
    for loose in [0o640, 0o604, 0o644] {
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(loose)).unwrap();
        let err = stderr(&h.cmd().args(["profile", "list"]).assert().success());
        assert!(
            err.contains(&format!("readable by other users (mode {loose:o})")) && err.contains("chmod 600"),
            "{loose:o}: {err}"
        );
    }
    h.edit(&["--project-id", "7"]).success();
    assert_eq!(mode(), 0o600, "a save writes a private file");
    let err = stderr(&h.cmd().args(["profile", "list"]).assert().success());
    assert!(!err.contains("readable by other users"), "{err}");
}
