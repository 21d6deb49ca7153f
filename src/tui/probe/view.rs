//! The LCS probe in the detail pane: the verdict as `lcsauth probe` words it, with keys in
//! place of commands. Words of LCS's answer that look like addresses never reach the screen:
//! LCS answers can carry SAS links.

use jiff::Timestamp;
use ratatui::style::Style;

use lcsauth::lcs::Verdict;
use lcsauth::lcs::explain::Asked;
use lcsauth::profile::ProjectId;

use crate::tui::probe::state::{Finding, ProbeView};
use crate::tui::time::{age, between};
use crate::tui::view::theme::Theme;

/// Replaces every word that looks like an address (or a SAS signature) with a placeholder.
pub fn hide_urls(text: &str) -> String {
    text.split(' ')
        .map(|w| {
            let lower = w.to_ascii_lowercase();
            if lower.contains("://") || lower.contains("sig=") || lower.starts_with("www.") {
                "<address hidden>"
            } else {
                w
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The sentence for a finding, and how it is shown: the library's, with the key that gets a
/// fresh token where that is the way forward.
pub fn verdict_text(finding: &Finding, project: &ProjectId, t: Theme) -> (String, Style) {
    let v = match finding {
        Finding::Failed(message) => return (format!("not probed: {message}"), t.error()),
        Finding::Verdict(v) => v,
    };
    let asked = Asked {
        project: project.as_str(),
        profile: None,
        api_host: None,
    };
    let text = v.explain(asked, hide_urls);
    match v {
        Verdict::Works { .. } => (text, t.ok()),
        Verdict::TokenRejected => (format!("{text}: check the region, then r for a fresh token"), t.error()),
        Verdict::Throttled { .. } => (text, t.warn()),
        Verdict::NotMember { .. } | Verdict::Refused { .. } | Verdict::Unexpected { .. } => (text, t.error()),
    }
}

/// The probe's lines: its verdict and age, then the environments it listed.
pub fn lines(add: &mut impl FnMut(&str, &str, Style), view: &ProbeView, now: Timestamp, t: Theme) {
    const LABEL: &str = "LCS probe";
    let project = &view.project;
    let Some((finding, at)) = &view.last else {
        add(LABEL, &format!("project {project}: asking LCS…"), t.dim());
        return;
    };
    let (text, style) = verdict_text(finding, project, t);
    let when = if view.running {
        " · asking again…".to_string()
    } else {
        format!(" ({} ago)", age(between(*at, now)))
    };
    add(LABEL, &format!("{text}{when}"), style);
    if let Finding::Verdict(Verdict::Works { environments, .. }) = finding {
        for e in environments {
            let field = |v: &Option<String>| hide_urls(v.as_deref().unwrap_or("-"));
            let text = format!(
                "{} · {} · {}",
                field(&e.environment_name),
                field(&e.environment_type),
                field(&e.deployment_status_display)
            );
            add("", &text, Style::new());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_and_sas_signatures_in_lcs_messages_are_hidden() {
        let text = "see https://x.blob.core.windows.net/c/f?sv=1&sig=abc or www.example.com, then retry";
        let shown = hide_urls(text);
        assert_eq!(shown, "see <address hidden> or <address hidden> then retry");
        assert_eq!(hide_urls("User is not a member"), "User is not a member");
    }
}
