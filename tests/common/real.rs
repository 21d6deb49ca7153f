//! Guards for tests of real backends: with `CI=true` a missing daemon fails the test; elsewhere
//! the test is skipped with the reason printed. And what the X clipboard holds, for the tests
//! that copy to it.

/// Returns true when the test may go on. Panics in CI when `ok` is false.
pub fn require(ok: bool, what: &str) -> bool {
    if ok {
        return true;
    }
    let in_ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
    assert!(!in_ci, "CI=true but {what} is missing: .ci/run must start it");
    eprintln!("skipped: {what} is missing (set up by .ci/run; required when CI=true)");
    false
}

pub fn has_command(name: &str) -> bool {
    std::process::Command::new("sh")
        .args(["-c", &format!("command -v {name}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// A Secret Service answers on the session bus.
pub fn secret_service_running() -> bool {
    std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some()
        && std::process::Command::new("dbus-send")
            .args([
                "--session",
                "--print-reply",
                "--dest=org.freedesktop.DBus",
                "/org/freedesktop/DBus",
                "org.freedesktop.DBus.NameHasOwner",
                "string:org.freedesktop.secrets",
            ])
            .output()
            .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("boolean true"))
}

/// What the X clipboard holds, read with xclip; `None` when xclip fails (nothing owns it).
pub fn xclip_out() -> Option<String> {
    let out = std::process::Command::new("xclip")
        .args(["-selection", "clipboard", "-o"])
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}
