//! The real OS keyring across processes: one process stores, another reads, a third deletes.
//! Secret Service runs as gnome-keyring under a private D-Bus session in CI; keyutils is the
//! kernel keyring.
#![allow(clippy::unwrap_used)]

mod common;

use common::real::{require, secret_service_running};
use common::{Harness, sim_config, stderr, stdout};

/// login (process 1 stores) → token --force (process 2 reads the refresh token and uses it)
/// → token (process 3 reads the cached access token) → logout (deletes) → nothing left.
fn store_read_delete_across_processes(backend: &str) {
    let h = Harness::new(sim_config());
    h.add_profile(&[]);
    let with_backend = |args: &[&str]| {
        let mut cmd = h.cmd();
        cmd.env("LCSAUTH_KEYRING", backend).args(args);
        cmd
    };
    with_backend(&["login", &h.name, "--password-stdin"])
        .write_stdin(format!("{}\n", common::PASSWORD))
        .assert()
        .success();
    let first_rt = h.sim.issued_refresh_tokens()[0].clone();

    let refreshed = with_backend(&["token", &h.name, "--force"]).assert().success();
    let reqs = h.token_requests();
    assert_eq!(reqs.len(), 2);
    assert_eq!(
        reqs[1].field("refresh_token"),
        Some(first_rt.as_str()),
        "another process read the stored refresh token"
    );
    let at = stdout(&refreshed);

    let cached = with_backend(&["token", &h.name]).assert().success();
    assert_eq!(stdout(&cached), at, "another process read the cached access token");
    assert_eq!(h.token_requests().len(), 2);

    with_backend(&["logout", &h.name]).assert().success();
    let gone = with_backend(&["token", &h.name]).assert().code(7);
    assert!(stderr(&gone).contains("needs a sign-in"), "{}", stderr(&gone));
    assert_eq!(h.token_requests().len(), 2, "no secret was left to use");
}

#[test]
fn secret_service_stores_reads_and_deletes_across_processes() {
    if !require(secret_service_running(), "a Secret Service on the D-Bus session bus") {
        return;
    }
    store_read_delete_across_processes("secret-service");
}

#[test]
fn keyutils_stores_reads_and_deletes_across_processes() {
    if !require(cfg!(target_os = "linux"), "the Linux kernel keyring") {
        return;
    }
    store_read_delete_across_processes("keyutils");
}

#[test]
fn remembered_password_lives_in_the_keyring_not_in_files() {
    let backend = if secret_service_running() {
        "secret-service"
    } else {
        "keyutils"
    };
    let h = Harness::new(sim_config());
    h.add_profile(&["--remember-password"]);
    h.cmd()
        .env("LCSAUTH_KEYRING", backend)
        .args(["login", &h.name, "--password-stdin"])
        .write_stdin(format!("{}\n", common::PASSWORD))
        .assert()
        .success();
    h.cmd()
        .env("LCSAUTH_KEYRING", backend)
        .args(["logout", &h.name])
        .assert()
        .success();
    // No refresh token any more: the remembered password (read from the keyring by a new
    // process) signs in again.
    h.cmd()
        .env("LCSAUTH_KEYRING", backend)
        .args(["token", &h.name])
        .assert()
        .success();
    let reqs = h.token_requests();
    assert_eq!(reqs.last().unwrap().field("grant_type"), Some("password"));
    for (path, bytes) in h.files() {
        assert!(
            !String::from_utf8_lossy(&bytes).contains(common::PASSWORD),
            "password in {}",
            path.display()
        );
    }
}

#[test]
fn unavailable_keyring_is_explained_with_its_exit_code_and_other_commands_still_work() {
    let h = Harness::new(sim_config());
    h.add_profile(&[]);
    // A bus address where nothing listens: the Secret Service cannot be reached.
    let dead = |args: &[&str]| {
        let mut cmd = h.cmd();
        cmd.env("LCSAUTH_KEYRING", "secret-service")
            .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/lcsauth-test-bus")
            .args(args);
        cmd
    };
    let out = dead(&["login", &h.name, "--password-stdin"])
        .write_stdin(format!("{}\n", common::PASSWORD))
        .assert()
        .code(5);
    let err = stderr(&out);
    assert!(err.contains("Secret Service"), "{err}");
    assert!(err.contains("fix: "), "{err}");
    dead(&["status"]).assert().success();
    dead(&["profile", "list"]).assert().success();
    dead(&["regions"]).assert().success();
}
