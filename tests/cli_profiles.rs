//! Profile management through the real binary: add, list, show, edit, use, remove, selection.
#![allow(clippy::unwrap_used)]

mod common;

use common::{CLIENT_ID, Harness, TENANT, sim_config, stderr, stdout};

#[test]
fn first_profile_becomes_default_and_list_json_shows_it() {
    let h = Harness::new(sim_config());
    h.add_profile(&["--region", "eu", "--project-id", "1234567"]);
    let list: serde_json::Value =
        serde_json::from_str(&stdout(&h.cmd().args(["profile", "list", "--json"]).assert().success())).unwrap();
    assert_eq!(list[0]["name"], h.name.as_str());
    assert_eq!(list[0]["default"], true);
    assert_eq!(list[0]["api_host"], "https://lcsapi.eu.lcs.dynamics.com");
    let show: serde_json::Value = serde_json::from_str(&stdout(
        &h.cmd().args(["profile", "show", &h.name, "--json"]).assert().success(),
    ))
    .unwrap();
    assert_eq!(
        show["resolved"]["scope"],
        "https://lcsapi.eu.lcs.dynamics.com//.default"
    );
    assert_eq!(show["project_id"], "1234567");
}

#[test]
fn files_are_private_and_loose_permissions_are_reported() {
    use std::os::unix::fs::PermissionsExt;
    let h = Harness::new(sim_config());
    h.add_profile(&[]);
    let file = h.config_dir().join("profiles.toml");
    assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = h.cmd().args(["status"]).assert().success();
    assert!(
        stderr(&out).contains("readable by other users (mode 644)"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn lcsauth_profile_env_selects_the_profile_before_the_default() {
    let h = Harness::new(sim_config());
    h.add_profile(&[]);
    let other = format!("{}-b", h.name);
    h.cmd()
        .args([
            "profile",
            "add",
            &other,
            "--tenant",
            TENANT,
            "--client-id",
            CLIENT_ID,
            "--flow",
            "device-code",
        ])
        .assert()
        .success();
    // The default (first) profile has a username; the second signs in with device code.
    let out = h.cmd().env("LCSAUTH_PROFILE", &other).args(["token"]).assert().code(7);
    assert!(
        stderr(&out).contains(&format!("lcsauth login {other}")),
        "{}",
        stderr(&out)
    );
    h.cmd().args(["use", &other]).assert().success();
    let out = h.cmd().args(["token"]).assert().code(7);
    assert!(stderr(&out).contains(&format!("profile '{other}'")), "{}", stderr(&out));
    h.cmd().args(["profile", "remove", &other]).assert().success();
}

#[test]
fn editing_the_identity_drops_the_old_tokens_but_a_harmless_edit_keeps_them() {
    let h = Harness::signed_in(sim_config(), &[]);
    h.edit(&["--project-id", "42"]).success();
    assert_eq!(
        h.status_json()[0]["state"],
        "valid",
        "a project id does not change who signs in"
    );
    let out = h.edit(&["--region", "eu"]).success();
    assert!(stderr(&out).contains("tokens were removed"), "{}", stderr(&out));
    assert_eq!(h.status_json()[0]["state"], "none");
    h.edit(&["--project-id", ""]).success();
    let show: serde_json::Value = serde_json::from_str(&stdout(
        &h.cmd().args(["profile", "show", &h.name, "--json"]).assert().success(),
    ))
    .unwrap();
    assert!(
        show.get("project_id").is_none(),
        "an empty value clears the field: {show}"
    );
}

#[test]
fn invalid_edits_are_refused_and_change_nothing() {
    let h = Harness::new(sim_config());
    h.add_profile(&[]);
    let before = std::fs::read(h.config_dir().join("profiles.toml")).unwrap();
    let out = h.edit(&["--region", "custom"]).code(2);
    assert!(stderr(&out).contains("needs api_host"), "{}", stderr(&out));
    h.edit(&["--client-id", "nope"]).code(2);
    h.edit(&["--authority", "http://example.com"]).code(2);
    assert_eq!(std::fs::read(h.config_dir().join("profiles.toml")).unwrap(), before);
    h.cmd().args(["profile", "show", "missing"]).assert().code(6);
    h.cmd()
        .args([
            "profile",
            "add",
            &h.name,
            "--tenant",
            TENANT,
            "--client-id",
            CLIENT_ID,
            "--username",
            "x@y.z",
        ])
        .assert()
        .code(2);
}

#[test]
fn remove_keeps_the_profile_when_the_keyring_refuses() {
    let h = Harness::new(sim_config());
    h.add_profile(&[]);
    let out = h
        .cmd()
        .env("LCSAUTH_KEYRING", "secret-service")
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/lcsauth-test-bus")
        .args(["profile", "remove", &h.name])
        .assert()
        .code(5);
    assert!(stderr(&out).contains("was kept"), "{}", stderr(&out));
    assert_eq!(h.status_json()[0]["name"], h.name.as_str());
    h.cmd().args(["profile", "remove", &h.name]).assert().success();
    assert_eq!(h.status_json(), serde_json::json!([]));
}

#[test]
fn a_profile_can_target_the_power_platform_api_with_a_custom_scope() {
    let h = Harness::new(sim_config());
    h.add_profile(&[
        "--region",
        "custom",
        "--api-host",
        "https://api.powerplatform.com",
        "--scope",
        "https://api.powerplatform.com/.default",
    ]);
    h.login().success();
    let reqs = h.token_requests();
    assert_eq!(
        reqs[0].field("scope"),
        Some("https://api.powerplatform.com/.default offline_access")
    );
    let out = h
        .cmd()
        .args(["exec", &h.name, "--", "sh", "-c", "printf %s \"$LCS_API_URL\""])
        .assert()
        .success();
    assert_eq!(stdout(&out), "https://api.powerplatform.com");
    let doctor = h.cmd().args(["doctor", "--json"]).assert();
    let findings: serde_json::Value = serde_json::from_slice(&doctor.get_output().stdout).unwrap();
    let mine = findings
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["check"] == format!("profile {}", h.name).as_str())
        .unwrap();
    assert_eq!(
        mine["level"], "ok",
        "a non-LCS scope is not held to the LCS double slash: {mine}"
    );
}

#[test]
fn edit_to_an_interactive_flow_stops_remembering_the_password_as_the_board_does() {
    let h = Harness::signed_in(sim_config(), &["--remember-password"]);
    let out = h.edit(&["--flow", "device-code"]).success();
    assert!(
        stderr(&out).contains("The remembered password was removed."),
        "{}",
        stderr(&out)
    );
    let show: serde_json::Value = serde_json::from_str(&stdout(
        &h.cmd().args(["profile", "show", &h.name, "--json"]).assert().success(),
    ))
    .unwrap();
    assert_eq!(show["flow"], "device-code");
    assert_eq!(show.get("remember_password"), None, "{show}");
    // Asked for together with another flow, remembering is still refused.
    let refused = h.edit(&["--flow", "browser", "--remember-password"]).failure();
    assert!(
        stderr(&refused).contains("remember_password only applies to the password flow"),
        "{}",
        stderr(&refused)
    );
}
