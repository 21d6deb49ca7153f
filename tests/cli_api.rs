//! `lcsauth api` through the real binary against the simulator's LCS Database Movement and
//! Power Platform endpoints.
#![allow(clippy::unwrap_used)]

mod common;

use std::io::Read as _;
use std::time::{Duration, Instant};

use common::{Harness, sim_config, stderr, stdout};
use lcsauth::sim::{Endpoint, Scripted, SimConfig};

const PROJECT: &str = "1234567";
const ENV: &str = "7d5a0c1e9b2f4e3a8c6d1f0e2b4a6c8d";

/// A signed-in profile whose LCS API host is the simulator, with a project and environment.
fn lcs(config: SimConfig) -> Harness {
    let h = Harness::new(config);
    let url = h.sim.base_url();
    h.add_profile(&["--api-host", &url, "--project-id", PROJECT, "--environment-id", ENV]);
    h.login().success();
    h
}

fn api(h: &Harness, args: &[&str]) -> assert_cmd::Command {
    let mut cmd = h.cmd();
    cmd.arg("api").arg(&h.name).args(args).timeout(Duration::from_secs(90));
    cmd
}

const REFRESH: &str = "/databasemovement/v1/refresh/project/{projectId}/source/src0/target/{environmentId}";

#[test]
fn a_refresh_waited_past_the_token_lifetime_polls_with_a_valid_token_every_time() {
    let mut config = sim_config().lifetime(Duration::from_secs(3));
    config.lcs_operation_duration = Duration::from_secs(8);
    let h = lcs(config);
    h.sim.clear_requests();
    let out = api(
        &h,
        &[
            "-X",
            "POST",
            REFRESH,
            "--yes",
            "--wait",
            "--interval",
            "1s",
            "--min-valid",
            "1s",
        ],
    )
    .assert()
    .success();
    let err = stderr(&out);
    assert!(err.contains("operation ended: Completed"), "{err}");
    assert!(err.contains("waiting "), "progress goes to stderr: {err}");
    assert!(
        stdout(&out).contains("\"OperationStatus\":\"Completed\""),
        "{}",
        stdout(&out)
    );
    let auth = h.sim.api_auth();
    let polls: Vec<_> = auth.iter().filter(|a| a.path.contains("/fetchstatus/")).collect();
    assert!(polls.len() >= 5, "polled about once a second for 8 s: {auth:?}");
    assert!(
        auth.iter().all(|a| a.valid),
        "every request carried a valid token: {auth:?}"
    );
    let tokens: std::collections::BTreeSet<_> = auth.iter().map(|a| a.token_exp).collect();
    assert!(
        tokens.len() >= 2,
        "the wait outlived one token and took new ones: {tokens:?}"
    );
    assert!(h.token_requests().len() >= 2, "tokens were refreshed while waiting");
    let started = h
        .sim
        .requests()
        .into_iter()
        .find(|r| r.method == "POST" && r.path.contains("/refresh/"))
        .unwrap();
    assert_eq!(
        started.path,
        format!("/databasemovement/v1/refresh/project/{PROJECT}/source/src0/target/{ENV}")
    );
    assert_eq!(started.x_ms_version.as_deref(), Some("2017-09-15"));
}

#[test]
fn throttling_is_waited_out_as_retry_after_says_and_a_long_one_is_reported() {
    let h = lcs(sim_config());
    h.sim.script(Endpoint::Lcs, Scripted::too_many_requests(1));
    h.sim.clear_requests();
    let out = api(&h, &["/databasemovement/v1/databases/project/{projectId}"])
        .assert()
        .success();
    assert!(stderr(&out).contains("throttled (429): waiting 1s"), "{}", stderr(&out));
    let calls: Vec<_> = h
        .sim
        .requests()
        .into_iter()
        .filter(|r| r.path.starts_with("/databasemovement/"))
        .collect();
    assert_eq!(calls.len(), 2);
    let gap = calls[1].at.duration_since(calls[0].at).unwrap();
    assert!(gap >= Duration::from_millis(950), "waited the Retry-After: {gap:?}");

    h.sim.script(Endpoint::Lcs, Scripted::too_many_requests(3600));
    let started = Instant::now();
    let out = api(&h, &["/databasemovement/v1/databases/project/{projectId}"])
        .assert()
        .code(4);
    assert!(stderr(&out).contains("throttled (429)"), "{}", stderr(&out));
    assert!(stderr(&out).contains("try again later"), "{}", stderr(&out));
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "an hour's Retry-After is not slept"
    );
}

