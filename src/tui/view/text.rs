//! Text shaping for the views: word wrap, labelled lines and the lifetime bar.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

/// Width of the label column in the detail pane and the form.
pub const LABEL_WIDTH: usize = 14;

/// Wraps `text` at `width` columns on spaces; words longer than a line (URLs, tokens) are cut.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(8);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut len = 0;
    for word in text.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        let sep = usize::from(len > 0);
        if len + sep + word.len() > width && len > 0 {
            lines.push(std::mem::take(&mut line));
            len = 0;
        }
        while word.len() > width {
            let rest = word.split_off(width);
            lines.push(word.into_iter().collect());
            word = rest;
        }
        if len > 0 {
            line.push(' ');
            len += 1;
        }
        len += word.len();
        line.extend(word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// `label` in the label column, then `text` wrapped beside it.
pub fn labelled(label: &str, text: &str, width: usize, label_style: Style, text_style: Style) -> Vec<Line<'static>> {
    let room = width.saturating_sub(LABEL_WIDTH);
    // Claims, Entra's errors and LCS messages reach the screen through here.
    wrap(&lcsauth::sanitize::line(text), room)
        .into_iter()
        .enumerate()
        .map(|(i, part)| {
            let head = if i == 0 { label } else { "" };
            Line::from(vec![
                Span::styled(format!("{head:<LABEL_WIDTH$}"), label_style),
                Span::styled(part, text_style),
            ])
        })
        .collect()
}

/// `text` cut to `width` columns, ending in `…` when something was cut.
pub fn fit(text: &str, width: usize) -> String {
    let count = text.chars().count();
    if count <= width {
        return text.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut cut: String = text.chars().take(width - 1).collect();
    cut.push('…');
    cut
}

/// A bar of `width` cells filled to `ratio` (0–1), with eighth-cell steps.
pub fn bar(ratio: f64, width: usize) -> String {
    const PARTS: [char; 8] = [' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
    let eighths = (ratio.clamp(0.0, 1.0) * (width * 8) as f64).round() as usize;
    let full = eighths / 8;
    let mut s = "█".repeat(full);
    if full < width {
        let part = PARTS[eighths % 8];
        if part != ' ' {
            s.push(part);
        }
        let used = full + usize::from(part != ' ');
        s.push_str(&"░".repeat(width - used));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_breaks_on_spaces_and_cuts_long_words() {
        assert_eq!(wrap("one two three", 8), vec!["one two", "three"]);
        assert_eq!(wrap("abcdefghijkl", 8), vec!["abcdefgh", "ijkl"]);
        assert_eq!(wrap("", 8), vec![""]);
    }

    #[test]
    fn bar_fills_in_eighths_and_always_has_its_width() {
        assert_eq!(bar(1.0, 4), "████");
        assert_eq!(bar(0.0, 4), "░░░░");
        assert_eq!(bar(0.5, 4), "██░░");
        assert_eq!(bar(0.53, 4), "██▏░");
        for i in 0..=100 {
            assert_eq!(bar(f64::from(i) / 100.0, 10).chars().count(), 10);
        }
    }
}
