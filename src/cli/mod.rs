//! The command-line front end: one small module per command; each only calls the core and
//! formats what it returns. What the board needs too (context, failures, session facts) is in
//! `front`.

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
pub mod clipboard_serve;
pub mod complete;
pub mod doctor;
pub mod exec;
pub mod login;
pub mod probe;
pub mod profile_cmd;
pub mod regions;
pub mod status;
pub mod token_cmd;

use std::io::{BufRead, IsTerminal};

use lcsauth::profile::Profile;
use lcsauth::secret::Secret;

use crate::front::Ctx;
use crate::front::failure::Failure;
use crate::front::session::suggested_flow;
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

/// Reads one line of standard input as a password (`--password-stdin`).
pub fn password_from_stdin() -> Result<Secret, Failure> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| Failure::usage(format!("cannot read the password from standard input: {e}")))?;
    let password = line.trim_end_matches(['\n', '\r']);
    if password.is_empty() {
        return Err(Failure::usage("--password-stdin read an empty password"));
    }
    let secret = Secret::new(password);
    zeroize::Zeroize::zeroize(&mut line);
    Ok(secret)
}

/// Asks for the password on the terminal without echo, when there is a terminal.
pub fn password_from_tty(profile: &Profile) -> Result<Option<Secret>, Failure> {
    if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        return Ok(None);
    }
    let user = profile.username.as_deref().unwrap_or("?");
    let prompt = format!("Password for {user} ({}): ", profile.name);
    let password = rpassword::prompt_password(prompt)
        .map_err(|e| Failure::usage(format!("cannot read the password from the terminal: {e}")))?;
    Ok(Some(Secret::new(password)).filter(|s| !s.is_empty()))
}

/// Durations as the CLI and the board both write them ("12m 30s"): one formatter, in the core.
pub use lcsauth::profile::duration_text::human as human_duration;

/// The failure of a sign-in of profile `name`: a refusal's fix names the profile and offers the
/// interactive flow that suits this session first.
pub fn for_profile(e: lcsauth::broker::BrokerError, name: &str) -> Failure {
    Failure::for_profile(e, name, suggested_flow())
}
