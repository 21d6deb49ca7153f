//! Shell completion: answering the shell (`COMPLETE=<shell> lcsauth …`, clap's dynamic
//! completion) and the script that registers it. A normal run never gets here: only the
//! completion variable wakes it. The values offered are in [`super::candidates`].

use std::ffi::OsString;

use clap::CommandFactory;
use clap_complete::env::{CompleteEnv, EnvCompleter};

use super::args::Cli;

/// The variable that asks for completions (`COMPLETE=bash lcsauth` prints the registration).
pub const VAR: &str = "COMPLETE";

/// Answers a completion request and exits, when the shell made one; returns at once otherwise.
pub fn answer_if_asked() {
    if std::env::var_os(VAR).is_none() {
        return;
    }
    CompleteEnv::with_factory(Cli::command).var(VAR).complete();
}

/// `lcsauth completions SHELL`: the script that registers the dynamic completion in SHELL.
pub fn registration(shell: clap_complete::Shell, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let completer: &dyn EnvCompleter = match shell {
        clap_complete::Shell::Bash => &clap_complete::env::Bash,
        clap_complete::Shell::Zsh => &clap_complete::env::Zsh,
        clap_complete::Shell::Fish => &clap_complete::env::Fish,
        clap_complete::Shell::PowerShell => &clap_complete::env::Powershell,
        _ => &clap_complete::env::Elvish,
    };
    let exe = std::env::args_os().next().unwrap_or_else(|| OsString::from("lcsauth"));
    completer.write_registration(VAR, "lcsauth", "lcsauth", &exe.to_string_lossy(), out)
}