#[test]
fn is_success_false_exits_3_with_lcs_error_message_after_three_operations() {
    let h = lcs(sim_config());
    for _ in 0..3 {
        api(&h, &["-X", "POST", REFRESH, "--yes"]).assert().success();
    }
    let out = api(&h, &["-X", "POST", REFRESH, "--yes"]).assert().code(3);
    let err = stderr(&out);
    assert!(err.contains("LCS answered IsSuccess: false"), "{err}");
    assert!(err.contains("maximum of 3 database movement operations"), "{err}");
    assert!(
        err.contains("3 refresh/export operations per environment"),
        "the limit is named before: {err}"
    );
    assert!(
        stdout(&out).contains("\"IsSuccess\":false"),
        "the answer is passed as-is"
    );
}

#[test]
fn an_error_message_with_control_characters_is_made_visible() {
    let h = lcs(sim_config());
    h.sim.script(
        Endpoint::Lcs,
        Scripted::RawJson(
            200,
            r#"{"IsSuccess":false,"ErrorMessage":"bad\u001b[2J\u0007thing","OperationActivityId":"a1"}"#.into(),
        ),
    );
    let out = api(&h, &["/databasemovement/v1/databases/project/{projectId}"])
        .assert()
        .code(3);
    let err = stderr(&out);
    assert!(err.contains("bad\\e[2J\\x07thing (activity id a1)"), "{err}");
    assert!(!err.contains('\u{1b}'), "no raw escape reaches the terminal");
}

#[test]
fn a_url_to_a_foreign_host_is_refused_before_connecting() {
    let h = lcs(sim_config());
    let foreign = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    foreign.set_nonblocking(true).unwrap();
    let port = foreign.local_addr().unwrap().port();
    for url in [
        format!("http://127.0.0.1:{port}/databasemovement/v1/databases/project/1"),
        format!("http://localhost:{}/x", h.sim.local_addr().port()),
        "https://lcsapi.lcs.dynamics.com.example.net/x".to_string(),
    ] {
        let out = api(&h, &[&url]).assert().code(2);
        assert!(
            stderr(&out).contains("refusing to send the token"),
            "{url}: {}",
            stderr(&out)
        );
    }
    assert!(
        foreign
            .accept()
            .is_err_and(|e| e.kind() == std::io::ErrorKind::WouldBlock),
        "the foreign server saw no connection at all"
    );
    let url = format!("{}/databasemovement/v1/databases/project/{PROJECT}", h.sim.base_url());
    api(&h, &[&url]).assert().success();
}

