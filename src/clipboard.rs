//! The system clipboard: copy a token, keep it pasteable, clear it later only if it is still ours.
//!
//! On X11 a selection lives only as long as its owner process, so a command that copies and
//! exits hands the token to a small serving process ([`serve`]) that owns the selection until
//! the clear-after deadline. With no display at all (SSH), [`osc52`] builds the terminal escape
//! sequence that asks the user's own terminal to set its clipboard.

use std::time::{Duration, Instant};

use base64::Engine as _;

use crate::secret::Secret;

#[derive(Debug, thiserror::Error)]
pub enum ClipboardError {
    #[error("no clipboard is reachable: {0}")]
    Unavailable(String),
    #[error("the clipboard failed: {0}")]
    Failed(String),
}

fn map(e: &arboard::Error) -> ClipboardError {
    match e {
        arboard::Error::ClipboardNotSupported => ClipboardError::Unavailable("this platform has no clipboard".into()),
        arboard::Error::Unknown { description }
            if description.contains("connection") || description.contains("unreachable") =>
        {
            ClipboardError::Unavailable(description.clone())
        }
        other => ClipboardError::Failed(other.to_string()),
    }
}

/// How a served copy ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Served {
    /// The deadline passed with our token still on the clipboard: it was cleared.
    Cleared,
    /// Something else was copied meanwhile: left alone.
    Replaced,
}

/// Whether a graphical session is there to own a clipboard (Linux/BSD); elsewhere, always.
pub fn display_present() -> bool {
    if cfg!(any(target_os = "macos", target_os = "windows")) {
        return true;
    }
    ["DISPLAY", "WAYLAND_DISPLAY"]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|s| !s.is_empty()))
}

/// Copies `text`, calls `ready` once other programs can paste it, keeps it pasteable for
/// `clear_after`, then clears it if it still holds `text`. Blocks for up to `clear_after`.
pub fn serve(text: &Secret, clear_after: Duration, ready: impl FnOnce()) -> Result<Served, ClipboardError> {
    let mut clipboard = arboard::Clipboard::new().map_err(|e| map(&e))?;
    set_private(&mut clipboard, text)?;
    ready();
    let deadline = Instant::now() + clear_after;
    #[cfg(all(unix, not(target_os = "macos")))]
    {
        use arboard::SetExtLinux;
        // Serves paste requests until the deadline or until another program takes the
        // selection; a deadline also guarantees this process ends if the X server goes away.
        let _ = clipboard
            .set()
            .exclude_from_history()
            .wait_until(deadline)
            .text(text.expose());
        if Instant::now() < deadline {
            // Another owner took the selection before the deadline: a later copy (perhaps of
            // the very same token) now owns it and clears it on its own schedule. Clearing
            // here would wipe that copy.
            return Ok(Served::Replaced);
        }
    }
    #[cfg(not(all(unix, not(target_os = "macos"))))]
    {
        // Other platforms keep the content after this process exits; sleep, then check.
        std::thread::sleep(deadline.saturating_duration_since(Instant::now()));
    }
    Ok(clear_if_ours(&mut clipboard, text))
}

/// Sets the clipboard, asking clipboard managers not to record it where the platform can.
pub fn set_private(clipboard: &mut arboard::Clipboard, text: &Secret) -> Result<(), ClipboardError> {
    #[cfg(all(unix, not(target_os = "macos")))]
    let result = {
        use arboard::SetExtLinux;
        clipboard.set().exclude_from_history().text(text.expose())
    };
    #[cfg(target_os = "macos")]
    let result = {
        use arboard::SetExtApple;
        clipboard.set().exclude_from_history().text(text.expose())
    };
    #[cfg(target_os = "windows")]
    let result = {
        use arboard::SetExtWindows;
        clipboard
            .set()
            .exclude_from_history()
            .exclude_from_cloud()
            .text(text.expose())
    };
    result.map_err(|e| map(&e))
}

/// Clears the clipboard only if it still holds `text`.
pub fn clear_if_ours(clipboard: &mut arboard::Clipboard, text: &Secret) -> Served {
    match clipboard.get_text() {
        Ok(current) if current == text.expose() => {
            let _ = clipboard.clear();
            Served::Cleared
        }
        _ => Served::Replaced,
    }
}

/// The OSC 52 escape sequence that asks the terminal to put `text` on the system clipboard.
pub fn osc52(text: &Secret) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(text.expose());
    format!("\x1b]52;c;{b64}\x07")
}

/// The OSC 52 sequence that clears the terminal's clipboard.
pub fn osc52_clear() -> &'static str {
    "\x1b]52;c;\x07"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osc52_wraps_base64_in_the_escape_sequence() {
        assert_eq!(osc52(&Secret::new("abc")), "\x1b]52;c;YWJj\x07");
    }
}
