//! The kernel keyring drops an access token by itself when it expires: every key that holds it
//! (the whole entry, or the manifest and each piece of a large token) has a timeout at the
//! token's expiry, while the refresh token stays without one.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use common::real::require;
use common::{Harness, sim_config};

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
