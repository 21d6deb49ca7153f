//! The worker's side of `p`: the per-project cooldown shared with `lcsauth probe` (the same
//! stamp file), a fresh token, then one read-only LCS call.

use jiff::Timestamp;

use lcsauth::broker::Ask;
use lcsauth::lcs;

use crate::tui::app::msg::{Msg, ProbeJob, ProbeOutcome};
use crate::tui::shell::worker::Worker;

impl Worker {
    pub(crate) async fn probe(&self, job: ProbeJob) {
        let ProbeJob {
            profile,
            project,
            timeout,
        } = job;
        let dir = self.store.dir().clone();
        let key = project.clone();
        let slot = tokio::task::spawn_blocking(move || lcs::claim_probe_slot(&dir, &key, Timestamp::now())).await;
        let outcome = match slot {
            Err(e) => ProbeOutcome::Interrupted(e),
            Ok(Err(cooldown)) => ProbeOutcome::Cooldown(cooldown),
            Ok(Ok(())) => {
                let ask = Ask {
                    min_valid: lcs::PROBE_MIN_VALID,
                    ..Ask::default()
                };
                match self.broker.fresh(&profile, ask).await {
                    Err(e) => ProbeOutcome::NoToken(e),
                    Ok(issued) => {
                        let api_host = profile.endpoint().api_host;
                        match lcs::probe(&api_host, project.as_str(), &issued.access_token, timeout).await {
                            Ok(verdict) => ProbeOutcome::Verdict(verdict),
                            Err(e) => ProbeOutcome::Unreachable(e),
                        }
                    }
                }
            }
        };
        let state = self.state_of(&profile.name).await;
        self.send(Msg::Probed {
            name: profile.name,
            project,
            outcome,
            state: Some(Box::new(state)),
        });
    }
}
