//! Outside text (an answer's body, a header, an error from the API) made safe for a terminal.

/// Control characters of outside text made visible before a terminal sees them (newlines kept).
pub fn visible(text: &str) -> String {
    crate::sanitize::text(text).into_owned()
}

/// [`visible`] for one line: newlines too.
pub fn visible_line(text: &str) -> String {
    crate::sanitize::line(text).into_owned()
}
