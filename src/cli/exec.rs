//! `exec`: run a command with a fresh token in its environment.
//!
//! For long jobs, prefer calling `lcsauth token` before each request (the cached path takes
//! milliseconds): a token handed to a child lives only as long as `--min-valid` promises.
//!
//! lcsauth owns its child: SIGINT, SIGTERM and SIGHUP sent to lcsauth are passed on to the
//! child and lcsauth waits for it, so a job stopped through lcsauth never runs on orphaned with
//! the token in its environment. A command that cannot be found exits 127, one that cannot be
//! run 126, as `env` and shells report them.

use std::ffi::OsString;
use std::process::{Command, ExitCode};
use std::time::Duration;

use lcsauth::audience::Audience;

use super::token_cmd;
use crate::front::Ctx;
use crate::front::failure::Failure;

/// Set in the child so a nested `lcsauth exec` can refuse.
pub const MARKER: &str = "LCSAUTH_EXEC_PROFILE";

/// Runs `command` with a fresh token of each audience asked (`lcs` when none is) in its
/// environment: `lcs` as `LCS_ACCESS_TOKEN`, `LCS_AUTHORIZATION` and `LCS_API_URL`,
/// `powerplatform` also as `PP_ACCESS_TOKEN` and `PP_API_URL`, every one as
/// `LCSAUTH_TOKEN_<AUDIENCE>`.
pub fn run(
    ctx: &Ctx,
    name: Option<&str>,
    min_valid: Option<Duration>,
    audiences: &[Audience],
    command: &[OsString],
) -> Result<(), Failure> {
    if let Some(outer) = std::env::var_os(MARKER) {
        return Err(Failure::usage(format!(
            "refusing to nest: this shell already runs under `lcsauth exec` for profile '{}'; \
             use $LCS_ACCESS_TOKEN, or call `lcsauth token` for a fresh one",
            outer.to_string_lossy()
        )));
    }
    let (program, args) = command
        .split_first()
        .ok_or_else(|| Failure::usage("exec needs a command after --"))?;
    // No --audience: the profile's default audience (lcs, as always, for a user's profile).
    let asked: Vec<Option<&Audience>> = if audiences.is_empty() {
        vec![None]
    } else {
        audiences.iter().map(Some).collect()
    };
    let mut cmd = Command::new(program);
    cmd.args(args);
    let mut profile_name = String::new();
    for asked in asked {
        let (profile, audience, issued) = token_cmd::fresh_for(ctx, name, asked, min_valid, false, false)?;
        let audience = &audience;
        let token = issued.access_token.expose();
        let api = profile.endpoint_for(audience).api_host;
        match audience {
            Audience::Lcs => {
                cmd.env("LCS_ACCESS_TOKEN", token)
                    .env("LCS_AUTHORIZATION", format!("Bearer {token}"))
                    .env("LCS_API_URL", &api);
            }
            Audience::PowerPlatform => {
                cmd.env("PP_ACCESS_TOKEN", token).env("PP_API_URL", &api);
            }
            _ => {}
        }
        cmd.env(audience.env_var(), token);
        profile_name = profile.name.to_string();
    }
    cmd.env(MARKER, &profile_name);
    let shown = lcsauth::sanitize::line(&program.to_string_lossy()).into_owned();
    let rt = crate::front::runtime()?;
    let status = rt.block_on(run_owned(cmd)).map_err(|e| {
        let code = match e.kind() {
            std::io::ErrorKind::NotFound => 127,
            _ => 126,
        };
        errln!("error: cannot run {shown}: {e}");
        Failure::passthrough(code)
    })?;
    Err(Failure::passthrough(exit_code_of(status)))
}

/// Runs the child to its end, passing on the signals that would otherwise end lcsauth alone.
async fn run_owned(cmd: Command) -> std::io::Result<std::process::ExitStatus> {
    let mut child = tokio::process::Command::from(cmd).spawn()?;
    #[cfg(unix)]
    {
        use nix::sys::signal::{Signal, kill};
        use nix::unistd::Pid;
        use tokio::signal::unix::{SignalKind, signal};
        let mut int = signal(SignalKind::interrupt())?;
        let mut term = signal(SignalKind::terminate())?;
        let mut hup = signal(SignalKind::hangup())?;
        let pid = child.id().and_then(|p| i32::try_from(p).ok()).map(Pid::from_raw);
        loop {
            let sig = tokio::select! {
                status = child.wait() => return status,
                _ = int.recv() => Signal::SIGINT,
                _ = term.recv() => Signal::SIGTERM,
                _ = hup.recv() => Signal::SIGHUP,
            };
            if let Some(pid) = pid {
                // The child may have ended a moment ago: ESRCH is not a failure.
                let _ = kill(pid, sig);
            }
        }
    }
    #[cfg(not(unix))]
    child.wait().await
}

/// The child's exit code; a child killed by a signal exits 128 + the signal, as shells report it.
fn exit_code_of(status: std::process::ExitStatus) -> u8 {
    if let Some(code) = status.code() {
        return u8::try_from(code & 0xff).unwrap_or(1);
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(sig) = status.signal() {
            return u8::try_from(128 + sig).unwrap_or(1);
        }
    }
    1
}

/// Turns the pass-through failure back into the process exit code.
pub fn code(f: &Failure) -> Option<ExitCode> {
    f.passthrough.map(ExitCode::from)
}
