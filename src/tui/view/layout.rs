//! Where things go on screen. `App` uses `board_rows` to scroll, so the view and the state
//! agree on how many rows the board shows.

use ratatui::layout::{Constraint, Layout, Rect};

/// Smallest usable screen.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 12;

/// Title, status and hint lines.
const CHROME: u16 = 3;

/// Height of the board block (borders and header included) for `visible` profiles.
pub fn board_height(height: u16, visible: usize) -> u16 {
    let rest = height.saturating_sub(CHROME);
    let cap = (rest * 45 / 100).max(6);
    let want = u16::try_from(visible).unwrap_or(u16::MAX).saturating_add(3).max(4);
    want.min(cap).min(rest)
}

/// Profile rows the board shows.
pub fn board_rows(height: u16, visible: usize) -> usize {
    usize::from(board_height(height, visible).saturating_sub(3)).max(1)
}

/// The regions of the main screen.
pub struct Areas {
    pub title: Rect,
    pub board: Rect,
    pub detail: Rect,
    pub status: Rect,
    pub hints: Rect,
}

pub fn areas(area: Rect, visible: usize) -> Areas {
    let [title, board, detail, status, hints] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(board_height(area.height, visible)),
        Constraint::Fill(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    Areas {
        title,
        board,
        detail,
        status,
        hints,
    }
}

/// A box of at most `width` × `height` in the middle of `area`.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect::new(area.x + (area.width - w) / 2, area.y + (area.height - h) / 2, w, h)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_board_grows_with_profiles_up_to_under_half_the_screen() {
        assert_eq!(board_height(24, 0), 4);
        assert_eq!(board_height(24, 4), 7);
        assert_eq!(board_height(24, 10_000), 9);
        assert_eq!(board_rows(40, 10_000), 13);
        assert_eq!(board_rows(24, 4), 4);
    }
}
