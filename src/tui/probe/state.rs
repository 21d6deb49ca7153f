//! What the board remembers of the probe of a profile: whether one is in flight, and the last
//! answer for its project.

use jiff::Timestamp;

use lcsauth::lcs::Verdict;
use lcsauth::profile::ProjectId;

/// The probe of a profile: whether one is in flight, and the last answer for its project.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProbeView {
    pub project: ProjectId,
    pub running: bool,
    /// What the last probe of `project` found, and when.
    pub last: Option<(Finding, Timestamp)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Finding {
    Verdict(Verdict),
    /// No answer: no token, or LCS unreachable.
    Failed(String),
}
