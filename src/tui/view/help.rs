//! The `?` overlay: the keys of every layer, printed from the keymap tables that handle them.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::layout::centered;
use super::text::wrap;
use super::theme::Theme;
use crate::tui::app::state::App;
use crate::tui::keymap::{Keys, Layer, Row};
use crate::tui::time::age;

const KEY_WIDTH: usize = 9;
const COLUMN: usize = KEY_WIDTH + 30;
/// Width of a small layer's name before its keys.
const TITLE_WIDTH: usize = 10;

fn cell(row: Row, t: Theme) -> Vec<Span<'static>> {
    vec![
        Span::styled(format!("{:<KEY_WIDTH$}", row.label), t.key()),
        Span::raw(format!("{:<w$}", row.help, w = COLUMN - KEY_WIDTH)),
    ]
}

/// A table in two columns, top to bottom then left to right.
fn section(title: &str, rows: &[Row], t: Theme, out: &mut Vec<Line<'static>>) {
    out.push(Line::from(Span::styled(title.to_string(), t.strong())));
    let half = rows.len().div_ceil(2);
    for i in 0..half {
        let mut spans = cell(rows[i], t);
        if let Some(right) = rows.get(i + half) {
            spans.extend(cell(*right, t));
        }
        out.push(Line::from(spans));
    }
}

/// A small layer in one column: its name, then its keys as the hint line shows them.
fn compact(title: &str, hints: &[(&'static str, &'static str)], t: Theme) -> Vec<Span<'static>> {
    let mut spans = vec![Span::styled(format!("{title:<TITLE_WIDTH$}"), t.strong())];
    let mut used = TITLE_WIDTH.max(title.chars().count());
    for (k, w) in hints {
        let word = format!(" {w}  ");
        used += k.chars().count() + word.chars().count();
        spans.push(Span::styled(*k, t.key()));
        spans.push(Span::raw(word));
    }
    spans.push(Span::raw(" ".repeat(COLUMN.saturating_sub(used))));
    spans
}

/// Every layer's keys, the board first, then what opens over it (`Layer::ALL` from the
/// bottom): the board and the form as tables, the small layers two to a line.
pub fn lines(app: &App) -> Vec<Line<'static>> {
    let t = app.theme;
    let s = &app.roster.settings;
    let mut out = Vec::new();
    let mut small = Vec::new();
    for layer in Layer::ALL.into_iter().rev() {
        match layer.keys() {
            keys @ (Keys::Board(_) | Keys::Form(_)) => section(layer.title(), &keys.rows(), t, &mut out),
            keys @ Keys::List(_) => small.push(compact(layer.title(), &keys.hints(), t)),
        }
    }
    for pair in small.chunks(2) {
        out.push(Line::from(pair.concat()));
    }
    let note = format!(
        "c and r: at least {} left; the clipboard clears after {} if unchanged.",
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
