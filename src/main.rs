//! The `lcsauth` binary: parse the command line, run a command, report failures.

mod cli;

use std::process::ExitCode;

use clap::Parser;

use cli::args::Cli;

fn main() -> ExitCode {
    let args = Cli::parse();
    let Some(command) = args.command else {
        eprintln!("error: the terminal UI is not part of this build; run `lcsauth --help` for the commands");
        return cli::report::Exit::Usage.into();
    };
    match cli::run(command) {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`lcsauth token | head -c0`) is not a failure.
        Err(f) if f.broken_pipe => ExitCode::SUCCESS,
        Err(f) => cli::report::report(&f),
    }
}
