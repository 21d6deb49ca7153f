//! Profiles that sign in as an app with a client secret, through the real binary: the secret
//! is read from stdin and kept only in the keyring, serves the Power Platform audiences, is
//! refused for LCS, and is forgotten when the profile turns to the password flow.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use assert_cmd::Command;
use common::{Harness, USER, sim_config, stderr, stdout};
use lcsauth::sim::{SimClientSecret, SimConfig, token_claims};

const APP_SECRET: &str = "Qx8~app.secret-value_9";

/// The simulator knowing the test client's secret.
fn app_sim() -> SimConfig {
    let mut config = sim_config();
    config.client_secrets.push(SimClientSecret {
        client_id: common::CLIENT_ID.into(),
        secret: APP_SECRET.into(),
    });
    config
}

/// `profile add` of a client-secret profile for `audiences` against the simulator.
fn add_app_profile(h: &Harness, audiences: &str) -> Command {
    let mut cmd = h.add_cmd(&h.name);
    cmd.args(["--flow", "client-secret", "--audiences", audiences])
        .args(["--authority", &h.sim.base_url()]);
    cmd
}

/// Adds a client-secret profile for `audiences` with the secret on stdin: it signs in at once.
fn signed_in_app(audiences: &str) -> Harness {
    let h = Harness::new(app_sim());
    add_app_profile(&h, audiences)
        .arg("--password-stdin")
        .write_stdin(format!("{APP_SECRET}\n"))
        .assert()
        .success();
    h
}

#[test]
fn a_client_secret_profile_serves_power_platform_as_the_app_and_refuses_lcs() {
    // The secret comes from stdin, signs in at once and is kept in the keyring.
    let h = signed_in_app("powerplatform,dataverse:https://contoso.crm.dynamics.com");
    let t = stdout(&h.token(&["--force"]).success());
    let claims = token_claims(t.trim()).unwrap();
    assert_eq!(
        claims["aud"], "https://api.powerplatform.com",
        "the first audience is the default"
    );
    assert_eq!(claims["idtyp"], "app");
    assert!(claims.get("upn").is_none());
    let dv = stdout(
        &h.token(&["--audience", "dataverse:https://contoso.crm.dynamics.com"])
            .success(),
    );
    assert_eq!(
        token_claims(dv.trim()).unwrap()["aud"],
        "https://contoso.crm.dynamics.com"
    );
    assert_eq!(
        h.grant_types(),
        ["client_credentials"; 3],
        "the stored secret served every later token"
    );
    let err = stderr(&h.token(&["--audience", "lcs"]).failure());
    assert!(err.contains("LCS does not accept service principals"), "{err}");
    for (path, bytes) in h.files() {
        assert!(
            !String::from_utf8_lossy(&bytes).contains(APP_SECRET),
            "the secret is in {}",
            path.display()
        );
    }
}

#[test]
fn a_client_secret_profile_for_lcs_is_refused_when_added_with_the_reason() {
    let h = Harness::new(sim_config());
    let out = h.add_cmd(&h.name).args(["--flow", "client-secret"]).assert().failure();
    let err = stderr(&out);
    assert!(err.contains("LCS does not accept service principals"), "{err}");
    assert!(!h.config_dir().join("profiles.toml").exists());
}

#[test]
fn a_wrong_client_secret_is_refused_and_not_kept() {
    let h = Harness::new(app_sim());
    add_app_profile(&h, "powerplatform").assert().success();
    let out = h
        .cmd()
        .args(["login", &h.name, "--password-stdin"])
        .write_stdin("the-secret-id-not-its-value\n")
        .assert()
        .code(3);
    let err = stderr(&out);
    assert!(err.contains("7000215"), "{err}");
    // Nothing was kept: the next token needs the secret again.
    let err = stderr(&h.token(&[]).code(7));
    assert!(err.contains("no client secret is stored"), "{err}");
}

#[test]
fn switching_a_client_secret_profile_to_the_password_flow_forgets_the_secret() {
    let h = signed_in_app("powerplatform");
    h.edit(&[
        "--flow",
        "password",
        "--username",
        USER,
        "--audiences",
        "",
        "--remember-password",
    ])
    .success();
    h.sim.clear_requests();
    // The stored client secret is gone: it is never sent as the user's password.
    h.token(&[]).code(7);
    assert!(h.token_requests().is_empty(), "nothing was sent");
}
