//! The command-line front end: one small module per command; each only calls the core and
//! formats what it returns.

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

pub mod args;
pub mod clipboard_serve;
pub mod complete;
pub mod doctor;
pub mod exec;
pub mod login;
pub mod probe;
pub mod profile_cmd;
pub mod regions;
pub mod report;
pub mod status;
pub mod token_cmd;

use std::fmt::Write as _;
use std::io::{BufRead, IsTerminal};
use std::sync::Arc;

use lcsauth::broker::{Broker, NetSettings};
use lcsauth::paths::ConfigDir;
use lcsauth::profile::store::{Config, ProfileStore};
use lcsauth::profile::{Profile, Settings};
use lcsauth::secret::keyring::{KeyringChoice, OsKeyring};
use lcsauth::secret::{Secret, SecretStore, namespace_for};

use args::{Command, ProfileCommand};
use report::{Exit, Failure};

/// What every command needs: where the files are and how to reach the keyring.
pub struct Ctx {
    pub dir: ConfigDir,
    pub profiles: ProfileStore,
    /// `LCSAUTH_PROFILE`: the profile for commands that take an optional NAME.
    pub env_profile: Option<String>,
}

impl Ctx {
    pub fn from_env() -> Result<Self, Failure> {
        let dir = ConfigDir::from_env().ok_or_else(|| {
            Failure::new(
                Exit::Failure,
                "cannot find a config directory: set LCSAUTH_CONFIG_DIR or HOME",
            )
        })?;
        Ok(Self {
            profiles: ProfileStore::new(dir.clone()),
            dir,
            env_profile: std::env::var("LCSAUTH_PROFILE").ok().filter(|s| !s.is_empty()),
        })
    }

    /// Loads `profiles.toml`, printing its warnings.
    pub fn config(&self) -> Result<Config, Failure> {
        let config = self.profiles.load()?;
        for w in &config.warnings {
            errln!("warning: {w}");
        }
        Ok(config)
    }

    /// The profile a command acts on. A name that matches none says where it came from (the
    /// argument or `LCSAUTH_PROFILE`) and which names are close.
    pub fn select<'c>(&self, config: &'c Config, name: Option<&str>) -> Result<&'c Profile, Failure> {
        config.select(name, self.env_profile.as_deref()).map_err(|e| {
            let lcsauth::profile::store::ConfigError::NotFound(wanted) = &e else {
                return Failure::from(e);
            };
            let mut f = Failure::from(lcsauth::profile::store::ConfigError::NotFound(wanted.clone()));
            if name.is_none() && self.env_profile.is_some() {
                f.message =
                    format!("LCSAUTH_PROFILE={wanted} names no profile (the variable chose it; unset it or give NAME)");
            }
            let near = near_names(wanted, config.profiles.iter().map(|p| p.name.as_str()));
            if !near.is_empty() {
                let _ = write!(f.message, "\n  did you mean: {}?", near.join(", "));
            }
            f
        })
    }

    pub fn secrets(&self) -> Result<Arc<dyn SecretStore>, Failure> {
        let choice = KeyringChoice::from_env()?;
        let namespace = std::env::var_os("LCSAUTH_CONFIG_DIR")
            .is_some()
            .then(|| namespace_for(self.dir.root()));
        Ok(Arc::new(OsKeyring::new(choice, namespace)))
    }

    pub fn broker(&self, settings: &Settings) -> Result<Broker, Failure> {
        let net = NetSettings {
            timeout: settings.http_timeout,
            lock_wait: settings.lock_wait,
            ..NetSettings::default()
        };
        Ok(
            Broker::new(self.dir.clone(), self.secrets()?, net).on_lock_wait(Arc::new(|what: &str| {
                eprintln!("note: {}", lcsauth::sanitize::line(what));
            })),
        )
    }
}

/// Names within a small edit distance of `wanted` (or containing it), closest first.
pub fn near_names<'a>(wanted: &str, names: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let w = wanted.to_lowercase();
    let mut scored: Vec<(usize, &str)> = names
        .filter_map(|n| {
            let l = n.to_lowercase();
            let d = edit_distance(&w, &l);
            let close = d <= (w.chars().count() / 3).max(2) || l.contains(&w) || w.contains(&l);
            close.then_some((d, n))
        })
        .collect();
    scored.sort_unstable();
    scored.into_iter().take(3).map(|(_, n)| n).collect()
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb { prev } else { 1 + prev.min(cur).min(row[j]) };
            prev = cur;
        }
    }
    row[b.len()]
}

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
        // Handled before: they need no context, or open the terminal UI (`demo`, in main).
        Command::Regions { .. } | Command::Completions { .. } | Command::ClipboardServe { .. } | Command::Demo => {
            Ok(())
        }
    }
}

/// A runtime for the commands that talk to the network.
pub fn runtime() -> Result<tokio::runtime::Runtime, Failure> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Failure::new(Exit::Failure, format!("cannot start the async runtime: {e}")))
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

/// True in an SSH session, where a browser on this machine is not the user's browser.
pub fn over_ssh() -> bool {
    ["SSH_CONNECTION", "SSH_TTY"]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|s| !s.is_empty()))
}

/// The interactive flow to suggest here: the browser at a desktop, device code over SSH or
/// without a display.
pub fn suggested_flow() -> lcsauth::profile::Flow {
    if !over_ssh() && lcsauth::clipboard::display_present() {
        lcsauth::profile::Flow::Browser
    } else {
        lcsauth::profile::Flow::DeviceCode
    }
}

/// Substitutes the profile name into the `NAME` placeholders of a diagnosis, and puts the
/// interactive flow that suits this session first.
pub fn for_profile(mut f: Failure, name: &str) -> Failure {
    if suggested_flow() == lcsauth::profile::Flow::Browser {
        f.message = f.message.replace(
            "--flow device-code` (or `--flow browser`)",
            "--flow browser` (or `--flow device-code`)",
        );
    }
    f.message = f.message.replace(" NAME", &format!(" {name}"));
    f
}
