//! The two bottom lines: the status line (notices, the clipboard countdown, the filter being
//! typed) and the hint line of the keys that work right now, from the table of the top layer.

use jiff::Timestamp;
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::theme::Theme;
use crate::tui::app::notice::Level;
use crate::tui::app::state::App;
use crate::tui::keymap::{Action, Keys};
use crate::tui::time::{between, countdown};

pub fn render_status(app: &App, now: Timestamp, frame: &mut Frame, area: Rect) {
    let t = app.theme;
    if let Some(input) = &app.filter_input {
        let width = usize::from(area.width.saturating_sub(1));
        let scroll = input.visual_scroll(width);
        let shown: String = input.value().chars().skip(scroll).collect();
        frame.render_widget(
            Paragraph::new(Line::from(vec![Span::styled("/", t.key()), Span::raw(shown)])),
            area,
        );
        let x = input.visual_cursor().saturating_sub(scroll);
        frame.set_cursor_position(Position::new(area.x + 1 + u16::try_from(x).unwrap_or(0), area.y));
        return;
    }
    // The countdown comes first, so a long notice is what gets cut, never the countdown.
    let mut spans = Vec::new();
    if let Some(hold) = &app.clipboard {
        let left = countdown(between(now, hold.clear_at));
        spans.push(Span::styled(format!(" clipboard clears in {left} "), t.selected()));
        spans.push(Span::raw(" "));
    }
    if let Some(n) = app.notice.as_ref().filter(|n| n.visible(now)) {
        let style = match n.level {
            Level::Info => ratatui::style::Style::new(),
            Level::Success => t.ok(),
            Level::Warning => t.warn(),
            Level::Error => t.error(),
        };
        spans.push(Span::styled(n.text.clone(), style));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// `(keys, word)` pairs of the layer that takes keys now.
fn current_hints(app: &App) -> Vec<(&'static str, &'static str)> {
    match app.top_layer().keys() {
        // `i` is offered only where it applies.
        Keys::Board(table) => {
            let offered = app.switch_flow_offer().is_some();
            table
                .iter()
                .filter(|b| offered || b.action != Action::SwitchFlow)
                .filter_map(|b| b.hint)
                .collect()
        }
        keys => keys.hints(),
    }
}

/// As many hints as fit, in order, always keeping the last two (help and quit on the board).
pub fn fit(hints: &[(&str, &str)], width: usize) -> Vec<usize> {
    let cost = |(k, w): &(&str, &str)| k.chars().count() + 1 + w.chars().count() + 2;
    let tail = hints.len().saturating_sub(2);
    let mut used: usize = hints[tail..].iter().map(cost).sum();
    let mut keep = Vec::new();
    for (i, h) in hints[..tail].iter().enumerate() {
        if used + cost(h) > width {
            break;
        }
        used += cost(h);
        keep.push(i);
    }
    keep.extend(tail..hints.len());
    keep
}

pub fn render_hints(app: &App, frame: &mut Frame, area: Rect) {
    let t: Theme = app.theme;
    let hints = current_hints(app);
    let mut spans = Vec::new();
    for i in fit(&hints, usize::from(area.width)) {
        let (k, w) = hints[i];
        spans.push(Span::styled(k, t.key()));
        spans.push(Span::raw(format!(" {w}  ")));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_that_do_not_fit_are_dropped_but_the_last_two_stay() {
        let hints = [("a", "add"), ("b", "bbb"), ("?", "help"), ("q", "quit")];
        assert_eq!(fit(&hints, 100), vec![0, 1, 2, 3]);
        assert_eq!(fit(&hints, 23), vec![0, 2, 3]);
        assert_eq!(fit(&hints, 22), vec![2, 3]);
        assert_eq!(fit(&hints, 3), vec![2, 3]);
        assert_eq!(fit(&[("x", "close")], 3), vec![0]);
    }
}
