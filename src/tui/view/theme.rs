//! Colours and emphasis. With `NO_COLOR` set the screen keeps bold, dim and reverse but no
//! colour, and every state is also spelled out in words.

use ratatui::style::{Color, Modifier, Style};

/// What a row's badge says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Badge {
    Valid,
    Expiring,
    Expired,
    None,
    Refreshing,
    Error,
}

impl Badge {
    pub fn word(self) -> &'static str {
        match self {
            Self::Valid => "valid",
            Self::Expiring => "expiring",
            Self::Expired => "expired",
            Self::None => "none",
            Self::Refreshing => "refreshing",
            Self::Error => "error",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
}

// Every style is a method of the theme, even those that look the same without colour, so the
// views never mix theme calls with ad-hoc styles.
#[allow(clippy::unused_self)]
impl Theme {
    /// Colour unless `NO_COLOR` is set to a non-empty value (https://no-color.org).
    pub fn from_env() -> Self {
        Self {
            color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        }
    }

    fn fg(self, c: Color) -> Style {
        if self.color { Style::new().fg(c) } else { Style::new() }
    }

    pub fn badge(self, b: Badge) -> Style {
        match b {
            Badge::Valid => self.fg(Color::Green),
            Badge::Expiring => self.fg(Color::Yellow),
            Badge::Expired => self.fg(Color::Red),
            Badge::None => self.dim(),
            Badge::Refreshing => self.fg(Color::Cyan),
            Badge::Error => self.fg(Color::Red).add_modifier(Modifier::BOLD),
        }
    }

    /// Time left: the badge's colour, red in the last minute.
    pub fn left(self, b: Badge, secs: u64) -> Style {
        if secs < 60 && matches!(b, Badge::Valid | Badge::Expiring | Badge::Refreshing) {
            self.fg(Color::Red).add_modifier(Modifier::BOLD)
        } else {
            self.badge(b)
        }
    }

    pub fn selected(self) -> Style {
        if self.color {
            Style::new().bg(Color::Indexed(238)).add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::REVERSED)
        }
    }

    pub fn title(self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    pub fn header(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn key(self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    pub fn label(self) -> Style {
        self.dim()
    }

    /// `style` made legible on the selected row's background: the bright variant of its
    /// colour, no dimming (grey on the selection's grey, or dim under reverse, cannot be read).
    pub fn on_selected(self, style: Style) -> Style {
        let fg = style.fg.map(|c| match c {
            Color::Green => Color::LightGreen,
            Color::Red => Color::LightRed,
            Color::Yellow => Color::LightYellow,
            Color::Cyan => Color::LightCyan,
            Color::Indexed(245) => Color::White,
            other => other,
        });
        let mut out = style.remove_modifier(Modifier::DIM);
        out.fg = fg;
        out
    }

    pub fn dim(self) -> Style {
        if self.color {
            // A mid grey of the 256-colour palette: readable on dark and light backgrounds
            // alike, unlike ANSI "bright black", which many themes draw nearly black.
            Style::new().fg(Color::Indexed(245))
        } else {
            Style::new().add_modifier(Modifier::DIM)
        }
    }

    pub fn strong(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn ok(self) -> Style {
        self.fg(Color::Green)
    }

    pub fn warn(self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }

    pub fn error(self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    pub fn border(self) -> Style {
        self.dim()
    }

    pub fn focus(self) -> Style {
        self.fg(Color::Cyan)
    }
}
