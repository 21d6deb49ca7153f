//! `p`: one read-only LCS call for the selected profile, and its verdict for the detail pane.
//! The worker claims the per-project cooldown slot, gets a fresh token and calls LCS; `App`
//! only keeps what was asked and what came back.

use jiff::Timestamp;

use lcsauth::broker::{BrokerError, ProfileState};
use lcsauth::lcs::Verdict;
use lcsauth::profile::{ProfileName, ProjectId};

use super::state::{Finding, ProbeView};
use crate::tui::app::msg::{Command, ProbeJob, ProbeOutcome};
use crate::tui::app::notice::Level;
use crate::tui::app::state::App;

impl App {
    pub(crate) fn start_probe(&mut self, now: Timestamp) -> Option<Command> {
        let timeout = self.roster.settings.http_timeout;
        let entry = self.roster.selected()?;
        let name = entry.name().clone();
        let Some(project) = entry.profile.project_id.clone() else {
            self.say(
                Level::Warning,
                format!(
                    "'{name}' has no LCS project id: e, Advanced, Project id (the number in the LCS portal URL /V2/ProjectOverview/<id>), or `lcsauth profile edit {name} --project-id ID`."
                ),
                now,
            );
            return None;
        };
        if entry.probe.as_ref().is_some_and(|p| p.running) {
            self.say(Level::Info, format!("A probe of '{name}' is already running."), now);
            return None;
        }
        let profile = entry.profile.clone();
        let entry = self.roster.get_mut(name.as_str())?;
        match entry.probe.as_mut().filter(|p| p.project == project) {
            // The last verdict stays on screen until the new one replaces it.
            Some(view) => view.running = true,
            None => {
                entry.probe = Some(ProbeView {
                    project: project.clone(),
                    running: true,
                    last: None,
                });
            }
        }
        Some(Command::Probe(ProbeJob {
            profile,
            project,
            timeout,
        }))
    }

    pub(crate) fn on_probed(
        &mut self,
        name: &ProfileName,
        project: &ProjectId,
        outcome: ProbeOutcome,
        state: Option<ProfileState>,
        now: Timestamp,
    ) -> Option<Command> {
        let min_valid = self.roster.settings.min_valid;
        let entry = self.roster.get_mut(name.as_str())?;
        if let Some(state) = state {
            entry.set_state(state, min_valid);
        }
        let mut view = entry
            .probe
            .take()
            .filter(|p| p.project == *project)
            .unwrap_or(ProbeView {
                project: project.clone(),
                running: false,
                last: None,
            });
        view.running = false;
        let (level, text) = match outcome {
            ProbeOutcome::Verdict(verdict) => {
                let (level, word) = (level(&verdict), verdict.headline());
                view.last = Some((Finding::Verdict(verdict), now));
                (level, format!("Probe of '{name}' (project {project}): {word}."))
            }
            // Nothing was asked: the previous verdict (if any) still stands.
            ProbeOutcome::Cooldown(why) => (Level::Warning, format!("Probe not sent: {why}.")),
            failed => {
                let message = failure_text(&failed);
                let text = format!("Probe of '{name}' failed: {message}");
                view.last = Some((Finding::Failed(message), now));
                (Level::Error, text)
            }
        };
        entry.probe = view.last.is_some().then_some(view);
        self.say(level, text, now);
        None
    }
}

/// Why a probe found nothing, in the board's words (its way to a token is `r`).
fn failure_text(outcome: &ProbeOutcome) -> String {
    match outcome {
        ProbeOutcome::NoToken(BrokerError::SignInNeeded { .. }) => {
            "there is no token to probe with: press r to sign in first".into()
        }
        ProbeOutcome::NoToken(e) => format!("there is no token to probe with: {e}"),
        ProbeOutcome::Unreachable(e) | ProbeOutcome::Cooldown(e) => e.to_string(),
        ProbeOutcome::Interrupted(e) => e.to_string(),
        ProbeOutcome::Verdict(_) => String::new(),
    }
}

/// How urgent a verdict is on the status line.
fn level(v: &Verdict) -> Level {
    match v {
        Verdict::Works { .. } => Level::Success,
        Verdict::Throttled { .. } => Level::Warning,
        Verdict::TokenRejected | Verdict::NotMember { .. } | Verdict::Refused { .. } | Verdict::Unexpected { .. } => {
            Level::Error
        }
    }
}
