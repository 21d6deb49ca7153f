//! Tokens larger than one entry of the real kernel keyring (32,767 bytes per key): kept in
//! pieces and read back whole by another process, removed piece by piece, and a token over
//! the 64 KiB limit not kept, with the limit named, while the refresh token still works.
#![allow(clippy::unwrap_used)]

mod common;

use common::real::require;
use common::{Harness, sim_config, stderr, stdout};

fn keyutils(h: &Harness, args: &[&str]) -> assert_cmd::Command {
    let mut cmd = h.cmd();
    cmd.env("LCSAUTH_KEYRING", "keyutils").args(args);
    cmd
}

#[test]
fn a_45_kib_access_token_is_kept_in_kernel_keyring_pieces_and_read_back_whole_by_another_process() {
    if !require(cfg!(target_os = "linux"), "the Linux kernel keyring") {
        return;
    }
    // 800 group claims: about 45 KiB, two keys' worth.
    let h = Harness::new(sim_config().groups(800));
    h.add_profile(&[]);
    keyutils(&h, &["login", &h.name, "--password-stdin"])
        .write_stdin(format!("{}\n", common::PASSWORD))
        .assert()
        .success();
    let issued = h.sim.last_access_token().unwrap();
    assert!(issued.len() > 40 * 1024, "{} bytes", issued.len());

    let cached = keyutils(&h, &["token", &h.name]).assert().success();
    assert_eq!(stdout(&cached).trim_end(), issued);
    assert_eq!(h.token_requests().len(), 1, "read from the keyring, not fetched again");

    let forced = keyutils(&h, &["token", &h.name, "--force"]).assert().success();
    assert_eq!(stdout(&forced).trim_end(), h.sim.last_access_token().unwrap());
    let again = keyutils(&h, &["token", &h.name]).assert().success();
    assert_eq!(stdout(&again), stdout(&forced), "the new pieces replaced the old ones");

    keyutils(&h, &["logout", &h.name]).assert().success();
    let gone = keyutils(&h, &["token", &h.name]).assert().code(7);
    assert!(stderr(&gone).contains("needs a sign-in"), "{}", stderr(&gone));
}

#[test]
fn an_access_token_over_64_kib_is_not_kept_and_the_warning_names_the_limit() {
    if !require(cfg!(target_os = "linux"), "the Linux kernel keyring") {
        return;
    }
    // 1,400 group claims: about 75 KiB, over what lcsauth keeps.
    let h = Harness::new(sim_config().groups(1400));
    h.add_profile(&[]);
    let out = keyutils(&h, &["login", &h.name, "--password-stdin"])
        .write_stdin(format!("{}\n", common::PASSWORD))
        .assert()
        .success();
    let err = stderr(&out);
    assert!(err.contains("the access token was not cached"), "{err}");
    assert!(err.contains("more than the 65536 bytes"), "{err}");
    assert!(err.contains("nothing was stored"), "{err}");
    // The refresh token was kept: the next call refreshes and still hands out the whole token.
    let next = keyutils(&h, &["token", &h.name]).assert().success();
    assert_eq!(stdout(&next).trim_end(), h.sim.last_access_token().unwrap());
    let reqs = h.token_requests();
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[1].field("grant_type"), Some("refresh_token"));
}
