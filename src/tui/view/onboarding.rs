//! First run, no profiles yet: the setup steps of the vendor article, then the add form.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::text::wrap;
use super::theme::Theme;
use crate::tui::app::state::App;
use crate::tui::form::view as form_view;

/// The steps an Entra admin takes once per tenant ("Database movement API - Authentication").
pub const STEPS: [&str; 4] = [
    "App registrations > New registration (single tenant); note its Application (client) ID.",
    "API permissions > Dynamics Lifecycle services (913c6de4-2a4a-4a61-a9ce-945d2b2ce2e0) > delegated user_impersonation > Grant admin consent.",
    "Authentication > Advanced settings > Allow public client flows = Yes.",
    "Fill in the form below; type the password to sign in right away.",
];

/// What a first-time user needs to know besides the steps.
pub const NOTES: [&str; 2] = [
    "LCS: the account must be Project owner or Environment admin in the project.",
    "MFA account → device code or browser (the password flow cannot pass MFA).",
];

fn step_lines(t: Theme, width: usize) -> Vec<Line<'static>> {
    let demo = "No profiles yet. To see lcsauth work without a tenant: q, then `lcsauth demo`.";
    let intro = "Once per tenant, an Entra admin prepares an app registration:";
    let mut out: Vec<Line<'static>> = wrap(demo, width)
        .into_iter()
        .chain(wrap(intro, width))
        .map(|l| Line::styled(l, t.strong()))
        .collect();
    for (i, step) in STEPS.iter().enumerate() {
        for (j, part) in wrap(step, width.saturating_sub(3)).into_iter().enumerate() {
            let head = if j == 0 {
                format!("{}. ", i + 1)
            } else {
                "   ".to_string()
            };
            out.push(Line::from(vec![Span::styled(head, t.key()), Span::raw(part)]));
        }
    }
    for note in NOTES {
        for (j, part) in wrap(note, width.saturating_sub(3)).into_iter().enumerate() {
            let head = if j == 0 { " • " } else { "   " };
            out.push(Line::from(vec![Span::styled(head, t.key()), Span::raw(part)]));
        }
    }
    out
}

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let t = app.theme;
    let steps = step_lines(t, usize::from(area.width.saturating_sub(2)));
    let steps_height = u16::try_from(steps.len()).unwrap_or(u16::MAX).saturating_add(2);
    let [top, rest] = Layout::vertical([Constraint::Length(steps_height), Constraint::Fill(1)]).areas(area);
    let block = Block::bordered()
        .border_style(t.border())
        .title(Line::from(Span::styled(" Welcome to lcsauth ", t.title())));
    frame.render_widget(Paragraph::new(steps).block(block), top);
    match &app.form {
        Some(f) if f.onboarding => form_view::render_in(f, t, frame, rest),
        _ => frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::raw(" Press "),
                Span::styled("a", t.key()),
                Span::raw(" to add your first profile, "),
                Span::styled("?", t.key()),
                Span::raw(" for the keys, "),
                Span::styled("q", t.key()),
                Span::raw(" to quit."),
            ])),
            rest,
        ),
    }
}
