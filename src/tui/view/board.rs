//! The profile table: only the rows on screen are built, each with its live countdown and a bar
//! of the token's remaining lifetime, computed from `now`.

use jiff::Timestamp;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Row, Table};

use lcsauth::profile::Flow;
use lcsauth::token::TokenState;

use super::text::{bar, fit};
use super::theme::Badge;
use crate::tui::app::state::App;
use crate::tui::roster::list::Entry;
use crate::tui::time::between;
use lcsauth::time::duration::text as human;

const BAR_WIDTH: u16 = 10;

/// The lifetime gauge's full length: an hour, the usual lifetime of an Entra token. One rule
/// for every row: the bar's length is the time left on this scale, its colour the row's state,
/// so a 16-minute token shows a quarter bar and a long bar is never red (red is under a minute).
pub const GAUGE_SCALE: std::time::Duration = std::time::Duration::from_secs(3600);

/// How much of the gauge a token with `left` to live fills (0–1).
pub fn gauge(left: std::time::Duration) -> f64 {
    (left.as_secs_f64() / GAUGE_SCALE.as_secs_f64()).min(1.0)
}

/// The badge of a row at `now`.
pub fn badge(e: &Entry, now: Timestamp, min_valid: std::time::Duration) -> Badge {
    if e.busy.is_some() {
        return Badge::Refreshing;
    }
    match e.token_state(now, min_valid) {
        TokenState::Valid => Badge::Valid,
        TokenState::Expiring => Badge::Expiring,
        TokenState::Expired => Badge::Expired,
        TokenState::None => Badge::None,
        TokenState::Error => Badge::Error,
    }
}

fn flow_word(f: Flow) -> &'static str {
    match f {
        Flow::Password => "password",
        Flow::DeviceCode => "device",
        Flow::Browser => "browser",
        Flow::ClientSecret => "secret",
    }
}

/// The widths the name and user columns get on screen, so their text is cut with `…`.
#[derive(Clone, Copy)]
struct Room {
    name: usize,
    user: usize,
}

fn row<'a>(app: &App, e: &'a Entry, selected: bool, wide: bool, room: Room, now: Timestamp) -> Row<'a> {
    let theme = app.theme;
    let b = badge(e, now, app.roster.settings.min_valid);
    let live = e.expires_at().filter(|end| *end > now);
    let left = live.map(|end| between(now, end));
    // A failed request with a token still alive: the row says so and keeps counting down.
    let stale = e.state.last_error.is_some() && live.is_some() && e.busy.is_none();
    let mut word = b.word().to_string();
    if stale {
        word.push_str(" !");
    }
    let ratio = left.map_or(0.0, gauge);
    let secs = left.map_or(0, |d| d.as_secs());
    let mark = format!(
        "{}{}",
        if selected { "▸" } else { " " },
        if app.roster.is_default(e) { "*" } else { " " }
    );
    let mut cells = vec![
        Cell::from(mark),
        Cell::from(fit(e.name().as_str(), room.name)),
        Cell::from(e.profile.region.key()),
        // A username from profiles.toml is outside text: no control reaches the screen.
        Cell::from(fit(
            &lcsauth::sanitize::line(e.profile.username.as_deref().unwrap_or("-")),
            room.user,
        )),
    ];
    if wide {
        cells.push(Cell::from(flow_word(e.profile.flow)));
    }
    let legible = |style| if selected { theme.on_selected(style) } else { style };
    cells.extend([
        Cell::from(Span::styled(
            word,
            legible(if stale { theme.warn() } else { theme.badge(b) }),
        )),
        Cell::from(Span::styled(
            left.map_or_else(|| "-".to_string(), human),
            legible(theme.left(b, secs)),
        )),
        Cell::from(Span::styled(
            if left.is_some() {
                bar(ratio, usize::from(BAR_WIDTH))
            } else {
                String::new()
            },
            theme.left(b, secs),
        )),
    ]);
    let r = Row::new(cells);
    if selected { r.style(theme.selected()) } else { r }
}

pub fn render(app: &App, now: Timestamp, frame: &mut Frame, area: Rect) {
    let theme = app.theme;
    let roster = &app.roster;
    let rows = usize::from(area.height.saturating_sub(3)).max(1);
    // Normally `App` keeps the cursor in view; after a resize not yet seen, fix it up here.
    let cursor = roster.cursor();
    let mut offset = roster.offset();
    if cursor >= offset + rows {
        offset = cursor + 1 - rows;
    } else if cursor < offset {
        offset = cursor;
    }
    // Narrow screens leave the flow to the detail pane so names and users stay readable.
    let wide = area.width >= 100;
    let mut titles = vec!["", "NAME", "REGION", "USER"];
    let mut widths = vec![
        Constraint::Length(2),
        Constraint::Fill(2),
        Constraint::Length(8),
        Constraint::Fill(3),
    ];
    if wide {
        titles.push("FLOW");
        widths.push(Constraint::Length(8));
    }
    titles.extend(["STATE", "LEFT", "LIFETIME"]);
    widths.extend([
        Constraint::Length(10),
        Constraint::Length(10),
        Constraint::Length(BAR_WIDTH),
    ]);
    let inner = Rect {
        width: area.width.saturating_sub(2),
        ..area
    };
    let cols = ratatui::layout::Layout::horizontal(widths.clone())
        .spacing(1)
        .split(inner);
    let room = Room {
        name: usize::from(cols[1].width),
        user: usize::from(cols[3].width),
    };
    let table_rows: Vec<Row> = roster
        .window(offset, rows)
        .enumerate()
        .map(|(i, e)| row(app, e, offset + i == cursor, wide, room, now))
        .collect();
    let total = roster.entries().len();
    let shown = roster.visible_len();
    let mut title = vec![Span::styled(" Profiles ", theme.strong())];
    if !roster.filter().is_empty() {
        title.push(Span::styled(
            format!("filter \"{}\": {shown} of {total} ", roster.filter()),
            theme.warn(),
        ));
    }
    let position = if shown > rows {
        format!(" {}/{shown} ", cursor + 1)
    } else {
        String::new()
    };
    let block = Block::bordered()
        .border_style(theme.border())
        .title(Line::from(title))
        .title_bottom(Line::from(position).right_aligned());
    let header = Row::new(titles).style(theme.header());
    let table = Table::new(table_rows, widths)
        .header(header)
        .column_spacing(1)
        .block(block);
    frame.render_widget(table, area);
    if shown == 0 {
        let why = if total == 0 {
            "no profiles yet: a adds one"
        } else {
            "no profile matches the filter (Esc clears it, / changes it)"
        };
        // Across the whole table, not inside one column, so the sentence is never cut short.
        let line = Rect {
            x: area.x + 2,
            y: area.y + 2,
            width: area.width.saturating_sub(4),
            height: u16::from(area.height > 3),
        };
        frame.render_widget(
            Line::styled(super::text::fit(why, usize::from(line.width)), theme.dim()),
            line,
        );
    }
}
