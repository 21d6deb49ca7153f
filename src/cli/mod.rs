//! The command-line front end: one small module per command (`login`, `token_cmd`, `status`,
//! `profile_cmd`, `api`, …); each only calls the core and formats what it returns. `args` holds
//! the clap types (the contract scripts call), `candidates` the values shell completion offers
//! and `complete` the answer to the shell, `sign_in` what the sign-in commands share (reading a
//! password, a refusal written for the profile). This file runs one command. What the board needs
//! too (context, failures, session facts) is in `front`; the commands import `args`, never the
//! other way round.

/// `println!` that returns an error instead of panicking when stdout is closed. What it prints
/// passes through the sanitiser: a control character from outside cannot reach the terminal.
macro_rules! outln {
    () => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock())?
    }};
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let line = format!($($arg)*);
        writeln!(std::io::stdout().lock(), "{}", lcsauth::sanitize::text(&line))?
    }};
}

/// `outln!` for one serialized JSON value: exact values, with every control escaped as JSON.
macro_rules! jsonln {
    ($value:expr) => {{
        use std::io::Write as _;
        let line = $value.to_string();
        writeln!(std::io::stdout().lock(), "{}", lcsauth::sanitize::json(&line))?
    }};
}

/// `eprintln!` for a message that may hold outside text: controls become visible escapes.
macro_rules! errln {
    ($($arg:tt)*) => {{
        let line = format!($($arg)*);
        eprintln!("{}", lcsauth::sanitize::text(&line));
    }};
}

pub mod api;
pub mod args;
mod candidates;
pub mod clipboard_serve;
pub mod complete;
pub mod doctor;
pub mod exec;
pub mod login;
pub mod probe;
pub mod profile_cmd;
pub mod regions;
mod sign_in;
pub mod status;
pub mod token_cmd;

use crate::front::Ctx;
use crate::front::failure::Failure;
use args::{Command, ProfileCommand};

/// Runs one command.
pub fn run(command: Command) -> Result<(), Failure> {
    if let Command::ClipboardServe { clear_after } = command {
        return clipboard_serve::run(clear_after);
    }
    if let Command::Completions { shell } = command {
        complete::registration(shell, &mut std::io::stdout().lock())?;
        return Ok(());
    }
    if let Command::Regions { json } = command {
        return regions::run(json);
    }
    let ctx = Ctx::from_env()?;
    match command {
        Command::Profile(p) => match p {
            ProfileCommand::Add {
                name,
                tenant,
                client_id,
                mut fields,
                password_stdin,
            } => {
                fields.tenant = Some(tenant);
                fields.client_id = Some(client_id);
                profile_cmd::add(&ctx, name, fields, password_stdin)
            }
            ProfileCommand::List { json } => profile_cmd::list(&ctx, json),
            ProfileCommand::Show { name, json } => profile_cmd::show(&ctx, &name, json),
            ProfileCommand::Edit {
                name,
                rename,
                tenant,
                client_id,
                mut fields,
            } => {
                fields.tenant = tenant;
                fields.client_id = client_id;
                profile_cmd::edit(&ctx, &name, rename, fields)
            }
            ProfileCommand::Remove { name } => profile_cmd::remove(&ctx, &name),
        },
        Command::Use { name } => profile_cmd::use_default(&ctx, &name),
        Command::Login {
            name,
            password_stdin,
            audience,
        } => login::login(&ctx, name.as_deref(), password_stdin, audience.as_ref()),
        Command::Logout { name, forget_password } => login::logout(&ctx, name.as_deref(), forget_password),
        Command::Token(a) => token_cmd::token(&ctx, &a),
        Command::Copy(a) => token_cmd::copy(&ctx, &a),
        Command::Status { json, audience } => status::run(&ctx, json, audience.as_ref()),
        Command::Exec {
            name,
            min_valid,
            audience,
            command,
        } => exec::run(&ctx, name.as_deref(), min_valid, &audience, &command),
        Command::Probe { name, project_id, json } => probe::run(&ctx, name.as_deref(), project_id, json),
        Command::Doctor { json } => doctor::run(&ctx, json),
        Command::Api(a) => api::run(&ctx, &a),
        // Handled before: they need no context, or open the terminal UI (`demo`, in main).
        Command::Regions { .. } | Command::Completions { .. } | Command::ClipboardServe { .. } | Command::Demo => {
            Ok(())
        }
    }
}
