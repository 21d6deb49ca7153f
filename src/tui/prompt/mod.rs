//! Small questions over the board: `state` is the question ("delete this profile?", the password
//! of a sign-in) and its keys, `password` the field that never shows what is typed, `view` draws
//! the question.

pub mod password;
pub mod state;
pub mod view;