/// Runs the binary under a pseudo-terminal (`script`), returning what the terminal showed.
fn on_terminal(h: &Harness, args: &str) -> String {
    let exe = assert_cmd::cargo::cargo_bin("lcsauth");
    let line = format!("{} api {} {args}", exe.display(), h.name);
    let out = std::process::Command::new("script")
        .args(["-qec", &line, "/dev/null"])
        .env("LCSAUTH_CONFIG_DIR", h.config_dir())
        .env_remove("LCSAUTH_PROFILE")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn backup_lists_show_sas_signatures_masked_on_a_terminal_and_whole_to_a_pipe() {
    if !common::real::require(
        common::real::has_command("script"),
        "script (util-linux) for a pseudo-terminal",
    ) {
        return;
    }
    let h = lcs(sim_config());
    let path = "/databasemovement/v1/databases/project/{projectId}";
    let piped = stdout(&api(&h, &[path]).assert().success());
    let value: serde_json::Value = serde_json::from_str(&piped).unwrap();
    let location = value["DatabaseAssets"][0]["FileLocation"].as_str().unwrap().to_string();
    let sig = location.split("sig=").nth(1).unwrap().to_string();
    assert!(
        sig.len() > 10 && !piped.contains("sig=***"),
        "a pipe gets the answer as-is"
    );

    let shown = on_terminal(&h, &format!("'{path}'"));
    assert!(shown.contains("sig=***"), "{shown}");
    assert!(!shown.contains(&sig), "the signature never reaches the screen: {shown}");
    assert!(
        shown.contains("\"DatabaseAssets\": ["),
        "pretty-printed on a terminal: {shown}"
    );
    let revealed = on_terminal(&h, &format!("'{path}' --show-secrets"));
    assert!(revealed.contains(&sig), "--show-secrets shows it");
}

#[test]
fn a_mutation_needs_yes_without_a_terminal_and_a_dry_run_sends_nothing() {
    let h = lcs(sim_config());
    h.sim.clear_requests();
    let out = api(&h, &["-X", "POST", REFRESH]).assert().code(2);
    assert!(stderr(&out).contains("confirm with --yes"), "{}", stderr(&out));
    let out = api(&h, &["-X", "POST", REFRESH, "--dry-run"]).assert().success();
    let text = stdout(&out);
    assert!(
        text.starts_with(&format!(
            "POST {}/databasemovement/v1/refresh/project/{PROJECT}/source/src0/target/{ENV}",
            h.sim.base_url()
        )),
        "{text}"
    );
    assert!(text.contains("x-ms-version: 2017-09-15"), "{text}");
    assert!(
        !text.contains(&h.sim.last_access_token().unwrap()),
        "no token in a dry run"
    );
    assert!(
        h.sim
            .requests()
            .iter()
            .all(|r| !r.path.starts_with("/databasemovement/")),
        "nothing reached the API"
    );
}

#[test]
fn a_power_platform_copy_is_followed_through_its_location_with_fresh_tokens() {
    let mut config = sim_config().lifetime(Duration::from_secs(3));
    config.lcs_operation_duration = Duration::from_secs(5);
    let h = Harness::new(config);
    let url = h.sim.base_url();
    h.add_profile(&["--api-host", &url, "--scope", "https://api.powerplatform.com/.default"]);
    h.login().success();
    let body = r#"{"sourceEnvironmentId":"c0ffee00-0000-0000-0000-000000000001","copyType":"FullCopy","copyOptions":{"skipAuditData":true,"executeAdvancedCopyForFinanceAndOperations":false}}"#;
    let out = api(
        &h,
        &[
            "--audience",
            "powerplatform",
            "-X",
            "POST",
            "/environmentmanagement/environments/c0ffee00-0000-0000-0000-000000000002/copy",
            "--input",
            "-",
            "--yes",
            "--wait",
            "--min-valid",
            "1s",
        ],
    )
    .write_stdin(body)
    .assert()
    .success();
    assert!(stderr(&out).contains("operation ended: Succeeded"), "{}", stderr(&out));
    let auth = h.sim.api_auth();
    assert!(
        auth.iter().filter(|a| a.path.contains("/operations/")).count() >= 3,
        "{auth:?}"
    );
    assert!(auth.iter().all(|a| a.valid), "{auth:?}");
    let copy = h
        .sim
        .requests()
        .into_iter()
        .find(|r| r.path.ends_with("/copy"))
        .unwrap();
    assert_eq!(copy.x_ms_version, None, "the LCS header is for LCS only");
    assert!(
        copy.query
            .contains(&("api-version".into(), "2022-03-01-preview".into()))
    );

    let out = api(&h, &["--audience", "lcs", "/databasemovement/v1/databases/project/1"])
        .assert()
        .code(2);
    assert!(
        stderr(&out).contains("gets tokens for powerplatform, not for lcs"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn ctrl_c_stops_the_wait_not_the_operation_and_prints_the_resume_command() {
    let mut config = sim_config();
    config.lcs_operation_duration = Duration::from_secs(60);
    let h = lcs(config);
    let exe = assert_cmd::cargo::cargo_bin("lcsauth");
    let mut child = std::process::Command::new(exe)
        .args([
            "api",
            &h.name,
            "-X",
            "POST",
            REFRESH,
            "--yes",
            "--wait",
            "--interval",
            "1s",
        ])
        .env("LCSAUTH_CONFIG_DIR", h.config_dir())
        .env_remove("LCSAUTH_PROFILE")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while h
        .sim
        .api_auth()
        .iter()
        .filter(|a| a.path.contains("/fetchstatus/"))
        .count()
        < 2
    {
        assert!(Instant::now() < deadline, "no polls");
        std::thread::sleep(Duration::from_millis(100));
    }
    let sent = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let status = child.wait().unwrap();
    let mut err = String::new();
    child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
    assert_eq!(status.code(), Some(130), "{err}");
    assert!(err.contains("the operation goes on"), "{err}");
    let resume = format!(
        "lcsauth api {} '/databasemovement/v1/fetchstatus/project/{PROJECT}/environment/{ENV}/operationactivity/",
        h.name
    );
    assert!(err.contains(&resume), "{err}");
    let posts = h
        .sim
        .requests()
        .into_iter()
        .filter(|r| r.method != "GET" && r.path.starts_with("/databasemovement/"))
        .count();
    assert_eq!(posts, 1, "nothing was sent to the operation but its start");
}
