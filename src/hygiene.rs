//! Process hygiene for a program that holds secrets: no core dump carries them.

/// Disables core dumps of this process (and, on Linux, attaching a debugger by the same user):
/// `RLIMIT_CORE` 0 and `PR_SET_DUMPABLE` 0. Called first thing by every command, the terminal
/// UI and the clipboard server. Failure is not fatal (a sandbox may forbid it): the reason is
/// returned for a debug log line.
pub fn no_core_dumps() -> Result<(), String> {
    #[cfg(unix)]
    {
        use nix::sys::resource::{Resource, setrlimit};
        setrlimit(Resource::RLIMIT_CORE, 0, 0).map_err(|e| format!("RLIMIT_CORE: {e}"))?;
    }
    #[cfg(target_os = "linux")]
    nix::sys::prctl::set_dumpable(false).map_err(|e| format!("PR_SET_DUMPABLE: {e}"))?;
    Ok(())
}
