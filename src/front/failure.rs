//! Errors as a person reads them, and the exit code each kind of failure gets: the command
//! line prints them, the board shows them when it cannot start.

use std::fmt::Write as _;
use std::process::ExitCode;

use lcsauth::broker::BrokerError;
use lcsauth::clipboard::ClipboardError;
use lcsauth::diagnose::ARTICLE_STEPS;
use lcsauth::entra::{EntraError, Refusal};
use lcsauth::profile::Flow;
use lcsauth::profile::store::ConfigError;
use lcsauth::secret::StoreError;

/// Exit codes, documented in `lcsauth --help` and the README.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Exit {
    Failure = 1,
    Usage = 2,
    Refused = 3,
    Unavailable = 4,
    Keyring = 5,
    NotFound = 6,
    SignInNeeded = 7,
    Config = 8,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> Self {
        ExitCode::from(e as u8)
    }
}

/// A failure of a command: what to print and how to exit.
#[derive(Debug)]
pub struct Failure {
    pub exit: Exit,
    pub message: String,
    /// Standard output was closed by the reader (`lcsauth token | head -c0`): not a failure.
    pub broken_pipe: bool,
    /// `exec`: the child's exit code, passed through silently.
    pub passthrough: Option<u8>,
}

impl Failure {
    pub fn new(exit: Exit, message: impl Into<String>) -> Self {
        Self {
            exit,
            message: message.into(),
            broken_pipe: false,
            passthrough: None,
        }
    }

    /// Exits with a child's code and prints nothing.
    pub fn passthrough(code: u8) -> Self {
        Self {
            exit: Exit::Failure,
            message: String::new(),
            broken_pipe: false,
            passthrough: Some(code),
        }
    }

    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(Exit::Usage, message)
    }
}

impl From<ConfigError> for Failure {
    fn from(e: ConfigError) -> Self {
        let exit = match &e {
            ConfigError::Invalid { .. } => Exit::Config,
            ConfigError::NotFound(_) => Exit::NotFound,
            ConfigError::Exists(_) | ConfigError::Rejected(_) | ConfigError::NoneSelected => Exit::Usage,
            ConfigError::Read { .. } | ConfigError::Write { .. } => Exit::Failure,
        };
        let mut message = e.to_string();
        if let ConfigError::Invalid { .. } = e {
            message.push_str("\n  the file was left unchanged; fix it and run the command again");
        }
        Self::new(exit, message)
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        let mut message = e.to_string();
        if let Some(fix) = e.fix() {
            let _ = write!(message, "\n  fix: {fix}");
        }
        Self::new(Exit::Keyring, message)
    }
}

impl From<EntraError> for Failure {
    fn from(e: EntraError) -> Self {
        match &e {
            EntraError::Refused(r) => Self::new(Exit::Refused, explain_refusal(r, r.diagnosis().fix)),
            EntraError::Client(_) => Self::new(Exit::Failure, e.to_string()),
            _ => Self::new(
                Exit::Unavailable,
                format!("{e}\n  lcsauth kept the tokens it had; try again when the network or Entra is back"),
            ),
        }
    }
}

impl From<BrokerError> for Failure {
    fn from(e: BrokerError) -> Self {
        match e {
            BrokerError::Entra(e) => e.into(),
            BrokerError::Store(e) => e.into(),
            e @ BrokerError::SignInNeeded { .. } => Self::new(Exit::SignInNeeded, e.to_string()),
            BrokerError::Unusable(m) => Self::new(Exit::Unavailable, m),
            e @ BrokerError::Io { .. } => Self::new(Exit::Failure, e.to_string()),
            BrokerError::Untrusted(e) => Self::new(Exit::Config, e.to_string()),
        }
    }
}

impl From<ClipboardError> for Failure {
    fn from(e: ClipboardError) -> Self {
        Self::new(Exit::Failure, e.to_string())
    }
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Self {
        let mut f = Self::new(Exit::Failure, e.to_string());
        f.broken_pipe = e.kind() == std::io::ErrorKind::BrokenPipe;
        f
    }
}

impl Failure {
    /// The failure of a sign-in of profile `name`: a refusal's fix names the profile, and offers
    /// `interactive` first where it offers both interactive flows.
    pub fn for_profile(e: BrokerError, name: &str, interactive: Flow) -> Self {
        match e {
            BrokerError::Entra(EntraError::Refused(r)) => Self::new(
                Exit::Refused,
                explain_refusal(&r, &r.diagnosis().fix_for(name, interactive)),
            ),
            other => other.into(),
        }
    }
}

/// What happened, Entra's own words, cause, `fix`, setup step, and the ids to quote to an admin.
fn explain_refusal(r: &Refusal, fix: &str) -> String {
    let dx = r.diagnosis();
    // Every field of the body is Entra's (or a hostile server's): one line each, no controls.
    let safe = |s: &str| lcsauth::sanitize::line(s).into_owned();
    let mut out = safe(&r.to_string());
    if let Some(desc) = r.description_line() {
        let _ = write!(out, "\n  Entra says: {}", safe(desc));
    }
    let _ = write!(out, "\n  cause: {}", dx.cause);
    let _ = write!(out, "\n  fix:   {fix}");
    if let Some(step) = dx.article_step.and_then(|s| ARTICLE_STEPS.get(usize::from(s) - 1)) {
        let _ = write!(out, "\n  setup: revisit {step}");
    }
    if r.is_claims_challenge() {
        let _ = write!(
            out,
            "\n  claims: Entra sent a claims challenge; only an interactive sign-in can answer it"
        );
    }
    // The ids come from the fields, or from the description when a library or proxy dropped them.
    let ids: Vec<String> = [
        ("trace id", r.trace_id()),
        ("correlation id", r.correlation_id()),
        ("time", r.timestamp()),
    ]
    .iter()
    .filter_map(|(k, v)| v.map(|v| format!("{k} {}", safe(v))))
    .collect();
    if !ids.is_empty() {
        let _ = write!(out, "\n  quote to your admin: {}", ids.join(", "));
    }
    if let Some(uri) = r.code_page() {
        let _ = write!(out, "\n  more: {}", safe(&uri));
    }
    out
}

/// Prints the failure to stderr and returns its exit code.
pub fn report(f: &Failure) -> ExitCode {
    if !f.message.is_empty() {
        // The one exit of every failure: Entra's words, file values and argv echoed in the
        // message cannot drive the terminal.
        eprintln!("error: {}", lcsauth::sanitize::text(&f.message));
    }
    f.exit.into()
}
