//! The kernel keyring drops an access token by itself when it expires: every key that holds it
//! (the whole entry, or the manifest and each piece of a large token) has a timeout at the
//! token's expiry, while the refresh token stays without one.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use common::real::require;
use common::{Harness, sim_config, stderr, stdout};

/// `(description, timeout column)` of each key in `/proc/keys` whose description names
/// `profile`'s `what` (for example `access_token`), pieces included.
fn keys_of(profile: &str, what: &str) -> Vec<(String, String)> {
    let wanted = format!("keyring:{profile}/{what}");
    std::fs::read_to_string("/proc/keys")
        .unwrap()
        .lines()
        .filter_map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            let description = fields.get(8)?;
            description
                .starts_with(&wanted)
                .then(|| ((*description).to_string(), fields[3].to_string()))
        })
        .collect()
}

/// Minutes left in a `/proc/keys` timeout such as `59m`; `None` for `perm` or other units.
fn minutes(timeout: &str) -> Option<u64> {
    timeout.strip_suffix('m')?.parse().ok()
}

fn login(h: &Harness) {
    h.cmd()
        .env("LCSAUTH_KEYRING", "keyutils")
        .args(["login", &h.name, "--password-stdin"])
        .write_stdin(format!("{}\n", common::PASSWORD))
        .assert()
        .success();
}

#[test]
fn an_access_token_in_the_kernel_keyring_has_a_timeout_at_its_expiry() {
    if !require(cfg!(target_os = "linux"), "the Linux kernel keyring") {
        return;
    }
    let h = Harness::new(sim_config());
    h.add_profile(&[]);
    login(&h);
    let access = keys_of(&h.name, "access_token");
    assert_eq!(access.len(), 1, "{access:?}");
    let left = minutes(&access[0].1);
    assert!(
        left.is_some_and(|m| (55..=60).contains(&m)),
        "the access token (valid 60m) has timeout {:?}",
        access[0].1
    );
    let refresh = keys_of(&h.name, "refresh_token");
    assert_eq!(refresh.len(), 1, "{refresh:?}");
    assert_eq!(refresh[0].1, "perm", "the refresh token must not time out");
}

#[test]
fn every_piece_of_a_large_access_token_has_the_timeout() {
    if !require(cfg!(target_os = "linux"), "the Linux kernel keyring") {
        return;
    }
    // 800 group claims: about 45 KiB, a manifest and two pieces.
    let h = Harness::new(sim_config().groups(800));
    h.add_profile(&[]);
    login(&h);
    let access = keys_of(&h.name, "access_token");
    assert_eq!(access.len(), 3, "{access:?}");
    for (description, timeout) in &access {
        assert!(
            minutes(timeout).is_some_and(|m| (55..=60).contains(&m)),
            "{description} has timeout {timeout:?}"
        );
    }
}

#[test]
fn an_expired_access_token_does_not_linger_in_the_kernel_keyring() {
    if !require(cfg!(target_os = "linux"), "the Linux kernel keyring") {
        return;
    }
    let h = Harness::new(sim_config().lifetime(Duration::from_secs(3)));
    h.add_profile(&[]);
    login(&h);
    assert_eq!(keys_of(&h.name, "access_token").len(), 1);
    std::thread::sleep(Duration::from_secs(5));
    // The kernel shows an expired key as `expd` until its garbage collector unlinks it; either
    // way its content can no longer be read.
    let left = keys_of(&h.name, "access_token");
    assert!(left.iter().all(|(_, t)| t == "expd"), "{left:?}");
}

#[test]
fn a_renamed_profile_keeps_its_access_token_timeout() {
    if !require(cfg!(target_os = "linux"), "the Linux kernel keyring") {
        return;
    }
    let h = Harness::new(sim_config());
    h.add_profile(&[]);
    login(&h);
    let to = format!("{}-renamed", h.name);
    h.cmd()
        .env("LCSAUTH_KEYRING", "keyutils")
        .args(["profile", "edit", &h.name, "--rename", &to])
        .assert()
        .success();
    let access = keys_of(&to, "access_token");
    assert_eq!(access.len(), 1, "{access:?}");
    assert!(
        minutes(&access[0].1).is_some_and(|m| (55..=60).contains(&m)),
        "the renamed access token has timeout {:?}",
        access[0].1
    );
    h.cmd()
        .env("LCSAUTH_KEYRING", "keyutils")
        .args(["logout", &to, "--forget-password"])
        .assert()
        .success();
}

