//! What a check found: its level and the words for the person reading it.

use serde::Serialize;

/// How bad a finding is; the worst one decides the exit of `doctor`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Ok,
    Warn,
    Fail,
}

/// One check's result: what was checked, what was found, and how to fix it.
#[derive(Clone, Debug, Serialize)]
pub struct Finding {
    pub check: String,
    pub level: Level,
    pub detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
}

impl Finding {
    /// A finding of `check`, with the fix to offer when there is one.
    pub fn new(check: impl Into<String>, level: Level, detail: impl Into<String>, fix: Option<String>) -> Self {
        Self {
            check: check.into(),
            level,
            detail: detail.into(),
            fix,
        }
    }
}
