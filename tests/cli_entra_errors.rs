//! Every Entra refusal is explained (code, cause, fix, setup step, trace ids) and retried only
//! where that is safe. The simulator answers with Entra's exact error JSON.
#![allow(clippy::unwrap_used)]

mod common;

use common::{Harness, sim_config, stderr};
use lcsauth::sim::{Endpoint, Scripted};

/// Scripts one refusal, signs in, and returns stderr after checking the common shape.
fn refused(code: u32) -> (Harness, String) {
    let h = Harness::new(sim_config());
    h.add_profile(&[]);
    h.sim.script(Endpoint::Token, Scripted::aadsts(code));
    let out = h.login().code(3);
    let err = stderr(&out);
    assert!(err.contains(&format!("AADSTS{code}")), "{err}");
    assert!(err.contains("cause: "), "{err}");
    assert!(err.contains("fix: "), "{err}");
    assert!(err.contains("trace id "), "{err}");
    assert!(err.contains("correlation id "), "{err}");
    assert_eq!(h.token_requests().len(), 1, "a refusal is never retried automatically");
    (h, err)
}

macro_rules! aadsts_cases {
    ($($test:ident: $code:expr => [$($needle:expr),+];)+) => {$(
        #[test]
        fn $test() {
            let (h, err) = refused($code);
            $(assert!(err.contains(&$needle.replace("NAME", &h.name)), "missing {:?} in:\n{err}", $needle);)+
        }
    )+};
}

aadsts_cases! {
    wrong_password_50126_asks_to_reenter_and_mentions_federation: 50126 => ["wrong username or password", "federated", "lcsauth login NAME --password-stdin"];
    mfa_required_50076_offers_an_interactive_flow_for_this_profile: 50076 => ["multi-factor authentication required", "lcsauth profile edit NAME --flow ", "--flow device-code", "--flow browser"];
    mfa_registration_50079_points_to_security_info: 50079 => ["register", "mysecurityinfo"];
    mfa_not_passed_50074_needs_interactive_flow: 50074 => ["--flow device-code"];
    mfa_expired_50078_needs_interactive_flow: 50078 => ["--flow device-code"];
    external_challenge_50158_needs_interactive_flow: 50158 => ["external security challenge", "--flow device-code"];
    conditional_access_53003_names_the_policy_and_admin: 53003 => ["Conditional Access", "--flow browser"];
    security_defaults_530035_needs_interactive_flow: 530035 => ["security defaults", "--flow device-code"];
    not_public_client_7000218_points_to_step_3: 7000218 => ["Allow public client flows", "Step 3. Configure public client"];
    secret_sent_700025_is_explained: 700025 => ["public client"];
    no_consent_65001_points_to_step_2_and_the_lcs_guid: 65001 => ["913c6de4-2a4a-4a61-a9ce-945d2b2ce2e0", "Step 2. Configure API permissions"];
    missing_permission_650057_points_to_step_2: 650057 => ["913c6de4-2a4a-4a61-a9ce-945d2b2ce2e0", "Step 2."];
    resource_not_found_500011_suspects_the_region: 500011 => ["region", "lcsapi.eu.lcs.dynamics.com"];
    bad_scope_70011_shows_the_double_slash_form: 70011 => ["//.default"];
    unknown_client_700016_checks_client_id_and_tenant: 700016 => ["client id", "Step 1."];
    unknown_tenant_90002_fixes_the_tenant: 90002 => ["tenant was not found"];
    national_cloud_90038_changes_the_authority: 90038 => ["national cloud", "--authority"];
    unknown_user_50034_mentions_guests: 50034 => ["does not exist", "Guest"];
    locked_50053_says_no_retry: 50053 => ["locked", "does not retry"];
    password_expired_50055_changes_it_in_a_browser: 50055 => ["password has expired"];
    password_expired_onprem_50144_changes_it_in_a_browser: 50144 => ["password has expired"];
    disabled_user_50057_asks_an_admin: 50057 => ["disabled"];
    revoked_50173_signs_in_again: 50173 => ["revoked", "lcsauth login NAME"];
    revoked_50133_signs_in_again: 50133 => ["revoked"];
    refresh_expired_700082_signs_in_again: 700082 => ["inactivity"];
    sign_in_frequency_70043_signs_in_again: 70043 => ["sign-in frequency"];
    spa_limit_700084_explains_the_registration: 700084 => ["single-page"];
    common_tenant_9001023_uses_the_tenant_id: 9001023 => ["/common", "organizations"];
    common_tenant_90124_uses_the_tenant_id: 90124 => ["/common"];
    malformed_9002313_signs_in_again: 9002313 => ["could not read the request"];
    missing_parameter_900144_is_reported: 900144 => ["missing"];
    app_disabled_7000112_asks_an_admin: 7000112 => ["application is disabled"];
    loop_detected_50196_waits: 50196 => ["loop"];
}

