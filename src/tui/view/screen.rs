//! The whole screen: title, board and detail (or the setup steps), the two bottom lines, and
//! the overlay of the layer on top. A pure function of `App` and `now`.

use jiff::Timestamp;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{board, detail, help, layout, onboarding, status_line};
use crate::tui::app::state::App;
use crate::tui::form::view as form_view;
use crate::tui::prompt::view as prompt_view;
use crate::tui::sign_in::view as sign_in_view;
use crate::tui::time::clock;

/// Draws the whole screen for `now`.
pub fn render(app: &App, now: Timestamp, frame: &mut Frame) {
    let area = frame.area();
    if area.width < layout::MIN_WIDTH || area.height < layout::MIN_HEIGHT {
        let text = format!(
            "lcsauth needs at least {}×{} (now {}×{}); q quits",
            layout::MIN_WIDTH,
            layout::MIN_HEIGHT,
            area.width,
            area.height
        );
        frame.render_widget(Paragraph::new(text).wrap(ratatui::widgets::Wrap { trim: true }), area);
        return;
    }
    let t = app.theme;
    let onboarding = app.loaded && app.roster.is_empty();
    let a = layout::areas(area, app.roster.visible_len());
    render_title(app, now, frame, a.title);
    if onboarding {
        let [body] = Layout::vertical([Constraint::Fill(1)]).areas(a.board.union(a.detail));
        onboarding::render(app, frame, body);
    } else {
        board::render(app, now, frame, a.board);
        detail::render(app, now, frame, a.detail);
    }
    status_line::render_status(app, now, frame, a.status);
    status_line::render_hints(app, frame, a.hints);
    if let Some(f) = app.form.as_ref().filter(|f| !(onboarding && f.onboarding)) {
        form_view::render(f, t, frame, area);
    }
    if let Some(p) = &app.prompt {
        prompt_view::render(p, t, frame, area);
    }
    if let Some(d) = &app.sign_in {
        sign_in_view::render(app, d, now, frame, area);
    }
    if app.help {
        help::render(app, frame, area);
    }
}

fn render_title(app: &App, now: Timestamp, frame: &mut Frame, area: ratatui::layout::Rect) {
    let t = app.theme;
    let n = app.roster.entries().len();
    let mut spans = vec![Span::styled(" lcsauth ", t.title())];
    if let Some(banner) = &app.banner {
        spans.push(Span::styled(format!("{banner} "), t.warn()));
    } else {
        let default = app
            .roster
            .default
            .as_ref()
            .map_or_else(|| "none".to_string(), ToString::to_string);
        spans.push(Span::raw(format!(
            "{n} profile{} · default {default} ",
            if n == 1 { "" } else { "s" }
        )));
    }
    let time = format!(" {} ", clock(now, &app.tz));
    let [left, right] = Layout::horizontal([
        Constraint::Fill(1),
        Constraint::Length(u16::try_from(time.len()).unwrap_or(0)),
    ])
    .areas(area);
    frame.render_widget(Paragraph::new(Line::from(spans)), left);
    frame.render_widget(Paragraph::new(Span::styled(time, t.dim())), right);
}
