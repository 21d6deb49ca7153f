//! The audience flags of the real binary against the simulator: `token --audience`, the
//! az-compatible output, `status --json` per audience, and `exec` exporting several audiences.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Harness, USER, sim_config, stdout};
use lcsauth::sim::token_claims;

const DATAVERSE: &str = "dataverse:https://contoso.crm.dynamics.com";

fn signed_in() -> Harness {
    let h = Harness::new(sim_config());
    h.add_profile(&["--region", "eu"]);
    h.login().success();
    h
}

#[test]
fn token_audience_names_the_resource_the_token_is_for() {
    let h = signed_in();
    for (audience, aud) in [
        ("lcs", "https://lcsapi.eu.lcs.dynamics.com"),
        ("powerplatform", "https://api.powerplatform.com"),
        ("powerapps", "https://service.powerapps.com"),
        (DATAVERSE, "https://contoso.crm.dynamics.com"),
    ] {
        let t = stdout(&h.token(&["--audience", audience]).success());
        let claims = token_claims(t.trim()).unwrap();
        assert_eq!(claims["aud"], aud, "{audience}");
        assert_eq!(claims["upn"], USER);
    }
    // Only the sign-in was a password grant; every other audience came from the refresh token.
    let grants: Vec<String> = h
        .token_requests()
        .iter()
        .map(|r| r.field("grant_type").unwrap_or_default().to_string())
        .collect();
    assert_eq!(grants, ["password", "refresh_token", "refresh_token", "refresh_token"]);
}

#[test]
fn format_az_prints_the_fields_of_az_account_get_access_token() {
    let h = signed_in();
    let out = stdout(&h.token(&["--audience", "powerplatform", "--format", "az"]).success());
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let token = v["accessToken"].as_str().unwrap();
    let claims = token_claims(token).unwrap();
    assert_eq!(claims["aud"], "https://api.powerplatform.com");
    assert_eq!(v["tokenType"], "Bearer");
    assert_eq!(v["tenant"], claims["tid"]);
    assert_eq!(v["expires_on"].as_i64(), claims["exp"].as_i64());
    let on = v["expiresOn"].as_str().unwrap();
    let re_ok = on.len() == 26
        && on.as_bytes()[10] == b' '
        && on.as_bytes()[19] == b'.'
        && on.chars().filter(char::is_ascii_digit).count() == 20;
    assert!(re_ok, "expiresOn {on:?} is not YYYY-MM-DD HH:MM:SS.ffffff");
    let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 5, "{keys:?}");
}

#[test]
fn status_json_keeps_the_profile_fields_and_adds_one_object_per_audience() {
    let h = signed_in();
    h.cmd()
        .args(["profile", "edit", &h.name, "--region", "eu"])
        .assert()
        .success();
    h.token(&["--audience", DATAVERSE]).success();
    let v = h.status_json();
    let p = &v[0];
    assert_eq!(p["name"], h.name.as_str());
    assert_eq!(p["state"], "valid");
    assert_eq!(p["audience"], "lcs");
    let audiences = p["audiences"].as_array().unwrap();
    let names: Vec<&str> = audiences.iter().map(|a| a["audience"].as_str().unwrap()).collect();
    assert_eq!(names, ["lcs", "dataverse:contoso.crm.dynamics.com"]);
    for a in audiences {
        for key in ["name", "region", "state", "expires_at", "remaining_seconds", "resource"] {
            assert!(a.get(key).is_some(), "{key} missing in {a}");
        }
        assert_eq!(a["state"], "valid");
    }
    let pp = h
        .cmd()
        .args(["status", "--json", "--audience", "powerplatform"])
        .assert()
        .success();
    let pp: serde_json::Value = serde_json::from_str(&stdout(&pp)).unwrap();
    assert_eq!(pp[0]["state"], "none", "no Power Platform token yet");
}

