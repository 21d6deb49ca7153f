//! What the sign-in commands (`login`, `token`, `profile add`) share: the password, read from
//! standard input or asked on the terminal, and a sign-in failure written for one profile.

use std::io::{BufRead, IsTerminal};

use lcsauth::profile::Profile;
use lcsauth::secret::Secret;

use crate::front::failure::Failure;
use crate::front::session::suggested_flow;

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

/// The failure of a sign-in of profile `name`: a refusal's fix names the profile and offers the
/// interactive flow that suits this session first.
pub fn for_profile(e: lcsauth::broker::BrokerError, name: &str) -> Failure {
    Failure::for_profile(e, name, suggested_flow())
}
