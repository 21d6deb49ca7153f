//! What happened (messages into `App::update`) and what to do about it (commands out of it).
//!
//! Every slow operation is a pair: `update` returns a `Command`, the loop runs it off the UI
//! thread, and its result comes back as a `Msg`.

use std::time::Duration;

use crossterm::event::KeyEvent;
use jiff::Timestamp;

use lcsauth::broker::{BrokerError, DeviceCodeInfo, ProfileState, Source};
use lcsauth::clipboard::ClipboardError;
use lcsauth::lcs::{ProbeError, Verdict};
use lcsauth::profile::store::{Config, ConfigError};
use lcsauth::profile::{Flow, Profile, ProfileName, ProjectId};
use lcsauth::secret::{Secret, StoreError};

use super::edit::{Edit, EditError};

/// Something that happened: input, time passing, or the end of a side effect.
#[derive(Debug)]
pub enum Msg {
    /// A key was pressed.
    Key(KeyEvent),
    /// The terminal changed size.
    Resize { width: u16, height: u16 },
    /// A second passed: countdowns move and due auto-refreshes start.
    Tick,
    /// The profiles and their token metadata were read.
    Loaded(Result<Snapshot, ConfigError>),
    /// A token request for a profile ended; `state` is its metadata afterwards. A failure is
    /// the broker's own error: `update` decides what it means and how it reads.
    Fetched {
        name: ProfileName,
        state: Box<ProfileState>,
        outcome: Result<Got, Box<BrokerError>>,
    },
    /// A copied token reached the clipboard, or has to go through the terminal.
    Copied {
        name: ProfileName,
        result: Result<CopyVia, ClipboardError>,
    },
    /// The clipboard's clear-after deadline passed; `cleared` is false when the user had
    /// copied something else meanwhile (and it was left alone).
    ClipboardSettled { cleared: bool },
    /// The cached access token of a profile, read for the reveal.
    Revealed {
        name: ProfileName,
        token: Result<Option<Secret>, StoreError>,
    },
    /// A change to `profiles.toml` ended.
    Saved { result: Result<Edit, EditError> },
    /// An interactive sign-in got its device code from Entra; polling has started.
    DeviceCode { name: ProfileName, info: DeviceCodeInfo },
    /// A browser sign-in has its URL; `opened` says whether a browser was started.
    BrowserOpened {
        name: ProfileName,
        url: String,
        opened: bool,
    },
    /// The device code (or the sign-in URL) reached the clipboard, or has to go through the
    /// terminal.
    CodeCopied {
        name: ProfileName,
        result: Result<CopyVia, ClipboardError>,
    },
    /// `i` changed the profile's flow in `profiles.toml` (`Ok` holds the profile as saved).
    FlowSwitched {
        name: ProfileName,
        result: Result<Profile, EditError>,
    },
    /// An LCS probe ended; `state` is the profile's token metadata afterwards (the probe may
    /// have fetched a token).
    Probed {
        name: ProfileName,
        project: ProjectId,
        outcome: ProbeOutcome,
        state: Option<Box<ProfileState>>,
    },
    /// `profiles.toml` or a token state file changed on disk (another lcsauth, an editor).
    ProfilesChanged,
    /// The process was asked to end (SIGTERM, SIGHUP).
    Terminate,
}

/// What a probe found, or why it found nothing.
#[derive(Debug)]
pub enum ProbeOutcome {
    /// LCS answered.
    Verdict(Verdict),
    /// Not sent: the project was probed less than ten seconds ago (LCS allows six a minute).
    Cooldown(ProbeError),
    /// Not sent: there is no token to probe with.
    NoToken(BrokerError),
    /// No answer: LCS could not be reached.
    Unreachable(ProbeError),
    /// The cooldown slot could not be claimed: its task ended early.
    Interrupted(tokio::task::JoinError),
}

/// `profiles.toml` and the token metadata of each profile, in the same order.
#[derive(Debug, Default)]
pub struct Snapshot {
    pub config: Config,
    pub states: Vec<ProfileState>,
}

/// A token was handed out (the token itself stays in the worker or goes to the clipboard).
#[derive(Debug)]
pub struct Got {
    pub expires_at: Timestamp,
    pub source: Source,
    pub warnings: Vec<String>,
}

/// Where a copied token went.
#[derive(Debug)]
pub enum CopyVia {
    /// The system clipboard, cleared after `clear_after` if it still holds the token.
    Clipboard { clear_after: Duration },
    /// No display: the terminal must be asked to set its clipboard (OSC 52).
    Terminal { text: Secret, reason: String },
}

/// Why a token is being fetched; decides what happens when it arrives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// `r`: a fresh token now.
    Refresh,
    /// `c`: a fresh token, then the clipboard.
    Copy,
    /// Before it falls under `min_valid`, in the background.
    Auto,
    /// A sign-in with a password typed now.
    SignIn,
}

/// A token request to run.
#[derive(Debug)]
pub struct FetchJob {
    pub profile: Profile,
    pub min_valid: Duration,
    /// Ignore the cached access token.
    pub force: bool,
    /// Sign in with the profile's own flow (skips the refresh token).
    pub sign_in: bool,
    pub password: Option<Secret>,
    /// Copy the token afterwards, clearing the clipboard after this long.
    pub copy: Option<Duration>,
    /// The audience of the identity the token is for.
    pub audience: lcsauth::audience::Audience,
}

/// A profile to add (no `original`) or to replace.
#[derive(Debug)]
pub struct SaveJob {
    pub original: Option<Profile>,
    pub profile: Profile,
    /// Typed in the form: sign in right after saving.
    pub password: Option<Secret>,
}

/// One read-only LCS call with a fresh token.
#[derive(Debug)]
pub struct ProbeJob {
    pub profile: Profile,
    pub project: ProjectId,
    pub timeout: Duration,
}

/// A side effect for the loop to run; its result comes back as a `Msg`.
#[derive(Debug)]
pub enum Command {
    /// Read `profiles.toml` and every state file again.
    Load,
    Fetch(FetchJob),
    /// Read the cached access token to show it.
    Reveal(Profile),
    /// Make the profile the default in `profiles.toml`.
    SetDefault(ProfileName),
    Save(SaveJob),
    /// Remove the profile and its secrets.
    Delete(ProfileName),
    /// Stop an interactive sign-in: its task is dropped, nothing is stored.
    CancelSignIn(ProfileName),
    /// Put a device code or sign-in URL on the clipboard. Neither signs anyone in on its own,
    /// so it is not cleared afterwards.
    CopyCode {
        name: ProfileName,
        text: String,
    },
    /// Set the flow of `original` in `profiles.toml`, refusing if it changed on disk meanwhile.
    SwitchFlow {
        original: Profile,
        flow: Flow,
    },
    Probe(ProbeJob),
    /// Write an OSC 52 clipboard request to the terminal (done by the loop, between frames).
    Osc52(Secret),
    /// Leave: restore the terminal and exit.
    Quit,
}