fn secret_tool(args: &[&str], stdin: Option<&str>) -> String {
    let mut cmd = assert_cmd::Command::new("secret-tool");
    cmd.args(args);
    if let Some(input) = stdin {
        cmd.write_stdin(input.to_string());
    }
    let out = cmd.assert().success();
    String::from_utf8_lossy(&out.get_output().stdout).into_owned()
}

#[test]
fn another_programs_item_matching_a_keyring_entry_leaves_token_and_login_working_and_doctor_names_it() {
    use lcsauth::secret::{SecretKind, entry_user, namespace_for};
    let ready = common::real::secret_service_running() && common::real::has_command("secret-tool");
    if !require(ready, "a Secret Service and secret-tool (libsecret-tools)") {
        return;
    }
    let h = Harness::new(sim_config());
    h.add_profile(&["--remember-password"]);
    let ss = |args: &[&str]| {
        let mut cmd = h.cmd();
        cmd.env("LCSAUTH_KEYRING", "secret-service").args(args);
        cmd
    };
    ss(&["login", &h.name, "--password-stdin"])
        .write_stdin(format!("{}\n", common::PASSWORD))
        .assert()
        .success();
    let ns = namespace_for(h.config_dir());
    let users: Vec<String> = [SecretKind::RefreshToken, SecretKind::Password]
        .into_iter()
        .map(|kind| entry_user(&h.name, kind, Some(&ns)))
        .collect();
    // Another program stores its own items under the same service and username (plus an
    // attribute of its own, so the Secret Service keeps both).
    for user in &users {
        secret_tool(
            &[
                "store",
                "--label",
                "other program",
                "service",
                "lcsauth",
                "username",
                user,
                "application",
                "other",
            ],
            Some("not-lcsauths-secret"),
        );
        let found = secret_tool(&["search", "--all", "service", "lcsauth", "username", user], None);
        assert_eq!(found.matches("[/").count(), 2, "no conflict was set up: {found}");
    }

    let refreshed = ss(&["token", &h.name, "--force"]).assert().success();
    assert_eq!(stdout(&refreshed).trim_end(), h.sim.last_access_token().unwrap());
    let reqs = h.token_requests();
    assert_eq!(reqs.last().unwrap().field("grant_type"), Some("refresh_token"));
    assert_eq!(
        reqs.last().unwrap().field("refresh_token"),
        h.sim.issued_refresh_tokens().first().map(String::as_str),
        "lcsauth read its own refresh token, not the other program's"
    );
    ss(&["login", &h.name, "--password-stdin"])
        .write_stdin(format!("{}\n", common::PASSWORD))
        .assert()
        .success();
    // The remembered password is lcsauth's own: a sign-in with it works.
    ss(&["logout", &h.name]).assert().success();
    ss(&["login", &h.name]).assert().success();
    assert_eq!(
        h.token_requests().last().unwrap().field("password"),
        Some(common::PASSWORD)
    );

    let doctor = ss(&["doctor"]).assert();
    let report = stdout(&doctor) + &stderr(&doctor);
    for user in &users {
        assert!(
            report.contains("keyring conflict") && report.contains(user.as_str()),
            "{report}"
        );
    }
    // The other program's items are untouched.
    for user in &users {
        let theirs = secret_tool(
            &["lookup", "service", "lcsauth", "username", user, "application", "other"],
            None,
        );
        assert_eq!(theirs.trim_end(), "not-lcsauths-secret");
        secret_tool(
            &["clear", "service", "lcsauth", "username", user, "application", "other"],
            None,
        );
    }
    ss(&["logout", &h.name, "--forget-password"]).assert().success();
}

/// A guard: this held before the conflict handling too.
#[test]
fn a_password_is_not_sent_when_the_keyring_that_would_keep_the_answer_cannot_be_reached() {
    use common::hostile::{Hostile, Reply, Victim};
    use common::stderr as err;
    let ep = Hostile::start(vec![Reply::token("AT-1", Some("RT-1"))]);
    let v = Victim::new(ep.clone(), &["--remember-password"]);
    let a = v
        .cmd()
        .env("LCSAUTH_KEYRING", "secret-service")
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/lcsauth-test-bus")
        .args(["login", &v.name, "--password-stdin"])
        .write_stdin(format!("{}\n", common::PASSWORD))
        .assert()
        .code(5);
    assert!(err(&a).contains("Secret Service"), "{}", err(&a));
    assert!(
        ep.seen().is_empty(),
        "the password was sent: {} requests",
        ep.seen().len()
    );
}
