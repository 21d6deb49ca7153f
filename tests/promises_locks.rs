//! Locks: a wait says what waits and for how long, a planted symlink is not followed, and an
//! interactive sign-in does not hold the profile's lock while the user signs in.
#![cfg(unix)]
#![allow(clippy::unwrap_used)]

mod common;

use std::time::{Duration, Instant};

use common::PASSWORD;
use common::hostile::{Hostile, Reply, Victim};
use common::stderr as err;

fn lock_path(v: &Victim) -> std::path::PathBuf {
    v.dir.path().join("locks").join(format!("{}.lock", v.name))
}

#[test]
fn a_lock_held_elsewhere_is_waited_on_with_a_message_naming_what_and_how_long() {
    let ep = Hostile::start(vec![Reply::token("AT-1", None)]);
    let v = Victim::new(ep, &["--remember-password"]);
    v.login(PASSWORD).success();
    let held = std::fs::OpenOptions::new().write(true).open(lock_path(&v)).unwrap();
    held.lock().unwrap();
    let releaser = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(1500));
        held.unlock().unwrap();
    });
    let started = Instant::now();
    let a = v.run(&["token", &v.name, "--force"]).success();
    releaser.join().unwrap();
    assert!(started.elapsed() >= Duration::from_millis(1400));
    let e = err(&a);
    assert!(
        e.contains(&format!("another lcsauth process is getting a token for '{}'", v.name))
            && e.contains("at most 120s"),
        "{e}"
    );
}

#[test]
fn a_lock_held_past_the_lock_wait_setting_gives_a_clear_error_and_sends_nothing() {
    let ep = Hostile::start(vec![Reply::token("AT-1", None)]);
    let v = Victim::new(ep.clone(), &["--remember-password"]);
    v.login(PASSWORD).success();
    common::replace_in_config(
        v.dir.path(),
        "http_timeout = \"30s\"",
        "http_timeout = \"30s\"\nlock_wait = \"2s\"",
    );
    let held = std::fs::OpenOptions::new().write(true).open(lock_path(&v)).unwrap();
    held.lock().unwrap();
    let before = ep.seen().len();
    let started = Instant::now();
    let a = v.run(&["token", &v.name, "--force"]).failure();
    let took = started.elapsed();
    drop(held);
    assert!(took >= Duration::from_millis(1900), "gave up after {took:?}");
    assert!(took < Duration::from_secs(30), "waited {took:?}, not the 2s setting");
    let e = err(&a);
    assert!(e.contains("at most 2s"), "{e}");
    assert!(
        e.contains(&format!("{}.lock", v.name)) && e.contains("another process has held it for more than 2s"),
        "{e}"
    );
    assert_eq!(ep.seen().len(), before, "a request was sent without the lock");
}

#[test]
fn a_symlink_planted_as_the_lock_file_is_not_followed() {
    let ep = Hostile::start(vec![Reply::token("AT-1", None)]);
    let v = Victim::new(ep.clone(), &[]);
    let locks = v.dir.path().join("locks");
    std::fs::create_dir_all(&locks).unwrap();
    std::fs::set_permissions(&locks, std::os::unix::fs::PermissionsExt::from_mode(0o700)).unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let target = elsewhere.path().join("victim-file");
    std::os::unix::fs::symlink(&target, lock_path(&v)).unwrap();
    let a = v.login(PASSWORD).failure();
    assert!(
        !target.exists(),
        "the lock followed the symlink and created {}",
        target.display()
    );
    assert!(err(&a).contains(".lock"), "{}", err(&a));
    assert!(ep.seen().is_empty(), "a request was sent without the lock");
}

#[test]
fn a_device_code_sign_in_does_not_hold_the_lock_while_the_user_signs_in() {
    let ep = Hostile::start(vec![
        Reply::json(
            200,
            serde_json::json!({"device_code": "DC-1", "user_code": "ABCD-EFGH",
                "verification_uri": "https://microsoft.com/devicelogin", "expires_in": 900, "interval": 1,
                "message": "To sign in, open https://microsoft.com/devicelogin and enter ABCD-EFGH."})
            .to_string(),
        ),
        Reply::refusal(400, "authorization_pending", 70016, "pending"),
    ]);
    let v = Victim::new(ep.clone(), &["--flow", "device-code"]);
    let mut login = std::process::Command::new(assert_cmd::cargo::cargo_bin("lcsauth"))
        .env("LCSAUTH_CONFIG_DIR", v.dir.path())
        .env("BROWSER", "none")
        .args(["login", &v.name])
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let end = Instant::now() + Duration::from_secs(20);
    while ep.grants("urn:ietf:params:oauth:grant-type:device_code") < 1 && Instant::now() < end {
        std::thread::sleep(Duration::from_millis(50));
    }
    // Another command for the profile answers at once instead of waiting for the sign-in.
    let started = Instant::now();
    let a = v.run(&["token", &v.name]).code(7);
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "it waited {:?}",
        started.elapsed()
    );
    assert!(!err(&a).contains("waiting"), "{}", err(&a));
    ep.then(vec![Reply::token("AT-DEVICE", Some("RT-1"))]);
    assert!(login.wait().unwrap().success());
    assert_eq!(
        common::stdout(&v.run(&["token", &v.name]).success()).trim(),
        "AT-DEVICE"
    );
}
