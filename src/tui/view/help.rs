//! The `?` overlay, printed from the keymap tables that handle the keys.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::layout::centered;
use super::text::wrap;
use super::theme::Theme;
use crate::tui::app::state::App;
use crate::tui::keymap::{self, Binding};
use crate::tui::time::age;

const KEY_WIDTH: usize = 9;
const COLUMN: usize = KEY_WIDTH + 30;

fn cell<A>(b: &Binding<A>, t: Theme) -> Vec<Span<'static>> {
    vec![
        Span::styled(format!("{:<KEY_WIDTH$}", b.label), t.key()),
        Span::raw(format!("{:<w$}", b.help, w = COLUMN - KEY_WIDTH)),
    ]
}

/// A table in two columns, top to bottom then left to right.
fn section<A>(title: &str, table: &[Binding<A>], t: Theme, out: &mut Vec<Line<'static>>) {
    out.push(Line::from(Span::styled(title.to_string(), t.strong())));
    let half = table.len().div_ceil(2);
    for i in 0..half {
        let mut spans = cell(&table[i], t);
        if let Some(right) = table.get(i + half) {
            spans.extend(cell(right, t));
        }
        out.push(Line::from(spans));
    }
}

pub fn lines(app: &App) -> Vec<Line<'static>> {
    let t = app.theme;
    let s = &app.roster.settings;
    let mut out = Vec::new();
    section("Board", keymap::BOARD, t, &mut out);
    out.push(Line::raw(""));
    section("Add and edit form", keymap::FORM, t, &mut out);
    out.push(Line::raw(""));
    let note = format!(
        "c and r hand out a token valid at least {} (min_valid); the clipboard is cleared after {} if it still holds it.",
        age(s.min_valid),
        age(s.clear_after)
    );
    out.extend(wrap(&note, COLUMN * 2).into_iter().map(|l| Line::styled(l, t.dim())));
    out
}

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let t = app.theme;
    let lines = lines(app);
    let height = u16::try_from(lines.len()).unwrap_or(u16::MAX).saturating_add(2);
    let width = u16::try_from(COLUMN * 2).unwrap_or(u16::MAX).saturating_add(2);
    let box_area = centered(area, width, height);
    let block = Block::bordered()
        .border_style(t.focus())
        .title(Line::from(Span::styled(" Keys ", t.strong())))
        .title_bottom(Line::from(Span::styled(" any key closes ", t.dim())).right_aligned());
    frame.render_widget(Clear, box_area);
    frame.render_widget(Paragraph::new(lines).block(block), box_area);
}
