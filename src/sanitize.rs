//! Text from outside lcsauth made safe for a terminal.
//!
//! Entra's error fields, device-code messages, JWT claims, LCS answers, browser-callback
//! parameters and values read from files or argv can carry control characters. Written to a
//! terminal, ESC, BEL and CSI sequences retitle the window, overwrite lines or set the clipboard
//! (OSC 52), and a CR hides what came before it on the line. Every such string passes through
//! here before stdout, stderr or the board: C0 and C1 controls, DEL and the bidirectional
//! overrides become visible escapes (`\e`, `\r`, `\x07`, `\u{9b}`, `\u{202e}`), everything else
//! is kept. `--json` output keeps the exact value instead (JSON escapes it already).

use std::borrow::Cow;
use std::fmt::Write as _;

/// One line of outside text: every control character, newline included, becomes visible.
pub fn line(s: &str) -> Cow<'_, str> {
    escape(s, false)
}

/// A message of several lines: newlines are kept, every other control becomes visible.
/// For lcsauth's own multi-line messages that embed outside text.
pub fn text(s: &str) -> Cow<'_, str> {
    escape(s, true)
}

/// Serialized JSON made safe to print: the characters JSON leaves raw (DEL, C1 controls, bidi
/// overrides) become `\uXXXX` escapes, which decode to the exact same value.
pub fn json(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_hazard) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_hazard(c) {
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                let _ = write!(out, "\\u{u:04x}");
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// True when `c` would act on a terminal or reorder what it shows.
pub fn is_hazard(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn escape(s: &str, keep_newlines: bool) -> Cow<'_, str> {
    let needs = |c: char| is_hazard(c) && !(keep_newlines && c == '\n');
    if !s.chars().any(needs) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if !needs(c) {
            out.push(c);
            continue;
        }
        match c {
            '\u{1b}' => out.push_str("\\e"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x80 => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed_unchanged() {
        assert!(matches!(
            line("AADSTS50126: Error validating credentials."),
            Cow::Borrowed(_)
        ));
        assert_eq!(line("Zoë — 東京"), "Zoë — 東京");
    }

    #[test]
    fn osc52_bel_csi_and_cr_become_visible() {
        let hostile = "\u{1b}]52;c;ZXZpbA==\u{7}\u{1b}[2K\rfine\u{9b}31m\u{7f}";
        let safe = line(hostile);
        assert_eq!(safe, "\\e]52;c;ZXZpbA==\\x07\\e[2K\\rfine\\u{9b}31m\\x7f");
        assert!(!safe.chars().any(is_hazard));
    }

    #[test]
    fn newlines_are_kept_only_in_text() {
        assert_eq!(line("a\nb"), "a\\nb");
        assert_eq!(text("a\nb\u{1b}c"), "a\nb\\ec");
    }

    #[test]
    fn json_keeps_the_exact_value() {
        let value = "\u{1b}]0;owned\u{7}\u{9b}2J\u{202e}";
        let raw = serde_json::json!({ "error": value }).to_string();
        let safe = json(&raw);
        assert!(!safe.chars().any(is_hazard), "{safe}");
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back["error"], value);
    }

    #[test]
    fn bidi_overrides_are_escaped() {
        assert_eq!(line("abc\u{202e}fed"), "abc\\u{202e}fed");
    }
}
