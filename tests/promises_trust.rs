//! A config another user can write is not trusted, and a remembered password goes only to the
//! sign-in it was given for: the real binary, hostile endpoints on loopback counting requests.
#![cfg(unix)]
#![allow(clippy::unwrap_used)]

mod common;

use std::os::unix::fs::PermissionsExt;

use common::PASSWORD;
use common::hostile::{Hostile, Reply, Victim};
use common::{stderr as err, stdout as out};

fn chmod(path: &std::path::Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn a_config_writable_by_others_gets_no_sign_in_and_doctor_says_why() {
    let ep = Hostile::start(vec![Reply::token("AT-1", None)]);
    let v = Victim::new(ep.clone(), &["--remember-password"]);
    v.login(PASSWORD).success();
    // Doctor's reachability check is a GET with nothing in it; only token requests count.
    let posts = || ep.seen().iter().filter(|s| s.method == "POST").count();
    let seen = posts();
    std::fs::create_dir_all(v.dir.path().join("state")).unwrap();
    std::fs::create_dir_all(v.dir.path().join("locks")).unwrap();
    for (rel, mode, fix) in [
        ("", 0o777, "chmod 700"),
        ("profiles.toml", 0o666, "chmod 600"),
        ("state", 0o770, "chmod 700"),
        ("locks", 0o757, "chmod 700"),
    ] {
        let path = v.dir.path().join(rel);
        let before = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        chmod(&path, mode);
        let e = err(&v.run(&["token", &v.name, "--force"]).code(8));
        assert!(e.contains("writable by other users") && e.contains(fix), "{rel}: {e}");
        let e = err(&v.login(PASSWORD).code(8));
        assert!(e.contains("sends no secret"), "{rel}: {e}");
        let doctor = out(&v.run(&["doctor"]));
        assert!(
            doctor.contains("config permissions") && doctor.contains(fix),
            "{rel}: {doctor}"
        );
        assert_eq!(posts(), seen, "{rel} mode {mode:o}: a token request was sent");
        chmod(&path, before);
    }
    v.run(&["token", &v.name, "--force"]).success();
    assert_eq!(posts(), seen + 1);
}

#[test]
fn a_profiles_toml_rewritten_to_another_host_never_receives_the_password() {
    let good = Hostile::start(vec![Reply::token("AT-1", None)]);
    let evil = Hostile::start(vec![Reply::token("AT-EVIL", None)]);
    let v = Victim::new(good.clone(), &["--remember-password"]);
    v.login(PASSWORD).success();
    let path = v.dir.path().join("profiles.toml");
    let original = std::fs::read_to_string(&path).unwrap();

    std::fs::write(&path, original.replace(&good.url(), &evil.url())).unwrap();
    chmod(&path, 0o600);
    let e = err(&v.run(&["token", &v.name, "--force"]).code(7));
    assert!(e.contains("authority changed") && e.contains("not sent"), "{e}");
    assert!(
        evil.seen().is_empty(),
        "the other host received a request: {:?}",
        evil.seen()
    );

    std::fs::write(
        &path,
        original.replace(common::USER, "someone.else@contoso.onmicrosoft.com"),
    )
    .unwrap();
    let e = err(&v.run(&["token", &v.name, "--force"]).code(7));
    assert!(e.contains("username changed"), "{e}");
    assert_eq!(
        good.grants("password"),
        1,
        "the password went to another user's sign-in"
    );

    std::fs::write(&path, original).unwrap();
    v.run(&["token", &v.name, "--force"]).success();
    assert_eq!(good.grants("password"), 2);
}