// Retries are for the refresh token: a password grant is sent again only when it never
// reached a server (tests/promises_refusals.rs).
#[test]
fn throttled_429_with_retry_after_is_retried_then_succeeds() {
    let h = Harness::signed_in(sim_config(), &[]);
    h.sim.script(Endpoint::Token, Scripted::too_many_requests(1));
    let started = std::time::Instant::now();
    h.token(&["--force"]).success();
    assert!(
        started.elapsed() >= std::time::Duration::from_millis(900),
        "Retry-After was honoured"
    );
    assert_eq!(h.token_requests().len(), 3);
}

#[test]
fn unavailable_503_twice_is_retried_then_succeeds() {
    let h = Harness::signed_in(sim_config(), &[]);
    h.sim.script(Endpoint::Token, Scripted::service_unavailable(Some(0)));
    h.sim.script(Endpoint::Token, Scripted::service_unavailable(None));
    h.token(&["--force"]).success();
    assert_eq!(h.token_requests().len(), 4);
}

#[test]
fn persistent_503_gives_up_with_the_unavailable_exit_code() {
    let h = Harness::signed_in(sim_config(), &[]);
    for _ in 0..6 {
        h.sim.script(Endpoint::Token, Scripted::service_unavailable(Some(0)));
    }
    let err = stderr(&h.token(&["--force"]).code(4));
    assert!(err.contains("unavailable (HTTP 503)"), "{err}");
    assert_eq!(h.token_requests().len(), 5, "bounded: four attempts after the sign-in");
}

/// Scripts one answer for the sign-in and returns stderr of the failed login (exit 4).
fn sign_in_failing_with(answer: Scripted) -> (Harness, String) {
    let h = Harness::new(sim_config());
    h.add_profile(&[]);
    h.sim.script(Endpoint::Token, answer);
    let err = stderr(&h.login().code(4));
    (h, err)
}

#[test]
fn a_503_on_the_password_grant_is_not_retried() {
    let (h, err) = sign_in_failing_with(Scripted::service_unavailable(Some(0)));
    assert!(err.contains("unavailable (HTTP 503)"), "{err}");
    assert_eq!(h.token_requests().len(), 1, "a password is not sent twice");
}

#[test]
fn html_page_with_200_is_reported_as_a_proxy_not_parsed() {
    let (_h, err) = sign_in_failing_with(Scripted::Html200);
    assert!(err.contains("HTML page instead of JSON"), "{err}");
}

#[test]
fn garbage_body_is_reported_without_quoting_it() {
    let (_h, err) = sign_in_failing_with(Scripted::Garbage);
    assert!(err.contains("unexpected answer"), "{err}");
}

#[test]
fn connection_refused_is_a_network_failure() {
    let h = Harness::new(sim_config());
    h.add_cmd(&h.name)
        .args(["--username", common::USER, "--authority", &common::dead_url()])
        .assert()
        .success();
    let err = stderr(&h.login().code(4));
    assert!(err.contains("cannot reach"), "{err}");
}

#[test]
fn an_endpoint_that_never_answers_times_out_with_a_clear_message() {
    let h = Harness::new(sim_config());
    h.add_profile(&[]);
    h.set_http_timeout("1s");
    h.sim.script(Endpoint::Token, Scripted::Hang);
    let err = stderr(&h.login().code(4));
    assert!(err.contains("no answer from") && err.contains("within 1s"), "{err}");
}

fn mfa_refusal_stderr(env: &[(&str, &str)], unset: &[&str]) -> (Harness, String) {
    let h = Harness::new(sim_config());
    h.add_profile_as(common::MFA_USER, &[]);
    let mut cmd = h.cmd();
    cmd.args(["login", &h.name, "--password-stdin"])
        .write_stdin(format!("{}\n", common::PASSWORD));
    for (k, v) in env {
        cmd.env(k, v);
    }
    for k in unset {
        cmd.env_remove(k);
    }
    let err = stderr(&cmd.assert().code(3));
    assert!(err.contains("AADSTS50076"), "{err}");
    (h, err)
}

#[test]
fn mfa_user_over_ssh_is_offered_the_device_code_flow() {
    let (h, err) = mfa_refusal_stderr(
        &[("SSH_CONNECTION", "10.0.0.1 5000 10.0.0.2 22"), ("DISPLAY", ":0")],
        &[],
    );
    assert!(
        err.contains(&format!("lcsauth profile edit {} --flow device-code", h.name)),
        "{err}"
    );
}

#[test]
fn mfa_user_at_a_desktop_is_offered_the_browser_flow() {
    let (h, err) = mfa_refusal_stderr(&[("DISPLAY", ":0")], &[]);
    assert!(
        err.contains(&format!("lcsauth profile edit {} --flow browser", h.name)),
        "{err}"
    );
}

#[test]
fn mfa_user_without_a_display_is_offered_the_device_code_flow() {
    let (h, err) = mfa_refusal_stderr(&[], &["DISPLAY", "WAYLAND_DISPLAY"]);
    assert!(
        err.contains(&format!("lcsauth profile edit {} --flow device-code", h.name)),
        "{err}"
    );
}
