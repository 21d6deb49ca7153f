//! The whole life of a profile, driving the real binary against the simulator over loopback.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use common::{CLIENT_ID, Harness, PASSWORD, USER, sim_config, stderr, stdout};

#[test]
fn add_login_cached_token_expiry_refresh_rotation_and_logout() {
    let h = Harness::new(sim_config().lifetime(Duration::from_secs(3)));
    h.add_profile(&[]);

    let login = h.login().success();
    assert!(stderr(&login).contains("Signed in to"), "{}", stderr(&login));
    assert_eq!(h.token_requests().len(), 1);

    // Served from the cache: the token the simulator issued, and no request.
    let first = stdout(&h.token(&["--min-valid", "1s"]).success());
    assert_eq!(first.trim(), h.sim.last_access_token().unwrap());
    assert_eq!(h.token_requests().len(), 1, "a fresh cached token makes no request");

    // Let it fall under --min-valid: the refresh grant runs with the stored refresh token.
    std::thread::sleep(Duration::from_millis(2300));
    let second = stdout(&h.token(&["--min-valid", "1s"]).success());
    let reqs = h.token_requests();
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[1].field("grant_type"), Some("refresh_token"));
    let issued = h.sim.issued_refresh_tokens();
    assert_eq!(reqs[1].field("refresh_token"), Some(issued[0].as_str()));
    assert_ne!(second.trim(), first.trim());
    assert_eq!(second.trim(), h.sim.last_access_token().unwrap());

    // The rotated refresh token was stored: the next refresh sends the newest one.
    h.token(&["--force", "--min-valid", "1s"]).success();
    let reqs = h.token_requests();
    assert_eq!(reqs.len(), 3);
    let issued = h.sim.issued_refresh_tokens();
    assert_eq!(reqs[2].field("refresh_token"), Some(issued[1].as_str()));

    let status = h.status_json();
    assert_eq!(status[0]["name"], h.name.as_str());
    assert_eq!(status[0]["grant"], "refresh_token");

    // Logout removes the secrets: no cached token, no refresh token, so a sign-in is needed
    // and no request is made.
    h.cmd().args(["logout", &h.name]).assert().success();
    let after = h.token(&["--min-valid", "1s"]).code(7);
    assert!(
        stderr(&after).contains(&format!("lcsauth login {} --password-stdin", h.name)),
        "{}",
        stderr(&after)
    );
    assert_eq!(h.token_requests().len(), 3);
    assert_eq!(h.status_json()[0]["state"], "none");
}

#[test]
fn password_grant_form_is_exactly_the_articles_plus_offline_access() {
    let h = Harness::signed_in(sim_config(), &["--region", "eu"]);
    let reqs = h.token_requests();
    let r = &reqs[0];
    let fields: Vec<(&str, &str)> = r.form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(
        fields,
        vec![
            ("client_id", CLIENT_ID),
            ("scope", "https://lcsapi.eu.lcs.dynamics.com//.default offline_access"),
            ("username", USER),
            ("password", PASSWORD),
            ("grant_type", "password"),
        ]
    );
    assert_eq!(r.path, format!("/{}/oauth2/v2.0/token", common::TENANT));
    assert_eq!(
        r.user_agent.as_deref(),
        Some(concat!("lcsauth/", env!("CARGO_PKG_VERSION")))
    );
    assert!(
        r.client_request_id.is_some(),
        "a client-request-id lets Entra correlate"
    );
}

#[test]
fn refresh_grant_form_carries_client_refresh_token_and_scope() {
    let h = Harness::signed_in(sim_config(), &[]);
    h.token(&["--force"]).success();
    let reqs = h.token_requests();
    let fields: Vec<(&str, &str)> = reqs[1].form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let rt = h.sim.issued_refresh_tokens()[0].clone();
    assert_eq!(
        fields,
        vec![
            ("client_id", CLIENT_ID),
            ("grant_type", "refresh_token"),
            ("refresh_token", rt.as_str()),
            ("scope", "https://lcsapi.lcs.dynamics.com//.default offline_access"),
        ]
    );
}

#[test]
fn token_formats_print_only_the_token_on_stdout() {
    let h = Harness::signed_in(sim_config(), &[]);
    let at = h.sim.last_access_token().unwrap();
    assert_eq!(stdout(&h.token(&[])), format!("{at}\n"));
    assert_eq!(
        stdout(&h.token(&["--format", "header"])),
        format!("Authorization: Bearer {at}\n")
    );
    let json: serde_json::Value = serde_json::from_str(&stdout(&h.token(&["--format", "json"]))).unwrap();
    assert_eq!(json["access_token"], at.as_str());
    assert_eq!(json["token_type"], "Bearer");
    assert!(json["expires_in"].as_u64().unwrap() > 3000);
}

#[test]
fn token_with_password_stdin_signs_in_when_nothing_is_cached() {
    let h = Harness::new(sim_config());
    h.add_profile(&[]);
    let out = h
        .cmd()
        .args(["token", &h.name, "--password-stdin"])
        .write_stdin(format!("{PASSWORD}\n"))
        .assert()
        .success();
    assert_eq!(stdout(&out).trim(), h.sim.last_access_token().unwrap());
}

#[test]
fn remembered_password_signs_in_again_after_the_refresh_token_is_revoked() {
    let h = Harness::signed_in(sim_config(), &["--remember-password"]);
    h.sim.revoke_refresh_tokens();
    let out = h.token(&["--force"]).success();
    let reqs = h.token_requests();
    assert_eq!(reqs.len(), 3, "password, refused refresh, password again");
    assert_eq!(reqs[1].field("grant_type"), Some("refresh_token"));
    assert_eq!(reqs[2].field("grant_type"), Some("password"));
    assert_eq!(reqs[2].field("password"), Some(PASSWORD));
    assert_eq!(stdout(&out).trim(), h.sim.last_access_token().unwrap());
    assert!(stderr(&out).contains("refresh token was refused"), "{}", stderr(&out));
}

/// Marks the cached token as expired, as if an hour had passed.
fn expire_cache(h: &Harness) {
    let path = h.config_dir().join("state").join(format!("{}.json", h.name));
    let mut state: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    state["token"]["expires_at"] = "2020-01-01T00:00:00Z".into();
    std::fs::write(&path, serde_json::to_vec(&state).unwrap()).unwrap();
}

#[test]
fn twenty_processes_on_an_expired_cache_make_one_request_and_keep_the_newest_refresh_token() {
    let h = Harness::signed_in(sim_config(), &[]);
    expire_cache(&h);
    let before = h.token_requests().len();
    let exe = assert_cmd::cargo::cargo_bin("lcsauth");
    let children: Vec<_> = (0..20)
        .map(|_| {
            std::process::Command::new(&exe)
                .args(["token", &h.name])
                .env("LCSAUTH_CONFIG_DIR", h.config_dir())
                .env_remove("LCSAUTH_PROFILE")
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let outs: Vec<_> = children.into_iter().map(|c| c.wait_with_output().unwrap()).collect();
    assert_eq!(
        h.token_requests().len() - before,
        1,
        "exactly one request between twenty processes"
    );
    let issued = h.sim.last_access_token().unwrap();
    for o in &outs {
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert_eq!(String::from_utf8_lossy(&o.stdout).trim(), issued);
    }
    // The refresh token stored is the newest one the simulator issued.
    h.token(&["--force"]).success();
    let reqs = h.token_requests();
    let newest = h.sim.issued_refresh_tokens();
    assert_eq!(
        reqs.last().unwrap().field("refresh_token"),
        Some(newest[newest.len() - 2].as_str())
    );
}