#[test]
fn exec_exports_each_audience_asked_and_lcs_as_before() {
    let h = signed_in();
    let script = "printf '%s\\n' \"$LCS_ACCESS_TOKEN\" \"$PP_ACCESS_TOKEN\" \"$LCSAUTH_TOKEN_POWERPLATFORM\" \"$LCS_API_URL\" \"$PP_API_URL\"";
    let out = h
        .cmd()
        .args([
            "exec",
            &h.name,
            "--audience",
            "lcs",
            "--audience",
            "powerplatform",
            "--",
            "sh",
            "-c",
            script,
        ])
        .assert()
        .success();
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        token_claims(lines[0]).unwrap()["aud"],
        "https://lcsapi.eu.lcs.dynamics.com"
    );
    assert_eq!(token_claims(lines[1]).unwrap()["aud"], "https://api.powerplatform.com");
    assert_eq!(lines[1], lines[2]);
    assert_eq!(lines[3], "https://lcsapi.eu.lcs.dynamics.com");
    assert_eq!(lines[4], "https://api.powerplatform.com");
    // Without --audience, exec is what it always was.
    let plain = h
        .cmd()
        .args([
            "exec",
            &h.name,
            "--",
            "sh",
            "-c",
            "printf '%s|%s' \"$LCS_ACCESS_TOKEN\" \"${PP_ACCESS_TOKEN-unset}\"",
        ])
        .assert()
        .success();
    let plain = stdout(&plain);
    let (lcs, pp) = plain.split_once('|').unwrap();
    assert_eq!(lcs, lines[0]);
    assert_eq!(pp, "unset");
}

#[test]
fn an_unknown_audience_is_a_usage_error_that_lists_the_audiences() {
    let h = signed_in();
    let out = h.token(&["--audience", "graph"]).code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(err.contains("powerplatform, powerapps, dataverse:<org url>"), "{err}");
}

#[test]
fn profile_add_takes_a_cloud_and_audiences_and_presets_resolve_in_that_cloud() {
    let h = Harness::new(sim_config());
    h.add_profile(&["--region", "gcc", "--audiences", "powerplatform,powerapps"]);
    h.login().success();
    let t = stdout(&h.token(&["--audience", "powerplatform"]).success());
    assert_eq!(
        token_claims(t.trim()).unwrap()["aud"],
        "https://api.gov.powerplatform.microsoft.us"
    );
    h.cmd()
        .args(["profile", "edit", &h.name, "--cloud", "dod"])
        .assert()
        .success();
    let text = stdout(&h.cmd().args(["profile", "show", &h.name]).assert().success());
    assert!(text.contains("cloud:       dod"), "{text}");
    assert!(text.contains("https://api.appsplatform.us/.default"), "{text}");
    let toml = std::fs::read_to_string(h.config_dir().join("profiles.toml")).unwrap();
    assert!(toml.contains("cloud = \"dod\""), "{toml}");
    assert!(
        toml.contains("audiences = [\n    \"powerplatform\",\n    \"powerapps\",\n]")
            || toml.contains("audiences = [\"powerplatform\", \"powerapps\"]"),
        "{toml}"
    );
    let dup = h
        .cmd()
        .args(["profile", "edit", &h.name, "--audiences", "powerplatform,powerplatform"])
        .assert()
        .failure();
    let err = String::from_utf8_lossy(&dup.get_output().stderr).into_owned();
    assert!(err.contains("listed twice"), "{err}");
}

#[test]
fn status_lists_each_audience_of_an_identity_under_it() {
    let h = signed_in();
    h.token(&["--audience", "powerplatform"]).success();
    let text = stdout(&h.cmd().arg("status").assert().success());
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with("powerplatform"))
        .unwrap_or_else(|| panic!("no audience line in\n{text}"));
    assert!(line.contains("valid"), "{line}");
}

