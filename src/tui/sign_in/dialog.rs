//! The dialog of an interactive sign-in in progress: which profile, which flow, how far it got.

use lcsauth::broker::DeviceCodeInfo;
use lcsauth::profile::{Flow, ProfileName};

/// The dialog of an interactive sign-in in progress.
#[derive(Debug)]
pub struct SignInDialog {
    pub profile: ProfileName,
    pub flow: Flow,
    pub stage: Stage,
    /// What became of copying the code (or the URL): `Ok` says where it went.
    pub copied: Option<Result<&'static str, String>>,
}

/// How far the sign-in got.
#[derive(Debug)]
pub enum Stage {
    /// Asking Entra for a device code, or opening the loopback listener.
    Starting,
    /// The user enters the code at the address; lcsauth polls meanwhile.
    DeviceCode(DeviceCodeInfo),
    /// The browser was sent to the sign-in page (or the user must open it).
    Browser { url: String, opened: bool },
}
