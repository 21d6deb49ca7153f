//! The audience flags of the real binary against the simulator: `token --audience`, the
//! az-compatible output, `status --json` per audience, and `exec` exporting several audiences.
//! Profiles that sign in as an app are in `cli_client_secret.rs`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Harness, USER, sim_config, stderr, stdout};
use lcsauth::sim::token_claims;

const DATAVERSE: &str = "dataverse:https://contoso.crm.dynamics.com";

fn signed_in() -> Harness {
    Harness::signed_in(sim_config(), &["--region", "eu"])
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
    assert_eq!(
        h.grant_types(),
        ["password", "refresh_token", "refresh_token", "refresh_token"]
    );
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
    h.edit(&["--region", "eu"]).success();
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
    let err = stderr(&h.token(&["--audience", "graph"]).code(2));
    assert!(err.contains("powerplatform, powerapps, dataverse:<org url>"), "{err}");
}

#[test]
fn profile_add_takes_a_cloud_and_audiences_and_presets_resolve_in_that_cloud() {
    let h = Harness::signed_in(
        sim_config(),
        &["--region", "gcc", "--audiences", "powerplatform,powerapps"],
    );
    let t = stdout(&h.token(&["--audience", "powerplatform"]).success());
    assert_eq!(
        token_claims(t.trim()).unwrap()["aud"],
        "https://api.gov.powerplatform.microsoft.us"
    );
    h.edit(&["--cloud", "dod"]).success();
    let text = h.show();
    assert!(text.contains("cloud:       dod"), "{text}");
    assert!(text.contains("https://api.appsplatform.us/.default"), "{text}");
    let toml = std::fs::read_to_string(h.config_dir().join("profiles.toml")).unwrap();
    assert!(toml.contains("cloud = \"dod\""), "{toml}");
    assert!(
        toml.contains("audiences = [\n    \"powerplatform\",\n    \"powerapps\",\n]")
            || toml.contains("audiences = [\"powerplatform\", \"powerapps\"]"),
        "{toml}"
    );
    let err = stderr(&h.edit(&["--audiences", "powerplatform,powerplatform"]).failure());
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
    let h = Harness::signed_in(config, &["--region", "eu"]);
    let out = h.token(&["--audience", "powerplatform"]).code(3);
    let err = stderr(&out);
    assert!(err.contains("step-up"), "{err}");
    assert!(
        err.contains(&format!("lcsauth login {} --audience powerplatform", h.name)),
        "{err}"
    );
    assert!(out.get_output().stdout.is_empty());
}

#[test]
fn shell_completion_offers_the_audience_presets_and_the_urls_profiles_list() {
    let h = Harness::new(sim_config());
    h.add_profile(&["--audiences", "dataverse:https://contoso.crm4.dynamics.com"]);
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let offered = h.complete(shell, &["token", &h.name, "--audience", ""]);
        // zsh escapes the colons; the host is the same in every shell.
        for word in ["powerplatform", "powerapps", "contoso.crm4.dynamics.com"] {
            assert!(offered.contains(word), "{shell} lacks {word}: {offered}");
        }
    }
}