#[test]
fn a_claims_challenge_is_explained_as_a_step_up_with_the_login_that_answers_it() {
    let mut config = sim_config();
    config.claims_challenge = Some(r#"{"access_token":{"acrs":{"essential":true,"value":"c1"}}}"#.into());
    let h = Harness::new(config);
    h.add_profile(&["--region", "eu"]);
    h.login().success();
    let out = h.token(&["--audience", "powerplatform"]).code(3);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(err.contains("step-up"), "{err}");
    assert!(
        err.contains(&format!("lcsauth login {} --audience powerplatform", h.name)),
        "{err}"
    );
    assert!(out.get_output().stdout.is_empty());
}

const APP_SECRET: &str = "Qx8~app.secret-value_9";

#[test]
fn a_client_secret_profile_serves_power_platform_as_the_app_and_refuses_lcs() {
    let mut config = sim_config();
    config.client_secrets.push(lcsauth::sim::SimClientSecret {
        client_id: common::CLIENT_ID.into(),
        secret: APP_SECRET.into(),
    });
    let h = Harness::new(config);
    let url = h.sim.base_url();
    // The secret comes from stdin, signs in at once and is kept in the keyring.
    h.cmd()
        .args([
            "profile",
            "add",
            &h.name,
            "--tenant",
            common::TENANT,
            "--client-id",
            common::CLIENT_ID,
            "--flow",
            "client-secret",
            "--audiences",
            "powerplatform,dataverse:https://contoso.crm.dynamics.com",
            "--authority",
            &url,
            "--password-stdin",
        ])
        .write_stdin(format!("{APP_SECRET}\n"))
        .assert()
        .success();
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
    let grants: Vec<String> = h
        .token_requests()
        .iter()
        .map(|r| r.field("grant_type").unwrap_or_default().to_string())
        .collect();
    assert_eq!(
        grants, ["client_credentials"; 3],
        "the stored secret served every later token"
    );
    let lcs = h.token(&["--audience", "lcs"]).failure();
    let err = String::from_utf8_lossy(&lcs.get_output().stderr).into_owned();
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
    let out = h
        .cmd()
        .args([
            "profile",
            "add",
            &h.name,
            "--tenant",
            common::TENANT,
            "--client-id",
            common::CLIENT_ID,
            "--flow",
            "client-secret",
        ])
        .assert()
        .failure();
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(err.contains("LCS does not accept service principals"), "{err}");
    assert!(!h.config_dir().join("profiles.toml").exists());
}

#[test]
fn a_wrong_client_secret_is_refused_and_not_kept() {
    let mut config = sim_config();
    config.client_secrets.push(lcsauth::sim::SimClientSecret {
        client_id: common::CLIENT_ID.into(),
        secret: APP_SECRET.into(),
    });
    let h = Harness::new(config);
    let url = h.sim.base_url();
    h.cmd()
        .args([
            "profile",
            "add",
            &h.name,
            "--tenant",
            common::TENANT,
            "--client-id",
            common::CLIENT_ID,
            "--flow",
            "client-secret",
            "--audiences",
            "powerplatform",
            "--authority",
            &url,
        ])
        .assert()
        .success();
    let out = h
        .cmd()
        .args(["login", &h.name, "--password-stdin"])
        .write_stdin("the-secret-id-not-its-value\n")
        .assert()
        .code(3);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(err.contains("7000215"), "{err}");
    // Nothing was kept: the next token needs the secret again.
    let next = h.token(&[]).code(7);
    let err = String::from_utf8_lossy(&next.get_output().stderr).into_owned();
    assert!(err.contains("no client secret is stored"), "{err}");
}

#[test]
fn switching_a_client_secret_profile_to_the_password_flow_forgets_the_secret() {
    let mut config = sim_config();
    config.client_secrets.push(lcsauth::sim::SimClientSecret {
        client_id: common::CLIENT_ID.into(),
        secret: APP_SECRET.into(),
    });
    let h = Harness::new(config);
    let url = h.sim.base_url();
    h.cmd()
        .args([
            "profile",
            "add",
            &h.name,
            "--tenant",
            common::TENANT,
            "--client-id",
            common::CLIENT_ID,
            "--flow",
            "client-secret",
            "--audiences",
            "powerplatform",
            "--authority",
            &url,
            "--password-stdin",
        ])
        .write_stdin(format!("{APP_SECRET}\n"))
        .assert()
        .success();
    h.cmd()
        .args([
            "profile",
            "edit",
            &h.name,
            "--flow",
            "password",
            "--username",
            USER,
            "--audiences",
            "",
            "--remember-password",
        ])
        .assert()
        .success();
    h.sim.clear_requests();
    // The stored client secret is gone: it is never sent as the user's password.
    h.token(&[]).code(7);
    assert!(h.token_requests().is_empty(), "nothing was sent");
}

#[test]
fn shell_completion_offers_the_audience_presets_and_the_urls_profiles_list() {
    let h = Harness::new(sim_config());
    h.add_profile(&["--audiences", "dataverse:https://contoso.crm4.dynamics.com"]);
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let mut cmd = h.cmd();
        let words = ["token", &h.name, "--audience", ""];
        cmd.env("COMPLETE", shell)
            .arg("--")
            .arg("lcsauth")
            .args(words)
            .env("_CLAP_COMPLETE_INDEX", words.len().to_string())
            .env("_CLAP_IFS", "\n");
        let offered = stdout(&cmd.assert().success());
        // zsh escapes the colons; the host is the same in every shell.
        for word in ["powerplatform", "powerapps", "contoso.crm4.dynamics.com"] {
            assert!(offered.contains(word), "{shell} lacks {word}: {offered}");
        }
    }
}
