//! The identity's audiences in the detail pane: one line each with its state, countdown and a
//! bar of its remaining lifetime (the board's own helpers), the one `c` and `r` act on marked.

use std::time::Duration;

use jiff::Timestamp;
use ratatui::style::Style;

use lcsauth::audience::Audience;
use lcsauth::broker::Status;
use lcsauth::token::TokenState;

use super::text::bar;
use super::theme::{Badge, Theme};
use crate::tui::roster::list::Entry;
use crate::tui::time::{between, countdown};

const BAR_WIDTH: usize = 10;

/// The badge of one audience's token.
pub fn badge_of(state: TokenState) -> Badge {
    match state {
        TokenState::Valid => Badge::Valid,
        TokenState::Expiring => Badge::Expiring,
        TokenState::Expired => Badge::Expired,
        TokenState::None => Badge::None,
        TokenState::Error => Badge::Error,
    }
}

/// Adds the "Audiences" lines when the identity has more than its `lcs` audience; `chosen` is
/// the one `c` and `r` act on.
pub fn lines(
    add: &mut impl FnMut(&str, &str, Style),
    entry: &Entry,
    chosen: &Audience,
    min_valid: Duration,
    now: Timestamp,
    theme: Theme,
) {
    let audiences = entry.audiences();
    if audiences.len() < 2 {
        return;
    }
    for (i, audience) in audiences.iter().enumerate() {
        let view = entry.state.view(audience);
        let st = Status::of(view, now, min_valid);
        let b = badge_of(st.token_state);
        let live = st.expires_at.filter(|end| *end > now);
        let (left, gauge) = match (live, &st.state.token) {
            (Some(end), Some(t)) => {
                let left = between(now, end);
                let lifetime = between(t.obtained_at, t.expires_at).as_secs_f64();
                let ratio = if lifetime > 0.0 {
                    left.as_secs_f64() / lifetime
                } else {
                    0.0
                };
                (countdown(left), bar(ratio, BAR_WIDTH))
            }
            _ => ("-".to_string(), String::new()),
        };
        let mark = if audience == chosen { "▸ " } else { "" };
        let left = if live.is_some() {
            format!(" · {left} left {gauge}")
        } else {
            String::new()
        };
        let text = format!("{mark}{} · {}{left}", audience.name(), b.word());
        let label = if i == 0 { "Audiences" } else { "" };
        let style = if audience == chosen {
            theme.badge(b).patch(theme.strong())
        } else {
            theme.badge(b)
        };
        add(label, &text, style);
    }
    add("", "Tab chooses the audience c and r act on", theme.dim());
    if let Some(err) = entry.state.slot(chosen).last_error.filter(|_| !chosen.is_lcs()) {
        add("Audience error", &err.message, theme.error());
        if let Some(fix) = &err.fix {
            add("Fix", fix, theme.strong());
        }
    }
}
