//! Health checks behind `lcsauth doctor`: each finding says what was checked, what was found,
//! and how to fix it. One file a subject: the config's trust here, the profiles, the keyring,
//! the clipboard and the sign-in hosts (network) beside it; what a finding is in `finding.rs`.

mod clipboard;
mod finding;
mod keyring;
mod network;
mod profiles;

pub use self::clipboard::clipboard;
pub use self::finding::{Finding, Level};
pub use self::keyring::{keyring, keyring_conflicts};
pub use self::network::{authorities, clock};
pub use self::profiles::profiles;

/// Whether another user could change the config directory (and so redirect a sign-in).
pub fn trust(dir: &crate::paths::ConfigDir) -> Finding {
    match crate::trust::check(dir) {
        Ok(()) => Finding::new(
            "config permissions",
            Level::Ok,
            format!("{} and its files are yours alone", dir.root().display()),
            None,
        ),
        Err(e) => Finding::new(
            "config permissions",
            Level::Fail,
            format!(
                "{} is {}; lcsauth signs in nowhere until this is fixed",
                e.path.display(),
                e.why
            ),
            Some(e.fix),
        ),
    }
}
