//! The status line's messages: what just happened, and the clipboard's countdown.

use std::time::Duration;

use jiff::Timestamp;

use lcsauth::profile::ProfileName;

use crate::tui::time::later;

/// How long an informational notice stays.
pub const NOTICE_TTL: Duration = Duration::from_secs(8);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Info,
    Success,
    Warning,
    Error,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub level: Level,
    pub text: String,
    /// When it disappears; errors stay until the next notice.
    pub until: Option<Timestamp>,
}

impl Notice {
    pub fn new(level: Level, text: impl Into<String>, now: Timestamp) -> Self {
        let until = (level != Level::Error).then(|| later(now, NOTICE_TTL));
        Self {
            level,
            text: text.into(),
            until,
        }
    }

    pub fn visible(&self, now: Timestamp) -> bool {
        self.until.is_none_or(|u| now < u)
    }
}

/// A token sits on the clipboard.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClipboardHold {
    pub profile: ProfileName,
    /// When the clipboard is cleared, if it still holds the token.
    pub clear_at: Timestamp,
}

/// What the platform's clipboard does to keep a copied token out of history, if anything.
pub fn history_hint() -> Option<&'static str> {
    if cfg!(target_os = "windows") {
        Some("kept out of clipboard history and cloud sync")
    } else if cfg!(target_os = "macos") {
        Some("marked concealed for clipboard history")
    } else if cfg!(unix) {
        Some("marked secret for clipboard history")
    } else {
        None
    }
}
