//! The add/edit form: one line per field, its problem right under it, and the lists of the
//! region and flow fields.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use crate::tui::form::state::{FieldId, FieldKind, ProfileForm, flow_note};
use crate::tui::view::layout::centered;
use crate::tui::view::text::{LABEL_WIDTH, wrap};
use crate::tui::view::theme::Theme;

/// The form's lines, the line of the focused field, and the cursor column there (text fields).
fn lines(form: &ProfileForm, width: usize, t: Theme) -> (Vec<Line<'static>>, usize, Option<usize>) {
    let errors = form.visible_errors();
    let room = width.saturating_sub(LABEL_WIDTH + 2);
    let mut out = Vec::new();
    let mut focus_line = 0;
    let mut cursor = None;
    for field in form.fields() {
        let focused = field == form.focus;
        if focused {
            focus_line = out.len();
        }
        let marker = if focused { "▸ " } else { "  " };
        let label_style = if focused { t.focus() } else { t.label() };
        let mut spans = vec![Span::styled(
            format!("{marker}{:<LABEL_WIDTH$}", field.label()),
            label_style,
        )];
        match field.kind() {
            FieldKind::Text => {
                let input = form.input(field);
                let value = input.map(tui_input::Input::value).unwrap_or_default();
                if value.is_empty() {
                    spans.push(Span::styled(field.placeholder(form.is_edit()).to_string(), t.dim()));
                    if focused {
                        cursor = Some(0);
                    }
                } else {
                    let scroll = input.map_or(0, |i| i.visual_scroll(room));
                    spans.push(Span::raw(value.chars().skip(scroll).collect::<String>()));
                    if focused {
                        cursor = input.map(|i| i.visual_cursor().saturating_sub(scroll));
                    }
                }
            }
            FieldKind::Secret => {
                if form.password.is_empty() {
                    spans.push(Span::styled(field.placeholder(form.is_edit()).to_string(), t.dim()));
                } else {
                    spans.push(Span::raw("•".repeat(form.password.len().min(room))));
                }
                if focused {
                    cursor = Some(form.password.len().min(room));
                }
            }
            FieldKind::Choice => {
                let (items, current) = form.choices(field);
                let (key, note) = items.get(current).cloned().unwrap_or_default();
                spans.push(Span::styled(format!("‹ {key} ›"), t.strong()));
                spans.push(Span::styled(format!("  {note}"), t.dim()));
            }
            FieldKind::Toggle => {
                let (on, note) = match field {
                    FieldId::Remember => (form.remember, "keep the password in the OS keyring after sign-in"),
                    _ => (
                        form.shows_advanced(),
                        "authority, scope, API host and project id overrides",
                    ),
                };
                spans.push(Span::styled(if on { "[x] yes" } else { "[ ] no " }, t.strong()));
                spans.push(Span::styled(format!("  {note}"), t.dim()));
            }
        }
        out.push(Line::from(spans));
        for (_, message) in errors.iter().filter(|(f, _)| *f == field) {
            for part in wrap(message, room).into_iter().take(3) {
                out.push(Line::from(vec![
                    Span::raw(" ".repeat(LABEL_WIDTH + 2)),
                    Span::styled(part, t.error()),
                ]));
            }
        }
    }
    out.push(Line::raw(""));
    for part in form.conflict.iter().flat_map(|c| wrap(c, width.saturating_sub(2))) {
        out.push(Line::styled(format!("  {part}"), t.warn()));
    }
    if form.saving {
        out.push(Line::styled("  saving…", t.dim()));
    } else if let Some(e) = &form.save_error {
        for part in wrap(e, width.saturating_sub(2)) {
            out.push(Line::styled(format!("  {part}"), t.error()));
        }
    } else if form.flow == lcsauth::profile::Flow::Password {
        out.push(Line::styled(
            "  Enter saves; with a password typed it signs in right away.",
            t.dim(),
        ));
    } else {
        out.push(Line::styled(
            format!("  Enter saves; then r signs in ({}).", flow_note(form.flow)),
            t.dim(),
        ));
    }
    (out, focus_line, cursor)
}

/// Height the form needs at `width`.
pub fn height(form: &ProfileForm, width: u16, t: Theme) -> u16 {
    let (l, _, _) = lines(form, usize::from(width.saturating_sub(2)), t);
    u16::try_from(l.len()).unwrap_or(u16::MAX).saturating_add(2)
}

/// Draws the form in `area` (a box of its own; the caller chose where).
pub fn render_in(form: &ProfileForm, t: Theme, frame: &mut Frame, area: Rect) {
    let inner_w = usize::from(area.width.saturating_sub(2));
    let (all, focus_line, cursor) = lines(form, inner_w, t);
    let rows = usize::from(area.height.saturating_sub(2));
    // Keep the focused field on screen when the form is taller than the box.
    let skip = if all.len() > rows {
        focus_line.saturating_sub(rows / 2).min(all.len() - rows)
    } else {
        0
    };
    let title = match &form.original {
        Some(p) => format!(" Edit profile '{}' ", p.name),
        None => " Add a profile ".to_string(),
    };
    let block = Block::bordered()
        .border_style(t.focus())
        .title(Line::from(Span::styled(title, t.strong())));
    frame.render_widget(Clear, area);
    let shown: Vec<Line> = all.into_iter().skip(skip).take(rows).collect();
    frame.render_widget(Paragraph::new(shown).block(block), area);
    if let (Some(col), None) = (cursor, form.picker) {
        let x = area.x + 1 + u16::try_from(LABEL_WIDTH + 2 + col).unwrap_or(0);
        let y = area.y + 1 + u16::try_from(focus_line.saturating_sub(skip)).unwrap_or(0);
        if x < area.right().saturating_sub(1) && y < area.bottom().saturating_sub(1) {
            frame.set_cursor_position(Position::new(x, y));
        }
    }
    if let Some(picker) = form.picker {
        render_picker(form, picker.field, picker.cursor, t, frame, area);
    }
}

/// Draws the form over the board.
pub fn render(form: &ProfileForm, t: Theme, frame: &mut Frame, area: Rect) {
    let width = area.width.saturating_sub(4).min(96);
    let box_area = centered(area, width, height(form, width, t));
    render_in(form, t, frame, box_area);
}

fn render_picker(form: &ProfileForm, field: FieldId, cursor: usize, t: Theme, frame: &mut Frame, over: Rect) {
    let (items, current) = form.choices(field);
    let lines: Vec<Line> = items
        .iter()
        .enumerate()
        .map(|(i, (key, note))| {
            let mark = if i == current { "*" } else { " " };
            let line = Line::from(vec![
                Span::styled(format!("{mark} {key:<12}"), t.strong()),
                Span::styled(note.clone(), Style::new()),
            ]);
            if i == cursor { line.style(t.selected()) } else { line }
        })
        .collect();
    let height = u16::try_from(lines.len()).unwrap_or(u16::MAX).saturating_add(2);
    let area = centered(over, over.width.saturating_sub(6).min(80), height);
    let block = Block::bordered()
        .border_style(t.focus())
        .title(Line::from(Span::styled(format!(" {} ", field.label()), t.strong())));
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
