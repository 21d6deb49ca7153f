//! Drawing: pure functions of what they draw and `now`. No I/O, no clock, no state changes.
//! `screen` puts the whole screen together; `layout`, `theme` and `text` are the leaves every
//! view (the features' overlays too) names; `board`, `audiences` and `detail` draw the table and
//! the pane under it, `onboarding` the first run, `status_line` the two bottom lines, `help` the
//! `?` overlay.

pub mod audiences;
pub mod board;
pub mod detail;
pub mod help;
pub mod layout;
pub mod onboarding;
pub mod screen;
pub mod status_line;
pub mod text;
pub mod theme;
