//! A password being typed: never echoed, never printed, wiped from memory when dropped.

use std::fmt;

use zeroize::Zeroizing;

use lcsauth::secret::Secret;

#[derive(Default)]
pub struct PasswordField {
    text: Zeroizing<String>,
}

impl PasswordField {
    pub fn push(&mut self, c: char) {
        self.text.push(c);
    }

    pub fn pop(&mut self) {
        self.text.pop();
    }

    pub fn clear(&mut self) {
        self.text.clear();
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// How many characters were typed, for the mask.
    pub fn len(&self) -> usize {
        self.text.chars().count()
    }

    /// The typed password, leaving the field empty; `None` when nothing was typed.
    pub fn take(&mut self) -> Option<Secret> {
        if self.text.is_empty() {
            return None;
        }
        let secret = Secret::new(self.text.as_str());
        self.text.clear();
        Some(secret)
    }
}

impl fmt::Debug for PasswordField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PasswordField(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_password_is_never_shown_by_debug_and_is_taken_once() {
        let mut p = PasswordField::default();
        for c in "Secret-1".chars() {
            p.push(c);
        }
        p.pop();
        assert_eq!(format!("{p:?}"), "PasswordField(***)");
        assert_eq!(p.len(), 7);
        assert_eq!(p.take().unwrap().expose(), "Secret-");
        assert!(p.take().is_none());
    }
}
