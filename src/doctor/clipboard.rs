//! Which clipboard `copy` can use here: the system one, OSC 52 through the terminal, or none.

use super::finding::{Finding, Level};

/// Which clipboard `copy` can use here. `terminal` is whether stderr is a terminal (for OSC 52).
pub fn clipboard(terminal: bool) -> Vec<Finding> {
    let mut out = Vec::new();
    let wayland = std::env::var_os("WAYLAND_DISPLAY").is_some();
    if crate::clipboard::display_present() {
        match arboard::Clipboard::new() {
            Ok(_) => out.push(Finding::new(
                "clipboard",
                Level::Ok,
                if cfg!(target_os = "windows") {
                    "Windows clipboard reachable"
                } else if wayland {
                    "Wayland session (served through XWayland)"
                } else {
                    "system clipboard reachable"
                },
                None,
            )),
            Err(e) => out.push(Finding::new(
                "clipboard",
                Level::Fail,
                if cfg!(target_os = "windows") {
                    format!("the Windows clipboard is not reachable: {e}")
                } else {
                    format!("a display is set but the clipboard is not reachable: {e}")
                },
                Some(if cfg!(target_os = "windows") {
                    "another program may hold the clipboard open; close it and try again".into()
                } else {
                    "check DISPLAY / WAYLAND_DISPLAY, or unset them to use OSC 52".into()
                }),
            )),
        }
    } else if terminal {
        let tmux = std::env::var_os("TMUX").is_some();
        out.push(Finding::new(
            "clipboard",
            Level::Warn,
            "no display: `copy` sends the token to your terminal with OSC 52",
            Some(if tmux {
                "inside tmux, enable it with `tmux set -s set-clipboard on`".into()
            } else {
                "use a terminal that accepts OSC 52 (most do: iTerm2, kitty, WezTerm, Windows Terminal, foot)".into()
            }),
        ));
    } else {
        out.push(Finding::new(
            "clipboard",
            Level::Warn,
            "no display and no terminal: `copy` cannot work here",
            Some("use `lcsauth token` and pipe the token instead".into()),
        ));
    }
    out
}
