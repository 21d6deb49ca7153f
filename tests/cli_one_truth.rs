//! One rule about a token, through the real binary: a token shorter than min_valid is handed
//! out with a warning (exit 0) and fetched at most once per half lifetime; `--format` means
//! the same thing everywhere; a rename keeps the tokens; a new flow clears the last error; a
//! wrong LCSAUTH_PROFILE says where it came from; completion offers profile names.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use common::{Harness, sim_config, stderr, stdout};

#[test]
fn a_forty_second_token_is_handed_out_with_a_warning_and_exit_0_without_a_request_storm() {
    let h = Harness::signed_in(sim_config().lifetime(Duration::from_secs(40)), &[]);
    assert_eq!(h.token_requests().len(), 1);
    // Ten calls with the default min_valid (15m): the 40-second token is the freshest there is.
    for _ in 0..10 {
        let out = h.token(&[]).success();
        assert_eq!(stdout(&out).trim(), h.sim.last_access_token().unwrap());
        let err = stderr(&out);
        assert!(err.contains("that live 40s"), "{err}");
        assert!(err.contains("less than min_valid 15m 00s"), "{err}");
        assert!(err.contains("Lower min_valid"), "{err}");
    }
    assert_eq!(
        h.token_requests().len(),
        1,
        "no request while the token is in its first half"
    );
    // `exec` follows the same rule.
    h.cmd()
        .args(["exec", &h.name, "--", "sh", "-c", "test -n \"$LCS_ACCESS_TOKEN\""])
        .assert()
        .success();
    assert_eq!(h.token_requests().len(), 1);
    // `status` calls it valid for the same half.
    assert_eq!(h.status_json()[0]["state"], "valid");
}

#[test]
fn a_short_token_past_its_half_life_is_fetched_once_then_served_from_the_cache() {
    let h = Harness::signed_in(sim_config().lifetime(Duration::from_secs(4)), &[]);
    std::thread::sleep(Duration::from_millis(2300));
    let first = h.token(&[]).success();
    assert!(stderr(&first).contains("that live 4s"), "{}", stderr(&first));
    assert_eq!(h.token_requests().len(), 2, "past half its life: one refresh");
    h.token(&[]).success();
    h.token(&[]).success();
    assert_eq!(
        h.token_requests().len(),
        2,
        "the new token is served, not fetched again"
    );
}

#[test]
fn format_header_is_the_whole_header_line_and_bearer_the_value_in_token() {
    let h = Harness::signed_in(sim_config(), &[]);
    let at = h.sim.last_access_token().unwrap();
    let header = stdout(&h.token(&["--format", "header"]).success());
    assert_eq!(header, format!("Authorization: Bearer {at}\n"));
    assert_eq!(
        stdout(&h.token(&["--format", "bearer"]).success()),
        format!("Bearer {at}\n")
    );
    let help = stdout(&h.cmd().args(["copy", "--help"]).assert().success());
    assert!(help.contains("header (`Authorization: Bearer …`)"), "{help}");
}

#[test]
fn a_rename_keeps_the_tokens_and_makes_no_request() {
    let h = Harness::signed_in(sim_config(), &[]);
    let at = h.sim.last_access_token().unwrap();
    let new = format!("{}-renamed", h.name);
    let out = h.edit(&["--rename", &new]).success();
    assert!(stderr(&out).contains("tokens were kept"), "{}", stderr(&out));
    let token = h.cmd().args(["token", &new]).assert().success();
    assert_eq!(stdout(&token).trim(), at);
    assert_eq!(h.token_requests().len(), 1, "no sign-in was needed after the rename");
    h.cmd().args(["logout", &new]).assert().success();
}

#[test]
fn switching_an_mfa_refused_profile_to_device_code_clears_the_error() {
    let h = Harness::new(sim_config());
    h.add_profile_as(common::MFA_USER, &[]);
    h.login().code(3);
    assert!(h.status_json()[0]["last_error"].is_object());
    let out = h.edit(&["--flow", "device-code"]).success();
    assert!(stderr(&out).contains("last error was cleared"), "{}", stderr(&out));
    assert!(h.status_json()[0]["last_error"].is_null());
    let show = h.show();
    assert!(!show.contains("AADSTS"), "{show}");
}

#[test]
fn profile_show_prints_whole_seconds_and_status_has_a_user_column() {
    let h = Harness::signed_in(sim_config(), &[]);
    let show = h.show();
    let line = show.lines().find(|l| l.starts_with("expires_at:")).unwrap();
    assert!(line.contains(" UTC (") && !line.contains('.'), "{line}");
    let status = stdout(&h.cmd().arg("status").assert().success());
    let header = status.lines().next().unwrap();
    assert!(header.contains("USER"), "{header}");
    assert!(status.contains(common::USER), "{status}");
}

#[test]
fn a_wrong_lcsauth_profile_names_the_variable_and_suggests_near_names() {
    let h = Harness::new(sim_config());
    h.add_profile(&[]);
    let typo = format!("{}x", h.name);
    let out = h.cmd().env("LCSAUTH_PROFILE", &typo).arg("token").assert().code(6);
    let err = stderr(&out);
    assert!(err.contains(&format!("LCSAUTH_PROFILE={typo}")), "{err}");
    assert!(err.contains(&format!("did you mean: {}?", h.name)), "{err}");
}

#[test]
fn region_uk_says_it_is_served_by_global() {
    let h = Harness::new(sim_config());
    let out = h.add_cmd("x").args(["--region", "uk"]).assert().code(2);
    assert!(stderr(&out).contains("UK is served by global"), "{}", stderr(&out));
}

#[test]
fn completion_offers_profile_names_regions_and_flows_in_every_shell() {
    let h = Harness::new(sim_config());
    h.add_profile(&[]);
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let names = h.complete(shell, &["token", ""]);
        assert!(names.contains(&h.name), "{shell}: {names}");
        let regions = h.complete(shell, &["profile", "add", "x", "--region", ""]);
        assert!(
            regions.contains("gcc-high") && regions.contains("eu"),
            "{shell}: {regions}"
        );
        let flows = h.complete(shell, &["profile", "edit", &h.name, "--flow", ""]);
        assert!(flows.contains("device-code"), "{shell}: {flows}");
        let script = stdout(&h.cmd().args(["completions", shell]).assert().success());
        assert!(script.contains("COMPLETE"), "{shell}: {script}");
    }
}

#[test]
fn every_command_has_an_example_and_add_shows_its_required_options() {
    let h = Harness::new(sim_config());
    let commands: [&[&str]; 18] = [
        &["profile", "add"],
        &["profile", "list"],
        &["profile", "show"],
        &["profile", "edit"],
        &["profile", "remove"],
        &["use"],
        &["login"],
        &["token"],
        &["copy"],
        &["status"],
        &["logout"],
        &["exec"],
        &["probe"],
        &["api"],
        &["doctor"],
        &["regions"],
        &["completions"],
        &["demo"],
    ];
    for c in commands {
        let help = stdout(&h.cmd().args(c).arg("--help").assert().success());
        assert!(help.contains("Example"), "{c:?} has no example:\n{help}");
    }
    let add = stdout(&h.cmd().args(["profile", "add", "--help"]).assert().success());
    assert!(
        add.contains("--tenant <TENANT> --client-id <CLIENT_ID>"),
        "required options show in the usage: {add}"
    );
    assert!(add.contains("gcc-high") && add.contains("device-code"), "{add}");
}
