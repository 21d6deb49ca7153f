//! The `lcsauth` binary: parse the command line, run a command, report failures.

mod cli;
mod front;
mod tui;

use std::process::ExitCode;

use clap::Parser;

use cli::args::{Cli, Command};

fn main() -> ExitCode {
    // Only when the shell asks for completions (its variable is set); otherwise a no-op.
    cli::complete::answer_if_asked();
    // Before any secret is read: a crash must not write one to a core file.
    let hygiene = lcsauth::hygiene::no_core_dumps();
    let args = Cli::parse();
    // Log lines on stderr would land in the middle of the terminal UI's screen.
    if args.command.as_ref().is_some_and(|c| !matches!(c, Command::Demo)) {
        init_logging();
    }
    if let Err(e) = hygiene {
        tracing::debug!(reason = %e, "core dumps could not be disabled");
    }
    let result = match args.command {
        None => tui::run(),
        Some(Command::Demo) => tui::demo::run(),
        Some(command) => cli::run(command),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`lcsauth token | head -c0`) is not a failure.
        Err(f) if f.broken_pipe => ExitCode::SUCCESS,
        Err(f) if f.passthrough.is_some() => cli::exec::code(&f).unwrap_or(ExitCode::FAILURE),
        Err(f) => front::failure::report(&f),
    }
}

/// Diagnostic logs on stderr when `LCSAUTH_LOG` or `RUST_LOG` asks for them (e.g.
/// `LCSAUTH_LOG=debug`). No log line ever carries a secret: tokens and passwords are `Secret`s.
fn init_logging() {
    let Some(filter) = ["LCSAUTH_LOG", "RUST_LOG"].iter().find_map(|v| std::env::var(v).ok()) else {
        return;
    };
    let filter =
        tracing_subscriber::EnvFilter::try_new(filter).unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}
