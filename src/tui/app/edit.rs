//! What a change to `profiles.toml` from the board did, or why it was not made, as the worker
//! reports it: typed, with the library's own errors. `App::update` says it in words.

use jiff::Timestamp;
use tokio::task::JoinError;

use lcsauth::broker::BrokerError;
use lcsauth::broker::change::Effect;
use lcsauth::profile::ProfileName;
use lcsauth::profile::store::ConfigError;

/// A change that was saved.
#[derive(Debug)]
pub enum Edit {
    /// `Enter` (or `-`): the profile is the default now.
    DefaultSet(ProfileName),
    /// `d`: the profile and its secrets are gone.
    Deleted(ProfileName),
    /// The form added a profile.
    Added { name: ProfileName, sign_in: Option<SignIn> },
    /// The form replaced a profile; `effect` is what that did to its tokens.
    Replaced {
        name: ProfileName,
        effect: Effect,
        sign_in: Option<SignIn>,
    },
}

/// The sign-in with the password typed in the form, right after the save: when its token
/// expires, or why it failed (the profile stays saved).
pub type SignIn = Result<Timestamp, BrokerError>;

impl Edit {
    /// The profile to select once the files are read again: the one the form saved.
    pub fn saved_profile(&self) -> Option<&ProfileName> {
        match self {
            Self::Added { name, .. } | Self::Replaced { name, .. } => Some(name),
            Self::DefaultSet(_) | Self::Deleted(_) => None,
        }
    }

    /// The sign-in after the save, if a password was typed.
    pub fn sign_in(&self) -> Option<&SignIn> {
        match self {
            Self::Added { sign_in, .. } | Self::Replaced { sign_in, .. } => sign_in.as_ref(),
            Self::DefaultSet(_) | Self::Deleted(_) => None,
        }
    }
}

/// Why a change was not made.
#[derive(Debug, thiserror::Error)]
pub enum EditError {
    /// `profiles.toml` could not be read or written, or refused the change (a clash, or the
    /// profile changed on disk since the board showed it).
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The keyring refused to forget a deleted profile's secrets: the profile was kept, so
    /// nothing is orphaned.
    #[error("{source}; the profile '{name}' was kept")]
    SecretsKept { name: ProfileName, source: BrokerError },
    /// Saved, but the tokens could not be moved or dropped as the change requires.
    #[error(transparent)]
    Tokens(BrokerError),
    /// The task doing the change ended before it finished.
    #[error(transparent)]
    Interrupted(#[from] JoinError),
}
