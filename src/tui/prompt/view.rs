//! The questions over the board: delete confirmation and the sign-in password.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use crate::tui::prompt::state::Prompt;
use crate::tui::view::layout::centered;
use crate::tui::view::text::wrap;
use crate::tui::view::theme::Theme;

pub fn render(prompt: &Prompt, t: Theme, frame: &mut Frame, area: Rect) {
    let width = area.width.saturating_sub(4).min(72);
    let room = usize::from(width.saturating_sub(4));
    let (title, text, field) = match prompt {
        Prompt::ConfirmDelete { profile } => (
            " Delete ",
            format!(
                "Delete profile '{}' and its secrets (tokens and any remembered password)? This cannot be undone.",
                profile.name
            ),
            None,
        ),
        Prompt::SignIn { profile, password, .. } => (
            " Sign in ",
            if profile.flow == lcsauth::profile::Flow::ClientSecret {
                format!(
                    "'{}' needs the app's client secret (client-secret flow); it is kept in the OS keyring once Entra accepts it.",
                    profile.name
                )
            } else {
                format!(
                    "'{}' needs a sign-in as {} ({} flow).{}",
                    profile.name,
                    lcsauth::sanitize::line(profile.username.as_deref().unwrap_or("?")),
                    profile.flow,
                    if profile.remember_password {
                        " The password is remembered in the OS keyring."
                    } else {
                        ""
                    }
                )
            },
            Some(password.len()),
        ),
    };
    let mut lines: Vec<Line> = wrap(&text, room)
        .into_iter()
        .map(|l| Line::raw(format!(" {l}")))
        .collect();
    lines.push(Line::raw(""));
    if let Some(len) = field {
        let mask = "•".repeat(len.min(room.saturating_sub(11)));
        lines.push(Line::from(vec![
            Span::styled(" Password: ", t.focus()),
            Span::raw(mask),
        ]));
    } else {
        lines.push(Line::from(vec![
            Span::styled(" y", t.key()),
            Span::raw(" delete   "),
            Span::styled("n", t.key()),
            Span::raw(" keep"),
        ]));
    }
    let height = u16::try_from(lines.len()).unwrap_or(u16::MAX).saturating_add(2);
    let box_area = centered(area, width, height);
    let block = Block::bordered()
        .border_style(if field.is_some() { t.focus() } else { t.error() })
        .title(Line::from(Span::styled(title, t.strong())));
    frame.render_widget(Clear, box_area);
    frame.render_widget(Paragraph::new(lines).block(block), box_area);
    if let Some(len) = field {
        let x = box_area.x + 12 + u16::try_from(len.min(room.saturating_sub(11))).unwrap_or(0);
        frame.set_cursor_position(Position::new(
            x.min(box_area.right().saturating_sub(2)),
            box_area.bottom().saturating_sub(2),
        ));
    }
}
