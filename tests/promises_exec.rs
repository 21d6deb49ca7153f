//! `exec` owns its child: signals sent to lcsauth reach the child, lcsauth waits for it and
//! passes its exit code on; a command that cannot be found or run exits 127 or 126.
#![cfg(unix)]
#![allow(clippy::unwrap_used)]

mod common;

use std::time::{Duration, Instant};

use common::PASSWORD;
use common::hostile::{Hostile, Reply, Victim};
use common::stderr as err;
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

fn signed_in() -> Victim {
    let v = Victim::new(Hostile::start(vec![Reply::token("AT-EXEC", None)]), &[]);
    v.login(PASSWORD).success();
    v
}

fn wait_for(path: &std::path::Path) -> String {
    let end = Instant::now() + Duration::from_secs(20);
    while Instant::now() < end {
        if let Ok(s) = std::fs::read_to_string(path)
            && s.ends_with('\n')
        {
            return s;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("{} never appeared", path.display());
}

#[test]
fn sigint_sigterm_and_sighup_reach_the_child_and_lcsauth_waits_for_it() {
    let v = signed_in();
    for (sig, name) in [
        (Signal::SIGTERM, "TERM"),
        (Signal::SIGINT, "INT"),
        (Signal::SIGHUP, "HUP"),
    ] {
        let started = v.dir.path().join(format!("started-{name}"));
        let caught = v.dir.path().join(format!("caught-{name}"));
        let script = format!(
            "trap 'echo \"$LCS_ACCESS_TOKEN\" > {c}; exit 42' {name}; echo $$ > {s}; while :; do sleep 0.05; done",
            c = caught.display(),
            s = started.display()
        );
        let mut lcsauth = std::process::Command::new(assert_cmd::cargo::cargo_bin("lcsauth"))
            .env("LCSAUTH_CONFIG_DIR", v.dir.path())
            .env_remove("LCSAUTH_PROFILE")
            .args(["exec", &v.name, "--", "sh", "-c", &script])
            .spawn()
            .unwrap();
        let child_pid: i32 = wait_for(&started).trim().parse().unwrap();
        kill(Pid::from_raw(lcsauth.id() as i32), sig).unwrap();
        let status = lcsauth.wait().unwrap();
        let orphan = kill(Pid::from_raw(child_pid), None).is_ok();
        if orphan {
            let _ = kill(Pid::from_raw(child_pid), Signal::SIGKILL);
        }
        assert!(!orphan, "SIG{name}: the child kept running after lcsauth ended");
        assert_eq!(
            status.code(),
            Some(42),
            "SIG{name}: lcsauth passes the child's exit code on"
        );
        assert_eq!(wait_for(&caught).trim(), "AT-EXEC", "SIG{name} reached the child");
    }
}

#[test]
fn a_missing_command_exits_127_and_a_non_executable_one_126() {
    let v = signed_in();
    let e = err(&v
        .run(&["exec", &v.name, "--", "/nonexistent/lcsauth-no-such-cmd"])
        .code(127));
    assert!(e.contains("cannot run /nonexistent/lcsauth-no-such-cmd"), "{e}");
    let file = v.dir.path().join("not-executable");
    std::fs::write(&file, "#!/bin/sh\necho hi\n").unwrap();
    v.run(&["exec", &v.name, "--", file.to_str().unwrap()]).code(126);
}

#[test]
#[cfg(target_os = "linux")]
fn lcsauth_runs_with_core_dumps_disabled() {
    let v = signed_in();
    // The child reads the limits of its parent, the running lcsauth.
    let a = v
        .run(&["exec", &v.name, "--", "sh", "-c", "cat /proc/$PPID/limits"])
        .success();
    let limits = common::stdout(&a);
    let core = limits.lines().find(|l| l.starts_with("Max core file size")).unwrap();
    let fields: Vec<&str> = core.split_whitespace().collect();
    assert_eq!(&fields[4..6], ["0", "0"], "{core}");
}
