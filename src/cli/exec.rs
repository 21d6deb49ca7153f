//! `exec`: run a command with a fresh token in its environment.
//!
//! For long jobs, prefer calling `lcsauth token` before each request (the cached path takes
//! milliseconds): a token handed to a child lives only as long as `--min-valid` promises.

use std::ffi::OsString;
use std::process::{Command, ExitCode};
use std::time::Duration;

use super::token_cmd;
use crate::front::Ctx;
use crate::front::failure::{Exit, Failure};

/// Set in the child so a nested `lcsauth exec` can refuse.
pub const MARKER: &str = "LCSAUTH_EXEC_PROFILE";

pub fn run(ctx: &Ctx, name: Option<&str>, min_valid: Option<Duration>, command: &[OsString]) -> Result<(), Failure> {
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
    let (profile, issued) = token_cmd::fresh(ctx, name, min_valid, false, false)?;
    let api = profile.endpoint().api_host;
    let status = Command::new(program)
        .args(args)
        .env("LCS_ACCESS_TOKEN", issued.access_token.expose())
        .env("LCS_AUTHORIZATION", format!("Bearer {}", issued.access_token.expose()))
        .env("LCS_API_URL", &api)
        .env(MARKER, profile.name.as_str())
        .status()
        .map_err(|e| Failure::new(Exit::Failure, format!("cannot run {}: {e}", program.to_string_lossy())))?;
    Err(Failure::passthrough(exit_code_of(status)))
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
