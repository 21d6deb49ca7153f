//! `exec`, `probe` and `doctor` through the real binary, against the simulator's Entra and LCS
//! endpoints.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::{Duration, Instant};

use common::{Harness, sim_config, stderr, stdout};
use lcsauth::sim::{Endpoint, Scripted};

/// A profile whose API host is the simulator's LCS endpoint.
fn lcs_harness(config: lcsauth::sim::SimConfig) -> Harness {
    let h = Harness::new(config);
    let url = h.sim.base_url();
    h.add_profile(&["--api-host", &url, "--project-id", "1234567"]);
    h.login().success();
    h
}

#[test]
fn exec_passes_the_token_variables_and_the_exit_code() {
    let h = lcs_harness(sim_config());
    let out = h
        .cmd()
        .args([
            "exec",
            &h.name,
            "--",
            "sh",
            "-c",
            "printf '%s\\n%s\\n%s\\n' \"$LCS_ACCESS_TOKEN\" \"$LCS_AUTHORIZATION\" \"$LCS_API_URL\"; exit 7",
        ])
        .assert()
        .code(7);
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    let at = h.sim.last_access_token().unwrap();
    assert_eq!(lines, vec![at.as_str(), &format!("Bearer {at}"), &h.sim.base_url()]);
    assert!(
        stderr(&out).is_empty(),
        "exec prints nothing of its own: {}",
        stderr(&out)
    );
}

#[test]
fn exec_refuses_to_nest() {
    let h = lcs_harness(sim_config());
    let exe = assert_cmd::cargo::cargo_bin("lcsauth");
    let out = h
        .cmd()
        .args(["exec", &h.name, "--"])
        .arg(&exe)
        .args(["exec", &h.name, "--", "true"])
        .assert()
        .code(2);
    assert!(stderr(&out).contains("refusing to nest"), "{}", stderr(&out));
}

#[test]
fn probe_works_and_counts_environments_with_the_version_header() {
    let h = lcs_harness(sim_config());
    let out = h.cmd().args(["probe", &h.name]).assert().success();
    assert!(stdout(&out).starts_with("works: "), "{}", stdout(&out));
    assert!(stdout(&out).contains("2 environments"), "{}", stdout(&out));
    let lcs = h
        .sim
        .requests()
        .into_iter()
        .find(|r| r.path.contains("/environmentinfo/"))
        .unwrap();
    assert_eq!(lcs.x_ms_version.as_deref(), Some("2017-09-15"));
    assert!(lcs.has_authorization);
    assert!(
        !stdout(&out).contains(&h.sim.last_access_token().unwrap()),
        "the token is never printed"
    );
}

#[test]
fn probe_of_a_project_the_user_is_not_member_of_says_so() {
    let h = lcs_harness(sim_config());
    let out = h.cmd().args(["probe", &h.name, "--project-id", "42"]).assert().code(3);
    assert!(stderr(&out).contains("not a project member"), "{}", stderr(&out));
}

#[test]
fn probe_verdicts_for_401_and_429_and_the_cooldown() {
    let h = lcs_harness(sim_config());
    h.sim.script(
        Endpoint::Lcs,
        Scripted::Status {
            status: 401,
            retry_after: None,
            body: String::new(),
            content_type: "text/plain".into(),
        },
    );
    let out = h.cmd().args(["probe", &h.name, "--json"]).assert().code(3);
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(v["verdict"], "token_rejected");

    // A second probe of the same project within ten seconds is refused without a call.
    let calls = h.sim.requests().len();
    let again = h.cmd().args(["probe", &h.name]).assert().code(2);
    assert!(stderr(&again).contains("wait"), "{}", stderr(&again));
    assert_eq!(h.sim.requests().len(), calls);

    h.sim.script(Endpoint::Lcs, Scripted::too_many_requests(30));
    let out = h
        .cmd()
        .args(["probe", &h.name, "--project-id", "7654321"])
        .assert()
        .code(4);
    assert!(stderr(&out).contains("retry after 30s"), "{}", stderr(&out));
}

#[test]
fn probe_reports_is_success_false_with_its_message() {
    let h = lcs_harness(sim_config());
    h.sim.script(
        Endpoint::Lcs,
        Scripted::RawJson(200, r#"{"IsSuccess":false,"ErrorMessage":"Maximum allowed API operations are 3","OperationActivityId":"abc","VersionEOL":"9999-12-31T23:59:59.9999999"}"#.into()),
    );
    let out = h.cmd().args(["probe", &h.name]).assert().code(3);
    assert!(
        stderr(&out).contains("IsSuccess: false: Maximum allowed API operations are 3 (activity id abc)"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn long_job_asking_for_a_token_before_each_request_never_sends_an_expired_one() {
    // Tokens live 3 s here; the job polls for 7 s asking `lcsauth token --min-valid 1s` each time,
    // as the README's six-hour deployment loop does with the default 15 minutes.
    let h = lcs_harness(sim_config().lifetime(Duration::from_secs(3)));
    let http = reqwest::Client::new();
    let url = lcsauth::lcs::probe_url(&h.sim.base_url(), "1234567");
    let start = Instant::now();
    let mut polls = 0;
    while start.elapsed() < Duration::from_secs(7) {
        let token = stdout(&h.token(&["--min-valid", "1s"]).success()).trim().to_string();
        let status = h.rt.block_on(async {
            http.get(&url)
                .bearer_auth(&token)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        });
        assert_eq!(status, 200, "poll {polls}: the token was still valid when used");
        polls += 1;
        std::thread::sleep(Duration::from_millis(400));
    }
    let refreshes = h
        .token_requests()
        .iter()
        .filter(|r| r.field("grant_type") == Some("refresh_token"))
        .count();
    assert!(
        refreshes >= 2,
        "the token was refreshed under the job ({refreshes} refreshes, {polls} polls)"
    );
    assert!(polls > refreshes * 2, "most polls were served from the cache");
}

#[test]
fn doctor_checks_config_keyring_profiles_authority_and_clock() {
    let h = lcs_harness(sim_config());
    let out = h.cmd().args(["doctor", "--json"]).assert();
    let findings: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let checks: Vec<&str> = findings
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["check"].as_str().unwrap())
        .collect();
    assert!(checks.contains(&"config"), "{checks:?}");
    assert!(checks.contains(&"keyring"), "{checks:?}");
    assert!(checks.contains(&"clipboard"), "{checks:?}");
    assert!(checks.contains(&"clock"), "{checks:?}");
    assert!(
        checks.iter().any(|c| c.starts_with("authority http://127.0.0.1")),
        "{checks:?}"
    );
    let profile = findings
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["check"] == format!("profile {}", h.name).as_str())
        .unwrap();
    assert_eq!(profile["level"], "ok");
    let clock = findings
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["check"] == "clock")
        .unwrap();
    assert_eq!(clock["level"], "ok", "{clock}");
}
